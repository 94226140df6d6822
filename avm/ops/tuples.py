"""Tuple opcodes on the data stack (tget, tset, tlen) and on the aux stack's top (xget, xset)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from avm.core.opcodes import Op
from avm.core.values import CodePoint, Tuple, Value
from avm.ops.common import MAX64, OpFn

if TYPE_CHECKING:
    from avm.core.machine import Machine


def _index_error(i: Value, t: Value) -> str | None:
    if type(i) is not int:
        return "tuple index is not an integer"
    if i > MAX64:
        return "tuple index out of range"
    if type(t) is not Tuple:
        return "operand is not a tuple"
    if i >= len(t.items):
        return f"tuple index {i} out of range (tuple has {len(t.items)} slots)"
    return None


def _op_tget(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    i, t = s[-1], s[-2]
    err = _index_error(i, t)
    if err:
        return err
    s.pop()
    s[-1] = t.items[i]  # type: ignore[union-attr,index]
    return None


def _replace(t: Tuple, i: int, v: Value) -> Tuple:
    items = list(t.items)
    items[i] = v
    return Tuple(tuple(items))


def _op_tset(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    i, t = s[-1], s[-2]
    err = _index_error(i, t)
    if err:
        return err
    v = s[-3]
    del s[-2:]
    s[-1] = _replace(t, i, v)  # type: ignore[arg-type]
    return None


def _op_tlen(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    t = s[-1]
    if type(t) is not Tuple:
        return "operand is not a tuple"
    s[-1] = len(t.items)
    return None


def _op_xget(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    i, t = s[-1], m.aux[-1]
    err = _index_error(i, t)
    if err:
        return err
    s[-1] = t.items[i]  # type: ignore[union-attr,index]
    return None


def _op_xset(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    i, t = s[-1], m.aux[-1]
    err = _index_error(i, t)
    if err:
        return err
    v = s[-2]
    del s[-2:]
    m.aux[-1] = _replace(t, i, v)  # type: ignore[arg-type]
    return None


OPS: dict[Op, OpFn] = {
    Op.TGET: _op_tget,
    Op.TSET: _op_tset,
    Op.TLEN: _op_tlen,
    Op.XGET: _op_xget,
    Op.XSET: _op_xset,
}
