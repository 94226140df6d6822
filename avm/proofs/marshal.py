"""Proof-format marshaling (the reference ``marshalForProof`` / ``Marshaling.sol``) and its parser.

Tags: 0 int (32 bytes big-endian); 1 codepoint (imm flag, opcode, [imm], next hash); 2 tuple pre-image
(inner hash, size); 3+n tuple of n slots; 12 buffer (Merkle root, not the wrapped hash).

At marshal depth 0 a tuple is written as its pre-image; at depth d > 0 as its slots at depth d-1.
A codepoint is always written in full, its immediate at max(d-1, 0). Both directions are iterative.
"""

from __future__ import annotations

from avm.core.buffer import Buffer
from avm.core.values import (
    AnyValue,
    BufferRoot,
    CodePoint,
    HashPreImage,
    Tuple,
    Value,
    codepoint_stub,
    tuple_preimage,
    value_hash,
)
from avm.errors import UserError

TAG_INT = 0
TAG_CODEPOINT = 1
TAG_PREIMAGE = 2
TAG_TUPLE = 3
TAG_BUFFER = 12


def marshal_for_proof(v: Value, depth: int = 0) -> bytes:
    """The proof encoding of ``v`` at marshal depth ``depth``."""
    out: list[bytes] = []
    work: list = [(v, depth)]
    while work:
        item = work.pop()
        if type(item) is bytes:
            out.append(item)
            continue
        x, d = item
        t = type(x)
        if t is int:
            out.append(b"\x00" + x.to_bytes(32, "big"))
        elif t is Tuple:
            if d == 0:
                inner, size = tuple_preimage(x)
                out.append(b"\x02" + inner + size.to_bytes(32, "big"))
            else:
                out.append(bytes((TAG_TUPLE + len(x.items),)))
                child = d - 1
                for c in reversed(x.items):
                    work.append((c, child))
        elif t is CodePoint:
            nxt = x.next
            next_hash = bytes(32) if nxt is None else value_hash(nxt)
            if x.imm is None:
                out.append(bytes((TAG_CODEPOINT, 0, x.op & 0xFF)) + next_hash)
            else:
                out.append(bytes((TAG_CODEPOINT, 1, x.op & 0xFF)))
                work.append(next_hash)
                work.append((x.imm, d - 1 if d > 0 else 0))
        elif t is Buffer:
            out.append(b"\x0c" + x.root())
        elif t is HashPreImage:
            out.append(b"\x02" + x.inner + x.size.to_bytes(32, "big"))
        elif t is BufferRoot:
            out.append(b"\x0c" + x.root)
        else:
            raise TypeError(f"not an AVM value: {type(x).__name__}")
    return b"".join(out)


def parse_proof_value(data: bytes, pos: int = 0, source: str = "proof") -> tuple[AnyValue, int]:
    """Parse one proof-format value at ``pos``; returns (value, position after it).

    Tag 2 gives a ``HashPreImage``, tag 12 a ``BufferRoot``, a codepoint a ``CodePoint`` whose ``next``
    is a hash-only stub (``codepoint_stub``). Truncated or unknown data raises ``UserError``.
    """
    # frames: [kind, remaining, items, extra]; kind "t" tuple, "c" codepoint waiting for its immediate
    frames: list[list] = []
    n = len(data)

    def need(k: int) -> None:
        if pos + k > n:
            raise UserError(f"truncated value at byte {pos} (need {k} more bytes)", source)

    while True:
        need(1)
        tag = data[pos]
        start = pos
        pos += 1
        value: AnyValue | None = None
        if tag == TAG_INT:
            need(32)
            value = int.from_bytes(data[pos:pos + 32], "big")
            pos += 32
        elif tag == TAG_CODEPOINT:
            need(2)
            flag, op = data[pos], data[pos + 1]
            pos += 2
            if flag > 1:
                raise UserError(f"bad immediate flag {flag} in codepoint at byte {start}", source)
            if flag == 1:
                frames.append(["c", 1, [], op])
                continue
            need(32)
            value = CodePoint(op, None, codepoint_stub(bytes(data[pos:pos + 32])))
            pos += 32
        elif tag == TAG_PREIMAGE:
            need(64)
            value = HashPreImage(bytes(data[pos:pos + 32]), int.from_bytes(data[pos + 32:pos + 64], "big"))
            pos += 64
        elif TAG_TUPLE <= tag <= TAG_TUPLE + 8:
            count = tag - TAG_TUPLE
            if count:
                frames.append(["t", count, [], None])
                continue
            value = Tuple(())
        elif tag == TAG_BUFFER:
            need(32)
            value = BufferRoot(bytes(data[pos:pos + 32]))
            pos += 32
        else:
            raise UserError(f"unknown value tag {tag} at byte {start}", source)
        # fold finished values into their parents
        while frames:
            frame = frames[-1]
            frame[2].append(value)
            frame[1] -= 1
            if frame[1] > 0:
                break
            frames.pop()
            if frame[0] == "t":
                value = Tuple(tuple(frame[2]))
            else:
                need(32)
                value = CodePoint(frame[3], frame[2][0], codepoint_stub(bytes(data[pos:pos + 32])))
                pos += 32
        else:
            assert value is not None  # every branch above set it or continued
            return value, pos
        continue
