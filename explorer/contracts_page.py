"""Page 8: smart contracts. The capstone's e-invoice registry stepped through its life on four nodes
(deploy, admit an issuer, issue, redeem, redeem again: refused everywhere), then any sample
contract deployed and called with clicks: storage and events change the same way on every node.

The contracts run on real EVMs (explorer.contracts_demo); each browser session has its own network.
Arguments are entered by widgets per ABI type (an address is picked from the accounts, a document
is typed and its hash sent), so an official never types hex; anything else is JSON."""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from explorer import contracts_view
from explorer.common import draw, plain, session
from explorer.contracts_demo import (
    SAMPLES,
    Action,
    ContractNetwork,
    address,
    content_hash,
    invoice_story,
    play,
    samples,
)
from explorer.i18n import language, t
from minichain import MinichainError

STORY = invoice_story()


class Story:
    """Where the guided story is: how many of its steps are done, and the network they built."""

    def __init__(self) -> None:
        self.done = 0
        self.network = ContractNetwork()

    def go(self, target: int) -> None:
        """Replay to `target` steps (deterministic: going back shows exactly what was shown)."""
        target = max(0, min(len(STORY), target))
        self.network.close()
        self.network, self.done = play(STORY[:target]), target


def _story(story: Story) -> None:
    lang = language()
    st.write(t("contracts.story_intro"))
    with st.container(horizontal=True, vertical_alignment="center"):
        st.button(t("contracts.back"), key="contracts_back", disabled=story.done == 0,
                  on_click=story.go, args=(story.done - 1,))
        st.button(t("contracts.next"), key="contracts_next", type="primary",
                  disabled=story.done == len(STORY), on_click=story.go, args=(story.done + 1,))
        st.button(t("contracts.restart"), key="contracts_restart", on_click=story.go, args=(0,))
        st.progress(story.done / len(STORY), text=t("contracts.progress", done=story.done, total=len(STORY)))
    if story.done == 0:
        st.info(t("contracts.start_hint"))
        return
    st.markdown(f"### {story.done}. {t(f'contracts.story.{story.done}')}")
    draw(contracts_view.outcome_parts(story.network, story.network.history[-1], lang))
    if story.done == len(STORY):
        st.success(t("contracts.story_end"))


def _choose(label: str, choices: dict[str, str], key: str, index: int = 0) -> str:
    """A select box over `choices` (value -> what the room reads) that returns the value. The
    shown words are the options themselves, keyed by language: a select box's format_func is not
    replayed by AppTest in the session's language, and a language switch must not keep old words."""
    shown = st.selectbox(label, list(choices.values()), index=index, key=f"{key}_{language()}")
    return next(value for value, words in choices.items() if words == shown)


def _arguments(inputs: list[dict[str, Any]], key: str) -> list[Any] | None:
    """One widget per ABI input; None (after saying why) when a JSON field does not parse."""
    who = contracts_view.names(language())
    values: list[Any] = []
    for index, param in enumerate(inputs):
        name, kind = param.get("name") or f"#{index + 1}", str(param.get("type", ""))
        widget = f"{key}_{index}_{kind}"
        if kind == "address":
            account = _choose(t("contracts.arg_account", name=name), who, widget, index=2)
            values.append(address(account))
        elif kind.startswith("uint") or kind.startswith("int"):
            values.append(int(st.number_input(t("contracts.arg_number", name=name), min_value=0, value=1,
                                              step=1, key=widget)))
        elif kind == "string":
            default = t("contracts.default_name") if name == "name_" else (
                t("contracts.default_symbol") if name == "symbol_" else t("contracts.default_number"))
            values.append(st.text_input(t("contracts.arg_text", name=name), default, max_chars=200,
                                        key=widget))
        elif kind == "bytes32":
            text = st.text_input(t("contracts.arg_document", name=name), t("contracts.default_document"),
                                 max_chars=2000, key=widget)
            values.append(content_hash(text))
        elif kind == "bool":
            values.append(st.checkbox(t("contracts.arg_flag", name=name), key=widget))
        elif kind == "string[]":
            text = st.text_area(t("contracts.arg_list", name=name), t("contracts.default_proposals"),
                                max_chars=2000, key=widget)
            values.append([line.strip() for line in text.splitlines() if line.strip()])
        else:
            raw = st.text_input(t("contracts.arg_json", name=name, type=kind), "", max_chars=2000, key=widget)
            try:
                values.append(json.loads(raw))
            except ValueError as error:
                st.error(t("contracts.bad_json", name=plain(name), detail=plain(str(error))))
                return None
    return values


def _try(network: ContractNetwork) -> None:
    lang = language()
    who = contracts_view.names(lang)
    left, right = st.columns([2, 3])
    with left:
        contract = _choose(t("contracts.pick"), {name: t(f"contracts.sample.{name}") for name in SAMPLES},
                           "contracts_pick")
        sender = _choose(t("contracts.sender"), who, "contracts_sender")
        abi = samples()[contract].abi
        if contract not in network.deployed:
            st.caption(t("contracts.not_deployed", contract=contract))
            constructor = next((entry for entry in abi if entry.get("type") == "constructor"), {"inputs": []})
            args = _arguments(list(constructor.get("inputs", [])), f"contracts_new_{contract}")
            if st.button(t("contracts.deploy", contract=contract), type="primary", disabled=args is None):
                network.send(Action(sender, contract, "", tuple(args or ())))
                st.rerun()  # draw the deployed contract's functions at once
        else:
            functions = [entry for entry in abi if entry.get("type") == "function"]
            labels = {_signature(entry): entry for entry in functions}
            shown = {label: _label(entry) for label, entry in labels.items()}
            chosen = _choose(t("contracts.function"), shown, f"contracts_fn_{contract}")
            entry = labels[chosen]
            args = _arguments(list(entry.get("inputs", [])), f"contracts_args_{contract}_{chosen}")
            read_only = entry.get("stateMutability") in ("view", "pure")
            if st.button(t("contracts.read" if read_only else "contracts.send"), type="primary",
                         disabled=args is None):
                network.send(Action(sender, contract, chosen, tuple(args or ())))
        st.button(t("contracts.reset"), key="contracts_reset", on_click=_reset)
    with right:
        if network.history:
            last = network.history[-1]
            draw(contracts_view.outcome_parts(network, last, lang))
            with st.expander(t("contracts.history", count=len(network.history))):
                for outcome in reversed(network.history):
                    draw([contracts_view.headline(outcome, lang), *contracts_view.verdict(outcome, lang)])


def _signature(entry: dict[str, Any]) -> str:
    types = ",".join(str(item.get("type", "")) for item in entry.get("inputs", []))
    return f"{entry.get('name', '')}({types})"


def _label(entry: dict[str, Any]) -> str:
    signature = _signature(entry)
    return t("contracts.view_mark", signature=signature) if entry.get("stateMutability") in ("view", "pure") \
        else signature


def _reset() -> None:
    session("contracts_network", ContractNetwork).close()
    st.session_state["contracts_network"] = ContractNetwork()


def render() -> None:
    st.title(t("contracts.title"))
    st.write(t("contracts.intro"))
    try:
        samples()
    except MinichainError as error:  # no Node.js or solc-js here: say so, in words
        st.error(t("contracts.no_compiler", detail=plain(str(error))))
        return
    story_tab, try_tab = st.tabs([t("contracts.tab_story"), t("contracts.tab_try")])
    with story_tab:
        _story(session("contracts_story", Story))
    with try_tab:
        _try(session("contracts_network", ContractNetwork))


if __name__ == "__main__":  # run as a page by st.navigation
    render()
