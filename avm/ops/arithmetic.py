"""Arithmetic, comparison and bitwise opcodes (add .. sar, eq, iszero, not) and ethhash2."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from avm.core import arith
from avm.core.opcodes import Op
from avm.core.values import CodePoint, values_equal
from avm.ops.common import MASK, NOT_INT, OpFn, ints

if TYPE_CHECKING:
    from avm.core.machine import Machine


def _binary(fn: Callable[[int, int], int]) -> OpFn:
    def op(m: Machine, cp: CodePoint) -> str | None:
        s = m.stack
        a = s[-1]
        b = s[-2]
        if type(a) is not int or type(b) is not int:
            return NOT_INT
        s.pop()
        s[-1] = fn(a, b)
        return None

    return op


def _divlike(fn: Callable[[int, int], int]) -> OpFn:
    def op(m: Machine, cp: CodePoint) -> str | None:
        s = m.stack
        a = s[-1]
        b = s[-2]
        if type(a) is not int or type(b) is not int:
            return NOT_INT
        if b == 0:
            return "division by zero"
        s.pop()
        s[-1] = fn(a, b)
        return None

    return op


def _modop(fn: Callable[[int, int, int], int]) -> OpFn:
    def op(m: Machine, cp: CodePoint) -> str | None:
        s = m.stack
        if not ints(s, 3):
            return NOT_INT
        a, b, c = s[-1], s[-2], s[-3]
        if c == 0:
            return "division by zero"
        del s[-2:]
        s[-1] = fn(a, b, c)  # type: ignore[arg-type]
        return None

    return op


def _unary(fn: Callable[[int], int]) -> OpFn:
    def op(m: Machine, cp: CodePoint) -> str | None:
        s = m.stack
        a = s[-1]
        if type(a) is not int:
            return NOT_INT
        s[-1] = fn(a)
        return None

    return op


def _op_eq(m: Machine, cp: CodePoint) -> None:
    s = m.stack
    a = s.pop()
    s[-1] = 1 if values_equal(a, s[-1]) else 0


OPS: dict[Op, OpFn] = {
    Op.ADD: _binary(lambda a, b: (a + b) & MASK),
    Op.MUL: _binary(lambda a, b: (a * b) & MASK),
    Op.SUB: _binary(lambda a, b: (a - b) & MASK),
    Op.DIV: _divlike(lambda a, b: a // b),
    Op.SDIV: _divlike(arith.sdiv),
    Op.MOD: _divlike(lambda a, b: a % b),
    Op.SMOD: _divlike(arith.smod),
    Op.ADDMOD: _modop(lambda a, b, c: (a + b) % c),
    Op.MULMOD: _modop(lambda a, b, c: (a * b) % c),
    Op.EXP: _binary(arith.exp),
    Op.SIGNEXTEND: _binary(arith.signextend),
    Op.LT: _binary(lambda a, b: 1 if a < b else 0),
    Op.GT: _binary(lambda a, b: 1 if a > b else 0),
    Op.SLT: _binary(arith.slt),
    Op.SGT: _binary(arith.sgt),
    Op.EQ: _op_eq,
    Op.ISZERO: _unary(lambda a: 0 if a else 1),
    Op.AND: _binary(lambda a, b: a & b),
    Op.OR: _binary(lambda a, b: a | b),
    Op.XOR: _binary(lambda a, b: a ^ b),
    Op.NOT: _unary(lambda a: a ^ MASK),
    Op.BYTE: _binary(arith.byte_of),
    Op.SHL: _binary(arith.shl),
    Op.SHR: _binary(arith.shr),
    Op.SAR: _binary(arith.sar),
    Op.ETHHASH2: _binary(arith.ethhash2),
}
