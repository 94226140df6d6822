"""Buffer opcodes: newbuffer, getbuffer8/64/256, setbuffer8/64/256."""

from __future__ import annotations

from typing import TYPE_CHECKING

from avm.core.buffer import EMPTY_BUFFER, Buffer
from avm.core.opcodes import Op
from avm.core.values import CodePoint, Value
from avm.ops.common import MAX64, NOT_INT, OpFn

if TYPE_CHECKING:
    from avm.core.machine import Machine


def _op_newbuffer(m: Machine, cp: CodePoint) -> None:
    m.stack.append(EMPTY_BUFFER)


def _buf_args(s: list[Value], width: int) -> str | tuple[int, Buffer]:
    off, buf = s[-1], s[-2]
    if type(off) is not int or off > MAX64:
        return "buffer offset is not a 64-bit integer"
    if off + width - 1 > MAX64:
        return "buffer access runs past offset 2^64-1"
    if type(buf) is not Buffer:
        return "operand is not a buffer"
    return off, buf


def _getbuffer(width: int) -> OpFn:
    def op(m: Machine, cp: CodePoint) -> str | None:
        s = m.stack
        args = _buf_args(s, width)
        if isinstance(args, str):
            return args
        off, buf = args
        value = buf.get(off) if width == 1 else int.from_bytes(buf.get_bytes(off, width), "big")
        s.pop()
        s[-1] = value
        return None

    return op


def _setbuffer(width: int) -> OpFn:
    limit = (1 << (8 * width)) - 1

    def op(m: Machine, cp: CodePoint) -> str | None:
        s = m.stack
        off, val, buf = s[-1], s[-2], s[-3]
        if type(off) is not int or off > MAX64:
            return "buffer offset is not a 64-bit integer"
        if type(val) is not int:
            return NOT_INT
        if val > limit:
            return f"value does not fit in {width} byte{'s' if width > 1 else ''}"
        if off + width - 1 > MAX64:
            return "buffer access runs past offset 2^64-1"
        if type(buf) is not Buffer:
            return "operand is not a buffer"
        new = buf.set(off, val) if width == 1 else buf.set_bytes(off, val.to_bytes(width, "big"))
        del s[-2:]
        s[-1] = new
        return None

    return op


OPS: dict[Op, OpFn] = {
    Op.NEWBUFFER: _op_newbuffer,
    Op.GETBUFFER8: _getbuffer(1),
    Op.GETBUFFER64: _getbuffer(8),
    Op.GETBUFFER256: _getbuffer(32),
    Op.SETBUFFER8: _setbuffer(1),
    Op.SETBUFFER64: _setbuffer(8),
    Op.SETBUFFER256: _setbuffer(32),
}
