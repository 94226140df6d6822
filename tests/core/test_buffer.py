"""The persistent sparse Merkle buffer: hashing, canonical depth, cheap sparse writes, proof helpers."""

from __future__ import annotations

import json
import random
import tracemalloc
from pathlib import Path

from avm.core.buffer import ZERO_NODES, Buffer
from avm.core.keccak import ZERO_HASHES, keccak256
from avm.core.machine import Machine
from avm.formats.mexe import load_mexe

TOP = (1 << 64) - 1


def reference_root(data: bytes) -> bytes:
    """Straightforward Merkle root at the canonical depth (for cross-checking)."""
    end = len(data.rstrip(b"\x00"))
    chunks = max(1, (end + 31) // 32)
    depth = (chunks - 1).bit_length()
    padded = data[:end].ljust(32 << depth, b"\x00")
    level = [keccak256(padded[i:i + 32]) for i in range(0, len(padded), 32)]
    while len(level) > 1:
        level = [keccak256(level[i] + level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]


def test_empty_buffer_and_the_digest_example() -> None:
    empty = Buffer.empty()
    assert empty.root() == ZERO_HASHES[0]
    assert empty.hash().hex() == "c7475bc300e0a371cfa639ceb1e1d08802941c2df94c0ffe34929c5fed808638"
    b = empty.set(100, 0x7B)
    assert b.depth == 2 and b.data_length() == 101
    assert b.root().hex().startswith("516db103ec00faf8") and b.root().hex().endswith("80b3")


def test_random_writes_match_a_flat_model() -> None:
    rng = random.Random(7)
    for _ in range(40):
        flat = bytearray(600)
        buf = Buffer.empty()
        for _ in range(rng.randrange(1, 12)):
            off = rng.randrange(0, 590)
            data = bytes(rng.choice([0, 0, rng.randrange(256)]) for _ in range(rng.choice([1, 8, 32])))
            data = data[: len(flat) - off]
            flat[off:off + len(data)] = data
            buf = buf.set_bytes(off, data)
        assert buf.root() == reference_root(bytes(flat))
        assert buf.to_bytes() == bytes(flat).rstrip(b"\x00")
        assert Buffer.from_bytes(bytes(flat)).root() == buf.root()
        assert all(buf.get(i) == flat[i] for i in range(0, 600, 37))


def test_writing_zeros_shrinks_back_to_the_canonical_depth() -> None:
    b = Buffer.empty().set(5000, 1).set(3, 9)
    assert b.depth == 8
    b = b.set(5000, 0)
    assert b.depth == 0 and b.root() == reference_root(bytes([0, 0, 0, 9]))
    assert b.set(3, 0) is Buffer.empty()


def test_write_at_the_last_byte_is_cheap_in_memory() -> None:
    tracemalloc.start()
    b = Buffer.empty().set(TOP, 0xEE)
    b.hash()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 200_000
    assert b.depth == 59 and b.get(TOP) == 0xEE and b.get(TOP - 1) == 0
    assert b.data_length() == 1 << 64 and b.last_index() == TOP
    assert b.get_bytes(TOP - 1, 2) == b"\x00\xee"


def test_merkle_proof_recomputes_the_root() -> None:
    b = Buffer.empty().set(100, 0x7B).set(0, 1).set(77, 5)
    for loc in (0, 31, 32, 77, 100, 127, 131, 1 << 40):
        chunk, siblings = b.merkle_proof(loc)
        assert len(siblings) == b.depth
        index = (loc % b.capacity()) // 32
        h = keccak256(chunk)
        for level, sib in enumerate(siblings):
            h = keccak256(sib + h) if (index >> level) & 1 else keccak256(h + sib)
        assert h == b.root()
        assert b.proof_bytes(loc) == chunk + b"".join(siblings)
    depth, left, right = b.normalization()
    assert depth == 2 and keccak256(left + right) == b.root()
    assert Buffer.empty().normalization() == (0, ZERO_HASHES[0], bytes(32))
    assert ZERO_NODES[3].root() == ZERO_HASHES[3]


def _sizes_header(*sizes: int) -> bytes:
    acc, out = 1, [1]
    for size in sizes:
        acc += size // 32
        out.append(acc)
    return bytes(out) + bytes(27)


def _set_proof(buf: Buffer, loc: int, value: int, width: int) -> bytes:
    """The reference layout of a setbuffer BufferProof, built from the public helpers."""
    new = mid = buf
    aligned = True
    for i in range(width):
        if (loc + i) % 32 == 0 and i > 0:
            mid = new
            aligned = False
        new = new.set(loc + i, (value >> ((width - 1 - i) * 8)) & 0xFF)
    p1 = buf.proof_bytes(loc)
    if aligned:
        n1 = new.normalization_bytes()
        return _sizes_header(len(p1), len(n1), 0, 0) + p1 + n1
    n1, p2, n2 = mid.normalization_bytes(), mid.proof_bytes(loc + width - 1), new.normalization_bytes()
    return _sizes_header(len(p1), len(n1), len(p2), len(n2)) + p1 + n1 + p2 + n2


def test_helpers_reproduce_the_reference_buffer_proofs(conformance_dir: Path) -> None:
    checked = 0
    for name in ("buffer_test", "bytearraytest"):
        entries = json.loads((conformance_dir / "proofs" / f"{name}.mexe-proofs.json").read_text())
        m = Machine.from_program(load_mexe(conformance_dir / "executables" / f"{name}.mexe"))
        for entry in entries:
            want = bytes.fromhex(entry["BufferProof"][2:])
            cp = m.pc
            items = ([cp.imm] if cp.imm is not None else []) + list(reversed(m.stack))
            if want and cp.op == 0xA1:
                off, buf = items[0], items[1]
                p1 = buf.proof_bytes(off)
                assert _sizes_header(len(p1), 0, 0, 0) + p1 == want
                checked += 1
            elif want and cp.op in (0xA4, 0xA5, 0xA6):
                width = {0xA4: 1, 0xA5: 8, 0xA6: 32}[cp.op]
                assert _set_proof(items[2], items[0], items[1], width) == want
                checked += 1
            m.step()
    assert checked == 7
