"""BFT consensus: Tendermint rounds, told in FISCO BCOS PBFT's words; final blocks.

Theory of operation. A fixed set of n validators (the genesis list, 4 to 7) agrees on one block
per height, even if up to f of them are Byzantine (crashed, or lying), as long as n >= 3f + 1.
Each height runs rounds (FISCO BCOS: views); each round has three steps:
  1. propose   - the round's proposer, number (height + round) mod n, broadcasts a block
                 (Pre-prepare, PrepareReq);
  2. prevote   - every validator votes for the block if it is valid and does not conflict with its
                 lock, else for nil (Prepare, SignReq);
  3. precommit - a validator that sees 2f + 1 prevotes for the block locks on it and precommits it
                 (Commit, CommitReq); 2f + 1 precommits decide the block: it is final, and the
                 precommit signatures are its commit certificate.
If a step's messages do not come in time, a timeout moves the validator on, and after the
precommit step to the next round with the next proposer (FISCO BCOS: ViewChangeReq, view + 1):
an ordinary path here, not a separate view-change protocol. Timeouts grow per round
(base + round * delta) so that once the network is timely, honest validators wait long enough.
Why 2f + 1 of 3f + 1: a validator can wait for only n - f votes, and two such quorums overlap in
f + 1 validators, one of them honest, who never votes twice in a step: two blocks cannot both be
decided. Locks keep this across rounds: a validator locked on B prevotes only B, unless a later
round shows 2f + 1 prevotes for another block (a proof of lock change, `valid_round`). f + 1
messages from a later round prove an honest validator is there, so the others jump to it.
Raft (Fabric's ordering service, etcd) needs only 2f + 1 nodes, but survives crashes only: one
lying leader can make followers disagree. BFT pays n >= 3f + 1 and n-squared messages for it.

Modules: messages (Proposal, Vote, their signed bytes), quorum (validator set, vote counting,
evidence), certificate (CommitCertificate and its verifier), signlog (never sign twice), effects
(Timeout, Broadcast, ScheduleTimeout, Decide...), machine (the Tendermint state machine, Algorithm
1 of arXiv:1807.04938), engine (the chain's ConsensusEngine), simulation (a seeded network in
virtual time that records every message for the explorer's timelines).
"""

from minichain.consensus.bft.certificate import CommitCertificate, verify_certificate
from minichain.consensus.bft.effects import (
    Application,
    Broadcast,
    Decide,
    Effect,
    RecordSigned,
    ScheduleTimeout,
    Timeout,
    TimeoutConfig,
)
from minichain.consensus.bft.engine import BftEngine
from minichain.consensus.bft.machine import Tendermint
from minichain.consensus.bft.messages import (
    Message,
    Proposal,
    SigningDomain,
    Step,
    Vote,
    VoteKind,
    message_from_json,
)
from minichain.consensus.bft.quorum import Evidence, ValidatorSet, VoteKeeper
from minichain.consensus.bft.signlog import SignedLog

__all__ = [
    "Application", "BftEngine", "Broadcast", "CommitCertificate", "Decide", "Effect", "Evidence", "Message",
    "Proposal", "RecordSigned", "ScheduleTimeout", "SignedLog", "SigningDomain", "Step", "Tendermint",
    "Timeout", "TimeoutConfig", "ValidatorSet", "Vote", "VoteKeeper", "VoteKind", "message_from_json",
    "verify_certificate",
]
