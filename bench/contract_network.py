"""Contract calls on a real 4-node PoA network: committed calls/s and submit-to-commit latency.

The same network and load generator as the transfer figures (bench.network: `minichain net up`,
minichain.net.load.run_load), but every transaction is a signed call of the sample Token's
`transfer`: each node validates it, runs it in its own EVM when it imports the block, and saves
the contract state with the block. The faucet deploys the Token first and holds its supply. A call
is given 60,000 gas (a transfer to a new holder uses 51,531, later ones 34,431), so a 30 M-gas
block takes at most 500 calls. Figures are named contract_*, beside the transfers' net_* of the
same run (contract_tps_vs_poa: what running the EVM costs the network).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx

from minichain import Transaction, Wallet, contract_transaction
from minichain.contracts import ContractAbi, compile_samples, evm_address, to_hex_address
from minichain.testing import make_wallet

CALL_GAS = 60_000
HOLDERS = 64  # recipients of the token transfers, in turn


def deploy_token(url: str, faucet: Wallet, timeout: float = 60.0) -> tuple[bytes, ContractAbi]:
    """The sample Token deployed by the faucet (it holds the whole supply); its address and ABI."""
    artifact = compile_samples()["Token"]
    abi = ContractAbi(artifact.abi)
    with httpx.Client(timeout=10.0) as client:
        status = client.get(f"{url}/status").raise_for_status().json()
        nonce = client.get(f"{url}/accounts/{faucet.address}").raise_for_status().json()["pending_nonce"]
        code = abi.deploy_code(artifact.bytecode, ["Bench", "BNC", 10**12])
        tx = contract_transaction(faucet.private_key, suite=faucet.suite_name, chain_id=status["chain_id"],
                                  kind="deploy", data=code, nonce=nonce, gas_limit=3_000_000)
        client.post(f"{url}/transactions", json=tx.to_json()).raise_for_status()
        deadline = time.monotonic() + timeout
        while True:
            answer = client.get(f"{url}/receipts/{tx.txid.hex()}")
            if answer.status_code == 200:
                receipt: dict[str, Any] = answer.json()
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"the Token deploy {tx.txid.hex()[:16]} was not in a block "
                                   f"after {timeout:.0f} s")
            time.sleep(0.2)
    if receipt["status"] != 1 or not receipt["contract_address"]:
        raise RuntimeError(f"the Token deploy failed: {receipt.get('error')}")
    return bytes.fromhex(receipt["contract_address"][2:]), abi


def token_calls(faucet: Wallet, token: bytes, abi: ContractAbi) -> Any:
    """run_load's make_tx: the faucet's nonce-th call, a transfer of 1 token unit to a holder."""
    holders = [to_hex_address(evm_address(faucet.suite_name, make_wallet(f"holder-{i}", faucet.suite_name)
                                          .public_key)) for i in range(HOLDERS)]
    data = [abi.encode_call("transfer", [holder, 1]) for holder in holders]

    def make_tx(chain_id: str, nonce: int, index: int) -> Transaction:
        return contract_transaction(faucet.private_key, suite=faucet.suite_name, chain_id=chain_id,
                                    kind="call", data=data[index % HOLDERS], nonce=nonce,
                                    gas_limit=CALL_GAS, to=token)

    return make_tx


def contract_figures(root: Path, count: int, rate: float, rounds: int, base_port: int) -> dict[str, float]:
    """`rounds` load runs of `count` Token calls offered at `rate`/s on one 4-node PoA network;
    the figures of the run whose slowest node committed fastest, named contract_*."""
    from bench.network import _network, load_figures
    from minichain.net.load import run_load

    runs = []
    with _network(root, base_port) as urls:
        faucet = Wallet.load(root / "net" / "keys" / "faucet.key")
        token, abi = deploy_token(urls[0], faucet)
        make_tx = token_calls(faucet, token, abi)
        for _ in range(rounds):
            started = time.perf_counter()
            result = run_load(urls[0], faucet, count, rate, watch=urls[1:], make_tx=make_tx)
            runs.append(load_figures(result, time.perf_counter() - started))
    best = max(runs, key=lambda figures: figures["net_tps_min"])
    return {f"contract_{key[4:]}": value for key, value in best.items()}
