"""Write the source notebooks of labs 05-08 (mining, network, attacks, consortium).

Each lab gets two notebooks in labs/source/labNN_topic/: explore.ipynb (officials: widgets and
questions answered by setting a variable) and build.ipynb (enterprise staff: stubs with numbered
steps, a visible test, and hidden tests in their own cells that hand the learner's output to the
real minichain validators). The notebooks are written without outputs and with fixed cell ids, so
running this script twice gives the same bytes:

    python labs/tools/make_labs_05_08.py            # all four labs
    python labs/tools/make_labs_05_08.py lab06      # one lab
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import nbformat

SOURCE = Path(__file__).resolve().parent.parent / "source"


# --- cells --------------------------------------------------------------------------------------


class Notebook:
    """Cells in order; every nbgrader cell gets a grade_id unique in the notebook."""

    def __init__(self, lab: str, name: str) -> None:
        self.lab, self.name = lab, name
        self.cells: list[nbformat.NotebookNode] = []
        self.ids: set[str] = set()

    def _add(self, cell: nbformat.NotebookNode, grade_id: str | None = None, **nbgrader: object) -> None:
        cell.id = f"{self.name}-{len(self.cells):02d}"
        if grade_id is not None:
            if grade_id in self.ids:
                raise ValueError(f"{self.lab}/{self.name}: grade_id {grade_id} used twice")
            self.ids.add(grade_id)
            meta = {"grade": False, "grade_id": grade_id, "locked": False, "schema_version": 3,
                    "solution": False, "task": False}
            meta.update(nbgrader)
            cell.metadata["nbgrader"] = meta
            if meta["locked"]:
                cell.metadata["deletable"] = False
                cell.metadata["editable"] = False
        self.cells.append(cell)

    def md(self, text: str) -> None:
        self._add(nbformat.v4.new_markdown_cell(_clean(text)))

    def code(self, source: str) -> None:
        """Plain code the learner runs (and may change)."""
        self._add(nbformat.v4.new_code_cell(_clean(source)))

    def setup(self, grade_id: str, *sources: str, fold: bool = False) -> None:
        """Read-only code (parts joined by blank lines): restored from the source when grading.
        `fold` collapses its source in JupyterLab, so an official sees the panel, not the code."""
        cell = nbformat.v4.new_code_cell("\n\n\n".join(_clean(source) for source in sources))
        if fold:
            cell.metadata["jupyter"] = {"source_hidden": True}
        self._add(cell, grade_id, locked=True)

    def answer(self, grade_id: str, source: str) -> None:
        """The learner's cell: the solution region becomes a stub in the release."""
        self._add(nbformat.v4.new_code_cell(_clean(source)), grade_id, solution=True)

    def test(self, grade_id: str, points: int, source: str) -> None:
        """A visible autograded test (0 points: a form check of an explore answer)."""
        self._add(nbformat.v4.new_code_cell(_clean(source)), grade_id, grade=True, locked=True,
                  points=points)

    def hidden(self, grade_id: str, points: int, note: str, source: str) -> None:
        """An autograded test whose body the release leaves out; only `note` stays visible."""
        body = f"# {note}\n### BEGIN HIDDEN TESTS\n{_clean(source)}\n### END HIDDEN TESTS"
        self._add(nbformat.v4.new_code_cell(body), grade_id, grade=True, locked=True, points=points)

    def question(self, key: str, variable: str, value: str, example: str, form: str, points: int,
                 check: str) -> None:
        """An explore question: the answer line, a visible form check (0 points), a hidden check."""
        self.answer(f"{key}_answer", answer_cell(variable, value, example))
        self.test(f"{key}_form", 0, form)
        self.hidden(f"{key}_check", points, "Marked when you hand the lab in.", check)

    def written(self, grade_id: str, points: int, model_answer: str) -> None:
        """A short written answer, graded by hand; the release shows "YOUR ANSWER HERE"."""
        self._add(nbformat.v4.new_markdown_cell(_clean(model_answer)), grade_id, grade=True,
                  solution=True, points=points)

    def write(self) -> Path:
        notebook = nbformat.v4.new_notebook()
        notebook.cells = self.cells
        notebook.metadata = {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python", "version": "3.11"},
        }
        nbformat.validate(notebook)
        path = SOURCE / self.lab / f"{self.name}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")
        return path


def _clean(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


def answer_cell(variable: str, value: str, example: str) -> str:
    """An explore-track answer: one variable, set by hand."""
    return f"""
        # Replace the two lines below with your answer, for example:   {variable} = {example}
        ### BEGIN SOLUTION
        {variable} = {value}
        ### END SOLUTION
        """


HOW_TO_ANSWER = """
    **How this notebook works**

    * Run the cells from top to bottom: click a cell, then press **Shift + Enter** (or the ▶ button).
    * Panels with sliders, menus and buttons are live: change them and the picture redraws.
    * **Questions** are answered in a code cell. It first shows two lines, `# YOUR CODE HERE` and
      `raise NotImplementedError()`: replace both with the one answer line the question asks for,
      for example `answer_blocks = 12`, then run the cell. The cell after it checks that
      your answer has the right form (a number, one of the letters…); whether it is *correct* is
      marked when you hand the lab in.
    * **Written answers**: double-click the cell that says *YOUR ANSWER HERE*, type a few
      sentences, then press Shift + Enter.
    * The code that draws the panels is folded away (a grey bar with **⋯**): run those cells like
      any other; click the **⋯** if you are curious what is inside.
    """

BUILD_INTRO = """
    **How this notebook works**

    Each exercise is a function with its steps numbered. Replace `# YOUR CODE HERE` and
    `raise NotImplementedError()` with your code, run the cell, then run the test cell below it.
    More tests run when your lab is graded: they hand what your function produces to the real
    `minichain` validators, so a failing test shows the typed error a node would give, with its
    rule id in brackets, e.g. `[pow-insufficient] block 1: hash 3f2a… is above the target …`.
    Make your function right, not just the visible example.
    """

CHECKS = """
    def check_number(value, low, high):
        \"\"\"The answer is a whole number between low and high.\"\"\"
        assert isinstance(value, int) and not isinstance(value, bool), \\
            f"write a whole number, such as 12 (found {value!r})"
        assert low <= value <= high, f"{value} cannot be right: the answer lies between {low} and {high}"
        print(f"✓ answer recorded: {value}. It is marked when you hand the lab in.")


    def check_decimal(value, low, high):
        \"\"\"The answer is a number (decimals allowed) between low and high.\"\"\"
        assert isinstance(value, int | float) and not isinstance(value, bool), \\
            f"write a number, such as 2.5 (found {value!r})"
        assert low <= value <= high, f"{value} cannot be right: the answer lies between {low} and {high}"
        print(f"✓ answer recorded: {value}. It is marked when you hand the lab in.")


    def check_choice(value, options):
        \"\"\"The answer is one of the offered options.\"\"\"
        assert value in options, f"choose one of {', '.join(map(repr, options))} (found {value!r})"
        print(f"✓ answer recorded: {value!r}. It is marked when you hand the lab in.")
    """

# Shared by the chart and network set-up cells: each notebook carries its own copy of the helper.
SCROLL = """
    def scroll(picture):
        \"\"\"A wide picture in a box that scrolls sideways instead of being cut off.\"\"\"
        picture = picture.replace("<svg ", '<svg style="max-width:none" ', 1)  # keep its size
        return f'<div style="overflow-x:auto; max-width:100%">{picture}</div>'
    """

BAR_CHART = """
    def bar_chart(values, labels=(), title="", unit="", line=None, line_label="", colors=(),
                  trend=None, trend_label="", width=680, height=220):
        \"\"\"A small SVG bar chart (the labs need no plotting library); hover a bar for its value.
        `line`: a dashed red level; `trend`: one value per bar, drawn as an orange line.\"\"\"
        top = max([*values, *(trend or ()), line or 0, 1e-9]) * 1.05
        step = (width - 70) / max(len(values), 1)
        y = lambda v: 40 + (height - 40) * (1 - v / top)  # noqa: E731
        parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 30}" '
                 'font-family="sans-serif" font-size="11">',
                 f'<text x="8" y="16" font-size="13" font-weight="bold">{title}</text>',
                 f'<line x1="55" y1="{height}" x2="{width - 10}" y2="{height}" stroke="#888"/>',
                 f'<text x="50" y="{y(top / 1.05) + 4:.0f}" text-anchor="end">{top / 1.05:.3g}{unit}</text>',
                 f'<text x="50" y="{height + 4}" text-anchor="end">0</text>']
        for i, value in enumerate(values):
            label = labels[i] if i < len(labels) else str(i + 1)
            color = colors[i] if i < len(colors) else "#1565c0"
            parts.append(f'<rect x="{60 + i * step:.1f}" y="{y(value):.1f}" width="{max(step - 2, 1):.1f}" '
                         f'height="{height - y(value):.1f}" fill="{color}"><title>{label}: {value:.4g}{unit}'
                         '</title></rect>')
            if len(values) <= 16:
                parts.append(f'<text x="{60 + (i + 0.5) * step:.1f}" y="{height + 16}" '
                             f'text-anchor="middle">{label}</text>')
        legend = 8
        if line is not None:
            parts.append(f'<line x1="55" y1="{y(line):.1f}" x2="{width - 10}" y2="{y(line):.1f}" '
                         'stroke="#c62828" stroke-dasharray="6,4" stroke-width="2"/>'
                         f'<text x="{legend}" y="32" fill="#c62828">- - - {line_label}</text>')
            legend += 10 + 7 * len(line_label) + 30
        if trend:
            points = " ".join(f"{60 + (i + 0.5) * step:.1f},{y(v):.1f}" for i, v in enumerate(trend))
            parts.append(f'<polyline points="{points}" fill="none" stroke="#ef6c00" stroke-width="2.5"/>'
                         f'<text x="{legend}" y="32" fill="#ef6c00">—— {trend_label}</text>')
        return "".join(parts) + "</svg>"

    """ + SCROLL


# --- lab 06: the network --------------------------------------------------------------------------

NETWORK_SETUP = """
    import ipywidgets as widgets
    from IPython.display import HTML, display

    from minichain import viz
    from minichain.net.memory import MemoryNetwork
    from minichain.node.core import NodeConfig
    from minichain.testing import make_genesis, make_wallet

    NAMES = ["alpha", "beta", "gamma", "delta"]
    GENESIS = make_genesis("pow", difficulty_bits=12, retarget_window=1000)  # no retarget in this lab
    WIDE = {"description_width": "initial"}  # widget labels shown in full


    def manual_network(seed=1):
        \"\"\"Four PoW nodes, fully connected, that mine only when told to (net.produce(name)).\"\"\"
        configs = [NodeConfig(name, miner=make_wallet(f"miner-{name}").address, mining_attempts_per_tick=0)
                   for name in NAMES]
        net = MemoryNetwork(GENESIS, configs, seed=seed)
        net.run_for(1)  # the handshakes
        return net


    def busy_network(delay, seconds=600, seed=1):
        \"\"\"Four nodes mining all the time (a block every ~10 s in total) for `seconds` of network time;
        each message takes between 0.5 and 1.5 times `delay` seconds to arrive.\"\"\"
        configs = [NodeConfig(name, miner=make_wallet(f"miner-{name}").address, mining_attempts_per_tick=5,
                              seed=index) for index, name in enumerate(NAMES)]
        net = MemoryNetwork(GENESIS, configs, seed=seed, latency=(delay * 0.5, delay * 1.5))
        net.run_for(seconds)
        return net


    def fork_tree(net, title="", heights=25):
        \"\"\"Every block any node knows, the heaviest chain on top, each node's tip marked ▲.\"\"\"
        entries = {(e.hash, e.header.parent_hash, e.height)
                   for core in net.cores for e in core.chain.all_entries()}
        best = max(net.cores, key=lambda core: core.chain.tip_weight).chain.tip_hash
        tips = {core.node_id: core.chain.tip_hash for core in net.cores}
        return viz.fork_tree_svg(viz.chain_tree_blocks(entries), tips, best=best, title=title,
                                 max_height_shown=heights)


    def stale_blocks(net):
        \"\"\"Blocks mined that did not end up in the best chain.\"\"\"
        mined = {e.hash for core in net.cores for e in core.chain.all_entries() if e.height > 0}
        return len(mined) - max(core.chain.height for core in net.cores)


    def node_events(net, since):
        \"\"\"The nodes' own events after virtual second `since`, as an HTML list.\"\"\"
        wording = {"produced": "mined", "reorg": "REORGANISED", "fork": "stored a block of a side branch:",
                   "tip": "moved its tip", "ban": "banned a peer"}
        lines = [f"<li>{e.time:6.2f} s · <b>{e.source}</b> {wording[e.kind]}: {e.message}</li>"
                 for e in net.log if e.time >= since and e.kind in wording]
        return "<ul style='font-family:monospace'>" + "".join(lines[-12:]) + "</ul>"

    """ + SCROLL


def lab06() -> list[Notebook]:
    lab = "lab06_network"
    explore = Notebook(lab, "explore")
    explore.md("""
        # Lab 06 · A network of nodes: gossip, forks and reorganisations

        *Officials' track: no programming, you explore and answer.*

        A blockchain is kept by many computers (**nodes**) that talk to each other over the
        internet. There is no central server: each node checks every block for itself and follows
        the chain with the most work behind it. In this lab you run four nodes, *alpha*, *beta*,
        *gamma* and *delta*, on a simulated network inside this notebook (no real internet, and
        time is simulated, so an hour of network life takes a second). You will see:

        1. how a new block spreads (**gossip**);
        2. why slow networks produce **forks** (two blocks at the same height);
        3. how nodes choose between branches (**fork choice**) and switch (**reorganise**);
        4. what happens when the network is cut in two (**partition**) and joined again (**heal**).
        """)
    explore.md(HOW_TO_ANSWER)
    explore.setup("setup", NETWORK_SETUP, CHECKS, 'print("ready")', fold=True)
    explore.md("""
        ## 1. Gossip: how a block spreads

        When a node mines a block it does not push the whole block to everyone. It first
        **announces** it with a short *inventory* message ("I have block 000a3f…"). A node that
        does not have that block yet answers *getdata* ("send it, please"), and only then is the
        block itself sent (*blocks*). Nodes that receive it check it and announce it in turn. This
        saves a lot of traffic: nobody receives the same block twice.

        Use the panel: press **alpha mines** and read the message timeline (time runs downwards,
        each arrow is one message, coloured by type; before you press anything it shows the nodes
        greeting each other with grey *hello* messages). The fork tree above it shows every block the
        nodes know; the ▲ marks show which block each node currently treats as its tip.
        """)
    explore.setup("widget_bench", """
        bench = {"net": manual_network()}
        bench_picture, bench_log = widgets.HTML(), widgets.HTML()
        cut = widgets.ToggleButton(description="cut: alpha+beta | gamma+delta", layout={"width": "260px"})


        def redraw(since):
            net = bench["net"]
            state = "CUT into two groups" if cut.value else "fully connected"
            bench_picture.value = (
                f"<p>Network time {net.elapsed:.1f} s · {state} · heights "
                + ", ".join(f"{core.node_id} {core.chain.height}" for core in net.cores) + "</p>"
                + scroll(fork_tree(net, "Blocks known to the nodes (green: the heaviest chain)"))
                + scroll(viz.timeline_svg(net.log, NAMES, start=since, title="latest messages")))
            bench_log.value = node_events(net, since)


        def mine(name):
            def handler(_):
                net = bench["net"]
                since = net.elapsed
                net.produce(name)
                net.run_for(2)
                redraw(since)
            return handler


        def toggle_cut(change):
            net = bench["net"]
            since = net.elapsed
            cut.description = "heal: join the groups" if change["new"] else "cut: alpha+beta | gamma+delta"
            cut.button_style = "danger" if change["new"] else ""
            if change["new"]:
                net.partition([["alpha", "beta"], ["gamma", "delta"]])
            else:
                net.heal()
            net.run_for(2)
            redraw(since)


        def reset(_):
            bench["net"] = manual_network()
            cut.unobserve(toggle_cut, names="value")
            cut.value, cut.description, cut.button_style = False, "cut: alpha+beta | gamma+delta", ""
            cut.observe(toggle_cut, names="value")
            redraw(0)


        buttons = []
        for name in NAMES:
            button = widgets.Button(description=f"{name} mines", layout={"width": "130px"})
            button.on_click(mine(name))
            buttons.append(button)
        again = widgets.Button(description="start again", button_style="warning")
        again.on_click(reset)
        cut.observe(toggle_cut, names="value")
        redraw(0)
        display(widgets.VBox([widgets.HBox(buttons), widgets.HBox([cut, again]), bench_picture, bench_log]))
        """, fold=True)
    explore.md("""
        **Question 1.** When alpha has mined a block, what is the **first** kind of message it
        sends to the other nodes?

        - **A** the whole block (*blocks*);
        - **B** a short announcement with the block's hash (*inventory*);
        - **C** a request for the other nodes' blocks (*getblocks*).

        Answer with `answer_first_message = "…"`, with the letter A, B or C between the quotes.
        """)
    explore.question("q1", "answer_first_message", '"B"', '"A"',
                     'check_choice(answer_first_message, ["A", "B", "C"])', 1, """
        assert answer_first_message == "B", "look at the first arrows after alpha mines"
        """)
    explore.md("""
        **Question 2.** Start again, then press **alpha mines** once. How many times did alpha
        send the whole block (*blocks* messages, blue arrows leaving alpha)?
        """)
    explore.question("q2", "answer_block_sends", "3", "10",
                     "check_number(answer_block_sends, 0, 50)", 1, """
        _net = manual_network()
        _start = len(_net.log)
        _net.produce("alpha")
        _net.run_for(2)
        _sent = sum(1 for e in _net.log[_start:] if e.kind == "send" and e.source == "alpha"
                    and e.message == "blocks")
        assert answer_block_sends == _sent, "count the blue arrows that leave alpha's line"
        """)
    explore.md("""
        ## 2. Slow networks make forks

        Two miners may each find a block at nearly the same moment, before hearing of the other's.
        For a while the network has two blocks at the same height, a **fork**. The next block
        settles it: it builds on one of the two, that branch now has more work, and every node
        follows it. The losing block becomes **stale**: its miner loses the reward and its
        transactions go back to the waiting list.

        The longer messages take to travel, the more often this happens. Below, four nodes mine
        all the time (together, one block every 10 seconds on average) for 10 minutes of network
        time. Choose the network delay and press **run**; it takes a second or two.
        """)
    explore.setup("widget_delay", """
        delay_choice = widgets.SelectionSlider(options=[0.1, 0.5, 1, 2, 4, 8], value=0.1,
                                               description="delay (s)", style=WIDE)
        run_button = widgets.Button(description="run 10 minutes", button_style="primary")
        delay_picture = widgets.HTML()


        def run_busy(_=None):
            net = busy_network(delay_choice.value)
            stale = stale_blocks(net)
            best = max(core.chain.height for core in net.cores)
            reorgs = sum(1 for e in net.log if e.kind == "reorg")
            delay_picture.value = (
                f"<p>Delay about <b>{delay_choice.value} s</b>: {best + stale} blocks mined, "
                f"<b>{best}</b> in the best chain, <b>{stale}</b> stale ({stale / (best + stale):.0%}); "
                f"nodes reorganised {reorgs} times.</p>"
                + scroll(fork_tree(net, "The last 15 heights", heights=15)))


        run_button.on_click(run_busy)
        run_busy()
        display(widgets.VBox([widgets.HBox([delay_choice, run_button]), delay_picture]))
        """, fold=True)
    explore.md("""
        **Question 3.** Set the delay to **4** seconds and run. How many blocks were stale?
        """)
    explore.question("q3", "answer_stale_at_4s", "24", "7",
                     "check_number(answer_stale_at_4s, 0, 500)", 1, """
        assert answer_stale_at_4s == stale_blocks(busy_network(4)), (
            "run with a delay of 4 s and read the number of stale blocks")
        """)
    explore.md("""
        **Question 4.** As the network delay grows from 0.1 s to 8 s, stale blocks:

        - **A** become rarer, because nodes have more time to check blocks;
        - **B** become more common, because miners keep working on old tips for longer;
        - **C** stay about the same: delay does not matter.

        Answer with `answer_delay_effect = "…"`, with the letter A, B or C between the quotes.
        """)
    explore.question("q4", "answer_delay_effect", '"B"', '"A"',
                     'check_choice(answer_delay_effect, ["A", "B", "C"])', 1, """
        assert answer_delay_effect == "B", "compare the stale counts at 0.1 s and at 8 s"
        """)
    explore.md("""
        ## 3. Fork choice, partitions and healing

        Each node follows the branch with the **most total work** (with equal difficulty, the
        longest). When another branch becomes heavier, the node **reorganises**: it takes back the
        blocks of its old branch (their transactions return to the waiting list) and applies the
        new branch instead.

        A **partition** cuts the network in two: each side keeps mining its own branch without
        hearing of the other. Use the panel in section 1 again:

        1. press **start again**, then **cut: alpha+beta | gamma+delta**;
        2. press **alpha mines** once, then **gamma mines** twice;
        3. press **heal: join the groups** and watch the fork tree and the node events.
        """)
    explore.md("""
        Here is the same scenario, run for you:
        """)
    explore.setup("split_scenario", """
        def split_scenario(alpha_blocks=1, gamma_blocks=2):
            net = manual_network()
            net.partition([["alpha", "beta"], ["gamma", "delta"]])
            for name in ["alpha"] * alpha_blocks + ["gamma"] * gamma_blocks:
                net.produce(name)
                net.run_for(1)
            healed_at = net.elapsed
            net.heal()
            net.run_for(3)
            return net, healed_at


        split_net, healed_at = split_scenario()
        display(HTML(scroll(fork_tree(split_net, "After the heal: the orange block was abandoned"))
                     + node_events(split_net, healed_at)))
        """, fold=True)
    explore.md("""
        **Question 5.** After the heal, which nodes reorganised?

        - **A** alpha and beta;
        - **B** gamma and delta;
        - **C** all four;
        - **D** none: each side keeps its own chain.

        Answer with `answer_who_reorganised = "…"`, with the letter A, B, C or D between the quotes.
        """)
    explore.question("q5", "answer_who_reorganised", '"A"', '"C"',
                     'check_choice(answer_who_reorganised, ["A", "B", "C", "D"])', 1, """
        _net, _healed = split_scenario()
        _who = sorted({e.source for e in _net.log if e.kind == "reorg"})
        assert _who == ["alpha", "beta"]
        assert answer_who_reorganised == "A", "read the node events after the heal"
        """)
    explore.md("""
        **Question 6.** In that reorganisation, how many blocks did alpha take back
        (disconnect) from its old branch?
        """)
    explore.question("q6", "answer_blocks_taken_back", "1", "3",
                     "check_number(answer_blocks_taken_back, 0, 10)", 1, """
        assert answer_blocks_taken_back == 1, "alpha's side had mined one block during the cut"
        """)
    explore.md("""
        **Question 7.** Now suppose both sides mine **two** blocks each during the cut (try it in
        the panel: start again, cut, alpha twice, gamma twice, then heal). What happens right after the heal?

        - **A** everyone immediately switches to alpha's branch, because alpha's name comes first;
        - **B** each side keeps its own branch (equal work), until the next block makes one heavier;
        - **C** the nodes stop accepting blocks until an administrator decides.

        Answer with `answer_equal_work = "…"`, with the letter A, B or C between the quotes.
        """)
    explore.question("q7", "answer_equal_work", '"B"', '"A"',
                     'check_choice(answer_equal_work, ["A", "B", "C"])', 1, """
        _net, _ = split_scenario(2, 2)
        assert not _net.converged()
        assert answer_equal_work == "B", "try it: with equal work, does anyone switch?"
        """)
    explore.md("""
        ## 4. In your own words

        **Question 8 (marked by your instructor).** A shop accepted a payment as soon as it
        appeared in a block. The network was split at the time, and after it healed the payment's
        block had vanished. In three or four sentences, explain to the shop owner what happened
        and what they should do in future.
        """)
    explore.written("q8_written", 2, """
        *Model answer.* During the split the shop's side of the network built its own branch, and
        the payment was in a block on that branch. When the network healed, the other side's branch
        had more work, so every node — including the shop's — reorganised to it and took back the
        shop's block; the payment went back to the waiting list and may never be included if the
        payer spent the money elsewhere. A block is not final: the shop should wait for several
        confirmations (blocks built on top of the payment's block) in proportion to the amount, and
        be wary when its node sees few peers or unusual reorganisations. *Marking: 1 point for the
        heavier branch replacing the shop's block (reorganisation), 1 point for waiting for
        confirmations.*
        """)

    build = Notebook(lab, "build")
    build.md("""
        # Lab 06 · Fork choice and reorganisations

        *Enterprise track: you write the code.*

        Every node keeps a **tree** of blocks, not a list: blocks may arrive on several branches.
        It follows the branch with the most cumulative work (not the most blocks!), and when
        another branch gets heavier it **reorganises**: rolls the state back to the fork point and
        applies the other branch. You will write:

        1. the cumulative work of a block;
        2. fork choice: the heaviest tip of the tree, which need not be the highest;
        3. the plan of a reorganisation: which blocks leave and which join the best chain;
        4. a network tool: heal a partition and report how long convergence took, and who
           reorganised.

        The chain logic lives in `minichain/chain.py` (`Chain.add_block`, `_reorganise`); the
        network in `minichain/net/memory.py` and `minichain/node/core.py`.
        """)
    build.md(BUILD_INTRO)
    build.setup("setup", """
        from minichain import Block, Chain
        from minichain.consensus.pow import work
        from minichain.net.memory import MemoryNetwork
        from minichain.node.core import NodeConfig
        from minichain.testing import make_genesis, make_wallet, produce_block


        def grow(chain, gaps):
            \"\"\"One mined block per gap (seconds after the tip) on `chain`; returns the new blocks.\"\"\"
            blocks = []
            for gap in gaps:
                produce_block(chain, timestamp=chain.tip.timestamp + gap)
                blocks.append(chain.block_at(chain.height))
            return blocks


        def forked_chain():
            \"\"\"A chain holding two branches from genesis. The retarget (every 4 blocks) makes the fast
            branch's later blocks 3.75 times harder, and the slow branch's 4 times easier, so the
            shorter fast branch carries more work than the longer slow one.\"\"\"
            genesis = make_genesis("pow", difficulty_bits=8, retarget_window=4)
            fast, slow = Chain(genesis), Chain(genesis)
            fast_blocks = grow(fast, [1, 1, 1, 1, 1])
            slow_blocks = grow(slow, [100] * 9)
            chain = Chain(genesis)
            for block in slow_blocks + fast_blocks:
                chain.add_block(block)
            return chain, fast_blocks, slow_blocks

        print("ready")
        """)
    build.md("""
        ## Exercise 1: cumulative work

        A block's weight in fork choice is its **work**, `work(header.seal.target)` (the expected
        number of hashes it took, see lab 05). A branch's total is the sum over its blocks, back to
        the genesis block, which counts 0.

        `total_work(chain, block_hash)`:

        1. start at `chain.get(block_hash)` (a `Block`);
        2. while the block's hash is not `chain.genesis_hash`: add `work(block.header.seal.target)`
           and step to the parent with `chain.get(block.header.parent_hash)`;
        3. return the sum.
        """)
    build.answer("ex1_answer", """
        def total_work(chain, block_hash):
            \"\"\"The work of the blocks from genesis (excluded) to `block_hash` (included).\"\"\"
            # 1. block = chain.get(block_hash)
            # 2. walk to the genesis block through parent hashes, adding each block's work
            # 3. return the total
            ### BEGIN SOLUTION
            total = 0
            while block_hash != chain.genesis_hash:
                block = chain.get(block_hash)
                total += work(block.header.seal.target)
                block_hash = block.header.parent_hash
            return total
            ### END SOLUTION
        """)
    build.test("ex1_test", 1, """
        chain = Chain(make_genesis("pow", difficulty_bits=8))
        grow(chain, [10, 10])
        assert total_work(chain, chain.genesis_hash) == 0
        assert total_work(chain, chain.tip_hash) == 2 * 256
        print("ok")
        """)
    build.hidden("ex1_hidden", 2, "Hidden tests: your totals against the chain's own bookkeeping.", """
        _chain, _fast, _slow = forked_chain()
        for _entry in _chain.all_entries():
            assert total_work(_chain, _entry.hash) == _entry.total_weight, f"block at height {_entry.height}"
        """)
    build.md("""
        ## Exercise 2: fork choice

        The **tips** of the tree are the blocks without children (`chain.children(hash)` is empty).
        Fork choice picks the tip with the greatest total work: that is the chain a node follows.

        `heaviest_tip(chain)`:

        1. list every block hash in the tree: `[entry.hash for entry in chain.all_entries()]`;
        2. keep the tips;
        3. return the tip with the greatest `total_work` (if two are equal, either).
        """)
    build.answer("ex2_answer", """
        def heaviest_tip(chain):
            \"\"\"The hash of the tip that fork choice follows.\"\"\"
            # 1. every block hash in the tree
            # 2. the tips: no children
            # 3. the tip with the most total work
            ### BEGIN SOLUTION
            tips = [entry.hash for entry in chain.all_entries() if not chain.children(entry.hash)]
            return max(tips, key=lambda tip: total_work(chain, tip))
            ### END SOLUTION
        """)
    build.test("ex2_test", 1, """
        chain = Chain(make_genesis("pow", difficulty_bits=8))
        grow(chain, [10, 10, 10])
        assert heaviest_tip(chain) == chain.tip_hash
        print("ok")
        """)
    build.hidden("ex2_hidden", 2, "Hidden tests: the longest branch is not always the heaviest.", """
        _chain, _fast, _slow = forked_chain()
        _fast_tip, _slow_tip = _fast[-1].hash(_chain.suite), _slow[-1].hash(_chain.suite)
        assert _chain.entry(_slow_tip).height > _chain.entry(_fast_tip).height
        assert _chain.tip_hash == _fast_tip  # minichain follows the heavier, shorter branch
        assert heaviest_tip(_chain) == _fast_tip, (
            "your choice follows the longer branch; fork choice counts work, not blocks")
        """)
    build.md("""
        ## Exercise 3: planning a reorganisation

        When a side branch becomes the heaviest, the chain must **disconnect** the blocks of its
        current branch down to the **fork point** (the last block both branches share), newest
        first, undoing their effect on the state, then **connect** the new branch's blocks, oldest
        first.

        `reorg_plan(chain, new_tip)` returns `(fork_point, disconnect, connect)` for switching from
        `chain.tip_hash` to `new_tip` (both in the tree); the two lists hold block hashes:

        1. walk back from `new_tip` through parent hashes until a block on the best chain
           (`chain.is_main(h)`): that block is the fork point; the blocks you passed, reversed,
           are `connect` (oldest first);
        2. `disconnect`: the best chain's blocks above the fork point, from the tip down
           (`chain.hash_at(height)`, heights from `chain.height` down to the fork point's height + 1).
        """)
    build.answer("ex3_answer", """
        def reorg_plan(chain, new_tip):
            \"\"\"(fork point, hashes to disconnect newest first, hashes to connect oldest first).\"\"\"
            # 1. walk back from new_tip to the first block on the best chain (chain.is_main)
            # 2. connect = the blocks passed on the way, oldest first
            # 3. disconnect = best-chain blocks above the fork point, newest first
            ### BEGIN SOLUTION
            connect = []
            cursor = new_tip
            while not chain.is_main(cursor):
                connect.append(cursor)
                cursor = chain.get(cursor).header.parent_hash
            connect.reverse()
            fork_height = chain.entry(cursor).height
            disconnect = [chain.hash_at(h) for h in range(chain.height, fork_height, -1)]
            return cursor, disconnect, connect
            ### END SOLUTION
        """)
    build.test("ex3_test", 1, """
        chain = Chain(make_genesis("pow", difficulty_bits=8))
        grow(chain, [10, 10])
        fork, disconnect, connect = reorg_plan(chain, chain.tip_hash)
        assert (fork, disconnect, connect) == (chain.tip_hash, [], []), "nothing to do for the tip itself"
        print("ok")
        """)
    build.hidden("ex3_hidden", 3,
                 "Hidden tests: your plan against what Chain.add_block really did in a reorg.", """
        _genesis = make_genesis("pow", difficulty_bits=8, retarget_window=1000)
        _main, _side = Chain(_genesis), Chain(_genesis)
        _common = grow(_main, [10, 10])
        for _block in _common:
            _side.add_block(_block)
        _old = grow(_main, [10, 10, 10])                 # heights 3-5 on the best chain
        _new = grow(_side, [11, 11, 11, 11])             # heights 3-6 on a side branch
        _chain = Chain(_genesis)
        for _block in _common + _old + _new[:-1]:
            _chain.add_block(_block)
        _h = lambda block: block.hash(_chain.suite)  # noqa: E731
        _fork, _disconnect, _connect = reorg_plan(_chain, _h(_new[-2]))
        assert _fork == _h(_common[-1]), "wrong fork point"
        _update = _chain.add_block(_new[-1])             # the side branch becomes heavier
        assert _update.status == "reorg"
        assert _disconnect == [_h(b) for b in _update.disconnected], "disconnect: newest first"
        assert _connect + [_h(_new[-1])] == [_h(b) for b in _update.connected], "connect: oldest first"
        """)
    build.md("""
        ## Exercise 4: healing a partition

        Nodes run on `MemoryNetwork`, an in-memory network in virtual time (no sockets): messages
        are delivered after a seeded random delay, `net.run_for(seconds)` advances time, and every
        node event goes into `net.log` (a list of `NetEvent(time, kind, source, target, message)`;
        a node that reorganised logs `kind == "reorg"` with `source` = its id).
        `net.converged()` is true when all nodes have the same tip.

        `heal_and_measure(net, limit=30)`:

        1. remember where the log ends (`len(net.log)`) and the time (`net.elapsed`);
        2. `net.heal()`;
        3. advance 0.1 s at a time until `net.converged()` (give up after `limit` seconds);
        4. return `(seconds, reorganised)`: the seconds it took (`net.elapsed` difference,
           rounded to 0.1 s) and the sorted list of node ids that logged a `"reorg"` since step 1.
        """)
    build.answer("ex4_answer", """
        def heal_and_measure(net, limit=30):
            \"\"\"Heal; (seconds until all nodes agree, sorted ids of the nodes that reorganised).\"\"\"
            # 1. mark the log and the time
            # 2. heal
            # 3. run 0.1 s at a time until converged (or `limit` seconds)
            # 4. (rounded seconds, sorted ids with a "reorg" event since the mark)
            ### BEGIN SOLUTION
            mark, start = len(net.log), net.elapsed
            net.heal()
            while not net.converged() and net.elapsed - start < limit:
                net.run_for(0.1)
            reorganised = sorted({e.source for e in net.log[mark:] if e.kind == "reorg"})
            return round(net.elapsed - start, 1), reorganised
            ### END SOLUTION
        """)
    build.test("ex4_test", 1, """
        def cut_network(seed, left_blocks, right_blocks):
            names = ["alpha", "beta", "gamma", "delta"]
            genesis = make_genesis("pow", difficulty_bits=12, retarget_window=1000)
            configs = [NodeConfig(n, miner=make_wallet(f"miner-{n}").address, mining_attempts_per_tick=0)
                       for n in names]
            net = MemoryNetwork(genesis, configs, seed=seed)
            net.run_for(1)
            net.partition([names[:2], names[2:]])
            for name in ["alpha"] * left_blocks + ["gamma"] * right_blocks:
                net.produce(name)
                net.run_for(1)
            return net


        seconds, reorganised = heal_and_measure(cut_network(1, 1, 2))
        print(f"converged after {seconds} s; reorganised: {reorganised}")
        assert 0 < seconds < 30 and reorganised == ["alpha", "beta"]
        """)
    build.hidden("ex4_hidden", 2, "Hidden tests: other partitions, other seeds.", """
        for _seed, _left, _right, _losers in [(2, 3, 1, ["delta", "gamma"]), (5, 0, 2, []),
                                              (7, 2, 4, ["alpha", "beta"])]:
            _net = cut_network(_seed, _left, _right)
            _seconds, _who = heal_and_measure(_net)
            assert _net.converged(), f"seed {_seed}: the network did not converge"
            assert _who == _losers, f"seed {_seed}: expected {_losers} to reorganise, found {_who}"
            assert 0 < _seconds <= 5 and _seconds == round(_seconds, 1), f"seed {_seed}: {_seconds} s"
        """)
    build.md("""
        ## What you built

        Fork choice and reorganisation are the heart of Nakamoto consensus: nodes never vote, they
        each follow the heaviest valid branch they know, and the network converges as soon as
        blocks flow again. Compare your code with `Chain.add_block` and `Chain._reorganise` in
        `minichain/chain.py`, which also roll the account state back with undo records and undo the
        whole switch if any block of the new branch turns out invalid.
        """)
    return [explore, build]


# --- lab 07: attacks ------------------------------------------------------------------------------

ATTACK_SETUP = """
    import dataclasses
    import random

    import ipywidgets as widgets
    from IPython.display import HTML, display

    from minichain import Block, Chain, transactions_root, viz
    from minichain.node.core import NodeConfig, NodeCore
    from minichain.node.effects import Ban
    from minichain.node.messages import Blocks, Hello
    from minichain.testing import make_genesis, make_wallet, produce_block

    ALICE, ALICE_2, MERCHANT = make_wallet("alice"), make_wallet("alice-2"), make_wallet("merchant")
    HONEST_MINERS, ATTACKER = make_wallet("honest-miners"), make_wallet("attacker")
    GENESIS = make_genesis("pow", difficulty_bits=8, retarget_window=1000, funded=[ALICE])
    PAYMENT = ALICE.transfer(GENESIS.chain_id, MERCHANT.address, 1000, 0, fee=1)  # buys the car
    REFUND = ALICE.transfer(GENESIS.chain_id, ALICE_2.address, 1000, 0, fee=1)    # same coins, same nonce
    WIDE = {"description_width": "initial"}  # widget labels shown in full
    """

RACE_HELPERS = """
    def race(share, confirmations, rng, give_up=6, max_blocks=200):
        \"\"\"One double-spend race, counting blocks only. Each new block is the attacker's with
        probability `share`. The merchant hands over the car once the payment has `confirmations`
        blocks (its own included); the attacker wins if its private branch is then longer. Returns
        (winner, list of "h"/"a" in the order blocks were found).\"\"\"
        honest = attacker = 0
        order = []
        while True:
            if rng.random() < share:
                attacker += 1
                order.append("a")
            else:
                honest += 1
                order.append("h")
            if honest >= confirmations and attacker > honest:
                return "attacker", order
            if honest - attacker >= give_up or honest + attacker >= max_blocks:
                return "honest", order


    def success_rate(share, confirmations, races=1000, seed=1):
        rng = random.Random(seed)
        return sum(race(share, confirmations, rng)[0] == "attacker" for _ in range(races)) / races


    def real_race(share, confirmations, seed):
        \"\"\"The same race with real minichain blocks: the merchant's node sees the honest branch
        (the payment first); Alice mines a private branch (the refund first) and publishes it if it
        gets longer. Returns (merchant's chain, Alice's chain, winner).\"\"\"
        winner, order = race(share, confirmations, random.Random(seed))
        merchant, private = Chain(GENESIS), Chain(GENESIS)
        clock = GENESIS.timestamp
        for turn in order:
            clock += 10
            if turn == "h":
                produce_block(merchant, [PAYMENT] if merchant.height == 0 else [], producer=HONEST_MINERS,
                              timestamp=clock)
            else:
                produce_block(private, [REFUND] if private.height == 0 else [], producer=ATTACKER,
                              timestamp=clock)
        if winner == "attacker":
            for block in list(private.main_chain())[1:]:
                merchant.add_block(block)  # published: the merchant's node reorganises
        return merchant, private, winner
    """

SELFISH_HELPERS = """
    def selfish_mining(alpha, gamma, rounds=100_000, seed=1):
        \"\"\"Eyal and Sirer's selfish miner (2014): a pool with hash share `alpha` keeps its blocks
        secret and publishes them to orphan honest blocks; in a tie a share `gamma` of honest miners
        builds on the pool's block. Returns the pool's share of the blocks in the final chain.\"\"\"
        rng = random.Random(seed)
        pool = others = lead = 0
        tie = False
        for _ in range(rounds):
            if rng.random() < alpha:  # the pool finds a block and keeps it secret
                if tie:
                    pool, tie = pool + 2, False
                else:
                    lead += 1
            elif tie:  # honest block during a tie: on the pool's branch with probability gamma
                if rng.random() < gamma:
                    pool, others = pool + 1, others + 1
                else:
                    others += 2
                tie = False
            elif lead == 0:
                others += 1
            elif lead == 1:  # the pool publishes its one block: a tie
                lead, tie = 0, True
            elif lead == 2:  # the pool publishes both and wins
                pool, lead = pool + 2, 0
            else:  # the pool publishes one block, still ahead
                pool, lead = pool + 1, lead - 1
        return pool / (pool + others)
    """

FAKE_CHAIN_HELPERS = """
    def honest_node():
        \"\"\"A node with 3 honest blocks that has just greeted a peer claiming a much heavier chain.\"\"\"
        chain = Chain(GENESIS)
        for _ in range(3):
            produce_block(chain, producer=HONEST_MINERS)
        node = NodeCore(GENESIS, NodeConfig("honest"), chain=chain)
        boast = Hello(GENESIS.chain_id, chain.genesis_hash, "attacker", 10, bytes(32), 2 ** 40)
        node.receive("attacker", boast, float(GENESIS.timestamp + 100))
        return node


    def fake_chain(trick):
        \"\"\"Four blocks, one more than the honest three, cheating in one way in the last block.\"\"\"
        chain = Chain(GENESIS)
        for _ in range(3):
            produce_block(chain, producer=ATTACKER)
        theft = dataclasses.replace(ATTACKER.transfer(GENESIS.chain_id, ATTACKER.address, 500_000, 0),
                                    sender_key=ALICE.public_key)  # "from Alice", signed by the attacker
        block, _ = chain.build_block([], ATTACKER.address, chain.tip.timestamp + 10)
        header, body = block.header, block.transactions
        if trick == "forged":  # build_block refuses unsigned transfers: put it in by hand
            body = (theft,)
            header = dataclasses.replace(header, merkle_root=transactions_root(body, chain.suite))
        if trick == "money":  # claims the attacker holds more than it does
            header = dataclasses.replace(header, state_root=bytes(32))
        if trick != "no-work":
            header = chain.engine.mine(header).header
        elif chain.engine.mine(header, 0, 1).header is not None:
            header = header.with_seal(dataclasses.replace(header.seal, nonce=1))  # nonce 0 was lucky
        return list(chain.main_chain())[1:] + [Block(header, body)]


    def send_fake_chain(trick):
        \"\"\"Hand the fake chain to an honest node; return the node and what it did.\"\"\"
        node = honest_node()
        tip = node.chain.tip_hash
        forged = Blocks(tuple(fake_chain(trick)), False)
        effects = node.receive("attacker", forged, float(GENESIS.timestamp + 101))
        return node, tip, effects
    """


def lab07() -> list[Notebook]:
    lab = "lab07_attacks"
    explore = Notebook(lab, "explore")
    explore.md("""
        # Lab 07 · Attacks: double spending, fake chains and selfish mining

        *Officials' track: no programming, you explore and answer.*

        Proof of work is secure only as long as honest miners hold most of the computing power. In
        this lab you take the attacker's seat and measure what it can and cannot do:

        1. **double spending**: pay, take the goods, then erase the payment by publishing a
           longer secret chain — and how the chance of success depends on the attacker's share of
           the computing power and on how long the merchant waits;
        2. the **fake longer chain**: why a chain that is longer but breaks a rule is refused,
           and the peer that sent it is banned;
        3. **selfish mining**: how a large pool can earn more than its fair share without breaking
           any rule.
        """)
    explore.md(HOW_TO_ANSWER)
    explore.setup("setup", ATTACK_SETUP, RACE_HELPERS, SELFISH_HELPERS, FAKE_CHAIN_HELPERS, BAR_CHART,
                  CHECKS, 'print("ready")', fold=True)
    explore.md("""
        ## 1. The double spend

        Alice buys a car for 1,000 coins. Her payment goes into a block, and the merchant waits
        for a few **confirmations** (the payment's block and the blocks built on it) before
        handing over the keys. Meanwhile, Alice secretly mines her own branch, starting from the
        block before her payment, in which the same 1,000 coins go to her second wallet instead.
        If her secret branch becomes longer than the honest one after she has the car, she
        publishes it: every node, the merchant's included, **reorganises** to the heavier branch,
        and the payment to the merchant disappears. Both transactions spend Alice's coins with the
        same nonce, so only one of them can ever be in the chain.

        Each new block is found by Alice with a probability equal to her share of the computing
        power; she gives up when she falls 6 blocks behind. Choose her share, how many
        confirmations the merchant waits for, and a race number (each number is a different run
        of luck). The blocks below are real minichain blocks.
        """)
    explore.setup("widget_race", """
        share_slider = widgets.FloatSlider(value=0.3, min=0.05, max=0.7, step=0.05,
                                           description="Alice's share", style=WIDE)
        wait_slider = widgets.IntSlider(value=2, min=1, max=6, description="confirmations", style=WIDE)
        seed_slider = widgets.IntSlider(value=1, min=1, max=30, description="race number", style=WIDE)
        race_picture = widgets.HTML()


        def show_race(_=None):
            merchant, private, winner = real_race(share_slider.value, wait_slider.value, seed_slider.value)
            entries = {(e.hash, e.header.parent_hash, e.height)
                       for chain in (merchant, private) for e in chain.all_entries()}
            tips = {"merchant's node": merchant.tip_hash, "Alice (secret)": private.tip_hash}
            tree = viz.fork_tree_svg(viz.chain_tree_blocks(entries), tips, best=merchant.tip_hash,
                                     title="Green: the chain every node follows at the end")
            paid = merchant.state.balance(MERCHANT.address)
            verdict = ("<b style='color:#c62828'>Alice wins</b>: she published her longer branch, the "
                       "merchant's node reorganised, and the payment is gone"
                       if winner == "attacker" else
                       "<b style='color:#2e7d32'>the honest miners win</b>: Alice's branch fell far behind")
            race_picture.value = (f"<p>{verdict}. The merchant's balance: <b>{paid:,}</b> coins; "
                                  f"Alice's second wallet: {merchant.state.balance(ALICE_2.address):,}.</p>"
                                  + scroll(tree))


        for slider in (share_slider, wait_slider, seed_slider):
            slider.observe(show_race, names="value")
        show_race()
        display(widgets.VBox([widgets.HBox([share_slider, wait_slider, seed_slider]), race_picture]))
        """, fold=True)
    explore.md("""
        One race is luck. To **measure** Alice's chance, run many races: the panel below runs
        1,000 races for each number of confirmations (blocks are only counted here, not built, so
        it is fast) and shows the share Alice wins. (Satoshi Nakamoto's Bitcoin paper estimates the
        same chance with a formula, in its section 11; the enterprise track implements it.)
        """)
    explore.setup("widget_measure", """
        measure_share = widgets.FloatSlider(value=0.1, min=0.05, max=0.6, step=0.05,
                                            description="Alice's share", style=WIDE)
        measure_picture = widgets.HTML()


        def measure(_=None):
            share = measure_share.value
            waits = list(range(1, 11))
            rates = [success_rate(share, wait) for wait in waits]
            chart = bar_chart([100 * rate for rate in rates], labels=[f"{w}" for w in waits],
                              title=f"Alice's wins (%) with {share:.0%} of the power, by confirmations",
                              unit=" %")
            rows = "".join(f"<td>{100 * rate:.1f} %</td>" for rate in rates)
            heads = "".join(f"<th>{w}</th>" for w in waits)
            measure_picture.value = (chart + f"<table><tr><th>confirmations</th>{heads}</tr>"
                                     f"<tr><td>Alice wins</td>{rows}</tr></table>")


        measure_share.observe(measure, names="value")
        measure()
        display(widgets.VBox([measure_share, measure_picture]))
        """, fold=True)
    explore.md("""
        **Question 1.** Alice has **10 %** of the computing power and the merchant waits for
        **6** confirmations. About how often does Alice win?

        - **A** about half the time;
        - **B** about one race in ten;
        - **C** less than one race in a hundred.

        Answer with `answer_ten_percent = "…"`, with the letter A, B or C between the quotes.
        """)
    explore.question("q1", "answer_ten_percent", '"C"', '"A"',
                     'check_choice(answer_ten_percent, ["A", "B", "C"])', 1, """
        assert success_rate(0.1, 6) < 0.01
        assert answer_ten_percent == "C", "set the share to 0.10 and read the bar for 6 confirmations"
        """)
    explore.md("""
        **Question 2.** Alice has **30 %** of the computing power. What is the smallest number of
        confirmations for which she wins **less than 10 %** of the races in the table?
        """)
    explore.question("q2", "answer_confirmations_30", "6", "3",
                     "check_number(answer_confirmations_30, 1, 10)", 2, """
        _needed = next(w for w in range(1, 11) if success_rate(0.3, w) < 0.10)
        assert answer_confirmations_30 == _needed, "set the share to 0.30 and read the table"
        """)
    explore.md("""
        **Question 3.** From what share of the computing power does Alice win (almost) every race,
        however long the merchant waits?

        - **A** above 10 %;  **B** above 30 %;  **C** above 50 %.

        Answer with `answer_majority = "…"`, with the letter A, B or C between the quotes.
        """)
    explore.question("q3", "answer_majority", '"C"', '"A"',
                     'check_choice(answer_majority, ["A", "B", "C"])', 1, """
        assert answer_majority == "C", "try shares just below and just above one half"
        """)
    explore.md("""
        ## 2. The fake longer chain

        Could an attacker skip the hard part and simply send nodes a *longer* chain that breaks
        the rules, for example one in which Alice's coins move to the attacker without her
        signature? No: every node checks every block of a branch before switching to it. If any
        block breaks a rule, the whole branch is refused, the node's chain stays exactly as it
        was, and the peer that sent it is **banned** (disconnected and ignored), since honest
        nodes never relay invalid blocks.

        The honest node has 3 blocks. The attacker sends 4: the first three are honest work (as
        heavy as the honest chain, so the node keeps the chain it saw first), and only the fourth,
        the one that cheats, would make the attacker's chain longer. Choose how it cheats:
        """)
    explore.setup("widget_fake", """
        trick_choice = widgets.Dropdown(options=[
            ("moves Alice's coins without her signature", "forged"),
            ("skips the proof of work", "no-work"),
            ("claims balances that its transactions do not give", "money")],
            description="the attacker", style=WIDE)
        fake_picture = widgets.HTML()


        def show_fake(_=None):
            node, tip, effects = send_fake_chain(trick_choice.value)
            lines = [f"<li><b>{e.kind}</b>: {e.detail}</li>" for e in effects if hasattr(e, "detail")]
            lines += [f"<li><b>BAN</b> {e.peer}: {e.reason}</li>" for e in effects if isinstance(e, Ban)]
            unchanged = node.chain.tip_hash == tip
            fake_picture.value = (
                "<p>What the honest node did:</p><ul style='font-family:monospace'>" + "".join(lines)
                + f"</ul><p>Its chain: height {node.chain.height}, "
                + ("<b style='color:#2e7d32'>unchanged</b>" if unchanged else "<b>changed</b>")
                + f". Attacker banned: <b>{node.is_banned('attacker', GENESIS.timestamp + 102)}</b>.</p>")


        trick_choice.observe(show_fake, names="value")
        show_fake()
        display(widgets.VBox([trick_choice, fake_picture]))
        """, fold=True)
    explore.md("""
        **Question 4.** Which **rule id** (the short name in square brackets) did the honest node
        give when the attacker moved Alice's coins without her signature?

        - **A** `pow-insufficient`;  **B** `tx-signature`;  **C** `block-state-root`;  **D** `tx-nonce`.

        Answer with `answer_rule = "…"`, with the letter A, B, C or D between the quotes.
        """)
    explore.question("q4", "answer_rule", '"B"', '"A"',
                     'check_choice(answer_rule, ["A", "B", "C", "D"])', 1, """
        _node, _tip, _effects = send_fake_chain("forged")
        assert any(isinstance(e, Ban) and "tx-signature" in e.reason for e in _effects)
        assert answer_rule == "B", "choose the first option in the menu and read the rule in brackets"
        """)
    explore.md("""
        **Question 5.** Which rule id catches the chain that **skips the proof of work**?

        - **A** `pow-insufficient`;  **B** `tx-signature`;  **C** `block-state-root`;  **D** `tx-nonce`.

        Answer with `answer_rule_no_work = "…"`, with the letter A, B, C or D between the quotes.
        """)
    explore.question("q5", "answer_rule_no_work", '"A"', '"B"',
                     'check_choice(answer_rule_no_work, ["A", "B", "C", "D"])', 1, """
        _node, _tip, _effects = send_fake_chain("no-work")
        assert any(isinstance(e, Ban) and "pow-insufficient" in e.reason for e in _effects)
        assert answer_rule_no_work == "A", "choose the second option in the menu"
        """)
    explore.md("""
        ## 3. Selfish mining

        A large mining pool can play a subtler game without breaking any rule: it keeps the blocks
        it finds **secret**, and publishes them just when honest miners find a block, so that the
        honest block is orphaned. Honest miners waste work; the pool wastes less. Eyal and Sirer
        (2014) showed that above a certain share of the computing power this earns the pool *more*
        than its fair share of blocks. `γ` (gamma) is the fraction of honest miners that build on
        the pool's block when two blocks compete (how well connected the pool is).

        The bars show the pool's share of the blocks in the final chain, measured by simulating
        100,000 blocks for each pool size; the orange line is its fair share (equal to its
        computing power). Above the line, selfish mining pays.
        """)
    explore.setup("widget_selfish", """
        gamma_choice = widgets.SelectionSlider(options=[0.0, 0.25, 0.5, 0.75, 1.0], value=0.0,
                                               description="γ")
        selfish_picture = widgets.HTML()


        def show_selfish(_=None):
            sizes = [round(0.05 * i, 2) for i in range(1, 10)]
            earned = [selfish_mining(alpha, gamma_choice.value) for alpha in sizes]
            selfish_picture.value = bar_chart(
                [100 * e for e in earned], labels=[f"{a:.0%}" for a in sizes], unit=" %",
                title=f"The selfish pool's share of blocks (%) by its power (γ = {gamma_choice.value})",
                trend=[100 * a for a in sizes], trend_label="fair share")


        gamma_choice.observe(show_selfish, names="value")
        show_selfish()
        display(widgets.VBox([gamma_choice, selfish_picture]))
        """, fold=True)
    explore.md("""
        **Question 6.** With `γ = 0`, from about what share of the computing power does selfish
        mining earn more than the fair share?

        - **A** about 10 %;  **B** about one third;  **C** only above one half.

        Answer with `answer_selfish = "…"`, with the letter A, B or C between the quotes.
        """)
    explore.question("q6", "answer_selfish", '"B"', '"A"',
                     'check_choice(answer_selfish, ["A", "B", "C"])', 1, """
        assert selfish_mining(0.25, 0.0) < 0.25 < 0.40 < selfish_mining(0.40, 0.0)
        assert answer_selfish == "B", "find where the bars rise above the orange line"
        """)
    explore.md("""
        ## 4. In your own words

        **Question 7 (marked by your instructor).** A city plans to accept payments in a public
        proof-of-work cryptocurrency. Using what you measured, explain in four or five sentences
        how a double spend works, what decides its chance of success, and two precautions the city
        should take.
        """)
    explore.written("q7_written", 2, """
        *Model answer.* The payer pays, gets the goods, and meanwhile mines (or rents power to mine)
        a secret branch in which the same coins go elsewhere; if that branch becomes heavier it is
        published and every node reorganises to it, erasing the payment. Its chance depends on the
        attacker's share of the computing power and on how many confirmations the city waits for:
        with a small share it falls quickly with each confirmation, above half it always
        succeeds. Precautions: wait for more confirmations for larger amounts (e.g. 6 or more),
        watch for reorganisations and unusual hash-power shifts, and for high-value or
        government use prefer a permissioned chain with known validators and fast finality.
        *Marking: 1 point for the mechanism (secret heavier branch, reorganisation), 1 point for
        share + confirmations and sensible precautions.*
        """)

    build = Notebook(lab, "build")
    build.md("""
        # Lab 07 · Attacks on proof of work

        *Enterprise track: you write the code.*

        You will play both sides:

        1. compute Nakamoto's probability that an attacker ever catches up;
        2. **double spend**: mine a private branch that replaces a confirmed payment, and watch
           `minichain`'s own chain reorganise to it;
        3. **fake longer chain**: forge a longer chain with real proof of work but a stolen
           transfer, and see an honest node refuse it and ban you;
        4. **selfish mining**: simulate Eyal and Sirer's strategy and measure its revenue.

        The honest side is `minichain` itself: `Chain.add_block` (fork choice and reorganisation,
        `minichain/chain.py`) and `NodeCore.receive` (peer scoring and bans,
        `minichain/node/core.py`).
        """)
    build.md(BUILD_INTRO)
    build.setup("setup", """
        import dataclasses
        import math
        import random

        from minichain import Block, Chain, transactions_root
        from minichain.node.core import NodeConfig, NodeCore
        from minichain.node.effects import Ban
        from minichain.node.messages import Blocks, Hello
        from minichain.testing import make_genesis, make_wallet, produce_block

        ALICE, ALICE_2, MERCHANT = make_wallet("alice"), make_wallet("alice-2"), make_wallet("merchant")
        HONEST_MINERS, ATTACKER = make_wallet("honest-miners"), make_wallet("attacker")
        GENESIS = make_genesis("pow", difficulty_bits=8, retarget_window=1000, funded=[ALICE])
        PAYMENT = ALICE.transfer(GENESIS.chain_id, MERCHANT.address, 1000, 0, fee=1)  # buys the car
        REFUND = ALICE.transfer(GENESIS.chain_id, ALICE_2.address, 1000, 0, fee=1)    # same coins, same nonce


        def merchant_chain(confirmations=3):
            \"\"\"The merchant's node: the payment in block 1, then more honest blocks on top.\"\"\"
            chain = Chain(GENESIS)
            produce_block(chain, [PAYMENT], producer=HONEST_MINERS)
            for _ in range(confirmations - 1):
                produce_block(chain, producer=HONEST_MINERS)
            return chain


        def honest_node(blocks=3):
            \"\"\"A node with `blocks` honest blocks that has greeted a peer claiming a heavier chain.\"\"\"
            chain = Chain(GENESIS)
            for _ in range(blocks):
                produce_block(chain, producer=HONEST_MINERS)
            node = NodeCore(GENESIS, NodeConfig("honest"), chain=chain)
            boast = Hello(GENESIS.chain_id, chain.genesis_hash, "attacker", 50, bytes(32), 2 ** 40)
            node.receive("attacker", boast, float(GENESIS.timestamp + 100))
            return node

        print("ready")
        """)
    build.md("""
        ## Exercise 1: can the attacker catch up?

        Section 11 of the Bitcoin paper: an attacker with share `q` of the hash power (honest
        miners `p = 1 - q`) is `z` blocks behind. While the honest chain found `z` blocks, the
        attacker's progress is Poisson-distributed with mean `λ = z q / p`; from `k` blocks it
        still catches up with probability `(q/p)^(z-k)` (1 if `k > z`). So

        `P = 1 - Σ_{k=0..z} (λ^k e^(-λ) / k!) · (1 - (q/p)^(z-k))`, and `P = 1` if `q ≥ p`.

        `catch_up_probability(q, z)`:

        1. if `q >= 0.5`, return 1.0;
        2. compute `p` and `λ`;
        3. start from 1.0 and subtract the terms for `k = 0 .. z`.
        """)
    build.answer("ex1_answer", """
        def catch_up_probability(q, z):
            \"\"\"Nakamoto: the chance an attacker with share q ever overtakes from z blocks behind.\"\"\"
            # 1. a majority always catches up
            # 2. p = 1 - q, lam = z * q / p
            # 3. 1 - sum over k = 0..z of poisson(k) * (1 - (q / p) ** (z - k))
            ### BEGIN SOLUTION
            if q >= 0.5:
                return 1.0
            p = 1 - q
            lam = z * q / p
            total = 1.0
            for k in range(z + 1):
                poisson = math.exp(-lam) * lam ** k / math.factorial(k)
                total -= poisson * (1 - (q / p) ** (z - k))
            return total
            ### END SOLUTION
        """)
    build.test("ex1_test", 1, """
        assert catch_up_probability(0.1, 0) == 1.0
        assert catch_up_probability(0.6, 5) == 1.0
        assert abs(catch_up_probability(0.1, 1) - 0.2045873) < 1e-6
        print("ok")
        """)
    build.hidden("ex1_hidden", 2, "Hidden tests: the table in the Bitcoin paper.", """
        _table = {0.1: [1.0, 0.2045873, 0.0509779, 0.0131722, 0.0034552, 0.0009137, 0.0002428, 0.0000647,
                        0.0000173, 0.0000046, 0.0000012],
                  0.3: {0: 1.0, 5: 0.1773523, 10: 0.0416605, 15: 0.0101008, 20: 0.0024804, 25: 0.0006132,
                        30: 0.0001522, 35: 0.0000379, 40: 0.0000095, 45: 0.0000024, 50: 0.0000006}}
        for _z, _p in enumerate(_table[0.1]):
            assert abs(catch_up_probability(0.1, _z) - _p) < 1e-7, f"q=0.1, z={_z}"
        for _z, _p in _table[0.3].items():
            assert abs(catch_up_probability(0.3, _z) - _p) < 1e-7, f"q=0.3, z={_z}"
        assert catch_up_probability(0.5, 10) == 1.0
        """)
    build.md("""
        Measure: how many confirmations keep the risk below 0.1 % for each attacker share? (Not
        graded: run it and read.)
        """)
    build.code("""
        for q in [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4]:
            z = next(z for z in range(0, 150) if catch_up_probability(q, z) < 0.001)
            print(f"attacker share {q:.0%}: wait for {z} blocks after the payment's block")
        """)
    build.md("""
        ## Exercise 2: the double spend

        The merchant's node (`merchant_chain()`) holds `PAYMENT` (Alice → merchant, nonce 0) in
        block 1 and two more honest blocks: three confirmations. Alice has signed `REFUND`: the
        same coins, the same nonce 0, to her second wallet. She mines a **private branch** from the
        genesis block.

        `private_branch(length)` returns `length` mined blocks, oldest first, forming a chain from
        the genesis block, whose first block carries `REFUND`:

        1. `chain = Chain(GENESIS)`: Alice's own view, starting at the genesis block;
        2. for each block: `block, _ = chain.build_block(txs, ATTACKER.address, timestamp)` with
           `txs = [REFUND]` for the first block and `[]` after it, a timestamp 10 s after the tip;
        3. mine the header: `chain.engine.mine(block.header).header`;
        4. add the mined block to `chain` (so the next one builds on it) and collect it.

        All blocks have the same difficulty here, so the longer branch is the heavier one.
        """)
    build.answer("ex2_answer", """
        def private_branch(length):
            \"\"\"Alice's secret branch from genesis: `length` mined blocks, REFUND in the first.\"\"\"
            # 1. chain = Chain(GENESIS)
            # 2. build each block on the tip (REFUND in the first), 10 s after the tip
            # 3. mine it
            # 4. add it to your chain and keep it
            ### BEGIN SOLUTION
            chain = Chain(GENESIS)
            blocks = []
            for index in range(length):
                block, _ = chain.build_block([REFUND] if index == 0 else [], ATTACKER.address,
                                             chain.tip.timestamp + 10)
                mined = Block(chain.engine.mine(block.header).header, block.transactions)
                chain.add_block(mined)
                blocks.append(mined)
            return blocks
            ### END SOLUTION
        """)
    build.test("ex2_test", 1, """
        blocks = private_branch(1)
        assert len(blocks) == 1 and blocks[0].transactions == (REFUND,), "one block, carrying REFUND"
        print(Chain(GENESIS).add_block(blocks[0]).status)
        """)
    build.hidden("ex2_hidden", 3, "Hidden tests: the merchant's node judges your branch.", """
        def _publish(blocks, chain):
            _updates = []
            for _block in blocks:
                try:
                    _updates.append(chain.add_block(_block))
                except Exception as error:
                    raise AssertionError(f"the merchant's node refused it: [{error.rule}] {error}") from None
            return _updates

        _merchant = merchant_chain()
        _statuses = [u.status for u in _publish(private_branch(3), _merchant)]
        assert "reorg" not in _statuses, "equal length: the merchant keeps the branch it saw first"
        assert _merchant.state.balance(MERCHANT.address) == 1000
        _merchant = merchant_chain()
        _updates = _publish(private_branch(4), _merchant)
        assert _updates[-1].status == "reorg", "four blocks beat three: the merchant's node must reorganise"
        assert _merchant.state.balance(MERCHANT.address) == 0, "the payment should have vanished"
        assert _merchant.state.balance(ALICE_2.address) == 1000
        assert [tx for b in _updates[-1].disconnected for tx in b.transactions] == [PAYMENT]
        """)
    build.md("""
        ## Exercise 3: the fake longer chain

        Now try to cheat without the hash power: forge a chain **longer than the honest node's 3
        blocks**, with **real proof of work in every block**, in which Alice's coins move to the
        attacker although Alice never signed. Then the only rule your chain breaks is the
        signature rule, and you will see what that costs you.

        `forge_chain()` returns the forged blocks, oldest first, starting after the genesis block:

        1. on a fresh `Chain(GENESIS)`, mine 3 honest-looking empty blocks with
           `produce_block(chain, producer=ATTACKER)` (it mines and adds them);
        2. the theft: take a transfer the attacker signs to itself, 500,000 coins, nonce 0, and
           swap in Alice's public key so that it claims to come from Alice:
           `dataclasses.replace(ATTACKER.transfer(GENESIS.chain_id, ATTACKER.address, 500_000, 0),
           sender_key=ALICE.public_key)`;
        3. `chain.build_block` checks signatures and would leave the theft out, so assemble the
           fourth block by hand: build an empty template 10 s after the tip, replace its header's
           `merkle_root` with `transactions_root((theft,), chain.suite)` (`dataclasses.replace`),
           and mine that header (`chain.engine.mine(header).header`): the work is real;
        4. return the 3 blocks of `chain` after genesis plus `Block(mined_header, (theft,))` (do
           not add the fourth to your chain: your own node would refuse it).

        (The fourth block's state root is stale too, but a node checks signatures first.)
        """)
    build.answer("ex3_answer", """
        def forge_chain():
            \"\"\"Four blocks with real work; the last moves Alice's coins without her signature.\"\"\"
            # 1. three empty mined blocks on a fresh chain
            # 2. the theft: signed by the attacker, claiming Alice as the sender
            # 3. a fourth block: empty template, Merkle root of (theft,), mined
            # 4. all four blocks, oldest first
            ### BEGIN SOLUTION
            chain = Chain(GENESIS)
            for _ in range(3):
                produce_block(chain, producer=ATTACKER)
            theft = dataclasses.replace(ATTACKER.transfer(GENESIS.chain_id, ATTACKER.address, 500_000, 0),
                                        sender_key=ALICE.public_key)
            template, _ = chain.build_block([], ATTACKER.address, chain.tip.timestamp + 10)
            root = transactions_root((theft,), chain.suite)
            header = dataclasses.replace(template.header, merkle_root=root)
            mined = chain.engine.mine(header).header
            return list(chain.main_chain())[1:] + [Block(mined, (theft,))]
            ### END SOLUTION
        """)
    build.test("ex3_test", 1, """
        forged = forge_chain()
        assert len(forged) == 4, "four blocks: longer than the honest three"
        assert forged[-1].transactions and forged[-1].transactions[0].sender == ALICE.address
        print("forged", len(forged), "blocks")
        """)
    build.hidden("ex3_hidden", 3, "Hidden tests: an honest node receives your chain.", """
        _forged = forge_chain()
        _check = Chain(GENESIS)
        _parent = _check.tip
        for _block in _forged:  # real work everywhere: only the signature may be wrong
            _check.engine.check_seal(_block.header, _parent, _check)
            _parent = _block.header
        _node = honest_node(3)
        _tip, _root = _node.chain.tip_hash, _node.chain.state.root()
        _effects = _node.receive("attacker", Blocks(tuple(_forged), False), float(GENESIS.timestamp + 101))
        _bans = [e for e in _effects if isinstance(e, Ban)]
        _said = "; ".join(getattr(e, "detail", "") for e in _effects)
        assert _bans, f"the honest node did not ban the sender: {_said}"
        assert "[tx-signature]" in _bans[0].reason, f"banned for another rule: {_bans[0].reason}"
        assert _node.chain.tip_hash == _tip and _node.chain.state.root() == _root, "the honest chain changed"
        assert _node.chain.state.balance(ATTACKER.address) == 0
        """)
    build.md("""
        ## Exercise 4: selfish mining

        Eyal and Sirer's selfish miner (*Majority is not enough*, 2014) is a small state machine.
        The pool has hash share `alpha`; each round one block is found, by the pool with
        probability `alpha`. The pool keeps a private `lead` (secret blocks) and a `tie` flag (two
        public branches of equal length compete). Rewards count blocks that end in the final chain:

        | event | state | what happens |
        |---|---|---|
        | pool finds a block | tie | it publishes and wins the tie: pool += 2, tie ends |
        | pool finds a block | otherwise | lead += 1 (kept secret) |
        | honest block | tie | with probability `gamma` on the pool's branch: pool += 1, others += 1 |
        | | | otherwise on the honest branch: others += 2 (the tie ends either way) |
        | honest block | lead 0 | others += 1 |
        | honest block | lead 1 | the pool publishes its block: a tie (lead 0, tie) |
        | honest block | lead 2 | the pool publishes both and wins: pool += 2, lead 0 |
        | honest block | lead > 2 | the pool publishes one, staying ahead: pool += 1, lead -= 1 |

        `selfish_revenue(alpha, gamma, rounds, seed)`:

        1. `rng = random.Random(seed)`; counters `pool = others = lead = 0`, `tie = False`;
        2. each round: `rng.random() < alpha` means the pool found the block; apply the table
           (for the `gamma` choice draw `rng.random() < gamma`);
        3. return `pool / (pool + others)` (blocks still secret at the end do not count).
        """)
    build.answer("ex4_answer", """
        def selfish_revenue(alpha, gamma, rounds=200_000, seed=1):
            \"\"\"The selfish pool's share of the blocks in the final chain.\"\"\"
            # 1. a seeded random generator and the counters
            # 2. one block per round, by the pool with probability alpha: apply the table
            # 3. the pool's share of the counted blocks
            ### BEGIN SOLUTION
            rng = random.Random(seed)
            pool = others = lead = 0
            tie = False
            for _ in range(rounds):
                if rng.random() < alpha:
                    if tie:
                        pool, tie = pool + 2, False
                    else:
                        lead += 1
                elif tie:
                    if rng.random() < gamma:
                        pool, others = pool + 1, others + 1
                    else:
                        others += 2
                    tie = False
                elif lead == 0:
                    others += 1
                elif lead == 1:
                    lead, tie = 0, True
                elif lead == 2:
                    pool, lead = pool + 2, 0
                else:
                    pool, lead = pool + 1, lead - 1
            return pool / (pool + others)
            ### END SOLUTION
        """)
    build.test("ex4_test", 1, """
        assert selfish_revenue(0.0, 0.5, rounds=1000) == 0.0, "a pool with no hash power earns nothing"
        print(f"alpha 0.40, gamma 0: {selfish_revenue(0.4, 0.0):.3f}")
        """)
    build.hidden("ex4_hidden", 2, "Hidden tests: your simulation against Eyal and Sirer's formula.", """
        def _formula(a, g):
            return (a * (1 - a) ** 2 * (4 * a + g * (1 - 2 * a)) - a ** 3) / (1 - a * (1 + (2 - a) * a))

        for _alpha, _gamma in [(0.1, 0.0), (0.25, 0.0), (0.3, 0.5), (1 / 3, 0.0), (0.4, 0.0), (0.45, 1.0)]:
            _got = selfish_revenue(_alpha, _gamma, rounds=200_000, seed=7)
            assert abs(_got - _formula(_alpha, _gamma)) < 0.02, (
                f"alpha {_alpha:.2f}, gamma {_gamma}: simulated {_got:.3f}, expected about "
                f"{_formula(_alpha, _gamma):.3f}")
        assert selfish_revenue(0.25, 0.0, seed=3) < 0.25 < 0.40 < selfish_revenue(0.40, 0.0, seed=3)
        assert len({selfish_revenue(0.3, 0.5, rounds=2000, seed=_s) for _s in range(4)}) > 1, (
            "a simulation's result depends on its seed")
        """)
    build.md("""
        Measure: from which share does selfish mining pay, for each `gamma`? (Not graded.)
        """)
    build.code("""
        for gamma in [0.0, 0.5, 1.0]:
            threshold = next(a / 100 for a in range(1, 50)
                             if selfish_revenue(a / 100, gamma, rounds=50_000) > a / 100)
            print(f"gamma {gamma}: selfish mining pays from about {threshold:.0%} of the hash power")
        """)
    build.md("""
        ## What you learned

        Proof of work does not stop anyone from *trying*: it makes rewriting history cost real
        computation, and it makes every node check every block, so a fake chain costs its sender
        the connection. What remains possible is what the rules allow: a majority can outpace the
        honest chain, and a large pool can bend the reward distribution. The defences are economic
        (confirmations in proportion to value) and, for institutions, architectural: known,
        accountable validators — the subject of lab 08.
        """)
    return [explore, build]


LABS = {"lab06": lab06, "lab07": lab07}


def main(argv: list[str]) -> None:
    chosen = argv or list(LABS)
    for name in chosen:
        for notebook in LABS[name]():
            print("wrote", notebook.write().relative_to(SOURCE.parent.parent))


if __name__ == "__main__":
    main(sys.argv[1:])
