"""Chain parameters: everything nodes must agree on before the first block.

The genesis file fixes the chain id, the crypto suite, the consensus rules (PoW difficulty and
retarget, the PoA authority set, or the BFT validator set and timeouts) and who owns the first
coins. Its canonical hash becomes the genesis block's parent hash, so two nodes share a genesis
block only if they share every rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from minichain.crypto import DEFAULT_SUITE, decode_address, encode_address, get_suite
from minichain.encoding import (
    parse_json,
    require_int,
    require_list,
    require_object,
    require_str,
    tagged,
)
from minichain.errors import InvalidGenesis, InvalidKey, MalformedData

ZERO_ADDRESS = encode_address(bytes(20))
MAX_SUPPLY = 2**62  # keeps every balance inside SQLite's 64-bit integers
DEFAULT_BLOCK_GAS_LIMIT = 30_000_000  # gas units per block (contracts/execution.BLOCK_GAS_LIMIT)
MIN_BLOCK_GAS_LIMIT = 21_000  # the cheapest contract call must fit in a block
MAX_BLOCK_GAS_LIMIT = 30_000_000  # a transaction's own cap (contract_tx.MAX_TX_GAS): ~10 s of EVM


@dataclass(frozen=True)
class PowParams:
    """Proof of work: anyone may mine; the retarget keeps blocks near `target_block_time`."""

    difficulty_bits: int = 16  # initial target: a block hash needs this many leading zero bits
    target_block_time: int = 10  # seconds wanted between blocks
    retarget_window: int = 10  # blocks between retargets
    block_reward: int = 50  # new coins for each block's beneficiary

    kind = "pow"

    def to_json(self) -> dict[str, Any]:
        return {"kind": "pow", "difficulty_bits": self.difficulty_bits,
                "target_block_time": self.target_block_time,
                "retarget_window": self.retarget_window, "block_reward": self.block_reward}

    @property
    def initial_target(self) -> int:
        return (1 << (256 - self.difficulty_bits)) - 1

    def admitted_nodes(self) -> frozenset[str] | None:
        """A proof-of-work network is open: any node key may connect."""
        return None


@dataclass(frozen=True)
class PoaParams:
    """Proof of authority: only listed authorities seal blocks, each in its own time slot."""

    authorities: tuple[str, ...]  # addresses, in turn order
    block_time: int = 2  # seconds per slot; slot = timestamp // block_time
    block_reward: int = 0  # permissioned chains usually pay only fees
    nodes: tuple[str, ...] = ()  # node keys (addresses) admitted besides the authorities; () = open

    kind = "poa"

    def to_json(self) -> dict[str, Any]:
        value = {"kind": "poa", "authorities": list(self.authorities),
                 "block_time": self.block_time, "block_reward": self.block_reward}
        if self.nodes:  # only then: a genesis without admission keeps its bytes and its hash
            value["nodes"] = list(self.nodes)
        return value

    def admitted_nodes(self) -> frozenset[str] | None:
        """Consortium admission (FISCO BCOS 准入, a Fabric MSP in miniature): with `nodes` listed,
        only those node keys and the authorities' may connect; without, any node may."""
        return frozenset(self.authorities) | frozenset(self.nodes) if self.nodes else None


@dataclass(frozen=True)
class BftParams:
    """BFT consensus (Tendermint rounds, minichain.consensus.bft): a fixed set of 4 to 7 validators
    vote on each block; a block with 2f+1 precommits is final. Times are whole milliseconds, since
    canonical JSON has no floats: the teaching defaults are FISCO BCOS's (0.5 s minimum block time,
    3 s consensus timeout)."""

    validators: tuple[str, ...]  # addresses; proposer of (height, round) is number (height + round) mod n
    block_time_ms: int = 500  # milliseconds from a decision to the next height's first proposal
    base_timeout_ms: int = 3000  # milliseconds a validator waits in round 0 before giving up on it
    timeout_delta_ms: int = 500  # milliseconds added to every timeout per round (round r: base + r * delta)
    block_reward: int = 0  # a consortium chain pays only fees
    nodes: tuple[str, ...] = ()  # node keys (addresses) admitted besides the validators; () = open

    kind = "bft"
    MIN_VALIDATORS = 4  # 3f + 1 with f = 1: the smallest set that survives one Byzantine validator
    MAX_VALIDATORS = 7  # a classroom network; every vote goes to every validator (n squared messages)

    def to_json(self) -> dict[str, Any]:
        value = {"kind": "bft", "validators": list(self.validators), "block_time_ms": self.block_time_ms,
                 "base_timeout_ms": self.base_timeout_ms, "timeout_delta_ms": self.timeout_delta_ms,
                 "block_reward": self.block_reward}
        if self.nodes:
            value["nodes"] = list(self.nodes)
        return value

    @property
    def authorities(self) -> tuple[str, ...]:
        """The validators: a BFT chain's authorities (the node keys the peers layer admits)."""
        return self.validators

    def admitted_nodes(self) -> frozenset[str] | None:
        """As PoaParams.admitted_nodes: with `nodes` listed only those and the validators connect."""
        return frozenset(self.validators) | frozenset(self.nodes) if self.nodes else None


ConsensusParams = PowParams | PoaParams | BftParams


@dataclass(frozen=True)
class Genesis:
    """The rules of one chain. Build it in code or load it with `Genesis.load(path)`."""

    chain_id: str  # e.g. "minichain-dev"; signed into every transaction
    consensus: ConsensusParams
    allocations: tuple[tuple[str, int], ...] = ()  # (address, amount), sorted by address
    suite: str = DEFAULT_SUITE
    timestamp: int = 1_764_000_000  # seconds since the Unix epoch
    max_block_transactions: int = 2000
    # gas units all contract transactions of one block may use together (Ethereum's London-era
    # 30 M by default); a transaction's own gas limit can be no higher
    block_gas_limit: int = DEFAULT_BLOCK_GAS_LIMIT

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """InvalidGenesis naming the first broken parameter."""
        try:
            get_suite(self.suite)
        except InvalidKey as error:
            raise InvalidGenesis(str(error), check="key") from None
        if not self.chain_id or len(self.chain_id) > 64:
            raise InvalidGenesis("chain_id must be 1 to 64 characters", check="chain-id", limit=64)
        if not 1 <= self.max_block_transactions <= 100_000:
            raise InvalidGenesis("max_block_transactions must be in [1, 100000]", check="max-transactions",
                                 limit=100_000)
        if not MIN_BLOCK_GAS_LIMIT <= self.block_gas_limit <= MAX_BLOCK_GAS_LIMIT:
            raise InvalidGenesis(f"block_gas_limit must be in [{MIN_BLOCK_GAS_LIMIT}, "
                                 f"{MAX_BLOCK_GAS_LIMIT}] gas units, found {self.block_gas_limit}",
                                 check="block-gas-limit", amount=MIN_BLOCK_GAS_LIMIT,
                                 limit=MAX_BLOCK_GAS_LIMIT)
        seen: set[str] = set()
        for address, amount in self.allocations:
            _check_address(address, "allocation")
            if address in seen:
                raise InvalidGenesis(f"allocation: {address} is listed twice", check="allocation-twice",
                                     address=address)
            seen.add(address)
            if not 1 <= amount <= MAX_SUPPLY:
                raise InvalidGenesis(f"allocation: {address} gets {amount}, expected 1..{MAX_SUPPLY}",
                                     check="allocation-amount", address=address, amount=amount,
                                     limit=MAX_SUPPLY)
        if self.total_allocated > MAX_SUPPLY:
            raise InvalidGenesis(f"allocations total {self.total_allocated} > {MAX_SUPPLY}", check="supply",
                                 amount=self.total_allocated, limit=MAX_SUPPLY)
        params = self.consensus
        if isinstance(params, PowParams):
            if not 0 <= params.difficulty_bits <= 64:
                raise InvalidGenesis("pow: difficulty_bits must be in [0, 64]", check="pow-bits", limit=64)
            if params.target_block_time < 1 or params.retarget_window < 2:
                raise InvalidGenesis("pow: target_block_time >= 1 and retarget_window >= 2",
                                     check="pow-timing")
        elif isinstance(params, BftParams):
            _check_bft(params)
        else:
            if not params.authorities:
                raise InvalidGenesis("poa: at least one authority is needed", check="poa-empty")
            for address in params.authorities:
                _check_address(address, "authority")
            if len(set(params.authorities)) != len(params.authorities):
                raise InvalidGenesis("poa: an authority is listed twice", check="authority-twice")
            for address in params.nodes:
                _check_address(address, "node")
            if len(set(params.nodes)) != len(params.nodes):
                raise InvalidGenesis("poa: an admitted node is listed twice", check="node-twice")
            if params.block_time < 1:
                raise InvalidGenesis("poa: block_time must be >= 1 second", check="poa-block-time")
        if not 0 <= params.block_reward <= 10**12:
            raise InvalidGenesis("block_reward must be in [0, 10**12]", check="reward", limit=10**12)

    @property
    def total_allocated(self) -> int:
        return sum(amount for _, amount in self.allocations)

    def to_json(self) -> dict[str, Any]:
        return {
            "chain_id": self.chain_id,
            "suite": self.suite,
            "timestamp": self.timestamp,
            "consensus": self.consensus.to_json(),
            "allocations": dict(self.allocations),
            "max_block_transactions": self.max_block_transactions,
        } | ({"block_gas_limit": self.block_gas_limit}
             if self.block_gas_limit != DEFAULT_BLOCK_GAS_LIMIT else {})

    def config_bytes(self) -> bytes:
        return tagged("genesis", self.to_json())

    @classmethod
    def from_json(cls, value: Any) -> Genesis:
        what = "genesis"
        obj = require_object(value, what, {"chain_id", "suite", "timestamp", "consensus",
                                           "allocations", "max_block_transactions"}, {"block_gas_limit"})
        allocations = obj["allocations"]
        if not isinstance(allocations, dict):
            raise MalformedData("genesis.allocations: expected an object {address: amount}")
        for address in allocations:
            require_int(allocations, address, "genesis.allocations", 1, MAX_SUPPLY)
        return cls(
            chain_id=require_str(obj, "chain_id", what, 64),
            suite=require_str(obj, "suite", what, 32),
            timestamp=require_int(obj, "timestamp", what),
            consensus=_consensus_from_json(obj["consensus"]),
            allocations=tuple(sorted(allocations.items())),
            max_block_transactions=require_int(obj, "max_block_transactions", what, 1, 100_000),
            block_gas_limit=(require_int(obj, "block_gas_limit", what, 0, MAX_BLOCK_GAS_LIMIT)
                             if "block_gas_limit" in obj else DEFAULT_BLOCK_GAS_LIMIT),
        )

    @classmethod
    def load(cls, path: str | Path) -> Genesis:
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise InvalidGenesis(f"cannot read genesis file {path}: {error.strerror}", check="file",
                                 path=str(path)) from None
        return cls.from_json(parse_json(data, "genesis"))


def _check_address(address: str, what: str) -> None:
    try:
        decode_address(address)
    except MalformedData as error:
        raise InvalidGenesis(f"{what}: {error}", check=f"{what}-address", address=address) from None


def _check_bft(params: BftParams) -> None:
    count = len(params.validators)
    if not params.MIN_VALIDATORS <= count <= params.MAX_VALIDATORS:
        raise InvalidGenesis(
            f"bft: {count} validators listed, expected {params.MIN_VALIDATORS} to {params.MAX_VALIDATORS} "
            "(n = 3f + 1 tolerates f faulty ones: 4 is the least that survives one)",
            check="bft-validators", amount=count, limit=params.MAX_VALIDATORS)
    for address in params.validators:
        _check_address(address, "validator")
    if len(set(params.validators)) != count:
        raise InvalidGenesis("bft: a validator is listed twice", check="validator-twice")
    for address in params.nodes:
        _check_address(address, "node")
    if len(set(params.nodes)) != len(params.nodes):
        raise InvalidGenesis("bft: an admitted node is listed twice", check="node-twice")
    timings = (params.block_time_ms, params.base_timeout_ms, params.timeout_delta_ms)
    if not (0 <= params.block_time_ms <= 60_000 and 1 <= params.base_timeout_ms <= 600_000
            and 0 <= params.timeout_delta_ms <= 600_000):
        raise InvalidGenesis(f"bft: block_time_ms, base_timeout_ms, timeout_delta_ms = {timings} out of "
                             "range (0..60000, 1..600000, 0..600000 milliseconds)", check="bft-timing")


def _consensus_from_json(value: Any) -> ConsensusParams:
    what = "genesis.consensus"
    if not isinstance(value, dict) or value.get("kind") not in ("pow", "poa", "bft"):
        raise MalformedData(f"{what}: expected an object with kind 'pow', 'poa' or 'bft'")
    if value["kind"] == "bft":
        return _bft_from_json(value)
    if value["kind"] == "pow":
        obj = require_object(value, what, {"kind", "difficulty_bits", "target_block_time",
                                           "retarget_window", "block_reward"})
        return PowParams(
            difficulty_bits=require_int(obj, "difficulty_bits", what, 0, 64),
            target_block_time=require_int(obj, "target_block_time", what, 1, 86_400),
            retarget_window=require_int(obj, "retarget_window", what, 2, 10_000),
            block_reward=require_int(obj, "block_reward", what, 0, 10**12),
        )
    obj = require_object(value, what, {"kind", "authorities", "block_time", "block_reward"}, {"nodes"})
    authorities, nodes = _signers_and_nodes(obj, "authorities", what)
    return PoaParams(
        authorities=authorities,
        nodes=nodes,
        block_time=require_int(obj, "block_time", what, 1, 86_400),
        block_reward=require_int(obj, "block_reward", what, 0, 10**12),
    )


def _signers_and_nodes(obj: dict[str, Any], signers: str,
                       what: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The addresses that sign blocks (PoA authorities, BFT validators) and the admitted node keys."""
    listed = require_list(obj, signers, what, 1000)
    nodes = require_list(obj, "nodes", what, 10_000) if "nodes" in obj else []
    for name, addresses in ((signers, listed), ("nodes", nodes)):
        if not all(isinstance(a, str) for a in addresses):
            raise MalformedData(f"{what}.{name}: expected a list of addresses")
    return tuple(listed), tuple(nodes)


def _bft_from_json(value: dict[str, Any]) -> BftParams:
    what = "genesis.consensus"
    obj = require_object(value, what, {"kind", "validators", "block_time_ms", "base_timeout_ms",
                                       "timeout_delta_ms", "block_reward"}, {"nodes"})
    validators, nodes = _signers_and_nodes(obj, "validators", what)
    return BftParams(
        validators=validators,
        nodes=nodes,
        block_time_ms=require_int(obj, "block_time_ms", what, 0, 60_000),
        base_timeout_ms=require_int(obj, "base_timeout_ms", what, 1, 600_000),
        timeout_delta_ms=require_int(obj, "timeout_delta_ms", what, 0, 600_000),
        block_reward=require_int(obj, "block_reward", what, 0, 10**12),
    )
