"""Page 4: a Merkle tree built from transactions; pick one and see its inclusion proof light up;
see why duplicating the last leaf (CVE-2012-2459) does not give a second tree with the same root."""

from __future__ import annotations

import streamlit as st

from explorer import presenter
from explorer.common import show_svg, verdict
from explorer.i18n import picture_words, t
from minichain import merkle_root, prove, verify_proof, viz
from minichain.testing import make_wallet


def transactions(count: int) -> list[bytes]:
    alice, bob = make_wallet(0), make_wallet(1)
    return [alice.transfer("explorer-demo", bob.address, 10 + i, i).txid for i in range(count)]


def render() -> None:
    st.title(t("merkle.title"))
    st.write(t("merkle.intro"))
    count = st.slider(t("merkle.count"), 1, 16, 7, key="merkle_count")
    leaves = transactions(count)
    pick = st.slider(t("merkle.pick"), 0, count - 1, min(4, count - 1), key="merkle_pick") if count > 1 else 0
    labels = [t("merkle.leaf", index=i) for i in range(count)]
    picture = viz.merkle_svg(leaves, labels, highlight=pick, words=picture_words(), canvas=presenter.canvas())
    show_svg(picture, t("merkle.legend"))
    proof = prove(leaves, pick)
    root = merkle_root(leaves)
    st.write(t("merkle.proof", count=len(proof.siblings), leaves=count))
    for sibling, side in proof.steps():
        st.code(f"{t('merkle.side_' + side)}  {sibling.hex()}", language=None)
    verdict(verify_proof(leaves[pick], proof, root), t("merkle.verified", root=root.hex()[:16]), "")
    wrong = leaves[(pick + 1) % count] if count > 1 else b"\x00" * 32
    if count > 1:
        verdict(not verify_proof(wrong, proof, root), t("merkle.wrong_rejected"), "")
    st.subheader(t("merkle.trap_title"))
    three = leaves[:3] if count >= 3 else transactions(3)
    padded = [*three, three[-1]]
    same = merkle_root(three) == merkle_root(padded)
    st.write(t("merkle.trap", a=merkle_root(three).hex()[:16], b=merkle_root(padded).hex()[:16]))
    verdict(not same, t("merkle.trap_safe"), t("merkle.trap_unsafe"))


if __name__ == "__main__":  # run as a page by st.navigation
    render()
