"""Write the source notebooks of labs 05-08 (mining, network, attacks, consortium).

Each lab gets two notebooks in labs/source/labNN_topic/: explore.ipynb (officials: widgets and
questions answered by setting a variable) and build.ipynb (enterprise staff: stubs with numbered
steps, a visible test, and hidden tests in their own cells that hand the learner's output to the
real minichain validators). The notebooks are written without outputs and with fixed cell ids, so
running this script twice gives the same bytes:

    python labs/tools/make_labs_05_08.py            # all four labs
    python labs/tools/make_labs_05_08.py lab05      # one lab
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


# --- lab 05: mining -----------------------------------------------------------------------------


def lab05() -> list[Notebook]:
    lab = "lab05_mining"
    explore = Notebook(lab, "explore")
    explore.md("""
        # Lab 05 · Proof of work: mining, difficulty and the retarget

        *Officials' track: no programming, you explore and answer.*

        A public blockchain such as Bitcoin has no administrator who decides which block comes next.
        Instead, whoever adds a block must first do a lot of useless-looking computation, called
        **proof of work**. In this lab you will:

        1. mine a block yourself and see what "difficulty" means;
        2. see that mining is a lottery: sometimes quick, sometimes slow, predictable on average;
        3. see why work protects old records: changing one means redoing the work of every block after it;
        4. watch the **retarget** keep blocks about 10 seconds apart when miners join or leave.

        Everything runs on `minichain`, a small but real blockchain. The same seeds give the same
        results on every computer, so your answers can be checked.
        """)
    explore.md(HOW_TO_ANSWER)
    explore.setup("setup", """
        # Run this cell first: it loads minichain and the tools this lab uses.
        import random

        import ipywidgets as widgets
        from IPython.display import HTML, SVG, display

        from minichain import Block, Chain, viz
        from minichain.consensus.pow import work
        from minichain.testing import make_chain, make_genesis, make_wallet

        ALICE, BOB, MINER = make_wallet(0), make_wallet(1), make_wallet("miner")
        WIDE = {"description_width": "initial"}  # widget labels shown in full


        def demo_block(bits, shift=0):
            \"\"\"The demo block (Alice pays Bob 25) on a chain of the given difficulty; `shift` seconds
            later gives another block with the same content.\"\"\"
            genesis = make_genesis("pow", difficulty_bits=bits)
            chain = Chain(genesis)
            payment = ALICE.transfer(genesis.chain_id, BOB.address, 25, 0, fee=1)
            block, _ = chain.build_block([payment], MINER.address, genesis.timestamp + 600 + shift)
            return chain, block
        """, BAR_CHART, CHECKS, 'print("ready")', fold=True)
    explore.md("""
        ## 1. Mining one block

        A block's **hash** is a 256-bit fingerprint of its contents: change anything and the hash
        changes completely and unpredictably. The rule of proof of work is simple: *a block only
        counts if its hash, read as a number, is below a **target***. With a difficulty of
        `bits`, the hash must start with at least `bits` zero bits.

        The miner cannot choose the hash. It can only change a counter in the block, the **nonce**,
        and try again: 0, 1, 2, 3, ... until a hash happens to fall below the target. Each extra
        difficulty bit halves the chance of success per try, so it **doubles** the expected work:
        on average `2 ** bits` attempts.

        Move the slider and press **Mine**. The zero bits the rule demands are shown in green.
        """)
    explore.setup("widget_mine", """
        bits_slider = widgets.IntSlider(value=8, min=0, max=16, description="difficulty bits", style=WIDE)
        mine_button = widgets.Button(description="Mine the demo block", button_style="primary")
        mine_result = widgets.HTML()


        def mine_demo(_=None):
            bits = bits_slider.value
            chain, block = demo_block(bits)
            result = chain.engine.mine(block.header)
            digest = result.header.hash(chain.suite)
            binary = "".join(f"{byte:08b}" for byte in digest[:5])
            mine_result.value = (
                f"<p>Difficulty <b>{bits}</b> bits: found nonce <b>{result.header.seal.nonce}</b> after "
                f"<b>{result.attempts:,}</b> attempts (expected on average: {2 ** bits:,}).</p>"
                f"<p>Block hash <code>{digest.hex()}</code></p><p>Its first 40 bits: <code>"
                f"<span style='color:#2e7d32;font-weight:bold'>{binary[:bits]}</span>{binary[bits:]}"
                "</code></p>")


        mine_button.on_click(mine_demo)
        bits_slider.observe(mine_demo, names="value")
        mine_demo()
        display(widgets.VBox([widgets.HBox([bits_slider, mine_button]), mine_result]))
        """, fold=True)
    explore.md("""
        **Question 1.** Set the slider to **12** bits and mine the demo block. How many attempts
        did the miner need? (A whole number, without commas.)
        """)
    explore.question("q1", "answer_attempts_12", "4749", "1234",
                     "check_number(answer_attempts_12, 1, 10 ** 7)", 1, """
        _chain, _block = demo_block(12)
        assert answer_attempts_12 == _chain.engine.mine(_block.header).attempts, (
            "not the number of attempts the demo block needs at 12 bits: mine it again and read "
            "the number in bold")
        """)
    explore.md("""
        **Question 2.** Without mining: on average, how many attempts does a block need at a
        difficulty of **16** bits?
        """)
    explore.question("q2", "answer_expected_16", "2 ** 16", "1000",
                     "check_number(answer_expected_16, 1, 2 ** 64)", 1, """
        assert answer_expected_16 == 65536, "each bit doubles the expected number of attempts"
        """)
    explore.md("""
        ## 2. A lottery with a predictable average

        Mining is like rolling dice: nobody can make a lucky roll happen, but over many rolls the
        average is very predictable. Press the button to mine 40 different blocks at the same
        difficulty and compare each block's number of attempts with the expected average (the red
        line).
        """)
    explore.setup("widget_luck", """
        luck_bits = widgets.IntSlider(value=8, min=4, max=12, description="difficulty bits", style=WIDE)
        luck_button = widgets.Button(description="Mine 40 blocks", button_style="primary")
        luck_picture = widgets.HTML()


        def mine_many(_=None):
            bits = luck_bits.value
            attempts = []
            for shift in range(40):
                chain, block = demo_block(bits, shift)
                attempts.append(chain.engine.mine(block.header).attempts)
            average = sum(attempts) / len(attempts)
            luck_picture.value = scroll(bar_chart(
                attempts, labels=[f"block {i + 1}" for i in range(40)],
                title=f"Attempts per block at {bits} bits: fewest {min(attempts):,}, most {max(attempts):,}, "
                      f"average {average:,.0f}",
                line=2 ** bits, line_label=f"expected {2 ** bits:,}"))


        luck_button.on_click(mine_many)
        mine_many()
        display(widgets.VBox([widgets.HBox([luck_bits, luck_button]), luck_picture]))
        """, fold=True)
    explore.md("""
        **Question 3.** Mining many blocks at the same difficulty, the number of attempts per block:

        - **A** is always exactly `2 ** bits`;
        - **B** varies a lot from block to block, but averages about `2 ** bits`;
        - **C** goes down as the miner gets better at guessing.

        Answer with `answer_luck = "…"`, with the letter A, B or C between the quotes.
        """)
    explore.question("q3", "answer_luck", '"B"', '"A"',
                     'check_choice(answer_luck, ["A", "B", "C"])', 1, """
        assert answer_luck == "B", "look at the chart again: the bars and the red line"
        """)
    explore.md("""
        ## 3. Why old records are hard to change

        Each block contains the hash of the block before it. Change a transaction in an old block
        and that block's hash changes: its proof of work no longer holds, and the next block now
        points to a hash that does not exist. Every block from the changed one onwards must be
        mined again, while honest miners keep adding new blocks.

        Below is a real chain of 5 blocks (plus block #0, the genesis block). Choose a block to
        tamper with: broken blocks turn red.
        """)
    explore.setup("widget_tamper", """
        import dataclasses

        honest = make_chain(5, transfers_per_block=1)
        tamper_choice = widgets.Dropdown(options=[("nothing", 0)] + [(f"block #{h}", h) for h in range(1, 6)],
                                         description="tamper with", style=WIDE)
        tamper_picture = widgets.HTML()


        def tamper(_=None):
            blocks = list(honest.main_chain())
            height = tamper_choice.value
            note = "<p>All blocks check out: every hash meets its target and every link holds.</p>"
            if height:
                changed = dataclasses.replace(blocks[height].transactions[0], amount=999_999)
                blocks[height] = dataclasses.replace(blocks[height], transactions=(changed,))
                redo = len(blocks) - height
                note = (f"<p>Block #{height} now pays 999,999 coins, so its contents no longer match "
                        f"its header. To hide this, a forger must redo the proof of work of <b>{redo}</b> "
                        "block(s) — and outrun every honest miner while doing it.</p>")
            tamper_picture.value = scroll(viz.chain_svg(viz.chain_boxes(blocks, honest.suite))) + note


        tamper_choice.observe(tamper, names="value")
        tamper()
        display(widgets.VBox([tamper_choice, tamper_picture]))
        """, fold=True)
    explore.md("""
        **Question 4.** In a chain of 5 blocks after the genesis block (#1 to #5), someone changes a
        transaction in block **#2**. How many blocks must they mine again to make the chain valid?
        """)
    explore.question("q4", "answer_blocks_to_redo", "4", "2",
                     "check_number(answer_blocks_to_redo, 0, 6)", 1, """
        assert answer_blocks_to_redo == 4, "count the red blocks for block #2"
        """)
    explore.md("""
        ## 4. The retarget: keeping time steady

        Miners come and go. If twice as much computing power joins, blocks are found twice as fast.
        To keep a steady pace, every node recomputes the target every 10 blocks (the **retarget**):
        if the last window of blocks came too fast, the target gets smaller (harder); if too slow,
        larger (easier). To resist manipulation, one retarget may change the difficulty by at most
        a factor of **4** either way, as in Bitcoin.

        The simulation below mines 59 real blocks that should come every 10 seconds (the red
        line). From block 20 on, the miners' computing power is multiplied by the factor you
        choose. The bars are the seconds between blocks: random, because mining is a lottery. The
        orange line is the *expected* time (the block's difficulty divided by the computing power),
        which the retarget steers. The table shows each window of 10 blocks that share one
        difficulty: blocks 10–19, 20–29 and so on.
        """)
    explore.setup("widget_retarget", """
        def simulate_retarget(power_factor, blocks=59, seed=116):
            \"\"\"Mine `blocks` real blocks. The seconds each takes are random (miners are lucky or not),
            averaging the block's work divided by the miners' hash power.\"\"\"
            genesis = make_genesis("pow", difficulty_bits=10, target_block_time=10, retarget_window=10)
            chain, rng = Chain(genesis), random.Random(seed)
            base_power = 2 ** 10 / 10  # hashes per second: one block per 10 s at the start
            clock, rows = float(genesis.timestamp), []
            for height in range(1, blocks + 1):
                power = base_power * (power_factor if height >= 20 else 1)
                block_work = work(chain.engine.next_target(chain.tip, chain))
                clock += rng.expovariate(power / block_work)
                block, _ = chain.build_block([], MINER.address, int(clock))
                mined = chain.engine.mine(block.header).header
                chain.add_block(Block(mined, ()))
                gap = mined.timestamp - chain.block_at(height - 1).header.timestamp
                rows.append((height, gap, block_work, block_work / power))
            return rows


        power_choice = widgets.SelectionSlider(options=[0.25, 0.5, 1, 2, 4, 8], value=2,
                                               description="power × ", style=WIDE)
        retarget_picture = widgets.HTML()


        def show_retarget(_=None):
            rows = simulate_retarget(power_choice.value)
            colors = ["#1565c0" if height // 10 % 2 == 0 else "#64b5f6" for height, *_ in rows]
            chart = bar_chart([gap for _, gap, _, _ in rows], labels=[f"block {h}" for h, *_ in rows],
                              title="Seconds between blocks (each window of 10 blocks in its own shade)",
                              unit=" s", line=10, line_label="wanted: 10 s", colors=colors,
                              trend=[expected for *_, expected in rows],
                              trend_label="expected: work ÷ hash power")
            table = ["<table><tr><th>blocks</th><th>measured average (s)</th><th>expected (s)</th>"
                     "<th>difficulty (hashes per block)</th></tr>"]
            for start in range(0, len(rows), 10):
                window = rows[max(start - 1, 0):start + 9]
                average = sum(gap for _, gap, _, _ in window) / len(window)
                table.append(f"<tr><td>{window[0][0]}–{window[-1][0]}</td><td>{average:.1f}</td>"
                             f"<td>{window[0][3]:.1f}</td><td>{window[0][2]:,}</td></tr>")
            retarget_picture.value = scroll(chart) + "".join(table) + "</table>"


        power_choice.observe(show_retarget, names="value")
        show_retarget()
        display(widgets.VBox([power_choice, retarget_picture]))
        """, fold=True)
    explore.md("""
        **Question 5.** Suppose the computing power doubles and nothing else changes. Before the
        next retarget reacts, about how many seconds apart are blocks on average? (A number.)
        """)
    explore.question("q5", "answer_seconds_doubled", "5", "12",
                     "check_decimal(answer_seconds_doubled, 0, 100)", 1, """
        assert 4 <= float(answer_seconds_doubled) <= 6, (
            "twice the hashes per second, the same hashes per block: what happens to the time?")
        """)
    explore.md("""
        **Question 6.** Choose power × 8 and compare the difficulty of blocks 20–29 with blocks
        30–39. By at most what factor can one retarget raise (or lower) the difficulty?
        """)
    explore.question("q6", "answer_max_factor", "4", "10",
                     "check_decimal(answer_max_factor, 1, 100)", 1, """
        assert 3.8 <= float(answer_max_factor) <= 4.2, "see the text above the simulation, and the table"
        """)
    explore.md("""
        ## 5. In your own words

        **Question 7 (marked by your instructor).** A ministry wants to record the fingerprints
        (hashes) of land-registry documents on a public proof-of-work blockchain. In three or four
        sentences, explain to a colleague what protects a record written 100 blocks ago from being
        quietly changed, and what an attacker would need to change it.
        """)
    explore.written("q7_written", 2, """
        *Model answer.* Each block includes the hash of the previous one and must carry proof of
        work. Changing the old record changes that block's hash, so its proof of work and every
        later block's link break; the forger must redo the work of all 100 blocks and then overtake
        the honest chain, which keeps growing. That needs more computing power than all honest
        miners together (a majority of the hash power) for a sustained time, which is very expensive
        and visible. *Marking: 1 point for the chain of hashes / redoing the work of every later
        block, 1 point for needing to outpace the honest majority.*
        """)
    build = Notebook(lab, "build")
    build.md("""
        # Lab 05 · Build a miner

        *Enterprise track: you write the code.*

        You will write the pieces of a proof-of-work miner and let `minichain`'s own chain judge
        them:

        1. the **target** for a difficulty, and the expected number of attempts;
        2. the check "does this hash meet the target?";
        3. the **nonce search**: the miner itself;
        4. building and mining whole blocks that the chain accepts;
        5. the **retarget** rule, integer for integer as every node computes it.

        In `minichain` a PoW block hash is `H(content_hash ‖ target ‖ nonce)`: 32 + 32 + 8 = 72
        bytes, where `content_hash` commits to every other header field (parent, height, time,
        Merkle root, state root, beneficiary). The first 64 bytes never change while mining, so a
        miner only varies the last 8 (see `minichain/blocks.py` and `minichain/consensus/pow.py`).
        """)
    build.md(BUILD_INTRO)
    build.setup("setup", """
        import dataclasses

        from minichain import Block, Chain, Header, PowParams, PowSeal
        from minichain.blocks import MAX_TARGET
        from minichain.consensus.pow import work
        from minichain.errors import InsufficientWork, InvalidBlock, WrongTarget
        from minichain.testing import make_genesis, make_wallet

        ALICE, BOB, MINER = make_wallet(0), make_wallet(1), make_wallet("miner")


        def accept(chain, block):
            \"\"\"Add `block` to `chain`; if the chain refuses it, fail with the validator's words.\"\"\"
            try:
                return chain.add_block(block)
            except InvalidBlock as error:
                raise AssertionError(f"the chain refused the block: [{error.rule}] {error}") from None


        def template(bits=8, timestamp_offset=10, transactions=()):
            \"\"\"An unmined block on a fresh chain: its seal holds the target and nonce 0.\"\"\"
            chain = Chain(make_genesis("pow", difficulty_bits=bits))
            block, _ = chain.build_block(list(transactions), MINER.address,
                                         chain.genesis.timestamp + timestamp_offset)
            return chain, block

        print("ready")
        """)
    build.md("""
        ## Exercise 1: the target

        With a difficulty of `bits`, a hash is good enough when it has at least `bits` leading zero
        bits, i.e. when, read as a 256-bit big-endian number, it is at most
        `2 ** (256 - bits) - 1`. The expected number of attempts (the block's **work**) is
        `2 ** 256 // (target + 1)`.

        1. `target_for_bits(bits)`: return the largest 256-bit number with `bits` leading zeros.
        2. `expected_attempts(target)`: return `2 ** 256 // (target + 1)`.
        """)
    build.answer("ex1_answer", """
        def target_for_bits(bits):
            \"\"\"The PoW target for a difficulty of `bits` leading zero bits.\"\"\"
            # 1. the largest 256-bit number with `bits` leading zeros: 2 ** (256 - bits) - 1
            ### BEGIN SOLUTION
            return (1 << (256 - bits)) - 1
            ### END SOLUTION


        def expected_attempts(target):
            \"\"\"How many hashes a miner needs on average to find one at or below `target`.\"\"\"
            # 2. all 2 ** 256 hashes, divided by the target + 1 good ones (integer division)
            ### BEGIN SOLUTION
            return (2 ** 256) // (target + 1)
            ### END SOLUTION
        """)
    build.test("ex1_test", 1, """
        assert target_for_bits(0) == 2 ** 256 - 1
        assert target_for_bits(8) == int("00" + "ff" * 31, 16)
        assert expected_attempts(target_for_bits(8)) == 256
        print("ok")
        """)
    build.hidden("ex1_hidden", 1, "Hidden tests: the targets minichain's genesis uses.", """
        for _bits in range(0, 65):
            _target = PowParams(difficulty_bits=_bits).initial_target
            assert target_for_bits(_bits) == _target, f"target_for_bits({_bits}): not the genesis rule"
            assert expected_attempts(_target) == work(_target), f"expected_attempts wrong at {_bits} bits"
        assert expected_attempts(MAX_TARGET) == 1
        """)
    build.md("""
        ## Exercise 2: does a hash meet the target?

        `meets_target(block_hash, target)`:

        1. read the 32-byte `block_hash` as a big-endian unsigned integer (`int.from_bytes`);
        2. return whether it is **at most** `target`.
        """)
    build.answer("ex2_answer", """
        def meets_target(block_hash, target):
            \"\"\"True if the 32-byte hash, as a big-endian number, is at most `target`.\"\"\"
            # 1. the hash as a number: int.from_bytes(block_hash, "big")
            # 2. compare with the target (equal is good enough)
            ### BEGIN SOLUTION
            return int.from_bytes(block_hash, "big") <= target
            ### END SOLUTION
        """)
    build.test("ex2_test", 1, """
        assert meets_target(bytes(32), 0)
        assert not meets_target(b"\\x01" + bytes(31), 2 ** 248 - 1)
        assert meets_target(b"\\x00\\xff" + bytes(30), 2 ** 248 - 1)
        print("ok")
        """)
    build.hidden("ex2_hidden", 1, "Hidden tests: your verdict against the chain's, nonce by nonce.", """
        _chain, _block = template(bits=4)
        _target = _block.header.seal.target
        for _nonce in range(200):
            _header = _block.header.with_seal(PowSeal(_target, _nonce))
            try:
                _chain.engine.check_seal(_header, _chain.tip, _chain)
                _valid = True
            except InsufficientWork:
                _valid = False
            assert meets_target(_header.hash(_chain.suite), _target) == _valid, f"nonce {_nonce}"
        assert meets_target(_target.to_bytes(32, "big"), _target), "a hash equal to the target counts"
        """)
    build.md("""
        ## Exercise 3: the miner

        `mine(header, suite, max_attempts)` searches nonces 0, 1, 2, ... for a block hash that
        meets the target in `header.seal.target`:

        1. compute the fixed 64-byte prefix once: `header.content_hash(suite)` followed by the
           target as 32 big-endian bytes;
        2. for each nonce in `range(max_attempts)`: hash `prefix + nonce.to_bytes(8, "big")` with
           `suite.hash` (72 bytes);
        3. if the hash meets the target, return `header.with_seal(PowSeal(target, nonce))`;
        4. if no nonce worked, return `None`.

        (Step 2 is exactly what `header.with_seal(PowSeal(target, nonce)).hash(suite)` computes,
        only faster. Either way works.)
        """)
    build.answer("ex3_answer", """
        def mine(header, suite, max_attempts=1_000_000):
            \"\"\"The header with a nonce whose block hash meets its target, or None.\"\"\"
            target = header.seal.target
            # 1. prefix = content hash (32 bytes) + target as 32 big-endian bytes
            # 2. for each nonce: digest = suite.hash(prefix + the nonce as 8 big-endian bytes)
            # 3. if the digest meets the target: return header.with_seal(PowSeal(target, nonce))
            # 4. no nonce worked: return None
            ### BEGIN SOLUTION
            prefix = header.content_hash(suite) + target.to_bytes(32, "big")
            for nonce in range(max_attempts):
                if meets_target(suite.hash(prefix + nonce.to_bytes(8, "big")), target):
                    return header.with_seal(PowSeal(target, nonce))
            return None
            ### END SOLUTION
        """)
    build.test("ex3_test", 1, """
        chain, block = template(bits=8)
        mined = mine(block.header, chain.suite)
        assert mined is not None, "no nonce found at 8 bits: about 256 attempts should do"
        assert meets_target(mined.hash(chain.suite), mined.seal.target)
        print("mined with nonce", mined.seal.nonce)
        """)
    build.hidden("ex3_hidden", 3, "Hidden tests: the chain must accept your mined headers.", """
        for _bits, _offset in [(8, 10), (12, 20), (13, 30)]:
            _chain, _block = template(bits=_bits, timestamp_offset=_offset)
            _mined = mine(_block.header, _chain.suite)
            assert _mined is not None, f"no nonce found at {_bits} bits within a million attempts"
            assert _mined.content_hash(_chain.suite) == _block.header.content_hash(_chain.suite), (
                "mining may only change the nonce")
            _update = accept(_chain, Block(_mined, _block.transactions))
            assert _update.status == "extended"
        # the search starts at nonce 0, so it finds the same nonce as minichain's miner
        _chain, _block = template(bits=10)
        assert mine(_block.header, _chain.suite) == _chain.engine.mine(_block.header).header
        # giving up: at 20 bits, 5 attempts are (almost) never enough for this header
        _chain, _block = template(bits=20)
        assert _chain.engine.mine(_block.header, 0, 5).header is None
        assert mine(_block.header, _chain.suite, max_attempts=5) is None
        """)
    build.md("""
        ## Exercise 4: mine real blocks

        `mine_block(chain, transactions, timestamp)`:

        1. ask the chain for a template: `block, dropped = chain.build_block(transactions,
           MINER.address, timestamp)` (it fills in the parent, height, Merkle root, state root and
           the target the retarget rule demands);
        2. mine its header with your `mine`;
        3. return `Block(mined_header, block.transactions)` (do not add it to the chain: the test
           does, so that the chain judges it).
        """)
    build.answer("ex4_answer", """
        def mine_block(chain, transactions, timestamp):
            \"\"\"A mined block on top of `chain`'s tip holding `transactions`.\"\"\"
            # 1. block, dropped = chain.build_block(...)   (MINER.address gets the reward)
            # 2. mine the template's header
            # 3. return a Block of the mined header and the template's transactions
            ### BEGIN SOLUTION
            block, _ = chain.build_block(transactions, MINER.address, timestamp)
            return Block(mine(block.header, chain.suite), block.transactions)
            ### END SOLUTION
        """)
    build.test("ex4_test", 1, """
        chain = Chain(make_genesis("pow", difficulty_bits=8))
        first = mine_block(chain, [], chain.genesis.timestamp + 10)
        print(accept(chain, first).status, "at height", chain.height)
        """)
    build.hidden("ex4_hidden", 2, "Hidden tests: five blocks with payments, judged by the chain.", """
        _chain = Chain(make_genesis("pow", difficulty_bits=10))
        for _i in range(5):
            _pay = ALICE.transfer(_chain.genesis.chain_id, BOB.address, 100, _i, fee=2)
            _block = mine_block(_chain, [_pay], _chain.genesis.timestamp + 10 * (_i + 1))
            assert _block.transactions == (_pay,), "the block should carry the payment"
            accept(_chain, _block)
        assert _chain.height == 5
        assert _chain.state.balance(BOB.address) == 1_000_000 + 500
        assert _chain.state.balance(MINER.address) == 5 * (50 + 2), "block rewards and fees go to MINER"
        """)
    build.md("""
        ## Exercise 5: the retarget

        Every node must compute exactly the same target for the next block, or the network splits.
        `next_target(chain)` returns the target the block after `chain.tip` must carry. With
        `params = chain.genesis.consensus` (a `PowParams`) and `parent = chain.tip`:

        1. `height = parent.height + 1`; if `height % params.retarget_window != 0`, return the
           parent's target unchanged (`parent.seal.target`);
        2. `first = chain.block_at(height - params.retarget_window).header`: the first block of the
           window that just ended (the window is `first` … `parent`);
        3. `expected = (params.retarget_window - 1) * params.target_block_time`: the seconds the
           window *should* have taken (it has `window - 1` gaps between its blocks);
        4. `actual = parent.timestamp - first.timestamp`, then clamp it to at least
           `-(-expected // 4)` (the ceiling of `expected / 4`) and at most `expected * 4`;
        5. return `parent.seal.target * actual // expected`, kept between 1 and `MAX_TARGET`.

        Integer arithmetic only: a float would round differently on some machine, some day.
        """)
    build.answer("ex5_answer", """
        def next_target(chain):
            \"\"\"The target the block after chain.tip must carry (minichain's retarget rule).\"\"\"
            params, parent = chain.genesis.consensus, chain.tip
            # 1. not a retarget height: the parent's target
            # 2. first = the first block of the window that just ended
            # 3. expected = (window - 1) * target_block_time
            # 4. actual = parent.timestamp - first.timestamp, clamped to [ceil(expected / 4), expected * 4]
            # 5. parent target * actual // expected, kept in [1, MAX_TARGET]
            ### BEGIN SOLUTION
            height = parent.height + 1
            if height % params.retarget_window != 0:
                return parent.seal.target
            first = chain.block_at(height - params.retarget_window).header
            expected = (params.retarget_window - 1) * params.target_block_time
            actual = min(max(parent.timestamp - first.timestamp, -(-expected // 4)), expected * 4)
            return max(1, min(MAX_TARGET, parent.seal.target * actual // expected))
            ### END SOLUTION
        """)
    build.test("ex5_test", 1, """
        chain = Chain(make_genesis("pow", difficulty_bits=8, retarget_window=4))
        assert next_target(chain) == chain.tip.seal.target, "block 1 is not a retarget block"
        print("ok")
        """)
    build.hidden("ex5_hidden", 3,
                 "Hidden tests: blocks carrying your target are handed to the chain (rule pow-target).", """
        def _grow(gaps, window=4, bits=8):
            _chain = Chain(make_genesis("pow", difficulty_bits=bits, retarget_window=window))
            _clock = _chain.genesis.timestamp
            for _gap in gaps:
                _clock += _gap
                _block, _ = _chain.build_block([], MINER.address, _clock)
                _header = _block.header.with_seal(PowSeal(next_target(_chain), 0))
                _mined = _chain.engine.mine(_header).header
                try:
                    _chain.add_block(Block(_mined, ()))
                except WrongTarget as error:
                    raise AssertionError(f"[{error.rule}] {error}") from None
            return _chain

        _grow([10] * 9)                      # on time: the target stays
        _grow([2] * 9)                       # fast: 4 times harder at most
        _grow([5, 5, 3, 1, 2, 9, 4, 7, 4])    # a bit fast
        _grow([60, 30, 25, 80, 15, 40, 33])  # slow: easier, clamped at 4 times
        _grow([0, 0, 0, 1, 0, 0, 0, 1], window=3, bits=12)  # the ceiling of expected / 4
        _grow([13, 7, 11, 9, 10, 12, 8, 14, 6, 10, 10], window=5, bits=9)
        _easy = _grow([0] * 3, window=2, bits=0)
        assert next_target(_easy) <= MAX_TARGET
        """)
    build.md("""
        ## What you built

        A miner is a loop over nonces; the chain accepts its block because every node re-hashes the
        same 72 bytes and compares with a target that every node recomputes the same way. Compare
        your code with `PowEngine.mine` and `PowEngine.next_target` in
        `minichain/consensus/pow.py`: the library hashes the 64-byte prefix once and copies that
        hash state for each nonce, which roughly doubles the speed.
        """)
    return [explore, build]


# --- lab 08: a consortium chain -------------------------------------------------------------------

CONSORTIUM_SETUP = """
    import ipywidgets as widgets
    from IPython.display import HTML, display

    from minichain import Block, Chain
    from minichain.errors import InvalidBlock
    from minichain.net.memory import MemoryNetwork
    from minichain.node.core import NodeConfig
    from minichain.testing import make_genesis, make_wallet

    MEMBERS = {"customs": "Customs", "tax-bureau": "Tax Bureau", "port-authority": "Port Authority",
               "bank": "Bank"}
    WALLETS = {key: make_wallet(f"org-{key}") for key in MEMBERS}
    OUTSIDER = make_wallet("outsider")
    IMPORTER, SHIPPER = make_wallet("importer"), make_wallet("shipper")
    GENESIS = make_genesis("poa", authorities=list(WALLETS.values()), block_time=2,
                           chain_id="trade-consortium", funded=[IMPORTER])
    ENGINE = Chain(GENESIS).engine
    NAME_OF = {wallet.address: MEMBERS[key] for key, wallet in WALLETS.items()}
    WIDE = {"description_width": "initial"}  # widget labels shown in full


    def owner_at(seconds):
        \"\"\"The member whose turn it is `seconds` after the genesis time.\"\"\"
        return NAME_OF[ENGINE.authority_for_slot(ENGINE.slot(GENESIS.timestamp + seconds))]


    def try_to_seal(sealer, seconds):
        \"\"\"`sealer` (a wallet) seals block 1 at `seconds` after genesis; the chain's verdict.\"\"\"
        chain = Chain(GENESIS)
        block, _ = chain.build_block([], sealer.address, GENESIS.timestamp + seconds)
        sealed = Block(ENGINE.seal(block.header, sealer.private_key), ())
        try:
            chain.add_block(sealed)
        except InvalidBlock as error:
            return f"[{error.rule}] {error}"
        return "accepted"


    def consortium_network(online, seconds=60, seed=1):
        \"\"\"The nodes of the members in `online` (keys of MEMBERS), each sealing in its own slots.\"\"\"
        configs = [NodeConfig(key, authority=WALLETS[key]) for key in MEMBERS if key in online]
        net = MemoryNetwork(GENESIS, configs, seed=seed)
        net.run_for(seconds + 1)  # the slot starting at `seconds` too
        return net


    def payments_race(kind, payments=200, seed=1):
        \"\"\"Send `payments` transfers to a 4-node network; (seconds until all are in a block, seconds
        until the last one is final: 3 blocks deep on the consortium chain, 6 on proof of work).\"\"\"
        if kind == "poa":
            genesis, depth = GENESIS, len(MEMBERS) // 2 + 1
            configs = [NodeConfig(key, authority=WALLETS[key]) for key in MEMBERS]
        else:
            genesis, depth = make_genesis("pow", difficulty_bits=12, retarget_window=1000,
                                          chain_id="trade-pow", funded=[IMPORTER]), 6
            configs = [NodeConfig(key, miner=WALLETS[key].address, mining_attempts_per_tick=5,
                                  seed=10 * seed + index) for index, key in enumerate(MEMBERS)]
        net = MemoryNetwork(genesis, configs, seed=seed)
        net.run_for(1)
        start, committed = net.elapsed, None
        for nonce in range(payments):
            net.submit(0, IMPORTER.transfer(genesis.chain_id, SHIPPER.address, 1, nonce, fee=1))
        while net.elapsed - start < 600:
            net.run_for(0.5)
            chain = net.cores[0].chain
            if all(core.chain.state.nonce(IMPORTER.address) == payments for core in net.cores):
                committed = committed or net.elapsed - start
                last = next(block.height for block in chain.main_chain()
                            if any(tx.nonce == payments - 1 for tx in block.transactions))
                if chain.height - last + 1 >= depth:
                    return committed, net.elapsed - start
        return committed, None
    """


def lab08() -> list[Notebook]:
    lab = "lab08_consortium"
    explore = Notebook(lab, "explore")
    explore.md("""
        # Lab 08 · A consortium chain: proof of authority

        *Officials' track: no programming, you explore and answer.*

        Public chains let anyone mine, so they need proof of work to keep strangers honest. Many
        government and business networks are different: the members are **known organisations**,
        bound by agreements, and only they may add blocks. China's BSN (Blockchain-based Service
        Network) and FISCO BCOS consortium chains work this way. `minichain` implements the
        simplest such rule, **proof of authority** (PoA): a fixed list of authorities in the
        genesis file takes turns sealing blocks, each signing its block with its key.

        Our consortium: **Customs**, **Tax Bureau**, **Port Authority** and a **Bank** share a
        chain of trade documents and payments. You will see:

        1. the authority set and the **rotation** of turns;
        2. how a block from an **unauthorised** producer, or out of turn, is refused;
        3. what happens when a member goes **offline**;
        4. **finality** and **throughput** compared with proof of work.
        """)
    explore.md(HOW_TO_ANSWER)
    explore.setup("setup", CONSORTIUM_SETUP, BAR_CHART, CHECKS, 'print("ready")', fold=True)
    explore.md("""
        ## 1. Taking turns

        Time is cut into **slots** of 2 seconds. Slot number = time in seconds ÷ 2 (counted from
        1970, like every computer clock), and the slots go round the genesis list in order:
        Customs, Tax Bureau, Port Authority, Bank, Customs, … A block is valid only if it is signed
        by the owner of its slot, so everybody knows in advance who should produce the next
        block, and nobody can flood the chain with blocks.

        Move the slider to see whose turn it is at each moment after the chain started.
        """)
    explore.setup("widget_rotation", """
        clock = widgets.IntSlider(value=0, min=0, max=30, description="seconds", style=WIDE)
        rotation_picture = widgets.HTML()


        def show_rotation(_=None):
            seconds = clock.value
            owner = owner_at(seconds)
            boxes = []
            for index, name in enumerate(MEMBERS.values()):
                active = name == owner
                fill, stroke, width, weight = (("#c8e6c9", "#2e7d32", 3, "bold") if active
                                               else ("#fafafa", "#9e9e9e", 1, "normal"))
                boxes.append(f'<rect x="{10 + index * 170}" y="10" width="150" height="50" rx="8" '
                             f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"/>'
                             f'<text x="{85 + index * 170}" y="41" text-anchor="middle" font-size="15" '
                             f'font-family="sans-serif" font-weight="{weight}">{name}</text>')
            slot = ENGINE.slot(GENESIS.timestamp + seconds)
            rotation_picture.value = (
                f'<svg xmlns="http://www.w3.org/2000/svg" width="700" height="70">{"".join(boxes)}</svg>'
                f"<p>{seconds} s after the start: slot {slot:,} → slot mod 4 = {slot % 4} → "
                f"<b>{owner}</b> may seal the block.</p>")


        clock.observe(show_rotation, names="value")
        show_rotation()
        display(widgets.VBox([clock, rotation_picture]))
        """, fold=True)
    explore.md("""
        **Question 1.** Whose turn is it **14 seconds** after the start?

        - **A** Customs;  **B** Tax Bureau;  **C** Port Authority;  **D** Bank.

        Answer with `answer_turn_14 = "…"`, with the letter A, B, C or D between the quotes.
        """)
    explore.question("q1", "answer_turn_14", '"D"', '"A"',
                     'check_choice(answer_turn_14, ["A", "B", "C", "D"])', 1, """
        _letters = dict(zip(MEMBERS.values(), "ABCD"))
        assert answer_turn_14 == _letters[owner_at(14)], "move the slider to 14 seconds"
        """)
    explore.md("""
        ## 2. Who may seal a block

        Every node checks each block's seal: is the signer in the genesis list of authorities
        (rule `poa-signer`)? Is it the signer's turn, in a slot after the previous block's (rule
        `poa-turn`)? Does the signature verify (rule `poa-signature`)? Choose who seals the first
        block of a fresh chain, and when.
        """)
    explore.setup("widget_seal", """
        sealer_choice = widgets.Dropdown(
            options=[(name, key) for key, name in MEMBERS.items()] + [("an outsider", "outsider")],
            description="sealed by", style=WIDE)
        when_choice = widgets.IntSlider(value=2, min=2, max=16, step=2, description="at second", style=WIDE)
        seal_result = widgets.HTML()


        def show_seal(_=None):
            key, seconds = sealer_choice.value, when_choice.value
            sealer = OUTSIDER if key == "outsider" else WALLETS[key]
            verdict = try_to_seal(sealer, seconds)
            color = "#2e7d32" if verdict == "accepted" else "#c62828"
            seal_result.value = (f"<p>It is <b>{owner_at(seconds)}</b>'s turn at second {seconds}.</p>"
                                 f"<p>The chain's verdict: <b style='color:{color}'>{verdict}</b></p>")


        sealer_choice.observe(show_seal, names="value")
        when_choice.observe(show_seal, names="value")
        show_seal()
        display(widgets.VBox([widgets.HBox([sealer_choice, when_choice]), seal_result]))
        """, fold=True)
    explore.md("""
        **Question 2.** Which rule id refuses a block sealed by **an outsider**?

        - **A** `poa-signer`;  **B** `poa-turn`;  **C** `poa-signature`;  **D** `block-beneficiary`.

        Answer with `answer_outsider_rule = "…"`, with the letter A, B, C or D between the quotes.
        """)
    explore.question("q2", "answer_outsider_rule", '"A"', '"B"',
                     'check_choice(answer_outsider_rule, ["A", "B", "C", "D"])', 1, """
        assert try_to_seal(OUTSIDER, 2).startswith("[poa-signer]")
        assert answer_outsider_rule == "A", "choose the outsider in the menu and read the rule in brackets"
        """)
    explore.md("""
        **Question 3.** The **Tax Bureau** seals a block at second **4**. Which rule id refuses it?

        - **A** `poa-signer`;  **B** `poa-turn`;  **C** `poa-signature`;  **D** it is accepted.

        Answer with `answer_tax_at_4 = "…"`, with the letter A, B, C or D between the quotes.
        """)
    explore.question("q3", "answer_tax_at_4", '"B"', '"A"',
                     'check_choice(answer_tax_at_4, ["A", "B", "C", "D"])', 1, """
        assert try_to_seal(WALLETS["tax-bureau"], 4).startswith("[poa-turn]")
        assert answer_tax_at_4 == "B", "whose turn is it at second 4?"
        """)
    explore.md("""
        ## 3. When a member goes offline

        Each member runs its own node. If a member's node is down, its slots stay **empty**: the
        others wait for their own turns, and the chain simply grows more slowly. (Nobody can take
        over the missing member's turns: that would need its key.) Untick members and run one
        minute of the network; each square below is a 2-second slot, filled if a block was sealed
        in it.
        """)
    explore.setup("widget_offline", """
        online_boxes = {key: widgets.Checkbox(value=True, description=name, indent=False)
                        for key, name in MEMBERS.items()}
        offline_button = widgets.Button(description="run one minute", button_style="primary")
        offline_picture = widgets.HTML()
        COLORS = dict(zip(MEMBERS.values(), ["#1565c0", "#6a1b9a", "#ef6c00", "#2e7d32"]))


        def slot_strip(net, seconds=60):
            chain = max((core.chain for core in net.cores), key=lambda chain: chain.height)
            sealed = {ENGINE.slot(block.header.timestamp) for block in chain.main_chain()}
            first = ENGINE.slot(GENESIS.timestamp) + 1
            parts = []
            for index, slot in enumerate(range(first, first + seconds // 2)):
                name = NAME_OF[ENGINE.authority_for_slot(slot)]
                filled = slot in sealed
                parts.append(f'<rect x="{5 + index * 22}" y="5" width="19" height="26" rx="3" '
                             f'fill="{COLORS[name] if filled else "#ffffff"}" stroke="{COLORS[name]}" '
                             f'stroke-width="2"><title>slot {slot}: {name}</title></rect>'
                             f'<text x="{14.5 + index * 22}" y="23" font-size="11" text-anchor="middle" '
                             f'font-family="sans-serif" fill="{"#ffffff" if filled else COLORS[name]}">'
                             f'{name[0]}</text>')
            width = 10 + (seconds // 2) * 22
            return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="36">'
                    + "".join(parts) + "</svg>")


        def run_offline(_=None):
            online = [key for key, box in online_boxes.items() if box.value]
            if not online:
                offline_picture.value = "<p>Nobody is online: no blocks at all.</p>"
                return
            net = consortium_network(online)
            height = max(core.chain.height for core in net.cores)
            legend = " · ".join(f"<span style='color:{COLORS[n]}'>■ {n}</span>" for n in MEMBERS.values())
            offline_picture.value = (f"<p><b>{height}</b> blocks in 60 seconds (30 slots), "
                                     f"all nodes agree: {net.converged()}.</p>" + slot_strip(net)
                                     + f"<p>{legend}; an empty square is a missed slot.</p>")


        offline_button.on_click(run_offline)
        run_offline()
        display(widgets.VBox([widgets.HBox(list(online_boxes.values())), offline_button, offline_picture]))
        """, fold=True)
    explore.md("""
        **Question 4.** Untick the **Port Authority** only and run. How many blocks were sealed in
        the minute?
        """)
    explore.question("q4", "answer_blocks_without_port", "22", "30",
                     "check_number(answer_blocks_without_port, 0, 100)", 1, """
        _net = consortium_network(["customs", "tax-bureau", "bank"])
        assert answer_blocks_without_port == max(core.chain.height for core in _net.cores), (
            "untick the Port Authority, run, and read the number of blocks")
        """)
    explore.md("""
        ## 4. Finality and throughput

        On a proof-of-work chain a payment is never absolutely final: a heavier branch could still
        replace its block (lab 07), so merchants wait for several confirmations, commonly 6 blocks
        (an hour on Bitcoin). On our consortium chain, blocks come every 2 seconds from known
        members; once the payment's block and the blocks on top of it have been sealed by **more
        than half of the members** (here 3 blocks in a row, each by a different member), a rival
        branch would need the keys of a majority of members, so the payment is treated as final.
        (BSN and FISCO BCOS networks usually go further and use a voting protocol such as PBFT,
        where a block is final as soon as it is committed.)

        The panel sends the same 200 payments to two 4-node networks: our consortium chain, and a
        proof-of-work chain tuned to a block every 10 seconds (Bitcoin: 600 s). It measures when
        all payments are in a block, and when the last one is final. It takes a few seconds; each
        run number is another run of luck for the miners.
        """)
    explore.setup("widget_finality", """
        race_button = widgets.Button(description="send 200 payments to both", button_style="primary",
                                     layout={"width": "240px"})
        race_seed = widgets.IntSlider(value=1, min=1, max=10, description="run number", style=WIDE)
        race_result = widgets.HTML()


        def run_race(_=None):
            rows, finals = [], []
            for kind, label in [("poa", "consortium (proof of authority)"), ("pow", "proof of work")]:
                committed, final = payments_race(kind, seed=race_seed.value)
                finals.append(final)
                rows.append(f"<tr><td>{label}</td><td>{committed:.1f} s</td><td>{final:.1f} s</td></tr>")
            race_result.value = (
                "<table><tr><th>network</th><th>all 200 in a block</th><th>final</th></tr>" + "".join(rows)
                + "</table>" + bar_chart(finals, labels=["consortium", "proof of work"], unit=" s",
                                         title="Seconds until the payments are final", width=360))


        race_button.on_click(run_race)
        run_race()
        display(widgets.VBox([widgets.HBox([race_seed, race_button]), race_result]))
        """, fold=True)
    explore.md("""
        **Question 5.** About how many times faster did the payments become final on the
        consortium chain?

        - **A** about the same;  **B** about twice as fast;  **C** five times or more.

        Answer with `answer_finality = "…"`, with the letter A, B or C between the quotes.
        """)
    explore.question("q5", "answer_finality", '"C"', '"A"',
                     'check_choice(answer_finality, ["A", "B", "C"])', 1, """
        _poa, _pow = payments_race("poa")[1], payments_race("pow")[1]
        assert _pow >= 5 * _poa
        assert answer_finality == "C", "divide the two 'final' times"
        """)
    explore.md("""
        **Question 6.** A consortium block may hold at most 2,000 transactions
        (`GENESIS.max_block_transactions`) and blocks come every 2 seconds. At most how many
        transactions per second can the chain take?
        """)
    explore.question("q6", "answer_tps", "1000", "50",
                     "check_number(answer_tps, 1, 10 ** 6)", 1, """
        assert answer_tps == GENESIS.max_block_transactions // GENESIS.consensus.block_time
        """)
    explore.md("""
        ## 5. In your own words

        **Question 7 (marked by your instructor).** A provincial platform for trade documents will
        be shared by customs, the tax bureau, the port authority and two banks. In five or six
        sentences, recommend a consortium (proof-of-authority) chain or a public proof-of-work
        chain. Cover: who may produce blocks, what happens if a member goes offline or
        misbehaves, finality, throughput, and one weakness of your choice.
        """)
    explore.written("q7_written", 2, """
        *Model answer.* A consortium chain fits: the members are known and accountable, so only
        their nodes, listed in the genesis file, may seal blocks, in turn; an outsider's or
        out-of-turn block is refused by every node (`poa-signer`, `poa-turn`). If a member goes
        offline its slots stay empty and the chain slows but continues; a misbehaving member is
        identified by its signature and can be removed by the others' agreement (a new genesis or
        governance rule). Payments are final within seconds (once a majority of members has built
        on them; with PBFT immediately), and throughput is high (up to ~1,000 tx/s here) because
        there is no mining. Weaknesses: trust is concentrated in a few members, so a majority of
        them colluding could rewrite history, and joining requires permission and governance.
        *Marking: 1 point for the permissioned producer set and its consequences, 1 point for
        finality/throughput with a weakness.*
        """)

    build = Notebook(lab, "build")
    build.md("""
        # Lab 08 · Build a consortium chain

        *Enterprise track: you write the code.*

        A permissioned chain, like a BSN or FISCO BCOS consortium, replaces mining by a list of
        known **authorities**. In `minichain`'s proof of authority (`minichain/consensus/poa.py`),
        time is cut into slots of `block_time` seconds; slot `s` belongs to authority
        `s mod N` of the genesis list; a block is valid only if the owner of its slot signed it,
        in a slot after its parent's. You will:

        1. write the consortium's genesis: the authority set;
        2. compute whose turn a slot is (the **rotation**);
        3. **seal** blocks yourself (sign the header's content hash), and see the chain refuse
           outsiders (`poa-signer`) and out-of-turn blocks (`poa-turn`);
        4. keep the chain going when a member is offline;
        5. compare **finality** with proof of work.
        """)
    build.md(BUILD_INTRO)
    build.setup("setup", """
        from minichain import AuthoritySeal, Block, Chain, Genesis, PoaParams, PowParams
        from minichain.blocks import poa_signing_bytes
        from minichain.errors import InvalidBlock, UnknownAuthority, WrongTurn
        from minichain.testing import GENESIS_TIME, make_wallet, produce_block

        MEMBERS = [make_wallet(f"org-{name}") for name in ["customs", "tax-bureau", "port-authority", "bank"]]
        CUSTOMS, TAX, PORT, BANK = MEMBERS
        OUTSIDER = make_wallet("outsider")


        def accept(chain, block):
            \"\"\"Add `block` to `chain`; if the chain refuses it, fail with the validator's words.\"\"\"
            try:
                return chain.add_block(block)
            except InvalidBlock as error:
                raise AssertionError(f"the chain refused the block: [{error.rule}] {error}") from None

        print("ready")
        """)
    build.md("""
        ## Exercise 1: the consortium's genesis

        `consortium_genesis(members, block_time=2)` returns a `Genesis` with:

        1. `chain_id="trade-consortium"` and `timestamp=GENESIS_TIME`;
        2. `consensus=PoaParams(authorities, block_time=block_time)` where `authorities` is the
           tuple of the members' addresses **in the given order** (the order is the rotation);
        3. `allocations`: 1,000,000 coins for each member, as a tuple of `(address, amount)` pairs
           sorted by address.
        """)
    build.answer("ex1_answer", """
        def consortium_genesis(members, block_time=2):
            \"\"\"The rules of a proof-of-authority chain sealed by `members` (wallets), in turn.\"\"\"
            # 1. chain id and genesis time
            # 2. the authorities, in order
            # 3. 1,000,000 coins each, sorted by address
            ### BEGIN SOLUTION
            authorities = tuple(member.address for member in members)
            return Genesis(chain_id="trade-consortium", timestamp=GENESIS_TIME,
                           consensus=PoaParams(authorities, block_time=block_time),
                           allocations=tuple(sorted((address, 1_000_000) for address in authorities)))
            ### END SOLUTION
        """)
    build.test("ex1_test", 1, """
        genesis = consortium_genesis(MEMBERS)
        assert genesis.consensus.authorities[0] == CUSTOMS.address
        chain = Chain(genesis)
        produce_block(chain, authorities=MEMBERS)
        print("block 1 sealed; height", chain.height)
        """)
    build.hidden("ex1_hidden", 2, "Hidden tests: the genesis as the chain reads it.", """
        _genesis = consortium_genesis(MEMBERS, block_time=5)
        assert _genesis.chain_id == "trade-consortium" and _genesis.timestamp == GENESIS_TIME
        assert _genesis.consensus.authorities == tuple(m.address for m in MEMBERS), "keep the members' order"
        assert _genesis.consensus.block_time == 5
        assert dict(_genesis.allocations) == {m.address: 1_000_000 for m in MEMBERS}
        assert list(_genesis.allocations) == sorted(_genesis.allocations)
        _reordered = consortium_genesis([BANK, CUSTOMS])
        assert _reordered.consensus.authorities == (BANK.address, CUSTOMS.address)
        _chain = Chain(_genesis)
        for _ in range(6):
            produce_block(_chain, authorities=MEMBERS)
        assert _chain.height == 6
        """)
    build.md("""
        ## Exercise 2: whose turn?

        `slot_owner(genesis, timestamp)`:

        1. `slot = timestamp // genesis.consensus.block_time`;
        2. return the address at position `slot % N` of `genesis.consensus.authorities`.
        """)
    build.answer("ex2_answer", """
        def slot_owner(genesis, timestamp):
            \"\"\"The address of the authority that may seal a block with this timestamp.\"\"\"
            # 1. the slot number
            # 2. round robin over the authorities
            ### BEGIN SOLUTION
            authorities = genesis.consensus.authorities
            return authorities[(timestamp // genesis.consensus.block_time) % len(authorities)]
            ### END SOLUTION
        """)
    build.test("ex2_test", 1, """
        genesis = consortium_genesis(MEMBERS)
        print("at the genesis time:", slot_owner(genesis, GENESIS_TIME))
        assert slot_owner(genesis, GENESIS_TIME + 2) != slot_owner(genesis, GENESIS_TIME + 4)
        """)
    build.hidden("ex2_hidden", 2, "Hidden tests: your rotation against the engine's.", """
        for _block_time, _members in [(2, MEMBERS), (3, MEMBERS[:3]), (1, [PORT]), (7, [TAX, BANK])]:
            _genesis = consortium_genesis(_members, _block_time)
            _engine = Chain(_genesis).engine
            for _t in range(GENESIS_TIME - 20, GENESIS_TIME + 60):
                assert slot_owner(_genesis, _t) == _engine.authority_for_slot(_engine.slot(_t)), (
                    f"block_time {_block_time}, timestamp {_t}")
        """)
    build.md("""
        ## Exercise 3: sealing a block

        An authority seals a block by signing the header's **content hash** (every field except
        the seal), prefixed by a fixed tag so the signature cannot be reused elsewhere:

        `seal_block(chain, member, transactions, timestamp)`:

        1. `block, _ = chain.build_block(transactions, member.address, timestamp)` (the sealer is
           the beneficiary: it collects the fees);
        2. `message = poa_signing_bytes(block.header.content_hash(chain.suite))`;
        3. `signature = chain.suite.sign(member.private_key, message)`;
        4. return `Block(block.header.with_seal(AuthoritySeal(member.public_key, signature)),
           block.transactions)`.

        Do not add it to the chain: the tests do, and the chain decides. (`PoaEngine.seal` does
        steps 2-4; write them yourself here.)
        """)
    build.answer("ex3_answer", """
        def seal_block(chain, member, transactions, timestamp):
            \"\"\"A block on chain's tip sealed by `member` at `timestamp`.\"\"\"
            # 1. the template, paying `member`
            # 2. the signed message: tag + content hash
            # 3. the signature
            # 4. the sealed block
            ### BEGIN SOLUTION
            block, _ = chain.build_block(transactions, member.address, timestamp)
            message = poa_signing_bytes(block.header.content_hash(chain.suite))
            signature = chain.suite.sign(member.private_key, message)
            sealed = block.header.with_seal(AuthoritySeal(member.public_key, signature))
            return Block(sealed, block.transactions)
            ### END SOLUTION
        """)
    build.test("ex3_test", 1, """
        chain = Chain(consortium_genesis(MEMBERS))
        turn = next(m for m in MEMBERS if m.address == slot_owner(chain.genesis, GENESIS_TIME + 2))
        print(accept(chain, seal_block(chain, turn, [], GENESIS_TIME + 2)).status)
        """)
    build.hidden("ex3_hidden", 3, "Hidden tests: the chain judges your seals (poa-signer, poa-turn).", """
        _genesis = consortium_genesis(MEMBERS)
        _chain = Chain(_genesis)
        _by_address = {m.address: m for m in MEMBERS}
        _pay = CUSTOMS.transfer(_genesis.chain_id, OUTSIDER.address, 500, 0, fee=3)
        for _k in range(1, 9):
            _t = GENESIS_TIME + 2 * _k
            _owner = _by_address[slot_owner(_genesis, _t)]
            accept(_chain, seal_block(_chain, _owner, [_pay] if _k == 1 else [], _t))
        assert _chain.height == 8 and _chain.state.balance(OUTSIDER.address) == 500
        _t = GENESIS_TIME + 2 * 9
        try:
            _chain.add_block(seal_block(_chain, OUTSIDER, [], _t))
            raise AssertionError("the chain accepted an outsider's block")
        except UnknownAuthority:
            pass
        _wrong = next(m for m in MEMBERS if m.address != slot_owner(_genesis, _t))
        try:
            _chain.add_block(seal_block(_chain, _wrong, [], _t))
            raise AssertionError("the chain accepted a block sealed out of turn")
        except WrongTurn:
            pass
        assert _chain.height == 8
        """)
    build.md("""
        ## Exercise 4: a member is offline

        If the owner of the next slot is offline, nobody may seal in its slot: the chain waits for
        the next slot whose owner is online.

        `next_block_time(chain, online)`: the earliest timestamp at which one of the `online`
        wallets may seal the next block:

        1. `slot` = the tip's slot (`chain.tip.timestamp // block_time`);
        2. try `slot + 1, slot + 2, …` (at most N of them): the first whose owner is online;
        3. return that slot's start time, `slot * block_time` (or `None` if nobody is online).

        Then `grow(chain, online, blocks)` seals `blocks` blocks in turn with your `seal_block`,
        each at `next_block_time`, by the slot's owner, adding each to the chain.
        """)
    build.answer("ex4_answer", """
        def next_block_time(chain, online):
            \"\"\"When one of the `online` wallets may seal the next block (None: nobody online).\"\"\"
            # 1. the tip's slot
            # 2. the first later slot owned by an online member
            # 3. that slot's start time
            ### BEGIN SOLUTION
            params = chain.genesis.consensus
            online_addresses = {wallet.address for wallet in online}
            slot = chain.tip.timestamp // params.block_time
            for candidate in range(slot + 1, slot + 1 + len(params.authorities)):
                if params.authorities[candidate % len(params.authorities)] in online_addresses:
                    return candidate * params.block_time
            return None
            ### END SOLUTION


        def grow(chain, online, blocks):
            \"\"\"Seal `blocks` blocks, each in the next slot an online member owns.\"\"\"
            # for each block: the time (next_block_time), the member who owns that slot (slot_owner),
            # then accept(chain, seal_block(...)) so the chain judges it
            ### BEGIN SOLUTION
            by_address = {wallet.address: wallet for wallet in online}
            for _ in range(blocks):
                timestamp = next_block_time(chain, online)
                member = by_address[slot_owner(chain.genesis, timestamp)]
                accept(chain, seal_block(chain, member, [], timestamp))
            ### END SOLUTION
        """)
    build.test("ex4_test", 1, """
        chain = Chain(consortium_genesis(MEMBERS))
        assert next_block_time(chain, MEMBERS) == GENESIS_TIME + 2
        grow(chain, MEMBERS, 4)
        print("height", chain.height, "after", chain.tip.timestamp - GENESIS_TIME, "s")
        """)
    build.hidden("ex4_hidden", 2, "Hidden tests: members offline, blocks judged by the chain.", """
        _chain = Chain(consortium_genesis(MEMBERS))
        grow(_chain, [CUSTOMS, TAX, BANK], 9)                # the port authority is down
        assert _chain.height == 9
        assert _chain.tip.timestamp - GENESIS_TIME == 24, "9 blocks in 12 slots: every 4th slot is empty"
        _signers = {b.header.seal.signer for b in list(_chain.main_chain())[1:]}
        assert PORT.public_key not in _signers
        _chain = Chain(consortium_genesis(MEMBERS))
        grow(_chain, [BANK], 3)
        assert (_chain.height, _chain.tip.timestamp - GENESIS_TIME) == (3, 22), "the bank owns every 4th slot"
        assert next_block_time(_chain, []) is None
        """)
    build.md("""
        ## Exercise 5: finality compared

        On proof of work a block is considered final after `confirmations` blocks (itself
        included), each `target_block_time` seconds apart on average. On our PoA chain we treat a
        block as final once blocks sealed by **more than half** of the authorities include it:
        `N // 2 + 1` consecutive blocks (round robin: each by a different authority), one per
        `block_time` when everyone is online.

        `finality_seconds(genesis, confirmations=6)` returns the expected seconds from a block's
        production until it is final, for either kind of genesis (`genesis.consensus` is a
        `PoaParams` or a `PowParams`): the number of blocks needed times the seconds per block.
        """)
    build.answer("ex5_answer", """
        def finality_seconds(genesis, confirmations=6):
            \"\"\"Expected seconds until a block is final on this chain.\"\"\"
            # PoA: (N // 2 + 1) blocks of block_time; PoW: confirmations blocks of target_block_time
            ### BEGIN SOLUTION
            params = genesis.consensus
            if isinstance(params, PoaParams):
                return (len(params.authorities) // 2 + 1) * params.block_time
            return confirmations * params.target_block_time
            ### END SOLUTION
        """)
    build.test("ex5_test", 1, """
        print("consortium:", finality_seconds(consortium_genesis(MEMBERS)), "s")
        assert finality_seconds(consortium_genesis(MEMBERS)) == 6
        """)
    build.hidden("ex5_hidden", 1, "Hidden tests: other authority sets, and proof of work.", """
        assert finality_seconds(consortium_genesis(MEMBERS[:3], block_time=5)) == 10
        assert finality_seconds(consortium_genesis([BANK], block_time=1)) == 1
        _bitcoin = Genesis(chain_id="pow", consensus=PowParams(target_block_time=600))
        assert finality_seconds(_bitcoin) == 3600
        assert finality_seconds(_bitcoin, confirmations=1) == 600
        """)
    build.md("""
        ## What you built

        A permissioned chain trades openness for speed and accountability: no mining, blocks at a
        fixed pace from known members, and every block signed by someone who can be held to
        account. What it needs instead is governance: who is in the genesis list, and how members
        are added or removed. Compare your code with `PoaEngine` in `minichain/consensus/poa.py`,
        and with the network test `test_partition_two_and_two_forks_then_heals_to_one_chain...` in
        `tests/minichain/test_node.py`, which shows that a partitioned PoA chain can still fork:
        BFT voting (a later `minichain` engine) removes even that.
        """)
    return [explore, build]


LABS = {"lab05": lab05, "lab08": lab08}


def main(argv: list[str]) -> None:
    chosen = argv or list(LABS)
    for name in chosen:
        for notebook in LABS[name]():
            print("wrote", notebook.write().relative_to(SOURCE.parent.parent))


if __name__ == "__main__":
    main(sys.argv[1:])
