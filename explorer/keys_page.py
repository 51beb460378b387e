"""Page 3.1: a private key, the public key it gives, the address that gives; sign a message and
verify it, in each of minichain's three suites (Ed25519, secp256k1, SM2). Change one character of
the message that arrives and the signature no longer verifies."""

from __future__ import annotations

import streamlit as st

from explorer import presenter
from explorer.common import draw, session
from explorer.i18n import language, t
from explorer.payoffs import STAGE_HEX, key_table, signing_parts
from explorer.scenarios import Signing
from minichain import SUITES, Wallet

SUITE_NAMES = sorted(SUITES)


def _wallets() -> dict[str, Wallet]:
    return {name: Wallet.from_seed("explorer-keys-alice", name) for name in SUITE_NAMES}


def _suite() -> str:
    return str(st.session_state.get("keys_suite") or "sha256-ed25519")


def _new_key() -> None:
    session("keys_wallets", _wallets)[_suite()] = Wallet.generate(_suite())
    st.session_state.pop("keys_signed", None)


def _sign() -> None:
    wallet = session("keys_wallets", _wallets)[_suite()]
    message = str(st.session_state.get("keys_message", ""))
    st.session_state["keys_signed"] = (wallet.address, message, wallet.suite.sign(wallet.private_key,
                                                                                   message.encode()))
    st.session_state["keys_received"] = message


def render() -> None:
    st.title(t("keys.page_title"))
    st.write(t("keys.intro"))
    if st.session_state.setdefault("keys_lang", language()) != language():
        st.session_state["keys_lang"] = language()  # the sample message follows the language
        st.session_state.pop("keys_message", None)
        st.session_state.pop("keys_signed", None)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.segmented_control(t("tx.suite"), SUITE_NAMES, key="keys_suite", default="sha256-ed25519",
                             on_change=lambda: st.session_state.pop("keys_signed", None))
        st.button(t("keys.new"), on_click=_new_key)
    wallet = session("keys_wallets", _wallets)[_suite()]
    st.session_state.setdefault("keys_message", t("stage.keys_message"))
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.text_input(t("keys.message"), key="keys_message", width=320)
        st.button(t("keys.sign"), type="primary", on_click=_sign)
        signed = st.session_state.get("keys_signed")
        if signed is not None and signed[0] == wallet.address:
            st.text_input(t("keys.received_label"), key="keys_received", width=320)
    cut = STAGE_HEX if presenter.on() else None  # a projector shows keys' first digits, one line each
    with st.container(key="payoff"):
        if signed is None or signed[0] != wallet.address:
            st.info(t("keys.sign_first"))
            draw([key_table(wallet, language(), cut=cut)])
        else:
            received = str(st.session_state.get("keys_received", signed[1]))
            draw(signing_parts(Signing(wallet, signed[1], signed[2], received), language(), cut))
    st.caption(t("keys.address_note", hash=wallet.suite.hash_name.upper().replace("SHA256", "SHA-256")))


if __name__ == "__main__":  # run as a page by st.navigation
    render()
