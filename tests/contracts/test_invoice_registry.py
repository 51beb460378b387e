"""The capstone's e-invoice registry: issue, transfer, redeem once; events; refusals."""

from __future__ import annotations

import pytest
from contractkit import Contract, Sender, context, deploy, sender
from eth_hash.auto import keccak

from minichain.contracts.compiler import Artifact
from minichain.contracts.engine import EMPTY_ROOT, ContractEngine
from minichain.contracts.errors import Reverted

NUMBER = "044031900111-00012345"
CONTENT = "0x" + keccak("发票内容 invoice document".encode()).hex()
ISSUED, REDEEMED = 1, 2


def registry(engine: ContractEngine, samples: dict[str, Artifact]) -> tuple[
        Contract, bytes, Sender, Sender, Sender, Sender]:
    """Deployed by the tax authority, one admitted issuer, one invoice issued to a buyer."""
    authority, issuer = sender("tax-bureau", "sm3-sm2"), sender("shop", "sm3-sm2")
    buyer, employer = sender("buyer", "sm3-sm2"), sender("employer", "sm3-sm2")
    block = engine.begin(EMPTY_ROOT, context(1))
    contract, _ = deploy(block, samples["InvoiceRegistry"], authority, 0)
    admitted = contract.call(block, authority, "addIssuer", issuer.hex)
    assert contract.events(admitted) == [("IssuerAdded", {"issuer": issuer.hex})]
    issued = contract.call(block, issuer, "issue", NUMBER, buyer.hex, 12_800, CONTENT)
    assert issued.succeeded, issued.error_message
    invoice_id = "0x" + keccak(NUMBER.encode()).hex()
    assert contract.events(issued) == [("Issued", {
        "id": invoice_id, "number": NUMBER, "issuer": issuer.hex, "holder": buyer.hex,
        "amount": 12_800})]
    return contract, block.commit(), authority, issuer, buyer, employer


def test_issue_transfer_redeem(engine: ContractEngine, samples: dict[str, Artifact]) -> None:
    contract, root, _, issuer, buyer, employer = registry(engine, samples)
    assert contract.read(engine, root, "get", NUMBER) == [issuer.hex, buyer.hex, 12_800, CONTENT, ISSUED]
    block = engine.begin(root, context(2))
    moved = contract.call(block, buyer, "transfer", NUMBER, employer.hex)
    assert contract.events(moved)[0][1]["to"] == employer.hex
    redeemed = contract.call(block, employer, "redeem", NUMBER)
    assert contract.events(redeemed) == [("Redeemed", {
        "id": "0x" + keccak(NUMBER.encode()).hex(), "holder": employer.hex, "amount": 12_800})]
    after = block.commit()
    assert contract.read(engine, after, "get", NUMBER)[1:] == [employer.hex, 12_800, CONTENT, REDEEMED]
    assert contract.read(engine, after, "redeemedCount") == 1
    assert contract.read(engine, root, "get", NUMBER)[4] == ISSUED  # the old root is unchanged


def test_invalid_double_redemption_is_refused_with_its_reason(
        engine: ContractEngine, samples: dict[str, Artifact]) -> None:
    contract, root, _, _, buyer, _ = registry(engine, samples)
    block = engine.begin(root, context(2))
    contract.call(block, buyer, "redeem", NUMBER).raise_for_status()
    again = contract.call(block, buyer, "redeem", NUMBER)
    assert not again.succeeded and again.gas_used > 21_000  # refused, and paid for
    assert again.revert_reason == "invoice already redeemed"
    with pytest.raises(Reverted, match="invoice already redeemed") as caught:
        again.raise_for_status()
    assert caught.value.rule == "contract-revert"
    assert contract.read(engine, block.commit(), "redeemedCount") == 1


@pytest.mark.parametrize(("who", "action", "reason"), [
    ("buyer", ("issue", "INV-2", "buyer", 5, CONTENT), "not an admitted issuer"),
    ("issuer", ("issue", NUMBER, "buyer", 5, CONTENT), "invoice already issued"),
    ("issuer", ("issue", "", "buyer", 5, CONTENT), "invoice number must be 1 to 64 bytes"),
    ("issuer", ("issue", "INV-3", "buyer", 0, CONTENT), "amount must be positive"),
    ("employer", ("redeem", NUMBER), "only the holder may do this"),
    ("buyer", ("redeem", "INV-404"), "no such invoice"),
    ("buyer", ("transfer", NUMBER, "zero"), "transfer to the zero address"),
    ("issuer", ("addIssuer", "buyer"), "only the tax authority admits issuers"),
])
def test_invalid_registry_refusals(engine: ContractEngine, samples: dict[str, Artifact], who: str,
                                   action: tuple[object, ...], reason: str) -> None:
    contract, root, authority, issuer, buyer, employer = registry(engine, samples)
    people = {"issuer": issuer, "buyer": buyer, "employer": employer, "authority": authority}
    args = [people[a].hex if a in people else "0x" + "00" * 20 if a == "zero" else a
            for a in action[1:]]
    block = engine.begin(root, context(2))
    refused = contract.call(block, people[who], str(action[0]), *args)
    assert refused.revert_reason == reason
    assert block.state_root == root
