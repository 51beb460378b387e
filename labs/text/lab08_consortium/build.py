# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   minichain:
#     lab: lab08_consortium
#     notebook: build
#     title:
#       zh-CN: 实验八 · 联盟链（动手实现）
#       en: Lab 8 · A consortium chain (build)
# ---

# %% [markdown] lang="zh-CN"
# # 实验八 · 联盟链：动手实现
#
# *企业工程师课程。* BSN、FISCO BCOS 上的联盟链不挖矿，而是由一份已知的**权威节点**名单出块。
# 在 minichain 的权威证明（`minichain/consensus/poa.py`）中，时间被切成长度为 `block_time` 秒的时隙；
# 第 `s` 个时隙属于创世名单上的第 `s mod N` 位成员；一个区块只有由它所在时隙的主人签名、
# 并且时隙在父区块之后，才是有效的。你将实现：
#
# 1. 联盟的创世文件：权威节点名单；
# 2. 某个时刻轮到谁出块（**轮值**）；
# 3. 自己**封装**区块（对区块头的内容哈希签名），并看到链拒绝名单外的机构（`poa-signer`）和不在自己时隙的成员（`poa-turn`）；
# 4. 有成员离线时，下一个区块什么时候出；
# 5. 一个区块什么时候**最终确定**。
#
# 你的函数由 minichain 本身来评判。

# %% [markdown] lang="en"
# # Lab 8 · A consortium chain: build it
#
# *Enterprise track.* Consortium chains on BSN or FISCO BCOS do not mine: a known list of **authorities**
# produces the blocks. In minichain's proof of authority (`minichain/consensus/poa.py`) time is cut into
# slots of `block_time` seconds; slot `s` belongs to member `s mod N` of the genesis list; a block is valid
# only if the owner of its slot signed it, in a slot after its parent's. You will write:
#
# 1. the consortium's genesis: the list of authorities;
# 2. whose turn it is at a given time (the **rotation**);
# 3. **sealing** a block yourself (signing the header's content hash), and see the chain refuse outsiders
#    (`poa-signer`) and members out of their slot (`poa-turn`);
# 4. when the next block comes while members are offline;
# 5. when a block is **final**.
#
# Your functions are judged by minichain itself.

# %% [markdown] lang="zh-CN"
# **使用方法**
#
# 每个练习是一个函数，注释里按步骤编好了号。把 `# 在这里写你的代码` 和 `raise NotImplementedError()`
# 换成你的代码，运行该单元格，再运行下面的测试单元格。测试失败时会说明**检查了什么、应当是什么、实际得到了什么**，
# 并提示常见的错误；测试把你的函数做出的区块交给真正的 minichain 链去核验，所以失败信息里会带上节点拒绝时的规则编号
# （方括号中），例如 `[poa-turn]`。交卷评分时还会运行更多测试：请把函数写对，而不只是让眼前的例子通过。

# %% [markdown] lang="en"
# **How this notebook works**
#
# Each exercise is a function with its steps numbered in comments. Replace `# YOUR CODE HERE` and
# `raise NotImplementedError()` with your code, run the cell, then run the test cell below it. A failing
# test says **what it checked, what it expected and what it found**, with a hint at the usual mistake; the
# tests hand the blocks your functions make to a real minichain chain, so a failure carries the rule id a
# node would give, in brackets, e.g. `[poa-turn]`. More tests run when your lab is graded: make your
# function right, not just the visible example.

# %% nbgrader={"grade_id": "setup", "locked": true}
# zh: 准备工作（只读）：minichain、四家成员的钱包，以及评判函数。
# en: Set-up (read-only): the library, the four members' wallets, and the judges.
import dataclasses

from labkit import tr
from labkit.checks import Checks
from minichain import (
    AuthoritySeal,
    Block,
    Chain,
    Genesis,
    MinichainError,
    PoaParams,
    get_suite,
    make_genesis_block,
    poa_signing_bytes,
)
from minichain.testing import GENESIS_TIME, make_genesis, make_wallet, produce_block

check = Checks(tr("zh-CN", "en"))
KEYS = ("customs", "tax", "port", "bank")
CUSTOMS, TAX, PORT, BANK = MEMBERS = [make_wallet(f"org-{key}") for key in KEYS]
OUTSIDER = make_wallet("org-logistics")
NAMES = dict(zip([m.address for m in MEMBERS] + [OUTSIDER.address],
                 [tr("海关", "Customs"), tr("税务局", "Tax Bureau"), tr("港务局", "Port Authority"),
                  tr("银行", "Bank"), tr("物流公司", "the logistics company")], strict=True))


def who(address):
    """A member's name for an address (anything else as it is), so messages read as words."""
    return NAMES.get(address, address) if isinstance(address, str) else address


def minichain_genesis(members, block_time=2, suite="sha256-ed25519"):
    """The consortium's genesis as minichain's own test helper writes it: the tests judge by it."""
    return make_genesis("poa", authorities=members, block_time=block_time, chain_id="trade-consortium",
                        funded=members, suite=suite)


GENESIS = minichain_genesis(MEMBERS)


def minichain_verdict(chain, block):
    """Offer `block` to `chain`, which keeps it if it is valid: None if accepted, else "[rule] message"."""
    try:
        chain.add_block(block)
    except MinichainError as error:
        return f"[{error.rule}] {error}"
    return None


def sealed_by(genesis, members):
    """A chain whose blocks minichain seals, one per member in `members`, each in that member's next turn."""
    chain = Chain(genesis)
    for member in members:
        produce_block(chain, producer=member, authorities=[member])
    return chain


# %% [markdown] lang="zh-CN"
# ## 练习 1：联盟的创世文件
#
# `consortium_genesis(members, block_time=2)` 返回一个 `Genesis`：
#
# 1. `chain_id="trade-consortium"`，`timestamp=GENESIS_TIME`：每家成员的创世文件必须逐字节相同，所以不能用当前时间；
# 2. `consensus=PoaParams(authorities, block_time=block_time)`，其中 `authorities` 是成员**地址**组成的元组，
#    **保持给定的顺序**：顺序就是轮值顺序；
# 3. `allocations`：每家成员 1,000,000，写成 `(地址, 金额)` 组成的元组，按地址排序。
#
# 其余字段（密码套件、每块交易上限）保持默认。（`minichain.testing.make_genesis` 也能做这件事；这里请自己写。）

# %% [markdown] lang="en"
# ## Exercise 1: the consortium's genesis
#
# `consortium_genesis(members, block_time=2)` returns a `Genesis` with:
#
# 1. `chain_id="trade-consortium"` and `timestamp=GENESIS_TIME`: every member's genesis must be the same
#    bytes, so never the current time;
# 2. `consensus=PoaParams(authorities, block_time=block_time)`, where `authorities` is the tuple of the
#    members' **addresses in the given order**: the order is the rotation;
# 3. `allocations`: 1,000,000 for each member, as a tuple of `(address, amount)` pairs sorted by address.
#
# The other fields (the suite, the block size limit) keep their defaults. (`minichain.testing.make_genesis`
# can do this too; write it yourself here.)

# %% nbgrader={"grade_id": "ex1_consortium_genesis", "solution": true}
def consortium_genesis(members, block_time=2):
    """The rules of a proof-of-authority chain sealed by `members` (wallets), in turn."""
    # zh: 1. 链的名称 "trade-consortium" 和创世时间 GENESIS_TIME
    # zh: 2. 权威节点：tuple(成员的 .address)，保持给定的顺序；PoaParams(authorities, block_time=block_time)
    # zh: 3. 每家成员 1,000,000：tuple(sorted((地址, 1_000_000) ...))
    # zh: 4. return Genesis(chain_id=..., timestamp=..., consensus=..., allocations=...)
    # en: 1. the chain name "trade-consortium" and the genesis time GENESIS_TIME
    # en: 2. the authorities: tuple(the members' .address), in the given order; PoaParams(authorities, block_time=block_time)
    # en: 3. 1,000,000 for each member: tuple(sorted((address, 1_000_000) ...))
    # en: 4. return Genesis(chain_id=..., timestamp=..., consensus=..., allocations=...)
    ### BEGIN SOLUTION
    authorities = tuple(member.address for member in members)
    return Genesis(chain_id="trade-consortium", timestamp=GENESIS_TIME,
                   consensus=PoaParams(authorities, block_time=block_time),
                   allocations=tuple(sorted((address, 1_000_000) for address in authorities)))
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex1_visible", "grade": true, "points": 0}
try:
    _genesis = consortium_genesis(MEMBERS)
except MinichainError as _error:
    check.fail(tr(f"为四家成员写创世文件：minichain 拒绝了它：[{_error.rule}] {_error}\n"
                  "名单和 allocations 里放的应是成员的地址 member.address（不是公钥，也不是钱包对象）",
                  f"the genesis of the four members: minichain refuses it: [{_error.rule}] {_error}\n"
                  "the list and the allocations hold the members' addresses, member.address (not keys, not wallets)"))
check.instance(_genesis, Genesis, tr("consortium_genesis 的返回值", "what consortium_genesis returns"))
check.equal(_genesis.chain_id, "trade-consortium", tr("链的名称 chain_id", "the chain_id"))
check.equal(_genesis.timestamp, GENESIS_TIME, tr("创世时间 timestamp", "the genesis timestamp"),
            hint=tr("用 GENESIS_TIME，不要用当前时间：每家成员的创世文件必须逐字节相同",
                    "use GENESIS_TIME, not the current time: every member's genesis must be the same bytes"))
check.instance(_genesis.consensus, PoaParams, tr("共识参数 consensus", "the consensus parameters"))
check.equal(tuple(map(who, _genesis.consensus.authorities)), tuple(map(who, (m.address for m in MEMBERS))),
            tr("权威节点名单（按海关、税务局、港务局、银行给出）", "the authorities (given as Customs, Tax, Port, Bank)"),
            hint=tr("名单里放成员的地址 member.address（不是公钥，也不是钱包对象），保持给定的顺序",
                    "the list holds member.address (not public keys, not wallets), in the given order"))
check.equal(type(_genesis.consensus.authorities), tuple, tr("名单的类型", "the type of the list"),
            hint=tr("用 tuple(...)：创世文件是不可变的", "use tuple(...): a genesis is immutable"))
check.equal(tuple(map(who, consortium_genesis([BANK, CUSTOMS]).consensus.authorities)),
            (who(BANK.address), who(CUSTOMS.address)), tr("成员按 [银行, 海关] 给出时的名单", "the list for [Bank, Customs]"),
            hint=tr("名单的顺序就是轮值顺序：保持给定的顺序，不要排序", "the order is the rotation: keep it, do not sort"))
check.equal(consortium_genesis(MEMBERS, block_time=5).consensus.block_time, 5,
            tr("block_time=5 时的出块间隔", "the block interval for block_time=5"),
            hint=tr("把参数 block_time 传给 PoaParams，不要写死 2", "pass the block_time argument to PoaParams, not 2"))
check.equal({who(a): amount for a, amount in _genesis.allocations}, {who(m.address): 1_000_000 for m in MEMBERS},
            tr("初始余额", "the first balances"))
check.equal([who(a) for a, _ in _genesis.allocations], [who(a) for a, _ in sorted(_genesis.allocations)],
            tr("allocations 中成员的先后（按地址排序）", "the members' order in allocations (sorted by address)"),
            hint=tr("按地址排序：sorted(...)", "sorted by address: sorted(...)"))
check.equal(make_genesis_block(_genesis).hash(get_suite(_genesis.suite)).hex(),
            make_genesis_block(GENESIS).hash(get_suite(GENESIS.suite)).hex(),
            tr("创世区块的哈希（与 minichain 为同样四家成员写出的创世文件比较）",
               "the genesis block's hash (against the genesis minichain writes for the same four members)"),
            hint=tr("其余字段保持默认", "leave the other fields at their defaults"))
_chain = Chain(_genesis)
for _ in range(4):
    produce_block(_chain, authorities=MEMBERS)
check.equal(_chain.height, 4, tr("在你的创世文件上由 minichain 轮流封装 4 个区块后的高度", "height after minichain seals 4 blocks on your genesis"))
check.passed(tr("练习 1 的公开测试通过", "Exercise 1 visible tests pass"))

# %% nbgrader={"grade_id": "ex1_hidden", "grade": true, "points": 3}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe


def _genesis_data(case):
    """Your consortium_genesis for the case's members (and block time, if it gives one), as data."""
    genesis = consortium_genesis([make_wallet(seed) for seed in case[0]], *case[1:])
    return [genesis.to_json(), genesis.consensus.authorities, genesis.allocations]


Probe().each("ex1_hidden", _genesis_data)
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 2：轮到谁？
#
# `slot_owner(genesis, timestamp)` 返回可以封装这个时间戳的区块的成员**地址**：
#
# 1. `slot = timestamp // genesis.consensus.block_time`（时隙从 1970 年起算，不是从创世时间起算）；
# 2. 返回 `genesis.consensus.authorities` 中下标为 `slot % N` 的地址，`N` 是名单的长度。

# %% [markdown] lang="en"
# ## Exercise 2: whose turn?
#
# `slot_owner(genesis, timestamp)` returns the **address** of the member that may seal a block with this
# timestamp:
#
# 1. `slot = timestamp // genesis.consensus.block_time` (slots count from 1970, not from the genesis time);
# 2. return the address at index `slot % N` of `genesis.consensus.authorities`, `N` being the list's length.

# %% nbgrader={"grade_id": "ex2_slot_owner", "solution": true}
def slot_owner(genesis, timestamp):
    """The address of the authority that may seal a block with this timestamp."""
    # zh: 1. 时隙编号：timestamp // genesis.consensus.block_time
    # zh: 2. 名单 genesis.consensus.authorities 里下标为 slot % N 的地址
    # en: 1. the slot number: timestamp // genesis.consensus.block_time
    # en: 2. the address at index slot % N of genesis.consensus.authorities
    ### BEGIN SOLUTION
    authorities = genesis.consensus.authorities
    return authorities[(timestamp // genesis.consensus.block_time) % len(authorities)]
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex2_visible", "grade": true, "points": 0}
check.instance(slot_owner(GENESIS, GENESIS_TIME), str, tr("slot_owner 的返回值", "what slot_owner returns"))
check.equal(who(slot_owner(GENESIS, GENESIS_TIME + 75)), who(TAX.address),
            tr("开链后第 75 秒的主人（探索实验第 3 题）", "the owner 75 s after the start (question 3 of the explore lab)"),
            hint=tr("先求时隙 slot = timestamp // block_time，再取名单里的 authorities[slot % N]",
                    "first the slot, slot = timestamp // block_time, then authorities[slot % N] of the list"))
check.equal(who(slot_owner(GENESIS, GENESIS_TIME + 3)), who(TAX.address),
            tr("开链后第 3 秒的主人（与第 2 秒同在一个时隙）", "the owner at second 3 (the same slot as second 2)"),
            hint=tr("先把时间换算成时隙：timestamp // block_time，再对 N 取余", "turn the time into a slot first: timestamp // block_time, then mod N"))
# zh: 三家成员、出块间隔 3 秒、创世时间不在时隙的起点：答案由 minichain 的共识引擎给出
# en: three members, a block every 3 s, a genesis time off the slot grid: minichain's engine gives the answers
_odd = dataclasses.replace(minichain_genesis(MEMBERS[:3], block_time=3), timestamp=GENESIS_TIME + 1)
_engine = Chain(_odd).engine
for _t in range(GENESIS_TIME, GENESIS_TIME + 30):
    try:
        _found = slot_owner(_odd, _t)
    except IndexError:
        check.fail(tr(f"三家成员时，时间戳 {_t}：下标超出了名单的范围。N 要用 len(authorities)，不要写死 4",
                      f"three members, timestamp {_t}: an index outside the list. N is len(authorities), not 4"))
    check.equal(who(_found), who(_engine.authority_for_slot(_engine.slot(_t))),
                tr(f"三家成员、出块间隔 3 秒、创世时间 +1 秒时，时间戳 {_t} 的主人",
                   f"the owner of timestamp {_t}, three members, a block every 3 s, genesis 1 s late"),
                hint=tr("时隙从 1970 年起算：slot = timestamp // block_time，不要减去创世时间；名单长度用 len(authorities)",
                        "slots count from 1970: slot = timestamp // block_time, never minus the genesis time; "
                        "N is len(authorities)"))
check.passed(tr("练习 2 的公开测试通过", "Exercise 2 visible tests pass"))

# %% nbgrader={"grade_id": "ex2_hidden", "grade": true, "points": 3}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe


def _owners(case):
    """Your slot_owner at each of the case's timestamps, on a genesis of its members."""
    members, block_time, start, timestamps = case
    genesis = dataclasses.replace(minichain_genesis([make_wallet(seed) for seed in members], block_time),
                                  timestamp=start)
    return [slot_owner(genesis, timestamp) for timestamp in timestamps]


Probe().each("ex2_hidden", _owners)
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 3：封装一个区块
#
# 权威节点封装区块，是对区块头的**内容哈希**（除封装信息以外的全部字段）签名；签名前先加上一个固定的标签，
# 使这个签名不能被挪作他用。`seal_block(chain, member, transactions, timestamp)`：
#
# 1. `block, _ = chain.build_block(transactions, member.address, timestamp)`：出块者就是受益人，手续费归它；
# 2. `message = poa_signing_bytes(block.header.content_hash(chain.suite))`；
# 3. `signature = chain.suite.sign(member.private_key, message)`；
# 4. 返回 `Block(block.header.with_seal(AuthoritySeal(member.public_key, signature)), block.transactions)`。
#
# **不要**把区块加到链上：测试会把它交给链，由链来裁决。（`PoaEngine.seal` 能完成第 2–4 步；这里请自己写。）

# %% [markdown] lang="en"
# ## Exercise 3: sealing a block
#
# An authority seals a block by signing the header's **content hash** (every field but the seal), behind a
# fixed tag so that the signature cannot be reused for anything else.
# `seal_block(chain, member, transactions, timestamp)`:
#
# 1. `block, _ = chain.build_block(transactions, member.address, timestamp)`: the sealer is the
#    beneficiary, it collects the fees;
# 2. `message = poa_signing_bytes(block.header.content_hash(chain.suite))`;
# 3. `signature = chain.suite.sign(member.private_key, message)`;
# 4. return `Block(block.header.with_seal(AuthoritySeal(member.public_key, signature)), block.transactions)`.
#
# Do **not** add it to the chain: the tests hand it to the chain, and the chain decides. (`PoaEngine.seal`
# does steps 2-4; write them yourself here.)

# %% nbgrader={"grade_id": "ex3_seal_block", "solution": true}
def seal_block(chain, member, transactions, timestamp):
    """A block on chain's tip, sealed by `member` (a wallet) at `timestamp`; not added to the chain."""
    # zh: 1. 区块模板，受益人是 member.address
    # zh: 2. 要签名的消息：poa_signing_bytes(内容哈希)
    # zh: 3. 用链的密码套件签名：chain.suite.sign(member.private_key, message)
    # zh: 4. 带上封装信息 AuthoritySeal(member.public_key, signature) 的新区块
    # en: 1. the template, paying member.address
    # en: 2. the message to sign: poa_signing_bytes(the content hash)
    # en: 3. sign it with the chain's suite: chain.suite.sign(member.private_key, message)
    # en: 4. the block with the seal AuthoritySeal(member.public_key, signature)
    ### BEGIN SOLUTION
    block, _ = chain.build_block(transactions, member.address, timestamp)
    message = poa_signing_bytes(block.header.content_hash(chain.suite))
    signature = chain.suite.sign(member.private_key, message)
    sealed = block.header.with_seal(AuthoritySeal(member.public_key, signature))
    return Block(sealed, block.transactions)
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex3_visible", "grade": true, "points": 0}
_chain = Chain(GENESIS)
_owner = {m.address: m for m in MEMBERS}[_chain.engine.authority_for_slot(_chain.engine.slot(GENESIS_TIME + 2))]
_block = seal_block(_chain, _owner, [], GENESIS_TIME + 2)
check.instance(_block, Block, tr("seal_block 的返回值", "what seal_block returns"))
check.equal(_chain.height, 0, tr("调用 seal_block 之后链的高度", "the chain's height after seal_block"),
            hint=tr("seal_block 只做区块，不要自己调用 chain.add_block", "seal_block makes the block; it must not call chain.add_block"))
check.equal(who(_block.header.beneficiary), who(_owner.address), tr("区块的受益人", "the block's beneficiary"),
            hint=tr("出块者就是受益人：build_block(transactions, member.address, timestamp)",
                    "the sealer is the beneficiary: build_block(transactions, member.address, timestamp)"))
check.instance(_block.header.seal, AuthoritySeal, tr("区块的封装信息", "the block's seal"))
check.equal(_block.header.seal.signer.hex(), _owner.public_key.hex(), tr("封装信息里的公钥", "the public key in the seal"),
            hint=tr("AuthoritySeal 的第一个字段是公钥 member.public_key，不是地址", "AuthoritySeal's first field is member.public_key, not the address"))
_message = poa_signing_bytes(_block.header.content_hash(_chain.suite))
check.true(_chain.suite.verify(_owner.public_key, _message, _block.header.seal.signature), tr(
    "封装签名：应能用成员的公钥对 poa_signing_bytes(内容哈希) 验证通过，实际验证失败"
    "（签的是 content_hash 而不是区块哈希吗？加上标签 poa_signing_bytes 了吗？用的是 member.private_key 吗？）",
    "the seal's signature: expected to verify with the member's public key over poa_signing_bytes(content hash), "
    "it does not (signed content_hash, not the block hash? the poa_signing_bytes tag added? member.private_key?)"))
check.accepted(minichain_verdict(_chain, _block), tr(f"{who(_owner.address)}在自己的时隙封装的第 1 号区块",
                                                     f"block 1 sealed by the {who(_owner.address)} in its own slot"))
_pay = CUSTOMS.transfer(GENESIS.chain_id, OUTSIDER.address, 500, 0, fee=3, memo=tr("报关费", "customs fee"))
_next = {m.address: m for m in MEMBERS}[_chain.engine.authority_for_slot(_chain.engine.slot(GENESIS_TIME + 4))]
check.accepted(minichain_verdict(_chain, seal_block(_chain, _next, [_pay], GENESIS_TIME + 4)),
               tr(f"{who(_next.address)}封装的第 2 号区块（含一笔付款）", f"block 2 by the {who(_next.address)}, with a payment"))
check.equal(_chain.state.balance(OUTSIDER.address), 500, tr("收款方的余额", "the payee's balance"))
check.refused(minichain_verdict(_chain, seal_block(_chain, OUTSIDER, [], GENESIS_TIME + 6)), "poa-signer",
              tr("名单外的物流公司封装的区块", "a block sealed by the logistics company, not on the list"))
check.refused(minichain_verdict(_chain, seal_block(_chain, CUSTOMS, [], GENESIS_TIME + 6)), "poa-turn",
              tr("海关在银行的时隙（第 6 秒）封装的区块", "a block sealed by Customs in the Bank's slot (second 6)"))
# zh: 国密链（sm3-sm2）：签名要用链自己的密码套件
# en: a chain on China's national suite (sm3-sm2): sign with the chain's own suite
_sm_members = [make_wallet(f"org-{key}", "sm3-sm2") for key in KEYS]
_sm_chain = Chain(minichain_genesis(_sm_members, suite="sm3-sm2"))
check.accepted(minichain_verdict(_sm_chain, seal_block(_sm_chain, _sm_members[1], [], GENESIS_TIME + 2)),
               tr("国密链（sm3-sm2）上税务局封装的第 1 号区块（用 chain.suite 签名了吗？）",
                  "block 1 by the Tax Bureau on an sm3-sm2 chain (signed with chain.suite?)"))
check.passed(tr("练习 3 的公开测试通过", "Exercise 3 visible tests pass"))

# %% nbgrader={"grade_id": "ex3_hidden", "grade": true, "points": 4}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe


def _sealed(case):
    """Your seal_block at each step of the case, on a chain of its members: the block and the chain's
    height right after the call; each block is then offered to the chain, which keeps it if valid."""
    members, suite, block_time, steps = case
    chain = Chain(minichain_genesis([make_wallet(seed, suite) for seed in members], block_time, suite))
    made = []
    for sealer, transactions, timestamp in steps:
        block = seal_block(chain, make_wallet(sealer, suite), transactions, timestamp)
        made.append([block, chain.height])
        if type(block) is Block:
            minichain_verdict(chain, block)
    return made


Probe().each("ex3_hidden", _sealed)
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 4：有成员离线时
#
# 如果下一个时隙的主人离线了，谁也不能在它的时隙出块：链要等到下一个主人在线的时隙。
# `next_block_time(chain, online)` 返回 `online` 中的某位成员最早可以封装下一个区块的时间：
#
# 1. `slot` 是链顶区块的时隙：`chain.tip.timestamp // block_time`；
# 2. 依次看 `slot + 1`、`slot + 2`……（最多 `N` 个）：找到第一个主人在线的时隙；
# 3. 返回这个时隙的**开始时间**（时隙编号乘以 `block_time`）；如果一个都找不到，返回 `None`。
#
# `online` 是在线成员的**钱包**列表，名单里放的是**地址**；名单外的机构即使在线也不能出块。

# %% [markdown] lang="en"
# ## Exercise 4: members offline
#
# If the owner of the next slot is offline, nobody may seal in its slot: the chain waits for the next slot
# whose owner is online. `next_block_time(chain, online)` returns the earliest time at which one of the
# `online` members may seal the next block:
#
# 1. `slot` is the tip's slot: `chain.tip.timestamp // block_time`;
# 2. try `slot + 1`, `slot + 2`, … (at most `N` of them): the first whose owner is online;
# 3. return that slot's **start time** (the slot number times `block_time`), or `None` if there is none.
#
# `online` is a list of the online members' **wallets**, while the list holds **addresses**; an
# organisation not on the list cannot seal even when online.

# %% nbgrader={"grade_id": "ex4_next_block_time", "solution": true}
def next_block_time(chain, online):
    """When one of the `online` wallets may seal the next block on `chain` (None: none of them can)."""
    # zh: 1. 名单、出块间隔，以及链顶的时隙 chain.tip.timestamp // block_time
    # zh: 2. 在线成员的地址：{wallet.address for wallet in online}
    # zh: 3. 对 slot + 1 … slot + N：主人 authorities[candidate % N] 在线，就返回 candidate * block_time
    # zh: 4. 都不在线：返回 None
    # en: 1. the list, the block interval, and the tip's slot chain.tip.timestamp // block_time
    # en: 2. the online members' addresses: {wallet.address for wallet in online}
    # en: 3. for slot + 1 … slot + N: if the owner authorities[candidate % N] is online, return candidate * block_time
    # en: 4. nobody online: return None
    ### BEGIN SOLUTION
    params = chain.genesis.consensus
    online_addresses = {wallet.address for wallet in online}
    slot = chain.tip.timestamp // params.block_time
    for candidate in range(slot + 1, slot + 1 + len(params.authorities)):
        if params.authorities[candidate % len(params.authorities)] in online_addresses:
            return candidate * params.block_time
    return None
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex4_visible", "grade": true, "points": 0}
def _why(found, chain):
    """The usual mistake behind a wrong next_block_time."""
    if found is None:
        return (tr("得到 None：online 里是钱包、名单里是地址，比较时用 wallet.address 了吗？"
                   "要看满 N 个时隙：range(slot + 1, slot + 1 + N)",
                   "found None: online holds wallets, the list addresses; compared wallet.address? "
                   "Try all N slots: range(slot + 1, slot + 1 + N)"))
    if isinstance(found, int) and found < GENESIS_TIME // 2 + 10**6:
        return tr("这像是时隙编号：返回时隙的开始时间，时隙编号 * block_time",
                  "that looks like a slot number: return the slot's start time, slot * block_time")
    if found == chain.tip.timestamp:
        return tr("这是链顶所在的时隙：下一个区块要从 slot + 1 开始找", "that is the tip's own slot: start at slot + 1")
    return tr("跳过主人不在线的时隙；从时隙算，不要用链顶时间加 block_time",
              "skip the slots whose owner is offline; count in slots, not tip time + block_time")


def _expect_next(chain, online, expected, what):
    found = next_block_time(chain, online)
    check.equal(found, expected, what, hint=_why(found, chain))


_chain = Chain(GENESIS)
_expect_next(_chain, MEMBERS, GENESIS_TIME + 2, tr("新链、四家都在线：第 1 号区块的时间", "a new chain, all online: block 1's time"))
produce_block(_chain, producer=TAX, authorities=MEMBERS)
_expect_next(_chain, [CUSTOMS, TAX, BANK], GENESIS_TIME + 6,
             tr("税务局第 2 秒出块后，港务局离线（第 4 秒是它的时隙）", "after the Tax Bureau's block at second 2, the Port Authority offline (second 4 is its slot)"))
_expect_next(_chain, [TAX], GENESIS_TIME + 10,
             tr("税务局第 2 秒出块后，只有税务局在线", "after the Tax Bureau's block at second 2, only the Tax Bureau online"))
_expect_next(_chain, [], None, tr("没有成员在线", "nobody online"))
_expect_next(_chain, [OUTSIDER], None, tr("只有名单外的物流公司在线", "only the logistics company, not on the list, online"))
# zh: 链顶区块的时间不在时隙起点：税务局在第 3 秒（第 2 秒开始的时隙里）出块
# en: a tip whose time is inside its slot: the Tax Bureau seals at second 3 (in the slot that starts at second 2)
_chain = Chain(GENESIS)
_template, _ = _chain.build_block([], TAX.address, GENESIS_TIME + 3)
check.accepted(minichain_verdict(_chain, Block(_chain.engine.seal(_template.header, TAX.private_key), ())),
               tr("税务局在第 3 秒出的块", "the Tax Bureau's block at second 3"))
_expect_next(_chain, MEMBERS, GENESIS_TIME + 4, tr("链顶在第 3 秒、四家都在线", "tip at second 3, all online"))
# zh: 在你给出的时间，由那个时隙的主人出块（minichain 封装）：链接受它
# en: at the time you give, the slot's owner seals (minichain seals it): the chain accepts it
_time = next_block_time(_chain, [BANK])
_template, _ = _chain.build_block([], BANK.address, _time)
check.accepted(minichain_verdict(_chain, Block(_chain.engine.seal(_template.header, BANK.private_key), ())),
               tr(f"银行在你给出的时间 {_time} 出的块", f"the Bank's block at your time {_time}"))
check.passed(tr("练习 4 的公开测试通过", "Exercise 4 visible tests pass"))

# %% nbgrader={"grade_id": "ex4_hidden", "grade": true, "points": 3}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe


def _next_times(case):
    """Your next_block_time on the case's chain, for each group of members online."""
    members, block_time, blocks, groups = case
    chain = Chain(minichain_genesis([make_wallet(seed) for seed in members], block_time))
    for block in blocks:
        chain.add_block(block)
    return [next_block_time(chain, [make_wallet(seed) for seed in group]) for group in groups]


Probe().each("ex4_hidden", _next_times)
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 5：区块什么时候最终确定？
#
# 本实验（以及探索实验）采用的约定：主链上高度为 `height` 的区块，如果它和它之后直到链顶的所有区块，
# 由**超过半数**的不同权威节点封装过，它就**最终确定**了。要推翻它，需要一条更长、却不包含它的分支，
# 而这需要超过半数的成员在另一条分支上也签名出块。创世区块（高度 0）没有封装者，总是最终确定的。
# `is_final(chain, height)`：
#
# 1. `height == 0` 时返回 `True`；
# 2. 收集主链上从 `height` 到 `chain.height`（两端都包括）每个区块的封装者：`chain.block_at(h).header.seal.signer`（公钥）；
# 3. 不同封装者的个数超过名单长度 `N` 的一半（`2 * 个数 > N`）时返回 `True`，否则返回 `False`。
#
# 注意：四家成员时要三家，两家只是一半；同一家封装了再多区块，也只算一家。

# %% [markdown] lang="en"
# ## Exercise 5: when is a block final?
#
# The rule of this lab (and of the explore lab): the block at `height` on the main chain is **final** once
# it and all the blocks after it up to the tip have been sealed by **more than half** of the authorities,
# counted as different members. Undoing it would take a longer branch without it, which needs more than
# half of the members to seal on another branch too. The genesis block (height 0) has no sealer and is
# always final. `is_final(chain, height)`:
#
# 1. return `True` when `height == 0`;
# 2. collect the sealer of every main-chain block from `height` to `chain.height` (both included):
#    `chain.block_at(h).header.seal.signer` (a public key);
# 3. return `True` if the number of different sealers is more than half of the list's length `N`
#    (`2 * count > N`), else `False`.
#
# Mind: with four members it takes three (two is only half), and one member sealing many blocks counts once.

# %% nbgrader={"grade_id": "ex5_is_final", "solution": true}
def is_final(chain, height):
    """Whether the main-chain block at `height` has been sealed on by more than half of the authorities."""
    # zh: 1. 创世区块：return True
    # zh: 2. 不同的封装者：{chain.block_at(h).header.seal.signer for h in range(height, chain.height + 1)}
    # zh: 3. 2 * len(封装者) > len(chain.genesis.consensus.authorities)
    # en: 1. the genesis block: return True
    # en: 2. the different sealers: {chain.block_at(h).header.seal.signer for h in range(height, chain.height + 1)}
    # en: 3. 2 * len(sealers) > len(chain.genesis.consensus.authorities)
    ### BEGIN SOLUTION
    if height == 0:
        return True
    sealers = {chain.block_at(h).header.seal.signer for h in range(height, chain.height + 1)}
    return 2 * len(sealers) > len(chain.genesis.consensus.authorities)
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex5_visible", "grade": true, "points": 0}
def _expect_final(chain, expected, what, hint):
    found = [is_final(chain, h) for h in range(chain.height + 1)]
    check.equal(found, expected, tr(f"{what}：高度 0–{chain.height} 各区块是否最终确定",
                                    f"{what}: whether each block at heights 0-{chain.height} is final"), hint=hint)


_expect_final(sealed_by(GENESIS, [BANK] * 5), [True] + [False] * 5, tr("只有银行一家出了 5 个区块", "the Bank alone sealed 5 blocks"),
              hint=tr("数的是不同的封装者（用集合），不是区块的个数；创世区块（高度 0）总是 True",
                      "count different sealers (a set), not blocks; the genesis block (height 0) is always True"))
_expect_final(sealed_by(GENESIS, [CUSTOMS, TAX] * 3), [True] + [False] * 6,
              tr("只有海关和税务局在出块（断网后的一组）", "only Customs and the Tax Bureau sealing (one side of a split)"),
              hint=tr("两家是四家的一半，不是超过半数：2 * 个数 > N", "two of four is half, not more than half: 2 * count > N"))
_expect_final(sealed_by(GENESIS, [TAX, PORT, BANK, CUSTOMS, TAX, PORT, BANK, CUSTOMS]), [True] * 7 + [False] * 2,
              tr("四家轮流出了 8 个区块", "the four members took turns for 8 blocks"),
              hint=tr("从这个区块本身数到链顶（两端都包括）：range(height, chain.height + 1)",
                      "count from the block itself up to the tip, both included: range(height, chain.height + 1)"))
_expect_final(sealed_by(GENESIS, [TAX, PORT, BANK, CUSTOMS] + [BANK] * 4), [True] * 3 + [False] * 6,
              tr("四家轮流出了 4 个区块之后，只有银行又出了 4 个", "four blocks in turn, then four by the Bank alone"),
              hint=tr("只数高度 height 及之后的区块，不要数它之前的", "count only the blocks from height on, none before it"))
check.equal(type(is_final(sealed_by(GENESIS, [TAX]), 1)), bool, tr("is_final 返回值的类型", "the type is_final returns"),
            hint=tr("返回 True 或 False（比较的结果），不是数字", "return True or False (a comparison), not a number"))
check.passed(tr("练习 5 的公开测试通过", "Exercise 5 visible tests pass"))

# %% nbgrader={"grade_id": "ex5_hidden", "grade": true, "points": 3}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe


def _finality(case):
    """Your is_final at every height of the case's chain (its blocks in order: a longer branch reorgs)."""
    members, blocks = case
    chain = Chain(minichain_genesis([make_wallet(seed) for seed in members]))
    for block in blocks:
        chain.add_block(block)
    return [is_final(chain, height) for height in range(chain.height + 1)]


Probe().each("ex5_hidden", _finality)
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 断网时，哪一边能最终确定？
#
# 网络断成两半时，每一边只在自己成员的时隙出块。下面用 minichain 分别做出两种断网情形下的分支，再用你的 `is_final`
# 看看每条分支上断网期间出的区块：两家对两家时，哪一边都凑不够三家；三家对一家时，只有三家的一边能最终确定。
# 所以恢复连接后被撤销的，只会是从未最终确定的区块。

# %% [markdown] lang="en"
# ## A split network: which side reaches finality?
#
# When the network splits, each side seals only in its own members' slots. Below, minichain builds the
# branches of two splits, and your `is_final` looks at the blocks each branch sealed while cut off: two
# against two, neither side has three members; three against one, only the side of three reaches
# finality. So the blocks undone after healing are only ever blocks that were never final.

# %%
# zh: 断网前三个共同的区块，然后每一边在自己成员的时隙里再出 6 个（✓：你的 is_final 说它已最终确定）
# en: three shared blocks before the split, then 6 more on each side in its members' slots (✓: your is_final says final)
_prefix = [TAX, PORT, BANK]
for _sides in ([[CUSTOMS, TAX], [PORT, BANK]], [[CUSTOMS, TAX, PORT], [BANK]]):
    for _side in _sides:
        _online = set(_side)
        _chain = sealed_by(GENESIS, _prefix)
        for _ in range(6):
            _when = next(t for t in range(_chain.tip.timestamp + 2, _chain.tip.timestamp + 20, 2)
                         if _chain.engine.authority_for_slot(_chain.engine.slot(t)) in {m.address for m in _online})
            produce_block(_chain, timestamp=_when, authorities=MEMBERS)
        _marks = ["✓" if is_final(_chain, h) else "·" for h in range(len(_prefix) + 1, _chain.height + 1)]
        print(tr("、", ", ").join(who(m.address) for m in _side), tr("一边断网后的 6 个区块：", "side, 6 blocks after the split:"),
              " ".join(_marks))
