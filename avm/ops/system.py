"""Opcodes that talk to the outside world (ArbOS, L1, the debugger) and the gas register:
breakpoint, log, send, inbox, setgas, pushgas, sideload, debugprint."""

from __future__ import annotations

from typing import TYPE_CHECKING

from avm.core.buffer import Buffer
from avm.core.inbox import acc_after_read
from avm.core.keccak import keccak256
from avm.core.opcodes import SEND_SIZE_LIMIT, Op
from avm.core.status import BLOCKED, BREAKPOINT, DEBUGPRINT, INBOX, LOG, SEND, SIDELOAD
from avm.core.values import NONE, CodePoint, value_hash
from avm.ops.common import MAX64, NOT_INT, OpFn

if TYPE_CHECKING:
    from avm.core.machine import Machine


def _op_breakpoint(m: Machine, cp: CodePoint) -> int:
    m._emit(BREAKPOINT, cp)
    return BREAKPOINT


def _op_log(m: Machine, cp: CodePoint) -> int:
    v = m.stack.pop()
    m.log_acc = keccak256(m.log_acc + value_hash(v))
    m.log_count += 1
    m._emit(LOG, v)
    return LOG


def _op_send(m: Machine, cp: CodePoint) -> str | int:
    s = m.stack
    size, buf = s[-1], s[-2]
    if type(size) is not int or size > MAX64:
        return "send size is not a 64-bit integer"
    if type(buf) is not Buffer:
        return "send operand is not a buffer"
    if size > SEND_SIZE_LIMIT or size == 0 or buf.last_index() >= size:
        return "send size out of range (0 < size <= 10000, buffer must fit)"
    data = buf.get_bytes(0, size)
    del s[-2:]
    m.send_acc = keccak256(m.send_acc + keccak256(data))
    m.send_count += 1
    m._emit(SEND, data)
    return SEND


def _op_inbox(m: Machine, cp: CodePoint) -> int:
    if m.inbox_count >= len(m.inbox):
        return BLOCKED
    msg = m.inbox[m.inbox_count]
    m.inbox_count += 1
    m.inbox_acc = acc_after_read(m.inbox, m.inbox_count - 1, m.inbox_acc, msg)
    m.stack.append(msg)
    m._emit(INBOX, msg)
    return INBOX


def _op_setgas(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    g = s[-1]
    if type(g) is not int:
        return NOT_INT
    s.pop()
    m.gas = g
    return None


def _op_pushgas(m: Machine, cp: CodePoint) -> None:
    m.stack.append(m.gas)


def _op_sideload(m: Machine, cp: CodePoint) -> str | int:
    s = m.stack
    block = s[-1]
    if type(block) is not int:
        return NOT_INT
    s[-1] = NONE
    m._emit(SIDELOAD, block)
    return SIDELOAD


def _op_debugprint(m: Machine, cp: CodePoint) -> int:
    v = m.stack.pop()
    m._emit(DEBUGPRINT, v)
    return DEBUGPRINT


OPS: dict[Op, OpFn] = {
    Op.BREAKPOINT: _op_breakpoint,
    Op.LOG: _op_log,
    Op.SEND: _op_send,
    Op.INBOX: _op_inbox,
    Op.SETGAS: _op_setgas,
    Op.PUSHGAS: _op_pushgas,
    Op.SIDELOAD: _op_sideload,
    Op.DEBUGPRINT: _op_debugprint,
}
