# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   minichain:
#     lab: lab09_contracts
#     notebook: build
#     title:
#       zh-CN: 实验九 · 智能合约（动手实现）
#       en: Lab 9 · Smart contracts (build)
# ---

# %% [markdown] lang="zh-CN"
# # 实验九 · 智能合约：动手实现
#
# *企业工程师课程。* FISCO BCOS、长安链等平台上的业务逻辑写在**智能合约**里：一段存放在链上的程序，
# 每个节点对每一笔调用都运行同样的代码、得到同样的结果。本实验用 **Solidity**（FISCO BCOS 支持的 0.8.11 版）
# 补全课程大作业里的**电子发票登记合约**缺少的两个函数：
#
# 1. `issue`：开票。只有税务局准入的开票单位能开票，金额必须为正，同一个发票号只能开一次；
# 2. `redeem`：报销（核销）。只有发票的当前持有人能报销，而且**只能报销一次**。
#
# 笔记本用 minichain 自带的离线编译器（solc 0.8.11）编译你的合约，把它部署到真正的以太坊虚拟机（EVM，
# `minichain.contracts`）上，再用一笔笔交易调用它。交卷评分时，评分程序在自己的进程里重新编译你的函数，
# 用新的发票号、金额和人员部署、调用、判定。

# %% [markdown] lang="en"
# # Lab 9 · Smart contracts: build it
#
# *Enterprise track.* On FISCO BCOS, ChainMaker and similar platforms the business logic lives in **smart
# contracts**: programs stored on the chain; every node runs the same code for every call and must reach
# the same result. In this lab you write, in **Solidity** (0.8.11, the version FISCO BCOS supports), the
# two missing functions of the capstone's **e-invoice registry**:
#
# 1. `issue`: only an issuer admitted by the tax bureau may issue, the amount must be positive, and an
#    invoice number is issued once;
# 2. `redeem`: only the invoice's current holder may redeem it, and **only once**.
#
# The notebook compiles your contract with minichain's offline compiler (solc 0.8.11), deploys it on a
# real Ethereum Virtual Machine (EVM, `minichain.contracts`) and calls it, transaction by transaction.
# When your lab is graded, the grader compiles your functions again in its own process, and deploys,
# calls and judges them with other invoice numbers, amounts and people.

# %% [markdown] lang="zh-CN"
# **使用方法**
#
# 练习是 Python 单元格里的一段 Solidity 代码（一个字符串）：函数的签名已经写好，把
# `# 在这里写你的代码` 和 `raise NotImplementedError()` 两行换成函数体（Solidity 语句，以分号结尾），
# 运行该单元格，再运行下面的测试单元格。编译不通过时，测试会给出编译器的报错和**你的函数里的行号**；
# 合约拒绝一笔交易时，会给出它的理由（`require` 的第二个参数），例如 `invoice already redeemed`。
# 交卷评分时还会运行更多测试：请把每一条规则都写对，而不只是让眼前的例子通过。

# %% [markdown] lang="en"
# **How this notebook works**
#
# Each exercise is Solidity code in a Python cell (a string): the function's signature is written; replace
# the two lines `# YOUR CODE HERE` and `raise NotImplementedError()` with its body (Solidity statements,
# each ending in a semicolon), run the cell, then run the test cell below it. If it does not compile, the
# test shows the compiler's message and **the line in your function**; when the contract refuses a
# transaction, the test shows its reason (the second argument of `require`), e.g.
# `invoice already redeemed`. More tests run when your lab is graded: get every rule right, not just the
# visible example.

# %% nbgrader={"grade_id": "setup", "locked": true}
# zh: 准备工作（只读）：合约的其余部分、离线编译器、一台全新的 EVM，以及本实验的人员。
# en: Set-up (read-only): the rest of the contract, the offline compiler, a fresh EVM, and the lab's people.
import sqlite3
import textwrap

from labkit import tr
from labkit.checks import Checks
from minichain.contracts import (
    EMPTY_ROOT,
    BlockContext,
    CompileError,
    Compiler,
    ContractAbi,
    ContractEngine,
    evm_address,
    evm_chain_id,
    to_hex_address,
)
from minichain.testing import GENESIS_TIME, make_wallet

check = Checks(tr("zh-CN", "en"))
SOLC = Compiler()   # one warm solc 0.8.11 process (the first compile takes a second or two)

# zh: 合约的其余部分：你的两个函数放在标有 ISSUE 和 REDEEM 的两行
# en: the rest of the contract: your two functions go where the ISSUE and REDEEM lines are
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
NONE, ISSUED, REDEEMED = 0, 1, 2   # the values of Status
GAS, GAS_PRICE = 3_000_000, 1   # gas units a transaction may use; fen per gas unit


MARKER_LINES = {f"### {word} SOLUTION" for word in ("BEGIN", "END")}   # the instructor's copy has them


def function_text(text):
    """Your function as the compiler gets it (the instructor's solution markers dropped)."""
    lines = [line for line in text.strip("\n").split("\n") if line.strip() not in MARKER_LINES]
    return "\n".join(lines)


def registry_source(issue, redeem):
    """The whole contract with your two functions in it, and the line each of them starts on."""
    source, starts = TEMPLATE, {}
    for marker, text in (("    // ISSUE\n", issue), ("    // REDEEM\n", redeem)):
        starts[marker.strip("/ \n").lower()] = source[:source.index(marker)].count("\n") + 1
        source = source.replace(marker, textwrap.indent(function_text(text), "    ") + "\n")
    return source, starts


def compile_registry(issue, redeem):
    """Compile the contract with your functions: its artifact, or a failed check naming your lines."""
    mine = {"issue": function_text(issue), "redeem": function_text(redeem)}
    for name, text in mine.items():
        if "raise NotImplementedError()" in text:
            raise NotImplementedError(tr(f"{name}：先把 raise NotImplementedError() 换成你的 Solidity 代码",
                                         f"{name}: first replace raise NotImplementedError() with your Solidity"))
    source, starts = registry_source(issue, redeem)
    try:
        return SOLC.compile_source(source, "InvoiceRegistry.sol")["InvoiceRegistry"]
    except CompileError as error:
        refused = error   # said below, outside the except: the compiler's own traceback would only distract
    lines = [] if refused.errors else [str(refused)]
    for message in refused.errors:
        where = tr(f"合约第 {message.line} 行", f"line {message.line} of the contract")
        for name, start in starts.items():
            if 0 < message.line - start + 1 <= mine[name].count("\n") + 1:
                line = message.line - start + 1
                where = tr(f"你的 {name} 第 {line} 行", f"line {line} of your {name}")
        lines.append(f"{where}: {message.kind}: {message.message}")
    check.fail(tr("solc 编译不通过：\n", "solc does not compile it:\n") + "\n".join(lines))


class Person:
    """Someone in the lab: a minichain wallet and the EVM address (msg.sender) its public key gives."""

    def __init__(self, seed, name):
        self.wallet, self.name = make_wallet(seed), name
        self.raw = evm_address(self.wallet.suite_name, self.wallet.public_key)
        self.hex = to_hex_address(self.raw)


TAX = Person("tax-bureau", tr("税务局", "the tax bureau"))
SHOP, FACTORY = Person("shop", tr("商店", "the shop")), Person("factory", tr("工厂", "the factory"))
BUYER, EMPLOYER = Person("buyer", tr("买方", "the buyer")), Person("employer", tr("雇主", "the employer"))
STRANGER = Person("stranger", tr("陌生人", "a stranger"))


class Registry:
    """Your InvoiceRegistry, deployed by the tax bureau on a fresh EVM: send transactions, read it."""

    def __init__(self, artifact):
        self.abi = ContractAbi(artifact.abi)
        self.engine = ContractEngine(sqlite3.connect(":memory:", isolation_level=None))
        self.block = self.engine.begin(EMPTY_ROOT, BlockContext(number=1, timestamp=GENESIS_TIME,
                                                                chain_id=evm_chain_id("lab09")))
        deployed = self.block.deploy(TAX.raw, 0, self.abi.deploy_code(artifact.bytecode, []), GAS, GAS_PRICE)
        deployed.raise_for_status()
        self.address = deployed.contract_address

    def send(self, who, function, *args):
        """A transaction from `who` calling `function`: its receipt (status, gas used, logs, reason)."""
        return self.block.call(who.raw, self.address, self.abi.encode_call(function, list(args)), GAS, GAS_PRICE)

    def read(self, function, *args):
        """A read-only call: what the function returns."""
        answer = self.block.view(self.address, self.abi.encode_call(function, list(args)))
        values = self.abi.decode_output(function, answer.output, len(args))
        return values[0] if len(values) == 1 else values

    def events(self, receipt):
        """The receipt's logs as (event name, arguments)."""
        decoded = [self.abi.decode_event(log.topics, log.data) for log in receipt.logs]
        return [(event.name, event.args) for event in decoded if event is not None]


def verdict(receipt):
    """None if the transaction succeeded, else "[rule] reason", as the checks read it."""
    if receipt.status == 1:
        return None
    return f"[{receipt.error_rule}] {receipt.revert_reason or receipt.error_message}"


def expect_refused(receipt, reason, what):
    """The contract must refuse the transaction with exactly this reason."""
    check.refused(verdict(receipt), "contract-revert", what)
    check.equal(receipt.revert_reason, reason, tr(f"{what}：拒绝的理由", f"{what}: the reason"),
                hint=tr("理由就是 require 的第二个参数，照正文逐字写", "the reason is require's second argument, "
                        "word for word as the text gives it"))


# %% [markdown] lang="zh-CN"
# ## 合约的其余部分
#
# 上面的 `TEMPLATE` 是合约的其余部分，请先读一遍：
#
# * 部署合约的账户（税务局）是 `authority`，只有它能用 `addIssuer` 准入开票单位（`isIssuer`）；
# * 每张发票按发票号的哈希 `keccak256(bytes(number))` 存在 `invoices` 里：开票单位、持有人、金额（单位：分）和状态
#   `Status`：`None`（不存在，这是映射里所有键的初值）、`Issued`（已开具）、`Redeemed`（已报销）；
# * `transfer` 把发票转给别人（例如员工把发票交给雇主报销），`get` 读出一张发票。
#
# `msg.sender` 是发起这笔交易的账户：minichain 用交易签名者的公钥算出它的 20 字节 EVM 地址，所以谁也冒充不了别人。
# `require(条件, "理由")` 在条件不成立时**拒绝**整笔交易：它做过的修改全部撤销，但已经消耗的燃料（gas）照样付费。

# %% [markdown] lang="en"
# ## The rest of the contract
#
# `TEMPLATE` above is the rest of the contract; read it first:
#
# * the account that deployed the contract (the tax bureau) is `authority`, and only it may admit issuers
#   with `addIssuer` (`isIssuer`);
# * each invoice is stored in `invoices` under the hash of its number, `keccak256(bytes(number))`: its
#   issuer, its holder, its amount (in fen) and its `Status`: `None` (no such invoice: the initial value of
#   every key of a mapping), `Issued` or `Redeemed`;
# * `transfer` hands an invoice on (an employee gives it to the employer, who claims it), `get` reads one.
#
# `msg.sender` is the account that sent the transaction: minichain derives its 20-byte EVM address from
# the signer's public key, so nobody can pose as someone else. `require(condition, "reason")` **refuses**
# the whole transaction when the condition is false: every change it made is undone, but the gas it has
# used is paid for all the same.

# %% [markdown] lang="zh-CN"
# ## 练习 1：开票
#
# 补全 `issue(number, holder, amount)`，按顺序：
#
# 1. `require(isIssuer[msg.sender], "not an admitted issuer");`：只有准入的开票单位能开票；
# 2. `require(amount > 0, "amount must be positive");`
# 3. `bytes32 id = keccak256(bytes(number));`，再要求这个号码还没有开过：`invoices[id].status == Status.None`，
#    否则以 `"invoice already issued"` 拒绝；
# 4. 记下发票：`invoices[id] = Invoice(msg.sender, holder, amount, Status.Issued);`，并把 `issuedCount` 加 1；
# 5. 发出事件：`emit Issued(number, msg.sender, holder, amount);`
#
# 拒绝的理由请逐字照抄：前端和评分程序都靠它区分是哪一条规则拒绝了交易。

# %% [markdown] lang="en"
# ## Exercise 1: issuing an invoice
#
# Complete `issue(number, holder, amount)`, in this order:
#
# 1. `require(isIssuer[msg.sender], "not an admitted issuer");`: only admitted issuers may issue;
# 2. `require(amount > 0, "amount must be positive");`
# 3. `bytes32 id = keccak256(bytes(number));`, then require that this number was never issued:
#    `invoices[id].status == Status.None`, or refuse with `"invoice already issued"`;
# 4. record the invoice: `invoices[id] = Invoice(msg.sender, holder, amount, Status.Issued);` and add 1 to
#    `issuedCount`;
# 5. emit the event: `emit Issued(number, msg.sender, holder, amount);`
#
# Copy the reasons word for word: applications and the grader tell the rules apart by them.

# %% nbgrader={"grade_id": "ex1_issue", "solution": true}
# zh: 1. 开票单位必须经过准入：isIssuer[msg.sender]
# zh: 2. 金额必须为正
# zh: 3. id = keccak256(bytes(number))；这个号码还没有开过：invoices[id].status == Status.None
# zh: 4. invoices[id] = Invoice(...)；issuedCount 加 1
# zh: 5. emit Issued(...)
# en: 1. the issuer must be admitted: isIssuer[msg.sender]
# en: 2. the amount must be positive
# en: 3. id = keccak256(bytes(number)); never issued before: invoices[id].status == Status.None
# en: 4. invoices[id] = Invoice(...); add 1 to issuedCount
# en: 5. emit Issued(...)
ISSUE = """
function issue(string calldata number, address holder, uint256 amount) external {
    ### BEGIN SOLUTION
    require(isIssuer[msg.sender], "not an admitted issuer");
    require(amount > 0, "amount must be positive");
    bytes32 id = keccak256(bytes(number));
    require(invoices[id].status == Status.None, "invoice already issued");
    invoices[id] = Invoice(msg.sender, holder, amount, Status.Issued);
    issuedCount += 1;
    emit Issued(number, msg.sender, holder, amount);
    ### END SOLUTION
}
"""

# %% [markdown] lang="zh-CN"
# 下面的测试先编译合约（`redeem` 还没写时，用一个总是拒绝的占位函数代替它），再由税务局部署、准入商店，
# 然后让商店、陌生人各开几张票。

# %% [markdown] lang="en"
# The test below compiles the contract (while `redeem` is not written yet, a stand-in that always refuses
# takes its place), the tax bureau deploys it and admits the shop, then the shop and a stranger issue.

# %% nbgrader={"grade_id": "ex1_visible", "grade": true, "points": 0}
_PLACEHOLDER = 'function redeem(string calldata number) external { revert("not written yet"); }'
_redeem = globals().get("REDEEM", "raise NotImplementedError()")
_redeem = _PLACEHOLDER if "raise NotImplementedError()" in _redeem else _redeem
_registry = Registry(compile_registry(ISSUE, _redeem))
check.accepted(verdict(_registry.send(TAX, "addIssuer", SHOP.hex)), tr("税务局准入商店", "the tax bureau admits the shop"))
_number = "044031900111-00012345"
_issued = _registry.send(SHOP, "issue", _number, BUYER.hex, 12_800)
check.accepted(verdict(_issued), tr("商店给买方开一张 128.00 元的发票", "the shop issues the buyer an invoice of 128.00 yuan"))
check.equal(_registry.read("get", _number), [SHOP.hex, BUYER.hex, 12_800, ISSUED],
            tr("开出的发票 get(number)：[开票单位, 持有人, 金额, 状态]", "the invoice, get(number): [issuer, holder, amount, status]"),
            hint=tr("Invoice(msg.sender, holder, amount, Status.Issued)：开票单位是 msg.sender",
                    "Invoice(msg.sender, holder, amount, Status.Issued): the issuer is msg.sender"))
check.equal(_registry.read("issuedCount"), 1, tr("开票后的 issuedCount", "issuedCount after issuing"))
check.equal(_registry.events(_issued), [("Issued", {"number": _number, "issuer": SHOP.hex, "holder": BUYER.hex,
                                                    "amount": 12_800})],
            tr("开票交易发出的事件", "the events of the issuing transaction"))
expect_refused(_registry.send(STRANGER, "issue", "044031900111-00099999", STRANGER.hex, 100), "not an admitted issuer",
               tr("没有准入的陌生人开票", "a stranger, not admitted, issues"))
expect_refused(_registry.send(SHOP, "issue", "044031900111-00012346", BUYER.hex, 0), "amount must be positive",
               tr("商店开一张金额为 0 的发票", "the shop issues an invoice of 0"))
expect_refused(_registry.send(SHOP, "issue", _number, STRANGER.hex, 99_900), "invoice already issued",
               tr("商店用同一个发票号再开一张", "the shop issues the same number again"))
check.equal(_registry.read("get", _number), [SHOP.hex, BUYER.hex, 12_800, ISSUED],
            tr("被拒绝的重复开票之后，原来那张发票", "the first invoice, after the refused second one"))
check.equal(_registry.read("issuedCount"), 1, tr("三笔被拒绝的开票之后的 issuedCount", "issuedCount after three refusals"))
check.passed(tr("练习 1 的公开测试通过", "Exercise 1 visible tests pass"))

# %% nbgrader={"grade_id": "ex1_hidden", "grade": true, "points": 4}
# zh: 交卷评分时运行的隐藏测试：你的函数的源代码送到评分程序，由它在自己的进程里编译、部署、调用和判定。
# en: Hidden tests: when your lab is graded, your function's source goes to the grader, which compiles,
# en: deploys, calls and judges it in its own process.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe

Probe().once("ex1_hidden", lambda _: ISSUE)
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 2：报销只能一次
#
# 这是整个合约存在的理由：同一张发票，任何人、在任何节点上，都只能报销一次。补全 `redeem(number)`，按顺序：
#
# 1. `Invoice storage invoice = invoices[keccak256(bytes(number))];`（`storage`：改的是链上的那张发票，不是副本）；
# 2. 不存在（`Status.None`）时以 `"no such invoice"` 拒绝；
# 3. 已经报销过（`Status.Redeemed`）时以 `"invoice already redeemed"` 拒绝；
# 4. 调用者不是持有人时以 `"only the holder may do this"` 拒绝；
# 5. 把状态改成 `Status.Redeemed`，`redeemedCount` 加 1；
# 6. `emit Redeemed(number, msg.sender, invoice.amount);`

# %% [markdown] lang="en"
# ## Exercise 2: redeemed once
#
# This is why the contract exists: an invoice is redeemed once, by anyone, on any node. Complete
# `redeem(number)`, in this order:
#
# 1. `Invoice storage invoice = invoices[keccak256(bytes(number))];` (`storage`: you change the invoice on
#    the chain, not a copy);
# 2. refuse with `"no such invoice"` if it does not exist (`Status.None`);
# 3. refuse with `"invoice already redeemed"` if it was redeemed (`Status.Redeemed`);
# 4. refuse with `"only the holder may do this"` if the caller is not its holder;
# 5. set its status to `Status.Redeemed` and add 1 to `redeemedCount`;
# 6. `emit Redeemed(number, msg.sender, invoice.amount);`

# %% nbgrader={"grade_id": "ex2_redeem", "solution": true}
# zh: 1. 链上的那张发票：Invoice storage invoice = invoices[keccak256(bytes(number))];
# zh: 2. 不存在："no such invoice"
# zh: 3. 已报销过："invoice already redeemed"
# zh: 4. 不是持有人："only the holder may do this"
# zh: 5. 状态改为 Status.Redeemed；redeemedCount 加 1
# zh: 6. emit Redeemed(...)
# en: 1. the invoice on the chain: Invoice storage invoice = invoices[keccak256(bytes(number))];
# en: 2. no such invoice: "no such invoice"
# en: 3. redeemed before: "invoice already redeemed"
# en: 4. not the holder: "only the holder may do this"
# en: 5. status Status.Redeemed; add 1 to redeemedCount
# en: 6. emit Redeemed(...)
REDEEM = """
function redeem(string calldata number) external {
    ### BEGIN SOLUTION
    Invoice storage invoice = invoices[keccak256(bytes(number))];
    require(invoice.status != Status.None, "no such invoice");
    require(invoice.status != Status.Redeemed, "invoice already redeemed");
    require(invoice.holder == msg.sender, "only the holder may do this");
    invoice.status = Status.Redeemed;
    redeemedCount += 1;
    emit Redeemed(number, msg.sender, invoice.amount);
    ### END SOLUTION
}
"""

# %% nbgrader={"grade_id": "ex2_visible", "grade": true, "points": 0}
_registry = Registry(compile_registry(ISSUE, REDEEM))
_registry.send(TAX, "addIssuer", SHOP.hex)
_number, _other = "044031900111-00012345", "044031900111-00012399"
check.accepted(verdict(_registry.send(SHOP, "issue", _number, BUYER.hex, 12_800)), tr("商店开票给买方", "the shop issues to the buyer"))
check.accepted(verdict(_registry.send(SHOP, "issue", _other, EMPLOYER.hex, 5_000)), tr("商店开票给雇主", "the shop issues to the employer"))
_redeemed = _registry.send(BUYER, "redeem", _number)
check.accepted(verdict(_redeemed), tr("买方报销自己的发票", "the buyer redeems its invoice"))
check.equal(_registry.read("get", _number)[3], REDEEMED, tr("报销后发票的状态（2 = Redeemed）", "the status after redeeming (2 = Redeemed)"),
            hint=tr("用 Invoice storage：改 memory 里的副本不会留在链上", "use Invoice storage: changing a memory copy stays off the chain"))
check.equal(_registry.read("redeemedCount"), 1, tr("报销后的 redeemedCount", "redeemedCount after redeeming"))
check.equal(_registry.events(_redeemed), [("Redeemed", {"number": _number, "holder": BUYER.hex, "amount": 12_800})],
            tr("报销交易发出的事件", "the events of the redeeming transaction"))
_again = _registry.send(BUYER, "redeem", _number)
expect_refused(_again, "invoice already redeemed", tr("买方把同一张发票再报销一次", "the buyer redeems the same invoice again"))
check.true(_again.gas_used > 21_000, tr(f"被拒绝的交易也付了燃料费：用了 {_again.gas_used:,} gas",
                                        f"the refused transaction paid for its gas too: {_again.gas_used:,}"))
check.equal(_registry.read("redeemedCount"), 1, tr("重复报销被拒绝之后的 redeemedCount", "redeemedCount after the refused second claim"))
expect_refused(_registry.send(BUYER, "redeem", _other), "only the holder may do this",
               tr("买方报销雇主持有的发票", "the buyer redeems the employer's invoice"))
expect_refused(_registry.send(BUYER, "redeem", "044031900111-00000000"), "no such invoice",
               tr("报销一张从没开过的发票", "redeeming an invoice never issued"))
check.passed(tr("练习 2 的公开测试通过", "Exercise 2 visible tests pass"))

# %% nbgrader={"grade_id": "ex2_hidden", "grade": true, "points": 4}
# zh: 交卷评分时运行的隐藏测试：你的函数的源代码送到评分程序，由它在自己的进程里编译、部署、调用和判定。
# en: Hidden tests: when your lab is graded, your function's source goes to the grader, which compiles,
# en: deploys, calls and judges it in its own process.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe

Probe().once("ex2_hidden", lambda _: REDEEM)
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 在每一个节点上
#
# 联盟链的每个节点都保存同一份合约状态，并各自运行每一笔交易。下面让四家成员的节点各自从空状态开始，运行同一组交易
# （部署、准入、开票、报销、再报销一次），比较它们算出的**状态根**（整个合约状态的哈希，写在区块头里）。

# %% [markdown] lang="en"
# ## On every node
#
# Every node of a consortium keeps the same contract state and runs every transaction itself. Below, the
# four members' nodes each start from an empty state and run the same transactions (deploy, admit, issue,
# redeem, redeem again), and we compare the **state roots** they compute (the hash of the whole contract
# state, written into the block header).

# %%
# zh: 四个节点各自运行同一组交易：每个节点上的第二次报销都被拒绝，状态根都相同
# en: four nodes run the same transactions: each refuses the second claim, and all reach the same root
_artifact = compile_registry(ISSUE, REDEEM)
for _node in (tr("海关", "Customs"), tr("税务局", "Tax Bureau"), tr("港务局", "Port Authority"), tr("银行", "Bank")):
    _registry = Registry(_artifact)
    _registry.send(TAX, "addIssuer", SHOP.hex)
    _registry.send(SHOP, "issue", "044031900111-00012345", BUYER.hex, 12_800)
    _registry.send(BUYER, "redeem", "044031900111-00012345")
    _second = _registry.send(BUYER, "redeem", "044031900111-00012345")
    print(f"{_node:<16}", tr("第二次报销：", "second claim:"), verdict(_second),
          tr("  状态根：", "  state root:"), _registry.block.state_root.hex()[:16] + "…")
