"""SQLite store: a data dir reopens exactly as committed, survives kill -9 at any moment, and
refuses to serve accounts that do not match the tip's state root."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from minichain.chain import Chain
from minichain.errors import StoreError, StoreOpenError, StoreWriteError
from minichain.export import verify_chain
from minichain.store import Store
from minichain.testing import make_genesis, make_wallet, produce_block

ALICE, BOB = make_wallet(0), make_wallet(1)


def test_reopen_gives_the_same_chain_state_and_mempool(tmp_path: Path) -> None:
    genesis = make_genesis("pow", difficulty_bits=4)
    store = Store.create(tmp_path / "d", genesis)
    chain, pool = store.load()
    for nonce in range(3):
        tx = ALICE.transfer(genesis.chain_id, BOB.address, 5, nonce, fee=1)
        update = produce_block(chain, [tx])
        pool.on_chain_update(update, chain.state)
        store.save(chain, update, pool)
    waiting = ALICE.transfer(genesis.chain_id, BOB.address, 5, 3, fee=1)
    pool.add(waiting, chain.state)
    store.save_mempool(pool)
    store.close()
    again, again_pool = Store.open(tmp_path / "d").load()
    assert again.tip_hash == chain.tip_hash and again.height == 3
    assert again.state.root() == chain.state.root()
    assert again.state.balance(BOB.address) == chain.state.balance(BOB.address)
    assert [tx.txid for tx in again_pool.transactions()] == [waiting.txid]
    verify_chain(again)


def test_reorg_is_persisted_and_can_be_undone_after_reopening(tmp_path: Path) -> None:
    genesis = make_genesis("pow", difficulty_bits=4)
    store = Store.create(tmp_path / "d", genesis)
    chain, pool = store.load()
    rival = Chain(genesis)
    tx = ALICE.transfer(genesis.chain_id, BOB.address, 5, 0)
    store.save(chain, produce_block(chain, [tx]), pool)
    produce_block(rival, [], producer=BOB)
    produce_block(rival, [], producer=BOB)
    for height in (1, 2):
        update = chain.add_block(rival.block_at(height))
        pool.on_chain_update(update, chain.state)
        store.save(chain, update, pool)
    store.close()
    reopened, reopened_pool = Store.open(tmp_path / "d").load()
    assert reopened.tip_hash == rival.tip_hash
    assert reopened.state.nonce(ALICE.address) == 0
    assert [t.txid for t in reopened_pool.transactions()] == [tx.txid]
    # The losing branch was kept: extending it past the rival reorgs back, which needs the
    # undo records of the rival blocks, read back from disk.
    old = next(e for e in reopened.all_entries() if e.height == 1 and not reopened.is_main(e.hash))
    assert old.block.transactions == (tx,)
    fork = Chain(genesis)
    fork.add_block(old.block)
    produce_block(fork)
    produce_block(fork)
    reopened.add_block(fork.block_at(2))
    update = reopened.add_block(fork.block_at(3))
    assert update.status == "reorg" and reopened.tip_hash == fork.tip_hash
    assert reopened.state.root() == fork.state.root() and reopened.state.nonce(ALICE.address) == 1


def test_invalid_store_accounts_that_do_not_match_the_state_root(tmp_path: Path) -> None:
    genesis = make_genesis("pow", difficulty_bits=4)
    Store.create(tmp_path / "d", genesis).close()
    db = sqlite3.connect(tmp_path / "d" / "chain.db")
    db.execute("UPDATE accounts SET balance = balance + 1 WHERE address = ?", (ALICE.address,))
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="hash to") as info:
        Store.open(tmp_path / "d").load()
    assert info.value.rule == "store"


def test_invalid_store_missing_or_already_initialised(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="chain init"):
        Store.open(tmp_path / "nothing")
    genesis = make_genesis("pow")
    Store.create(tmp_path / "d", genesis).close()
    with pytest.raises(StoreError, match="refusing to overwrite"):
        Store.create(tmp_path / "d", genesis)


# --- crashes ------------------------------------------------------------------------------------

MINER = textwrap.dedent("""
    import os, sys
    from minichain.store import Store
    from minichain.testing import make_wallet, produce_block
    data, mode = sys.argv[1], sys.argv[2]
    store = Store.open(data)
    chain, pool = store.load()
    alice, bob = make_wallet(0), make_wallet(1)
    if mode == "crash-mid-write":
        original = Store._write_accounts
        def crash(self, chain, addresses):
            original(self, chain, addresses)  # block, main index and undo written, not committed
            os._exit(9)
        Store._write_accounts = crash
    print("ready", chain.height, flush=True)
    while True:
        nonce = chain.state.nonce(alice.address)
        txs = [alice.transfer(chain.genesis.chain_id, bob.address, 1, nonce + i) for i in range(20)]
        update = produce_block(chain, txs)
        pool.on_chain_update(update, chain.state)
        store.save(chain, update, pool)
""")


def _start_miner(data: Path, mode: str) -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, "-c", MINER, str(data), mode],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.startswith("ready"), process.stderr.read() if process.stderr else line
    return process


def _check(data: Path) -> int:
    chain, _ = Store.open(data).load()
    verify_chain(chain)
    assert chain.state.total_supply() == chain.genesis.total_allocated + 50 * chain.height
    return chain.height


def test_crash_mid_write_leaves_the_previous_block(tmp_path: Path) -> None:
    data = tmp_path / "d"
    Store.create(data, make_genesis("pow", difficulty_bits=4)).close()
    process = _start_miner(data, "crash-mid-write")
    assert process.wait(timeout=60) == 9
    assert _check(data) == 0  # the half-written block 1 was rolled back
    with sqlite3.connect(data / "chain.db") as db:
        assert db.execute("SELECT COUNT(*) FROM blocks").fetchone()[0] == 1


def test_kill_9_at_random_moments_never_corrupts_the_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "d"
    Store.create(data, make_genesis("pow", difficulty_bits=4)).close()
    heights = []
    for delay in (0.3, 0.45, 0.2, 0.6, 0.35):
        process = _start_miner(data, "run")
        time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        heights.append(_check(data))
    assert heights == sorted(heights) and heights[-1] > 0


# --- failing loudly -----------------------------------------------------------------------------


def _three_blocks(data: Path) -> None:
    genesis = make_genesis("pow", difficulty_bits=4)
    store = Store.create(data, genesis)
    chain, pool = store.load()
    for nonce in range(3):
        store.save(chain, produce_block(chain, [ALICE.transfer(genesis.chain_id, BOB.address, 1, nonce)]),
                   pool)
    store.close()


def _truncate(db: Path) -> None:
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])


def _garbage(db: Path) -> None:
    db.write_bytes(bytes(range(256)) * 40)


def _directory(db: Path) -> None:
    db.unlink()
    db.mkdir()


def _delete_undo(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM undo WHERE hash = (SELECT hash FROM main WHERE height = 2)")


def _damage_row(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE blocks SET data = x'7b7d' WHERE height = 2")


@pytest.mark.parametrize(("damage", "rule", "words"), [
    (_truncate, "store-open", "damaged or cut short"),
    (_garbage, "store-open", "is not a minichain database"),
    (_directory, "store-open", "is a directory"),
    (_delete_undo, "store-undo", "at height 2 has no undo record"),
    (_damage_row, "store-open", "a stored row is damaged"),
], ids=["truncated", "garbage", "directory", "missing-undo", "damaged-row"])
def test_invalid_store_open_is_one_line_with_its_rule(
    tmp_path: Path, damage: object, rule: str, words: str
) -> None:
    data = tmp_path / "d"
    _three_blocks(data)
    damage(data / "chain.db")  # type: ignore[operator]
    result = subprocess.run([sys.executable, "-m", "minichain", "node", "run", "--data-dir", str(data)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"error [{rule}]: "), result.stderr
    assert words in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere: chmod cannot make it read-only")
def test_invalid_store_open_read_only_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "d"
    _three_blocks(data)
    data.chmod(0o555)
    try:
        with pytest.raises(StoreOpenError, match="read-only") as info:
            Store.open(data)
        assert info.value.check == "read-only"
    finally:
        data.chmod(0o755)


def test_invalid_store_write_disk_full_commits_nothing(tmp_path: Path) -> None:
    genesis = make_genesis("pow", difficulty_bits=4)
    store = Store.create(tmp_path / "d", genesis)
    chain, pool = store.load()
    waiting = make_wallet(2).transfer(genesis.chain_id, BOB.address, 5, 0, fee=1)
    pool.add(waiting, chain.state)
    store.save_transactions([waiting])  # acknowledged before the disk filled
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")  # the disk is now full
    with pytest.raises(StoreWriteError, match="disk is full") as info:
        for _ in range(20):
            nonce = chain.state.nonce(ALICE.address)
            txs = [ALICE.transfer(genesis.chain_id, BOB.address, 1, nonce + i, memo="m" * 128)
                   for i in range(20)]
            update = produce_block(chain, txs)
            pool.on_chain_update(update, chain.state)
            store.save(chain, update, pool)
    assert info.value.rule == "store-write" and info.value.check == "disk-full"
    assert not store.db.in_transaction
    saved_height = chain.height - 1  # the block whose write failed is not on disk
    store.close()
    again, again_pool = Store.open(tmp_path / "d").load()
    assert again.height == saved_height and again.tip_hash == chain.block_at(saved_height).hash(chain.suite)
    verify_chain(again)
    assert waiting.txid in {t.txid for t in again_pool.transactions()}


def test_invalid_store_write_read_only(tmp_path: Path) -> None:
    genesis = make_genesis("pow", difficulty_bits=4)
    Store.create(tmp_path / "d", genesis).close()
    store = Store.open(tmp_path / "d")
    chain, pool = store.load()
    store.db.close()
    store.db = sqlite3.connect(f"file:{tmp_path / 'd' / 'chain.db'}?mode=ro", uri=True,
                               isolation_level=None)
    tx = ALICE.transfer(genesis.chain_id, BOB.address, 5, 0)
    pool.add(tx, chain.state)
    with pytest.raises(StoreWriteError, match="read-only") as info:
        store.save_transactions([tx])
    assert info.value.check == "read-only"
    store.close()
    assert [t.txid for t in Store.open(tmp_path / "d").load()[1].transactions()] == []


def test_saved_transactions_come_back_in_order_and_a_replacement_wins(tmp_path: Path) -> None:
    genesis = make_genesis("pow", difficulty_bits=4)
    store = Store.create(tmp_path / "d", genesis)
    chain, pool = store.load()
    first = ALICE.transfer(genesis.chain_id, BOB.address, 5, 0, fee=1)
    second = ALICE.transfer(genesis.chain_id, BOB.address, 5, 1, fee=1)
    pool.add(first, chain.state)
    pool.add(second, chain.state)
    store.save_transactions([first, second])
    store.save_transactions([first])  # already saved: nothing written twice
    replacement = ALICE.transfer(genesis.chain_id, BOB.address, 5, 0, fee=50)
    pool.add(replacement, chain.state)
    store.save_transactions([replacement])  # the replaced one's row stays until save_mempool
    store.close()  # as if killed: no save_mempool
    store = Store.open(tmp_path / "d")
    _, reopened = store.load()
    assert {t.txid for t in reopened.transactions()} == {replacement.txid, second.txid}
    store.save_mempool(reopened)
    rows = store.db.execute("SELECT COUNT(*) FROM mempool").fetchone()[0]
    assert rows == 2
