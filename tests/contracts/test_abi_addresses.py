"""ABI encoding against the specification's own examples; EVM addresses against known answers."""

from __future__ import annotations

import pytest
from eth_abi.abi import encode

from minichain.contracts.abi import ContractAbi, decode_revert, selector, signature
from minichain.contracts.addresses import (
    contract_address,
    evm_address,
    evm_chain_id,
    parse_hex_address,
    to_hex_address,
)
from minichain.contracts.errors import AbiError, BadArguments, UnknownFunction
from minichain.crypto import get_suite
from minichain.errors import InvalidAddress, InvalidKey

# The "Examples" section of the Solidity ABI specification.
SPEC_ABI = [
    {"type": "function", "name": "baz", "stateMutability": "pure",
     "inputs": [{"name": "x", "type": "uint32"}, {"name": "y", "type": "bool"}],
     "outputs": [{"name": "r", "type": "bool"}]},
    {"type": "function", "name": "bar", "stateMutability": "pure",
     "inputs": [{"name": "", "type": "bytes3[2]"}], "outputs": []},
    {"type": "function", "name": "sam", "stateMutability": "pure",
     "inputs": [{"name": "", "type": "bytes"}, {"name": "", "type": "bool"},
                {"name": "", "type": "uint256[]"}], "outputs": []},
    {"type": "function", "name": "f", "stateMutability": "nonpayable",
     "inputs": [{"name": "a", "type": "uint256"}], "outputs": []},
    {"type": "function", "name": "f", "stateMutability": "nonpayable",
     "inputs": [{"name": "a", "type": "uint256"}, {"name": "b", "type": "uint256"}], "outputs": []},
    {"type": "function", "name": "point", "stateMutability": "view", "inputs": [],
     "outputs": [{"name": "p", "type": "tuple", "components": [
         {"name": "x", "type": "int8"}, {"name": "who", "type": "address"}]}]},
    {"type": "error", "name": "TooLate", "inputs": [{"name": "deadline", "type": "uint64"}]},
]


def test_the_specifications_examples() -> None:
    abi = ContractAbi(SPEC_ABI)
    assert abi.encode_call("baz", [69, True]).hex() == (
        "cdcd77c0"
        "0000000000000000000000000000000000000000000000000000000000000045"
        "0000000000000000000000000000000000000000000000000000000000000001")
    assert abi.encode_call("bar", [["0x616263", "0x646566"]]).hex() == (
        "fce353f6"
        "6162630000000000000000000000000000000000000000000000000000000000"
        "6465660000000000000000000000000000000000000000000000000000000000")
    assert abi.encode_call("sam", ["0x64617665", True, [1, 2, 3]]).hex().startswith("a5643bf2")
    assert selector(SPEC_ABI[0]).hex() == "cdcd77c0" and signature(SPEC_ABI[1]) == "bar(bytes3[2])"
    assert abi.is_view("baz") and not abi.is_view("f", 1)


def test_json_arguments_and_results() -> None:
    abi = ContractAbi(SPEC_ABI)
    assert abi.encode_call("baz", ["69", True]) == abi.encode_call("baz", [69, True])  # decimal text
    assert abi.encode_call("f", ["0x10"]) == abi.encode_call("f(uint256)", [16])  # hex text
    who = "0x" + "ab" * 20
    output = encode(["(int8,address)"], [(-3, who)])
    assert abi.decode_output("point", output) == [[-3, to_hex_address(bytes.fromhex("ab" * 20))]]


@pytest.mark.parametrize(("fn", "args", "message"), [
    ("baz", [2**32, True], "uint32"),
    ("baz", [1, 1], r"argument 2 \(y: bool\): expected true or false"),
    ("baz", [True, True], "expected an integer"),
    ("bar", [["0x6162", "0x646566"]], r"\[0\]: expected exactly 3 bytes, found 2"),
    ("bar", [["0x616263"]], "expected 2 items, found 1"),
    ("sam", ["dave", True, []], "expected 0x-prefixed hex bytes"),
    ("sam", ["0x00", True, "1,2"], "expected a JSON list"),
    ("baz", {"x": 1}, "arguments are a JSON list, found dict"),
    ("baz", 7, "arguments are a JSON list, found int"),
    ("baz", [1], "takes 2 argument"),
])
def test_invalid_arguments(fn: str, args: list[object], message: str) -> None:
    with pytest.raises(BadArguments, match=message) as caught:
        ContractAbi(SPEC_ABI).encode_call(fn, args)
    assert caught.value.rule == "contract-args"


def test_invalid_function_names() -> None:
    abi = ContractAbi(SPEC_ABI)
    with pytest.raises(UnknownFunction, match="'f' is overloaded; name one by signature"):
        abi.function("f")
    assert abi.function("f", 2)["inputs"][1]["name"] == "b"
    with pytest.raises(UnknownFunction, match=r"no function 'f\(bool\)'"):
        abi.encode_call("f(bool)", [True])
    with pytest.raises(AbiError, match="do not decode"):
        abi.decode_output("baz", b"\x01")


def test_revert_reasons() -> None:
    error = bytes.fromhex("08c379a0") + encode(["string"], ["余额不足 not enough"])
    assert decode_revert(error) == "余额不足 not enough"
    assert decode_revert(bytes.fromhex("4e487b71") + encode(["uint256"], [0x11])) == (
        "Panic(0x11): arithmetic overflow or underflow")
    assert decode_revert(b"") == "reverted without a reason"
    custom = selector(SPEC_ABI[-1]) + encode(["uint64"], [1_700_000_000])
    assert decode_revert(custom).startswith(f"custom error 0x{custom[:4].hex()}")
    assert ContractAbi(SPEC_ABI).decode_revert(custom) == "TooLate(deadline=1700000000)"
    assert decode_revert(bytes.fromhex("08c379a0") + b"\x00") .startswith("custom error")  # garbled


# --- addresses ----------------------------------------------------------------------------------


def test_secp256k1_keys_have_their_ethereum_address() -> None:
    # Private key 1: its Ethereum address is the well-known 0x7E5F...5Bdf.
    suite = get_suite("sha256-secp256k1")
    public_key = suite.public_key((1).to_bytes(32, "big"))
    assert to_hex_address(evm_address(suite.name, public_key)) == "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"


@pytest.mark.parametrize("suite_name", ["sha256-ed25519", "sha256-secp256k1", "sm3-sm2"])
def test_every_suite_gives_a_stable_20_byte_address(suite_name: str) -> None:
    from eth_hash.auto import keccak

    suite = get_suite(suite_name)
    public_key = suite.public_key(suite.private_key_from_seed(b"someone"))
    address = evm_address(suite_name, public_key)
    assert len(address) == 20 and address == evm_address(suite_name, public_key)
    if suite_name != "sha256-secp256k1":  # these hash the stored key bytes as they are
        assert address == keccak(public_key)[-20:]
    with pytest.raises(InvalidKey, match="a public key is"):
        evm_address(suite_name, public_key[:-1])


def test_contract_addresses_follow_create() -> None:
    # The example everyone quotes for CREATE: this sender's first contracts.
    sender = parse_hex_address("0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0")
    assert to_hex_address(contract_address(sender, 0)).lower() == "0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d"
    assert to_hex_address(contract_address(sender, 1)).lower() == "0x343c43a37d37dff08ae8c4a11544c718abb4fcf8"


def test_eip55_checksums() -> None:
    text = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"  # EIP-55's own example
    assert to_hex_address(parse_hex_address(text)) == text
    assert parse_hex_address(text.lower()) == parse_hex_address(text)
    with pytest.raises(InvalidAddress, match=r"EIP-55 checksum .* is wrong; expected 0x5aAeb"):
        parse_hex_address(text.replace("a", "A", 1))
    for bad in ("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0x1234", "0x" + "zz" * 20, 42):
        with pytest.raises(InvalidAddress):
            parse_hex_address(bad)  # type: ignore[arg-type]


def test_chain_ids_are_distinct_numbers() -> None:
    assert evm_chain_id("minichain-dev") != evm_chain_id("minichain-test")
    assert 0 < evm_chain_id("minichain-dev") < 2**64
