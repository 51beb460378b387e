"""Lab 3: the account model, nonces, fees, replay and double spend rejected, building a transfer."""

from __future__ import annotations

from common import CHECKS, how_to_build, how_to_explore
from nbkit import code, hidden_tests, md, solution, tests, written

TITLE = "Lab 3 · Transactions"


def explore() -> list:
    return [
        md("""
        # Lab 3 · Transactions: accounts, nonces and fees

        *Officials' track: no programming needed.*

        minichain keeps accounts like a bank does (the *account model* of Ethereum and of most
        permissioned chains): each address has a **balance** and a **nonce**, the number of
        payments it has sent so far, like the number printed on the next cheque in a cheque
        book. A payment says *"from my account, pay amount A to address R, fee F, this is my
        payment number N"*, and is signed (lab 2).

        Every node applies the same rules to every payment:

        * the **nonce** must be exactly the sender's next number: an old number is a *replay*,
          a skipped number must wait;
        * the sender must hold **amount + fee**: nobody can spend money twice;
        * the **fee** goes to whoever produces the block, which is why producers include it.

        In this lab you run a small chain with four accounts of 100 coins each and try to cheat.
        """),
        how_to_explore(),
        code("""
        # Set-up: run this cell first. Four people with 100 coins each on a fresh chain.
        import html

        import ipywidgets as widgets
        from IPython.display import display

        from minichain import testing
        from minichain.chain import Chain
        from minichain.errors import MinichainError

        NAMES = ["Alice", "Bob", "Carol", "Dave"]
        RULES = ["tx-signature", "tx-nonce", "tx-balance", "tx-chain-id"]  # the answers to choose from
        PEOPLE = {name: testing.make_wallet(i) for i, name in enumerate(NAMES)}  # wallets 0-3
        MINER = testing.make_wallet("miner")  # produces every block in this lab
        genesis = testing.make_genesis(funded=list(PEOPLE.values()), amount=100)
        NAME_OF = {w.address: n for n, w in PEOPLE.items()} | {MINER.address: "Miner"}


        def accounts_html(chain, title):
            rows = "".join(
                f"<tr><td>{NAME_OF.get(address, address[:8])}</td><td align='right'>{acct.balance}</td>"
                f"<td align='right'>{acct.nonce}</td></tr>"
                for address, acct in sorted(chain.state.items(), key=lambda item: NAME_OF.get(item[0], "~")))
            return (f"<p><b>{html.escape(title)}</b> (after block #{chain.height})</p>"
                    "<table><tr><th>account</th><th>balance</th><th>nonce</th></tr>" + rows + "</table>")


        def describe(tx):
            return (f"{NAME_OF[tx.sender]} pays {NAME_OF[tx.recipient]} {tx.amount} "
                    f"(fee {tx.fee}, nonce {tx.nonce})")


        def try_block(chain, payments):
            \"\"\"Ask the miner to put `payments` in the next block: what goes in, what is refused, why.\"\"\"
            block, refused = chain.build_block(payments, MINER.address, chain.tip.timestamp + 10)
            testing.produce_block(chain, block.transactions, producer=MINER)
            lines = [f"✔ {describe(tx)}: in block #{chain.height}" for tx in block.transactions]
            lines += [f"✘ {describe(tx)}: refused [{error.rule}] {error}" for tx, error in refused]
            return lines
        """, CHECKS, grade_id="setup"),
        md("""
        ## 1. A payment

        Alice pays Bob 30 coins with a fee of 2. Her nonce is 0 (it is her first payment).
        The miner puts it in block #1, and also earns the **block reward** of 50 new coins.
        """),
        code("""
        chain = Chain(genesis)
        first = PEOPLE["Alice"].transfer(genesis.chain_id, PEOPLE["Bob"].address, 30, nonce=0, fee=2)
        print("\\n".join(try_block(chain, [first])))
        display(widgets.HTML(accounts_html(chain, "Accounts")))
        """),
        md("""
        **Question 1.** After block #1, what is Alice's balance? Answer with
        `answer_alice_balance = ...`.

        **Question 2.** And the miner's balance? Answer with `answer_miner_balance = ...`.
        """),
        solution("q1_alice_balance", """
        ### BEGIN SOLUTION
        answer_alice_balance = 68
        ### END SOLUTION
        """),
        tests("q1_form", 0, "check_number(answer_alice_balance, 0, 1000)"),
        hidden_tests("q1_check", 1, """
        _fresh = Chain(genesis)
        try_block(_fresh, [first])
        assert answer_alice_balance == _fresh.state.balance(PEOPLE["Alice"].address)
        """),
        solution("q2_miner_balance", """
        ### BEGIN SOLUTION
        answer_miner_balance = 52
        ### END SOLUTION
        """),
        tests("q2_form", 0, "check_number(answer_miner_balance, 0, 1000)"),
        hidden_tests("q2_check", 1, """
        assert answer_miner_balance == _fresh.state.balance(MINER.address)
        """),
        md("""
        ## 2. Your own payments

        Compose payments below. **Add to the next block** collects them; **Mine the block** hands
        them to the miner, who includes every payment the rules allow and refuses the rest with
        the rule id in brackets. Things to try:

        * send the same payment twice (same nonce);
        * send more than the sender has;
        * skip a nonce (use nonce 2 when the sender is at 0).
        """),
        code("""
        sender = widgets.Dropdown(options=NAMES, value="Bob", description="From")
        recipient = widgets.Dropdown(options=NAMES, value="Carol", description="To")
        amount = widgets.IntSlider(value=20, min=1, max=150, description="Amount")
        fee = widgets.IntSlider(value=1, min=0, max=10, description="Fee")
        nonce = widgets.BoundedIntText(value=0, min=0, max=20, description="Nonce")
        add_button = widgets.Button(description="Add to the next block")
        mine_button = widgets.Button(description="Mine the block", button_style="primary")
        waiting, log = [], widgets.HTML()
        table = widgets.HTML(accounts_html(chain, "Accounts"))


        def show_waiting():
            log.value = ("<p>Waiting for the next block:</p><ul>"
                         + "".join(f"<li>{html.escape(describe(tx))}</li>" for tx in waiting) + "</ul>")


        def add_payment(_=None):
            waiting.append(PEOPLE[sender.value].transfer(genesis.chain_id, PEOPLE[recipient.value].address,
                                                         amount.value, nonce=nonce.value, fee=fee.value))
            show_waiting()


        def mine(_=None):
            lines = try_block(chain, list(waiting))
            waiting.clear()
            log.value = "<br>".join(html.escape(line) for line in lines) or "an empty block"
            table.value = accounts_html(chain, "Accounts")


        def next_nonce(_=None):
            nonce.value = chain.state.nonce(PEOPLE[sender.value].address)


        add_button.on_click(add_payment)
        mine_button.on_click(mine)
        sender.observe(next_nonce, names="value")
        next_nonce()
        display(widgets.VBox([widgets.HBox([sender, recipient]), widgets.HBox([amount, fee]), nonce,
                              widgets.HBox([add_button, mine_button]), log, table]))
        """),
        md("""
        ## 3. Replay: the same signed payment, twice

        Bob received Alice's signed payment of 30. Could he broadcast **the very same signed
        payment** again, to be paid twice? The signature is perfectly valid.
        """),
        code("""
        replay_chain = Chain(genesis)
        print("\\n".join(try_block(replay_chain, [first])))
        print("\\n".join(try_block(replay_chain, [first])))  # Bob sends it again
        """),
        md("""
        **Question 3.** Which rule id stops the replay? Answer with `answer_replay_rule = "..."`.
        """),
        solution("q3_replay_rule", """
        ### BEGIN SOLUTION
        answer_replay_rule = "tx-nonce"
        ### END SOLUTION
        """),
        tests("q3_form", 0, 'check_choice(answer_replay_rule, RULES)'),
        hidden_tests("q3_check", 1, """
        _chain = Chain(genesis)
        try_block(_chain, [first])
        _block, _refused = _chain.build_block([first], MINER.address, _chain.tip.timestamp + 10)
        assert answer_replay_rule == _refused[0][1].rule
        """),
        md("""
        ## 4. Double spend: the same coins, to two people

        Alice now holds 68. She signs **two** payments of 60: one to Carol and one to Dave, hoping
        both get through before anyone notices. Choose how she numbers them.
        """),
        code("""
        numbering = widgets.RadioButtons(options=["both with nonce 1", "nonce 1 and nonce 2"],
                                         value="nonce 1 and nonce 2", description="Alice uses")
        double_log = widgets.HTML()


        def show_double(_=None):
            trial = Chain(genesis)
            try_block(trial, [first])
            second = 1 if numbering.value == "both with nonce 1" else 2
            alice = PEOPLE["Alice"]
            to_carol = alice.transfer(genesis.chain_id, PEOPLE["Carol"].address, 60, nonce=1, fee=1)
            to_dave = alice.transfer(genesis.chain_id, PEOPLE["Dave"].address, 60, nonce=second, fee=1)
            lines = try_block(trial, [to_carol, to_dave])
            double_log.value = ("<br>".join(html.escape(line) for line in lines)
                                + accounts_html(trial, "Accounts"))


        numbering.observe(show_double, names="value")
        show_double()
        display(widgets.VBox([numbering, double_log]))
        """),
        md("""
        **Question 4.** With nonces 1 and 2, which rule id refuses the second payment?
        Answer with `answer_double_spend_rule = "..."`.

        **Question 5.** With *both* payments numbered 1, which rule id refuses the second one?
        Answer with `answer_same_nonce_rule = "..."`.
        """),
        solution("q4_double_spend_rule", """
        ### BEGIN SOLUTION
        answer_double_spend_rule = "tx-balance"
        ### END SOLUTION
        """),
        tests("q4_form", 0, 'check_choice(answer_double_spend_rule, RULES)'),
        hidden_tests("q4_check", 1, """
        def _second_refusal(second_nonce):
            _trial = Chain(genesis)
            try_block(_trial, [first])
            _payments = [PEOPLE["Alice"].transfer(genesis.chain_id, PEOPLE[name].address, 60, nonce=n, fee=1)
                         for name, n in (("Carol", 1), ("Dave", second_nonce))]
            _block, _refused = _trial.build_block(_payments, MINER.address, _trial.tip.timestamp + 10)
            return _refused[0][1].rule

        assert answer_double_spend_rule == _second_refusal(2)
        """),
        solution("q5_same_nonce_rule", """
        ### BEGIN SOLUTION
        answer_same_nonce_rule = "tx-nonce"
        ### END SOLUTION
        """),
        tests("q5_form", 0, 'check_choice(answer_same_nonce_rule, RULES)'),
        hidden_tests("q5_check", 1, "assert answer_same_nonce_rule == _second_refusal(1)"),
        md("""
        ## 5. The same payment on another chain

        A test chain and a production chain may share the same accounts. Could Bob take Alice's
        payment, signed on the test chain `minichain-test`, and replay it on a production chain?
        Every payment names its chain (its *chain id*) inside what is signed.
        """),
        code("""
        production = Chain(testing.make_genesis(funded=list(PEOPLE.values()), amount=100,
                                                chain_id="minichain-prod"))
        print("payment signed for chain:", first.chain_id)
        print("\\n".join(try_block(production, [first])))
        """),
        md("""
        **Question 6.** Which rule id refuses it? Answer with `answer_other_chain_rule = "..."`.
        """),
        solution("q6_other_chain_rule", """
        ### BEGIN SOLUTION
        answer_other_chain_rule = "tx-chain-id"
        ### END SOLUTION
        """),
        tests("q6_form", 0, 'check_choice(answer_other_chain_rule, RULES)'),
        hidden_tests("q6_check", 1, """
        _other = Chain(testing.make_genesis(funded=list(PEOPLE.values()), amount=100, chain_id="other"))
        _block, _refused = _other.build_block([first], MINER.address, _other.tip.timestamp + 10)
        assert answer_other_chain_rule == _refused[0][1].rule
        """),
        md("""
        **Question 7 (written, marked by hand).** Explain to a colleague, in a few sentences,
        what a nonce is and how it stops (a) someone replaying your signed payment and (b) you
        spending the same coins twice.
        """),
        written("q7_written", 2, """
        The nonce is the payment's sequence number: the count of payments the account has already
        sent, signed into the payment itself. (a) Every node accepts only the next number, so a
        copy of an already-applied payment carries a used number and is refused (`tx-nonce`); the
        chain id does the same across chains. (b) Payments from one account are applied one after
        another in nonce order against the balance: two payments with the same number cannot both
        be applied, and with different numbers the second one finds the balance already reduced
        (`tx-balance`), so the same coins are never spent twice.
        """),
        md("""
        ## What you saw

        * Balances and nonces are the whole state of an account.
        * Replays fail on the nonce (`tx-nonce`) and on the chain id (`tx-chain-id`).
        * A double spend fails on the nonce or on the balance (`tx-balance`).
        * Fees and the block reward pay the block producer.
        """),
    ]


def build() -> list:
    return [
        md("""
        # Lab 3 · Transactions: build it

        *Enterprise track.* You will build a transfer from a wallet and the chain's state, write
        the account model's rule for applying one transaction, and fill a block from a pool of
        pending transactions that contains replays, gaps, overdrafts and a double spend. Each
        result is handed to minichain's own state transition and block validation.
        """),
        how_to_build(),
        code("""
        # Set-up (read-only): the library, a chain with funded accounts, and the judges.
        import dataclasses

        from minichain import testing
        from minichain.chain import Chain
        from minichain.errors import MinichainError
        from minichain.crypto import get_suite
        from minichain.state import Account, State
        from minichain.transactions import Transaction, sign_transaction

        alice, bob, carol, dave = (testing.make_wallet(i) for i in range(4))
        MINER = testing.make_wallet("miner")
        genesis = testing.make_genesis(funded=[alice, bob, carol, dave], amount=100)


        class Rejected(Exception):
            \"\"\"Raised by your apply_transaction; .rule is the id of the rule broken.\"\"\"

            def __init__(self, rule, message=""):
                super().__init__(f"[{rule}] {message}")
                self.rule = rule


        def mine(chain, transactions):
            \"\"\"Put exactly `transactions` in the next block: None, or minichain's '[rule] message'.\"\"\"
            block, refused = chain.build_block(transactions, MINER.address, chain.tip.timestamp + 10)
            if refused:
                tx, error = refused[0]
                return f"[{error.rule}] transaction #{transactions.index(tx)}: {error}"
            try:
                testing.produce_block(chain, block.transactions, producer=MINER)
            except MinichainError as error:
                return f"[{error.rule}] {error}"
            return None
        """, grade_id="setup"),
        md("""
        ## Exercise 1: build a transfer

        A client builds a transfer from the chain's **state**: the sender's next nonce is the
        number of transactions it has already sent, `state.nonce(address)`. A careful client also
        refuses, before signing, a transfer the sender cannot pay for (`state.balance(address)`
        below amount + fee): raise `ValueError`. Build the `Transaction` and sign it with
        `sign_transaction(tx, private_key)`.
        """),
        solution("ex1_build_transfer", """
        def build_transfer(wallet, state, chain_id, recipient, amount, fee):
            \"\"\"A signed transfer from `wallet` with the next nonce; ValueError if it cannot be paid.\"\"\"
            # 1. nonce = state.nonce(wallet.address)
            # 2. if state.balance(wallet.address) < amount + fee: raise ValueError(...)
            # 3. tx = Transaction(chain_id=chain_id, suite=wallet.suite_name, sender_key=wallet.public_key,
            #                     recipient=recipient, amount=amount, fee=fee, nonce=nonce)
            # 4. return sign_transaction(tx, wallet.private_key)
            ### BEGIN SOLUTION
            nonce = state.nonce(wallet.address)
            if state.balance(wallet.address) < amount + fee:
                raise ValueError(f"{wallet.address} holds {state.balance(wallet.address)}, "
                                 f"needs {amount + fee}")
            tx = Transaction(chain_id=chain_id, suite=wallet.suite_name, sender_key=wallet.public_key,
                             recipient=recipient, amount=amount, fee=fee, nonce=nonce)
            return sign_transaction(tx, wallet.private_key)
            ### END SOLUTION
        """),
        tests("ex1_visible", 2, """
        _chain = Chain(genesis)
        _tx = build_transfer(alice, _chain.state, genesis.chain_id, bob.address, 30, 2)
        _verdict = mine(_chain, [_tx])
        assert _verdict is None, f"minichain refuses your transfer: {_verdict}"
        assert _chain.state.balance(bob.address) == 130 and _chain.state.balance(alice.address) == 68
        print("Exercise 1 visible test passes")
        """),
        hidden_tests("ex1_hidden", 3, """
        _chain = Chain(genesis)
        for _round, (_amount, _fee) in enumerate([(10, 0), (20, 3), (5, 1)]):
            _batch = [build_transfer(_w, _chain.state, genesis.chain_id, carol.address, _amount, _fee)
                      for _w in (alice, bob)]
            _verdict = mine(_chain, _batch)
            assert _verdict is None, f"round {_round}: minichain refuses your transfers: {_verdict}"
        assert _chain.state.nonce(alice.address) == 3 and _chain.state.balance(alice.address) == 100 - 39
        try:
            build_transfer(dave, _chain.state, genesis.chain_id, alice.address, 100, 1)
        except ValueError:
            pass
        else:
            raise AssertionError("dave holds 100: a transfer of 100 + fee 1 must raise ValueError")
        _exact = build_transfer(dave, _chain.state, genesis.chain_id, alice.address, 99, 1)
        assert mine(_chain, [_exact]) is None, "dave can pay exactly 99 + 1"
        """),
        md("""
        ## Exercise 2: the account model's rule

        Write `apply_transaction(accounts, tx, producer)`. `accounts` maps an address to an
        `Account(balance, nonce)` (a frozen dataclass); a missing address is `Account(0, 0)`.
        Return a **new** dict with the transaction applied; do not modify `accounts`.
        If the transaction cannot apply, raise `Rejected(rule)` with minichain's rule id:
        `"tx-nonce"` when its nonce is not the sender's nonce, `"tx-balance"` when the sender
        holds less than amount + fee. Signatures are already checked: ignore them.
        """),
        solution("ex2_apply", """
        def apply_transaction(accounts, tx, producer):
            \"\"\"New accounts after `tx`, its fee paid to `producer`; Rejected(rule) if it can't apply.\"\"\"
            # 1. new = dict(accounts); sender = new.get(tx.sender, Account(0, 0))
            # 2. tx.nonce must equal sender.nonce, else raise Rejected("tx-nonce")
            # 3. sender.balance must be >= tx.amount + tx.fee, else raise Rejected("tx-balance")
            # 4. sender: balance - amount - fee, nonce + 1
            # 5. recipient (read it AFTER updating the sender: it may be the same account): balance + amount
            # 6. producer: balance + fee
            ### BEGIN SOLUTION
            new = dict(accounts)
            sender = new.get(tx.sender, Account(0, 0))
            if tx.nonce != sender.nonce:
                raise Rejected("tx-nonce", f"account at nonce {sender.nonce}, transaction has {tx.nonce}")
            if sender.balance < tx.amount + tx.fee:
                raise Rejected("tx-balance", f"holds {sender.balance}, needs {tx.amount + tx.fee}")
            new[tx.sender] = Account(sender.balance - tx.amount - tx.fee, sender.nonce + 1)
            receiver = new.get(tx.recipient, Account(0, 0))
            new[tx.recipient] = Account(receiver.balance + tx.amount, receiver.nonce)
            paid = new.get(producer, Account(0, 0))
            new[producer] = Account(paid.balance + tx.fee, paid.nonce)
            return new
            ### END SOLUTION
        """),
        tests("ex2_visible", 2, """
        _start = {alice.address: Account(100, 0), bob.address: Account(5, 0)}
        _tx = alice.transfer(genesis.chain_id, bob.address, 30, nonce=0, fee=2)
        _after = apply_transaction(_start, _tx, MINER.address)
        assert _start[alice.address] == Account(100, 0), "do not modify the accounts you were given"
        assert _after[alice.address] == Account(68, 1) and _after[bob.address] == Account(35, 0)
        assert _after[MINER.address] == Account(2, 0)
        try:
            apply_transaction(_after, _tx, MINER.address)  # the same transaction again
            raise AssertionError("a replayed transaction was applied")
        except Rejected as rejection:
            assert rejection.rule == "tx-nonce", f"a replay breaks tx-nonce, you said {rejection.rule}"
        print("Exercise 2 visible tests pass")
        """),
        hidden_tests("ex2_hidden", 4, """
        _hash_fn = get_suite(genesis.suite).hash


        def _minichain_apply(accounts, tx, producer):
            _state = State(_hash_fn, accounts)
            try:
                _state.apply_block([tx], producer, 0)
            except MinichainError as error:
                return None, error
            return dict(_state.items()), None

        _c = genesis.chain_id
        _steps = [
            ("pay", alice.transfer(_c, bob.address, 30, nonce=0, fee=2)),
            ("replay", alice.transfer(_c, bob.address, 30, nonce=0, fee=2)),
            ("gap", alice.transfer(_c, bob.address, 1, nonce=5)),
            ("overdraft", bob.transfer(_c, carol.address, 200, nonce=0)),
            ("fee tips it over", bob.transfer(_c, carol.address, 130, nonce=0, fee=1)),
            ("exact balance", bob.transfer(_c, carol.address, 129, nonce=0, fee=1)),
            ("to self", carol.transfer(_c, carol.address, 50, nonce=0, fee=3)),
            ("to a new account", carol.transfer(_c, testing.make_wallet(42).address, 7, nonce=1)),
            ("producer pays", MINER.transfer(_c, dave.address, 1, nonce=0)),
            ("spend", alice.transfer(_c, dave.address, 60, nonce=1)),
            ("same coins, next nonce", alice.transfer(_c, carol.address, 60, nonce=2)),
            ("same coins, same nonce", alice.transfer(_c, carol.address, 60, nonce=1)),
        ]
        _accounts = {w.address: Account(100, 0) for w in (alice, bob, carol, dave)}
        for _name, _tx in _steps:
            _expected, _error = _minichain_apply(_accounts, _tx, MINER.address)
            try:
                _yours = apply_transaction(_accounts, _tx, MINER.address)
            except Rejected as rejection:
                assert _error is not None, f"{_name}: you reject [{rejection.rule}], minichain applies it"
                assert rejection.rule == _error.rule, \\
                    f"{_name}: you say [{rejection.rule}], minichain [{_error.rule}] {_error}"
                continue
            assert _error is None, f"{_name}: you apply it, minichain refuses [{_error.rule}] {_error}"
            _yours = {a: acct for a, acct in _yours.items() if acct != Account(0, 0)}
            _expected = {a: acct for a, acct in _expected.items() if acct != Account(0, 0)}
            assert _yours == _expected, f"{_name}: accounts differ from minichain's"
            _accounts = _expected
        """),
        md("""
        ## Exercise 3: fill a block

        A block producer holds a pool of pending transactions, in the order they arrived. Some
        cannot go in: replays (nonce already used), gaps (a missing nonce before them), overdrafts,
        and a **double spend**: two transactions from one sender with the same nonce, of which at
        most one may go in. Return the transactions to include, **in an order that applies**:

        1. group the pool by sender; within a sender, go through nonces from `state.nonce(sender)`
           upwards and stop at the first missing nonce;
        2. when a sender has several transactions with the same nonce, keep the one with the
           **highest fee** (producers are paid by fees);
        3. keep track of each sender's balance: stop a sender at the first transaction it cannot
           pay (amount + fee; incoming payments in the same block do not count, to keep it simple);
        4. return every kept transaction (any order between senders; nonce order within one).

        The block built from your list is mined and validated by minichain.
        """),
        code("""
        # The pool (read-only): built on a chain where Alice has already sent one payment.
        pool_chain = Chain(genesis)
        assert mine(pool_chain, [alice.transfer(genesis.chain_id, bob.address, 10, nonce=0)]) is None
        c = genesis.chain_id
        POOL = {
            "alice replay": alice.transfer(c, bob.address, 10, nonce=0),
            "alice 1": alice.transfer(c, carol.address, 20, nonce=1, fee=1),
            "alice 2, low fee": alice.transfer(c, dave.address, 50, nonce=2, fee=1),
            "alice 2, high fee": alice.transfer(c, bob.address, 40, nonce=2, fee=5),
            "alice 3": alice.transfer(c, bob.address, 20, nonce=3, fee=1),
            "bob 0": bob.transfer(c, alice.address, 60, nonce=0, fee=2),
            "bob 1, overdraft": bob.transfer(c, alice.address, 200, nonce=1, fee=2),
            "bob 2": bob.transfer(c, alice.address, 1, nonce=2),
            "carol 1, gap": carol.transfer(c, dave.address, 5, nonce=1),
            "dave 0": dave.transfer(c, carol.address, 100, nonce=0),
        }
        """, grade_id="pool"),
        solution("ex3_fill_block", """
        def fill_block(pending, state):
            \"\"\"The transactions of `pending` that can go in the next block, in an order that applies.\"\"\"
            # 1. group: by_sender = {address: [transactions]} (tx.sender is the address)
            # 2. per sender, best = {nonce: the transaction with the highest fee for that nonce}
            # 3. nonce, balance = state.nonce(sender), state.balance(sender)
            #    while nonce in best and best[nonce] is affordable: keep it, pay for it, nonce += 1
            # 4. return the kept transactions
            ### BEGIN SOLUTION
            by_sender = {}
            for tx in pending:
                by_sender.setdefault(tx.sender, []).append(tx)
            chosen = []
            for sender, txs in by_sender.items():
                best = {}
                for tx in txs:
                    if tx.nonce not in best or tx.fee > best[tx.nonce].fee:
                        best[tx.nonce] = tx
                nonce, balance = state.nonce(sender), state.balance(sender)
                while nonce in best and best[nonce].amount + best[nonce].fee <= balance:
                    balance -= best[nonce].amount + best[nonce].fee
                    chosen.append(best[nonce])
                    nonce += 1
            return chosen
            ### END SOLUTION
        """),
        tests("ex3_visible", 2, """
        _chain = Chain(genesis)
        _pending = [alice.transfer(genesis.chain_id, bob.address, 5, nonce=1),
                    alice.transfer(genesis.chain_id, bob.address, 5, nonce=0)]
        _chosen = fill_block(_pending, _chain.state)
        assert [tx.nonce for tx in _chosen] == [0, 1], "Alice's nonce 0 must come before nonce 1"
        _verdict = mine(_chain, _chosen)
        assert _verdict is None, f"minichain refuses your block: {_verdict}"
        print("Exercise 3 visible test passes")
        """),
        hidden_tests("ex3_hidden", 4, """
        _names = {tx.txid: name for name, tx in POOL.items()}
        _chosen = fill_block(list(POOL.values()), pool_chain.state)
        _verdict = mine(pool_chain, list(_chosen))
        assert _verdict is None, f"minichain refuses your block: {_verdict}"
        _got = sorted(_names[tx.txid] for tx in _chosen)
        _want = sorted(["alice 1", "alice 2, high fee", "alice 3", "bob 0", "dave 0"])
        assert _got == _want, f"you include {_got}; the best valid block holds {_want}"
        """),
    ]
