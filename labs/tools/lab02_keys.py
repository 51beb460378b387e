"""Lab 2: key pairs, signing, verifying, addresses, a forged signature caught."""

from __future__ import annotations

from common import CHECKS, how_to_build, how_to_explore
from nbkit import code, hidden_tests, md, solution, tests, written

TITLE = "Lab 2 · Keys and signatures"


def explore() -> list:
    return [
        md("""
        # Lab 2 · Keys and signatures: who may spend

        *Officials' track: no programming needed.*

        A blockchain has no bank clerk checking identity cards. Instead, every account belongs
        to a **key pair**:

        * a **private key**: a secret number only its owner holds, used to **sign**;
        * a **public key**: computed from the private key, shared with everyone, used to
          **verify** signatures. Going back from public to private is practically impossible;
        * an **address**: a short name for the public key (part of its fingerprint), written
          with a checksum so that typing mistakes are caught.

        A payment is valid only if it carries a signature that verifies with the payer's public
        key. In this lab you will make key pairs, sign, verify, mistype an address and watch
        minichain catch a forged payment.
        """),
        how_to_explore(),
        code("""
        # Set-up: run this cell first. It loads minichain and creates fixed example people.
        import dataclasses
        import html

        import ipywidgets as widgets
        from IPython.display import display

        from minichain import testing
        from minichain.crypto import decode_address, get_suite
        from minichain.errors import MinichainError
        from minichain.validation import validate_transaction

        SUITES = ["sha256-ed25519", "sha256-secp256k1", "sm3-sm2"]
        PEOPLE = {"Alice": 0, "Bob": 1, "Carol": 2, "Mallory": 9}  # name -> seed of a fixed test key


        def person(name, suite="sha256-ed25519"):
            return testing.make_wallet(PEOPLE[name], suite)


        def verdict_html(ok, text):
            colour = "#2e7d32" if ok else "#c62828"
            mark = "✔" if ok else "✘"
            return (f'<p style="font-size:1.2em;color:{colour}"><b>{mark} {html.escape(text)}</b></p>')
        """, CHECKS, grade_id="setup"),
        md("""
        ## 1. A key pair and its address

        Pick a person and a *suite* (the cryptography a chain uses: Ed25519, the secp256k1 curve of
        Bitcoin, or China's SM2). The private key is shown only in part: in real life it never
        leaves its owner's device.
        """),
        code("""
        who = widgets.Dropdown(options=list(PEOPLE), value="Alice", description="Person")
        suite_choice = widgets.Dropdown(options=SUITES, value="sha256-ed25519", description="Suite")
        key_picture = widgets.HTML()


        def show_keys(_=None):
            wallet = person(who.value, suite_choice.value)
            step = "<td style='padding:0 1em;font-size:1.4em'>→</td>"
            key_picture.value = (
                "<table><tr>"
                f"<td><b>private key</b> (secret)<br><code>{wallet.private_key.hex()[:8]}…</code><br>"
                f"{len(wallet.private_key)} bytes</td>{step}"
                f"<td><b>public key</b> (shared)<br><code>{wallet.public_key.hex()[:24]}…</code><br>"
                f"{len(wallet.public_key)} bytes</td>{step}"
                f"<td><b>address</b> (its name)<br><code>{wallet.address}</code><br>"
                f"{len(wallet.address)} characters</td>"
                "</tr></table>"
                "<p>Each arrow is one-way: easy to compute forwards, impossible backwards.</p>")


        who.observe(show_keys, names="value")
        suite_choice.observe(show_keys, names="value")
        show_keys()
        display(widgets.VBox([widgets.HBox([who, suite_choice]), key_picture]))
        """),
        md("""
        **Question 1.** With the `sm3-sm2` suite, how many bytes long is a public key?
        Answer with `answer_sm2_public_key_bytes = ...`.
        """),
        solution("q1_sm2_key_bytes", """
        ### BEGIN SOLUTION
        answer_sm2_public_key_bytes = 64
        ### END SOLUTION
        """),
        tests("q1_form", 0, "check_number(answer_sm2_public_key_bytes, 1, 1000)"),
        hidden_tests("q1_check", 1, """
        assert answer_sm2_public_key_bytes == len(person("Carol", "sm3-sm2").public_key)
        """),
        md("""
        ## 2. Signing and verifying

        Alice signs a message with her private key. Anyone can verify the signature with her
        public key. Try: change the message *after* signing (Mallory's edit), or verify with
        Bob's key instead of Alice's. Press **Sign again** a few times, with each suite.
        """),
        code("""
        message_box = widgets.Text(value="Pay Bob 10 yuan", description="Alice signs",
                                   layout=widgets.Layout(width="60%"))
        received_box = widgets.Text(value="Pay Bob 10 yuan", description="Bob receives",
                                    layout=widgets.Layout(width="60%"))
        checker = widgets.Dropdown(options=["Alice", "Bob"], value="Alice", description="Verify with")
        sign_suite = widgets.Dropdown(options=SUITES, value="sha256-ed25519", description="Suite")
        sign_again = widgets.Button(description="Sign again")
        signature_picture = widgets.HTML()
        signatures = []


        def show_signature(_=None):
            suite = get_suite(sign_suite.value)
            alice = person("Alice", sign_suite.value)
            signature = suite.sign(alice.private_key, message_box.value.encode("utf-8"))
            signatures.append(signature.hex())
            public_key = person(checker.value, sign_suite.value).public_key
            ok = suite.verify(public_key, received_box.value.encode("utf-8"), signature)
            earlier = "".join(f"<br><code>{s[:48]}…</code>" for s in signatures[-4:-1])
            signature_picture.value = (
                f"<p><b>signature</b> ({len(signature)} bytes): <code>{signature.hex()[:48]}…</code></p>"
                + (f"<p>earlier signatures:{earlier}</p>" if earlier else "")
                + verdict_html(ok, "signature valid" if ok else "signature INVALID"))


        for control in (message_box, received_box, checker, sign_suite):
            control.observe(show_signature, names="value")
        sign_again.on_click(show_signature)
        show_signature()
        display(widgets.VBox([message_box, received_box, widgets.HBox([checker, sign_suite, sign_again]),
                              signature_picture]))
        """),
        md("""
        **Question 2.** Alice signs `Pay Bob 10 yuan`. Mallory changes the text to
        `Pay Bob 1000 yuan` and keeps Alice's signature. Bob verifies with Alice's public key.
        What does he see?

        * **A**: the signature is valid, so he should pay 1000
        * **B**: the signature is invalid
        * **C**: the signature is valid, and it tells him the original amount was 10

        Answer with `answer_tampered = "A"` (or "B", "C").
        """),
        solution("q2_tampered", """
        ### BEGIN SOLUTION
        answer_tampered = "B"
        ### END SOLUTION
        """),
        tests("q2_form", 0, 'check_choice(answer_tampered, ["A", "B", "C"])'),
        hidden_tests("q2_check", 1, """
        _suite, _alice = get_suite("sha256-ed25519"), person("Alice")
        _signature = _suite.sign(_alice.private_key, b"Pay Bob 10 yuan")
        assert not _suite.verify(_alice.public_key, b"Pay Bob 1000 yuan", _signature)
        assert answer_tampered == "B"
        """),
        md("""
        **Question 3.** With the `sm3-sm2` suite, press **Sign again** several times without
        changing the message. What do you observe?

        * **A**: the same signature every time
        * **B**: a different signature every time, and each one is valid
        * **C**: a different signature every time, but only the first one is valid

        Answer with `answer_sm2_signatures = "A"` (or "B", "C").
        """),
        solution("q3_sm2_signatures", """
        ### BEGIN SOLUTION
        answer_sm2_signatures = "B"
        ### END SOLUTION
        """),
        tests("q3_form", 0, 'check_choice(answer_sm2_signatures, ["A", "B", "C"])'),
        hidden_tests("q3_check", 1, """
        _suite, _alice = get_suite("sm3-sm2"), person("Alice", "sm3-sm2")
        _one, _two = (_suite.sign(_alice.private_key, b"Pay Bob 10 yuan") for _ in range(2))
        assert _one != _two and _suite.verify(_alice.public_key, b"Pay Bob 10 yuan", _two)
        assert answer_sm2_signatures == "B"
        """),
        md("""
        SM2 and ECDSA draw a fresh random number for each signature (Ed25519 derives it from the
        message, so its signatures repeat). Either way, **a signature is tied to one message and
        one key**: it cannot be moved to another message.

        ## 3. A typing mistake in an address

        Money sent to a wrong address may be gone forever, so addresses carry a **checksum**:
        4 bytes computed from the rest. Change one character of Bob's address below, delete one,
        or swap two.
        """),
        code("""
        address_box = widgets.Text(value=person("Bob").address, description="Send to",
                                   layout=widgets.Layout(width="60%"))
        address_picture = widgets.HTML()


        def show_address(_=None):
            try:
                decode_address(address_box.value)
            except MinichainError as error:
                address_picture.value = verdict_html(False, f"refused [{error.rule}]: {error}")
            else:
                owner = next((n for n in PEOPLE if person(n).address == address_box.value), "someone")
                address_picture.value = verdict_html(True, f"a valid address (it belongs to {owner})")


        address_box.observe(show_address, names="value")
        show_address()
        display(widgets.VBox([address_box, address_picture]))
        """),
        md("""
        **Question 4.** You mistype one character of Bob's address in a payment. What happens?

        * **A**: the money goes to some other person's account
        * **B**: the address is refused because its checksum does not match, and nothing is sent
        * **C**: the money is sent to nobody and is lost

        Answer with `answer_typo = "A"` (or "B", "C").
        """),
        solution("q4_typo", """
        ### BEGIN SOLUTION
        answer_typo = "B"
        ### END SOLUTION
        """),
        tests("q4_form", 0, 'check_choice(answer_typo, ["A", "B", "C"])'),
        hidden_tests("q4_check", 1, """
        _bob = person("Bob").address
        _typo = _bob[:6] + ("x" if _bob[6] != "x" else "y") + _bob[7:]
        try:
            decode_address(_typo)
            raise AssertionError("minichain accepted a mistyped address")
        except MinichainError:
            pass
        assert answer_typo == "B"
        """),
        md("""
        ## 4. A forged payment caught

        Alice signs a real minichain payment of 10 to Bob. Mallory intercepts it before it reaches
        the network. What can she do? Choose her trick; the verdict comes from minichain's own
        transaction validator, which every node runs.
        """),
        code("""
        genesis = testing.make_genesis(funded=[person(name) for name in PEOPLE])
        payment = person("Alice").transfer(genesis.chain_id, person("Bob").address, 10, nonce=0)
        tricks = {
            "send it unchanged": lambda tx: tx,
            "raise the amount to 1000": lambda tx: dataclasses.replace(tx, amount=1000),
            "send it to herself instead of Bob": lambda tx: dataclasses.replace(
                tx, recipient=person("Mallory").address),
            "change it, and sign it with her own key": lambda tx: dataclasses.replace(
                tx, amount=1000, signature=get_suite(tx.suite).sign(
                    person("Mallory").private_key, dataclasses.replace(tx, amount=1000).signing_bytes)),
            "change it, and replace Alice's key by her own": lambda tx: person("Mallory").transfer(
                tx.chain_id, person("Mallory").address, 1000, nonce=0),
        }
        trick = widgets.RadioButtons(options=list(tricks), value="raise the amount to 1000",
                                     description="Mallory", layout=widgets.Layout(width="90%"))
        forgery_picture = widgets.HTML()


        def show_forgery(_=None):
            tx = tricks[trick.value](payment)
            sender = "Alice" if tx.sender == person("Alice").address else "Mallory"
            lines = (f"<p>From <code>{tx.sender}</code> ({sender})"
                     f"<br>to <code>{tx.recipient}</code>, amount {tx.amount}</p>")
            try:
                validate_transaction(tx, genesis)
            except MinichainError as error:
                forgery_picture.value = lines + verdict_html(False, f"rejected [{error.rule}]: {error}")
            else:
                forgery_picture.value = lines + verdict_html(True, "accepted by every node")


        trick.observe(show_forgery, names="value")
        show_forgery()
        display(widgets.VBox([trick, forgery_picture]))
        """),
        md("""
        **Question 5.** Which **rule id** does minichain report when Mallory raises the amount?
        Answer with `answer_rule = "..."`, copying the id shown in square brackets.
        """),
        solution("q5_rule", """
        ### BEGIN SOLUTION
        answer_rule = "tx-signature"
        ### END SOLUTION
        """),
        tests("q5_form", 0, """
        assert isinstance(answer_rule, str) and answer_rule.startswith("tx-"), \\
            f"copy the id in square brackets, it starts with tx- (found {answer_rule!r})"
        print(f"✓ answer recorded: {answer_rule!r}. It is marked when you hand the lab in.")
        """),
        hidden_tests("q5_check", 2, """
        try:
            validate_transaction(tricks["raise the amount to 1000"](payment), genesis)
            raise AssertionError("minichain accepted the forgery")
        except MinichainError as error:
            assert answer_rule.strip().strip("[]") == error.rule
        """),
        md("""
        **Question 6.** With the last trick Mallory's payment is *accepted*. Look at who sends it.
        Did Mallory manage to spend Alice's money?

        * **A**: yes: the payment now moves 1000 from Alice to Mallory
        * **B**: no: the sender is computed from the key that signed, so it is Mallory paying
          herself from her own account

        Answer with `answer_own_money = "A"` (or "B").
        """),
        solution("q6_own_money", """
        ### BEGIN SOLUTION
        answer_own_money = "B"
        ### END SOLUTION
        """),
        tests("q6_form", 0, 'check_choice(answer_own_money, ["A", "B"])'),
        hidden_tests("q6_check", 1, """
        _tx = tricks["change it, and replace Alice's key by her own"](payment)
        assert _tx.sender == person("Mallory").address
        assert answer_own_money == "B"
        """),
        md("""
        **Question 7 (written, marked by hand).** Why may a public key and an address be
        published, while a private key must never leave its owner? What could a person holding
        your private key do, and could anyone undo it?
        """),
        written("q7_written", 2, """
        The public key and address only let others *verify* signatures and send money to the
        account; computing the private key from them is practically impossible. The private key
        *creates* signatures: whoever holds it can sign payments that every node accepts as the
        owner's, and empty the account. Nobody can reverse a valid signed payment once it is in
        the chain, and there is no clerk to appeal to, so the key must be kept secret (and backed
        up) like the account itself.
        """),
        md("""
        ## What you saw

        * A private key signs, the public key verifies, the address names the public key.
        * A signature covers one exact message: any change makes it invalid (`tx-signature`).
        * Addresses carry a checksum, so typing mistakes are caught before anything is sent.
        * The sender of a payment is derived from the signing key: nobody can sign for another.
        """),
    ]


def build() -> list:
    return [
        md("""
        # Lab 2 · Keys and signatures: build it

        *Enterprise track.* You will derive an address from a public key, check an address's
        checksum, sign a transfer so that minichain's validator accepts it, and find forged
        transactions in a batch, across the three suites `sha256-ed25519`, `sha256-secp256k1`
        and `sm3-sm2`.
        """),
        how_to_build(),
        code("""
        # Set-up (read-only): the library, seeded wallets, and the judge.
        import dataclasses
        import hashlib
        import random

        import base58

        from minichain import testing
        from minichain.crypto import decode_address, get_suite, is_address, sm3
        from minichain.errors import MinichainError
        from minichain.transactions import Transaction
        from minichain.validation import validate_transaction

        SUITES = ["sha256-ed25519", "sha256-secp256k1", "sm3-sm2"]
        alice, bob, mallory = testing.make_wallet(0), testing.make_wallet(1), testing.make_wallet(9)
        genesis = testing.make_genesis(funded=[alice, bob, mallory])


        def minichain_says(check, *args):
            \"\"\"Run one of minichain's checks: None if it passes, else '[rule] message'.\"\"\"
            try:
                check(*args)
            except MinichainError as error:
                return f"[{error.rule}] {error}"
            return None
        """, grade_id="setup"),
        md("""
        ## Exercise 1: an address from a public key

        An address is the **last 20 bytes of the hash of the public key**, with a version byte
        `0x32` in front (it makes every minichain address start with "M"), written in
        **Base58Check**: Base58 text of the 21 bytes followed by a 4-byte checksum. The `base58`
        package does that last step: `base58.b58encode_check(payload)` returns bytes.
        The hash is the suite's: SHA-256 for `sha256-…`, SM3 for `sm3-sm2`.
        """),
        solution("ex1_address", """
        def address_from_public_key(public_key: bytes, suite_name: str) -> str:
            \"\"\"The minichain address of `public_key` on a chain using suite `suite_name`.\"\"\"
            # 1. digest = the suite's hash of public_key: hashlib.sha256(...).digest() or sm3(...)
            # 2. keep the last 20 bytes: digest[-20:]
            # 3. payload = bytes([0x32]) + those 20 bytes
            # 4. return base58.b58encode_check(payload).decode("ascii")
            ### BEGIN SOLUTION
            digest = sm3(public_key) if suite_name == "sm3-sm2" else hashlib.sha256(public_key).digest()
            return base58.b58encode_check(bytes([0x32]) + digest[-20:]).decode("ascii")
            ### END SOLUTION
        """),
        tests("ex1_visible", 2, """
        _mine = address_from_public_key(alice.public_key, "sha256-ed25519")
        assert _mine == alice.address, f"you give {_mine!r}, Alice's wallet says {alice.address!r}"
        print("Exercise 1 visible test passes")
        """),
        hidden_tests("ex1_hidden", 3, """
        for _suite in SUITES:
            for _seed in (0, 1, 7):
                _wallet = testing.make_wallet(_seed, _suite)
                _mine = address_from_public_key(_wallet.public_key, _suite)
                _payment = alice.transfer(genesis.chain_id, _mine, 5, nonce=0)  # a payment to your address
                _verdict = minichain_says(validate_transaction, _payment, genesis)
                assert _verdict is None, f"{_suite}: minichain refuses a payment to {_mine!r}: {_verdict}"
                assert _mine == _wallet.address, f"{_suite} seed {_seed}: {_mine!r} != {_wallet.address!r}"
        """),
        md("""
        ## Exercise 2: check the checksum

        Write `checksum_ok(text)`: True only for a well-formed minichain address. Base58Check's
        checksum is the first 4 bytes of **double SHA-256** of the payload (whatever the chain's
        suite). Do it by hand with `base58.b58decode` (not `b58decode_check`).
        """),
        solution("ex2_checksum", """
        def checksum_ok(text: str) -> bool:
            \"\"\"True for a minichain address: Base58, right checksum, version 0x32, 20 bytes.\"\"\"
            # 1. raw = base58.b58decode(text); a ValueError means a character outside Base58: False
            # 2. payload, check = raw[:-4], raw[-4:]
            # 3. the checksum must equal hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
            # 4. the payload must be 21 bytes long and start with the version byte 0x32
            ### BEGIN SOLUTION
            try:
                raw = base58.b58decode(text)
            except ValueError:
                return False
            payload, check = raw[:-4], raw[-4:]
            if hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != check:
                return False
            return len(payload) == 21 and payload[0] == 0x32
            ### END SOLUTION
        """),
        tests("ex2_visible", 2, """
        assert checksum_ok(bob.address) is True
        _typo = bob.address[:6] + ("x" if bob.address[6] != "x" else "y") + bob.address[7:]
        assert checksum_ok(_typo) is False, \\
            f"{_typo} has one character changed: {minichain_says(decode_address, _typo)}"
        print("Exercise 2 visible tests pass")
        """),
        hidden_tests("ex2_hidden", 3, """
        _rng = random.Random(58)
        _alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
        _cases = ["", "M", "0OIl", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT",  # a Bitcoin address: version 0x00
                  base58.b58encode_check(bytes([0x32]) + bytes(19)).decode()]  # 19 bytes: too short
        for _suite in SUITES:
            _address = testing.make_wallet(_rng.randrange(100), _suite).address
            _cases.append(_address)
            for _ in range(30):
                _i = _rng.randrange(len(_address))
                _cases += [_address[:_i] + _rng.choice(_alphabet) + _address[_i + 1:],
                           _address[:_i] + _address[_i + 1:],
                           _address[:_i] + _address[_i + 1:_i + 2] + _address[_i:_i + 1] + _address[_i + 2:]]
        for _text in _cases:
            _expected = is_address(_text)
            assert checksum_ok(_text) is _expected, (
                f"{_text!r}: you say {checksum_ok(_text)}, minichain says "
                + ("valid" if _expected else str(minichain_says(decode_address, _text))))
        """),
        md("""
        ## Exercise 3: sign a transfer

        A `Transaction` is a frozen dataclass. The sender signs `tx.signing_bytes`: the canonical
        bytes of every field except the signature. Build the unsigned transfer, sign those bytes
        with the wallet's suite, and return a copy carrying the signature
        (`dataclasses.replace`). Do not call `wallet.transfer` or `sign_transaction`: that is
        what you are writing.
        """),
        solution("ex3_sign", """
        def sign_transfer(wallet, chain_id: str, recipient: str, amount: int, nonce: int):
            \"\"\"A signed Transaction moving `amount` (fee 0) from `wallet` to `recipient`.\"\"\"
            # 1. unsigned = Transaction(chain_id=chain_id, suite=wallet.suite_name,
            #        sender_key=wallet.public_key, recipient=recipient, amount=amount, fee=0, nonce=nonce)
            # 2. signature = wallet.suite.sign(wallet.private_key, unsigned.signing_bytes)
            # 3. return dataclasses.replace(unsigned, signature=signature)
            ### BEGIN SOLUTION
            unsigned = Transaction(chain_id=chain_id, suite=wallet.suite_name, sender_key=wallet.public_key,
                                   recipient=recipient, amount=amount, fee=0, nonce=nonce)
            return dataclasses.replace(unsigned, signature=wallet.suite.sign(wallet.private_key,
                                                                             unsigned.signing_bytes))
            ### END SOLUTION
        """),
        tests("ex3_visible", 2, """
        _tx = sign_transfer(alice, genesis.chain_id, bob.address, 10, 0)
        _verdict = minichain_says(validate_transaction, _tx, genesis)
        assert _verdict is None, f"minichain refuses your transaction: {_verdict}"
        assert (_tx.sender, _tx.recipient, _tx.amount, _tx.nonce) == (alice.address, bob.address, 10, 0)
        print("Exercise 3 visible test passes")
        """),
        hidden_tests("ex3_hidden", 3, """
        for _suite in SUITES:
            _payer, _payee = testing.make_wallet(3, _suite), testing.make_wallet(4, _suite)
            _chain_genesis = testing.make_genesis(suite=_suite, funded=[_payer], chain_id="lab02-" + _suite)
            _tx = sign_transfer(_payer, _chain_genesis.chain_id, _payee.address, 77, 5)
            _verdict = minichain_says(validate_transaction, _tx, _chain_genesis)
            assert _verdict is None, f"{_suite}: minichain refuses your transaction: {_verdict}"
            assert (_tx.sender, _tx.recipient, _tx.amount, _tx.fee, _tx.nonce) == (
                _payer.address, _payee.address, 77, 0, 5), f"{_suite}: wrong fields"
        """),
        md("""
        ## Exercise 4: find the forgeries

        A node receives a batch of transactions. Return the indexes of those whose **signature
        does not verify**: `get_suite(tx.suite).verify(public_key, message, signature)` returns
        True or False (it never raises). The tests compare you with minichain's validator,
        which reports such transactions as `[tx-signature]`.
        """),
        solution("ex4_forgeries", """
        def find_forgeries(transactions) -> list:
            \"\"\"Indexes (in order) of the transactions whose signature does not verify.\"\"\"
            # 1. for each index, tx: suite = get_suite(tx.suite)
            # 2. the message is tx.signing_bytes, the key tx.sender_key, the signature tx.signature
            # 3. collect the index when suite.verify(...) is False
            ### BEGIN SOLUTION
            return [index for index, tx in enumerate(transactions)
                    if not get_suite(tx.suite).verify(tx.sender_key, tx.signing_bytes, tx.signature)]
            ### END SOLUTION
        """),
        tests("ex4_visible", 2, """
        _good = alice.transfer(genesis.chain_id, bob.address, 10, nonce=0)
        _batch = [_good, dataclasses.replace(_good, amount=1000),
                  bob.transfer(genesis.chain_id, alice.address, 3, nonce=0)]
        for _index, _tx in enumerate(_batch):
            print(_index, minichain_says(validate_transaction, _tx, genesis) or "accepted")
        assert find_forgeries(_batch) == [1]
        print("Exercise 4 visible test passes")
        """),
        hidden_tests("ex4_hidden", 3, """
        _batch = []
        for _suite in SUITES:
            _payer, _payee = testing.make_wallet(5, _suite), testing.make_wallet(6, _suite)
            _tx = _payer.transfer("lab02", _payee.address, 40, nonce=2, fee=1, memo="rent")
            _other = _payee.transfer("lab02", _payer.address, 1, nonce=0)
            _flipped = bytes([_tx.signature[0] ^ 1]) + _tx.signature[1:]
            _batch += [
                _tx,
                dataclasses.replace(_tx, memo="rent + bonus"),
                dataclasses.replace(_tx, recipient=testing.make_wallet(9, _suite).address),
                dataclasses.replace(_tx, fee=0),
                dataclasses.replace(_tx, nonce=3),
                dataclasses.replace(_tx, signature=_flipped),
                dataclasses.replace(_tx, signature=_other.signature),
                dataclasses.replace(_tx, sender_key=_other.sender_key),
                _other,
            ]
        _expected = []
        _geneses = {_suite: testing.make_genesis(suite=_suite, chain_id="lab02") for _suite in SUITES}
        for _index, _tx in enumerate(_batch):
            _verdict = minichain_says(validate_transaction, _tx, _geneses[_tx.suite])
            if _verdict is not None:
                assert "[tx-signature]" in _verdict, _verdict
                _expected.append(_index)
        _yours = find_forgeries(_batch)
        assert _yours == _expected, f"you flag {_yours}, minichain rejects {_expected} as [tx-signature]"
        """),
    ]
