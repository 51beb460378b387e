"""What a contract action shows, as data (explorer.common.Part), in one language: who did what,
whether every node agrees, each node's result and state root, the events and the storage. The
contracts page draws it; the stage draws the same parts for the projector and the phones.

Everything a contract returns or logs is data from a program someone wrote: it goes through
table cells (escaped) or `plain` (Markdown that renders as text), never as markup."""

from __future__ import annotations

from typing import Any

from explorer.common import Part, plain, refusal_in, table_html
from explorer.contracts_demo import ACCOUNTS, ContractNetwork, Outcome, account_of, readable, samples
from explorer.i18n import node_name, say
from explorer.i18n_contracts import REASONS_ZH
from minichain.contracts import ContractAbi, OutOfGas, Reverted, StorageView, to_hex_address

ROOT_DIGITS = 12  # hex digits of a state root on screen: enough to see that four are equal
SLOT_DIGITS = 10


def names(lang: str) -> dict[str, str]:
    """The accounts as the room calls them (税务局 … on a Chinese page)."""
    return {account: say(lang, f"contracts.who.{account}") for account in ACCOUNTS}


def code_span(text: str, limit: int = 200) -> str:
    """`text` as one Markdown code span: shown as typed, never as markup (no backtick to close it)."""
    flat = " ".join(text.replace("`", "'").split())
    return f"`{flat[:limit]}{'…' if len(flat) > limit else ''}`"


def short(data: bytes, digits: int = ROOT_DIGITS) -> str:
    return "0x" + data.hex()[:digits] + "…"


def call_text(outcome: Outcome, lang: str) -> str:
    """`redeem("INV-2026-0001")`, addresses as account names."""
    shown = ", ".join(_argument(value, lang) for value in outcome.action.args)
    return f"{outcome.action.function.split('(')[0]}({shown})"  # a name or a full signature


def _argument(value: Any, lang: str) -> str:
    if isinstance(value, str) and value.startswith("0x") and len(value) == 66:  # a bytes32: a hash
        return value[:10] + "…"
    text = readable(value, names(lang))
    return f'"{text}"' if isinstance(value, str) and text == value and not value.startswith("0x") else text


def reason(outcome: Outcome, lang: str) -> str:
    """Why the contract refused, in its own words (decoded with its ABI: custom errors too), and in
    Chinese beside them when the sample's reason is known."""
    receipt = outcome.receipt
    assert receipt is not None
    said = ContractAbi(samples()[outcome.action.contract].abi).decode_revert(receipt.output)
    if lang == "zh" and said in REASONS_ZH:
        return f"{plain(REASONS_ZH[said])}（{code_span(said)}）"
    return code_span(said)


def headline(outcome: Outcome, lang: str) -> Part:
    who = names(lang)[outcome.action.who]
    if not outcome.action.function:
        key, values = "contracts.deploys", {"contract": code_span(outcome.action.contract)}
    elif outcome.result is not None or (outcome.refused is None and not outcome.receipts):
        key, values = "contracts.reads", {"call": code_span(call_text(outcome, lang))}
    else:
        key, values = "contracts.calls", {"call": code_span(call_text(outcome, lang))}
    return Part("text", say(lang, key, who=plain(who), height=outcome.height, **values))


def verdict(outcome: Outcome, lang: str) -> list[Part]:
    """Whether the nodes did it, and agree; a refusal with the contract's reason."""
    nodes = len(outcome.roots) or len(outcome.receipts)
    if outcome.refused is not None:
        return [Part("error", refusal_in(lang, outcome.refused))]
    if not outcome.agree:
        return [Part("error", say(lang, "contracts.disagree"))]
    if outcome.result is not None:
        result = ", ".join(readable(value, names(lang)) for value in outcome.result)
        return [Part("info", say(lang, "contracts.view_ok", nodes=nodes, result=code_span(result)))]
    receipt = outcome.receipt
    assert receipt is not None
    root, gas = short(outcome.roots[0]), f"{receipt.gas_used:,}"
    failure = receipt.error()
    if failure is None:
        fee = f"{receipt.fee:,}"
        parts = [Part("success", say(lang, "contracts.ok", nodes=nodes, root=root, gas=gas, fee=fee))]
        if not outcome.action.function and receipt.contract_address is not None:
            parts.append(Part("text", say(lang, "contracts.deployed_at",
                                          address=to_hex_address(receipt.contract_address))))
        return parts
    if isinstance(failure, Reverted):
        return [Part("error", say(lang, "contracts.reverted", nodes=nodes, root=root, gas=gas,
                                  reason=reason(outcome, lang)))]
    detail = say(lang, "contracts.out_of_gas") if isinstance(failure, OutOfGas) else plain(str(failure))
    said = say(lang, "contracts.failed", nodes=nodes, rule=failure.rule, detail=detail, gas=gas)
    return [Part("error", said)]


def nodes_table(outcome: Outcome, lang: str) -> Part | None:
    """One row per node: what it did, the gas, its state root (the four roots must be equal)."""
    if not outcome.receipts:
        return None
    column = {key: say(lang, f"contracts.col_{key}") for key in ("node", "status", "gas", "root")}
    rows = [{column["node"]: node_name(f"node{index + 1}", lang),
             column["status"]: say(lang, "contracts.status_ok" if receipt.succeeded
                                   else "contracts.status_refused"),
             column["gas"]: f"{receipt.gas_used:,}",
             column["root"]: short(root)}
            for index, (receipt, root) in enumerate(zip(outcome.receipts, outcome.roots, strict=True))]
    return Part("table", table_html(rows, code=[column["root"]]))


def events_parts(outcome: Outcome, lang: str) -> list[Part]:
    if not outcome.receipts:
        return []
    if not outcome.events:
        return [Part("text", say(lang, "contracts.no_events"))]
    event, arguments = say(lang, "contracts.col_event"), say(lang, "contracts.col_args")
    who = names(lang)
    rows = [{event: decoded.name,
             arguments: "; ".join(f"{key} = {readable(value, who)}" for key, value in decoded.args.items())}
            for decoded in outcome.events]
    return [Part("text", f"**{say(lang, 'contracts.events')}**"),
            Part("table", table_html(rows, code=[event, arguments], wrap=[arguments]))]


def storage_parts(view: StorageView | None, lang: str) -> list[Part]:
    """The storage slots, named from the compiler's layout; an address value as its account."""
    if view is None or not view.slots:
        return []
    slot, variable, value = (say(lang, f"contracts.col_{key}") for key in ("slot", "variable", "value"))
    rows = []
    for item in view.slots:
        named = item.label and not item.label.startswith("(")  # "(mapping entry or array item)"
        label = item.label if named else say(lang, "contracts.mapping_entry")
        shown = item.text if item.text is not None else _word(item.value, lang)
        slot_text = str(item.slot) if item.slot < 1000 else short(item.slot.to_bytes(32, "big"), SLOT_DIGITS)
        rows.append({slot: slot_text, variable: label, value: shown})
    return [Part("text", f"**{say(lang, 'contracts.storage')}**"),
            Part("table", table_html(rows, code=[slot, variable, value], wrap=[value]))]


def _word(value: int, lang: str) -> str:
    """A 32-byte storage word: an account's name if it is one's address, else the number (long
    ones in hex)."""
    if 0 < value < 2**160:
        account = account_of("0x" + value.to_bytes(20, "big").hex())
        if account is not None:
            return names(lang)[account]
    return f"{value:,}" if value < 10**15 else "0x" + value.to_bytes(32, "big").hex()


def stage_parts(outcome: Outcome, lang: str) -> list[Part]:
    """One action for the projector: who did what, the verdict, the four nodes, the events by name
    (codes, in code spans): no storage table, so that it stays above the fold at 1280x720."""
    parts = [headline(outcome, lang), *verdict(outcome, lang)]
    table = nodes_table(outcome, lang)
    if table is not None:
        parts.append(table)
    if outcome.events:
        names = " ".join(code_span(event.name) for event in outcome.events)
        parts.append(Part("text", f"{say(lang, 'contracts.events')}：{names}" if lang == "zh"
                          else f"{say(lang, 'contracts.events')}: {names}"))
    elif outcome.receipts:
        parts.append(Part("text", say(lang, "contracts.no_events")))
    return parts


def outcome_parts(network: ContractNetwork, outcome: Outcome, lang: str, storage: bool = True) -> list[Part]:
    """Everything one action shows, in `lang`."""
    parts = [headline(outcome, lang), *verdict(outcome, lang)]
    table = nodes_table(outcome, lang)
    if table is not None:
        parts.append(table)
    parts += events_parts(outcome, lang)
    if storage:
        parts += storage_parts(network.storage(outcome.action.contract), lang)
    return parts
