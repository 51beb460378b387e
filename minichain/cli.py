"""`minichain ...`: the command line. Thin: it parses arguments, calls the library, prints
(the commands are in commands.py).

Every failure caused by input prints one line, `error [rule]: what was expected and found`, and
exits 1; no traceback. Run `minichain COMMAND --help` for each command's options.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from minichain.commands import (
    cmd_balance,
    cmd_bench,
    cmd_chain_export,
    cmd_chain_init,
    cmd_chain_mine,
    cmd_chain_seal,
    cmd_chain_show,
    cmd_chain_submit,
    cmd_chain_verify,
    cmd_demo,
    cmd_genesis,
    cmd_keygen,
    cmd_load,
    cmd_net_up,
    cmd_node_run,
    cmd_tx_send,
    cmd_tx_sign,
)
from minichain.contract_commands import add_contract_commands
from minichain.crypto import DEFAULT_SUITE, SUITES
from minichain.errors import MinichainError
from minichain.genesis import DEFAULT_BLOCK_GAS_LIMIT

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
    p.add_argument("--consensus", required=True, choices=["pow", "poa", "bft"])
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
    p.add_argument("--block-gas-limit", type=int, default=DEFAULT_BLOCK_GAS_LIMIT,
                   help="gas units a block's contract transactions may use together")
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
    p.add_argument("--consensus", choices=["poa", "pow", "bft"], default="poa")
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
    p.add_argument("--classroom", action="store_true",
                   help="start 35 node processes (4 authorities, a gateway, 30 learners sending "
                        "transfers): RSS per node, block propagation, all committed")
    p.add_argument("--contracts", action="store_true",
                   help="contract calls/s through a node (checks, signatures, EVM, SQLite) against "
                        "bare py-evm apply_message")
    p.add_argument("--base-port", type=int, default=9100,
                   help="--network uses ports BASE..BASE+5 on 127.0.0.1, --classroom BASE..BASE+34 "
                        "(default 9100)")
    p.set_defaults(run=cmd_bench)

    add_contract_commands(commands, tx)  # contract compile|read, receipt, tx deploy|call

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
