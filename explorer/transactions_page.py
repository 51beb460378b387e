"""Page 3: make wallets, sign a transfer, tamper with it, and watch the signature check fail with
the rule it breaks; send the same transfer again and watch the nonce stop the replay (the mempool's
"already known" is only a first line of defence, gone once the transfer is in a block)."""

from __future__ import annotations

import dataclasses
import json

import streamlit as st

from explorer.common import refusal, session, verdict
from explorer.i18n import t
from minichain import (
    SUITES,
    AlreadyKnown,
    Chain,
    Genesis,
    Mempool,
    MinichainError,
    NonceMismatch,
    PowParams,
    Transaction,
    Wallet,
    validate_transaction,
)
from minichain.testing import produce_block

CHAIN_ID = "explorer-demo"


def genesis_for(suite: str, alice: Wallet) -> Genesis:
    return Genesis(CHAIN_ID, PowParams(difficulty_bits=8), ((alice.address, 1000),), suite=suite)


@dataclasses.dataclass(frozen=True)
class Replay:
    """What the four steps of a replay gave: the pool's refusal of a waiting copy, the block that
    committed the original, and the refusal of the copy sent after it."""

    known: MinichainError | None
    height: int
    after_commit: MinichainError | None


def replay(signed: Transaction, genesis: Genesis) -> Replay:
    """Submit `signed`, submit it again while it waits, seal it in a block, submit it once more."""
    chain, pool = Chain(genesis), Mempool(genesis)
    pool.add(signed, chain.state)
    known: MinichainError | None = None
    try:
        pool.add(signed, chain.state)
    except AlreadyKnown as error:
        known = error
    update = produce_block(chain, pool.select(chain.state, 10))
    pool.on_chain_update(update, chain.state)
    after: MinichainError | None = None
    try:
        pool.add(signed, chain.state)
    except NonceMismatch as error:
        after = error
    return Replay(known, chain.height, after)


def show_replay(result: Replay) -> None:
    st.success(t("tx.replay_accepted"))
    if result.known is not None:
        st.info(refusal(result.known, "tx.replay_known"))
    st.success(t("tx.replay_committed", height=result.height))
    if result.after_commit is not None:
        st.success(refusal(result.after_commit, "tx.replay_nonce"))
    else:
        st.error(t("tx.replay_unexpected"))


def render() -> None:
    st.title(t("tx.title"))
    st.write(t("tx.intro"))
    suite = st.selectbox(
        t("tx.suite"), sorted(SUITES), index=sorted(SUITES).index("sha256-ed25519"), key="tx_suite"
    )
    wallets = session(
        f"tx_wallets_{suite}",
        lambda: {
            "alice": Wallet.from_seed("explorer-alice", suite),
            "bob": Wallet.from_seed("explorer-bob", suite),
        },
    )
    if st.button(t("tx.new_keys")):
        wallets["alice"], wallets["bob"] = Wallet.generate(suite), Wallet.generate(suite)
        st.session_state.pop(f"tx_signed_{suite}", None)
    alice, bob = wallets["alice"], wallets["bob"]
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('name.alice')}** `{alice.address}`")
        st.caption(t("tx.public_key", key=alice.public_key.hex()[:32] + "…"))
    with right:
        st.markdown(f"**{t('name.bob')}** `{bob.address}`")
    amount = st.number_input(t("tx.amount"), 1, 1000, 25, key="tx_amount")
    if st.button(t("tx.sign"), type="primary"):
        st.session_state[f"tx_signed_{suite}"] = alice.transfer(CHAIN_ID, bob.address, int(amount), 0, fee=1)
        st.session_state.pop(f"tx_replay_{suite}", None)
    signed: Transaction | None = st.session_state.get(f"tx_signed_{suite}")
    if signed is None:
        st.info(t("tx.sign_first"))
        return
    st.code(json.dumps(signed.to_json(), indent=1), language="json")
    st.subheader(t("tx.tamper_title"))
    forged_amount = st.number_input(t("tx.tamper_amount"), 1, 1_000_000, signed.amount, key="tx_forged")
    candidate = dataclasses.replace(signed, amount=int(forged_amount))
    genesis = genesis_for(suite, alice)
    try:
        validate_transaction(candidate, genesis)
        verdict(True, t("tx.valid", amount=candidate.amount), "")
    except MinichainError as error:
        verdict(False, "", refusal(error))
    st.subheader(t("tx.replay_title"))
    st.write(t("tx.replay_intro"))
    if st.button(t("tx.replay")):
        st.session_state[f"tx_replay_{suite}"] = replay(signed, genesis)
    result: Replay | None = st.session_state.get(f"tx_replay_{suite}")
    if result is not None:
        show_replay(result)


if __name__ == "__main__":  # run as a page by st.navigation
    render()
