"""Proof of work (Nakamoto consensus): a block counts only if its hash is below a target.

Theory of operation. Finding a hash below `target` takes on average 2**256 / (target + 1) tries,
which is the block's *work*; nodes follow the branch with the most total work, so rewriting
history means redoing its work faster than everyone else (Nakamoto 2008, section 4).
Every `retarget_window` blocks the target is scaled by (time the window took) / (time it should
have taken), clamped to a factor of 4 either way as in Bitcoin, so blocks stay near
`target_block_time` however much hash power joins or leaves.
The miner hashes a 72-byte preimage (content hash, target, nonce); the first 64 bytes never change,
so it hashes them once and copies that midstate for every nonce.
"""

from __future__ import annotations

import struct

from minichain.blocks import MAX_TARGET, Header, PowSeal, Seal
from minichain.consensus.base import AncestorLookup, ConsensusEngine, Producer, SealAttempt
from minichain.encoding import short
from minichain.errors import InsufficientWork, WrongSealKind, WrongTarget
from minichain.genesis import Genesis, PowParams

_NONCE = struct.Struct(">Q")


def work(target: int) -> int:
    """Expected number of hashes to find one at or below `target`."""
    return (MAX_TARGET + 1) // (target + 1)


MiningResult = SealAttempt  # what `mine` returns: the sealed header (or None) and the hashes tried


class PowEngine(ConsensusEngine):
    kind = "pow"
    signs_blocks = False

    def __init__(self, genesis: Genesis) -> None:
        super().__init__(genesis)
        assert isinstance(genesis.consensus, PowParams)  # make_engine guarantees it
        self.params: PowParams = genesis.consensus

    @property
    def block_interval(self) -> int:
        return self.params.target_block_time

    def genesis_seal(self) -> Seal:
        return PowSeal(self.params.initial_target, 0)

    def template_seal(self, parent: Header, ancestry: AncestorLookup) -> Seal:
        return PowSeal(self.next_target(parent, ancestry), 0)

    def next_target(self, parent: Header, ancestry: AncestorLookup) -> int:
        """The target the child of `parent` must carry."""
        assert isinstance(parent.seal, PowSeal)
        height, window = parent.height + 1, self.params.retarget_window
        if height % window != 0:
            return parent.seal.target
        first = ancestry.ancestor(parent, height - window)
        expected = (window - 1) * self.params.target_block_time  # intervals from first to parent
        # Ceiling of expected / 4: with the floor, 90 s // 4 = 22 s would allow a 4.09x step.
        actual = min(max(parent.timestamp - first.timestamp, -(-expected // 4)), expected * 4)
        return max(1, min(MAX_TARGET, parent.seal.target * actual // expected))

    def check_seal(self, header: Header, parent: Header, ancestry: AncestorLookup) -> None:
        """The seal is a PowSeal, its target the retarget rule's, and the header's hash below it.

        Raises:
            WrongSealKind (block-seal-kind), WrongTarget (pow-target), InsufficientWork (pow-insufficient).
        """
        if not isinstance(header.seal, PowSeal):
            raise WrongSealKind(f"block {header.height}: a pow chain needs a pow seal", check="pow",
                                height=header.height)
        expected = self.next_target(parent, ancestry)
        if header.seal.target != expected:
            raise WrongTarget(
                f"block {header.height}: target should be {expected:#066x} (retarget rule), "
                f"header says {header.seal.target:#066x}",
                height=header.height, expected=expected, found=header.seal.target,
            )
        self._check_work(header)

    def easiest_target(self, height: int) -> int:
        """The largest target any block at `height` can carry: each retarget can raise it at most
        4-fold, and there have been height // retarget_window of them."""
        retargets = height // self.params.retarget_window
        return min(MAX_TARGET, self.params.initial_target << (2 * min(retargets, 128)))

    def check_seal_alone(self, header: Header) -> None:
        """check_seal without the parent: the target no easier than its height allows, and the work
        done, so a block that cannot connect yet still cost its sender real work.

        Raises:
            WrongSealKind (block-seal-kind), WrongTarget (pow-target), InsufficientWork (pow-insufficient).
        """
        if not isinstance(header.seal, PowSeal):
            raise WrongSealKind(f"block {header.height}: a pow chain needs a pow seal", check="pow",
                                height=header.height)
        easiest = self.easiest_target(header.height)
        if not 1 <= header.seal.target <= easiest:
            raise WrongTarget(
                f"block {header.height}: target {header.seal.target:#066x} is easier than any block at "
                f"this height can carry ({easiest:#066x} at most)",
                height=header.height, expected=easiest, found=header.seal.target,
            )
        self._check_work(header)

    def _check_work(self, header: Header) -> None:
        seal = header.seal
        assert isinstance(seal, PowSeal)  # both callers checked the kind
        block_hash = header.hash(self.suite)
        if int.from_bytes(block_hash, "big") > seal.target:
            raise InsufficientWork(
                f"block {header.height}: hash {short(block_hash, 16)} is above the target "
                f"{seal.target.to_bytes(32, 'big').hex()[:16]} (nonce {seal.nonce})",
                height=header.height, block_hash=block_hash, target=seal.target, nonce=seal.nonce,
            )

    def weight(self, header: Header) -> int:
        assert isinstance(header.seal, PowSeal)
        return work(header.seal.target)

    def next_turn(self, producer: Producer, parent: Header, now: int) -> int | None:
        """Anyone may mine at any moment: the work decides, not a turn."""
        return now

    def produce(self, template: Header, producer: Producer, attempts: int = 1,
                start: int = 0) -> SealAttempt:
        """Mine: try `attempts` nonces from `start` (the beneficiary is already in the template)."""
        return self.mine(template, start, attempts)

    def mine(self, header: Header, start_nonce: int = 0, max_attempts: int = 2**64) -> MiningResult:
        """Search nonces from `start_nonce` for a hash at or below the header's target."""
        seal = header.seal
        if not isinstance(seal, PowSeal):
            raise WrongSealKind("mine: the header needs a PowSeal(target, nonce) to fill in", check="mine",
                                height=header.height)
        target_bytes = seal.target.to_bytes(32, "big")
        stop = min(start_nonce + max_attempts, 2**64)
        midstate = self.suite.hasher()
        if midstate is None:  # no hashlib object for this hash: the slow, simple way
            for nonce in range(start_nonce, stop):
                candidate = header.with_seal(PowSeal(seal.target, nonce))
                if candidate.hash(self.suite) <= target_bytes:
                    return MiningResult(candidate, nonce - start_nonce + 1)
            return MiningResult(None, stop - start_nonce)
        midstate.update(header.content_hash(self.suite) + target_bytes)  # 64 bytes: one block
        copy, pack = midstate.copy, _NONCE.pack
        for nonce in range(start_nonce, stop):
            hasher = copy()
            hasher.update(pack(nonce))
            if hasher.digest() <= target_bytes:  # equal-length big-endian: bytes order = numbers
                return MiningResult(header.with_seal(PowSeal(seal.target, nonce)),
                                    nonce - start_nonce + 1)
        return MiningResult(None, stop - start_nonce)
