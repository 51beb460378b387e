"""Page 3: make wallets, sign a transfer, tamper with it, and watch the signature check fail with
the rule it breaks; send the same transfer twice and watch the nonce stop the replay."""

from __future__ import annotations

import dataclasses
import json

import streamlit as st

from explorer.common import session, verdict
from explorer.i18n import t
from minichain.chain import Chain
from minichain.crypto import SUITES
from minichain.errors import MinichainError
from minichain.genesis import Genesis, PowParams
from minichain.mempool import Mempool
from minichain.transactions import Transaction
from minichain.validation import validate_transaction
from minichain.wallet import Wallet

CHAIN_ID = "explorer-demo"


def genesis_for(suite: str, alice: Wallet) -> Genesis:
    return Genesis(CHAIN_ID, PowParams(difficulty_bits=8), ((alice.address, 1000),), suite=suite)


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
        st.markdown(f"**Alice** `{alice.address}`")
        st.caption(t("tx.public_key", key=alice.public_key.hex()[:32] + "…"))
    with right:
        st.markdown(f"**Bob** `{bob.address}`")
    amount = st.number_input(t("tx.amount"), 1, 1000, 25, key="tx_amount")
    if st.button(t("tx.sign"), type="primary"):
        st.session_state[f"tx_signed_{suite}"] = alice.transfer(CHAIN_ID, bob.address, int(amount), 0, fee=1)
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
        verdict(False, "", t("tx.invalid", rule=error.rule, detail=str(error)))
    st.subheader(t("tx.replay_title"))
    if st.button(t("tx.replay")):
        pool = Mempool(genesis)
        chain = Chain(genesis)
        outcomes = []
        for attempt in (1, 2):
            try:
                pool.add(signed, chain.state)
                outcomes.append(t("tx.replay_ok", attempt=attempt))
            except MinichainError as error:
                outcomes.append(t("tx.replay_refused", attempt=attempt, rule=error.rule, detail=str(error)))
        st.session_state["tx_replay"] = outcomes
    for line in st.session_state.get("tx_replay", []):
        st.write(line)


if __name__ == "__main__":  # run as a page by st.navigation
    render()
