"""Source stepping in compiled mini programs: into, over and out of source lines, both ways.

A *line event* is a state whose next instruction is located and whose line differs from the previous
such state's (only counting states of the current function and its callers when stepping over).
Forward steps run to the next event; backward steps go to the latest event before now, so a step
forward followed by a step back returns to the same state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from avm.errors import UserError
from debugger.engine.display import instruction_ref
from debugger.engine.source_map import SourceMap, frames_of

if TYPE_CHECKING:
    from debugger.engine.session import Session, Stop


class _Stepper:
    """What a source step looks for: which states count (``accepts``) and their line key."""

    def __init__(self, smap: SourceMap, m: Any, how: str) -> None:
        self.smap = smap
        self.code = smap.program.code
        self.how = how
        self.frames = frames_of(m, self.code)
        self.start = self.key(m) if self.accepts(m) else None

    def lid(self, m: Any) -> int:
        pc = m.pc
        i = pc.index
        if 0 <= i < len(self.code) and self.code[i] is pc:
            return self.smap.line_ids[i]
        return -1

    def accepts(self, m: Any) -> bool:
        lid = self.lid(m)
        if lid < 0:
            return False
        if self.how == "into":
            return True
        f = frames_of(m, self.code)
        if self.how == "over":
            return f <= self.frames
        return f < self.frames                                              # out

    def key(self, m: Any) -> Any:
        return self.lid(m) if self.how == "into" else (self.lid(m), frames_of(m, self.code))


def source_step(session: Session, smap: SourceMap, how: str = "into", backward: bool = False) -> Stop:
    """One source-level step of ``session``: ``how`` is ``into`` (the next line, entering calls),
    ``over`` (calls run to their end) or ``out`` (to the caller); returns the session's Stop."""
    from debugger.engine.session import Stop, StopReason

    if how not in ("into", "over", "out"):
        raise ValueError(how)
    session.clear_interrupt()
    stepper = _Stepper(smap, session.machine, how)
    if how == "out" and stepper.frames == 0:
        raise UserError(f"{smap.function_of(session.machine.pc.index) or 'this code'} is the outermost "
                        "function: there is no caller to step out to")
    if not backward:
        last = [stepper.start]

        def arrived(m: Any) -> bool:
            if not stepper.accepts(m):
                return False
            k = stepper.key(m)
            if how == "out" or k != last[0]:
                return True
            return False

        stop = session.run_until(arrived)
        if stop.reason is StopReason.STEP:
            stop = Stop(StopReason.STEP, _detail(smap, session, how, backward), stop.step)
        return session.record_stop(stop)
    s = session.machine.steps
    found = _latest_event_before(session, stepper, s)
    if found is None:
        return session.record_stop(Stop(StopReason.INTERRUPTED, "reverse search interrupted", s))
    step, hit = found
    session.travel_to(step)
    if not hit:
        return session.record_stop(Stop(StopReason.START_OF_HISTORY, "no earlier source line: at the start",
                                        step))
    return session.record_stop(Stop(StopReason.STEP, _detail(smap, session, how, backward), step))


def _detail(smap: SourceMap, session: Session, how: str, backward: bool) -> str:
    pc = session.machine.pc
    where = smap.where(pc.index) or instruction_ref(pc.index)
    function = smap.function_of(pc.index) or "?"
    if how == "out":
        return f"{'back to the caller' if backward else 'returned to'} {function} at {where}"
    over = " (over calls)" if how == "over" else ""
    return f"{'back to ' if backward else ''}{where} in {function}{over}"


def _latest_event_before(session: Session, stepper: _Stepper, s: int) -> tuple[int, bool] | None:
    """(step, found) of the latest line event before state ``s``: (start, False) when there is none;
    None when interrupted. Checkpoint segments are replayed latest first; an entry is an event when
    the entry before it (possibly in an earlier segment) has another key."""
    history = session.history
    pending: list[Any] = [None]           # (step, key) of the earliest accepted state seen so far
    result: list[int | None] = [None]
    upper = [s]
    out_mode = stepper.how == "out"

    def scan(m: Any, lo: int, hi: int) -> int | None:
        entries = []
        top = upper[0]
        if m.steps < top and stepper.accepts(m):
            entries.append((m.steps, stepper.key(m)))
        while m.steps < top - 1:
            t = m.steps
            m.step()
            if m.steps == t:
                break
            if stepper.accepts(m):
                entries.append((m.steps, stepper.key(m)))
        upper[0] = lo
        for entry in reversed(entries):
            if out_mode:
                result[0] = entry[0]
                return 1
            if pending[0] is not None and pending[0][1] != entry[1]:
                result[0] = pending[0][0]
                return 1
            pending[0] = entry
        return None

    if s > history.start and not session.scan_back(s, scan):
        return None
    if result[0] is not None:
        return result[0], True
    if pending[0] is not None:
        return pending[0][0], True
    return history.start, False
