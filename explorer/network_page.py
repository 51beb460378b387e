"""Page 5: an in-memory network of 3-8 nodes in virtual time: produce blocks, add latency,
partition and heal, and watch the fork tree, each node's tip and the messages between them.
Heal runs the network until the nodes agree again, so the picture the room sees converges."""

from __future__ import annotations

import re

import streamlit as st

from explorer import netsim, presenter
from explorer.common import refusal, session, show_svg, table
from explorer.i18n import language, node_name, picture_words, t
from minichain import MemoryNetwork, MinichainError, NetEvent, viz

HEAL_LIMIT = 30.0  # seconds of network time a healed network gets to agree again
SHOWN_EVENTS = ("produced", "reorg", "fork", "misbehaviour")

# The node core's event details (minichain/node/core.py), read back into their facts.
EVENT_PATTERNS = {
    "produced": re.compile(r"block (?P<height>\d+) (?P<hash>[0-9a-f]+) with (?P<count>\d+) txs"),
    "reorg": re.compile(
        r"to height (?P<height>\d+) (?P<hash>[0-9a-f]+): -(?P<undone>\d+) \+(?P<added>\d+) blocks"),
    "fork": re.compile(r"side block (?P<hash>[0-9a-f]+)"),
    "misbehaviour": re.compile(r"(?P<peer>\S+) \+\d+ \(score (?P<score>\d+)\): (?P<reason>.*)"),
}
RULE_IN_REASON = re.compile(r"\[([a-z0-9-]+)\]")  # "invalid block [block-merkle-root]: ..."


def describe(event: NetEvent) -> str:
    """A node event in the session's language (English: the core's own words when not recognised)."""
    match = EVENT_PATTERNS.get(event.kind, re.compile("(?!)")).fullmatch(event.message)
    if match is None:
        return event.message if language() == "en" else t("event.unknown")
    facts = match.groupdict()
    if event.kind != "misbehaviour":
        return t(f"event.{event.kind}", **facts)
    peer, score, reason = node_name(facts["peer"]), facts["score"], facts["reason"]
    found = RULE_IN_REASON.search(reason)
    if found:
        return t("event.misbehaviour", peer=peer, rule=found.group(1), score=score)
    if reason.startswith("malformed message"):
        return t("event.misbehaviour", peer=peer, rule="encoding", score=score)
    if reason.startswith("sync request timed out"):
        return t("event.sync_timeout", peer=peer, score=score)
    return t("event.misbehaved", peer=peer, score=score)


def fresh_network(nodes: int, consensus: str, seed: int) -> MemoryNetwork:
    """A new network with a few seconds of history, so there is a chain to look at."""
    net = netsim.network(nodes, consensus, seed)
    net.run_for(6.0)
    return net


def render() -> None:
    st.title(t("net.title"))
    st.write(t("net.intro"))
    # The settings are drawn at the bottom (the picture comes first on a projector); their values
    # from the last run are in session_state already.
    nodes = int(st.session_state.get("net_nodes", 4))
    consensus = str(st.session_state.get("net_consensus", "poa"))
    seed = int(st.session_state.get("net_seed", 1))
    params = (nodes, consensus, seed)
    if st.session_state.get("net_params") != params:
        st.session_state["net"] = fresh_network(nodes, consensus, seed)
        st.session_state["net_params"] = params
        st.session_state["net_partitioned"] = False
    net: MemoryNetwork = session("net", lambda: fresh_network(nodes, consensus, seed))
    net.latency = st.session_state.get("net_latency", (0.05, 0.3))
    half = (
        [core.node_id for core in net.cores[: nodes // 2]],
        [core.node_id for core in net.cores[nodes // 2 :]],
    )
    with st.container(horizontal=True):
        run = st.button(t("net.run"), type="primary")
        send = st.button(t("net.send"))
        cut = st.button(t("net.partition"))
        heal = st.button(t("net.heal"))
        reset = st.button(t("net.reset"))
    if run or send or cut or reset:
        st.session_state.pop("net_healed", None)  # the heal's message is about the heal only
    if run:
        net.run_for(2.0)
    if send:
        try:
            net.submit(0, netsim.next_transfer(net))
        except MinichainError as error:
            st.error(refusal(error))
        net.run_for(0.5)
    if cut:
        net.partition([half[0], half[1]])
        st.session_state["net_partitioned"] = True
    if heal:
        net.heal()
        st.session_state["net_partitioned"] = False
        st.session_state["net_healed"] = netsim.run_until_converged(net, HEAL_LIMIT)
    if reset:
        st.session_state["net"] = net = fresh_network(nodes, consensus, seed)
        st.session_state["net_partitioned"] = False
    tips = {node_name(core.node_id): core.chain.tip_hash for core in net.cores}
    count = len(set(tips.values()))
    if st.session_state.get("net_partitioned"):
        names = [", ".join(node_name(n) for n in group) for group in half]
        st.warning(t("net.partitioned", a=names[0], b=names[1]))
    if "net_healed" in st.session_state:
        seconds = st.session_state["net_healed"]
        if seconds is not None and count == 1:
            st.success(t("net.healed", seconds=seconds))
        else:
            st.warning(t("net.heal_pending", count=count))
    else:
        (st.success if count == 1 else st.warning)(
            t("net.converged" if count == 1 else "net.diverged", count=count))
    st.caption(t("net.clock", seconds=net.elapsed))
    best = max(net.cores, key=lambda c: (c.chain.tip_weight, c.chain.tip_hash)).chain.tip_hash
    canvas, words = presenter.canvas(), picture_words()
    show_svg(viz.fork_tree_svg(netsim.tree_blocks(net), tips, best=best, words=words, canvas=canvas),
             t("net.tree_caption"))
    table(
        [
            {
                t("net.col_node"): node_name(c.node_id),
                t("net.col_height"): c.chain.height,
                t("net.col_tip"): c.chain.tip_hash.hex()[:12],
                t("net.col_peers"): len(c.peers),
                t("net.col_mempool"): len(c.mempool),
            }
            for c in net.cores
        ],
        code=[t("net.col_tip")],
    )
    st.subheader(t("net.timeline"))
    ids = [c.node_id for c in net.cores]
    show_svg(
        viz.timeline_svg(net.log, ids, start=max(0.0, net.elapsed - 3.0), max_messages=300, words=words,
                         canvas=canvas, names={node: node_name(node) for node in ids})
    )
    events = []
    for event in reversed(net.log):  # newest first; stop once there are enough
        if event.kind in SHOWN_EVENTS:
            events.append(event)
            if len(events) == 8:
                break
    st.subheader(t("net.events"))
    table(
        [
            {
                t("net.col_time"): t("unit.seconds", value=event.time),
                t("net.col_node"): node_name(event.source),
                t("net.col_event"): describe(event),
            }
            for event in events
        ]
    )
    with st.expander(t("net.settings")):
        left, middle, right = st.columns(3)
        left.slider(t("net.nodes"), 3, 8, 4, key="net_nodes")
        middle.radio(t("net.consensus"), ["poa", "pow"], key="net_consensus", horizontal=True,
                     format_func=lambda c: t(f"consensus.{c}"))
        right.number_input(t("net.seed"), 0, 10_000, 1, key="net_seed")
        st.slider(t("net.latency"), 0.01, 2.0, (0.05, 0.3), key="net_latency")


if __name__ == "__main__":  # run as a page by st.navigation
    render()
