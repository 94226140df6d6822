"""History of a place: every step at which it changed, and "continue until it changes" both ways.

Places are those of the location language (:mod:`debugger.engine.locations`): ``s0``, ``aux1``,
``register``, ``errcp``, ``s1[2][0]`` ...; a place absent in a state reads as None, and appearing or
disappearing counts as a change.

Changes are found by replaying the recorded history (states are rebuilt from checkpoints, nothing per
step is stored). The register and the error handler are only written by ``rset`` / ``errset``, so
their histories run at the machine's full speed (``Machine.run`` stopping before those instructions
only); other places are read after every step.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from avm.core.machine import Event, Machine, Status
from avm.core.opcodes import Op
from avm.core.values import MAX_INT, CodePoint, Value, values_equal
from avm.errors import UserError
from debugger.engine.breakpoints import watch_changed
from debugger.engine.locations import Place

if TYPE_CHECKING:
    from debugger.engine.session import Session, Stop

_STOP_AT = int(Event.STOP_AT)
_BLOCKED = int(Event.BLOCKED)
CHUNK = 4096                # steps between interrupt checks in per-step scans
RUNTIME_CODE_OPS = (Op.PUSHINSN, Op.PUSHINSNIMM)  # instructions made at run time


class Interrupted(Exception):
    """A query over the history was interrupted (``session.interrupt()``)."""


@dataclass(frozen=True)
class Change:
    """The place changed from ``old`` to ``new`` when the instruction at ``index`` ran from state
    ``step - 1``: ``step`` is the first state showing ``new`` (None: the place did not exist)."""

    step: int
    index: int
    old: Value | None
    new: Value | None


def writer_codepoints(session: Session, place: Place) -> frozenset[CodePoint] | None:
    """The instructions that can change ``place`` when only few can (register: rset, err: errset,
    see ``Place.changed_by``); None when any instruction may (stack places) or when the program makes
    code at run time."""
    ops = place.changed_by
    code = session.program.code
    if ops is None or any(cp.op in RUNTIME_CODE_OPS for cp in code):
        return None
    return frozenset(cp for cp in code if cp.op in ops)


def _check(session: Session) -> None:
    if session.take_interrupt():
        raise Interrupted


def _changes(session: Session, m: Machine, place: Place, end: int,
             writers: frozenset[CodePoint] | None) -> Iterator[Change]:
    """The changes of ``place`` in the states (m.steps, end], replaying ``m`` (which is consumed)."""
    read = place.read
    old = read(m)
    checked = m.steps
    while m.steps < end and m.status == Status.EXTENSIVE:
        if m.steps - checked >= CHUNK or writers is not None:
            _check(session)
            checked = m.steps
        if writers is not None and m.pc not in writers:
            was = m.steps
            ev = int(m.run(min(CHUNK * 64, end - m.steps), stop_at=writers))
            if ev & _BLOCKED or m.steps == was:
                return
            continue
        cp = m.pc
        t = m.steps
        if int(m.step()) & _BLOCKED or m.steps == t:
            return
        new = read(m)
        if watch_changed(old, new):
            yield Change(m.steps, cp.index, old, new)
            old = new


def iter_changes(session: Session, place: Place, start: int = 0, end: int | None = None) -> Iterator[Change]:
    """Lazily, in step order, every change of ``place`` between state ``start`` and state ``end``
    (default: the end of the recorded history). Raises :class:`Interrupted` on ``session.interrupt()``."""
    history = session.history
    end = history.end if end is None else min(end, history.end)
    start = max(start, history.start)
    if start >= end:
        return
    yield from _changes(session, history.state_at(start), place, end, writer_codepoints(session, place))


def _matches(change: Change, equals: Any) -> bool:
    return equals is None or (change.new is not None and values_equal(change.new, equals))


def find_change(session: Session, place: Place, *, backward: bool, equals: Value | None = None,
                origin: int | None = None) -> Change | None:
    """The nearest change of ``place`` after (or, ``backward``, before) state ``origin`` (default:
    the current step) within the recorded history, optionally only one to a value equal to
    ``equals``. Raises :class:`Interrupted`."""
    session.clear_interrupt()
    here = session.step if origin is None else origin
    if not backward:
        return next((c for c in iter_changes(session, place, here) if _matches(c, equals)), None)
    writers = writer_codepoints(session, place)
    found: list[Change | None] = [None]

    def scan(m: Machine, lo: int, hi: int) -> int | None:
        for change in _changes(session, m, place, hi, writers):
            if _matches(change, equals):
                found[0] = change
        return None if found[0] is None else 1

    # Session.scan_back hands over the segments latest first, each as the states (lo, hi]
    if not session.scan_back(here, scan):
        raise Interrupted
    return found[0]


def parse_equals(text: str) -> int:
    """The ``X`` of a "value equals X" search: a decimal or 0x hex integer (``UserError`` otherwise)."""
    try:
        value = int(text.strip().replace("_", ""), 0)
    except ValueError:
        raise UserError(f"expected an integer to compare with, not {text.strip()!r}") from None
    if not 0 <= value <= MAX_INT:
        raise UserError(f"{text.strip()} is not a 256-bit unsigned integer")
    return value


def continue_until_change(session: Session, place: Place, *, backward: bool = False,
                          equals: Value | None = None) -> Stop:
    """Session-level "continue until ``place`` changes" (to a value equal to ``equals``), in either
    direction within the recorded history: travels there and returns the session's Stop."""
    from debugger.engine.session import Stop, StopReason

    try:
        change = find_change(session, place, backward=backward, equals=equals)
    except Interrupted:
        return session.record_stop(Stop(StopReason.INTERRUPTED,
                                        f"search for a change of {place.text} interrupted", session.step))
    what = place.text if equals is None else f"{place.text} == {equals!r}"
    if change is None:
        return session.record_stop(Stop(StopReason.STEP, f"no {'earlier' if backward else 'later'} change of "
                                        f"{what} in the recorded history", session.step))
    session.travel_to(change.step)
    return session.record_stop(Stop(StopReason.WATCH, f"{place.text} changed at step {change.step:,}",
                                    change.step))
