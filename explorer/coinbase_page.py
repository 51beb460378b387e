"""Page 3.2: where coins come from. Mine blocks as Alice, Bob or Carol (each pays its miner the
reward and the fees), send transfers between them, and watch the supply: reward x blocks, always;
a transfer of coins one does not hold is refused with its rule (explorer.coinbase)."""

from __future__ import annotations

import streamlit as st

from explorer import presenter
from explorer.coinbase import PEOPLE, REWARD, Ledger
from explorer.common import draw, refusal, session
from explorer.i18n import PEOPLE_KEYS, language, t
from explorer.payoffs import ledger_parts
from minichain import MinichainError


def _name(person: str) -> str:
    return t(PEOPLE_KEYS[person])


def _mine() -> None:
    ledger = session("coin_ledger", Ledger.fresh)
    miner = st.session_state.get("coin_miner") or "bob"
    fees = sum(tx.fee for tx in ledger.pending())
    ledger.mine(miner)
    st.session_state["coin_said"] = ("success", "coin.mined", {"miner": miner, "height": ledger.chain.height,
                                                                "reward": REWARD, "fees": fees})


def _send() -> None:
    ledger = session("coin_ledger", Ledger.fresh)
    sender, recipient = st.session_state.get("coin_from") or "bob", st.session_state.get("coin_to") or "carol"
    amount = int(st.session_state.get("coin_amount", 20))
    try:
        ledger.send(sender, recipient, amount)
        st.session_state["coin_said"] = ("info", "coin.sent", {"sender": sender, "recipient": recipient,
                                                               "amount": amount})
    except MinichainError as error:
        st.session_state["coin_said"] = ("error", "", {"error": error})


def _reset() -> None:
    st.session_state["coin_ledger"] = Ledger.fresh()
    st.session_state.pop("coin_said", None)


def _said() -> None:
    said = st.session_state.get("coin_said")
    if said is None:
        return
    kind, key, values = said
    if kind == "error":
        st.error(refusal(values["error"]))
        return
    named = {k: _name(v) if k in ("miner", "sender", "recipient") else v for k, v in values.items()}
    getattr(st, kind)(t(key, **named))


def render() -> None:
    st.title(t("coin.page_title"))
    st.write(t("coin.intro"))
    ledger = session("coin_ledger", Ledger.fresh)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.segmented_control(t("coin.miner"), PEOPLE, key="coin_miner", default="bob", format_func=_name)
        st.button(t("coin.mine"), type="primary", on_click=_mine)
        st.selectbox(t("coin.from"), PEOPLE, key="coin_from", index=1, format_func=_name, width=150)
        st.selectbox(t("coin.to"), PEOPLE, key="coin_to", index=2, format_func=_name, width=150)
        st.number_input(t("tx.amount"), 1, 1_000_000, 20, key="coin_amount", width=150)
        st.button(t("coin.send"), on_click=_send)
        st.button(t("coin.reset"), on_click=_reset)
    with st.container(key="payoff"):
        _said()
        if ledger.chain.height == 0:
            st.info(t("coin.empty"))
        else:
            draw(ledger_parts(ledger, language(), presenter.canvas()))


if __name__ == "__main__":  # run as a page by st.navigation
    render()
