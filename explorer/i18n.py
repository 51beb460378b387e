"""Every piece of UI text, in English and Simplified Chinese, in one catalog.

`t(key, **values)` picks the language chosen in the sidebar. A test checks that every key used
by a page exists here in both languages with the same {placeholders}. Chinese pages are Chinese
throughout, sample data and people included; only codes (rule ids, hashes, addresses, SHA-256,
SM3) stay as they are. Terms follow course/glossary.zh-CN.md (a transaction's nonce is 交易序号,
a block's 随机数). Refusals are said by minichain.explain, pictures' words come from PICTURE_WORDS."""

from __future__ import annotations

from typing import Any

import streamlit as st

from explorer.i18n_bft import BFT_CATALOG, BFT_PICTURE_WORDS_ZH
from explorer.i18n_contracts import CONTRACTS_CATALOG
from explorer.i18n_stage import STAGE_CATALOG

LANGUAGES = {"en": "English", "zh": "简体中文"}

CATALOG: dict[str, dict[str, str]] = {
    # navigation and sidebar
    "page.hash": {"en": "1 · Hash", "zh": "1 · 哈希"},
    "page.blocks": {"en": "2 · Blocks", "zh": "2 · 区块"},
    "page.transactions": {"en": "3 · Transactions & keys", "zh": "3 · 交易与密钥"},
    "page.merkle": {"en": "4 · Merkle tree", "zh": "4 · 默克尔树"},
    "page.network": {"en": "5 · Network", "zh": "5 · 网络"},
    "page.consensus": {"en": "6 · Consensus", "zh": "6 · 共识"},
    "page.live": {"en": "7 · Live nodes", "zh": "7 · 实时节点"},
    "page.stage": {"en": "Stage scenarios", "zh": "舞台演示"},
    "page.distributed": {"en": "2.1 · Distributed", "zh": "2.1 · 分布式账本"},
    "page.keys": {"en": "3.1 · Keys & signatures", "zh": "3.1 · 密钥与签名"},
    "page.coinbase": {"en": "3.2 · Coinbase & tokens", "zh": "3.2 · 出块奖励与代币"},
    "sidebar.language": {"en": "Language", "zh": "语言"},
    "html.lang": {"en": "en", "zh": "zh-CN"},
    "html.skip": {"en": "Skip to main content", "zh": "跳到主要内容"},
    "sidebar.presenter": {"en": "Presenter mode", "zh": "演讲者模式"},
    "sidebar.presenter_help": {
        "en": "Everything scaled to the projector, readable from the back row.",
        "zh": "所有内容按投影屏幕放大，后排也能看清。",
    },
    "consensus.pow": {"en": "Proof of work", "zh": "工作量证明"},
    "consensus.poa": {"en": "Proof of authority", "zh": "权威证明"},
    # shared: people, nodes, units, refusals
    "name.alice": {"en": "Alice", "zh": "爱丽丝"},
    "name.bob": {"en": "Bob", "zh": "鲍勃"},
    "name.carol": {"en": "Carol", "zh": "卡罗尔"},
    "node.name": {"en": "node{index}", "zh": "节点{index}"},
    "unit.seconds": {"en": "{value:.2f} s", "zh": "{value:.2f} 秒"},
    "unit.tps": {"en": "{value:.2f} tx/s", "zh": "每秒 {value:.2f} 笔"},
    "error.refused": {"en": "Rejected — rule {rule}: {detail}", "zh": "被拒绝——违反规则 {rule}：{detail}"},
    # 1 hash
    "hash.title": {"en": "Hash functions: a fingerprint for any data", "zh": "哈希函数：任何数据的指纹"},
    "hash.intro": {
        "en": "Type anything. Its SHA-256 and SM3 digests change completely when you change a single "
        "character: about half of the 256 bits flip (the avalanche effect).",
        "zh": "输入任意文字。只要改动一个字符，SHA-256 和 SM3 摘要就会完全改变：256 位中大约一半会翻转（雪崩效应）。",
    },
    "hash.input": {"en": "Text to hash", "zh": "要计算哈希的文字"},
    "hash.changed": {
        "en": "{changed} of {total} bits changed since “{previous}”.",
        "zh": "与“{previous}”相比，{total} 位中有 {changed} 位发生了变化。",
    },
    "hash.lesson": {
        "en": "Nobody can work backwards from a digest to the text, or find two texts with the same "
        "digest. That is why a block can be identified by its hash.",
        "zh": "无法从摘要反推出原文，也找不到两段摘要相同的文字。这就是区块可以用哈希来标识的原因。",
    },
    # 2 blocks
    "blocks.title": {"en": "Blocks: a chain of hashes", "zh": "区块：由哈希串起的链"},
    "blocks.intro": {
        "en": "Each block stores the hash of the block before it. Edit a memo: that block, and every "
        "block after it, turns red. Re-mine to repair the links, and see what still gives the "
        "forger away.",
        "zh": "每个区块都保存着前一个区块的哈希。修改一条备注：该区块及其后的所有区块都会变红。"
        "重新挖矿可以修复链接，但看看还有什么会暴露篡改者。",
    },
    "blocks.difficulty": {"en": "Difficulty (leading zero bits)", "zh": "难度（前导零位数）"},
    "blocks.difficulty_help": {
        "en": "Each extra bit doubles the expected work of mining a block.",
        "zh": "每增加一位，挖出一个区块的期望工作量就翻一倍。",
    },
    "blocks.all_valid": {"en": "Every block and every link is valid.", "zh": "所有区块和链接都有效。"},
    "blocks.red_from": {
        "en": "Broken from block #{height} on: its hash or link no longer holds.",
        "zh": "从第 {height} 号区块起链条断裂：其哈希或链接不再成立。",
    },
    "blocks.memo": {"en": "Memo", "zh": "备注"},
    "blocks.memos": {"en": "rent|salary|invoice 42|coffee|gift", "zh": "房租|工资|发票 42|咖啡|礼物"},
    "blocks.forged_memo": {"en": "pay the forger", "zh": "转给篡改者"},
    "blocks.nonce": {"en": "nonce {nonce}", "zh": "随机数 {nonce}"},
    "blocks.remine": {"en": "Re-mine", "zh": "重新挖矿"},
    "blocks.no_transactions": {"en": "no transactions", "zh": "没有交易"},
    "blocks.mined": {
        "en": "Block #{height}: {attempts:,} attempts in {seconds:.3f} s ({rate:,.0f} hashes/s).",
        "zh": "第 {height} 号区块：{seconds:.3f} 秒内尝试 {attempts:,} 次（每秒 {rate:,.0f} 次哈希）。",
    },
    "blocks.full_ok": {
        "en": "A node accepts this chain: every rule holds, signatures included.",
        "zh": "节点接受这条链：所有规则（包括签名）都成立。",
    },
    "blocks.full_bad": {
        "en": "A node rejects this chain — rule {rule}: {detail}",
        "zh": "节点拒绝这条链——违反规则 {rule}：{detail}",
    },
    "blocks.check_all": {"en": "Check every rule from genesis", "zh": "从创世区块起检查所有规则"},
    "blocks.reset": {"en": "Start again", "zh": "重新开始"},
    # 3 transactions
    "tx.title": {"en": "Keys, signatures and transactions", "zh": "密钥、签名与交易"},
    "tx.intro": {
        "en": "Alice signs a transfer with her private key; anyone can check it with her public key. "
        "Change one field after signing and the check fails, naming the rule.",
        "zh": "爱丽丝用私钥签署一笔转账；任何人都可以用她的公钥验证。签名后改动任何字段，验证都会失败，并指出违反的规则。",
    },
    "tx.suite": {"en": "Cryptographic suite", "zh": "密码套件"},
    "tx.new_keys": {"en": "New random keys", "zh": "生成新的随机密钥"},
    "tx.public_key": {"en": "public key {key}", "zh": "公钥 {key}"},
    "tx.amount": {"en": "Amount", "zh": "金额"},
    "tx.sign": {"en": "Alice signs", "zh": "爱丽丝签名"},
    "tx.sign_first": {"en": "Sign a transfer first.", "zh": "请先签署一笔转账。"},
    "tx.tamper_title": {"en": "Tamper with it", "zh": "篡改它"},
    "tx.tamper_amount": {"en": "Amount a forger writes in", "zh": "篡改者写入的金额"},
    "tx.valid": {
        "en": "Signature valid: Alice really authorised {amount}.",
        "zh": "签名有效：爱丽丝确实授权了 {amount}。",
    },
    "tx.replay_title": {"en": "Send it again (a replay)", "zh": "再发送一次（重放）"},
    "tx.replay_intro": {
        "en": "A replay is someone sending Alice's signed transfer again, hoping Bob is paid twice. "
        "Two rules stand in the way.",
        "zh": "重放，就是有人把爱丽丝已签名的转账再发送一次，想让鲍勃收到两次钱。有两条规则挡在前面。",
    },
    "tx.replay": {"en": "Submit it, seal a block, submit it again", "zh": "提交、出块、再提交"},
    "tx.replay_accepted": {
        "en": "1 · The signed transfer is accepted into the mempool.",
        "zh": "1 · 已签名的转账被交易池接受。",
    },
    "tx.replay_known": {
        "en": "2 · The same copy while the first one still waits: the mempool refuses it as already "
        "known — rule {rule}: {detail}. Only a first line of defence: once the transfer is in a "
        "block, the mempool forgets it.",
        "zh": "2 · 第一份还在等待时再提交同一份副本：交易池因为已经有这笔交易而拒绝——规则 {rule}：{detail}。"
        "这只是第一道防线：转账一旦进入区块，交易池就不再保存它。",
    },
    "tx.replay_committed": {
        "en": "3 · Block #{height} is mined with the transfer: Alice's nonce goes from 0 to 1.",
        "zh": "3 · 挖出包含这笔转账的第 {height} 号区块：爱丽丝的交易序号从 0 变为 1。",
    },
    "tx.replay_nonce": {
        "en": "4 · The copy, sent again now: refused by the nonce rule — rule {rule}: {detail}. Every "
        "node applies it to every block, forever: the nonce stops the replay.",
        "zh": "4 · 现在再发送这份副本：被交易序号规则拒绝——规则 {rule}：{detail}。"
        "每个节点对每个区块都永远执行这条规则：是交易序号阻止了重放。",
    },
    "tx.replay_unexpected": {
        "en": "Unexpected: the copy was accepted a second time.",
        "zh": "意外：副本第二次也被接受了。",
    },
    # 4 merkle
    "merkle.title": {"en": "Merkle trees and inclusion proofs", "zh": "默克尔树与包含证明"},
    "merkle.intro": {
        "en": "One root hash commits to every transaction in a block. To prove one transaction is "
        "included, a few sibling hashes are enough: a light client checks them against the root.",
        "zh": "一个根哈希承诺了区块中的每一笔交易。要证明某笔交易被包含，只需要少量兄弟节点哈希：轻客户端据此与根哈希核对即可。",
    },
    "merkle.count": {"en": "Transactions", "zh": "交易数量"},
    "merkle.pick": {"en": "Prove transaction number", "zh": "证明第几笔交易"},
    "merkle.leaf": {"en": "tx{index}", "zh": "交易{index}"},
    "merkle.legend": {
        "en": "Blue: the path to the root. Orange: the proof (sibling hashes).",
        "zh": "蓝色：到根的路径。橙色：证明（兄弟节点哈希）。",
    },
    "merkle.proof": {
        "en": "The proof is {count} hashes for {leaves} transactions:",
        "zh": "对 {leaves} 笔交易，证明只需 {count} 个哈希：",
    },
    "merkle.side_left": {"en": "sibling on the left ", "zh": "左侧兄弟"},
    "merkle.side_right": {"en": "sibling on the right", "zh": "右侧兄弟"},
    "merkle.verified": {"en": "Proof verified against root {root}…", "zh": "证明已通过根 {root}… 的验证"},
    "merkle.wrong_rejected": {
        "en": "The same proof fails for any other transaction.",
        "zh": "同一个证明对任何其他交易都无法通过。",
    },
    "merkle.trap_title": {
        "en": "The duplicate-leaf trap (CVE-2012-2459)",
        "zh": "重复叶子陷阱（CVE-2012-2459）",
    },
    "merkle.trap": {
        "en": "Root of [tx0, tx1, tx2]: {a}…  Root of [tx0, tx1, tx2, tx2]: {b}…",
        "zh": "[交易0, 交易1, 交易2] 的根：{a}…  [交易0, 交易1, 交易2, 交易2] 的根：{b}…",
    },
    "merkle.trap_safe": {
        "en": "Different roots: minichain promotes an odd node instead of duplicating it, so nobody "
        "can pad a block and keep its root.",
        "zh": "根不同：minichain 对奇数节点直接上提而不是复制，因此无人能在保持根不变的情况下填充区块。",
    },
    "merkle.trap_unsafe": {"en": "Same root: this tree is vulnerable.", "zh": "根相同：这棵树存在漏洞。"},
    # 5 network
    "net.title": {"en": "A network of nodes", "zh": "节点网络"},
    "net.intro": {
        "en": "Real minichain nodes exchange real messages in simulated time. Run it, cut it in two, "
        "and heal it: both halves keep producing, then agree on one chain.",
        "zh": "真实的 minichain 节点在模拟时间中交换真实消息。运行网络、把它一分为二再恢复：两半都会继续出块，随后达成一致。",
    },
    "net.nodes": {"en": "Nodes", "zh": "节点数"},
    "net.consensus": {"en": "Consensus", "zh": "共识机制"},
    "net.seed": {"en": "Seed", "zh": "随机种子"},
    "net.latency": {"en": "Message delay (seconds, min–max)", "zh": "消息延迟（秒，最小–最大）"},
    "net.run": {"en": "Run 2 s", "zh": "运行 2 秒"},
    "net.send": {"en": "Send a transfer", "zh": "发送一笔转账"},
    "net.partition": {"en": "Partition", "zh": "分区"},
    "net.heal": {"en": "Heal", "zh": "恢复"},
    "net.reset": {"en": "Reset", "zh": "重置"},
    "net.partitioned": {"en": "Partitioned: {a} | {b}", "zh": "已分区：{a} | {b}"},
    "net.healed": {
        "en": "Healed: the nodes reconnected and agree again after {seconds:.1f} s of network time.",
        "zh": "已恢复：节点重新连接，经过 {seconds:.1f} 秒网络时间后重新达成一致。",
    },
    "net.heal_pending": {
        "en": "Healed: the nodes reconnected; they still follow {count} tips (run the network a little longer).",
        "zh": "已恢复：节点已重新连接，但仍跟随着 {count} 个链头（再运行一会儿网络）。",
    },
    "net.clock": {"en": "Simulated time: {seconds:.1f} s", "zh": "模拟时间：{seconds:.1f} 秒"},
    "net.converged": {"en": "All nodes agree on one tip.", "zh": "所有节点对链头达成一致。"},
    "net.diverged": {
        "en": "The nodes follow {count} different tips.",
        "zh": "节点跟随着 {count} 个不同的链头。",
    },
    "net.tree_caption": {
        "en": "Green: the best chain. Orange: forks. ▲ marks each node's tip.",
        "zh": "绿色：最佳链。橙色：分叉。▲ 标出每个节点的链头。",
    },
    "net.events": {"en": "Latest events", "zh": "最近的事件"},
    "net.col_time": {"en": "time", "zh": "时间"},
    "net.col_event": {"en": "event", "zh": "事件"},
    "event.produced": {
        "en": "produced block {height} ({hash}) with {count} txs",
        "zh": "产出第 {height} 号区块（{hash}），含 {count} 笔交易",
    },
    "event.reorg": {
        "en": "reorg to height {height} ({hash}): {undone} blocks undone, {added} added",
        "zh": "链重组到高度 {height}（{hash}）：撤销 {undone} 个区块，接上 {added} 个",
    },
    "event.fork": {"en": "side block {hash}", "zh": "收到侧链区块 {hash}"},
    "event.sync_timeout": {
        "en": "{peer} did not answer a sync request in time, score {score}",
        "zh": "{peer} 没有及时回应同步请求，累计 {score} 分",
    },
    "event.misbehaved": {"en": "{peer} misbehaved, score {score}", "zh": "{peer} 行为不当，累计 {score} 分"},
    "event.unknown": {"en": "another event", "zh": "其他事件"},
    "event.misbehaviour": {
        "en": "{peer} misbehaved (rule {rule}), score {score}",
        "zh": "{peer} 行为不当（违反规则 {rule}），累计 {score} 分",
    },
    "net.col_node": {"en": "node", "zh": "节点"},
    "net.col_height": {"en": "height", "zh": "高度"},
    "net.col_tip": {"en": "tip", "zh": "链头"},
    "net.col_peers": {"en": "peers", "zh": "对等节点"},
    "net.col_mempool": {"en": "mempool", "zh": "交易池"},
    "net.timeline": {"en": "Messages in the last 3 seconds", "zh": "最近 3 秒的消息"},
    "net.settings": {"en": "Network settings", "zh": "网络设置"},
    # 6 consensus
    "consensus.title": {"en": "Proof of work vs proof of authority", "zh": "工作量证明与权威证明对比"},
    "consensus.intro": {
        "en": "Four nodes each, the same delays, the same stream of transfers. Work lets anyone "
        "produce blocks but races cause forks; authorities take turns and rarely fork.",
        "zh": "各四个节点、相同的延迟、相同的转账流。工作量证明允许任何人出块，但竞争会导致分叉；权威节点轮流出块，很少分叉。",
    },
    "consensus.seconds": {"en": "Simulated seconds", "zh": "模拟秒数"},
    "consensus.blocks": {"en": "Blocks on the best chain", "zh": "最佳链上的区块数"},
    "consensus.interval": {"en": "Mean time between blocks", "zh": "平均出块间隔"},
    "consensus.stdev": {"en": "standard deviation {stdev:.2f} s", "zh": "标准差 {stdev:.2f} 秒"},
    "consensus.forks": {"en": "Blocks lost to forks", "zh": "因分叉而丢弃的区块"},
    "consensus.reorgs": {"en": "Reorgs / deepest (blocks)", "zh": "重组次数 / 最深（区块）"},
    "consensus.throughput": {"en": "Committed transfers", "zh": "已确认的转账"},
    "consensus.lesson": {
        "en": "With PoW a block can still be undone by a heavier branch, so users wait for several "
        "confirmations. With PoA the authorities are known and accountable, which is why "
        "consortium chains (BSN, FISCO BCOS) use it.",
        "zh": "在工作量证明下，区块仍可能被更重的分支撤销，因此用户要等待多个确认。在权威证明下，权威节点是已知且可问责的，"
        "这正是联盟链（例如国家区块链服务网络上的链和 FISCO BCOS）采用它的原因。",
    },
    # 7 live
    "live.title": {"en": "Live nodes", "zh": "实时节点"},
    "live.intro": {
        "en": "The real node processes started by `make demo`, over HTTP. This page refreshes itself "
        "every 2 seconds.",
        "zh": "由 `make demo` 启动的真实节点进程，通过网络接口访问。本页每 2 秒自动刷新。",
    },
    "live.urls": {"en": "Node URLs, one per line", "zh": "节点地址，每行一个"},
    "live.refresh": {"en": "Refresh", "zh": "刷新"},
    "live.col_node": {"en": "node", "zh": "节点"},
    "live.col_state": {"en": "state", "zh": "状态"},
    "live.col_by": {"en": "sealed by", "zh": "出块者"},
    "live.col_hash": {"en": "hash", "zh": "哈希"},
    "live.col_txs": {"en": "txs", "zh": "交易数"},
    "live.invalid": {"en": "answers, but not like a minichain node", "zh": "有应答，但不像 minichain 节点"},
    "live.up": {"en": "up", "zh": "运行中"},
    "live.down": {"en": "not answering", "zh": "无响应"},
    "live.none_up": {
        "en": "No node answers. Start the network with `make demo` in a terminal.",
        "zh": "没有节点响应。请在终端中运行 `make demo` 启动网络。",
    },
    "live.node": {"en": "Look at node", "zh": "查看节点"},
    "live.agree": {
        "en": "Every answering node is on the same tip.",
        "zh": "所有响应的节点都在同一个链头上。",
    },
    "live.disagree": {
        "en": "The nodes are on different tips (catching up, or partitioned).",
        "zh": "节点处在不同的链头上（正在同步，或已分区）。",
    },
    "live.blocks": {"en": "Latest blocks", "zh": "最新区块"},
    "live.mempool": {
        "en": "{size} transfers wait in this node's mempool.",
        "zh": "该节点的交易池中有 {size} 笔转账在等待。",
    },
    "live.balance_of": {"en": "Balance of address", "zh": "查询地址余额"},
    "live.balance": {"en": "Balance {balance}, nonce {nonce}.", "zh": "余额 {balance}，交易序号 {nonce}。"},
    "live.bad_address": {"en": "Not a valid address.", "zh": "不是有效的地址。"},
    "live.send_title": {"en": "Send from the faucet", "zh": "从水龙头账户转账"},
    "live.faucet_key": {"en": "Faucet key file", "zh": "水龙头密钥文件"},
    "live.to": {"en": "To address", "zh": "收款地址"},
    "live.send": {"en": "Send", "zh": "发送"},
    "live.sent": {
        "en": "Submitted {txid}…; it is committed within a few seconds.",
        "zh": "已提交 {txid}…；几秒钟内即可确认。",
    },
    # stage
    "stage.title": {"en": "Stage scenarios", "zh": "舞台演示"},
    "stage.pick": {"en": "Scenario", "zh": "场景"},
    "stage.name.tamper": {"en": "Tamper with history", "zh": "篡改历史"},
    "stage.name.double_spend": {"en": "Double-spend attempt", "zh": "双花尝试"},
    "stage.name.partition": {"en": "Partition and heal", "zh": "分区与恢复"},
    "stage.next": {"en": "Next step ▶", "zh": "下一步 ▶"},
    "stage.restart": {"en": "Restart", "zh": "重新开始"},
    "stage.progress": {"en": "Step {done} of {total}", "zh": "第 {done} 步，共 {total} 步"},
    "stage.coming": {"en": "Next: {title}", "zh": "下一步：{title}"},
    "stage.tamper.1": {
        "en": "A valid chain of mined blocks, each holding a signed transfer.",
        "zh": "一条有效的链，每个已挖出的区块都包含一笔已签名的转账。",
    },
    "stage.tamper.2": {
        "en": "A forger rewrites the memo in block 2: block 2 and everything after turn red.",
        "zh": "篡改者改写了第 2 号区块的备注：第 2 号及其后的所有区块都变红了。",
    },
    "stage.tamper.3": {
        "en": "The forger re-mines block 2. Block 3 still points at the old hash: still red.",
        "zh": "篡改者重新挖出第 2 号区块。第 3 号区块仍指向旧哈希：依然是红色。",
    },
    "stage.tamper.4": {
        "en": "Re-mining every later block makes the chain look valid — but the signature check still "
        "catches the change, and honest nodes have moved on meanwhile.",
        "zh": "重新挖出之后的所有区块，链看起来有效了——但签名检查仍能发现改动，而且诚实节点早已继续前进。",
    },
    "stage.double.1": {
        "en": "Four authority nodes agree on one chain.",
        "zh": "四个权威节点对同一条链达成一致。",
    },
    "stage.double.2": {
        "en": "The same coins are sent to Bob via node 0 and to Carol via node 3.",
        "zh": "同一笔钱同时通过节点0发给鲍勃，又通过节点3发给卡罗尔。",
    },
    "stage.double.3": {
        "en": "Both use the same nonce: only one can ever be committed.",
        "zh": "两笔交易使用相同的交易序号：只有一笔能被确认。",
    },
    "stage.spend_sent": {
        "en": "Transfer to {who} submitted at {node}.",
        "zh": "给{who}的转账已提交到{node}。",
    },
    "stage.one_committed": {
        "en": "Only one payment is committed: Bob has {bob}, Carol has {carol}. The payment to {loser} can "
        "never be committed: it uses the same nonce as the one to {winner}.",
        "zh": "只有一笔被确认：鲍勃有 {bob}，卡罗尔有 {carol}。给{loser}的那笔永远不会被确认："
        "它和给{winner}的那笔用的是同一个交易序号。",
    },
    "stage.none_committed": {
        "en": "Neither payment is committed yet: Bob has {bob}, Carol has {carol}.",
        "zh": "两笔都还没有被确认：鲍勃有 {bob}，卡罗尔有 {carol}。",
    },
    "stage.partition.1": {"en": "Four nodes agree on one chain.", "zh": "四个节点对同一条链达成一致。"},
    "stage.partition.2": {
        "en": "The network splits 2 + 2; each half keeps producing its own branch.",
        "zh": "网络分裂为 2 + 2；每一半都继续生产自己的分支。",
    },
    "stage.partition.3": {
        "en": "The network heals: the nodes reconnect, the next block makes one branch longer, and "
        "everyone follows it.",
        "zh": "网络恢复：节点重新连接，下一个区块让其中一个分支变得更长，所有节点都跟随它。",
    },
}


CATALOG.update(STAGE_CATALOG)  # the stage, the audience, keys, peers, coinbase (explorer/i18n_stage.py)
CATALOG.update(BFT_CATALOG)  # the BFT page and its stage scenarios (explorer/i18n_bft.py)
CATALOG.update(CONTRACTS_CATALOG)  # the smart-contracts page and its stage scenario (explorer/i18n_contracts.py)

# The words of minichain.viz pictures, per language (None: viz's own English WORDS).
PICTURE_WORDS: dict[str, dict[str, str] | None] = {
    "en": None,
    "zh": {
        "avalanche.title": "雪崩效应", "avalanche.changed": "{total} 位中有 {changed} 位改变（{percent}%）",
        "avalanche.bit": "第 {index} 位：{bit}", "chain.title": "区块链", "chain.hash": "哈希 {hash}",
        "chain.prev": "前块 {hash}", "chain.txs": "{count} 笔交易", "chain.nonce": "随机数 {nonce}",
        "merkle.title": "默克尔树", "merkle.root": "根", "merkle.leaf": "交易{index}",
        "fork.title": "分叉树", "fork.empty": "没有区块", "fork.tip": "▲ {node}", "fork.all": "▲ 全部 {count} 个节点",
        "timeline.title": "消息时间线",
        "timeline.window": "时间 {start:.2f} 秒 … {end:.2f} 秒；红色虚线：丢失的消息",
        "message.inventory": "通告", "message.getdata": "索取", "message.transactions": "交易",
        "message.blocks": "区块", "message.getblocks": "同步", "message.hello": "握手",
        **BFT_PICTURE_WORDS_ZH,
    },
}


def language() -> str:
    """The session's language code: "en" or "zh"."""
    code = st.session_state.get("lang", "en")
    return code if code in LANGUAGES else "en"


def t(key: str, /, **values: Any) -> str:
    """The text for `key` in the session's language, with `values` filled in."""
    return say(language(), key, **values)


def say(lang: str, key: str, /, **values: Any) -> str:
    """The text for `key` in `lang` ("en" or "zh"): for what is drawn once for everyone (the
    audience follows the presenter's language, whatever its own session chose)."""
    entry = CATALOG.get(key)
    if entry is None:
        return key  # a missing key shows itself instead of crashing a live demo; a test forbids it
    return entry.get(lang, entry["en"]).format(**values)


def template(lang: str, key: str) -> str:
    """The unfilled text for `key` in `lang`, for a caller that fills it many times (a picture)."""
    entry = CATALOG.get(key)
    return key if entry is None else entry.get(lang, entry["en"])


def picture_words(lang: str | None = None) -> dict[str, str] | None:
    return PICTURE_WORDS[lang or language()]


def node_name(node_id: str, lang: str | None = None) -> str:
    """A simulated node's id ("node3") as the audience reads it ("节点3" on a Chinese page)."""
    number = node_id.removeprefix("node")
    return say(lang or language(), "node.name", index=number) if number.isdigit() else node_id


PEOPLE_KEYS = {"alice": "name.alice", "bob": "name.bob", "carol": "name.carol"}
