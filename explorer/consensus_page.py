"""Page 6: proof of work and proof of authority side by side, on the same kind of network:
block times, forks, reorgs (how final is a block?) and throughput."""

from __future__ import annotations

import streamlit as st

from explorer import netsim
from explorer.i18n import t


@st.cache_data(show_spinner=False, max_entries=32)
def figures(consensus: str, seconds: int, seed: int) -> netsim.ConsensusFigures:
    """Deterministic for its arguments, so every visitor can share the result."""
    return netsim.measure(netsim.network(4, consensus, seed), seconds)


def render() -> None:
    st.title(t("consensus.title"))
    st.write(t("consensus.intro"))
    seconds = st.slider(t("consensus.seconds"), 20, 120, 40, step=10, key="consensus_seconds")
    seed = st.number_input(t("net.seed"), 0, 10_000, 1, key="consensus_seed")
    columns = st.columns(2)
    for column, kind in zip(columns, ("pow", "poa"), strict=True):
        result = figures(kind, seconds, int(seed))
        with column:
            st.subheader(t(f"consensus.{kind}"))
            st.metric(t("consensus.blocks"), result.blocks)
            st.metric(
                t("consensus.interval"),
                t("unit.seconds", value=result.mean_interval_s),
                help=t("consensus.stdev", stdev=result.stdev_interval_s),
            )
            st.metric(t("consensus.forks"), result.side_blocks)
            st.metric(t("consensus.reorgs"), f"{result.reorgs} / {result.deepest_reorg}")
            st.metric(t("consensus.throughput"), t("unit.tps", value=result.txs_per_s))
    st.info(t("consensus.lesson"))


if __name__ == "__main__":  # run as a page by st.navigation
    render()
