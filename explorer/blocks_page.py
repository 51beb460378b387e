"""Page 2: a short chain you can edit. An edited block and every block after it turn red;
re-mining repairs the links, and the signature check still shows what was changed."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field

import streamlit as st

from explorer import presenter
from explorer.common import refusal, session, show_svg, verdict
from explorer.i18n import language, picture_words, t
from minichain import (
    Block,
    Chain,
    Genesis,
    MinichainError,
    PowSeal,
    Producer,
    replay,
    transactions_root,
    viz,
)
from minichain.testing import make_genesis, make_wallet, produce_block

BLOCKS = 5
MAX_ATTEMPTS = 3_000_000  # about 1.5 s at the worst: the difficulty slider stops well below
MEMOS = ["rent", "salary", "invoice 42", "coffee", "gift"]  # the page passes them in its language


@dataclass
class EditableChain:
    genesis: Genesis
    blocks: list[Block]
    last_mining: dict[str, float] = field(default_factory=dict)


def build(bits: int, length: int = BLOCKS, memos: list[str] | None = None) -> EditableChain:
    genesis = make_genesis("pow", difficulty_bits=bits, retarget_window=10_000)
    chain = Chain(genesis)
    alice, bob = make_wallet(0), make_wallet(1)
    samples = memos or MEMOS
    for height in range(1, length + 1):
        memo = samples[height % len(samples)]
        tx = alice.transfer(genesis.chain_id, bob.address, 1 + height % 50, height - 1, fee=1, memo=memo)
        produce_block(chain, [tx])
    return EditableChain(genesis, list(chain.main_chain()))


def edit_memo(state: EditableChain, height: int, memo: str) -> None:
    """Change a transaction's memo after it was signed and mined (what a forger would do)."""
    block = state.blocks[height]
    changed = dataclasses.replace(block.transactions[0], memo=memo)
    state.blocks[height] = Block(block.header, (changed, *block.transactions[1:]))


def remine(state: EditableChain, height: int) -> None:
    """Point the block at its parent's current hash, recompute its Merkle root, mine it again."""
    suite_chain = Chain(state.genesis)
    engine = suite_chain.engine
    block = state.blocks[height]
    parent_hash = state.blocks[height - 1].hash(suite_chain.suite)
    header = dataclasses.replace(
        block.header,
        parent_hash=parent_hash,
        merkle_root=transactions_root(block.transactions, suite_chain.suite),
    )
    started = time.perf_counter()
    result = engine.produce(header, Producer(header.beneficiary), MAX_ATTEMPTS)
    seconds = max(time.perf_counter() - started, 1e-6)
    state.last_mining = {"height": height, "attempts": result.attempts, "seconds": seconds}
    if result.header is not None:
        state.blocks[height] = Block(result.header, block.transactions)


def full_check(state: EditableChain) -> MinichainError | None:
    """Every rule a node applies, from genesis: None or the first broken rule."""
    try:
        replay(state.genesis, state.blocks)
    except MinichainError as error:
        return error
    return None


AUTO_CHECK_LIMIT = 50  # replaying every rule on each click stays instant below this many blocks


def chain_picture(state: EditableChain, canvas: viz.Canvas | None = None, words: dict[str, str] | None = None,
                  blocks: int = BLOCKS) -> tuple[str, list[viz.BlockBox]]:
    """The last blocks as the audience sees them, and their boxes, in `words` (a language's picture
    words); on a canvas (a projector's) `blocks` boxes wide (five: room for 6 hash digits in each)."""
    suite = Chain(state.genesis).suite
    shown = BLOCKS + 1 if canvas is None else blocks  # natural size: with the block before, for its link
    boxes = viz.chain_boxes(state.blocks[-shown:], suite, words, hash_chars=10 if canvas is None else 6)
    return viz.chain_svg(boxes, words=words, canvas=canvas), boxes


def render() -> None:
    st.title(t("blocks.title"))
    st.write(t("blocks.intro"))
    bits = st.slider(t("blocks.difficulty"), 4, 18, 12, key="blocks_bits", help=t("blocks.difficulty_help"))
    memos = t("blocks.memos").split("|")
    state = session("blocks_chain", lambda: build(bits, memos=memos))
    # A new difficulty or language builds a new sample chain (its memos are in the page's language).
    if st.session_state.setdefault("blocks_built", (bits, language())) != (bits, language()):
        state = st.session_state["blocks_chain"] = build(bits, memos=memos)
        st.session_state["blocks_built"] = (bits, language())
        _forget_inputs()
    first = max(1, len(state.blocks) - BLOCKS)
    picture, boxes = chain_picture(state, presenter.canvas(), picture_words())
    show_svg(picture)
    broken = [box.height for box in boxes if not (box.valid and box.linked)]
    verdict(not broken, t("blocks.all_valid"), t("blocks.red_from", height=broken[0] if broken else 0))
    heights = list(range(first, len(state.blocks)))
    for height, column in zip(heights, st.columns(len(heights)), strict=True):
        with column:
            block = state.blocks[height]
            st.markdown(f"**#{height}**")
            if block.transactions:
                key = f"memo_{height}"
                st.session_state.setdefault(key, block.transactions[0].memo)
                memo = st.text_input(t("blocks.memo"), key=key)
                if memo != block.transactions[0].memo:
                    edit_memo(state, height, memo)
                    st.rerun()
            else:
                st.caption(t("blocks.no_transactions"))
            if st.button(t("blocks.remine"), key=f"remine_{height}"):
                remine(state, height)
                st.rerun()
            seal = block.header.seal
            if isinstance(seal, PowSeal):
                st.caption(t("blocks.nonce", nonce=seal.nonce))
    if state.last_mining:
        info = state.last_mining
        st.write(
            t(
                "blocks.mined",
                height=int(info["height"]),
                attempts=int(info["attempts"]),
                rate=info["attempts"] / info["seconds"],
                seconds=info["seconds"],
            )
        )
    if len(state.blocks) <= AUTO_CHECK_LIMIT or st.button(t("blocks.check_all")):
        error = full_check(state)
        if error is None:
            st.success(t("blocks.full_ok"))
        else:
            st.warning(refusal(error, "blocks.full_bad"))
    if st.button(t("blocks.reset")):
        st.session_state["blocks_chain"] = build(bits, memos=memos)
        _forget_inputs()
        st.rerun()


def _forget_inputs() -> None:
    for key in [k for k in st.session_state if str(k).startswith("memo_")]:
        del st.session_state[key]


if __name__ == "__main__":  # run as a page by st.navigation
    render()
