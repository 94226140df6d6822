"""Control flow and codepoints: jump, cjump, pcpush, nop, errpush, errset, error, halt, code building."""

from __future__ import annotations

from typing import TYPE_CHECKING

from avm.core.opcodes import Op
from avm.core.status import HALT, Status
from avm.core.values import CodePoint, error_codepoint
from avm.ops.common import NOT_INT, OpFn

if TYPE_CHECKING:
    from avm.core.machine import Machine


_NOT_CP = "jump target is not a codepoint"


def _op_jump(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    t = s[-1]
    if type(t) is not CodePoint:
        return _NOT_CP
    s.pop()
    m.pc = t
    return None


def _op_cjump(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    t = s[-1]
    c = s[-2]
    if type(t) is not CodePoint:
        return _NOT_CP
    if type(c) is not int:
        return "cjump condition is not an integer"
    del s[-2:]
    if c:
        m.pc = t
    return None


def _op_pcpush(m: Machine, cp: CodePoint) -> None:
    m.stack.append(cp)


def _op_nop(m: Machine, cp: CodePoint) -> None:
    return None


def _op_errpush(m: Machine, cp: CodePoint) -> None:
    m.stack.append(m.err_handler)


def _op_errset(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    t = s[-1]
    if type(t) is not CodePoint:
        return "errset operand is not a codepoint"
    s.pop()
    m.err_handler = t
    return None


def _op_error(m: Machine, cp: CodePoint) -> str:
    return "error instruction"


def _op_halt(m: Machine, cp: CodePoint) -> int:
    m.status = Status.HALTED
    m.pc = cp
    return HALT


def _op_errcodepoint(m: Machine, cp: CodePoint) -> None:
    m.stack.append(error_codepoint())


def _op_pushinsn(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    op, target = s[-1], s[-2]
    if type(target) is not CodePoint:
        return "pushinsn target is not a codepoint"
    if type(op) is not int:
        return NOT_INT
    s.pop()
    s[-1] = CodePoint(op & 0xFF, None, target)
    return None


def _op_pushinsnimm(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    op, imm, target = s[-1], s[-2], s[-3]
    if type(target) is not CodePoint:
        return "pushinsnimm target is not a codepoint"
    if type(op) is not int:
        return NOT_INT
    del s[-2:]
    s[-1] = CodePoint(op & 0xFF, imm, target)
    return None


OPS: dict[Op, OpFn] = {
    Op.JUMP: _op_jump,
    Op.CJUMP: _op_cjump,
    Op.PCPUSH: _op_pcpush,
    Op.NOP: _op_nop,
    Op.ERRPUSH: _op_errpush,
    Op.ERRSET: _op_errset,
    Op.ERROR: _op_error,
    Op.HALT: _op_halt,
    Op.ERRCODEPOINT: _op_errcodepoint,
    Op.PUSHINSN: _op_pushinsn,
    Op.PUSHINSNIMM: _op_pushinsnimm,
}
