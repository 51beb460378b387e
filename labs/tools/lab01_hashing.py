"""Lab 1: hash functions, the avalanche, SHA-256 and SM3, a tamper-evident chain of hashes."""

from __future__ import annotations

from common import CHECKS, how_to_build, how_to_explore
from nbkit import code, hidden_tests, md, solution, tests, written

TITLE = "Lab 1 · Hashing"


def explore() -> list:
    return [
        md("""
        # Lab 1 · Hashing: digital fingerprints

        *Officials' track: no programming needed.*

        A **hash function** turns any data (a word, a contract, a whole land register) into a short
        fixed-size **fingerprint**, called a *hash* or *digest*. Blockchains rest on four of its
        properties:

        1. **Same input, same fingerprint**: anyone can recompute it and compare.
        2. **Fixed size**: a one-word message and a 300-page law both give 256 bits.
        3. **Avalanche**: change one letter and about half of the fingerprint's bits flip.
        4. **One way**: from the fingerprint nobody can rebuild the data, or find other data
           with the same fingerprint.

        In this lab you will see each property, compare the international standard **SHA-256**
        with China's national standard **SM3** (GB/T 32905-2016), and watch a chain of hashes
        expose a forged record.
        """),
        how_to_explore(),
        code("""
        # Set-up: run this cell first. It loads minichain and its drawing tools.
        import dataclasses
        import hashlib

        import ipywidgets as widgets
        from IPython.display import display

        from minichain import testing
        from minichain.blocks import Block, transactions_root
        from minichain.crypto import sm3
        from minichain.viz import avalanche, avalanche_svg, chain_boxes, chain_svg
        """, CHECKS, grade_id="setup"),
        md("""
        ## 1. A fingerprint of anything

        Type anything in the box. Below it are the SHA-256 and SM3 fingerprints, written in
        *hexadecimal* (the digits 0-9 and letters a-f, each standing for 4 bits).
        Try one letter, then paste a long paragraph: what happens to the length of the fingerprint?
        """),
        code("""
        text_box = widgets.Textarea(value="minichain", description="Your text",
                                    layout=widgets.Layout(width="95%", height="70px"))
        fingerprints = widgets.HTML()


        def show_fingerprints(_=None):
            data = text_box.value.encode("utf-8")
            sha = hashlib.sha256(data).hexdigest()
            national = sm3(data).hex()
            fingerprints.value = (
                f"<p>{len(data)} bytes of text give:</p>"
                f"<p><b>SHA-256</b> <code>{sha}</code> ({len(sha)} hex characters)</p>"
                f"<p><b>SM3</b> <code>{national}</code> ({len(national)} hex characters)</p>")


        text_box.observe(show_fingerprints, names="value")
        show_fingerprints()
        display(widgets.VBox([text_box, fingerprints]))
        """),
        md("""
        **Question 1.** How many hexadecimal characters long is a SHA-256 fingerprint, whatever
        the text? Answer with the line `answer_hex_characters = ...` (a whole number).
        """),
        solution("q1_hex_characters", """
        ### BEGIN SOLUTION
        answer_hex_characters = 64
        ### END SOLUTION
        """),
        tests("q1_form", 0, "check_number(answer_hex_characters, 1, 1000)"),
        hidden_tests("q1_check", 1, """
        assert answer_hex_characters == len(hashlib.sha256(b"any text").hexdigest())
        """),
        md("""
        ## 2. The avalanche

        Below are a payment order and an edited copy. The grid shows the 256 bits of the edited
        copy's SHA-256 fingerprint: **red squares are bits that differ** from the original's
        fingerprint. Edit the second box: change one letter, add a space, swap two digits.
        """),
        code("""
        original_box = widgets.Text(value="Pay Alice 100 yuan", description="Original",
                                    layout=widgets.Layout(width="60%"))
        edited_box = widgets.Text(value="Pay Alice 100 yuan.", description="Edited",
                                  layout=widgets.Layout(width="60%"))
        avalanche_picture = widgets.HTML()


        def show_avalanche(_=None):
            before = hashlib.sha256(original_box.value.encode("utf-8")).digest()
            after = hashlib.sha256(edited_box.value.encode("utf-8")).digest()
            avalanche_picture.value = avalanche_svg(before, after, title="SHA-256 avalanche")


        original_box.observe(show_avalanche, names="value")
        edited_box.observe(show_avalanche, names="value")
        show_avalanche()
        display(widgets.VBox([original_box, edited_box, avalanche_picture]))
        """),
        md("""
        **Question 2.** Put `Pay Alice 100 yuan` in the first box and `Pay Alice 101 yuan` in the
        second: one digit differs. How many of the 256 bits change? (The count is written under
        the grid.) Answer with `answer_changed_bits = ...`.
        """),
        solution("q2_changed_bits", """
        ### BEGIN SOLUTION
        answer_changed_bits = 133
        ### END SOLUTION
        """),
        tests("q2_form", 0, "check_number(answer_changed_bits, 0, 256)"),
        hidden_tests("q2_check", 1, """
        _before = hashlib.sha256(b"Pay Alice 100 yuan").digest()
        _after = hashlib.sha256(b"Pay Alice 101 yuan").digest()
        assert answer_changed_bits == avalanche(_before, _after).changed
        """),
        md("""
        The slider below flips **one single bit** of the text `minichain` (there are 72 bits in
        its 9 letters) and counts how many fingerprint bits change. Move it around.
        """),
        code("""
        message = b"minichain"
        bit_slider = widgets.IntSlider(value=0, min=0, max=8 * len(message) - 1,
                                       description="Bit flipped")
        flip_picture = widgets.HTML()


        def show_flip(_=None):
            flipped = bytearray(message)
            flipped[bit_slider.value // 8] ^= 0x80 >> (bit_slider.value % 8)
            before, after = hashlib.sha256(message).digest(), hashlib.sha256(bytes(flipped)).digest()
            flip_picture.value = (f"<p>The text becomes <code>{bytes(flipped)!r}</code></p>"
                                  + avalanche_svg(before, after))


        bit_slider.observe(show_flip, names="value")
        show_flip()
        display(widgets.VBox([bit_slider, flip_picture]))
        """),
        md("""
        **Question 3.** For any small edit, roughly what share of the fingerprint's bits change?

        * **A**: none or almost none
        * **B**: about one bit in ten
        * **C**: about half
        * **D**: all of them

        Answer with `answer_share = "A"` (or "B", "C", "D").
        """),
        solution("q3_share", """
        ### BEGIN SOLUTION
        answer_share = "C"
        ### END SOLUTION
        """),
        tests("q3_form", 0, 'check_choice(answer_share, ["A", "B", "C", "D"])'),
        hidden_tests("q3_check", 1, 'assert answer_share == "C"'),
        md("""
        ## 3. SHA-256 and SM3

        Both give 256-bit fingerprints and both are considered secure, but they are **different
        functions**: the same text gives unrelated fingerprints. A chain names its hash function
        in its *genesis* (its founding rules): minichain offers `sha256-ed25519` (the default),
        `sha256-secp256k1` (as Bitcoin) and `sm3-sm2` (China's national suite, as used by
        FISCO BCOS and BSN's domestic chains).
        """),
        code("""
        compare_box = widgets.Text(value="minichain", description="Text")
        compare_picture = widgets.HTML()


        def show_compare(_=None):
            data = compare_box.value.encode("utf-8")
            compare_picture.value = (
                "<p>Red: bits where the SM3 fingerprint differs from the SHA-256 one</p>"
                + avalanche_svg(hashlib.sha256(data).digest(), sm3(data), title="SHA-256 vs SM3"))


        compare_box.observe(show_compare, names="value")
        show_compare()
        display(widgets.VBox([compare_box, compare_picture]))
        """),
        md("""
        **Question 4.** A chain's genesis says `sm3-sm2`. One company's node is misconfigured and
        computes SHA-256 fingerprints instead. What happens?

        * **A**: nothing visible: both are 256 bits, so the node agrees with the others
        * **B**: the node disagrees on every block hash, so it rejects the others' blocks and
          they reject its blocks
        * **C**: it agrees on about half of the blocks

        Answer with `answer_mixed_suites = "A"` (or "B", "C").
        """),
        solution("q4_mixed_suites", """
        ### BEGIN SOLUTION
        answer_mixed_suites = "B"
        ### END SOLUTION
        """),
        tests("q4_form", 0, 'check_choice(answer_mixed_suites, ["A", "B", "C"])'),
        hidden_tests("q4_check", 1, """
        assert hashlib.sha256(b"block").digest() != sm3(b"block")
        assert answer_mixed_suites == "B"
        """),
        md("""
        ## 4. A chain of hashes shows any forgery

        A blockchain is a list of blocks in which **each block records the fingerprint of the
        block before it** (its *prev* hash). Here is a small real minichain chain: blocks #0
        to #5, each with one payment. Each box shows the block's own hash and the *prev* hash
        it records. A node checks three things for every block:

        * its payments still hash to the summary in its header (the *Merkle root*, lab 4);
        * its hash meets the proof-of-work target (lab 5), which is hard to produce;
        * its *prev* equals the previous block's real hash (the arrow).

        Choose a block for a forger to edit (add 1000 to its payment) and how far the forger goes
        to hide the edit. Green boxes pass every check; **red ones fail** (a dashed arrow is a
        broken link). You do not need to read the code, only use the controls.
        """),
        code("""
        chain = testing.make_chain(5, transfers_per_block=1)  # blocks #0-#5, fixed seeds
        honest = list(chain.main_chain())


        def forge(blocks, height, how):
            \"\"\"A copy of `blocks` where block `height` pays 1000 more, hidden as far as `how` says.\"\"\"
            blocks = list(blocks)
            block = blocks[height]
            payment = block.transactions[0]
            forged = dataclasses.replace(payment, amount=payment.amount + 1000)
            header = block.header
            if how in ("update the summary", "update the summary and redo the work"):
                header = dataclasses.replace(header, merkle_root=transactions_root((forged,), chain.suite))
            if how == "update the summary and redo the work":
                header = chain.engine.mine(header).header  # new proof of work for the new header
            blocks[height] = Block(header, (forged,))
            return blocks


        edit_choice = widgets.Dropdown(options=[("nothing (honest chain)", 0)]
                                       + [(f"block #{h}", h) for h in range(1, 6)],
                                       value=2, description="Forge")
        how_choice = widgets.RadioButtons(
            options=["edit only", "update the summary", "update the summary and redo the work"],
            value="edit only", description="Forger")
        chain_picture = widgets.HTML()


        def show_chain(_=None):
            blocks = honest if edit_choice.value == 0 else forge(honest, edit_choice.value,
                                                                  how_choice.value)
            chain_picture.value = chain_svg(chain_boxes(blocks, chain.suite))


        edit_choice.observe(show_chain, names="value")
        how_choice.observe(show_chain, names="value")
        show_chain()
        display(widgets.VBox([widgets.HBox([edit_choice, how_choice]), chain_picture]))
        """),
        md("""
        **Question 5.** The forger edits the payment in **block #2** and does nothing else
        ("edit only"). How many blocks are drawn red? Answer with `answer_red_blocks = ...`.
        """),
        solution("q5_red_blocks", """
        ### BEGIN SOLUTION
        answer_red_blocks = 4
        ### END SOLUTION
        """),
        tests("q5_form", 0, "check_number(answer_red_blocks, 0, 6)"),
        hidden_tests("q5_check", 2, """
        _boxes = chain_boxes(forge(honest, 2, "edit only"), chain.suite)
        _first = next(i for i, box in enumerate(_boxes) if not (box.valid and box.linked))
        assert answer_red_blocks == len(_boxes) - _first
        """),
        md("""
        **Question 6.** Now the forger goes all the way on block #2: updates the summary *and*
        redoes the proof of work ("update the summary and redo the work"). Block #2 looks fine on
        its own. What is the number of the **first** red block? Answer with
        `answer_first_red = ...`.
        """),
        solution("q6_first_red", """
        ### BEGIN SOLUTION
        answer_first_red = 3
        ### END SOLUTION
        """),
        tests("q6_form", 0, "check_number(answer_first_red, 0, 5)"),
        hidden_tests("q6_check", 2, """
        _boxes = chain_boxes(forge(honest, 2, "update the summary and redo the work"), chain.suite)
        assert answer_first_red == next(b.height for b in _boxes if not (b.valid and b.linked))
        """),
        md("""
        **Question 7 (written, marked by hand).** In two or three sentences: why does recording
        the previous block's fingerprint in each block make it hard to change an old record
        secretly, and what would a forger have to do to hide such a change?
        """),
        written("q7_written", 2, """
        Any edit changes the block's fingerprint, so the next block's recorded *prev* no longer
        matches and every node that checks the links sees exactly where the chain breaks. To hide
        the edit the forger must redo the proof of work of the edited block **and of every block
        after it**, and do so faster than the honest network keeps adding blocks; with many
        independent copies of the chain, the forgery would also have to replace everyone's copy.
        """),
        md("""
        ## What you saw

        * A fingerprint has a fixed size and changes completely (about half its bits) for any edit.
        * SHA-256 and SM3 are different functions: a chain fixes one in its rules.
        * Chaining fingerprints makes every later block depend on every earlier one: editing
          history means redoing all the work after the edit. Lab 5 measures that work.
        """),
    ]


def build() -> list:
    return [
        md("""
        # Lab 1 · Hashing: build it

        *Enterprise track.* You will write three small pieces of a blockchain node's hashing:
        counting the avalanche, computing a transaction id exactly as minichain does (for both
        SHA-256 and SM3 chains), and checking a chain of blocks for a forgery. Your functions are
        judged by minichain itself.
        """),
        how_to_build(),
        code("""
        # Set-up (read-only): the library, a seeded test chain, and the judge.
        import dataclasses
        import hashlib
        import json
        import random

        from minichain import testing
        from minichain.blocks import Block, transactions_root
        from minichain.chain import Chain
        from minichain.crypto import get_suite, sm3
        from minichain.errors import MinichainError
        from minichain.merkle import merkle_root
        from minichain.validation import validate_body
        from minichain.viz import avalanche

        chain = testing.make_chain(5, transfers_per_block=1)  # blocks #0-#5, the same on every machine
        genesis, suite = chain.genesis, chain.suite
        honest = list(chain.main_chain())
        alice, bob = testing.make_wallet(0), testing.make_wallet(1)


        def minichain_verdict(blocks):
            \"\"\"Feed blocks[1:] to a fresh node of this chain: (index, rule, message) of the first
            block it refuses, or None if it accepts them all.\"\"\"
            node = Chain(genesis)
            for index, block in enumerate(blocks[1:], start=1):
                try:
                    node.add_block(block)
                except MinichainError as error:
                    return index, error.rule, str(error)
            return None


        def edited_payment(blocks, index, fix_root=False):
            \"\"\"A forgery: block `index` pays 1000 more (if asked, its header's Merkle root follows).\"\"\"
            blocks = list(blocks)
            block = blocks[index]
            forged = dataclasses.replace(block.transactions[0], amount=block.transactions[0].amount + 1000)
            header = block.header
            if fix_root:
                header = dataclasses.replace(header, merkle_root=transactions_root((forged,), suite))
            blocks[index] = Block(header, (forged,))
            return blocks
        """, grade_id="setup"),
        md("""
        ## Exercise 1: count the avalanche

        Two digests differ in some number of **bits**. Write `count_changed_bits(a, b)` for two
        byte strings of the same length. A bit is set in `x ^ y` exactly where `x` and `y` differ.
        """),
        solution("ex1_count_changed_bits", """
        def count_changed_bits(a: bytes, b: bytes) -> int:
            \"\"\"Number of bit positions where a and b differ (a and b have the same length).\"\"\"
            # 1. walk both byte strings together: zip(a, b) gives pairs of ints 0-255
            # 2. XOR each pair: x ^ y has a 1 bit wherever x and y differ
            # 3. count the 1 bits of each XOR: int.bit_count() or bin(n).count("1")
            # 4. return the total
            ### BEGIN SOLUTION
            return sum((x ^ y).bit_count() for x, y in zip(a, b))
            ### END SOLUTION
        """),
        tests("ex1_visible", 1, """
        assert count_changed_bits(b"\\x00", b"\\xff") == 8
        assert count_changed_bits(b"same", b"same") == 0
        _a = hashlib.sha256(b"Pay Alice 100 yuan").digest()
        _b = hashlib.sha256(b"Pay Alice 101 yuan").digest()
        assert count_changed_bits(_a, _b) == avalanche(_a, _b).changed, "minichain.viz counts differently"
        print("Exercise 1 visible tests pass")
        """),
        hidden_tests("ex1_hidden", 2, """
        _rng = random.Random(2459)
        for _ in range(50):
            _x, _y = _rng.randbytes(32), _rng.randbytes(32)
            assert count_changed_bits(_x, _y) == avalanche(_x, _y).changed, (_x.hex(), _y.hex())
        assert count_changed_bits(sm3(b"a"), sm3(b"b")) == avalanche(sm3(b"a"), sm3(b"b")).changed
        """),
        md("""
        ## Exercise 2: a transaction's id, byte for byte

        Two nodes agree on a hash only if they hash **the same bytes**. minichain writes every
        object as *canonical JSON* (keys sorted, no spaces, UTF-8, integers only), prefixed by a
        *domain tag* so that a transaction's bytes can never be mistaken for a block header's.
        A transaction's id (`txid`) is the chain's hash of:

            b"minichain/tx" + b"\\x00" + canonical JSON of the unsigned fields + the signature bytes

        and the hash function is the chain's: SHA-256 for `sha256-…` suites, SM3 for `sm3-sm2`.
        `tx.unsigned_fields()` gives the fields as a dict (keys and values ready for JSON).
        """),
        solution("ex2_transaction_id", """
        def transaction_id(tx) -> bytes:
            \"\"\"The 32-byte id of a signed minichain Transaction, computed from its fields.\"\"\"
            # 1. fields = tx.unsigned_fields()
            # 2. body: json.dumps with sort_keys=True, separators=(",", ":"), ensure_ascii=False,
            #    then .encode("utf-8")
            # 3. signed bytes = b"minichain/tx\\x00" + body + tx.signature
            # 4. hash them with the suite's function: tx.suite is "sha256-ed25519",
            #    "sha256-secp256k1" or "sm3-sm2" (hashlib.sha256(...).digest() or sm3(...))
            ### BEGIN SOLUTION
            body = json.dumps(tx.unsigned_fields(), sort_keys=True, separators=(",", ":"),
                              ensure_ascii=False).encode("utf-8")
            signed = b"minichain/tx\\x00" + body + tx.signature
            if tx.suite.startswith("sm3"):
                return sm3(signed)
            return hashlib.sha256(signed).digest()
            ### END SOLUTION
        """),
        tests("ex2_visible", 2, """
        _tx = alice.transfer(genesis.chain_id, bob.address, 25, nonce=0, fee=1)
        _mine = transaction_id(_tx)
        assert isinstance(_mine, bytes) and len(_mine) == 32, f"expected 32 bytes, got {_mine!r}"
        assert _mine == _tx.txid, f"your id {_mine.hex()[:16]}…, minichain's {_tx.txid.hex()[:16]}…"
        print("Exercise 2 visible test passes")
        """),
        hidden_tests("ex2_hidden", 3, """
        def _judge_ids(suite_name, memo):
            # A block whose header commits to YOUR ids, checked by minichain's validate_body.
            payer, payee = testing.make_wallet(0, suite_name), testing.make_wallet(1, suite_name)
            node = Chain(testing.make_genesis(suite=suite_name))
            txs = [payer.transfer(node.genesis.chain_id, payee.address, 5 + i, nonce=i, fee=i, memo=memo)
                   for i in range(3)]
            block, _ = node.build_block(txs, payer.address, testing.GENESIS_TIME + 10)
            yours = dataclasses.replace(block.header, merkle_root=merkle_root(
                [transaction_id(tx) for tx in txs], get_suite(suite_name).hash))
            try:
                validate_body(Block(yours, block.transactions), node.genesis)
            except MinichainError as error:
                raise AssertionError(f"{suite_name}: [{error.rule}] {error}") from None

        _judge_ids("sha256-ed25519", "")
        _judge_ids("sha256-secp256k1", "invoice 7")
        _judge_ids("sm3-sm2", "发票 7 号")  # SM3, and text that is not ASCII
        """),
        md("""
        ## Exercise 3: find the forged block

        `blocks` is a list of blocks, genesis first (index 0, trusted). Return the **index of the
        first block that fails** one of these checks, or `None` if every block passes:

        1. **link**: `block.header.parent_hash == blocks[i - 1].hash(suite)`;
        2. **contents**: `transactions_root(block.transactions, suite) == block.header.merkle_root`;
        3. **work**: the block hash read as a number, `int.from_bytes(block.hash(suite), "big")`,
           is at most `block.header.seal.target`.

        A node does the same (and more) when a block arrives: the tests compare your answer with
        the block minichain refuses, and show its rule id.
        """),
        solution("ex3_first_bad_block", """
        def first_bad_block(blocks, suite):
            \"\"\"First block index after genesis failing the link, contents or work check; else None.\"\"\"
            # 1. for i in range(1, len(blocks)): block = blocks[i], header = block.header
            # 2. link: header.parent_hash must equal blocks[i - 1].hash(suite)
            # 3. contents: transactions_root(block.transactions, suite) must equal header.merkle_root
            # 4. work: int.from_bytes(block.hash(suite), "big") must be <= header.seal.target
            # 5. return i at the first failure; None after the loop
            ### BEGIN SOLUTION
            for i in range(1, len(blocks)):
                block, header = blocks[i], blocks[i].header
                if header.parent_hash != blocks[i - 1].hash(suite):
                    return i
                if transactions_root(block.transactions, suite) != header.merkle_root:
                    return i
                if int.from_bytes(block.hash(suite), "big") > header.seal.target:
                    return i
            return None
            ### END SOLUTION
        """),
        tests("ex3_visible", 2, """
        assert first_bad_block(honest, suite) is None, "the honest chain has no bad block"
        _forged = edited_payment(honest, 3)
        print("minichain says:", minichain_verdict(_forged))
        assert first_bad_block(_forged, suite) == 3
        print("Exercise 3 visible tests pass")
        """),
        hidden_tests("ex3_hidden", 4, """
        _later = dataclasses.replace(honest[4].header, timestamp=honest[4].header.timestamp + 1)
        _scenarios = {
            "honest": honest,
            "payment edited in block 1": edited_payment(honest, 1),
            "payment edited in block 5": edited_payment(honest, 5),
            "payment edited, Merkle root updated, block 2": edited_payment(honest, 2, fix_root=True),
            "timestamp of block 4 changed": honest[:4] + [Block(_later, honest[4].transactions)] + honest[5:],
            "block 3 removed": honest[:3] + honest[4:],
            "blocks 2 and 3 swapped": honest[:2] + [honest[3], honest[2]] + honest[4:],
        }
        for _name, _blocks in _scenarios.items():
            _verdict = minichain_verdict(_blocks)
            _expected = None if _verdict is None else _verdict[0]
            _got = first_bad_block(_blocks, suite)
            assert _got == _expected, (f"{_name}: you say {_got}; minichain refuses block {_expected}"
                                       + ("" if _verdict is None else f": [{_verdict[1]}] {_verdict[2]}"))
        """),
        md("""
        ## A forgery your three checks miss

        A forger who edits block 2, updates its Merkle root **and redoes its proof of work** makes
        block 2 pass all three checks; your function then blames block 3, whose link broke.
        minichain refuses block 2 itself: it also verifies every transaction's **signature**
        (lab 2), and the edited payment no longer matches what the payer signed.
        """),
        code("""
        _forged = edited_payment(honest, 2, fix_root=True)
        _forged[2] = Block(chain.engine.mine(_forged[2].header).header, _forged[2].transactions)
        print("your check blames block", first_bad_block(_forged, suite))
        index, rule, message = minichain_verdict(_forged)
        print(f"minichain refuses block {index}: [{rule}] {message}")
        """),
    ]
