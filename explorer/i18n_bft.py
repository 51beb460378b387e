"""The text of the BFT consensus page and its stage scenarios, in English and Simplified Chinese;
merged into explorer.i18n.CATALOG (same rules: same {placeholders}, codes stay as they are). FISCO
BCOS PBFT's message names (PrepareReq, SignReq, CommitReq, ViewChangeReq) are codes: the names
trainees read in its logs and documentation, beside Tendermint's words."""

from __future__ import annotations

BFT_CATALOG: dict[str, dict[str, str]] = {
    "page.bft": {"en": "6.1 · BFT consensus", "zh": "6.1 · BFT 共识"},
    "bft.title": {"en": "BFT consensus: a round, message by message", "zh": "BFT 共识：一轮共识，逐条消息看"},
    "bft.intro": {
        "en": "Four validators agree on one block per height, even if one of them lies: n = 3f + 1 tolerates "
        "f faulty ones. Step through the messages of a round: Tendermint's proposal, prevotes and "
        "precommits are FISCO BCOS PBFT's PrepareReq, SignReq and CommitReq.",
        "zh": "四个验证者在每个高度上对同一个区块达成一致，即使其中一个在撒谎：验证者总数只要超过故障节点数的三倍，就能容忍这些故障节点。"
        "逐条查看一轮中的消息：Tendermint 的提议、预投票和预提交，就是 FISCO BCOS PBFT 的 PrepareReq、SignReq 和 CommitReq。",
    },
    "bft.scene": {"en": "Scenario", "zh": "场景"},
    "bft.scene.normal": {"en": "Normal round", "zh": "正常的一轮"},
    "bft.scene.silent": {"en": "Silent proposer", "zh": "提议者沉默"},
    "bft.scene.byzantine": {"en": "Byzantine validator", "zh": "拜占庭验证者"},
    "bft.scene.halt": {"en": "Two of four down", "zh": "四个中两个宕机"},
    "bft.previous": {"en": "◀ Previous message", "zh": "◀ 上一条消息"},
    "bft.next": {"en": "Next message ▶", "zh": "下一条消息 ▶"},
    "bft.all": {"en": "Show all", "zh": "全部显示"},
    "bft.first": {"en": "From the start", "zh": "从头开始"},
    "bft.progress": {"en": "Step {done} of {total}", "zh": "第 {done} 步，共 {total} 步"},
    "bft.press_next": {
        "en": "Press “Next message ▶” to play the round one signed message at a time.",
        "zh": "按“下一条消息 ▶”，一次播放一条已签名的消息。",
    },
    "bft.who": {"en": "validator {index}", "zh": "验证者{index}"},
    "bft.word.proposal": {"en": "proposal", "zh": "提议"},
    "bft.word.prevote": {"en": "prevote", "zh": "预投票"},
    "bft.word.precommit": {"en": "precommit", "zh": "预提交"},
    "bft.say.proposal": {
        "en": "{who}, the proposer of round {round}, proposes block {value} to the others (FISCO BCOS: PrepareReq).",
        "zh": "{who}是第 {round} 轮的提议者，向其他验证者提议区块 {value}（FISCO BCOS：PrepareReq）。",
    },
    "bft.say.proposal_timeout": {
        "en": "A timeout ends the last round: {who} enters round {round}, where it is the proposer, and proposes "
        "block {value} (FISCO BCOS: a view change, ViewChangeReq, then PrepareReq).",
        "zh": "超时结束了上一轮：{who}进入第 {round} 轮，它正是这一轮的提议者，于是提议区块 {value}"
        "（FISCO BCOS：视图切换 ViewChangeReq，然后 PrepareReq）。",
    },
    "bft.say.prevote": {
        "en": "{who} finds the proposal valid and prevotes for block {value} (FISCO BCOS: SignReq).",
        "zh": "{who}检查提议有效，对区块 {value} 投出预投票（FISCO BCOS：SignReq）。",
    },
    "bft.say.prevote_timeout": {
        "en": "{who} has a new round to vote in and prevotes for block {value} (FISCO BCOS: SignReq).",
        "zh": "{who}进入新的一轮，对区块 {value} 投出预投票（FISCO BCOS：SignReq）。",
    },
    "bft.say.prevote_nil": {
        "en": "{who} prevotes nil: it has no proposal it may accept (SignReq for no block).",
        "zh": "{who}投出空的预投票：它没有可以接受的提议（不指向任何区块的 SignReq）。",
    },
    "bft.say.prevote_nil_timeout": {
        "en": "No proposal came in time: the timer of {who} fires and it prevotes nil (SignReq for no block).",
        "zh": "提议没有按时到达：{who}的计时器超时，它投出空的预投票（不指向任何区块的 SignReq）。",
    },
    "bft.say.precommit": {
        "en": "{who} has seen {quorum} prevotes (2f + 1) for block {value}: it locks on it and precommits "
        "(FISCO BCOS: CommitReq).",
        "zh": "{who}已看到区块 {value} 的 {quorum} 张预投票（超过三分之二）：它锁定这个区块并投出预提交（FISCO BCOS：CommitReq）。",
    },
    "bft.say.precommit_timeout": {
        "en": "{who} has seen {quorum} prevotes for block {value}: it locks on it and precommits (CommitReq).",
        "zh": "{who}已看到区块 {value} 的 {quorum} 张预投票：它锁定这个区块并投出预提交（CommitReq）。",
    },
    "bft.say.precommit_nil": {
        "en": "{who} has seen {quorum} prevotes, but not {quorum} for one block: it precommits nil (CommitReq for "
        "no block).",
        "zh": "{who}看到了 {quorum} 张预投票，但没有 {quorum} 张投给同一个区块：它投出空的预提交（不指向任何区块的 CommitReq）。",
    },
    "bft.say.precommit_nil_timeout": {
        "en": "{who} waited in vain for {quorum} prevotes for one block: its timer fires and it precommits nil.",
        "zh": "{who}没有等到同一个区块的 {quorum} 张预投票：计时器超时，它投出空的预提交。",
    },
    "bft.say.conflicting": {
        "en": "{who} is Byzantine: it signs a second, conflicting {kind} for another block ({value}). The "
        "honest validators keep both signatures as evidence and count only its first vote.",
        "zh": "{who}是拜占庭节点：它又签了一张矛盾的{kind}，投给另一个区块（{value}）。诚实的验证者把两个签名都留作证据，只计它的第一票。",
    },
    "bft.say.resent": {
        "en": "{who} sends its {kind} again to the validator that came back: it missed it while it was down.",
        "zh": "{who}把它的{kind}再发给刚恢复的验证者：对方宕机时没有收到。",
    },
    "bft.say.timeout": {
        "en": "{who}: round {previous} decided nothing; its timer fires and it moves to round {round} "
        "(FISCO BCOS: a view change, ViewChangeReq).",
        "zh": "{who}：第 {previous} 轮没有决定任何区块；计时器超时，它进入第 {round} 轮（FISCO BCOS：视图切换 ViewChangeReq）。",
    },
    "bft.say.decide": {
        "en": "{count} validators have seen {quorum} precommits for block {value}: it is decided and final. "
        "{signed} of {n} precommit signatures form its commit certificate.",
        "zh": "{count} 个验证者已看到区块 {value} 的 {quorum} 张预提交：区块已决定，而且是最终的。"
        "{n} 个验证者中 {signed} 个的预提交签名组成它的提交证书。",
    },
    "bft.say.crash": {
        "en": "{who} goes down: it sends nothing, and what is sent to it is lost (✕).",
        "zh": "{who}宕机了：它不再发送消息，发给它的消息也都丢失了（✕）。",
    },
    "bft.say.restart": {
        "en": "{who} comes back. Its signing log survived, so it never signs against what it signed before; "
        "the others send it their votes again.",
        "zh": "{who}恢复了。它的签名日志还在，所以绝不会签出与之前矛盾的消息；其他验证者把投票重新发给它。",
    },
    "bft.verdict.normal": {
        "en": "Block {value} is final at height {height} after one round: {signed} of {n} precommit signatures, "
        "at least 2f + 1 = {quorum}.",
        "zh": "只用一轮，区块 {value} 就在高度 {height} 上成为最终区块：{n} 个验证者中有 {signed} 个预提交签名，至少需要 {quorum} 个。",
    },
    "bft.verdict.silent": {
        "en": "Round 0 had no proposal and decided nothing; round 1 decided block {value}. A silent proposer "
        "costs one timeout, never safety.",
        "zh": "第 0 轮没有提议，什么也没有决定；第 1 轮决定了区块 {value}。提议者沉默只多花一次超时，绝不影响安全。",
    },
    "bft.verdict.byzantine": {
        "en": "Still one chain: {heights} heights, one block each, on every validator. The honest validators "
        "hold {evidence} signed pairs of conflicting votes by {who} as evidence.",
        "zh": "仍然只有一条链：{heights} 个高度，每个高度一个区块，所有验证者都一样。诚实的验证者握有{who}的 {evidence} 对矛盾签名作为证据。",
    },
    "bft.verdict.halt": {
        "en": "With two of four down nobody could gather {quorum} votes: no block for {seconds:.0f} s, and no "
        "fork. When {back} came back, height {height} was decided; every validator that is up has "
        "{heights} heights, one block each.",
        "zh": "四个中两个宕机，谁也凑不齐 {quorum} 票：{seconds:.0f} 秒没有新区块，也没有分叉。{back}恢复后，"
        "高度 {height} 被决定；每个在线的验证者都有 {heights} 个高度，每个高度一个区块。",
    },
    "bft.verdict.fork": {
        "en": "Two different blocks were decided at one height: the safety rule is broken.",
        "zh": "同一高度上决定了两个不同的区块：安全规则被打破了。",
    },
    "bft.lesson": {
        "en": "Why 2f + 1 of 3f + 1: two groups of {quorum} among {n} validators share at least one honest one, "
        "who never votes twice in a step, so two blocks can never both be decided. A decided block is "
        "final: no longer chain can replace it, unlike proof of work.",
        "zh": "为什么要超过三分之二：{n} 个验证者中任意两组 {quorum} 个，至少有一个诚实的共同成员，"
        "而诚实者在同一步里绝不投两次票，所以两个区块不可能都被决定。已决定的区块是最终的：不像工作量证明，再长的链也替换不了它。",
    },
    "bft.words": {"en": "The same steps in two vocabularies", "zh": "同一步骤的两套说法"},
    "bft.col_tendermint": {"en": "Tendermint", "zh": "Tendermint"},
    "bft.col_fisco": {"en": "FISCO BCOS PBFT", "zh": "FISCO BCOS PBFT"},
    "bft.col_what": {"en": "what it is", "zh": "含义"},
    "bft.row.proposal": {"en": "proposal", "zh": "提议"},
    "bft.row.proposal_what": {"en": "the round's proposer suggests a block", "zh": "本轮提议者提出一个区块"},
    "bft.row.prevote": {"en": "prevote", "zh": "预投票"},
    "bft.row.prevote_what": {"en": "“this block is valid” (or nil)", "zh": "“这个区块有效”（或空票）"},
    "bft.row.precommit": {"en": "precommit", "zh": "预提交"},
    "bft.row.precommit_what": {
        "en": "“I saw 2f + 1 prevotes for it”: lock and commit",
        "zh": "“我看到了超过三分之二的预投票”：锁定并提交",
    },
    "bft.row.round": {"en": "round", "zh": "轮次"},
    "bft.row.round_what": {"en": "one try, with its own proposer", "zh": "一次尝试，各有自己的提议者"},
    "bft.row.timeout": {"en": "timeout → next round", "zh": "超时 → 下一轮"},
    "bft.row.timeout_what": {"en": "the proposer failed: try the next one", "zh": "提议者失败了：换下一个"},
    "bft.row.certificate": {"en": "commit certificate", "zh": "提交证书"},
    "bft.row.certificate_what": {
        "en": "2f + 1 precommit signatures: proof the block is final",
        "zh": "超过三分之二的预提交签名：区块已最终确定的证明",
    },
    "bft.fisco.proposal": {"en": "PrepareReq (Pre-prepare)", "zh": "PrepareReq"},
    "bft.fisco.prevote": {"en": "SignReq (Prepare)", "zh": "SignReq"},
    "bft.fisco.precommit": {"en": "CommitReq (Commit)", "zh": "CommitReq"},
    "bft.fisco.round": {"en": "view", "zh": "视图"},
    "bft.fisco.timeout": {"en": "ViewChangeReq", "zh": "ViewChangeReq"},
    "bft.fisco.certificate": {"en": "the block's signature list", "zh": "区块的签名列表"},
    # the stage
    "stage.name.bft_normal": {"en": "BFT: a normal round", "zh": "BFT：正常的一轮"},
    "stage.name.bft_silent": {"en": "BFT: a silent proposer", "zh": "BFT：提议者沉默"},
    "stage.name.bft_byzantine": {"en": "BFT: a Byzantine validator", "zh": "BFT：拜占庭验证者"},
    "stage.name.bft_halt": {"en": "BFT: two of four down", "zh": "BFT：四个中两个宕机"},
    "stage.bft_normal.1": {
        "en": "The proposer of round 0 sends its block to the others (PrepareReq).",
        "zh": "第 0 轮的提议者把区块发给其他验证者（PrepareReq）。",
    },
    "stage.bft_normal.2": {
        "en": "Every validator checks it and prevotes for it (SignReq).",
        "zh": "每个验证者检查区块并投出预投票（SignReq）。",
    },
    "stage.bft_normal.3": {
        "en": "Each one that sees 3 of 4 prevotes locks on the block and precommits (CommitReq).",
        "zh": "看到 4 票中 3 张预投票的验证者锁定区块并投出预提交（CommitReq）。",
    },
    "stage.bft_normal.4": {
        "en": "3 of 4 precommits: the block is final, and their signatures are its certificate.",
        "zh": "4 个中 3 个预提交：区块成为最终区块，这些签名就是它的证书。",
    },
    "stage.bft_silent.1": {
        "en": "The proposer is down. The others wait for its block, time out, and vote nil.",
        "zh": "提议者宕机了。其他验证者等它的区块，超时后投出空票。",
    },
    "stage.bft_silent.2": {
        "en": "Round 1 (a view change): the next validator proposes.",
        "zh": "第 1 轮（视图切换）：下一个验证者来提议。",
    },
    "stage.bft_silent.3": {
        "en": "Three are enough: round 1 decides the block.",
        "zh": "三个就够了：第 1 轮决定了区块。",
    },
    "stage.bft_byzantine.1": {
        "en": "Validator 3 lies: every vote it signs, it also signs for another block (red).",
        "zh": "验证者3在撒谎：它签的每一票，都会再签一张投给另一个区块（红色）。",
    },
    "stage.bft_byzantine.2": {
        "en": "The honest three count only its first vote and keep the pair as evidence.",
        "zh": "诚实的三个验证者只计它的第一票，并把这对签名留作证据。",
    },
    "stage.bft_byzantine.3": {
        "en": "One block per height, on every validator: one liar cannot fork the chain.",
        "zh": "每个高度只有一个区块，所有验证者都一样：一个说谎者分叉不了这条链。",
    },
    "stage.bft_halt.1": {
        "en": "Height 1 is final. Then two of the four validators go down.",
        "zh": "高度 1 已经确定。接着四个验证者中有两个宕机了。",
    },
    "stage.bft_halt.2": {
        "en": "Two votes out of four are not 3: nothing is decided, and nothing forks.",
        "zh": "四票中只有两票，不够 3 票：什么也决定不了，也不会分叉。",
    },
    "stage.bft_halt.3": {
        "en": "Validator 2 comes back: three again, so the chain moves on.",
        "zh": "验证者2恢复了：又凑齐三个，链继续前进。",
    },
}

# The words of minichain.viz_bft's picture in Chinese (English: viz_bft's own WORDS).
BFT_PICTURE_WORDS_ZH: dict[str, str] = {
    "bft.title": "高度 {height}：轮次、投票与提交证书",
    "bft.validator": "验证者{index}",
    "bft.round": "第 {round} 轮",
    "bft.round_proposer": "第 {round} 轮 · 提议者：验证者{proposer}",
    "bft.certificate": "提交证书",
    "bft.signed": "{n} 个中 {count} 个",
    "bft.silence": "{seconds:.1f} 秒",
    "bft.nil": "空",
    "bft.proposal": "提议",
    "bft.prevote": "预投票",
    "bft.precommit": "预提交",
    "bft.timeout": "超时",
    "bft.decide": "已决定",
    "bft.crash": "宕机",
    "bft.restart": "恢复",
    "bft.legend.proposal": "提议 · PrepareReq",
    "bft.legend.prevote": "预投票 · SignReq",
    "bft.legend.precommit": "预提交 · CommitReq",
    "bft.legend.nil": "空票",
    "bft.legend.conflict": "矛盾的投票",
    "bft.legend.timeout": "超时 · ViewChangeReq",
}
