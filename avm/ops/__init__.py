"""Opcode semantics, one small function per opcode, grouped by category (one module each).

Each module exports ``OPS: dict[Op, OpFn]``; ``SEMANTICS`` merges them into the per-byte list the
machine dispatches on (None for an invalid opcode). Adding an opcode: its ``Op``/``OpInfo`` entry in
``avm.core.opcodes``, its function here in the module of its category (and, if it is hot, a fast path
in ``Machine.run``); tests check that every valid opcode has exactly one function.
"""

from __future__ import annotations

from avm.core.opcodes import Op
from avm.ops import arithmetic, buffers, control, crypto, stack, system, tuples
from avm.ops.common import OpFn

MODULES = (arithmetic, crypto, stack, control, tuples, system, buffers)


def _merge() -> list[OpFn | None]:
    table: list[OpFn | None] = [None] * 256
    for module in MODULES:
        for op, fn in module.OPS.items():
            if table[op] is not None:
                raise RuntimeError(f"opcode {op.name} is implemented twice")
            table[op] = fn
    missing = [op.name for op in Op if table[op] is None]
    if missing:
        raise RuntimeError(f"opcodes without semantics: {', '.join(missing)}")
    return table


#: opcode byte -> its function (None for the invalid opcodes).
SEMANTICS: list[OpFn | None] = _merge()
