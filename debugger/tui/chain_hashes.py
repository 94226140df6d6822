"""The code as a hash chain: the keccak input of one codepoint, and the "what if" edit that changes one
instruction's opcode and recomputes every hash it affects (the codepoint chain screen shows both)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from avm.core.keccak import ZERO32, keccak256
from avm.core.values import CodePoint, Tuple, value_hash
from debugger.engine.display import mnemonic


def preimage_parts(cp: CodePoint) -> list[tuple[str, bytes]]:
    """The keccak input of a codepoint hash, part by part: 0x01, opcode, [hash(imm)], next hash."""
    parts = [("tag 0x01 = codepoint", b"\x01"), (f"opcode ({mnemonic(cp.op)})", bytes((cp.op,)))]
    if cp.imm is not None:
        parts.append(("hash(immediate)", value_hash(cp.imm)))
    parts.append(("next hash" + (" (error codepoint: zero)" if cp.next is None else ""),
                  ZERO32 if cp.next is None else value_hash(cp.next)))
    return parts


def recompute_hash(cp: CodePoint) -> bytes:
    """keccak256 of :func:`preimage_parts`: the hash computed from scratch, for display."""
    return keccak256(b"".join(part for _, part in preimage_parts(cp)))


def target_index(imm: Any) -> int | None:
    return imm.index if type(imm) is CodePoint and imm.next is not None and imm.index >= 0 else None


def _substitute(value: Any, replaced: dict[int, CodePoint]) -> Any:
    """``value`` with every program codepoint in ``replaced`` (by listing index) swapped for its new
    version; tuples on the way are rebuilt, everything else is shared. Iterative."""
    if type(value) is CodePoint:
        return replaced.get(value.index, value) if value.index >= 0 else value
    if type(value) is not Tuple:
        return value
    done: dict[int, Any] = {}
    work: list[Any] = [value]
    while work:
        t = work[-1]
        if id(t) in done:
            work.pop()
            continue
        pending = [c for c in t.items if type(c) is Tuple and id(c) not in done]
        if pending:
            work.extend(pending)
            continue
        work.pop()
        new_items = []
        for c in t.items:
            if type(c) is Tuple:
                new_items.append(done[id(c)])
            elif type(c) is CodePoint and c.index >= 0:
                new_items.append(replaced.get(c.index, c))
            else:
                new_items.append(c)
        same = all(a is b for a, b in zip(new_items, t.items, strict=True))
        done[id(t)] = t if same else Tuple(tuple(new_items))
    return done[id(value)]


@dataclass
class WhatIf:
    """The chain after replacing the opcode of instruction ``index`` by ``new_op``."""

    index: int
    new_op: int
    codepoints: dict[int, CodePoint]  # listing index -> rebuilt codepoint, for every one that changed
    hashes: dict[int, bytes]        # listing index -> new hash of those
    entry_before: bytes
    entry_after: bytes


def what_if(program: Any, index: int, new_op: int) -> WhatIf:
    """Rebuild codepoints ``index`` down to 0 with the changed opcode and report their new hashes.

    Codepoints after ``index`` are shared unchanged; an immediate naming a rebuilt codepoint is
    rebuilt too (immediates only name later instructions, so one backward pass is enough).
    """
    code = program.code
    if not 0 <= index < len(code):
        raise IndexError(index)
    replaced: dict[int, CodePoint] = {}
    for j in range(index, -1, -1):
        old = code[j]
        op = new_op if j == index else old.op
        nxt = replaced.get(j + 1, old.next)
        imm = _substitute(old.imm, replaced) if old.imm is not None else None
        replaced[j] = CodePoint(op, imm, nxt, j)
    hashes = {j: value_hash(cp) for j, cp in replaced.items()}
    return WhatIf(index, new_op, replaced, hashes, value_hash(code[0]), hashes[0])
