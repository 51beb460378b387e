"""Every rule can be said in English and Chinese: each error raised in minichain/ carries the facts its
sentence needs (checked on the source of every raise site), every sentence renders with no leftover
placeholder, and the Chinese ones hold no English word except codes (rule ids, hashes, addresses)."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
import string
from pathlib import Path

import pytest

from minichain import errors
from minichain.chain import Chain
from minichain.errors import (
    AlreadyKnown,
    BlockTransactionInvalid,
    InvalidSignature,
    MinichainError,
    NonceMismatch,
)
from minichain.explain import SUMMARIES, TEMPLATES, explain
from minichain.export import replay
from minichain.mempool import Mempool
from minichain.net.load import NodeError
from minichain.testing import make_chain, make_genesis, make_wallet, produce_block
from minichain.validation import validate_transaction

PACKAGE = Path(errors.__file__).parent.parent
ADDRESS = make_wallet(0).address
ERROR_CLASSES = {
    name: cls for name, cls in vars(errors).items()
    if isinstance(cls, type) and issubclass(cls, MinichainError)
}
DERIVED = {"ordinal": "index", "target_hex": "target", "cause": None}  # values explain() computes


@dataclasses.dataclass(frozen=True)
class RaiseSite:
    where: str  # file:line
    cls: type[MinichainError]
    keywords: frozenset[str]
    checks: tuple[str, ...]  # the checks this site can name


def possible_checks(node: ast.expr | None, cls: type[MinichainError]) -> tuple[str, ...]:
    """"used" gives ("used",); "used" if ... else "gap" both; f"{what}-address" the checks it can
    spell; anything else (check=error.check) any of the class's checks."""
    if isinstance(node, ast.Constant):
        return (node.value,)
    if isinstance(node, ast.IfExp):
        return possible_checks(node.body, cls) + possible_checks(node.orelse, cls)
    if isinstance(node, ast.JoinedStr):
        pattern = "".join(re.escape(p.value) if isinstance(p, ast.Constant) else ".+" for p in node.values)
        return tuple(c for c in cls.checks if re.fullmatch(pattern, c))
    return cls.checks


def raise_sites() -> list[RaiseSite]:
    sites = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
                    and isinstance(node.exc.func, ast.Name) and node.exc.func.id in ERROR_CLASSES):
                continue
            keywords = {k.arg: k.value for k in node.exc.keywords if k.arg}
            cls = ERROR_CLASSES[node.exc.func.id]
            if cls is BlockTransactionInvalid and len(node.exc.args) == 3:
                keywords["index"] = node.exc.args[2]  # (message, cause, index)
            checks = possible_checks(keywords.get("check"), cls) if cls.checks else ()
            sites.append(RaiseSite(f"{path.relative_to(PACKAGE)}:{node.lineno}", cls,
                                   frozenset(keywords), checks))
    return sites


SITES = raise_sites()


def sentence_keys(site: RaiseSite) -> list[str]:
    if site.cls.checks:
        assert site.checks and set(site.checks) <= set(site.cls.checks), site
        return [f"{site.cls.rule}/{check}" for check in site.checks]
    return [site.cls.rule]


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_the_source_has_raise_sites_for_every_kind_of_rule() -> None:
    raised = {site.cls for site in SITES}
    assert len(SITES) > 100 and errors.NonceMismatch in raised and errors.WrongTurn in raised


@pytest.mark.parametrize("site", [s for s in SITES if s.cls.fact_names() != ("check",)],
                         ids=lambda s: f"{s.cls.__name__}@{s.where}")
def test_every_raise_site_gives_the_facts_its_sentence_needs(site: RaiseSite) -> None:
    assert site.keywords <= set(site.cls.fact_names()), site.where
    if site.cls.checks:
        assert "check" in site.keywords, f"{site.where}: which check of {site.cls.rule} failed?"
    for key in sentence_keys(site):
        assert key in TEMPLATES, f"{site.where}: no sentence for {key}"
        for language in TEMPLATES[key]:
            needed = {DERIVED.get(name, name) for name in placeholders(language)} - {None}
            assert needed <= site.keywords, f"{site.where}: {key} needs {sorted(needed - site.keywords)}"


def test_every_rule_has_a_summary_in_both_languages() -> None:
    classes = {cls for cls in ERROR_CLASSES.values()}
    for path in PACKAGE.rglob("*.py"):  # errors defined next to their use (cli, http, launcher...)
        for match in re.finditer(r'^\s+rule = "([a-z0-9-]+)"', path.read_text(), re.M):
            assert match.group(1) in SUMMARIES, f"{path.name}: rule {match.group(1)} has no summary"
    for cls in classes:
        assert cls.rule in SUMMARIES, cls
    for key in TEMPLATES:
        assert key.split("/")[0] in SUMMARIES, key


def sample_fact(cls: type[MinichainError], name: str) -> object:
    """A value of the declared type, looking like what a raise site passes."""
    annotation = next(vars(k)["__annotations__"][name] for k in cls.__mro__
                      if name in vars(k).get("__annotations__", {}))
    if "bytes" in annotation:
        return bytes(range(32))
    if "int" in annotation:
        return 2**240 if name == "target" else 7
    return {"status": "side", "earlier_rule": "tx-signature", "path": "/srv/genesis.json",
            "expected": "sha256-ed25519", "found": "sm3-sm2"}.get(name, ADDRESS)


def sample_errors() -> list[tuple[str, MinichainError]]:
    samples: list[tuple[str, MinichainError]] = []
    for key in TEMPLATES:
        rule, _, check = key.partition("/")
        if rule == "block-tx":
            cause = NonceMismatch("MESSAGE", check="used", txid=bytes(32), sender=ADDRESS,
                                  expected=2, found=1)
            samples.append((key, BlockTransactionInvalid("MESSAGE", cause, 0, height=3)))
            continue
        cls = next(c for c in ERROR_CLASSES.values() if c.rule == rule and (not check or check in c.checks))
        facts = {name: sample_fact(cls, name) for name in cls.fact_names() if name != "check"}
        if check:
            facts["check"] = check
        samples.append((key, cls("MESSAGE", **facts)))  # type: ignore[arg-type]
    return samples


ALLOWED_CODES = re.compile(
    r"^(?:[0-9a-f]{6,}|0x[0-9a-f]+|M[1-9A-HJ-NP-Za-km-z]{25,40}"  # hashes, targets, addresses
    r"|sha256-ed25519|sha256-secp256k1|sm3-sm2|SHA-256|SM3|SM2|minichain"
    r"|Solidity|EVM|ABI)$")  # and the names of standards
RULE_IDS = {key.split("/")[0] for key in TEMPLATES} | set(SUMMARIES)
HYPHENATED_RULE_IDS = {rule for rule in RULE_IDS if "-" in rule}  # codes wherever they stand


def english_words(text: str) -> list[str]:
    """Latin-letter words in `text` that are not codes (rule ids, hashes, addresses, suites)."""
    text = re.sub(r"(?:/[\w.\-]+)+", " ", text)  # file paths
    text = re.sub(r"规则 [a-z0-9-]+", " ", text)  # "rule <id>": a rule id, even one like "block"
    words = re.findall(r"[A-Za-z0-9][A-Za-z0-9_.\-]*[A-Za-z0-9]|[A-Za-z]", text)
    return [w for w in words
            if re.search("[A-Za-z]", w) and w not in HYPHENATED_RULE_IDS and not ALLOWED_CODES.match(w)]


@pytest.mark.parametrize(("key", "error"), sample_errors(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_sentence_renders_in_both_languages(key: str, error: MinichainError) -> None:
    for language in ("en", "zh-CN"):
        text = explain(error, language)
        assert "MESSAGE" not in text and text != SUMMARIES[error.rule][language == "zh-CN"], (key, text)
        assert not re.search(r"[{}]|None", text), (key, text)
    chinese = explain(error, "zh-CN")
    assert re.search(r"[\u4e00-\u9fff]", chinese) and not english_words(chinese), (key, chinese)


def test_chinese_summaries_hold_no_english_word() -> None:
    for rule, (english, chinese) in SUMMARIES.items():
        assert english and not english_words(chinese), (rule, chinese)


def test_an_error_without_facts_gets_its_rule_summary_or_a_sentence_naming_an_unknown_rule() -> None:
    remote = NodeError("HTTP 400: tx 614f8f33: nonce 0 is already used")
    remote.rule = "tx-nonce"  # how net/load.py rebuilds a node's refusal: the rule, no facts
    assert explain(remote, "zh-CN") == SUMMARIES["tx-nonce"][1]
    assert explain(remote, "en") == str(remote)
    stranger = MinichainError("something odd")
    stranger.rule = "rule-from-the-future"
    assert explain(stranger, "zh-CN") == "操作被拒绝（规则 rule-from-the-future）"
    assert explain(stranger, "en") == "something odd"


def test_a_hostile_fact_is_shown_as_given_never_interpreted() -> None:
    error = errors.WrongChain("x", txid=bytes(32), expected="demo",
                              found="{txid} " + "x" * 500)
    text = explain(error, "zh-CN")
    assert "{txid}" in text and len(text) < 200


# --- real errors, raised by the real rules ------------------------------------------------------


def test_a_tampered_transaction_is_explained_with_its_txid_and_sender() -> None:
    genesis = make_genesis("pow", difficulty_bits=4)
    alice, bob = make_wallet(0), make_wallet(1)
    signed = alice.transfer(genesis.chain_id, bob.address, 25, 0, fee=1)
    forged = dataclasses.replace(signed, amount=999)
    with pytest.raises(InvalidSignature) as caught:
        validate_transaction(forged, genesis)
    zh = explain(caught.value, "zh-CN")
    assert zh.startswith(f"交易 {forged.txid.hex()[:8]}：签名无法用发送方 {alice.address} 的公钥验证")
    assert explain(caught.value, "en").startswith(str(caught.value)[:40])


def test_a_replay_after_commit_is_explained_by_the_nonce_rule_and_a_pool_copy_as_known() -> None:
    genesis = make_genesis("pow", difficulty_bits=4)
    alice, bob = make_wallet(0), make_wallet(1)
    chain, pool = Chain(genesis), Mempool(genesis)
    payment = alice.transfer(genesis.chain_id, bob.address, 25, 0, fee=1)
    pool.add(payment, chain.state)
    with pytest.raises(AlreadyKnown) as known:
        pool.add(payment, chain.state)
    assert explain(known.value, "zh-CN") == f"交易 {payment.txid.hex()[:8]} 已经在交易池中了"
    pool.on_chain_update(produce_block(chain, [payment]), chain.state)
    with pytest.raises(NonceMismatch) as replayed:
        pool.add(payment, chain.state)
    assert replayed.value.facts() | {"txid": None} == {"check": "used", "txid": None, "sender": alice.address,
                                                       "expected": 1, "found": 0}
    assert "交易序号 0 已经用过了" in explain(replayed.value, "zh-CN")


def test_an_edited_block_is_explained_with_its_height_and_both_roots() -> None:
    chain = make_chain(3, "pow", transfers_per_block=1)
    blocks = list(chain.main_chain())
    tx = blocks[2].transactions[0]
    blocks[2] = dataclasses.replace(blocks[2], transactions=(dataclasses.replace(tx, memo="伪造"),))
    with pytest.raises(errors.MerkleRootMismatch) as caught:
        replay(chain.genesis, blocks)
    assert caught.value.height == 2 and caught.value.count == 1
    assert explain(caught.value, "zh-CN").startswith(
        f"区块 2：区块头中的默克尔根是 {blocks[2].header.merkle_root.hex()[:8]}，而它的 1 笔交易算出的")


def test_a_bad_transaction_inside_a_block_is_explained_in_its_frame() -> None:
    genesis = make_genesis("pow", difficulty_bits=4)
    chain = Chain(genesis)
    alice, bob = make_wallet(0), make_wallet(1)
    produce_block(chain, [alice.transfer(genesis.chain_id, bob.address, 5, 0, fee=1)])
    template, _ = chain.build_block([], alice.address, chain.tip.timestamp + 10)
    stale = alice.transfer(genesis.chain_id, bob.address, 5, 0, fee=1, memo="again")
    bad_block = dataclasses.replace(template, transactions=(stale,))
    with pytest.raises(BlockTransactionInvalid) as caught:
        chain.state.copy().apply_block(bad_block.transactions, alice.address, 0, height=2)
    assert caught.value.rule == "tx-nonce"
    assert explain(caught.value, "zh-CN").startswith("区块 2 的第 1 笔交易：交易 ")
    assert inspect.signature(explain).parameters.keys() == {"error", "lang"}
