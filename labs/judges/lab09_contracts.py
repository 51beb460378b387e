"""Lab 9 · Smart contracts: the judges of the build notebook's hidden tests (instructors only).

The notebook's hidden cells send back the learner's Solidity function as text, nothing else. Each judge
puts it into the lab's contract (the other exercise's function is the model one, so the two exercises
score apart), compiles it here, in the grader's process, with minichain's offline solc 0.8.11, deploys
it on a fresh EVM (minichain.contracts) and sends it transactions drawn from this run's seed: invoice
numbers, amounts, people and their signature suites. A contract is judged by what it does on the EVM:
which transactions succeed, which are refused and why, what its storage and events say afterwards.
Solidity that does not compile gets the compiler's message at the line of the learner's function.
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.judging import Say, expect, judge
from labkit.wire import Raised
from minichain.contracts import (
    EMPTY_ROOT,
    Artifact,
    BlockContext,
    CompileError,
    Compiler,
    ContractAbi,
    ContractEngine,
    ContractError,
    Receipt,
    evm_address,
    evm_chain_id,
    to_hex_address,
)
from minichain.testing import GENESIS_TIME, make_wallet

# The rest of the contract, as the notebook's set-up cell has it (tests/labs/test_judges_lab09.py
# proves the two are the same text).
TEMPLATE = """\
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.11;

contract InvoiceRegistry {
    enum Status { None, Issued, Redeemed }

    struct Invoice {
        address issuer;
        address holder;
        uint256 amount;   // in fen (0.01 yuan)
        Status status;
    }

    address public authority;                  // the tax bureau: it deployed the contract
    mapping(address => bool) public isIssuer;  // issuers the tax bureau admitted
    mapping(bytes32 => Invoice) private invoices;
    uint256 public issuedCount;
    uint256 public redeemedCount;

    event Issued(string number, address indexed issuer, address indexed holder, uint256 amount);
    event Transferred(string number, address indexed from, address indexed to);
    event Redeemed(string number, address indexed holder, uint256 amount);

    constructor() {
        authority = msg.sender;
    }

    function addIssuer(address issuer) external {
        require(msg.sender == authority, "only the tax authority admits issuers");
        isIssuer[issuer] = true;
    }

    function transfer(string calldata number, address to) external {
        Invoice storage invoice = invoices[keccak256(bytes(number))];
        require(invoice.status == Status.Issued, "not an issued invoice");
        require(invoice.holder == msg.sender, "only the holder may do this");
        invoice.holder = to;
        emit Transferred(number, msg.sender, to);
    }

    function get(string calldata number)
        external view returns (address issuer, address holder, uint256 amount, Status status)
    {
        Invoice storage invoice = invoices[keccak256(bytes(number))];
        return (invoice.issuer, invoice.holder, invoice.amount, invoice.status);
    }

    // ISSUE

    // REDEEM
}
"""
MODEL = {
    "issue": """\
function issue(string calldata number, address holder, uint256 amount) external {
    require(isIssuer[msg.sender], "not an admitted issuer");
    require(amount > 0, "amount must be positive");
    bytes32 id = keccak256(bytes(number));
    require(invoices[id].status == Status.None, "invoice already issued");
    invoices[id] = Invoice(msg.sender, holder, amount, Status.Issued);
    issuedCount += 1;
    emit Issued(number, msg.sender, holder, amount);
}""",
    "redeem": """\
function redeem(string calldata number) external {
    Invoice storage invoice = invoices[keccak256(bytes(number))];
    require(invoice.status != Status.None, "no such invoice");
    require(invoice.status != Status.Redeemed, "invoice already redeemed");
    require(invoice.holder == msg.sender, "only the holder may do this");
    invoice.status = Status.Redeemed;
    redeemedCount += 1;
    emit Redeemed(number, msg.sender, invoice.amount);
}""",
}
MARKERS = {"issue": "    // ISSUE\n", "redeem": "    // REDEEM\n"}
SIGNATURES = {"issue": "issue(string,address,uint256)", "redeem": "redeem(string)"}
NONE, ISSUED, REDEEMED = 0, 1, 2
GAS, GAS_PRICE = 3_000_000, 1
SUITES = ("sha256-ed25519", "sha256-secp256k1", "sm3-sm2")
PEOPLE = {
    "tax-bureau": ("税务局", "the tax bureau"),
    "shop": ("商店", "the shop"),
    "factory": ("工厂", "the factory"),
    "buyer": ("买方", "the buyer"),
    "employer": ("雇主", "the employer"),
    "stranger": ("陌生人", "a stranger"),
    "supplier": ("供应商", "the supplier"),
    "clerk": ("出纳", "the clerk"),
}

# What a learner reads after a failed check, by the rule that most likely caused it: (zh, en).
HINTS = {
    "todo": (
        "把 raise NotImplementedError() 换成你的 Solidity 代码，再运行这个单元格和下面的测试。",
        "replace raise NotImplementedError() with your Solidity, then run the cell and the test below it.",
    ),
    "text": (
        "这个单元格要把函数的 Solidity 源代码（一个字符串）赋给变量。",
        "the cell assigns your function's Solidity source (a string) to the variable.",
    ),
    "compile": (
        "按编译器指出的行改：Solidity 语句以分号结尾，字符串用双引号，变量先声明类型再使用。",
        "fix the line the compiler names: Solidity statements end with a semicolon, strings use double "
        "quotes, a variable is declared with its type before use.",
    ),
    "signature": (
        "函数的签名（名称、参数类型、external）保持练习给出的样子，只写函数体。",
        "keep the function's signature (name, parameter types, external) as given; write only its body.",
    ),
    "admitted": (
        '第 1 步：require(isIssuer[msg.sender], "not an admitted issuer");',
        'step 1: require(isIssuer[msg.sender], "not an admitted issuer");',
    ),
    "positive": (
        '第 2 步：require(amount > 0, "amount must be positive");',
        'step 2: require(amount > 0, "amount must be positive");',
    ),
    "once": (
        '第 3 步：只有 invoices[id].status == Status.None 时才能开，否则 "invoice already issued"。',
        'step 3: issue only when invoices[id].status == Status.None, else "invoice already issued".',
    ),
    "record": (
        "第 4 步：invoices[id] = Invoice(msg.sender, holder, amount, Status.Issued);，id 是 "
        "keccak256(bytes(number))。",
        "step 4: invoices[id] = Invoice(msg.sender, holder, amount, Status.Issued); with id = "
        "keccak256(bytes(number)).",
    ),
    "issued-count": (
        "第 4 步：每开出一张，issuedCount 加 1（被拒绝的不加）。",
        "step 4: add 1 to issuedCount for each invoice issued (none for a refused one).",
    ),
    "issued-event": (
        "第 5 步：emit Issued(number, msg.sender, holder, amount);",
        "step 5: emit Issued(number, msg.sender, holder, amount);",
    ),
    "no-such": (
        '第 2 步：status == Status.None 的发票不存在："no such invoice"。',
        'step 2: an invoice whose status is Status.None does not exist: "no such invoice".',
    ),
    "twice": (
        '第 3 步：已经 Redeemed 的发票以 "invoice already redeemed" 拒绝：这是合约存在的理由。',
        'step 3: refuse a Redeemed invoice with "invoice already redeemed": the reason the contract exists.',
    ),
    "holder": (
        '第 4 步：require(invoice.holder == msg.sender, "only the holder may do this");，持有人是'
        "发票里现在记的 holder（转让之后就是新的持有人）。",
        'step 4: require(invoice.holder == msg.sender, "only the holder may do this"); the holder is the '
        "one the invoice names now (after a transfer, the new one).",
    ),
    "storage": (
        "第 1、5 步：Invoice storage invoice = ...，再改 invoice.status：改 memory 里的副本不会留在链上。",
        "steps 1 and 5: Invoice storage invoice = ..., then set invoice.status: a memory copy is "
        "not kept on the chain.",
    ),
    "redeemed-count": (
        "第 5 步：每报销一张，redeemedCount 加 1（被拒绝的不加）。",
        "step 5: add 1 to redeemedCount for each invoice redeemed (none for a refused one).",
    ),
    "redeemed-event": (
        "第 6 步：emit Redeemed(number, msg.sender, invoice.amount);",
        "step 6: emit Redeemed(number, msg.sender, invoice.amount);",
    ),
    "gas": (
        "它用完了一笔交易的全部燃料（300 万单位）：有没有停不下来的循环？",
        "it used all the gas a transaction has (3 million units): a loop that never ends?",
    ),
    "order": (
        "按正文给出的顺序检查：先看发票存不存在，再看报销过没有，最后看是不是持有人。",
        "check in the text's order: does it exist, was it redeemed, is the caller its holder.",
    ),
}


def function_text(text: str) -> str:
    """The learner's function as the compiler gets it (solution markers dropped), as the notebook does."""
    lines = [
        line
        for line in text.strip("\n").split("\n")
        if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")
    ]
    return "\n".join(lines)


def registry_source(functions: dict[str, str]) -> tuple[str, dict[str, int]]:
    """The contract with these functions, and the line each of them starts on."""
    source, starts = TEMPLATE, {}
    for name, marker in MARKERS.items():
        starts[name] = source[: source.index(marker)].count("\n") + 1
        source = source.replace(marker, textwrap.indent(functions[name], "    ") + "\n")
    return source, starts


def compile_exercise(name: str, sent: Any, say: Say) -> Artifact:
    """The learner's `name` function in the contract (the model for the other one), compiled here; a
    failed expect for anything else: not text, not written, not compiling, signature changed."""
    if isinstance(sent, Raised):
        expect(
            False,
            say(
                f"你的单元格运行时抛出了 {sent.kind}：{sent.message[:160]}",
                f"your cell raised {sent.kind}: {sent.message[:160]}",
            ),
            hint=say(*HINTS["text"]),
        )
    expect(
        type(sent) is str,
        say(
            f"收到的不是 Solidity 源代码（一个字符串），而是 {type(sent).__name__}",
            f"expected Solidity source (a string), got a {type(sent).__name__}",
        ),
        hint=say(*HINTS["text"]),
    )
    mine = function_text(sent)
    expect(
        "raise NotImplementedError()" not in mine,
        say(f"{name} 还没有写", f"{name} is not written yet"),
        hint=say(*HINTS["todo"]),
    )
    functions = {**MODEL, name: mine}
    source, starts = registry_source(functions)
    with tempfile.TemporaryDirectory() as nowhere, Compiler() as solc:
        try:  # imports resolve in an empty folder: a learner's source reads no file of the grader's
            artifacts = solc.compile_source(source, "InvoiceRegistry.sol", base=Path(nowhere))
        except CompileError as error:
            lines = []
            for message in error.errors[:5]:
                line = message.line - starts[name] + 1
                where = (
                    say(f"你的 {name} 第 {line} 行", f"line {line} of your {name}")
                    if 0 < line <= mine.count("\n") + 1
                    else say(f"合约第 {message.line} 行", f"line {message.line} of the contract")
                )
                lines.append(f"{where}: {message.kind}: {message.message}")
            expect(
                False,
                say("solc 0.8.11 编译不通过：", "solc 0.8.11 does not compile it: ") + "; ".join(lines),
                hint=say(*HINTS["compile"]),
            )
    expect(
        "InvoiceRegistry" in artifacts,
        say("编译结果里没有 InvoiceRegistry 合约", "the compiled source has no InvoiceRegistry contract"),
        hint=say(*HINTS["signature"]),
    )
    artifact = artifacts["InvoiceRegistry"]
    declared = {
        f"{entry['name']}({','.join(p['type'] for p in entry.get('inputs', []))})"
        for entry in artifact.abi
        if entry.get("type") == "function"
    }
    expect(
        SIGNATURES[name] in declared,
        say(
            f"合约里没有函数 {SIGNATURES[name]}（external）",
            f"the contract has no function {SIGNATURES[name]} (external)",
        ),
        hint=say(*HINTS["signature"]),
    )
    return artifact


@dataclass(frozen=True)
class Person:
    seed: str
    suite: str
    name: str  # in the notebook's language

    @property
    def raw(self) -> bytes:
        wallet = make_wallet(self.seed, self.suite)
        return evm_address(self.suite, wallet.public_key)

    @property
    def hex(self) -> str:
        return to_hex_address(self.raw)


class Registry:
    """The learner's contract deployed by the tax bureau on a fresh EVM, in one block."""

    def __init__(self, artifact: Artifact, authority: Person, say: Say) -> None:
        self.abi = ContractAbi(artifact.abi)
        self.say = say
        engine = ContractEngine(sqlite3.connect(":memory:", isolation_level=None))
        self.block = engine.begin(
            EMPTY_ROOT, BlockContext(number=1, timestamp=GENESIS_TIME, chain_id=evm_chain_id("lab09-judge"))
        )
        deployed = self.block.deploy(
            authority.raw, 0, self.abi.deploy_code(artifact.bytecode, []), GAS, GAS_PRICE
        )
        expect(
            deployed.status == 1 and deployed.contract_address is not None,
            say(
                f"部署合约失败：{deployed.error_message}",
                f"deploying the contract failed: {deployed.error_message}",
            ),
        )
        assert deployed.contract_address is not None
        self.address = deployed.contract_address

    def send(self, who: Person, function: str, *args: Any) -> Receipt:
        return self.block.call(
            who.raw, self.address, self.abi.encode_call(function, list(args)), GAS, GAS_PRICE
        )

    def read(self, function: str, *args: Any) -> Any:
        try:
            answer = self.block.view(self.address, self.abi.encode_call(function, list(args)))
        except ContractError as error:
            expect(
                False,
                self.say(
                    f"读取 {function} 失败：[{error.rule}] {error}",
                    f"reading {function} failed: [{error.rule}] {error}",
                ),
            )
        values = self.abi.decode_output(function, answer.output, len(args))
        return values[0] if len(values) == 1 else values

    def events(self, receipt: Receipt) -> list[tuple[str, dict[str, Any]]]:
        decoded = [self.abi.decode_event(log.topics, log.data) for log in receipt.logs]
        return [(event.name, event.args) for event in decoded if event is not None]


def _outcome(receipt: Receipt, say: Say) -> str:
    if receipt.status == 1:
        return say("成功", "it succeeded")
    reason = receipt.revert_reason or receipt.error_message
    return say(
        f"被拒绝（[{receipt.error_rule}] {reason}）", f"it was refused ([{receipt.error_rule}] {reason})"
    )


def _succeeds(receipt: Receipt, what: str, say: Say, hint: str) -> None:
    if receipt.error_rule == "contract-out-of-gas":
        hint = say(*HINTS["gas"])
    expect(
        receipt.status == 1,
        say(
            f"{what}：应当成功，实际{_outcome(receipt, say)}",
            f"{what}: should succeed, but {_outcome(receipt, say)}",
        ),
        hint=hint,
    )


def _refused(receipt: Receipt, reason: str, what: str, say: Say, hint: str) -> None:
    expect(
        receipt.status == 0 and receipt.revert_reason == reason,
        say(
            f'{what}：应以 "{reason}" 拒绝，实际{_outcome(receipt, say)}',
            f'{what}: should be refused with "{reason}", but {_outcome(receipt, say)}',
        ),
        hint=hint,
    )


def _number(rng: random.Random) -> str:
    return f"{rng.randrange(10**11, 10**12)}-{rng.randrange(10**8):08d}"


def _people(rng: random.Random, say: Say) -> dict[str, Person]:
    suite = rng.choice(SUITES)
    return {
        seed: Person(f"{seed}-{rng.randrange(10**6)}", suite, say(*names)) for seed, names in PEOPLE.items()
    }


def _same(found: Any, expected: Any, what: str, say: Say, hint: str) -> None:
    expect(
        found == expected,
        say(
            f"{what}：应为 {expected!r:.200}，实际是 {found!r:.200}",
            f"{what}: expected {expected!r:.200}, found {found!r:.200}",
        ),
        hint=hint,
    )


# --- exercise 1: issue ---------------------------------------------------------------------------


@judge("ex1_hidden")
def issue(rng: random.Random, say: Say) -> tuple[Any, Any]:
    people = _people(rng, say)
    numbers = [_number(rng) for _ in range(4)]
    amounts = [rng.randrange(1, 10**9) for _ in range(4)]

    def check(sent: Any) -> None:
        def hint(key: str) -> str:
            return say(*HINTS[key])

        p = people
        registry = Registry(compile_exercise("issue", sent, say), p["tax-bureau"], say)
        for issuer in (p["shop"], p["factory"]):
            _succeeds(
                registry.send(p["tax-bureau"], "addIssuer", issuer.hex),
                say(f"税务局准入{issuer.name}", f"the tax bureau admits {issuer.name}"),
                say,
                "",
            )
        what = say(
            f"{p['shop'].name}给{p['buyer'].name}开发票 {numbers[0]}（{amounts[0]} 分）",
            f"{p['shop'].name} issues invoice {numbers[0]} ({amounts[0]} fen) to {p['buyer'].name}",
        )
        first = registry.send(p["shop"], "issue", numbers[0], p["buyer"].hex, amounts[0])
        _succeeds(first, what, say, hint("admitted"))
        _same(
            registry.read("get", numbers[0]),
            [p["shop"].hex, p["buyer"].hex, amounts[0], ISSUED],
            say(
                f"{what}之后 get(number)：[开票单位, 持有人, 金额, 状态]",
                "after that, get(number): [issuer, holder, amount, status]",
            ),
            say,
            hint("record"),
        )
        _same(
            registry.read("issuedCount"),
            1,
            say(f"{what}之后的 issuedCount", "issuedCount after it"),
            say,
            hint("issued-count"),
        )
        _same(
            registry.events(first),
            [
                (
                    "Issued",
                    {
                        "number": numbers[0],
                        "issuer": p["shop"].hex,
                        "holder": p["buyer"].hex,
                        "amount": amounts[0],
                    },
                )
            ],
            say(f"{what}：发出的事件", f"{what}: its events"),
            say,
            hint("issued-event"),
        )
        _refused(
            registry.send(p["stranger"], "issue", numbers[1], p["stranger"].hex, amounts[1]),
            "not an admitted issuer",
            say(f"没有准入的{p['stranger'].name}开票", f"{p['stranger'].name}, not admitted, issues"),
            say,
            hint("admitted"),
        )
        _refused(
            registry.send(p["buyer"], "issue", numbers[2], p["buyer"].hex, amounts[2]),
            "not an admitted issuer",
            say(
                f"持有发票、但没有准入的{p['buyer'].name}开票",
                f"{p['buyer'].name}, who holds an invoice but is not admitted, issues",
            ),
            say,
            hint("admitted"),
        )
        _refused(
            registry.send(p["tax-bureau"], "issue", numbers[2], p["buyer"].hex, amounts[2]),
            "not an admitted issuer",
            say(
                f"准入开票单位的{p['tax-bureau'].name}自己开票（它不在 isIssuer 里）",
                f"{p['tax-bureau'].name}, which admits issuers, issues itself (it is not in isIssuer)",
            ),
            say,
            hint("admitted"),
        )
        _refused(
            registry.send(p["factory"], "issue", numbers[1], p["buyer"].hex, 0),
            "amount must be positive",
            say(f"{p['factory'].name}开一张 0 分的发票", f"{p['factory'].name} issues an invoice of 0"),
            say,
            hint("positive"),
        )
        _refused(
            registry.send(p["factory"], "issue", numbers[0], p["factory"].hex, amounts[3]),
            "invoice already issued",
            say(
                f"{p['factory'].name}用{p['shop'].name}已经开过的号码 {numbers[0]} 再开一张",
                f"{p['factory'].name} issues number {numbers[0]} again, already issued by {p['shop'].name}",
            ),
            say,
            hint("once"),
        )
        _refused(
            registry.send(p["shop"], "issue", numbers[0], p["buyer"].hex, amounts[0]),
            "invoice already issued",
            say(
                f"{p['shop'].name}把 {numbers[0]} 原样再开一次",
                f"{p['shop'].name} issues {numbers[0]} again, unchanged",
            ),
            say,
            hint("once"),
        )
        _same(
            registry.read("get", numbers[0]),
            [p["shop"].hex, p["buyer"].hex, amounts[0], ISSUED],
            say(f"重复开票被拒绝之后，发票 {numbers[0]}", f"invoice {numbers[0]} after the refused repeats"),
            say,
            hint("once"),
        )
        for index, holder in ((1, p["employer"]), (2, p["shop"])):
            what = say(
                f"{p['factory'].name}给{holder.name}开发票 {numbers[index]}",
                f"{p['factory'].name} issues invoice {numbers[index]} to {holder.name}",
            )
            _succeeds(
                registry.send(p["factory"], "issue", numbers[index], holder.hex, amounts[index]),
                what,
                say,
                hint("admitted"),
            )
            _same(
                registry.read("get", numbers[index]),
                [p["factory"].hex, holder.hex, amounts[index], ISSUED],
                say(f"{what}之后 get(number)", "after that, get(number)"),
                say,
                hint("record"),
            )
        _same(
            registry.read("issuedCount"),
            3,
            say("开出三张、拒绝六次之后的 issuedCount", "issuedCount after three issued and six refused"),
            say,
            hint("issued-count"),
        )
        _same(
            registry.read("get", numbers[3]),
            [to_hex_address(bytes(20)), to_hex_address(bytes(20)), 0, NONE],
            say(f"从没开过的 {numbers[3]}", f"{numbers[3]}, never issued"),
            say,
            hint("record"),
        )
        redeemed = registry.send(p["buyer"], "redeem", numbers[0])
        _succeeds(
            redeemed,
            say(
                f"{p['buyer'].name}报销 {numbers[0]}（用参考答案的 redeem）",
                f"{p['buyer'].name} redeems {numbers[0]} (with the model redeem)",
            ),
            say,
            hint("record"),
        )

    return {"send": "source"}, check


# --- exercise 2: redeem --------------------------------------------------------------------------


@judge("ex2_hidden")
def redeem(rng: random.Random, say: Say) -> tuple[Any, Any]:
    people = _people(rng, say)
    numbers = [_number(rng) for _ in range(4)]
    amounts = [rng.randrange(1, 10**9) for _ in range(3)]

    def check(sent: Any) -> None:
        def hint(key: str) -> str:
            return say(*HINTS[key])

        p = people
        registry = Registry(compile_exercise("redeem", sent, say), p["tax-bureau"], say)
        registry.send(p["tax-bureau"], "addIssuer", p["shop"].hex).raise_for_status()
        for number, holder, amount in zip(
            numbers, (p["buyer"], p["clerk"], p["supplier"]), amounts, strict=False
        ):
            registry.send(p["shop"], "issue", number, holder.hex, amount).raise_for_status()
        buyer, clerk, employer, supplier = p["buyer"], p["clerk"], p["employer"], p["supplier"]
        what = say(
            f"{buyer.name}报销自己的发票 {numbers[0]}", f"{buyer.name} redeems its invoice {numbers[0]}"
        )
        first = registry.send(buyer, "redeem", numbers[0])
        _succeeds(first, what, say, hint("holder"))
        _same(
            registry.read("get", numbers[0]),
            [p["shop"].hex, buyer.hex, amounts[0], REDEEMED],
            say(
                f"{what}之后 get(number)：[开票单位, 持有人, 金额, 状态]",
                "after that, get(number): [issuer, holder, amount, status]",
            ),
            say,
            hint("storage"),
        )
        _same(
            registry.read("redeemedCount"),
            1,
            say(f"{what}之后的 redeemedCount", "redeemedCount after it"),
            say,
            hint("redeemed-count"),
        )
        _same(
            registry.events(first),
            [("Redeemed", {"number": numbers[0], "holder": buyer.hex, "amount": amounts[0]})],
            say(f"{what}：发出的事件", f"{what}: its events"),
            say,
            hint("redeemed-event"),
        )
        _refused(
            registry.send(buyer, "redeem", numbers[0]),
            "invoice already redeemed",
            say(f"{buyer.name}把 {numbers[0]} 再报销一次", f"{buyer.name} redeems {numbers[0]} again"),
            say,
            hint("twice"),
        )
        _refused(
            registry.send(buyer, "redeem", numbers[0]),
            "invoice already redeemed",
            say(f"{buyer.name}第三次报销 {numbers[0]}", f"{buyer.name} redeems {numbers[0]} a third time"),
            say,
            hint("twice"),
        )
        _same(
            registry.read("redeemedCount"),
            1,
            say("重复报销被拒绝之后的 redeemedCount", "redeemedCount after the refused repeats"),
            say,
            hint("redeemed-count"),
        )
        _refused(
            registry.send(buyer, "redeem", numbers[1]),
            "only the holder may do this",
            say(
                f"{buyer.name}报销{clerk.name}持有的 {numbers[1]}",
                f"{buyer.name} redeems {numbers[1]}, held by {clerk.name}",
            ),
            say,
            hint("holder"),
        )
        _refused(
            registry.send(p["shop"], "redeem", numbers[1]),
            "only the holder may do this",
            say(
                f"开票的{p['shop'].name}自己报销 {numbers[1]}",
                f"{p['shop'].name}, its issuer, redeems {numbers[1]}",
            ),
            say,
            hint("holder"),
        )
        _refused(
            registry.send(clerk, "redeem", numbers[3]),
            "no such invoice",
            say(f"报销从没开过的 {numbers[3]}", f"redeeming {numbers[3]}, never issued"),
            say,
            hint("no-such"),
        )
        _same(
            registry.read("get", numbers[1])[3],
            ISSUED,
            say(f"被拒绝的报销之后 {numbers[1]} 的状态", f"the status of {numbers[1]} after the refusals"),
            say,
            hint("holder"),
        )
        registry.send(clerk, "transfer", numbers[1], employer.hex).raise_for_status()
        _refused(
            registry.send(clerk, "redeem", numbers[1]),
            "only the holder may do this",
            say(
                f"{clerk.name}把 {numbers[1]} 转给{employer.name}之后，自己又来报销",
                f"{clerk.name} hands {numbers[1]} to {employer.name}, then redeems it",
            ),
            say,
            hint("holder"),
        )
        what = say(
            f"{employer.name}报销转来的 {numbers[1]}", f"{employer.name} redeems {numbers[1]}, handed over"
        )
        moved = registry.send(employer, "redeem", numbers[1])
        _succeeds(moved, what, say, hint("holder"))
        _same(
            registry.events(moved),
            [("Redeemed", {"number": numbers[1], "holder": employer.hex, "amount": amounts[1]})],
            say(f"{what}：发出的事件", f"{what}: its events"),
            say,
            hint("redeemed-event"),
        )
        _refused(
            registry.send(employer, "redeem", numbers[1]),
            "invoice already redeemed",
            say(f"{employer.name}把 {numbers[1]} 再报销一次", f"{employer.name} redeems {numbers[1]} again"),
            say,
            hint("twice"),
        )
        _refused(
            registry.send(clerk, "redeem", numbers[1]),
            "invoice already redeemed",
            say(
                f"{employer.name}报销之后，{clerk.name}再报销 {numbers[1]}（按正文的顺序，先查是否已报销）",
                f"after {employer.name} redeemed it, {clerk.name} redeems {numbers[1]} (in the text's order, "
                "redeemed comes first)",
            ),
            say,
            hint("order"),
        )
        _succeeds(
            registry.send(supplier, "redeem", numbers[2]),
            say(f"{supplier.name}报销自己的 {numbers[2]}", f"{supplier.name} redeems its {numbers[2]}"),
            say,
            hint("holder"),
        )
        _same(
            registry.read("redeemedCount"),
            3,
            say(
                "报销三张、拒绝八次之后的 redeemedCount",
                "redeemedCount after three redeemed and eight refused",
            ),
            say,
            hint("redeemed-count"),
        )
        _refused(
            registry.send(supplier, "transfer", numbers[2], buyer.hex),
            "not an issued invoice",
            say(f"报销过的 {numbers[2]} 不能再转让", f"{numbers[2]}, redeemed, cannot be handed on"),
            say,
            hint("storage"),
        )

    return {"send": "source"}, check
