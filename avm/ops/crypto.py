"""Hashing and curve opcodes: hash, type, keccakf, sha256f, ecrecover, ecadd, ecmul, ecpairing.

(``ethhash2`` is a binary operator on two words: it lives with the arithmetic.)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from avm.core import arith
from avm.core.opcodes import EC_PAIRING_MAX_POINTS, EC_PAIRING_POINT_GAS, Op
from avm.core.status import BLOCKED
from avm.core.values import CodePoint, Tuple, Value, type_code, value_hash
from avm.ops.common import NOT_INT, OpFn, ints

if TYPE_CHECKING:
    from avm.core.machine import Machine


def _op_hash(m: Machine, cp: CodePoint) -> None:
    s = m.stack
    s[-1] = int.from_bytes(value_hash(s[-1]), "big")


def _op_type(m: Machine, cp: CodePoint) -> None:
    s = m.stack
    s[-1] = type_code(s[-1])


def _op_keccakf(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    t = s[-1]
    if type(t) is not Tuple or len(t.items) != 7:
        return "keccakf needs a tuple of 7 integers"
    if any(type(x) is not int for x in t.items):
        return "keccakf needs a tuple of 7 integers"
    s[-1] = Tuple(tuple(arith.keccakf(list(t.items))))  # type: ignore[arg-type]
    return None


def _op_sha256f(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    if not ints(s, 3):
        return NOT_INT
    digest, first, second = s[-1], s[-2], s[-3]
    del s[-2:]
    s[-1] = arith.sha256f(digest, first, second)  # type: ignore[arg-type]
    return None


def _op_ecrecover(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    if not ints(s, 4):
        return NOT_INT
    r, sig_s, rec, msg = s[-1], s[-2], s[-3], s[-4]
    del s[-3:]
    s[-1] = arith.ecrecover(r, sig_s, rec, msg)  # type: ignore[arg-type]
    return None


def _op_ecadd(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    if not ints(s, 4):
        return NOT_INT
    res = arith.ecadd(s[-1], s[-2], s[-3], s[-4])  # type: ignore[arg-type]
    if res is None:
        return "invalid alt_bn128 point"
    del s[-2:]
    s[-1] = res[0]
    s[-2] = res[1]
    return None


def _op_ecmul(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    if not ints(s, 3):
        return NOT_INT
    res = arith.ecmul(s[-1], s[-2], s[-3])  # type: ignore[arg-type]
    if res is None:
        return "invalid alt_bn128 point"
    s.pop()
    s[-1] = res[0]
    s[-2] = res[1]
    return None


@dataclass
class PairingWatch:
    """An ``interruptible`` block's poll and what it did: ``abandoned`` pairings, with the number of
    pairs the last one had computed (``pairs_done``)."""

    should_stop: Callable[[], bool]
    abandoned: int = 0
    pairs_done: int = 0


_watches = threading.local()     # .current: the PairingWatch of this thread's innermost block, or absent


@contextmanager
def interruptible(should_stop: Callable[[], bool]) -> Iterator[PairingWatch]:
    """Within the block, an ``ecpairing`` run by this thread polls ``should_stop`` between its pairs;
    when it says so the step is abandoned and leaves the machine exactly as before the instruction
    (no step counted, gas refunded, the immediate and operand as they were: the step reports BLOCKED,
    as an ``inbox`` with no message does). Outside such a block a pairing always runs to its end."""
    watch = PairingWatch(should_stop)
    outer = getattr(_watches, "current", None)
    _watches.current = watch
    try:
        yield watch
    finally:
        _watches.current = outer


def pairing_points(top: object) -> list[tuple[int, ...]] | None:
    """The (g1x, g1y, g2x0, g2x1, g2y0, g2y1) tuples of an ecpairing operand (a linked list of
    2-tuples ending in the empty tuple, at most EC_PAIRING_MAX_POINTS long); None when malformed."""
    points: list[tuple[int, ...]] = []
    v = top
    for _ in range(EC_PAIRING_MAX_POINTS):
        if type(v) is not Tuple:
            return None
        if not v.items:
            return points
        if len(v.items) != 2:
            return None
        item, v = v.items
        if type(item) is not Tuple or len(item.items) != 6 or any(type(x) is not int for x in item.items):
            return None
        points.append(item.items)  # type: ignore[arg-type]
    return points if type(v) is Tuple and not v.items else None


def _op_ecpairing(m: Machine, cp: CodePoint) -> str | int | None:
    s = m.stack
    pairs = pairing_points(s[-1])
    if pairs is None:
        return "ecpairing needs a list of (g1x, g1y, g2x0, g2x1, g2y0, g2y1) integer tuples"
    watch: PairingWatch | None = getattr(_watches, "current", None)
    try:
        res = arith.ecpairing(pairs, None if watch is None else watch.should_stop)  # type: ignore[arg-type]
    except arith.PairingAbandoned as gave_up:
        assert watch is not None
        watch.abandoned += 1
        watch.pairs_done = gave_up.pairs_done
        return BLOCKED
    if res is None:
        return "invalid alt_bn128 point"
    s[-1] = res
    return None


def pairing_gas(top: Value) -> int:
    """Variable part of ecpairing's gas: 500,000 per 2-tuple link, at most 30, stopping early."""
    cost = 0
    v = top
    for _ in range(EC_PAIRING_MAX_POINTS):
        if type(v) is not Tuple or len(v.items) != 2:
            break
        v = v.items[1]
        cost += EC_PAIRING_POINT_GAS
    return cost


OPS: dict[Op, OpFn] = {
    Op.HASH: _op_hash,
    Op.TYPE: _op_type,
    Op.KECCAKF: _op_keccakf,
    Op.SHA256F: _op_sha256f,
    Op.ECRECOVER: _op_ecrecover,
    Op.ECADD: _op_ecadd,
    Op.ECMUL: _op_ecmul,
    Op.ECPAIRING: _op_ecpairing,
}
