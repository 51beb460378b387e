"""What each `minichain` command does (cli.py parses the arguments and calls one of these): thin
functions that call the library and print. A failure caused by input raises a MinichainError,
which the command line prints as one line, `error [rule]: …`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from minichain.blocks import Block
from minichain.chain import Chain, ChainUpdate
from minichain.consensus import Producer
from minichain.crypto import decode_address
from minichain.encoding import parse_json, short
from minichain.errors import InvalidKey, MinichainError
from minichain.export import export_chain, verify_chain, verify_export
from minichain.genesis import BftParams, Genesis, PoaParams, PowParams
from minichain.invocation import cli_command
from minichain.mempool import Mempool
from minichain.store import Store
from minichain.transactions import Transaction
from minichain.wallet import Wallet


class CommandError(MinichainError):
    """Thrown when a command cannot be carried out as given (a usage error)."""

    rule = "usage"


def now() -> int:
    return int(time.time())


def out(text: str = "") -> None:
    print(text, flush=True)


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- keys and genesis ----------------------------------------------------------------------------


def cmd_keygen(args: argparse.Namespace) -> None:
    wallet = Wallet.generate(args.suite)
    wallet.save(args.out)
    out(wallet.address)


def _parse_alloc(text: str) -> tuple[str, int]:
    address, sep, amount = text.partition("=")
    if not sep or not amount.isdigit():
        raise CommandError(f"--alloc expects ADDR=AMOUNT, got {text!r}")
    decode_address(address)
    return address, int(amount)


def cmd_genesis(args: argparse.Namespace) -> None:
    if Path(args.out).exists() and not args.force:
        raise CommandError(f"{args.out} exists; pass --force to overwrite it")
    allocations = dict(_parse_alloc(a) for a in args.alloc)
    params: PowParams | PoaParams | BftParams
    if args.consensus == "bft":
        if not BftParams.MIN_VALIDATORS <= len(args.authority) <= BftParams.MAX_VALIDATORS:
            low, high = BftParams.MIN_VALIDATORS, BftParams.MAX_VALIDATORS
            raise CommandError(f"--consensus bft needs {low} to {high} "
                               f"--authority ADDR (its validators; n = 3f + 1), got {len(args.authority)}")
        params = BftParams(tuple(args.authority), nodes=tuple(args.admit))
    elif args.consensus == "pow":
        if args.authority or args.admit:
            raise CommandError("--authority and --admit are for --consensus poa or bft")
        params = PowParams(difficulty_bits=args.difficulty_bits,
                           target_block_time=args.block_time or 10)
    else:
        if not args.authority:
            raise CommandError("--consensus poa needs at least one --authority ADDR")
        params = PoaParams(tuple(args.authority), block_time=args.block_time or 2, nodes=tuple(args.admit))
    genesis = Genesis(chain_id=args.chain_id, consensus=params, suite=args.suite,
                      timestamp=now() if args.timestamp is None else args.timestamp,
                      allocations=tuple(sorted(allocations.items())),
                      block_gas_limit=args.block_gas_limit)
    Path(args.out).write_text(json.dumps(genesis.to_json(), indent=2) + "\n")
    out(f"wrote {args.out}: chain {genesis.chain_id}, {params.kind}, {genesis.suite}, "
        f"{len(allocations)} allocation(s)")


# --- a data directory ----------------------------------------------------------------------------


def _open(data: str) -> tuple[Store, Chain, Mempool]:
    store = Store.open(data)
    chain, mempool = store.load()
    return store, chain, mempool


def cmd_chain_init(args: argparse.Namespace) -> None:
    genesis = Genesis.load(args.genesis)
    store = Store.create(args.data, genesis)
    chain, _ = store.load()
    store.close()
    out(f"initialised {args.data}: chain {genesis.chain_id}, genesis {chain.genesis_hash.hex()}")


def cmd_tx_sign(args: argparse.Namespace) -> None:
    wallet = Wallet.load(args.key)
    nonce = args.nonce
    if nonce is None and args.data:
        store, chain, mempool = _open(args.data)
        nonce = mempool.next_nonce(wallet.address, chain.state)
        store.close()
    tx = wallet.transfer(args.chain_id, _address(args.to), args.amount, nonce or 0,
                         fee=args.fee, memo=args.memo)
    out(json.dumps(tx.to_json(), indent=2))


def _address(text: str) -> str:
    decode_address(text)
    return text


def cmd_chain_submit(args: argparse.Namespace) -> None:
    raw = sys.stdin.buffer.read() if args.tx == "-" else _read(args.tx)
    tx = Transaction.from_json(parse_json(raw, "transaction"))
    store, chain, mempool = _open(args.data)
    mempool.add(tx, chain.state)
    store.save_mempool(mempool)
    store.close()
    out(f"accepted {tx.txid.hex()} into the mempool ({len(mempool)} waiting)")


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error.strerror}") from None


def _commit(store: Store, chain: Chain, mempool: Mempool, block: Block) -> ChainUpdate:
    update = chain.add_block(block, now=now())
    mempool.on_chain_update(update, chain.state)
    store.save(chain, update, mempool)
    return update


def cmd_chain_mine(args: argparse.Namespace) -> None:
    decode_address(args.miner)
    _produce_blocks(args.data, Producer(args.miner), args.blocks, signed=False)


def cmd_chain_seal(args: argparse.Namespace) -> None:
    wallet = Wallet.load(args.key)
    _produce_blocks(args.data, Producer(wallet.address, wallet.private_key), args.blocks, signed=True,
                    suite=wallet.suite_name)


def _produce_blocks(data: str, producer: Producer, blocks: int, *, signed: bool,
                    suite: str | None = None) -> None:
    """Produce `blocks` blocks in `producer`'s turns, as the chain's engine says: `chain mine`
    searches for work, `chain seal` signs, waiting for the producer's slot."""
    store, chain, mempool = _open(data)
    engine = chain.engine
    if engine.signs_blocks and not signed:
        raise CommandError("this chain's blocks are signed by its authorities: "
                           f"use `{cli_command()} chain seal --key`")
    if signed and not engine.signs_blocks:
        raise CommandError("this chain's blocks are mined (proof of work): "
                           f"use `{cli_command()} chain mine --miner`")
    if suite is not None and suite != chain.genesis.suite:
        raise InvalidKey(f"key suite {suite} differs from the chain's {chain.genesis.suite}")
    for _ in range(blocks):
        turn = engine.next_turn(producer, chain.tip, now())
        if turn is None:
            raise CommandError(f"{producer.address} is not an authority of this chain")
        wait = turn - time.time()
        if wait > 0:
            note(f"waiting {wait:.1f} s for this authority's next turn")
            time.sleep(wait)
        txs = mempool.select(chain.state, chain.genesis.max_block_transactions)
        template, dropped = chain.build_block(txs, producer.address, turn)
        for tx, reason in dropped:
            note(f"left out {short(tx.txid)}: [{reason.rule}] {reason}")
        started = time.perf_counter()
        result = engine.produce(template.header, producer, attempts=2**64)
        seconds = max(time.perf_counter() - started, 1e-9)
        if result.header is None:
            raise CommandError("no nonce found in the 64-bit range; lower the difficulty")
        block = Block(result.header, template.transactions)
        _commit(store, chain, mempool, block)
        done = f"{block.height} {block.hash(chain.suite).hex()[:16]} txs={len(block.transactions)}"
        if signed:
            out(f"sealed block {done} at {turn}")
        else:
            out(f"mined block {done} attempts={result.attempts} ({result.attempts / seconds:,.0f} H/s)")
    store.close()


def cmd_chain_show(args: argparse.Namespace) -> None:
    store, chain, mempool = _open(args.data)
    store.close()
    if args.height is not None:
        try:
            block = chain.block_at(args.height)
        except IndexError as error:
            raise CommandError(str(error)) from None
        out(json.dumps(block.to_json(chain.suite), indent=2, ensure_ascii=False))
        return
    genesis = chain.genesis
    out(f"chain      {genesis.chain_id} ({genesis.consensus.kind}, {genesis.suite})")
    out(f"height     {chain.height}")
    out(f"tip        {chain.tip_hash.hex()}")
    out(f"supply     {chain.state.total_supply()} in {len(chain.state)} accounts")
    out(f"mempool    {len(mempool)} transaction(s)")
    first = max(0, chain.height - 9)
    for height in range(chain.height, first - 1, -1):
        block = chain.block_at(height)
        out(f"  #{height:<6} {block.hash(chain.suite).hex()[:16]}  txs={len(block.transactions):<4} "
            f"time={block.header.timestamp}  by {block.header.beneficiary}")


def cmd_balance(args: argparse.Namespace) -> None:
    decode_address(args.address)
    store, chain, _ = _open(args.data)
    store.close()
    account = chain.state.account(args.address)
    if args.json:
        out(json.dumps({"balance": account.balance, "nonce": account.nonce}))
    else:
        out(str(account.balance))


def cmd_chain_export(args: argparse.Namespace) -> None:
    store, chain, _ = _open(args.data)
    store.close()
    data = export_chain(chain)
    if args.out:
        Path(args.out).write_bytes(data)
        note(f"exported {chain.height + 1} blocks to {args.out}")
    else:
        sys.stdout.buffer.write(data)


def cmd_chain_verify(args: argparse.Namespace) -> None:
    if args.file:
        chain = verify_export(_read(args.file))
    else:
        store, loaded, _ = _open(args.data)
        try:  # open while verifying: the stored contract state is checked too
            chain = verify_chain(loaded)
        finally:
            store.close()
    out(f"valid: {chain.height + 1} blocks, tip {chain.tip_hash.hex()}, "
        f"state root {chain.state.root().hex()[:16]}")


def cmd_node_run(args: argparse.Namespace) -> None:
    from minichain.net.launcher import run_node

    run_node(Path(args.data_dir), args.host, args.port, args.peer, args.genesis, args.key, args.url,
             args.allow_private_peers, echo=not args.quiet)


def cmd_net_up(args: argparse.Namespace) -> None:
    from minichain.net.launcher import net_up

    net_up(args.nodes, args.consensus, args.base_port, Path(args.data_dir), args.suite, args.host)


def cmd_tx_send(args: argparse.Namespace) -> None:
    from minichain.net.load import send_transfer

    tx = send_transfer(args.node, Wallet.load(args.key), _address(args.to), args.amount, args.fee,
                       args.memo)
    out(f"submitted {tx.txid.hex()} (nonce {tx.nonce}) to {args.node}")


def cmd_load(args: argparse.Namespace) -> None:
    from minichain.net.load import run_load

    result = run_load(args.node, Wallet.load(args.key), args.tx, args.rate, args.timeout)
    if args.json:
        out(json.dumps(result))
    else:
        out(f"sent {result['sent']}, committed {result['committed']}, {result['tps']} tx/s, "
            f"commit latency p50 {result['p50_commit_s']} s, p95 {result['p95_commit_s']} s")
        if result["rejected"]:
            out(f"rejected by rule: {result['rejected']}")


def cmd_bench(args: argparse.Namespace) -> None:
    if args.classroom:
        from bench.classroom import run

        report = run(seconds=15 if args.quick else 60, base_port=args.base_port)
        out(json.dumps(report.figures(), indent=2) if args.json else "\n".join(report.lines()))
        if not (report.committed_everywhere and report.one_tip):
            raise SystemExit(1)
        return
    if args.contracts:
        from bench.contract_node import measure
        from bench.contract_node import report as contract_report

        figures = measure(quick=args.quick)
        out(json.dumps(figures, indent=2, sort_keys=True) if args.json else contract_report(figures))
        return
    if args.network:
        from bench.network import format_network_report, run_network_benchmarks

        results = run_network_benchmarks(quick=args.quick, base_port=args.base_port)
        out(json.dumps(results, indent=2) if args.json else format_network_report(results))
        return
    from bench.ledger import format_report, run_benchmarks

    results = run_benchmarks(quick=args.quick)
    out(json.dumps(results, indent=2) if args.json else format_report(results))


def cmd_demo(args: argparse.Namespace) -> None:
    from minichain.demo import run_demo

    run_demo(Path(args.data_dir))
