"""What the opcode functions of ``avm.ops`` share: their signature, masks and operand checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from avm.core.values import CodePoint, Value

if TYPE_CHECKING:
    from avm.core.machine import Machine

MASK = (1 << 256) - 1
MAX64 = (1 << 64) - 1
NOT_INT = "operand is not an integer"

#: An opcode's semantics. Called with the immediate already pushed, the gas charged and ``m.pc``
#: already set to the next codepoint; operands are s0 = stack[-1], s1 = stack[-2], ... It returns None
#: (done), a str (an AVM error: it changed nothing) or event bits (``avm.core.status``).
OpFn = Callable[["Machine", CodePoint], str | int | None]


def ints(stack: list[Value], k: int) -> bool:
    """True when the top ``k`` stack items are all integers (the caller checked the depth)."""
    for i in range(1, k + 1):
        if type(stack[-i]) is not int:
            return False
    return True
