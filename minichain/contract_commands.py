"""The contract commands of `minichain`: compile Solidity, sign deploys and calls, read, receipts.

The path of a contract, as a learner walks it:
  contract compile Voting.sol --out build      solc-js 0.8.11, offline: build/Voting.json
  tx deploy --artifact build/Voting.json ...   a signed deploy (init code + constructor args)
  chain submit / chain seal (or --node URL)    a block runs it: the contract has an address
  tx call --to 0x... --fn vote --args '[1]'    a signed call: the EVM runs it in a block
  contract read ... --fn votes --args '[1]'    a view call: answered now, nothing is signed
  receipt TXID --artifact build/Voting.json    what the block's run did: status, gas, events
  contract storage --to 0x... --artifact ...    its storage slots, named from the layout
`--data DIR` reads a data directory, `--node URL` a running node: the same JSON either way
(minichain.contract_reads answers both). Each failure is one line `error [rule]: ...`, exit 1:
bad arguments (contract-args), a revert with its decoded reason (contract-revert), out of gas
(contract-out-of-gas), a compiler error with its file and line (contract-compile).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import time
from typing import TYPE_CHECKING, Any

from minichain.commands import CommandError, note, out
from minichain.contract_reads import (
    contract_json,
    decode_receipt,
    decode_result,
    label_storage,
    parse_txid,
    receipt_json,
    view_call,
)
from minichain.contract_tx import (
    CALL,
    DEPLOY,
    ContractTransaction,
    contract_transaction,
    validate_contract_fields,
)
from minichain.encoding import parse_json
from minichain.store import Store
from minichain.wallet import Wallet

if TYPE_CHECKING:
    from collections.abc import Iterator

    from minichain.chain import Chain
    from minichain.contracts.abi import ContractAbi
    from minichain.contracts.compiler import Artifact
    from minichain.mempool import Mempool

# A gas limit is what a transaction may use, not what it pays (it pays gas used x gas price):
# 3 M covers the samples' deploys (Token: 537,536) and any call a lesson makes, and is a tenth
# of a block's 30 M. The price is 0 unless given, as a transfer's fee is (`tx sign --fee 0`).
DEFAULT_GAS = 3_000_000
RECEIPT_POLL_SECONDS = 0.25  # how often `--wait` asks the node for the receipt


def add_contract_commands(commands: Any, tx: Any) -> None:
    """Add `contract compile|address|read|storage`, `receipt` (to `commands`) and `tx deploy|call`
    (to `tx`): argparse subparser groups of cli.build_parser."""
    group = commands.add_parser("contract", help="Solidity contracts: compile, address, read, storage")
    contract = group.add_subparsers(dest="contract_command", required=True)
    p = contract.add_parser("compile", help="compile a .sol file offline: DIR/<Contract>.json each")
    p.add_argument("file", metavar="FILE.sol")
    p.add_argument("--out", required=True, metavar="DIR")
    p.set_defaults(run=cmd_contract_compile)
    p = contract.add_parser("address", help="a key's EVM address (msg.sender); --nonce: its deploy's")
    p.add_argument("--key", required=True)
    p.add_argument("--nonce", type=int, default=None,
                   help="print instead where this key's deploy with this nonce puts its contract")
    p.set_defaults(run=cmd_contract_address)
    p = contract.add_parser("read", help="call a function read-only (nothing is signed or paid)")
    _source(p)
    p.add_argument("--to", required=True, help="the contract's address, 0x and 40 hex digits")
    _function(p)
    p.add_argument("--from", dest="sender", default=None, metavar="0xADDR",
                   help="msg.sender of the call (default: the zero address)")
    p.add_argument("--gas", type=int, default=None, help="gas the call may use (default: the cap)")
    p.set_defaults(run=cmd_contract_read)

    p = contract.add_parser("storage", help="a contract's code hash and storage slots, named")
    _source(p)
    p.add_argument("--to", required=True, help="the contract's address, 0x and 40 hex digits")
    p.add_argument("--artifact", default=None, help="name the slots from its storage layout")
    p.set_defaults(run=cmd_contract_storage)

    p = commands.add_parser("receipt", help="what a contract transaction did, once in a block")
    _source(p)
    p.add_argument("txid")
    p.add_argument("--artifact", default=None, help="decode the logs and revert reason with its ABI")
    p.set_defaults(run=cmd_receipt)

    for kind, helptext in ((DEPLOY, "sign a contract deploy; prints the transaction JSON"),
                           (CALL, "sign a contract call; prints the transaction JSON")):
        p = tx.add_parser(kind, help=helptext + " (--node URL: send it)")
        p.add_argument("--key", required=True)
        if kind == CALL:
            p.add_argument("--to", required=True, help="the contract's address, 0x and 40 hex digits")
            _function(p)
        else:
            p.add_argument("--artifact", required=True, help="a compiled contract (contract compile)")
            p.add_argument("--args", default="[]", help="constructor arguments, a JSON list")
        p.add_argument("--chain-id", default=None, help="required unless --node gives it")
        p.add_argument("--nonce", type=int, default=None,
                       help="default: the node's next nonce (--node), the data dir's (--data), else 0")
        p.add_argument("--gas", type=int, default=DEFAULT_GAS, help=f"gas limit (default {DEFAULT_GAS:,})")
        p.add_argument("--gas-price", type=int, default=0, help="coin units per gas unit used")
        p.add_argument("--data", default=None, help="data dir to look the next nonce up in")
        p.add_argument("--node", default=None, help="send it to this node instead of printing it")
        p.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                       help="with --node: wait this long for the receipt, and print it")
        p.set_defaults(run=cmd_tx_contract, kind=kind)


def _source(p: argparse.ArgumentParser) -> None:
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", help="a data directory")
    source.add_argument("--node", help="a running node's URL")


def _function(p: argparse.ArgumentParser) -> None:
    p.add_argument("--artifact", required=True, help="the compiled contract (contract compile)")
    p.add_argument("--fn", required=True, help="function name, or signature if overloaded")
    p.add_argument("--args", default="[]", help="arguments, a JSON list: numbers, \"0x..\", text")


# --- compile ------------------------------------------------------------------------------------


def cmd_contract_compile(args: argparse.Namespace) -> None:
    from minichain.contracts.compiler import compile_file, write_artifacts
    from minichain.contracts.errors import CompileError

    try:
        artifacts = compile_file(args.file)
    except CompileError as error:
        raise _one_line(error) from None
    if not artifacts:
        raise CommandError(f"{args.file} holds no contract")
    for path in write_artifacts(artifacts, args.out):
        artifact = artifacts[path.stem]
        out(f"wrote {path}: {artifact.name}, {len(artifact.bytecode)} bytes of init code, "
            f"source sha256 {artifact.source_hash[:16]}")


def _one_line(error: Any) -> Any:
    """solc's refusal on one line: the first error with its file and line, and how many more."""
    from minichain.contracts.errors import CompileError

    if not error.errors:
        return CompileError(str(error).replace("\n", " "), error.errors)
    more = len(error.errors) - 1
    return CompileError(f"{error.errors[0]}" + (f" (and {more} more)" if more else ""), error.errors)


def cmd_contract_address(args: argparse.Namespace) -> None:
    """msg.sender is the last 20 bytes of keccak256 of the public key (contracts/addresses.py)."""
    from minichain.contracts.addresses import contract_address, evm_address, to_hex_address

    wallet = Wallet.load(args.key)
    sender = evm_address(wallet.suite_name, wallet.public_key)
    if args.nonce is None:
        out(to_hex_address(sender))
    elif args.nonce < 0:
        raise CommandError(f"--nonce must be >= 0, found {args.nonce}")
    else:
        out(to_hex_address(contract_address(sender, args.nonce)))


# --- deploy and call ----------------------------------------------------------------------------


def _artifact(path: str) -> tuple[Artifact, ContractAbi]:
    from minichain.contracts.abi import ContractAbi
    from minichain.contracts.compiler import load_artifact

    artifact = load_artifact(path)
    return artifact, ContractAbi(artifact.abi)


def _json_args(text: str) -> list[Any]:
    from minichain.contracts.errors import BadArguments

    try:
        value = parse_json(text.encode("utf-8"), "--args")
    except Exception as error:  # MalformedData: say it as the arguments' rule
        raise BadArguments(f"--args is not JSON: {error}") from None
    if not isinstance(value, list):
        raise BadArguments(f"--args is a JSON list of arguments, found {type(value).__name__}")
    return value


def _hex_address(text: str) -> bytes:
    from minichain.contracts.addresses import parse_hex_address

    return parse_hex_address(text)


def cmd_tx_contract(args: argparse.Namespace) -> None:
    """`tx deploy` and `tx call`: sign, then print (like `tx sign`) or send (--node)."""
    from minichain.contracts.addresses import contract_address, evm_address, to_hex_address

    wallet = Wallet.load(args.key)
    artifact, abi = _artifact(args.artifact)
    call_args = _json_args(args.args)
    if args.kind == DEPLOY:
        if not artifact.bytecode:
            raise CommandError(f"{args.artifact}: {artifact.name} has no init code (an interface "
                               "or abstract contract cannot be deployed)")
        data, to = abi.deploy_code(artifact.bytecode, call_args), b""
    else:
        data, to = abi.encode_call(args.fn, call_args), _hex_address(args.to)
    with contextlib.ExitStack() as stack:
        client = stack.enter_context(_client(args.node)) if args.node else None
        chain_id, nonce = _chain_id_and_nonce(args, wallet, client)
        tx = contract_transaction(wallet.private_key, suite=wallet.suite_name, chain_id=chain_id,
                                  kind=args.kind, data=data, nonce=nonce, gas_limit=args.gas,
                                  gas_price=args.gas_price, to=to)
        validate_contract_fields(tx)  # a gas limit below the intrinsic gas, say: refused now, not later
        address = (to_hex_address(contract_address(evm_address(tx.suite, tx.sender_key), tx.nonce))
                   if args.kind == DEPLOY else None)
        if client is None:
            out(json.dumps(tx.to_json(), indent=2))
            if address:
                note(f"once a block runs it, the contract is at {address}")
            return
        client.submit(tx)
        where = f"; the contract will be at {address}" if address else ""
        out(f"submitted {tx.txid.hex()} (nonce {tx.nonce}) to {args.node}{where}")
        if args.wait > 0:
            out(json.dumps(decode_receipt(_wait_for_receipt(client, tx, args.wait), abi), indent=2))


def _chain_id_and_nonce(args: argparse.Namespace, wallet: Wallet, client: Any) -> tuple[str, int]:
    if client is not None:
        chain_id = args.chain_id or client.chain_id()
        nonce = args.nonce if args.nonce is not None else client.pending_nonce(wallet.address)
        return chain_id, nonce
    if args.chain_id is None:
        raise CommandError("--chain-id is required (or --node URL, which gives it)")
    nonce = args.nonce
    if nonce is None and args.data:
        with _data_dir(args.data) as (chain, mempool):
            nonce = mempool.next_nonce(wallet.address, chain.state)
    return args.chain_id, nonce or 0


def _wait_for_receipt(client: Any, tx: ContractTransaction, seconds: float) -> dict[str, Any]:
    from minichain.contracts.errors import UnknownReceipt
    from minichain.net.load import NodeError

    deadline = time.monotonic() + seconds
    while True:
        try:
            receipt: dict[str, Any] = client.receipt(tx.txid.hex())
            return receipt
        except NodeError as error:
            if error.rule != UnknownReceipt.rule or time.monotonic() >= deadline:
                raise
        time.sleep(RECEIPT_POLL_SECONDS)


@contextlib.contextmanager
def _data_dir(path: str) -> Iterator[tuple[Chain, Mempool]]:
    """A data directory's chain and mempool, its store closed afterwards whatever happens."""
    store = Store.open(path)
    try:
        yield store.load()
    finally:
        store.close()


def _client(url: str) -> Any:
    from minichain.net.contract_client import ContractClient

    return ContractClient(url)


# --- reading ------------------------------------------------------------------------------------


def cmd_contract_read(args: argparse.Namespace) -> None:
    from minichain.contracts.addresses import to_hex_address
    from minichain.contracts.errors import Reverted

    artifact, abi = _artifact(args.artifact)
    call_args = _json_args(args.args)
    data = abi.encode_call(args.fn, call_args)
    to = _hex_address(args.to)
    sender = _hex_address(args.sender) if args.sender else None
    try:
        if args.node:
            with _client(args.node) as client:
                answer = client.call(to_hex_address(to), data,
                                     to_hex_address(sender) if sender else None, args.gas)
            output = bytes.fromhex(str(answer["output"])[2:])
        else:
            with _data_dir(args.data) as (chain, _):
                output = view_call(chain, to, data, sender, args.gas).output
    except Reverted as error:  # the contract's own custom errors, read with its ABI
        reason = abi.decode_revert(error.data) if error.data else error.reason
        raise Reverted(f"{artifact.name}.{args.fn} reverted: {reason}", error.gas_used, reason,
                       error.data) from None
    out(json.dumps(decode_result(abi, args.fn, call_args, output)))


def cmd_contract_storage(args: argparse.Namespace) -> None:
    from minichain.contracts.addresses import to_hex_address

    to = _hex_address(args.to)
    if args.node:
        with _client(args.node) as client:
            contract = client.contract(to_hex_address(to))
    else:
        with _data_dir(args.data) as (chain, _):
            contract = contract_json(chain, to)
    if args.artifact:
        contract = label_storage(contract, _artifact(args.artifact)[0].storage_layout)
    out(json.dumps(contract, indent=2, ensure_ascii=False))


def cmd_receipt(args: argparse.Namespace) -> None:
    from minichain.contracts.errors import UnknownReceipt

    txid = parse_txid(args.txid)
    if args.node:
        with _client(args.node) as client:
            receipt = client.receipt(txid.hex())
    else:
        with _data_dir(args.data) as (chain, mempool):
            found = receipt_json(chain, txid)
        if found is None:
            where = "is waiting in the mempool" if txid in mempool else "is in no block of the best chain"
            raise UnknownReceipt(f"transaction {txid.hex()[:16]} {where}")
        receipt = found
    if args.artifact:
        receipt = decode_receipt(receipt, _artifact(args.artifact)[1])
    out(json.dumps(receipt, indent=2, ensure_ascii=False))

