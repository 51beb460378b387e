"""Page 5: an in-memory network of 3-8 nodes in virtual time: produce blocks, add latency,
partition and heal, and watch the fork tree, each node's tip and the messages between them."""

from __future__ import annotations

import streamlit as st

from explorer import netsim
from explorer.common import session, show_svg
from explorer.i18n import t
from minichain import viz
from minichain.errors import MinichainError
from minichain.net.memory import MemoryNetwork


def fresh_network(nodes: int, consensus: str, seed: int) -> MemoryNetwork:
    """A new network with a few seconds of history, so there is a chain to look at."""
    net = netsim.network(nodes, consensus, seed)
    net.run_for(6.0)
    return net


def render() -> None:
    st.title(t("net.title"))
    st.write(t("net.intro"))
    left, middle, right = st.columns(3)
    nodes = left.slider(t("net.nodes"), 3, 8, 4, key="net_nodes")
    consensus = middle.radio(
        t("net.consensus"),
        ["poa", "pow"],
        key="net_consensus",
        horizontal=True,
        format_func=lambda c: t(f"consensus.{c}"),
    )
    seed = right.number_input(t("net.seed"), 0, 10_000, 1, key="net_seed")
    latency = st.slider(t("net.latency"), 0.01, 2.0, (0.05, 0.3), key="net_latency")
    params = (nodes, consensus, seed)
    if st.session_state.get("net_params") != params:
        st.session_state["net"] = fresh_network(nodes, consensus, int(seed))
        st.session_state["net_params"] = params
    net: MemoryNetwork = session("net", lambda: fresh_network(nodes, consensus, int(seed)))
    net.latency = latency
    buttons = st.columns(5)
    if buttons[0].button(t("net.run"), type="primary"):
        net.run_for(2.0)
    if buttons[1].button(t("net.send")):
        try:
            net.submit(0, netsim.next_transfer(net))
        except MinichainError as error:
            st.error(f"[{error.rule}] {error}")
        net.run_for(0.5)
    half = (
        [core.node_id for core in net.cores[: nodes // 2]],
        [core.node_id for core in net.cores[nodes // 2 :]],
    )
    if buttons[2].button(t("net.partition")):
        net.partition([half[0], half[1]])
        st.session_state["net_partitioned"] = True
    if buttons[3].button(t("net.heal")):
        net.heal()
        st.session_state["net_partitioned"] = False
        net.run_for(0.5)
    if buttons[4].button(t("net.reset")):
        st.session_state["net"] = net = fresh_network(nodes, consensus, int(seed))
        st.session_state["net_partitioned"] = False
    if st.session_state.get("net_partitioned"):
        st.warning(t("net.partitioned", a=", ".join(half[0]), b=", ".join(half[1])))
    st.caption(t("net.clock", seconds=net.elapsed))
    tips = {core.node_id: core.chain.tip_hash for core in net.cores}
    converged = len(set(tips.values())) == 1
    (st.success if converged else st.warning)(
        t("net.converged" if converged else "net.diverged", count=len(set(tips.values())))
    )
    best = max(net.cores, key=lambda c: (c.chain.tip_weight, c.chain.tip_hash)).chain.tip_hash
    show_svg(viz.fork_tree_svg(netsim.tree_blocks(net), tips, best=best), t("net.tree_caption"))
    st.dataframe(
        [
            {
                t("net.col_node"): c.node_id,
                t("net.col_height"): c.chain.height,
                t("net.col_tip"): c.chain.tip_hash.hex()[:12],
                t("net.col_peers"): len(c.peers),
                t("net.col_mempool"): len(c.mempool),
            }
            for c in net.cores
        ],
        hide_index=True,
    )
    st.subheader(t("net.timeline"))
    show_svg(
        viz.timeline_svg(
            net.log, [c.node_id for c in net.cores], start=max(0.0, net.elapsed - 3.0), max_messages=300
        )
    )
    events = []
    for event in reversed(net.log):  # newest first; stop once there are enough
        if event.kind in ("produced", "reorg", "fork", "misbehaviour"):
            events.append(event)
            if len(events) == 8:
                break
    for event in events:
        st.text(f"{event.time:8.2f} s  {event.source:6}  {event.kind:9}  {event.message}")


if __name__ == "__main__":  # run as a page by st.navigation
    render()
