"""The text of the stage show, the audience page and the pages of anders94/blockchain-demo's stage
(peers side by side, keys, coinbase and tokens), in English and Simplified Chinese; merged into
explorer.i18n.CATALOG (same rules: same {placeholders}, codes stay as they are)."""

from __future__ import annotations

STAGE_CATALOG: dict[str, dict[str, str]] = {
    # the show
    "stage.name.hash": {"en": "Hash as you type", "zh": "哈希：输入即算"},
    "stage.name.distributed": {"en": "Three peers, one forger", "zh": "三个节点，一个篡改者"},
    "stage.name.keys": {"en": "Keys and signatures", "zh": "密钥与签名"},
    "stage.name.coinbase": {"en": "Where coins come from", "zh": "钱从哪里来"},
    "stage.back": {"en": "◀ Back", "zh": "◀ 上一步"},
    "stage.keys_hint": {
        "en": "`→` or `PageDown` (a clicker): next step · `←` or `PageUp`: back",
        "zh": "`→` 或 `PageDown`（翻页笔）：下一步 · `←` 或 `PageUp`：上一步",
    },
    "stage.working": {"en": "Step {step} is running…", "zh": "第 {step} 步正在运行……"},
    "stage.start": {"en": "Press → to start: {title}", "zh": "按 → 开始：{title}"},
    "stage.the_end": {"en": "End of the show. Thank you!", "zh": "演示结束，谢谢！"},
    "stage.hash.1": {
        "en": "A text and its two fingerprints: SHA-256 and China's SM3, 256 bits each.",
        "zh": "一段文字和它的两个指纹：SHA-256 和国密 SM3，各 256 位。",
    },
    "stage.hash.2": {
        "en": "One character changed: about half of the 256 bits flip (red), in both.",
        "zh": "只改一个字符：两个摘要的 256 位中都有大约一半翻转（红色）。",
    },
    "stage.hash_text": {"en": "minichain conference 2026", "zh": "区块链大会 2026"},
    "stage.hash_changed": {"en": "minichain conference 2027", "zh": "区块链大会 2027"},
    "stage.distributed.1": {
        "en": "Three peers, A, B and C, each keep their own copy of the same chain.",
        "zh": "三个节点甲、乙、丙，各自保存同一条链的副本。",
    },
    "stage.distributed.2": {
        "en": "A forger rewrites block 2 on peer B: B's own copy breaks from block 2.",
        "zh": "篡改者改写了节点乙上的第 2 号区块：乙的副本从第 2 号区块起断裂。",
    },
    "stage.distributed.3": {
        "en": "The forger re-mines B's copy: valid on its own, but its hashes match nobody else's. "
        "The majority stands out.",
        "zh": "篡改者重新挖出乙的副本：单看有效，但它的哈希和其他节点都对不上。多数一目了然。",
    },
    "stage.keys.1": {
        "en": "Alice signs a message with her private key; anyone checks it with her public key.",
        "zh": "爱丽丝用私钥签署一条消息；任何人都能用她的公钥验证。",
    },
    "stage.keys.2": {
        "en": "One character of the message is changed on the way: the signature no longer verifies.",
        "zh": "消息在途中被改了一个字：签名验证不再通过。",
    },
    "stage.keys.3": {
        "en": "The same with China's national suite: SM2 signatures over SM3.",
        "zh": "换成国密套件也一样：基于 SM3 的 SM2 签名。",
    },
    "stage.keys_message": {"en": "Alice pays Bob 10", "zh": "爱丽丝付给鲍勃 10 元"},
    "stage.keys_altered": {"en": "Alice pays Bob 90", "zh": "爱丽丝付给鲍勃 90 元"},
    "stage.coinbase.1": {
        "en": "No coin exists at genesis. Bob mines block 1: its reward creates 50 new coins for him.",
        "zh": "创世时一枚币都没有。鲍勃挖出第 1 号区块：出块奖励为他新造了 50 枚币。",
    },
    "stage.coinbase.2": {
        "en": "Bob pays Carol 20 (fee 1). Alice mines block 2 and earns the reward plus the fee.",
        "zh": "鲍勃付给卡罗尔 20（手续费 1）。爱丽丝挖出第 2 号区块，得到出块奖励和手续费。",
    },
    "stage.coinbase.3": {
        "en": "Carol tries to spend 100 but holds 20: refused. Only mining makes new coins.",
        "zh": "卡罗尔想花 100，但只有 20：被拒绝。只有挖矿能造出新币。",
    },
    # the audience
    "stage.audience_title": {"en": "Follow on your phone", "zh": "用手机跟随演示"},
    "stage.audience_scan": {
        "en": "Scan the code, or type the address above in a phone's browser (same Wi-Fi as the stage).",
        "zh": "扫码，或在手机浏览器中输入上面的地址（与讲台连接同一个无线网络）。",
    },
    "stage.audience_local_only": {
        "en": "Phones cannot reach this explorer: it listens on 127.0.0.1 only. Start it with "
        "`--server.address 0.0.0.0` (the conference runbook says how).",
        "zh": "手机无法访问本演示浏览器：它只监听 127.0.0.1。请用 `--server.address 0.0.0.0` 启动"
        "（见会议演示操作手册）。",
    },
    "stage.audience_no_network": {
        "en": "This computer has no network address phones could use: connect it to the hall's Wi-Fi.",
        "zh": "这台电脑没有手机可以访问的网络地址：请连接会场的无线网络。",
    },
    "stage.audience_url": {"en": "Address for phones", "zh": "手机访问地址"},
    "stage.qr": {"en": "QR code", "zh": "二维码"},
    "stage.on_air": {"en": "Phones follow", "zh": "手机跟随"},
    "stage.on_air_help": {
        "en": "Phones on the audience page follow this page's scenario and step.",
        "zh": "观众页面上的手机会跟随本页面的场景和步骤。",
    },
    "stage.follower": {
        "en": "This browser is not on the presenter's computer: it can play the scenarios for itself, "
        "but the audience follows the presenter only.",
        "zh": "这个浏览器不在演讲者的电脑上：可以自己播放场景，但观众只跟随演讲者。",
    },
    "audience.waiting": {
        "en": "Waiting for the presenter… · 等待演讲者……",
        "zh": "等待演讲者…… · Waiting for the presenter…",
    },
    "audience.page_title": {"en": "Audience", "zh": "观众"},  # not a page of the menu: phones open it
    "audience.follows": {"en": "Following the stage live", "zh": "正在实时跟随讲台"},
    # 2.1 peers side by side
    "peers.page_title": {"en": "One chain, three copies", "zh": "一条链，三个副本"},
    "peers.intro": {
        "en": "Every peer keeps its own copy. Rewrite a block on one peer, even re-mine it: its "
        "hashes no longer match the others', and the majority stands out.",
        "zh": "每个节点都保存自己的副本。在一个节点上改写区块，哪怕重新挖矿："
        "它的哈希也和其他节点对不上，多数一目了然。",
    },
    "peers.title": {"en": "peers side by side", "zh": "并排的节点"},
    "peers.peer": {"en": "peer {name}", "zh": "节点{name}"},
    "peers.name.A": {"en": "A", "zh": "甲"},
    "peers.name.B": {"en": "B", "zh": "乙"},
    "peers.name.C": {"en": "C", "zh": "丙"},
    "peers.majority": {"en": "✔ majority", "zh": "✔ 多数一致"},
    "peers.minority": {"en": "✘ out-voted", "zh": "✘ 少数派"},
    "peers.broken": {"en": "✘ broken", "zh": "✘ 已断裂"},
    "peers.verdict_agree": {
        "en": "All {total} peers hold the same chain, block for block.",
        "zh": "全部 {total} 个节点保存着同一条链，每个区块都一致。",
    },
    "peers.verdict_broken": {
        "en": "Peer {peer}'s own copy is broken from block #{height}: its hash or link no longer holds.",
        "zh": "节点{peer}自己的副本从第 {height} 号区块起断裂：哈希或链接不再成立。",
    },
    "peers.verdict_minority": {
        "en": "Peers {majority} agree ({count} of {total}); peer {peer} differs from block #{height} on. "
        "The network follows the majority: peer {peer}'s history is out-voted.",
        "zh": "节点{majority}一致（{total} 个中的 {count} 个）；节点{peer}从第 {height} 号区块起与众不同。"
        "网络跟随多数：节点{peer}的历史被否决。",
    },
    "peers.pick_peer": {"en": "Peer", "zh": "节点"},
    "peers.pick_block": {"en": "Block", "zh": "区块"},
    "peers.memo": {"en": "New memo", "zh": "新备注"},
    "peers.tamper": {"en": "Rewrite", "zh": "改写"},
    "peers.remine": {"en": "Re-mine from here", "zh": "从这里重新挖矿"},
    "peers.reset": {"en": "Start again", "zh": "重新开始"},
    # 3.1 keys and signatures
    "keys.page_title": {"en": "Keys, addresses and signatures", "zh": "密钥、地址与签名"},
    "keys.intro": {
        "en": "A private key makes a public key, the public key makes an address. Sign a message with "
        "the private key; anyone verifies it with the public key. Change one character and it fails.",
        "zh": "私钥生成公钥，公钥生成地址。用私钥签署消息；任何人都能用公钥验证。改动一个字，验证就失败。",
    },
    "keys.new": {"en": "New random key", "zh": "生成新的随机私钥"},
    "keys.message": {"en": "Message Alice signs", "zh": "爱丽丝签署的消息"},
    "keys.sign": {"en": "Sign", "zh": "签名"},
    "keys.received_label": {"en": "Message that arrives", "zh": "收到的消息"},
    "keys.address_note": {
        "en": "Address = Base58Check of the last 20 bytes of {hash}(public key): a typo is caught by its "
        "checksum.",
        "zh": "地址 = 公钥的 {hash} 哈希的最后 20 字节，再做 Base58Check 编码：输错一个字符会被校验和发现。",
    },
    "keys.sign_first": {"en": "Press Sign to sign the message.", "zh": "请点击“签名”来签署这条消息。"},
    "keys.col_what": {"en": "item", "zh": "项目"},
    "keys.col_value": {"en": "value", "zh": "值"},
    "keys.suite": {"en": "suite", "zh": "密码套件"},
    "keys.private": {"en": "private key (secret, cut)", "zh": "私钥（保密，只显示开头）"},
    "keys.public": {"en": "public key", "zh": "公钥"},
    "keys.address": {"en": "address", "zh": "地址"},
    "keys.signature": {"en": "signature", "zh": "签名"},
    "keys.received": {"en": "message received", "zh": "收到的消息"},
    "keys.verified": {
        "en": "The signature verifies ({suite}): only the holder of the private key could have signed "
        "this message.",
        "zh": "签名验证通过（{suite}）：只有私钥持有者才能签出这条消息。",
    },
    "keys.not_verified": {
        "en": "The signature does not verify: the message is not the one that was signed.",
        "zh": "签名验证失败：这不是被签署的那条消息。",
    },
    # 3.2 coinbase and tokens
    "coin.page_title": {"en": "Coinbase and tokens", "zh": "出块奖励与代币"},
    "coin.intro": {
        "en": "No coin exists at genesis. Each mined block pays its miner the reward (new coins) plus "
        "the fees of its transfers; a transfer only moves coins someone holds.",
        "zh": "创世时一枚币都没有。每个挖出的区块向矿工支付出块奖励（新造的币）和其中转账的手续费；"
        "转账只能转移已有的币。",
    },
    "coin.title": {"en": "coinbase and transfers", "zh": "出块奖励与转账"},
    "coin.coinbase_line": {"en": "reward: {miner} +{amount}", "zh": "奖励：{miner} +{amount}"},
    "coin.transfer_line": {"en": "{sender}→{recipient} {amount}", "zh": "{sender}→{recipient} {amount}"},
    "coin.supply": {
        "en": "Coins in existence: {supply} = {blocks} blocks × reward {reward}. Fees move coins, they "
        "create none.",
        "zh": "现有的币：{supply} = {blocks} 个区块 × 奖励 {reward}。手续费只转移币，不创造币。",
    },
    "coin.miner": {"en": "Miner", "zh": "矿工"},
    "coin.mine": {"en": "Mine a block", "zh": "挖一个区块"},
    "coin.from": {"en": "From", "zh": "付款人"},
    "coin.to": {"en": "To", "zh": "收款人"},
    "coin.send": {"en": "Send", "zh": "转账"},
    "coin.sent": {
        "en": "{sender} → {recipient}: {amount} (fee 1) waits for the next block.",
        "zh": "{sender} → {recipient}：{amount}（手续费 1），等待下一个区块。",
    },
    "coin.mined": {
        "en": "{miner} mined block #{height}: +{reward} new coins, +{fees} in fees.",
        "zh": "{miner}挖出第 {height} 号区块：新造 {reward} 枚币，另得手续费 {fees}。",
    },
    "coin.empty": {"en": "Mine the first block.", "zh": "请挖出第一个区块。"},
    "coin.reset": {"en": "Start again", "zh": "重新开始"},
    # 1 hash, typed live
    "hash.typing": {
        "en": "Digests are computed in this browser as you type (SHA-256 and SM3), nothing sent anywhere.",
        "zh": "摘要在本浏览器中随输入即时计算（SHA-256 和 SM3），不向任何地方发送。",
    },
}
