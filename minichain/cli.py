"""`minichain ...`: the command line. Thin: it parses arguments, calls the library, prints.

Every failure caused by input prints one line, `error [rule]: what was expected and found`, and
exits 1; no traceback. Run `minichain COMMAND --help` for each command's options.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from minichain.blocks import Block
from minichain.chain import Chain, ChainUpdate
from minichain.consensus import Producer
from minichain.crypto import DEFAULT_SUITE, SUITES, decode_address
from minichain.encoding import parse_json, short
from minichain.errors import InvalidKey, MinichainError
from minichain.export import export_chain, verify_chain, verify_export
from minichain.genesis import Genesis, PoaParams, PowParams
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
    params: PowParams | PoaParams
    if args.consensus == "pow":
        if args.authority or args.admit:
            raise CommandError("--authority and --admit are for --consensus poa")
        params = PowParams(difficulty_bits=args.difficulty_bits,
                           target_block_time=args.block_time or 10)
    else:
        if not args.authority:
            raise CommandError("--consensus poa needs at least one --authority ADDR")
        params = PoaParams(tuple(args.authority), block_time=args.block_time or 2, nodes=tuple(args.admit))
    genesis = Genesis(chain_id=args.chain_id, consensus=params, suite=args.suite,
                      timestamp=now() if args.timestamp is None else args.timestamp,
                      allocations=tuple(sorted(allocations.items())))
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
        store.close()
        chain = verify_chain(loaded)
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


# --- the parser ----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="minichain", description="A small, readable blockchain.")
    commands = parser.add_subparsers(dest="command", required=True)
    suites = sorted(SUITES)

    p = commands.add_parser("keygen", help="make a key pair; prints the address")
    p.add_argument("--out", required=True, help="key file to write (mode 0600, never overwritten)")
    p.add_argument("--suite", default=DEFAULT_SUITE, choices=suites)
    p.set_defaults(run=cmd_keygen)

    p = commands.add_parser("genesis", help="write a genesis file")
    p.add_argument("--out", required=True)
    p.add_argument("--consensus", required=True, choices=["pow", "poa"])
    p.add_argument("--suite", default=DEFAULT_SUITE, choices=suites)
    p.add_argument("--alloc", action="append", default=[], metavar="ADDR=AMOUNT")
    p.add_argument("--authority", action="append", default=[], metavar="ADDR")
    p.add_argument("--admit", action="append", default=[], metavar="ADDR",
                   help="poa: a node key admitted to connect (with any --admit, only these and the "
                        "authorities may)")
    p.add_argument("--difficulty-bits", type=int, default=16)
    p.add_argument("--chain-id", default="minichain-dev")
    p.add_argument("--block-time", type=int, default=None, help="seconds (pow: target; poa: slot)")
    p.add_argument("--timestamp", type=int, default=None, help="genesis time (default: now)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(run=cmd_genesis)

    p = commands.add_parser("balance", help="an account's balance in a data dir")
    p.add_argument("--data", required=True)
    p.add_argument("address")
    p.add_argument("--json", action="store_true", help="print {balance, nonce}")
    p.set_defaults(run=cmd_balance)

    tx = commands.add_parser("tx", help="transactions").add_subparsers(dest="tx_command", required=True)
    p = tx.add_parser("sign", help="sign a transfer; prints the transaction JSON")
    p.add_argument("--key", required=True)
    p.add_argument("--to", required=True)
    p.add_argument("--amount", type=int, required=True)
    p.add_argument("--fee", type=int, default=0)
    p.add_argument("--nonce", type=int, default=None, help="default: next free nonce in --data, else 0")
    p.add_argument("--chain-id", required=True)
    p.add_argument("--memo", default="")
    p.add_argument("--data", default=None, help="data dir to look the next nonce up in")
    p.set_defaults(run=cmd_tx_sign)

    chain = commands.add_parser("chain", help="a local chain in a data dir").add_subparsers(
        dest="chain_command", required=True)
    p = chain.add_parser("init", help="create a data dir from a genesis file")
    p.add_argument("--data", required=True)
    p.add_argument("--genesis", required=True)
    p.set_defaults(run=cmd_chain_init)
    p = chain.add_parser("submit", help="put a signed transaction into the mempool")
    p.add_argument("--data", required=True)
    p.add_argument("tx", help="transaction JSON file, or - for stdin")
    p.set_defaults(run=cmd_chain_submit)
    p = chain.add_parser("mine", help="mine blocks (proof of work)")
    p.add_argument("--data", required=True)
    p.add_argument("--miner", required=True, help="address that receives reward and fees")
    p.add_argument("--blocks", type=int, default=1)
    p.set_defaults(run=cmd_chain_mine)
    p = chain.add_parser("seal", help="seal blocks in this authority's turns (proof of authority)")
    p.add_argument("--data", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--blocks", type=int, default=1)
    p.set_defaults(run=cmd_chain_seal)
    p = chain.add_parser("show", help="summary, or one block as JSON")
    p.add_argument("--data", required=True)
    p.add_argument("--height", type=int, default=None)
    p.set_defaults(run=cmd_chain_show)
    p = chain.add_parser("export", help="the whole chain as JSON")
    p.add_argument("--data", required=True)
    p.add_argument("--out", default=None)
    p.set_defaults(run=cmd_chain_export)
    p = chain.add_parser("verify", help="re-validate from genesis; exit 1 naming the rule broken")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--data")
    source.add_argument("--file")
    p.set_defaults(run=cmd_chain_verify)

    p = tx.add_parser("send", help="sign with the node's next nonce and submit to a running node")
    p.add_argument("--node", required=True, help="node URL, e.g. http://127.0.0.1:8700")
    p.add_argument("--key", required=True)
    p.add_argument("--to", required=True)
    p.add_argument("--amount", type=int, required=True)
    p.add_argument("--fee", type=int, default=0)
    p.add_argument("--memo", default="")
    p.set_defaults(run=cmd_tx_send)

    node = commands.add_parser("node", help="a networked node").add_subparsers(
        dest="node_command", required=True)
    p = node.add_parser("run", help="run one node (options are saved in DIR/node.json)")
    p.add_argument("--data-dir", required=True)
    p.add_argument("--host", default=None, help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None)
    p.add_argument("--peer", action="append", default=[], metavar="URL")
    p.add_argument("--genesis", default=None, help="genesis file, to create a new data dir")
    p.add_argument("--key", default=None, help="PoA: authority key; PoW: mine to this key's address")
    p.add_argument("--url", default=None, help="URL peers use to reach this node (default: host/port)")
    p.add_argument("--allow-private-peers", action="store_true",
                   help="answer handshakes from private and loopback URLs too (a classroom network)")
    p.add_argument("--quiet", action="store_true",
                   help="log only to DIR/node.log (rotated), not to stdout (net up runs nodes so)")
    p.set_defaults(run=cmd_node_run)

    net = commands.add_parser("net", help="a local network").add_subparsers(dest="net_command", required=True)
    p = net.add_parser("up", help="start N local nodes in the foreground; Ctrl-C stops all")
    p.add_argument("--nodes", type=int, default=4)
    p.add_argument("--consensus", choices=["poa", "pow"], default="poa")
    p.add_argument("--base-port", type=int, default=8700)
    p.add_argument("--host", default="127.0.0.1",
                   help="address the nodes listen on (0.0.0.0: every interface, for a classroom)")
    p.add_argument("--data-dir", default="net-data")
    p.add_argument("--suite", default=DEFAULT_SUITE, choices=suites)
    p.set_defaults(run=cmd_net_up)

    p = commands.add_parser("load", help="submit COUNT transfers and measure commit latency")
    p.add_argument("--node", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--tx", type=int, required=True, help="number of transfers")
    p.add_argument("--rate", type=float, default=None, help="transfers per second (default: unlimited)")
    p.add_argument("--timeout", type=float, default=None, help="seconds to wait for commits")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_load)

    p = commands.add_parser("bench", help="measure speed against limits measured in the same run")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--json", action="store_true")
    p.add_argument("--network", action="store_true",
                   help="start local node processes: tx/s of a 4-node net, sync blocks/s")
    p.add_argument("--base-port", type=int, default=9100,
                   help="--network uses ports BASE..BASE+5 on 127.0.0.1 (default 9100)")
    p.set_defaults(run=cmd_bench)

    p = commands.add_parser("demo", help="a narrated tour of the commands above")
    p.add_argument("--data-dir", default="demo-data")
    p.set_defaults(run=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "blocks", 1) < 1 or getattr(args, "amount", 1) < 0:
        print("error [usage]: --blocks must be >= 1 and --amount >= 0", file=sys.stderr)
        return 2
    run: Any = args.run
    try:
        run(args)
    except MinichainError as error:
        print(f"error [{error.rule}]: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
