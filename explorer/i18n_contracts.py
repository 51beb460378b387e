"""The text of the smart-contracts page and its stage scenario, in English and Simplified Chinese;
merged into explorer.i18n.CATALOG (same rules: same {placeholders}, codes stay as they are:
function names, addresses, hashes and the contract's own revert strings).

REASONS_ZH says the sample contracts' revert reasons (contracts/*.sol, in English as Solidity
writes them) in Chinese; the page shows the contract's own words beside them."""

from __future__ import annotations

CONTRACTS_CATALOG: dict[str, dict[str, str]] = {
    "page.contracts": {"en": "8 · Smart contracts", "zh": "8 · 智能合约"},
    "contracts.title": {"en": "Smart contracts: one program, run by every node",
                        "zh": "智能合约：同一个程序，每个节点都执行"},
    "contracts.intro": {
        "en": "A smart contract is a program stored on the chain. A transaction calls it, and every "
              "node runs the same call on its own copy of the state: four nodes here, each with its "
              "own EVM (py-evm) and the contracts of the course, compiled from Solidity. They must "
              "all reach the same storage, the same events and the same refusals: what the contract "
              "enforces, it enforces everywhere.",
        "zh": "智能合约是存放在链上的程序。交易调用它，每个节点都在自己的一份状态上执行同一次调用："
              "这里有四个节点，各有自己的以太坊虚拟机（py-evm），运行课程中用 Solidity 编写、编译好的合约。"
              "它们必须得到相同的存储、相同的事件和相同的拒绝：合约规定的规则，在每个节点上都同样生效。",
    },
    "contracts.no_compiler": {
        "en": "The Solidity compiler is not installed on this machine ({detail}). Run `make setup`.",
        "zh": "这台机器上没有安装 Solidity 编译器（{detail}）。请运行 `make setup`。",
    },
    "contracts.tab_story": {"en": "The e-invoice registry", "zh": "电子发票登记"},
    "contracts.tab_try": {"en": "Try it yourself", "zh": "自己试一试"},
    "contracts.story_intro": {
        "en": "The capstone's contract: the tax bureau admits issuers, a supplier issues an invoice "
              "to a buyer, the buyer redeems it once. Step through its life, one transaction a block.",
        "zh": "结业项目的合约：税务局批准开票方，供应商给采购方开具发票，采购方只能报销一次。"
              "一步一步看它的一生，每个区块一笔交易。",
    },
    "contracts.back": {"en": "◀ Back", "zh": "◀ 上一步"},
    "contracts.next": {"en": "Next ▶", "zh": "下一步 ▶"},
    "contracts.restart": {"en": "Start again", "zh": "重新开始"},
    "contracts.progress": {"en": "Step {done} of {total}", "zh": "第 {done} 步，共 {total} 步"},
    "contracts.start_hint": {"en": "Press Next ▶ to deploy the registry.",
                             "zh": "按“下一步 ▶”部署发票登记合约。"},
    "contracts.story.1": {"en": "The tax bureau deploys the e-invoice registry",
                          "zh": "税务局部署电子发票登记合约"},
    "contracts.story.2": {"en": "The tax bureau admits the supplier as an issuer",
                          "zh": "税务局批准供应商为开票方"},
    "contracts.story.3": {"en": "The supplier issues invoice INV-2026-0001 (12,800.00 yuan) to the buyer",
                          "zh": "供应商给采购方开具发票 INV-2026-0001（12,800.00 元）"},
    "contracts.story.4": {"en": "The buyer redeems the invoice", "zh": "采购方报销这张发票"},
    "contracts.story.5": {"en": "The buyer tries to redeem it a second time",
                          "zh": "采购方试图第二次报销同一张发票"},
    "contracts.story_end": {
        "en": "The second redemption was refused by the contract on all four nodes: no node can be "
              "talked into paying twice. What the contract cannot know is whether the goods were "
              "real: that is for the tax bureau's audit (the oracle problem).",
        "zh": "第二次报销在四个节点上都被合约拒绝：没有哪个节点能被说服付两次钱。"
              "合约无法知道的是货物是否真实存在：这要靠税务局的稽查（预言机问题）。",
    },
    # accounts
    "contracts.who.tax": {"en": "Tax bureau", "zh": "税务局"},
    "contracts.who.supplier": {"en": "Supplier", "zh": "供应商"},
    "contracts.who.buyer": {"en": "Buyer", "zh": "采购方"},
    "contracts.who.bank": {"en": "Bank", "zh": "银行"},
    # one outcome
    "contracts.deploys": {"en": "**{who}** deploys {contract} · block {height}",
                          "zh": "**{who}** 部署 {contract} · 第 {height} 号区块"},
    "contracts.calls": {"en": "**{who}** calls {call} · block {height}",
                        "zh": "**{who}** 调用 {call} · 第 {height} 号区块"},
    "contracts.reads": {"en": "**{who}** reads {call} (a view: no transaction, no block)",
                        "zh": "**{who}** 读取 {call}（只读调用：不是交易，不产生区块）"},
    "contracts.ok": {
        "en": "All {nodes} nodes ran it and agree: state root `{root}`. Gas used {gas}, fee {fee}.",
        "zh": "{nodes} 个节点都执行成功，结果一致：状态根 `{root}`。消耗燃料 {gas}，手续费 {fee}。",
    },
    "contracts.deployed_at": {"en": "The contract's address: `{address}`", "zh": "合约地址：`{address}`"},
    "contracts.reverted": {
        "en": "All {nodes} nodes refused it: the contract says “{reason}”. Nothing in its storage "
              "changed (state root still `{root}`), but the gas is paid: {gas}.",
        "zh": "{nodes} 个节点都拒绝执行：合约说“{reason}”。存储没有任何改变（状态根仍是 `{root}`），"
              "但燃料照付：{gas}。",
    },
    "contracts.failed": {
        "en": "All {nodes} nodes stopped it (rule {rule}: {detail}). Nothing changed; "
              "the gas is paid: {gas}.",
        "zh": "{nodes} 个节点都中止了执行（规则 {rule}：{detail}）。状态没有改变，燃料照付：{gas}。",
    },
    "contracts.out_of_gas": {"en": "it ran out of gas", "zh": "燃料耗尽"},
    "contracts.view_ok": {"en": "All {nodes} nodes return the same: {result}",
                          "zh": "{nodes} 个节点返回相同的结果：{result}"},
    "contracts.disagree": {
        "en": "The nodes do NOT agree on this result: this would be a fork. Report it as a bug.",
        "zh": "各节点的结果不一致：这会造成分叉。请报告这个缺陷。",
    },
    "contracts.col_node": {"en": "Node", "zh": "节点"},
    "contracts.col_status": {"en": "Result", "zh": "结果"},
    "contracts.col_gas": {"en": "Gas", "zh": "燃料"},
    "contracts.col_root": {"en": "State root", "zh": "状态根"},
    "contracts.status_ok": {"en": "✓ done", "zh": "✓ 成功"},
    "contracts.status_refused": {"en": "✗ refused", "zh": "✗ 拒绝"},
    "contracts.events": {"en": "Events (logs) this transaction emitted", "zh": "这笔交易发出的事件（日志）"},
    "contracts.no_events": {"en": "No events: a refused transaction leaves none.",
                            "zh": "没有事件：被拒绝的交易不会留下事件。"},
    "contracts.col_event": {"en": "Event", "zh": "事件"},
    "contracts.col_args": {"en": "Arguments", "zh": "参数"},
    "contracts.storage": {"en": "The contract's storage (every node holds the same)",
                          "zh": "合约的存储（每个节点都一样）"},
    "contracts.col_slot": {"en": "Slot", "zh": "槽位"},
    "contracts.col_variable": {"en": "Variable", "zh": "变量"},
    "contracts.col_value": {"en": "Value", "zh": "值"},
    "contracts.mapping_entry": {"en": "(an entry of a mapping)", "zh": "（映射中的一项）"},
    # try it yourself
    "contracts.pick": {"en": "Contract", "zh": "合约"},
    "contracts.sample.InvoiceRegistry": {"en": "InvoiceRegistry: e-invoices",
                                         "zh": "InvoiceRegistry：电子发票登记"},
    "contracts.sample.Token": {"en": "Token: a token like ERC-20", "zh": "Token：类似 ERC-20 的代币"},
    "contracts.sample.Voting": {"en": "Voting: one vote per voter", "zh": "Voting：每人一票的投票"},
    "contracts.sender": {"en": "Sent by", "zh": "发送方"},
    "contracts.function": {"en": "Function", "zh": "函数"},
    "contracts.view_mark": {"en": "{signature} · read only", "zh": "{signature} · 只读"},
    "contracts.deploy": {"en": "Deploy {contract}", "zh": "部署 {contract}"},
    "contracts.send": {"en": "Send to all 4 nodes", "zh": "发送到 4 个节点"},
    "contracts.read": {"en": "Read from all 4 nodes", "zh": "从 4 个节点读取"},
    "contracts.reset": {"en": "New network (forget everything)", "zh": "新的网络（清空一切）"},
    "contracts.not_deployed": {"en": "{contract} is not deployed on this network yet.",
                               "zh": "{contract} 还没有部署到这个网络上。"},
    "contracts.arg_text": {"en": "{name} (text)", "zh": "{name}（文本）"},
    "contracts.arg_number": {"en": "{name} (whole number)", "zh": "{name}（整数）"},
    "contracts.arg_account": {"en": "{name} (an account)", "zh": "{name}（账户）"},
    "contracts.arg_document": {"en": "{name} (a document: its SHA-256 is sent)",
                               "zh": "{name}（一份文件：发送的是它的 SHA-256 哈希）"},
    "contracts.arg_flag": {"en": "{name} (yes or no)", "zh": "{name}（是或否）"},
    "contracts.arg_list": {"en": "{name} (texts, one per line)", "zh": "{name}（多个文本，每行一个）"},
    "contracts.arg_json": {"en": "{name} ({type}, as JSON)", "zh": "{name}（{type}，JSON 格式）"},
    "contracts.bad_json": {"en": "{name} is not valid JSON: {detail}",
                           "zh": "{name} 不是有效的 JSON：{detail}"},
    "contracts.history": {"en": "Everything this network did ({count} actions)",
                          "zh": "这个网络做过的一切（{count} 个操作）"},
    "contracts.default_number": {"en": "INV-2026-0002", "zh": "INV-2026-0002"},
    "contracts.default_document": {"en": "invoice INV-2026-0002, 500.00 yuan",
                                   "zh": "发票 INV-2026-0002，500.00 元"},
    "contracts.default_name": {"en": "Digital yuan coupon", "zh": "数字人民币券"},
    "contracts.default_symbol": {"en": "DCY", "zh": "DCY"},
    "contracts.default_proposals": {"en": "Build a bridge\nBuild a school", "zh": "修一座桥\n建一所学校"},
    # the stage
    "stage.name.contract": {"en": "A contract refuses to pay twice", "zh": "合约拒绝重复报销"},
    "stage.contract.1": {
        "en": "The tax bureau deploys the invoice registry on 4 nodes; a supplier issues an invoice",
        "zh": "税务局在 4 个节点上部署发票登记合约；供应商开具一张发票",
    },
    "stage.contract.2": {"en": "The buyer redeems the invoice: every node agrees",
                         "zh": "采购方报销这张发票：每个节点结果一致"},
    "stage.contract.3": {"en": "Redeemed again? The contract refuses, on every node",
                         "zh": "再报销一次？合约拒绝，每个节点都拒绝"},
}

# The sample contracts' revert reasons (contracts/*.sol), said in Chinese.
REASONS_ZH: dict[str, str] = {
    "only the tax authority admits issuers": "只有税务局可以批准开票方",
    "not an admitted issuer": "不是经批准的开票方",
    "invoice number must be 1 to 64 bytes": "发票号码必须是 1 到 64 个字节",
    "amount must be positive": "金额必须大于零",
    "invoice already issued": "这张发票已经开具过了",
    "transfer to the zero address": "不能转给零地址",
    "no such invoice": "没有这张发票",
    "invoice already redeemed": "这张发票已经报销过了",
    "only the holder may do this": "只有发票持有人可以这样做",
    "allowance too small": "授权额度不足",
    "no proposals": "没有候选提案",
    "only the chairperson gives the right to vote": "只有主持人可以授予投票权",
    "already has the right to vote": "已经有投票权了",
    "no right to vote": "没有投票权",
    "already voted": "已经投过票了",
}
