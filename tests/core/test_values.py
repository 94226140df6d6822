"""Value hashing, proof marshaling (and its parser), sizes, equality and one-line summaries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from avm.core.buffer import Buffer
from avm.core.keccak import EMPTY_BUFFER_HASH, EMPTY_TUPLE_HASH, EMPTY_TUPLE_INNER, ERRCP, ZERO_HASHES
from avm.core.summary import summarize
from avm.core.values import (
    NONE,
    BufferRoot,
    CodePoint,
    HashPreImage,
    Tuple,
    error_codepoint,
    tuple_preimage,
    type_code,
    value_hash,
    value_size,
    values_equal,
)
from avm.errors import UserError
from avm.proofs.marshal import marshal_for_proof, parse_proof_value


def test_constants() -> None:
    assert ERRCP.hex() == "b4c00615f95dc249934075fcc669947596baf6e070ac80a59f79dae98aa932f0"
    assert EMPTY_TUPLE_INNER.hex() == "bc36789e7a1e281436464229828f817d6612f7b477d66591ff96a9e064bcc98a"
    assert EMPTY_TUPLE_HASH.hex() == "5dfd744753c13a6de9cf0e9e3d0164cdf0b1bbdb5efb3660a684d46477176058"
    assert ZERO_HASHES[1].hex() == "633dc4d7da7256660a892f8f1604a44b5432649cc8ec5cb3ced4c4e6ac94dd1d"
    assert len(ZERO_HASHES) == 65
    assert EMPTY_BUFFER_HASH == Buffer.empty().hash()
    assert value_hash(NONE) == EMPTY_TUPLE_HASH
    assert value_hash(error_codepoint()) == ERRCP


def test_every_value_hash_case(conformance_dir: Path) -> None:
    cases = json.loads((conformance_dir / "value_hash_cases.json").read_text())
    assert len(cases) >= 15
    for case in cases:
        data = bytes.fromhex(case["value"])
        value, end = parse_proof_value(data)
        assert end == len(data), case["name"]
        assert value_hash(value).hex() == case["hash"], case["name"]
        assert isinstance(value, CodePoint) == case["is_codepoint"]
        # marshaling at a depth deep enough to expand every tuple reproduces the bytes
        assert marshal_for_proof(value, 8) == bytes.fromhex(case["proof_value"]), case["name"]


def test_marshal_depths() -> None:
    t = Tuple((1, Tuple((2,)), Buffer.empty()))
    inner, size = tuple_preimage(t)
    assert marshal_for_proof(t, 0) == b"\x02" + inner + size.to_bytes(32, "big")
    one = marshal_for_proof(t, 1)
    assert one[0] == 3 + 3 and one[34] == 2 and one.endswith(b"\x0c" + ZERO_HASHES[0])
    parsed, _ = parse_proof_value(one)
    assert isinstance(parsed.items[1], HashPreImage) and isinstance(parsed.items[2], BufferRoot)
    assert value_hash(parsed) == value_hash(t) and value_size(parsed) == value_size(t) == 5
    cp = CodePoint(0x3B, Tuple((7,)), error_codepoint())
    assert marshal_for_proof(cp, 0)[:4] == bytes((1, 1, 0x3B, 2))   # immediate at max(d-1, 0)
    assert marshal_for_proof(cp, 2)[:4] == bytes((1, 1, 0x3B, 4))
    assert value_hash(parse_proof_value(marshal_for_proof(cp, 0))[0]) == value_hash(cp)


def test_parser_rejects_bad_bytes() -> None:
    for bad in (b"", b"\x00\x01", b"\x0d", b"\x04", b"\x01\x05\x01" + bytes(32)):
        with pytest.raises(UserError):
            parse_proof_value(bad)


def test_sizes_types_and_equality() -> None:
    t = Tuple((1, Tuple((2, 3)), NONE))
    assert t.size == value_size(t) == 1 + 1 + 3 + 1
    assert [type_code(v) for v in (5, error_codepoint(), t, Buffer.empty())] == [0, 1, 3, 12]
    assert values_equal(Tuple((1, 2)), Tuple((1, 2)))
    assert not values_equal(Tuple((1, 2)), Tuple((2, 1)))
    assert not values_equal(1, NONE) and not values_equal(NONE, Buffer.empty())
    assert values_equal(Buffer.empty().set(3, 1), Buffer.from_bytes(b"\x00\x00\x00\x01"))
    assert values_equal(error_codepoint(), error_codepoint())
    pre = HashPreImage(*tuple_preimage(t))
    assert values_equal(pre, t) and type_code(pre) == 3


def _deep(n: int) -> Tuple:
    v: object = 5
    for _ in range(n):
        v = Tuple((v,))
    return v  # type: ignore[return-value]


def test_a_100000_deep_tuple_hashes_marshals_and_summarizes() -> None:
    deep = _deep(100_000)
    assert deep.size == 100_001
    assert len(value_hash(deep)) == 32
    data = marshal_for_proof(deep, 200_000)
    assert len(data) == 100_000 + 33
    parsed, end = parse_proof_value(data)
    assert end == len(data) and value_hash(parsed) == value_hash(deep)
    assert len(summarize(deep)) <= 72
    chain = error_codepoint()
    for _ in range(100_000):
        chain = CodePoint(0x3B, None, chain)
    assert len(value_hash(chain)) == 32


def test_summaries_are_one_bounded_line() -> None:
    assert summarize(42) == "42 (0x2a)"
    assert "-1" in summarize((1 << 256) - 1)
    assert summarize(NONE) == "() none"
    wide = Tuple(tuple(Tuple((i,)) for i in range(8)))
    assert summarize(wide).startswith("(8) [")
    assert len(summarize(wide, width=30)) <= 30
    assert summarize(Buffer.empty().set(9, 1)) == "buffer length 10"
    code = CodePoint(0x3B, None, error_codepoint(), index=3)
    assert summarize(code, {3: "loop"}) == "codepoint @3 loop"
    assert summarize(error_codepoint()) == "codepoint @err"
    assert summarize(CodePoint(1, None, code)) == "codepoint @rt:add"
    for v in (1 << 255, wide, code, Buffer.empty()):
        assert "\n" not in summarize(v)
