"""Data stack, aux stack, register and static opcodes: pop, spush, rpush, rset, dup*, swap*, aux*."""

from __future__ import annotations

from typing import TYPE_CHECKING

from avm.core.opcodes import Op
from avm.core.values import CodePoint
from avm.ops.common import OpFn

if TYPE_CHECKING:
    from avm.core.machine import Machine


def _op_pop(m: Machine, cp: CodePoint) -> None:
    m.stack.pop()


def _op_spush(m: Machine, cp: CodePoint) -> None:
    m.stack.append(m.static)


def _op_rpush(m: Machine, cp: CodePoint) -> None:
    m.stack.append(m.register)


def _op_rset(m: Machine, cp: CodePoint) -> None:
    m.register = m.stack.pop()


def _op_stackempty(m: Machine, cp: CodePoint) -> None:
    s = m.stack
    s.append(0 if s else 1)


def _op_auxpush(m: Machine, cp: CodePoint) -> None:
    m.aux.append(m.stack.pop())


def _op_auxpop(m: Machine, cp: CodePoint) -> None:
    m.stack.append(m.aux.pop())


def _op_auxstackempty(m: Machine, cp: CodePoint) -> None:
    m.stack.append(0 if m.aux else 1)


def _op_dup0(m: Machine, cp: CodePoint) -> None:
    s = m.stack
    s.append(s[-1])


def _op_dup1(m: Machine, cp: CodePoint) -> None:
    s = m.stack
    s.append(s[-2])


def _op_dup2(m: Machine, cp: CodePoint) -> None:
    s = m.stack
    s.append(s[-3])


def _op_swap1(m: Machine, cp: CodePoint) -> None:
    s = m.stack
    s[-1], s[-2] = s[-2], s[-1]


def _op_swap2(m: Machine, cp: CodePoint) -> None:
    s = m.stack
    s[-1], s[-3] = s[-3], s[-1]


OPS: dict[Op, OpFn] = {
    Op.POP: _op_pop,
    Op.SPUSH: _op_spush,
    Op.RPUSH: _op_rpush,
    Op.RSET: _op_rset,
    Op.STACKEMPTY: _op_stackempty,
    Op.AUXPUSH: _op_auxpush,
    Op.AUXPOP: _op_auxpop,
    Op.AUXSTACKEMPTY: _op_auxstackempty,
    Op.DUP0: _op_dup0,
    Op.DUP1: _op_dup1,
    Op.DUP2: _op_dup2,
    Op.SWAP1: _op_swap1,
    Op.SWAP2: _op_swap2,
}
