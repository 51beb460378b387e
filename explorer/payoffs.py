"""What each stage step shows, as data: pictures and verdicts drawn for one language and one
canvas. The presenter's page draws them for the projector; the same function draws them once for
every phone following on the audience page (explorer.broadcast), so both say the same thing."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from explorer import bft, blocks_page, contracts_view, netsim, pictures
from explorer.coinbase import REWARD, Ledger
from explorer.common import Part, plain, refusal_in, table_html
from explorer.i18n import PEOPLE_KEYS, node_name, picture_words, say, template
from explorer.peers import PEERS, Peers, views
from explorer.scenarios import Note, Show, Signing
from minichain import MemoryNetwork, Wallet, sm3, viz

HASHES = (("SHA-256", lambda data: hashlib.sha256(data).digest()), ("SM3", sm3))


def payoff(show: Show, lang: str, canvas: viz.Canvas | None, blocks: int = blocks_page.BLOCKS) -> list[Part]:
    """Everything the current step shows, in `lang`, pictures on `canvas` (None: natural size) with
    at most `blocks` blocks in a row (fewer on a phone)."""
    stage, parts = show.stage, []
    if stage.hash_texts is not None:
        parts += _hashes(*stage.hash_texts, lang, canvas)
    if stage.chain is not None:
        parts += _chain(stage.chain, lang, canvas, blocks)
    if stage.peers is not None:
        parts += peers_parts(stage.peers, lang, canvas, blocks)
    if stage.signing is not None:
        parts += signing_parts(stage.signing, lang, STAGE_HEX)
    if stage.ledger is not None:
        parts += ledger_parts(stage.ledger, lang, canvas, blocks - 1)
        if stage.refused is not None:
            parts.append(Part("error", refusal_in(lang, stage.refused)))
    if stage.net is not None:
        parts += _network(show, stage.net, lang, canvas)
    if stage.bft is not None:
        parts += bft_parts(stage.bft, lang, canvas)
    if stage.contracts is not None and stage.contracts.history:
        parts += contracts_view.stage_parts(stage.contracts.history[-1], lang)
    return parts


def bft_parts(shown: bft.Shown, lang: str, canvas: viz.Canvas | None) -> list[Part]:
    """The round so far, then, once every step is shown, the scene's outcome."""
    scene = shown.scene
    parts = [Part("svg", bft.picture(scene, shown.steps, lang, bft.stage_canvas(canvas), stage=True))]
    if shown.steps == len(scene.steps):
        kind, said = bft.verdict(scene, lang)
        parts.append(Part(kind, said))
    return parts


def _hashes(before: str, after: str, lang: str, canvas: viz.Canvas | None) -> list[Part]:
    parts = []
    for name, function in HASHES:
        then, now = function(before.encode()), function(after.encode())
        parts.append(Part("text", f"**{name}**（“{plain(after)}”） `{now.hex()}`" if lang == "zh"
                          else f"**{name}** of “{plain(after)}”: `{now.hex()}`"))
        columns = 32 if canvas is None else 64
        parts.append(Part("svg", viz.avalanche_svg(then, now, columns=columns, title=name,
                                                   words=picture_words(lang), canvas=canvas)))
    return parts


def _chain(chain: blocks_page.EditableChain, lang: str, canvas: viz.Canvas | None, blocks: int) -> list[Part]:
    picture, _ = blocks_page.chain_picture(chain, canvas, picture_words(lang), blocks)
    error = blocks_page.full_check(chain)
    if error is None:
        return [Part("svg", picture), Part("success", say(lang, "blocks.full_ok"))]
    return [Part("svg", picture), Part("error", refusal_in(lang, error, "blocks.full_bad"))]


def peer_words(lang: str) -> dict[str, str]:
    """The picture's words; "name.A" ... are the peers' names (甲乙丙 on a Chinese page)."""
    words = {name: say(lang, f"peers.{name}") for name in ("title", "majority", "minority", "broken")}
    names = {f"name.{peer}": say(lang, f"peers.name.{peer}") for peer in PEERS}
    return {**words, **names, "peer": template(lang, "peers.peer")}  # filled per peer by the picture


def peers_parts(peers: Peers, lang: str, canvas: viz.Canvas | None, blocks: int = 6) -> list[Part]:
    """The peers side by side (the last `blocks` blocks), then who agrees with whom."""
    seen = views(peers, picture_words(lang))
    words = peer_words(lang)
    parts = [Part("svg", pictures.peers_svg(seen, words, canvas, shown=blocks + 1))]
    broken = [view for view in seen if not view.valid]
    minority = [view for view in seen if view.valid and not view.with_majority]
    majority = [words[f"name.{view.name}"] for view in seen if view.with_majority and view.valid]
    if broken:
        first = min(box.height for box in broken[0].boxes if not (box.valid and box.linked))
        peer = words[f"name.{broken[0].name}"]
        parts.append(Part("error", say(lang, "peers.verdict_broken", peer=peer, height=first)))
    elif minority:
        joined = "、".join(majority) if lang == "zh" else " and ".join(majority)
        parts.append(Part("warning", say(lang, "peers.verdict_minority", majority=joined, count=len(majority),
                                         total=len(seen), peer=words[f"name.{minority[0].name}"],
                                         height=minority[0].first_difference)))
    else:
        parts.append(Part("success", say(lang, "peers.verdict_agree", total=len(seen))))
    return parts


STAGE_HEX = 48  # hex digits of a key or signature on the stage: one line on a 720-line projector


def key_table(wallet: Wallet, lang: str, extra: Sequence[tuple[str, str]] = (),
              cut: int | None = None) -> Part:
    """Suite, private key (its start only), public key, address, then `extra` (catalog key, value);
    with `cut`, long values show their first `cut` characters."""
    what, value = say(lang, "keys.col_what"), say(lang, "keys.col_value")
    items = [("keys.suite", wallet.suite_name), ("keys.private", wallet.private_key.hex()[:16] + "…"),
             ("keys.public", wallet.public_key.hex()), ("keys.address", wallet.address), *extra]
    rows = [{what: say(lang, key), value: text if cut is None or len(text) <= cut else text[:cut] + "…"}
            for key, text in items]
    return Part("table", table_html(rows, code=[value], wrap=[value]))


def signing_parts(signing: Signing, lang: str, cut: int | None = None) -> list[Part]:
    """Whether the signature verifies, then the keys, the signature and the message that arrived."""
    if signing.verifies:
        parts = [Part("success", say(lang, "keys.verified", suite=signing.wallet.suite_name))]
    else:
        parts = [Part("error", say(lang, "keys.not_verified"))]
    extra = [("keys.signature", signing.signature.hex()), ("keys.received", signing.received)]
    return [*parts, key_table(signing.wallet, lang, extra, cut)]


def ledger_parts(ledger: Ledger, lang: str, canvas: viz.Canvas | None, blocks: int = 4) -> list[Part]:
    """The last blocks with their coinbase and transfers, then who holds what and the supply."""
    names = {person: say(lang, key) for person, key in PEOPLE_KEYS.items()}
    boxes = ledger.boxes(template(lang, "coin.coinbase_line"), template(lang, "coin.transfer_line"),
                         names, blocks)
    parts = []
    if boxes:
        title = say(lang, "coin.title")
        parts.append(Part("svg", viz.chain_svg(boxes, title=title, words=picture_words(lang), canvas=canvas)))
    held = "　".join(f"{names[person]} **{balance}**" for person, balance in ledger.balances().items())
    supply = say(lang, "coin.supply", supply=ledger.supply, blocks=ledger.chain.height, reward=REWARD)
    parts.append(Part("info", f"{held}　·　{supply}"))  # who holds what, and why it adds up
    return parts


def say_note(note: Note, lang: str) -> str:
    if note.error is not None:
        return refusal_in(lang, note.error)
    values = dict(note.values)
    if "who" in values:
        values["who"] = say(lang, f"name.{values['who']}")
    if "node" in values:
        values["node"] = node_name(str(values["node"]), lang)
    return say(lang, note.key, **values)


def _network(show: Show, net: MemoryNetwork, lang: str, canvas: viz.Canvas | None) -> list[Part]:
    stage = show.stage
    tips = {node_name(core.node_id, lang): core.chain.tip_hash for core in net.cores}
    best = max(net.cores, key=lambda c: (c.chain.tip_weight, c.chain.tip_hash)).chain.tip_hash
    words = picture_words(lang)
    parts = [Part("svg", viz.fork_tree_svg(netsim.tree_blocks(net), tips, best=best, words=words,
                                          canvas=canvas), say(lang, "net.tree_caption"))]
    if stage.notes:
        parts.append(Part("text", "　".join(say_note(note, lang) for note in stage.notes)))
    count = len(set(tips.values()))
    if show.scenario == "partition":
        if stage.heal_seconds is not None:
            parts.append(Part("success", say(lang, "net.healed", seconds=stage.heal_seconds)))
        else:
            parts.append(Part("success" if count == 1 else "warning",
                              say(lang, "net.converged" if count == 1 else "net.diverged", count=count)))
    if stage.payments and show.finished:
        state = net.cores[0].chain.state
        paid = {payee: state.balance(tx.recipient) for payee, tx in stage.payments.items()}
        winners = [payee for payee, balance in paid.items() if balance]
        if len(winners) == 1:
            (loser,) = set(paid) - set(winners)
            winner = say(lang, f"name.{winners[0]}")
            parts.append(Part("success", say(lang, "stage.one_committed", winner=winner,
                                             loser=say(lang, f"name.{loser}"), bob=paid["bob"],
                                             carol=paid["carol"])))
        else:
            said = say(lang, "stage.none_committed", bob=paid["bob"], carol=paid["carol"])
            parts.append(Part("warning", said))
    return parts
