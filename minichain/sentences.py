"""The sentences `minichain.explain` says, one per rule (and per check of a rule), in English and
Simplified Chinese, with the one-line summary of every rule. Data only: explain.py fills them in.
A new rule needs its summary here (tests/minichain/test_explain.py checks every raise site).
"""

from __future__ import annotations

# The sentence for each rule ("rule/check" for a rule with several checks): (English, 简体中文).
# Hashes are given in full hex: {txid:.8} shows the first 8 digits. Derived values: {ordinal}
# (index + 1, for counting in words) and {target_hex} (a target as 64 hex digits).
TEMPLATES: dict[str, tuple[str, str]] = {
    "tx-chain-id": (
        "tx {txid:.8}: signed for chain {found}, this chain is {expected}",
        "交易 {txid:.8}：签名时指定的是链 {found}，而这条链是 {expected}"),
    "tx-suite": (
        "tx {txid:.8}: signed with suite {found}, this chain uses {expected}",
        "交易 {txid:.8}：用密码套件 {found} 签名，而这条链使用 {expected}"),
    "tx-signature": (
        "tx {txid:.8}: the signature does not verify for sender {sender} "
        "(was the transaction changed after signing, or signed with another key?)",
        "交易 {txid:.8}：签名无法用发送方 {sender} 的公钥验证（交易在签名后被改动过，还是用别的私钥签的？）"),
    "tx-amount/amount": (
        "tx {txid:.8}: amount must be at least 1, found {found}",
        "交易 {txid:.8}：金额至少为 1，这里是 {found}"),
    "tx-amount/fee": (
        "tx {txid:.8}: fee must not be negative, found {found}",
        "交易 {txid:.8}：手续费不能为负数，这里是 {found}"),
    "tx-memo": (
        "tx {txid:.8}: memo is {found} bytes, at most {limit}",
        "交易 {txid:.8}：备注长 {found} 字节，最多允许 {limit} 字节"),
    "tx-recipient/type": (
        "tx {txid:.8}: the recipient is not an address",
        "交易 {txid:.8}：收款方不是一个地址"),
    "tx-recipient/checksum": (
        "tx {txid:.8}: recipient {address}: bad checksum or character (a typing error?)",
        "交易 {txid:.8}：收款地址 {address} 的校验和不对或含有无效字符（输错了？）"),
    "tx-recipient/version": (
        "tx {txid:.8}: recipient {address} is not a minichain address (version or length)",
        "交易 {txid:.8}：收款地址 {address} 不是 minichain 地址（版本或长度不对）"),
    "tx-recipient/length": (
        "tx {txid:.8}: the recipient is not 20 bytes long",
        "交易 {txid:.8}：收款地址的长度不是 20 字节"),
    "tx-nonce/used": (
        "tx {txid:.8}: nonce {found} is already used; sender {sender} is at nonce {expected} (a replay?)",
        "交易 {txid:.8}：交易序号 {found} 已经用过了，"
        "发送方 {sender} 的下一个交易序号是 {expected}（这是重放吗？）"),
    "tx-nonce/gap": (
        "tx {txid:.8}: sender {sender} is at nonce {expected}, the transaction has nonce {found} (a gap)",
        "交易 {txid:.8}：发送方 {sender} 的下一个交易序号是 {expected}，"
        "这笔交易的序号却是 {found}（中间有空缺）"),
    "tx-balance/balance": (
        "tx {txid:.8}: sender {sender} has {balance}, the transaction needs amount {amount} + fee {fee} "
        "= {cost}",
        "交易 {txid:.8}：发送方 {sender} 的余额是 {balance}，"
        "这笔交易需要金额 {amount} + 手续费 {fee} = {cost}"),
    "tx-balance/pool": (
        "tx {txid:.8}: sender {sender} has {balance}; its pooled transactions need {pending} and this "
        "one {cost}",
        "交易 {txid:.8}：发送方 {sender} 的余额是 {balance}；"
        "它在交易池中等待的交易已需要 {pending}，这笔还需要 {cost}"),
    "tx-balance/overflow": (
        "tx {txid:.8}: the balance of recipient {address} would overflow",
        "交易 {txid:.8}：收款方 {address} 的余额将会溢出"),
    "address/type": (
        "expected an address",
        "这里应当是一个地址"),
    "address/checksum": (
        "address {address}: bad checksum or character (a typing error?)",
        "地址 {address} 的校验和不对或含有无效字符（输错了？）"),
    "address/version": (
        "address {address}: not a minichain address (version or length)",
        "地址 {address} 不是 minichain 地址（版本或长度不对）"),
    "address/length": (
        "an address is 20 bytes",
        "地址的长度应为 20 字节"),
    "block/order": (
        "block {height} does not extend the chain in order (it {status})",
        "区块 {height} 没有按顺序接在链上（它{status}）"),
    "block/replay": (
        "replaying the stored blocks does not give the stored tip and state",
        "从创世区块起重放存储的区块，得不到存储的链头和状态"),
    "block-version": (
        "block {height}: version {found}, expected {expected}",
        "区块 {height}：版本号是 {found}，应为 {expected}"),
    "block-height": (
        "block {block_hash:.8}: height {found}, expected {expected} (its parent's height + 1)",
        "区块 {block_hash:.8}：高度是 {found}，应为 {expected}（父区块的高度加 1）"),
    "block-timestamp": (
        "block {height}: timestamp {found} is before its parent's {parent_timestamp}",
        "区块 {height}：时间戳 {found} 早于父区块的时间戳 {parent_timestamp}"),
    "block-future": (
        "block {height}: timestamp {found} is {ahead} s ahead of this node's clock (at most {limit} s "
        "allowed)",
        "区块 {height}：时间戳 {found} 比本节点的时钟快 {ahead} 秒（最多允许 {limit} 秒；"
        "不是无效，只是来得太早）"),
    "block-merkle-root": (
        "block {height}: header says merkle root {claimed:.8}, its {count} transactions hash to "
        "{computed:.8}",
        "区块 {height}：区块头中的默克尔根是 {claimed:.8}，"
        "而它的 {count} 笔交易算出的默克尔根是 {computed:.8}"),
    "block-contract-root/state": (
        "block {height}: header says contract state root {claimed:.8}, running its contract "
        "transactions gives {computed:.8}",
        "区块 {height}：区块头中的合约状态根是 {claimed:.8}，重新执行它的合约交易后得到的却是 {computed:.8}"),
    "block-contract-root/receipts": (
        "block {height}: header says receipts root {claimed:.8}, running its contract "
        "transactions gives {computed:.8}",
        "区块 {height}：区块头中的回执根是 {claimed:.8}，重新执行它的合约交易后得到的却是 {computed:.8}"),
    "block-contract-root/missing": (
        "block {height}: the chain has contract state, but the header commits to none",
        "区块 {height}：链上已有合约状态，区块头却没有承诺合约状态根和回执根"),
    "block-contract-root/unexpected": (
        "block {height}: the header commits to contract state the chain does not have",
        "区块 {height}：区块头承诺了链上并不存在的合约状态"),
    "block-state-root": (
        "block {height}: header says state root {claimed:.8}, applying its transactions gives "
        "{computed:.8}",
        "区块 {height}：区块头中的状态根是 {claimed:.8}，执行它的交易后得到的却是 {computed:.8}"),
    "block-size": (
        "block {height}: {found} transactions, at most {limit} allowed",
        "区块 {height}：包含 {found} 笔交易，最多允许 {limit} 笔"),
    "block-duplicate-tx": (
        "block {height}: transaction #{index} {txid:.8} appears twice",
        "区块 {height}：第 {ordinal} 笔交易 {txid:.8} 出现了两次"),
    "block-tx": (  # the frame around the rule the transaction broke
        "block {height}, transaction #{index}: {cause}",
        "区块 {height} 的第 {ordinal} 笔交易：{cause}"),
    "block-invalid-ancestor/rejected": (
        "block {block_hash:.8} was already rejected ({earlier_rule})",
        "区块 {block_hash:.8} 之前已被拒绝（违反规则 {earlier_rule}）"),
    "block-invalid-ancestor/parent": (
        "block {block_hash:.8}: its parent {parent_hash:.8} is invalid ({earlier_rule})",
        "区块 {block_hash:.8}：它的父区块 {parent_hash:.8} 无效（违反规则 {earlier_rule}）"),
    "genesis-mismatch": (
        "block 0 is not the genesis block these genesis parameters produce",
        "第 0 号区块不是这些创世参数生成的创世区块"),
    "pow-target": (
        "block {height}: target should be {expected:#066x} (retarget rule), header says {found:#066x}",
        "区块 {height}：按难度调整规则，目标值应为 {expected:#066x}，区块头中写的却是 {found:#066x}"),
    "pow-insufficient": (
        "block {height}: hash {block_hash:.16} is above the target {target_hex:.16} (nonce {nonce})",
        "区块 {height}：哈希 {block_hash:.16} 高于目标值 {target_hex:.16}（随机数 {nonce}），工作量不够"),
    "block-seal-kind/authority": (
        "block {height}: a proof-of-authority chain needs an authority seal",
        "区块 {height}：权威证明链上的区块必须由权威节点签名封装"),
    "block-seal-kind/pow": (
        "block {height}: a proof-of-work chain needs a proof-of-work seal",
        "区块 {height}：工作量证明链上的区块必须带有工作量证明"),
    "block-seal-kind/mine": (
        "mining needs a header with a proof-of-work seal (target, nonce) to fill in",
        "挖矿需要一个带工作量证明封装（目标值和随机数）的区块头"),
    "poa-signer": (
        "block {height}: sealed by {signer}, which is not one of the {authorities} authorities in the "
        "genesis",
        "区块 {height}：由 {signer} 封装，但它不在创世文件规定的 {authorities} 个权威节点之中"),
    "poa-turn/slot-order": (
        "block {height}: slot {slot} is not after its parent's slot {parent_slot}",
        "区块 {height}：时隙 {slot} 并不晚于父区块的时隙 {parent_slot}"),
    "poa-turn/owner": (
        "block {height}: slot {slot} belongs to {owner}, but {signer} sealed it",
        "区块 {height}：时隙 {slot} 轮到 {owner} 出块，却由 {signer} 封装"),
    "poa-signature": (
        "block {height}: the seal signature does not verify for {signer}",
        "区块 {height}：封装签名无法用 {signer} 的公钥验证"),
    "block-beneficiary/address": (
        "block {height}: beneficiary {address} is not an address",
        "区块 {height}：收益地址 {address} 不是有效地址"),
    "block-beneficiary/sealer": (
        "block {height}: fees must go to the sealer {signer}, header names {address}",
        "区块 {height}：手续费必须归封装者 {signer}，区块头中写的却是 {address}"),
    "block-seal-kind/bft": (
        "block {height}: a BFT chain needs a proposer's seal",
        "区块 {height}：拜占庭容错链上的区块必须带有提议者的签名封装"),
    "poa-turn/round": (
        "block {height}: round {slot} is {owner}'s to propose, but {signer} sealed it",
        "区块 {height}：第 {slot} 轮应由 {owner} 提议，却由 {signer} 封装"),
    "bft-validator": (
        "height {height} round {round}: signed by {signer}, not one of the {validators} validators",
        "高度 {height} 第 {round} 轮：消息由 {signer} 签名，但它不在 {validators} 个验证者之中"),
    "bft-signature": (
        "height {height} round {round}: the signature does not verify for {signer}",
        "高度 {height} 第 {round} 轮：签名无法用 {signer} 的公钥验证"),
    "bft-proposer": (
        "height {height} round {round}: proposed by {signer}, the proposer of this round is {expected}",
        "高度 {height} 第 {round} 轮：由 {signer} 提议，而这一轮的提议者是 {expected}"),
    "bft-double-sign": (
        "height {height} round {round}: this validator already signed a {step} for {signed}; "
        "it will not sign one for {asked}",
        "高度 {height} 第 {round} 轮：本验证者已经为 {signed} 签过{step}，不会再为 {asked} 签名"),
    "bft-cert-missing": (
        "block {height} {block_hash:.8}: a BFT chain accepts a block only with its commit certificate",
        "区块 {height}（{block_hash:.8}）：拜占庭容错链只接受带有提交证书的区块"),
    "chain-final": (
        "block {height} {block_hash:.8} would fork the chain below the final block {final_hash:.8}",
        "区块 {height}（{block_hash:.8}）会让链在已最终确定的区块 {final_hash:.8} 之下分叉"),
    "bft-cert-block/height": (
        "block {height}: its commit certificate is for height {cert_height}",
        "区块 {height}：它的提交证书属于高度 {cert_height}"),
    "bft-cert-block/hash": (
        "block {height} {block_hash:.8}: the certificate's precommits are for {cert_hash:.8}",
        "区块 {height}（{block_hash:.8}）：证书中的预提交投的是 {cert_hash:.8}"),
    "bft-cert-quorum": (
        "block {height}: the certificate holds precommits of {found} validators, a quorum is {needed} of "
        "{validators}",
        "区块 {height}：证书只有 {found} 个验证者的预提交，法定人数是 {validators} 个中的 {needed} 个"),
    "bft-cert-unknown-validator": (
        "block {height}: the certificate holds a precommit by {signer}, not a genesis validator",
        "区块 {height}：证书中有 {signer} 的预提交，但它不是创世文件中的验证者"),
    "bft-cert-duplicate": (
        "block {height}: the certificate lists {signer} twice",
        "区块 {height}：证书中 {signer} 出现了两次"),
    "bft-cert-signature": (
        "block {height}: the precommit signature of {signer} does not verify",
        "区块 {height}：{signer} 的预提交签名验证失败"),
    "genesis/bft-validators": (
        "BFT: {amount} validators listed, expected 4 to {limit} (n = 3f + 1 tolerates f faulty ones)",
        "拜占庭容错：列出了 {amount} 个验证者，应为 4 到 {limit} 个（节点总数至少为故障节点数的三倍加一）"),
    "genesis/validator-address": (
        "validator: {address} is not an address",
        "验证者：{address} 不是有效地址"),
    "genesis/validator-twice": (
        "BFT: a validator is listed twice",
        "拜占庭容错：有一个验证者出现了两次"),
    "genesis/bft-timing": (
        "BFT: block_time_ms, base_timeout_ms or timeout_delta_ms is out of range",
        "拜占庭容错：出块间隔、基础超时或每轮超时增量超出了允许的范围"),
    "genesis/key": (
        "genesis: its suite cannot be used",
        "创世文件中的密码套件无法使用"),
    "genesis/chain-id": (
        "chain_id must be 1 to {limit} characters",
        "链标识必须为 1 到 {limit} 个字符"),
    "genesis/block-gas-limit": (
        "block_gas_limit must be in [{amount}, {limit}] gas units",
        "区块燃料上限必须在 {amount} 到 {limit} 单位燃料之间"),
    "genesis/max-transactions": (
        "max_block_transactions must be in [1, {limit}]",
        "每个区块的最大交易数必须在 1 到 {limit} 之间"),
    "genesis/allocation-address": (
        "allocation: {address} is not an address",
        "初始分配：{address} 不是有效地址"),
    "genesis/allocation-twice": (
        "allocation: {address} is listed twice",
        "初始分配：{address} 出现了两次"),
    "genesis/allocation-amount": (
        "allocation: {address} gets {amount}, expected 1..{limit}",
        "初始分配：{address} 分到 {amount}，应在 1 到 {limit} 之间"),
    "genesis/supply": (
        "allocations total {amount} > {limit}",
        "初始分配的总额 {amount} 超过了上限 {limit}"),
    "genesis/pow-bits": (
        "proof of work: difficulty_bits must be in [0, {limit}]",
        "工作量证明：难度位数必须在 0 到 {limit} 之间"),
    "genesis/pow-timing": (
        "proof of work: target_block_time >= 1 and retarget_window >= 2",
        "工作量证明：目标出块时间至少 1 秒，难度调整窗口至少 2 个区块"),
    "genesis/poa-empty": (
        "proof of authority: at least one authority is needed",
        "权威证明：至少需要一个权威节点"),
    "genesis/authority-address": (
        "authority: {address} is not an address",
        "权威节点：{address} 不是有效地址"),
    "genesis/authority-twice": (
        "proof of authority: an authority is listed twice",
        "权威证明：有一个权威节点出现了两次"),
    "peer-auth/syntax": (
        "the peer's handshake or channel header cannot be read",
        "对方节点的握手消息或通道标头无法解析"),
    "peer-auth/chain": (
        "the peer follows another chain (another chain id or genesis)",
        "对方节点跟随的是另一条链（链标识或创世区块不同）"),
    "peer-auth/url": (
        "the peer's URL is not a plain http://host:port, or is a private address this node does not call",
        "对方节点的地址不是单纯的“协议://主机:端口”形式，或是本节点不会主动访问的私有地址"),
    "peer-auth/admission": (
        "the peer's node key is not admitted here (not in the genesis list, or banned)",
        "对方节点的密钥未获准入（不在创世配置的名单中，或已被封禁）"),
    "peer-auth/signature": (
        "the peer's handshake signature does not verify for the node key it presented",
        "对方节点的握手签名无法用它出示的节点密钥验证"),
    "peer-auth/unknown-channel": (
        "the message names no channel of this node: the peer must complete a handshake first",
        "消息没有对应本节点的任何通道：对方节点必须先完成握手"),
    "peer-auth/mac": (
        "the message's HMAC does not match its channel (changed on the way, or forged)",
        "消息的校验码与其通道不符（途中被改动，或是伪造的）"),
    "peer-auth/counter": (
        "the message's counter does not grow (a replayed message)",
        "消息的计数器没有递增（重放的消息）"),
    "peer-auth/pending": (
        "no handshake of this node is waiting for that answer, or too many are under way",
        "本节点没有在等待这条握手应答，或同时进行的握手太多"),
    "genesis/node-address": (
        "admitted node: {address} is not an address",
        "准入节点：{address} 不是有效地址"),
    "genesis/node-twice": (
        "an admitted node is listed twice",
        "有一个准入节点出现了两次"),
    "genesis/poa-block-time": (
        "proof of authority: block_time must be >= 1 second",
        "权威证明：出块间隔至少为 1 秒"),
    "genesis/reward": (
        "block_reward must be in [0, {limit}]",
        "区块奖励必须在 0 到 {limit} 之间"),
    "genesis/file": (
        "cannot read genesis file {path}",
        "无法读取创世文件 {path}"),
    "export-canonical": (
        "the file's bytes differ from the canonical export of its content at byte {offset}",
        "文件的字节与其内容的规范化导出在第 {offset} 个字节处不同"),
    "block-unknown-parent": (
        "block {block_hash:.8} at height {height}: parent {parent_hash:.8} is not known yet",
        "高度 {height} 的区块 {block_hash:.8}："
        "还没有收到它的父区块 {parent_hash:.8}（不是无效，只是暂时接不上）"),
    "mempool-known": (
        "tx {txid:.8} is already in the mempool",
        "交易 {txid:.8} 已经在交易池中了"),
    "mempool-nonce-gap": (
        "tx {txid:.8}: nonce {found} is more than {limit} ahead of the next nonce {expected} this sender "
        "can use",
        "交易 {txid:.8}：交易序号 {found} 比该发送方下一个可用的序号 {expected} 超前了 {limit} 以上"),
    "mempool-replacement": (
        "tx {txid:.8}: nonce {nonce} is taken by {existing:.8} with fee {existing_fee}; a replacement "
        "must pay at least {needed}",
        "交易 {txid:.8}：交易序号 {nonce} 已被交易 {existing:.8}（手续费 {existing_fee}）占用；"
        "替换它至少要付 {needed} 的手续费"),
    "mempool-full": (
        "tx {txid:.8}: the mempool holds {limit} transactions and none pays less than fee {fee}",
        "交易 {txid:.8}：交易池已满（{limit} 笔），其中没有哪笔的手续费低于 {fee}"),
    "mempool-fee": (
        "tx {txid:.8}: fee {found} is below this node's minimum {limit}",
        "交易 {txid:.8}：手续费 {found} 低于本节点的最低要求 {limit}"),
    "store-open/not-a-database": (
        "{path} is not a minichain database (another kind of file?)",
        "{path} 不是 minichain 数据库（是别的文件吗？）"),
    "store-open/damaged": (
        "{path} is damaged or cut short; restore it from a copy, or sync a fresh data dir from peers",
        "{path} 已损坏或不完整；请从备份恢复，或新建数据目录并从其他节点同步"),
    "store-open/directory": (
        "{path} is a directory, not a database file",
        "{path} 是一个目录，而不是数据库文件"),
    "store-open/read-only": (
        "{path}: the node may not write there (read-only file or folder; check the permissions)",
        "{path}：节点没有写入权限（文件或目录是只读的，请检查权限）"),
    "store-open/unreadable": (
        "{path} cannot be opened (check that it exists and may be read)",
        "无法打开 {path}（请检查它是否存在、是否可读）"),
    "store-undo": (
        "block {block_hash:.8} at height {height} has no undo record: a reorg past it could not be "
        "rolled back",
        "高度 {height} 的区块 {block_hash:.8} 缺少撤销记录：链重组时无法回滚它"),
    "store-write/disk-full": (
        "{path}: the disk is full; the node stopped before going on unsaved (free space, then restart it)",
        "{path}：磁盘已满；节点在保存失败后立即停止（请释放空间后重新启动）"),
    "store-write/read-only": (
        "{path}: the node may no longer write there (read-only); it stopped before going on unsaved",
        "{path}：节点已无法写入（只读）；它在保存失败后立即停止"),
    "store-write/io": (
        "{path}: a write failed (disk error); the node stopped before going on unsaved",
        "{path}：写入失败（磁盘错误）；节点在保存失败后立即停止"),
}

# One line per rule that needs no facts: for an error without them, and for rules that carry none.
SUMMARIES: dict[str, tuple[str, str]] = {
    "minichain": ("minichain refused this", "minichain 拒绝了这个操作"),
    "encoding": ("the data cannot be read: it is not in the expected format", "数据无法读取：格式不符合要求"),
    "key": ("the key or suite cannot be used", "密钥或密码套件无法使用"),
    "address": ("not a valid minichain address", "不是有效的 minichain 地址"),
    "unspecified": ("a rule is broken", "违反了一条规则"),
    "tx": ("the transaction breaks a rule", "这笔交易违反了规则"),
    "tx-chain-id": ("the transaction was signed for another chain", "这笔交易是为另一条链签名的"),
    "tx-suite": ("the transaction uses another cryptographic suite than this chain",
                 "这笔交易使用的密码套件与这条链的不同"),
    "tx-signature": ("the signature does not verify", "签名验证失败"),
    "tx-amount": ("the amount or the fee is out of range", "金额或手续费超出了允许的范围"),
    "tx-recipient": ("the recipient is not a valid address", "收款地址无效"),
    "tx-memo": ("the memo is too long", "备注太长"),
    "tx-nonce": ("the nonce is not the sender's next one (a replay, or a gap)",
                 "交易序号不是发送方的下一个序号（是重放，或者中间有空缺）"),
    "tx-balance": ("the sender cannot pay amount + fee", "发送方的余额不足以支付金额加手续费"),
    "block": ("the block breaks a rule", "这个区块违反了规则"),
    "block-version": ("the block's version is not this software's", "区块的版本号不对"),
    "block-height": ("the block's height is not its parent's + 1", "区块的高度不是父区块的高度加 1"),
    "block-timestamp": ("the block's timestamp is before its parent's", "区块的时间戳早于父区块"),
    "block-future": ("the block's timestamp is too far in the future (not invalid: it may be added later)",
                     "区块的时间戳太超前了（不是无效，以后可能可以加入）"),
    "block-merkle-root": ("the Merkle root does not match the transactions", "默克尔根与区块中的交易不符"),
    "block-contract-root": ("the contract state root or receipts root does not match the block's "
                            "contract transactions", "合约状态根或回执根与区块中的合约交易不符"),
    "block-state-root": ("the state root does not match the state the block gives",
                         "状态根与执行区块后得到的状态不符"),
    "block-size": ("the block holds too many transactions", "区块包含的交易太多"),
    "block-duplicate-tx": ("a transaction appears twice in the block", "区块中有一笔交易出现了两次"),
    "block-tx": ("a transaction in the block breaks a rule", "区块中有一笔交易违反了规则"),
    "block-invalid-ancestor": ("the block or one of its ancestors is invalid", "这个区块或它的祖先区块无效"),
    "genesis-mismatch": ("block 0 is not this chain's genesis block", "第 0 号区块不是这条链的创世区块"),
    "pow-target": ("the proof-of-work target is not the one the retarget rule gives",
                   "工作量证明的目标值与难度调整规则不符"),
    "pow-insufficient": ("the block's hash is above its target: not enough work",
                         "区块哈希高于目标值：工作量不够"),
    "block-seal-kind": ("the block carries the wrong kind of seal", "区块的封装方式与这条链的共识机制不符"),
    "poa-signer": ("the block is sealed by a key that is not an authority", "区块由权威节点以外的密钥封装"),
    "poa-turn": ("the block is sealed out of turn", "区块不是在轮到它的时隙里封装的"),
    "poa-signature": ("the seal signature does not verify", "封装签名验证失败"),
    "bft-message": ("a consensus message breaks a rule", "共识消息违反了规则"),
    "bft-validator": ("the message is signed by a key that is not a validator's",
                      "消息不是由验证者的密钥签名的"),
    "bft-signature": ("the consensus message's signature does not verify", "共识消息的签名验证失败"),
    "bft-proposer": ("the proposal does not come from this round's proposer",
                     "提议不是由这一轮的提议者发出的"),
    "bft-double-sign": ("signing this would sign two different values for one height, round and step",
                        "签名这条消息会在同一高度、同一轮、同一阶段签下两个不同的值"),
    "bft-cert": ("the commit certificate does not prove the block final", "提交证书不能证明区块已最终确定"),
    "bft-cert-block": ("the commit certificate is for another block", "提交证书属于另一个区块"),
    "bft-cert-missing": ("the block comes without its commit certificate", "区块没有附带提交证书"),
    "chain-final": ("the block would replace a final block", "这个区块会替换一个已最终确定的区块"),
    "bft-cert-quorum": ("the commit certificate holds too few validators' precommits",
                        "提交证书中验证者的预提交太少，不足法定人数"),
    "bft-cert-unknown-validator": ("the commit certificate holds a precommit by a non-validator",
                                   "提交证书中有非验证者的预提交"),
    "bft-cert-duplicate": ("the commit certificate lists a validator twice",
                           "提交证书中有一个验证者出现了两次"),
    "bft-cert-signature": ("a precommit signature in the commit certificate does not verify",
                           "提交证书中有一个预提交签名验证失败"),
    "block-beneficiary": ("the block's beneficiary is wrong", "区块的收益地址不对"),
    "genesis": ("the genesis parameters break a rule", "创世参数违反了规则"),
    "export-canonical": ("the exported file is not in canonical form", "导出的文件不是规范化格式"),
    "block-not-yet": ("the block cannot be added yet (not invalid)", "这个区块暂时还不能加入（不是无效）"),
    "block-unknown-parent": ("the block's parent is not known yet (not invalid)",
                             "还没有收到这个区块的父区块（不是无效）"),
    "mempool": ("the mempool does not accept this transaction", "交易池不接受这笔交易"),
    "mempool-known": ("the transaction is already in the mempool", "这笔交易已经在交易池中了"),
    "mempool-nonce-gap": ("the nonce is too far ahead", "交易序号超前太多"),
    "mempool-replacement": ("a replacement must pay a higher fee", "替换交易必须支付更高的手续费"),
    "mempool-full": ("the mempool is full", "交易池已满"),
    "mempool-fee": ("the fee is below this node's minimum", "手续费低于本节点的最低要求"),
    "store": ("the data directory cannot be used", "数据目录无法使用"),
    "peer-auth": ("the peer did not prove who it is, or is not admitted to this network",
                  "对方节点没有证明自己的身份，或未获准加入本网络"),
    "store-open": ("the data directory's database cannot be opened", "无法打开数据目录中的数据库"),
    "store-undo": ("a stored block has no undo record", "保存的某个区块缺少撤销记录"),
    "store-write": ("the node could not write to its data directory and stopped",
                    "节点无法写入数据目录，已经停止"),
    "usage": ("the command cannot be carried out as given", "命令无法按给定的参数执行"),
    "request-size": ("the request is too large", "请求太大"),
    "request-timeout": ("the request arrived too slowly and was cut off", "请求发送太慢，已被中断"),
    "rate-limit": ("too many requests from one address; wait a moment and send fewer",
                   "同一地址的请求过多；请稍等，并减少发送次数"),
    "launch": ("the network cannot be started", "网络无法启动"),
    "node": ("the node cannot be reached or refused the request", "节点无法连接，或拒绝了请求"),
    "bench": ("the benchmark could not run", "基准测试无法运行"),
    "contract": ("the contract cannot be used", "合约无法使用"),
    "contract-compiler": ("the Solidity compiler is not available", "Solidity 编译器不可用"),
    "contract-compile": ("the Solidity source does not compile", "Solidity 源代码编译失败"),
    "contract-address": ("not a valid contract (EVM) address", "不是有效的合约（EVM）地址"),
    "contract-abi": ("the arguments or data do not fit the contract's ABI", "参数或数据与合约的 ABI 不符"),
    "contract-function": ("the contract has no function of that name", "合约中没有这个名字的函数"),
    "contract-args": ("the arguments do not match the function's parameters", "参数与函数的参数表不符"),
    "contract-tx": ("the contract transaction cannot be executed", "这笔合约交易无法执行"),
    "contract-intrinsic-gas": ("the gas limit is below the transaction's intrinsic gas",
                               "燃料上限低于这笔交易的固有燃料消耗"),
    "contract-initcode-size": ("the deployment code is too large", "部署代码太大"),
    "contract-gas-limit": ("the gas limit is out of range", "燃料上限超出了允许的范围"),
    "contract-no-code": ("there is no contract at that address", "这个地址上没有合约"),
    "contract-execution": ("the contract call failed", "合约调用失败"),
    "contract-revert": ("the contract refused the call (revert)", "合约拒绝了这次调用（回滚）"),
    "contract-out-of-gas": ("the call ran out of gas", "调用耗尽了燃料"),
    "contract-code-size": ("the deployed contract code is too large", "部署后的合约代码太大"),
    "contract-address-collision": ("a contract already exists at the new address", "新地址上已经有合约了"),
    "contract-vm-error": ("the EVM stopped with an error", "EVM 执行出错而停止"),
    "contract-block-committed": ("the block's contract state is already committed",
                                 "这个区块的合约状态已经提交"),
    "contract-receipt": ("no block of the best chain holds that transaction (yet)",
                         "最佳链上还没有区块包含这笔交易"),
    "contract-state-root": ("the contract state for that root is not stored",
                            "没有保存这个状态根对应的合约状态"),
}

# Fact values that are words, said in Chinese.
ZH_VALUES: dict[str, dict[str, str]] = {
    "status": {"side": "成了侧链上的区块", "known": "已经在链上", "extended": "接在了链头上",
               "reorg": "引起了链重组"},
    "signer": {"(none)": "（无签名者）"},
    "step": {"proposal": "提议", "prevote": "预投票", "precommit": "预提交"},
    "signed": {"nil": "空票"},
    "asked": {"nil": "空票"},
}
EN_VALUES: dict[str, dict[str, str]] = {
    "status": {"side": "went to a side branch", "known": "was already known", "extended": "extended the tip",
               "reorg": "caused a reorg"},
}
