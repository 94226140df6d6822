"""Origin of a value: which step put it where it is, and the chain of producers back to its source.

Integers have no identity worth trusting (CPython shares small ints, an immediate is the same object
every time it is pushed), so origins are found by *position*: a data stack slot keeps its bottom index
until something pops down to it, and :mod:`debugger.engine.touches` says which slots each step wrote
and where from. For a value at place P in state N, the producer is the last step t < N that wrote P;
its data flow names the source (another place in state t, a slot of a tuple, the immediate, an inbox
message, a computed result), and the search goes on from there.

Finding the last write is a backward search over the history's checkpoint segments, latest first:

* fast test per segment (about the machine's full speed): replay it on a copy whose stacks are cut
  just above the slot. A program that never reaches down to the slot runs identically; reaching it
  is an underflow error (``Machine.run`` stops on it), ``stackempty`` on the cut stack is caught by
  stopping before those instructions. The register and the error handler are only written by
  ``rset`` / ``errset``: the copy runs until one of those is next. Programs that build code at run
  time (``pushinsn``) skip the fast test;
* exact scan of the one segment the fast test flags: step by step, asking :mod:`touches` whether the
  step wrote the slot (a flagged segment that only *read* the slot is scanned and passed over).

Every result is what the machine did: the property tests replay the producing step and check that the
value it wrote is the very object found at the place (see tests/engine/test_provenance.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from avm.core.machine import Event, Machine, Status
from avm.core.opcodes import Op
from avm.core.values import CodePoint, Value
from avm.errors import UserError
from debugger.engine.display import instruction_text
from debugger.engine.locations import Place
from debugger.engine.place_history import RUNTIME_CODE_OPS, Interrupted
from debugger.engine.touches import (
    Effect,
    Loc,
    aux_write_range,
    data_write_range,
    loc_name,
    step_effect,
    writes_err,
    writes_register,
)

if TYPE_CHECKING:
    from debugger.engine.session import Session

_ERROR = int(Event.ERROR)
_BLOCKED = int(Event.BLOCKED)
_STOP_AT = int(Event.STOP_AT)
_SWAP2 = int(Op.SWAP2)
TERMINALS = ("immediate", "static", "inbox", "computed", "initial")


@dataclass(frozen=True)
class Link:
    """One producer: the instruction run from state ``step`` put the value at ``place`` (shown as in
    state ``step + 1``), taking it from ``source`` (a place in state ``step``, or a terminal kind)."""

    step: int
    index: int              # instruction index (-1: code made at run time; -2: no instruction)
    instruction: str
    place: str
    kind: str               # move | tget | tset | immediate | static | inbox | computed | initial
    source: str
    value: Value | None = None

    @property
    def terminal(self) -> bool:
        return self.kind in TERMINALS

    @property
    def after(self) -> int:
        """The first state that shows the value at ``place`` (where the screen goes)."""
        return self.step + 1 if self.kind not in ("initial", "static") else self.step


@dataclass
class Origin:
    place: str
    at: int
    value: Value | None
    links: list[Link]
    complete: bool          # the chain reached a terminal (False: interrupted or max_links)

    @property
    def producer(self) -> Link | None:
        return self.links[0] if self.links else None


# ---------------------------------------------------------------------- the last write of a location
class _Plan:
    """Per-program facts for the fast segment test."""

    def __init__(self, session: Session) -> None:
        code = session.program.code
        self.runtime_code = any(cp.op in RUNTIME_CODE_OPS for cp in code)
        self.stop: dict[int, frozenset[CodePoint]] = {
            op: frozenset(cp for cp in code if cp.op == op)
            for op in (Op.STACKEMPTY, Op.AUXSTACKEMPTY, Op.RSET, Op.ERRSET)}


def _untouched(plan: _Plan, m: Machine, loc: Loc, hi: int) -> bool:
    """True when replaying ``m`` (a private copy) up to state ``hi`` surely does not write ``loc``."""
    if plan.runtime_code:
        return False
    kind = loc[0]
    if kind in ("data", "aux"):
        items = m.stack if kind == "data" else m.aux
        if len(items) <= loc[1]:
            return False
        cut = items[loc[1] + 1:]      # (the machine's stack-hash caches check each item: no reset needed)
        if kind == "data":
            m.stack = cut
        else:
            m.aux = cut
        empty_op = Op.STACKEMPTY if kind == "data" else Op.AUXSTACKEMPTY
        stop_at = plan.stop[empty_op]
        if m.pc.op == empty_op and not cut:
            return False
        while m.steps < hi:
            ev = int(m.run(hi - m.steps, stop_at, _ERROR))
            if ev & (_ERROR | _BLOCKED):
                return False
            if ev & _STOP_AT and not (m.stack if kind == "data" else m.aux):
                return False
            if m.status != Status.EXTENSIVE:
                break
        return True
    stop_at = plan.stop[Op.RSET if kind == "register" else Op.ERRSET]
    if m.pc in stop_at:
        return False
    ev = int(m.run(hi - m.steps, stop_at))
    return not ev & _STOP_AT or m.steps >= hi


def _wrote(loc: Loc, cp: CodePoint, dl: int, al: int, errored: bool) -> bool:
    kind = loc[0]
    op = cp.op
    if kind == "data":
        lo, hi, imm_kept = data_write_range(op, cp.imm is not None, dl, errored)
        i = loc[1]
        if imm_kept and i == dl:
            return True
        # swap2 rewrites its middle slot with itself: not a write
        return lo <= i < hi and not (op == _SWAP2 and not errored and i == lo + 1)
    if kind == "aux":
        lo, hi = aux_write_range(op, al, errored)
        return lo <= loc[1] < hi
    if kind == "register":
        return writes_register(op, errored)
    if kind == "errcp":
        return writes_err(op, errored)
    return False


def _scan_segment(m: Machine, loc: Loc, hi: int) -> int | None:
    """The last step t in [m.steps, hi) that wrote ``loc`` (exact, step by step)."""
    last = None
    stack, aux = m.stack, m.aux
    step = m.step
    while m.steps < hi:
        cp = m.pc
        t = m.steps
        dl, al = len(stack), len(aux)
        ev = int(step())
        if m.steps == t:
            break
        if _wrote(loc, cp, dl, al, bool(ev & _ERROR)):
            last = t
        if m.status != Status.EXTENSIVE:
            break
    return last


def last_write(session: Session, loc: Loc, before: int, *, fast: bool = True,
               plan: _Plan | None = None) -> tuple[int, Effect] | None:
    """The last step t (state t -> t + 1, t + 1 <= ``before``) whose instruction wrote ``loc``, with its
    data flow; None when ``loc`` holds what it held at the start of the history. Raises
    :class:`Interrupted`."""
    if loc[0] == "static":
        return None
    plan = plan or _Plan(session)
    found: list[int | None] = [None]

    def scan(m: Machine, lo: int, hi: int) -> int | None:
        if fast and _untouched(plan, m.clone(), loc, hi):
            return None
        found[0] = _scan_segment(m, loc, hi)
        return None if found[0] is None else 1

    # scan_back replays each segment [lo, hi) latest first, starting with the steps < before
    if not session.scan_back(before + 1, scan):
        raise Interrupted
    t = found[0]
    if t is None:
        return None
    return t, step_effect(session.history.state_at(t))


# ---------------------------------------------------------------------- chains
def _to_loc(place: Place, m: Machine) -> Loc | None:
    """The bottom-indexed location of ``place``'s root in ``m`` (None when absent)."""
    root = place.root
    if root in ("stack", "aux"):
        n = len(m.stack if root == "stack" else m.aux)
        slot = place.slot or 0
        i = slot if slot >= 0 else n + slot
        return ("data" if root == "stack" else "aux", i) if 0 <= i < n else None
    if root in ("register", "static", "errcp"):
        return (root,)
    raise UserError(f"no origin for {place.text!r}: point at a stack or aux slot, the register, the "
                    "static or errcp (with a tuple path if needed)")


def origin(session: Session, place: Place, at: int | None = None, *, max_links: int = 256,
           fast: bool = True, on_link: Callable[[Link], None] | None = None) -> Origin:
    """The producer chain of the value at ``place`` in state ``at`` (default: the current step):
    ``links[0]`` is the step that put it there, the last link its source. Stops early (``complete``
    False) when interrupted or after ``max_links`` links."""
    session.clear_interrupt()
    history = session.history
    at = session.step if at is None else at
    if not history.start <= at <= history.end:
        raise UserError(f"step {at:,} is outside the recorded history ({history.start:,}..{history.end:,})")
    state = history.state_at(at) if at != session.step else session.machine
    value = place.read(state)
    loc = _to_loc(place, state)
    result = Origin(place.text, at, value, [], False)
    if loc is None or value is None:
        result.complete = True
        return result
    path = place.path
    step = at
    depths = (len(state.stack), len(state.aux))
    plan = _Plan(session)
    labels = session.program.labels

    def add(link: Link) -> None:
        result.links.append(link)
        if on_link is not None:
            on_link(link)

    try:
        while len(result.links) < max_links:
            here = loc_name(loc, depths[0], depths[1], path)
            if loc[0] == "static":
                add(Link(history.start, -2, "", here, "static", "the program's static value", value))
                result.complete = True
                break
            found = last_write(session, loc, step, fast=fast, plan=plan)
            if found is None:
                add(Link(history.start, -2, "", here, "initial", "the initial state", value))
                result.complete = True
                break
            t, eff = found
            src = eff.source_of(loc)
            assert src is not None
            where = loc_name(loc, _depth_after(eff), _aux_depth_after(eff), path)
            instruction = instruction_text(eff.cp, 32, labels)
            pre = (eff.data_len, eff.aux_len)     # source names as in state t (before the immediate)
            kind = src[0]
            if kind == "move":
                add(Link(t, eff.cp.index, instruction, where, "move", loc_name(src[1], *pre, path), value))
                loc, step, depths = src[1], t, pre
            elif kind == "tget":
                path = (src[2], *path)
                add(Link(t, eff.cp.index, instruction, where, "tget", loc_name(src[1], *pre, path), value))
                loc, step, depths = src[1], t, pre
            elif kind == "tset" and path and path[0] == src[2]:
                path = path[1:]
                add(Link(t, eff.cp.index, instruction, where, "tset", loc_name(src[3], *pre, path), value))
                loc, step, depths = src[3], t, pre
            elif kind == "tset" and path:       # the slot was copied over from the old tuple
                loc, step, depths = src[1], t, pre
            else:
                add(Link(t, eff.cp.index, instruction, where, _TERMINAL_KIND.get(kind, kind),
                         _terminal_text(src), value))
                result.complete = True
                break
    except Interrupted:
        pass
    return result


_TERMINAL_KIND = {"imm": "immediate", "tset": "computed"}


def _terminal_text(src: tuple) -> str:
    kind = src[0]
    if kind == "imm":
        return "the immediate"
    if kind == "inbox":
        return f"inbox message #{src[1]}"
    if kind == "tset":
        return "a new tuple (tset)"
    return f"computed by {src[1]}"


def _depth_after(eff: Effect) -> int:
    lo, hi, _ = data_write_range(eff.cp.op, eff.cp.imm is not None, eff.data_len, eff.errored)
    return hi


def _aux_depth_after(eff: Effect) -> int:
    return aux_write_range(eff.cp.op, eff.aux_len, eff.errored)[1]
