"""Lab 4: Merkle roots, inclusion proofs, what a light client can check, CVE-2012-2459."""

from __future__ import annotations

from common import CHECKS, how_to_build, how_to_explore
from nbkit import code, hidden_tests, md, solution, tests, written

TITLE = "Lab 4 · Merkle trees"

BITCOIN_ROOT = '''
def bitcoin_root(items, hash_fn=sha256):
    """Bitcoin's rule, for comparison: pair hashes level by level; an odd last one is paired
    with a COPY of itself. (minichain promotes it unchanged instead, RFC 6962.)"""
    level = list(items)
    while len(level) > 1:
        if len(level) % 2:
            level.append(level[-1])  # the duplicate that causes CVE-2012-2459
        level = [hash_fn(level[i] + level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]
'''


def explore() -> list:
    return [
        md("""
        # Lab 4 · Merkle trees: proving one payment among thousands

        *Officials' track: no programming needed.*

        A block header is small, but it must commit to *every* transaction in the block. It does
        so with one 32-byte hash, the **Merkle root**: the transactions' fingerprints are paired
        and hashed, the results paired and hashed again, up to a single root.

        This lets a **light client** (a phone wallet, an auditor's tool, a system of another
        ministry) that keeps only block headers check that one payment is in a block, using a
        short **proof** of a few hashes instead of downloading the whole block. In this lab you
        will see the tree, measure proofs, play the light client, and meet a famous bug in
        Bitcoin's version of the tree (CVE-2012-2459) that minichain avoids.
        """),
        how_to_explore(),
        code("""
        # Set-up: run this cell first.
        import dataclasses
        import html
        import math

        import ipywidgets as widgets
        from IPython.display import display

        from minichain import testing
        from minichain.blocks import Block
        from minichain.errors import MinichainError
        from minichain.merkle import MerkleProof, merkle_root, prove, prove_shape, sha256, verify_proof
        from minichain.validation import validate_body
        from minichain.viz import merkle_svg


        def verdict_html(ok, text):
            colour, mark = ("#2e7d32", "✔") if ok else ("#c62828", "✘")
            return f'<p style="font-size:1.2em;color:{colour}"><b>{mark} {html.escape(text)}</b></p>'
        """, BITCOIN_ROOT, CHECKS, grade_id="setup"),
        md("""
        ## 1. The tree and the proof

        Choose how many transactions the block holds, and which one you want to prove. The
        **blue** path runs from that transaction up to the root. The **orange** boxes are the
        proof: the only hashes a light client needs, besides the transaction itself, to
        recompute the root. (Hover over a box to see its full hash.)
        """),
        code("""
        count = widgets.IntSlider(value=8, min=1, max=16, description="Transactions")
        chosen = widgets.IntSlider(value=5, min=0, max=7, description="Prove tx")
        tree_picture = widgets.HTML()


        def show_tree(_=None):
            chosen.max = count.value - 1
            items = [f"payment {i}".encode() for i in range(count.value)]
            proof = prove(items, chosen.value)
            tree_picture.value = (merkle_svg(items, highlight=chosen.value, title="Merkle tree")
                                  + f"<p>The proof for tx{chosen.value} holds <b>{len(proof.siblings)}</b> "
                                  f"hashes (of {count.value} transactions).</p>")


        count.observe(show_tree, names="value")
        chosen.observe(show_tree, names="value")
        show_tree()
        display(widgets.VBox([widgets.HBox([count, chosen]), tree_picture]))
        """),
        md("""
        **Question 1.** With 8 transactions, how many hashes does the proof of one transaction
        hold? Answer with `answer_proof_8 = ...`.

        **Question 2.** With 5 transactions, how many hashes does the proof of the **last** one
        (tx4) hold? Look at the picture: the odd one out is moved up unchanged.
        Answer with `answer_proof_last_of_5 = ...`.
        """),
        solution("q1_proof_8", """
        ### BEGIN SOLUTION
        answer_proof_8 = 3
        ### END SOLUTION
        """),
        tests("q1_form", 0, "check_number(answer_proof_8, 0, 100)"),
        hidden_tests("q1_check", 1, """
        assert answer_proof_8 == len(prove([bytes([i]) for i in range(8)], 3).siblings)
        """),
        solution("q2_proof_last_of_5", """
        ### BEGIN SOLUTION
        answer_proof_last_of_5 = 1
        ### END SOLUTION
        """),
        tests("q2_form", 0, "check_number(answer_proof_last_of_5, 0, 100)"),
        hidden_tests("q2_check", 1, """
        assert answer_proof_last_of_5 == len(prove([bytes([i]) for i in range(5)], 4).siblings)
        """),
        md("""
        ## 2. Proofs stay short

        Each time the number of transactions doubles, the proof grows by just **one** hash.
        """),
        code("""
        rows = "".join(f"<tr><td align='right'>{2 ** k:,}</td>"
                       f"<td align='right'>{len(prove_shape(0, 2 ** k))}</td></tr>" for k in range(0, 11))
        display(widgets.HTML("<table><tr><th>transactions</th><th>hashes in a proof</th></tr>"
                             + rows + "</table>"))
        """),
        md("""
        **Question 3.** A block holds **1,000,000** transactions. How many hashes does the proof
        of its first transaction hold? (Continue the table: 1,024 → 10, 2,048 → 11, …)
        Answer with `answer_proof_million = ...`.
        """),
        solution("q3_proof_million", """
        ### BEGIN SOLUTION
        answer_proof_million = 20
        ### END SOLUTION
        """),
        tests("q3_form", 0, "check_number(answer_proof_million, 0, 1_000_000)"),
        hidden_tests("q3_check", 2, """
        assert answer_proof_million == len(prove_shape(0, 1_000_000)) == math.ceil(math.log2(1_000_000))
        """),
        md("""
        ## 3. Be the light client

        Below is block #1 of a real minichain chain: six payments from Alice to Bob. As a light
        client you hold only its **header**, so you know its Merkle root. You ask a full node
        "is the payment of 4 coins in block #1?" and it answers with a proof. Choose what the full
        node sends: an honest answer, or one of several lies.
        """),
        code("""
        chain = testing.make_chain(1, transfers_per_block=6)
        block, suite = chain.block_at(1), chain.suite
        root = block.header.merkle_root  # all the light client knows about the block
        ids = [tx.txid for tx in block.transactions]
        wanted = 3  # the payment of 4 coins
        honest_proof = prove(ids, wanted, suite.hash)
        forged_payment = dataclasses.replace(block.transactions[wanted], amount=4000)
        answers = {
            "the honest proof": (ids[wanted], honest_proof),
            "the proof of another payment": (ids[wanted], prove(ids, 1, suite.hash)),
            "the payment with its amount changed to 4000": (forged_payment.txid, honest_proof),
            "a proof with one hash altered": (ids[wanted], dataclasses.replace(
                honest_proof, siblings=(sha256(b"made up"),) + honest_proof.siblings[1:])),
        }
        answer_choice = widgets.RadioButtons(options=list(answers), value="the honest proof",
                                             description="Full node", layout=widgets.Layout(width="90%"))
        client_picture = widgets.HTML()


        def show_client(_=None):
            txid, proof = answers[answer_choice.value]
            ok = verify_proof(txid, proof, root, suite.hash)
            labels = [f"{tx.amount} coins" for tx in block.transactions]
            client_picture.value = (
                verdict_html(ok, "proof checks out: the payment is in block #1" if ok
                             else "proof REJECTED: it does not lead to the root in the header")
                + f"<p>The proof: {len(proof.siblings)} hashes, instead of {len(ids)} payments.</p>"
                + merkle_svg(ids, labels=labels, highlight=wanted, hash_fn=suite.hash))


        answer_choice.observe(show_client, names="value")
        show_client()
        display(widgets.VBox([answer_choice, client_picture]))
        """),
        md("""
        **Question 4.** What can a light client, holding only block headers, check with a
        Merkle proof?

        * **A**: that a given transaction is included in a given block
        * **B**: that the sender of that transaction had enough money
        * **C**: that no other transaction in the block spends the same coins

        Answer with `answer_light_client = "A"` (or "B", "C").
        """),
        solution("q4_light_client", """
        ### BEGIN SOLUTION
        answer_light_client = "A"
        ### END SOLUTION
        """),
        tests("q4_form", 0, 'check_choice(answer_light_client, ["A", "B", "C"])'),
        hidden_tests("q4_check", 1, """
        assert verify_proof(ids[wanted], honest_proof, root, suite.hash)
        assert answer_light_client == "A"
        """),
        md("""
        ## 4. The duplicate-leaf trap (CVE-2012-2459)

        When a level has an odd number of hashes, **Bitcoin pairs the last one with a copy of
        itself**. So the lists `[a, b, c]` and `[a, b, c, c]` give the *same* root, and the same
        block header. In 2012 this allowed an attack: send a node the block with a transaction
        duplicated; the node finds the block invalid (the duplicate spends twice) and remembers
        *that block header* as invalid forever, so it refuses the real block when it arrives and
        falls off the network.

        minichain follows RFC 6962 instead: an odd last hash moves up **unchanged** (and leaves
        and inner nodes are hashed with different prefixes), so a different list always gives a
        different root. Add or remove a duplicate at the end and compare the two rules.
        """),
        code("""
        base_items = [b"a", b"b", b"c"]
        copies = widgets.IntSlider(value=1, min=0, max=3, description="extra copies of c")
        trap_picture = widgets.HTML()


        def show_trap(_=None):
            items = base_items + [b"c"] * copies.value
            names = "[" + ", ".join(i.decode() for i in items) + "]"
            same_bitcoin = bitcoin_root(items) == bitcoin_root(base_items)
            same_minichain = merkle_root(items) == merkle_root(base_items)
            trap_picture.value = (
                f"<p>Comparing <code>[a, b, c]</code> with <code>{names}</code></p>"
                + verdict_html(not same_bitcoin,
                               "Bitcoin's rule: " + ("SAME root" if same_bitcoin else "different roots"))
                + verdict_html(not same_minichain,
                               "minichain's rule: " + ("SAME root" if same_minichain else "different roots"))
                + merkle_svg(items, labels=[i.decode() for i in items], title="minichain tree"))


        copies.observe(show_trap, names="value")
        show_trap()
        display(widgets.VBox([copies, trap_picture]))
        """),
        md("""
        And in a real block: a copy of block #1 with its last payment duplicated, under the
        original header. minichain's block validator refuses it without marking the real block
        invalid (the header does not match this body, so the body is the problem).
        """),
        code("""
        stuffed = Block(block.header, block.transactions + block.transactions[-1:])
        try:
            validate_body(stuffed, chain.genesis)
        except MinichainError as error:
            print(f"refused [{error.rule}]: {error}")
        """),
        md("""
        **Question 5.** Which rule gives `[a, b, c]` and `[a, b, c, c]` the same root?

        * **A**: Bitcoin's
        * **B**: minichain's
        * **C**: both
        * **D**: neither

        Answer with `answer_same_root = "A"` (or "B", "C", "D").
        """),
        solution("q5_same_root", """
        ### BEGIN SOLUTION
        answer_same_root = "A"
        ### END SOLUTION
        """),
        tests("q5_form", 0, 'check_choice(answer_same_root, ["A", "B", "C", "D"])'),
        hidden_tests("q5_check", 2, """
        _bitcoin = bitcoin_root([b"a", b"b", b"c"]) == bitcoin_root([b"a", b"b", b"c", b"c"])
        _minichain = merkle_root([b"a", b"b", b"c"]) == merkle_root([b"a", b"b", b"c", b"c"])
        assert answer_same_root == {(True, False): "A", (False, True): "B", (True, True): "C",
                                    (False, False): "D"}[(_bitcoin, _minichain)]
        """),
        md("""
        **Question 6 (written, marked by hand).** A supplier sends you a Merkle proof that its
        payment is in block #120 of your consortium chain. What does the proof show, what does
        it *not* show, and what must you already have (or trust) for it to mean anything?
        """),
        written("q6_written", 2, """
        The proof shows that this exact transaction is one of the transactions committed to by the
        Merkle root in block #120's header: hashing it with the proof's hashes gives that root.
        It does not show that the transaction is valid (balance, nonce: full nodes check that when
        they accept the block) nor that block #120 is part of the agreed chain. For that I need a
        header for block #120 that I trust: taken from the chain I follow, checked for its proof of
        work or its authorities' signatures and its link to earlier blocks, and ideally buried under
        later blocks so it will not be replaced.
        """),
        md("""
        ## What you saw

        * One 32-byte root commits to all of a block's transactions.
        * A proof grows by one hash each time the block doubles: 20 hashes for a million payments.
        * A light client can check inclusion, not validity.
        * Duplicating the odd hash (Bitcoin) lets two different lists share a root; promoting it
          (minichain, RFC 6962) does not.
        """),
    ]


def build() -> list:
    return [
        md("""
        # Lab 4 · Merkle trees: build it

        *Enterprise track.* You will compute a Merkle root exactly as minichain does (RFC 6962),
        produce an inclusion proof, write the light client's check, and exploit Bitcoin's
        duplicate-leaf rule (CVE-2012-2459) to see why minichain does not use it.

        The rules (RFC 6962 / RFC 9162):

        * a leaf's hash is `H(b"\\x00" + item)`; an inner node's hash is `H(b"\\x01" + left + right)`;
        * level by level, hashes are paired left to right; an odd last hash moves up **unchanged**;
        * the root of an empty list is `H(b"")`.
        """),
        how_to_build(),
        code("""
        # Set-up (read-only): the library, a chain with a block of 6 payments, and the judges.
        import dataclasses
        import hashlib
        import random

        from minichain import testing
        from minichain.blocks import Block
        from minichain.crypto import sm3
        from minichain.errors import MinichainError
        from minichain.merkle import MerkleProof, merkle_root, prove, sha256, verify_proof
        from minichain.validation import validate_body

        chain = testing.make_chain(1, transfers_per_block=6)
        block, suite = chain.block_at(1), chain.suite


        def minichain_says(check, *args):
            \"\"\"Run one of minichain's checks: None if it passes, else '[rule] message'.\"\"\"
            try:
                check(*args)
            except MinichainError as error:
                return f"[{error.rule}] {error}"
            return None


        def block_with_root(block, root):
            \"\"\"The same block, its header claiming `root` as Merkle root.\"\"\"
            return Block(dataclasses.replace(block.header, merkle_root=root), block.transactions)
        """, BITCOIN_ROOT, grade_id="setup"),
        md("""
        ## Exercise 1: the Merkle root

        `hash_fn` takes bytes and returns 32 bytes (`sha256` here, `sm3` on a national-crypto
        chain).
        """),
        solution("ex1_root", """
        def merkle_root_of(items, hash_fn=sha256) -> bytes:
            \"\"\"RFC 6962 Merkle root of a list of byte strings.\"\"\"
            # 1. no items: return hash_fn(b"")
            # 2. level = [hash_fn(b"\\x00" + item) for each item]
            # 3. while more than one hash: pair level[0]+level[1], level[2]+level[3], ... into
            #    hash_fn(b"\\x01" + left + right); an odd last hash goes up unchanged
            # 4. return the single hash left
            ### BEGIN SOLUTION
            if not items:
                return hash_fn(b"")
            level = [hash_fn(b"\\x00" + item) for item in items]
            while len(level) > 1:
                paired = [hash_fn(b"\\x01" + level[i] + level[i + 1]) for i in range(0, len(level) - 1, 2)]
                if len(level) % 2:
                    paired.append(level[-1])
                level = paired
            return level[0]
            ### END SOLUTION
        """),
        tests("ex1_visible", 2, """
        _items = [b"a", b"b", b"c"]
        assert merkle_root_of(_items) == merkle_root(_items), "3 items: your root differs from minichain's"
        _ids = [tx.txid for tx in block.transactions]
        _verdict = minichain_says(validate_body, block_with_root(block, merkle_root_of(_ids, suite.hash)),
                                  chain.genesis)
        assert _verdict is None, f"a header with your root is refused: {_verdict}"
        print("Exercise 1 visible tests pass")
        """),
        hidden_tests("ex1_hidden", 3, """
        _rng = random.Random(6962)
        for _hash in (sha256, sm3):
            for _n in list(range(0, 18)) + [31, 32, 33, 100]:
                _items = [_rng.randbytes(_rng.randrange(0, 70)) for _ in range(_n)]
                assert merkle_root_of(_items, _hash) == merkle_root(_items, _hash), \\
                    f"{_n} items, {_hash.__name__}"
        _national = testing.make_chain(1, suite="sm3-sm2", transfers_per_block=5)
        _b = _national.block_at(1)
        _verdict = minichain_says(validate_body, block_with_root(
            _b, merkle_root_of([tx.txid for tx in _b.transactions], _national.suite.hash)), _national.genesis)
        assert _verdict is None, f"sm3-sm2 chain: a header with your root is refused: {_verdict}"
        """),
        md("""
        ## Exercise 2: an inclusion proof

        The proof for the item at `index` is the list of **sibling hashes** met on the way up:
        at each level, the hash paired with the current one (`position ^ 1`), if there is one.
        When the current hash is the odd last one, it has no sibling at that level: add nothing.
        """),
        solution("ex2_proof", """
        def make_proof(items, index, hash_fn=sha256) -> list:
            \"\"\"Sibling hashes, bottom-up, proving items[index] is under merkle_root(items).\"\"\"
            # 1. level = the leaf hashes (as in exercise 1); position = index; siblings = []
            # 2. while len(level) > 1:
            #      sibling = position ^ 1; if sibling < len(level): siblings.append(level[sibling])
            #      level = the next level up (as in exercise 1); position = position // 2
            # 3. return siblings
            ### BEGIN SOLUTION
            level = [hash_fn(b"\\x00" + item) for item in items]
            position, siblings = index, []
            while len(level) > 1:
                if position ^ 1 < len(level):
                    siblings.append(level[position ^ 1])
                paired = [hash_fn(b"\\x01" + level[i] + level[i + 1]) for i in range(0, len(level) - 1, 2)]
                if len(level) % 2:
                    paired.append(level[-1])
                level, position = paired, position // 2
            return siblings
            ### END SOLUTION
        """),
        tests("ex2_visible", 2, """
        _items = [f"payment {i}".encode() for i in range(6)]
        _siblings = make_proof(_items, 2)
        _proof = MerkleProof(2, len(_items), tuple(_siblings))
        assert verify_proof(_items[2], _proof, merkle_root(_items)), \\
            "minichain's light client rejects your proof"
        print("Exercise 2 visible test passes")
        """),
        hidden_tests("ex2_hidden", 3, """
        for _n in range(1, 14):
            _items = [f"item {i} of {_n}".encode() for i in range(_n)]
            _root = merkle_root(_items)
            for _i in range(_n):
                _siblings = list(make_proof(_items, _i))
                assert verify_proof(_items[_i], MerkleProof(_i, _n, tuple(_siblings)), _root), \\
                    f"minichain rejects your proof for item {_i} of {_n}"
        _ids = [tx.txid for tx in block.transactions]
        _siblings = make_proof(_ids, 5, suite.hash)
        _proof = MerkleProof(5, 6, tuple(_siblings))
        assert verify_proof(_ids[5], _proof, block.header.merkle_root, suite.hash), "block #1, payment 5"
        """),
        md("""
        ## Exercise 3: the light client's check

        Given an item, its index, the number of items in the tree, the sibling hashes and a
        root, recompute the root. Walk up with `index` and `last = count - 1` (the index of the
        last hash on the current level):

        * if `index` is odd, the sibling is on the **left**: `node = H(0x01 + sibling + node)`;
        * else if `index < last`, the sibling is on the **right**: `node = H(0x01 + node + sibling)`;
        * else (`index == last`, even) the node moves up unchanged and **uses no sibling**;
        * then `index //= 2`, `last //= 2`, until `last == 0`.

        Accept only if every sibling was used exactly once and the result equals the root. Reject
        (return False, never raise) anything malformed: an index outside `0 … count-1`, too few or
        too many siblings.
        """),
        solution("ex3_verify", """
        def verify_inclusion(item, index, count, siblings, root, hash_fn=sha256) -> bool:
            \"\"\"True only if `siblings` prove `item` is leaf `index` of a `count`-leaf tree with root.\"\"\"
            # 1. an index outside 0 … count-1: return False
            # 2. node = hash_fn(b"\\x00" + item); last = count - 1; remaining = list(siblings)
            # 3. while last > 0: odd index → sibling on the left; index < last → on the right;
            #    otherwise promoted (no sibling). Run out of siblings → return False.
            #    Then index //= 2, last //= 2
            # 4. return True only if no sibling remains and node == root
            ### BEGIN SOLUTION
            if not 0 <= index < count:
                return False
            node, last, remaining = hash_fn(b"\\x00" + item), count - 1, list(siblings)
            while last > 0:
                if index % 2 == 1 or index < last:
                    if not remaining:
                        return False
                    sibling = remaining.pop(0)
                    pair = sibling + node if index % 2 else node + sibling
                    node = hash_fn(b"\\x01" + pair)
                index, last = index // 2, last // 2
            return not remaining and node == root
            ### END SOLUTION
        """),
        tests("ex3_visible", 2, """
        _items = [f"payment {i}".encode() for i in range(6)]
        _proof = prove(_items, 4)
        _root = merkle_root(_items)
        assert verify_inclusion(_items[4], 4, 6, list(_proof.siblings), _root) is True
        assert verify_inclusion(b"payment 400", 4, 6, list(_proof.siblings), _root) is False
        print("Exercise 3 visible tests pass")
        """),
        hidden_tests("ex3_hidden", 4, """
        _rng = random.Random(9162)
        _cases = []
        for _n in (1, 2, 3, 5, 6, 7, 8, 9, 13):
            _items = [f"leaf {i}/{_n}".encode() for i in range(_n)]
            _root = merkle_root(_items)
            for _i in range(_n):
                _s = list(prove(_items, _i).siblings)
                _cases.append((_items[_i], _i, _n, _s, _root))                      # honest
                _cases.append((_items[_i] + b"!", _i, _n, _s, _root))               # another item
                _cases.append((_items[_i], (_i + 1) % _n, _n, _s, _root))           # wrong position
                _cases.append((_items[_i], _i, _n + 1, _s, _root))                  # wrong tree size
                _cases.append((_items[_i], _i, _n, _s + [sha256(b"x")], _root))     # one too many
                if _s:
                    _cases.append((_items[_i], _i, _n, _s[:-1], _root))             # one too few
                    _cases.append((_items[_i], _i, _n, _s[::-1], _root))            # reordered
                    _bad = _rng.randrange(len(_s))
                    _cases.append((_items[_i], _i, _n, _s[:_bad] + [sha256(b"y")] + _s[_bad + 1:], _root))
            _cases.append((_items[0], -1, _n, [], _root))                           # negative index
            _cases.append((_items[0], _n, _n, [], _root))                           # index past the end
        for _item, _i, _n, _s, _root in _cases:
            _expected = verify_proof(_item, MerkleProof(_i, _n, tuple(_s)), _root)
            _yours = verify_inclusion(_item, _i, _n, list(_s), _root)
            assert _yours is _expected, (f"item {_item!r} index {_i} of {_n}, {len(_s)} siblings: "
                                         f"you say {_yours}, minichain's light client says {_expected}")
        """),
        md("""
        ## Exercise 4: the duplicate-leaf trap

        `bitcoin_root` (in the set-up cell) duplicates the odd last hash of a level. Write
        `duplicate_leaf_attack(items)`: a **different** list with the **same** `bitcoin_root`.

        At the leaf level an odd count is padded by repeating the last item, so appending it once
        more changes nothing. In general, find the lowest level whose count is odd: at level `k`
        each hash covers `2**k` items, so repeat the last `2**k` items (for 6 items, level 1 has
        3 hashes: repeat the last 2 items).
        """),
        solution("ex4_attack", """
        def duplicate_leaf_attack(items) -> list:
            \"\"\"A different list with the same bitcoin_root (len(items) is not a power of two).\"\"\"
            # 1. width = 1 (items covered by one hash), count = len(items)
            # 2. while count is even: width *= 2, count //= 2
            # 3. return items + items[-width:]
            ### BEGIN SOLUTION
            width, count = 1, len(items)
            while count % 2 == 0:
                width, count = width * 2, count // 2
            return list(items) + list(items[-width:])
            ### END SOLUTION
        """),
        tests("ex4_visible", 2, """
        _items = [b"a", b"b", b"c"]
        _forged = duplicate_leaf_attack(_items)
        assert list(_forged) != _items, "the list must differ"
        assert bitcoin_root(_forged) == bitcoin_root(_items), "Bitcoin's root must not change"
        assert merkle_root(_forged) != merkle_root(_items), "minichain's root should change"
        print("Exercise 4 visible test passes")
        """),
        hidden_tests("ex4_hidden", 3, """
        for _n in (3, 5, 6, 7, 10, 11, 12):
            _items = [f"tx {i}".encode() for i in range(_n)]
            _forged = list(duplicate_leaf_attack(_items))
            assert _forged != _items and bitcoin_root(_forged) == bitcoin_root(_items), f"{_n} items"
            assert merkle_root(_forged) != merkle_root(_items)
        # The same trick on a real block: the header stays, minichain refuses the body.
        _big = testing.make_chain(1, transfers_per_block=6).block_at(1)
        _by_id = {tx.txid: tx for tx in _big.transactions}
        _forged_ids = list(duplicate_leaf_attack([tx.txid for tx in _big.transactions]))
        assert bitcoin_root(_forged_ids) == bitcoin_root([tx.txid for tx in _big.transactions])
        _stuffed = Block(_big.header, tuple(_by_id[i] for i in _forged_ids))
        _verdict = minichain_says(validate_body, _stuffed, chain.genesis)
        assert _verdict is not None, "minichain accepted the stuffed block"
        assert _verdict.startswith(("[block-merkle-root]", "[block-duplicate-tx]")), _verdict
        print("minichain refuses the stuffed block:", _verdict)
        """),
    ]
