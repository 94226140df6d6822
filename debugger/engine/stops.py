"""Stops: why a run ended, as data, and the one judge that decides it for forward and backward runs.

A run (continue, step over, run to, reverse continue, ...) asks its :class:`StopJudge` at two moments:

* :meth:`StopJudge.before` - the instruction about to run: an instruction/opcode breakpoint whose
  condition holds, a compiled-in breakpoint, or one of the run's targets;
* :meth:`StopJudge.after` - the step (or fast chunk) just run: an event breakpoint (error, log, send,
  halt), the ``breakpoint`` opcode, halt, error stop, an empty inbox, and - checked after every step
  when the plan needs it, or only after the steps that can change what they read (``check_at``, run
  by :meth:`StopJudge.run`) - a condition that became true, a watched place that changed, an opcode
  breakpoint on run-time code, or the run's own predicate.

Forward runs stop at the first state the judge names; backward runs replay the history and keep the
latest one. The judge never counts hits: the session counts the stop it settles on.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass, field
from enum import Enum

from avm.core.machine import Event, Machine, Status
from avm.core.program import Program
from avm.core.summary import summarize
from avm.core.values import CodePoint, Value
from debugger.engine.breakpoints import RunPlan, watch_changed
from debugger.engine.display import instruction_ref

_BREAKPOINT = int(Event.BREAKPOINT)
_STOP_AT = int(Event.STOP_AT)
_LIMIT = int(Event.LIMIT)
_BLOCKED = int(Event.BLOCKED)
_EXTENSIVE = Status.EXTENSIVE

Target = Callable[[Machine], bool] | None       # an extra test on a target codepoint (None: always)


class StopReason(str, Enum):
    STEP = "step"                               # the requested step / step over / step out finished
    TARGET = "target"                           # run_to / goto reached its target
    BREAKPOINT = "breakpoint"                   # a user breakpoint (Stop.breakpoint is its number)
    COMPILED_BREAKPOINT = "compiled_breakpoint"  # a breakpoint compiled into the .mexe
    BREAKPOINT_OPCODE = "breakpoint_opcode"     # the ``breakpoint`` instruction ran
    WATCH = "watch"                             # a watched value changed (Stop.watch is its number)
    HALTED = "halted"
    ERROR_STOP = "error_stop"
    BLOCKED = "blocked"                         # ``inbox`` with no message left
    STEP_LIMIT = "step_limit"                   # continue ran ``run_limit`` steps
    INTERRUPTED = "interrupted"
    START_OF_HISTORY = "start_of_history"       # a backward move reached step 0
    NOT_FOUND = "not_found"                     # run_to: the instruction never runs that way; no move

    def __str__(self) -> str:
        return self.value


TERMINAL = frozenset({StopReason.HALTED, StopReason.ERROR_STOP, StopReason.BLOCKED})
QUIET = frozenset({StopReason.STEP, StopReason.TARGET, StopReason.START_OF_HISTORY})
FINAL = TERMINAL | {StopReason.INTERRUPTED, StopReason.START_OF_HISTORY, StopReason.NOT_FOUND}


@dataclass
class Stop:
    """Where and why a command stopped. The UI reads the flags, never the text."""

    reason: StopReason
    detail: str
    step: int
    breakpoint: int | None = None     # the user breakpoint that stopped it
    watch: int | None = None          # the watch that stopped it
    where: int | None = field(default=None, compare=False)   # pc's instruction index (-1: run-time code)

    @property
    def terminal(self) -> bool:
        """The machine cannot go further forward (halted, error stop, blocked on the inbox)."""
        return self.reason in TERMINAL

    @property
    def final(self) -> bool:
        """A repeated command (``5c``) ends here: terminal, interrupted, at the start, or not found."""
        return self.reason in FINAL

    @property
    def quiet(self) -> bool:
        """An ordinary move (a step, a reached target): not worth a line in the output log."""
        return self.reason in QUIET

    @property
    def text(self) -> str:
        return f"{self.reason.value}: {self.detail}" if self.detail else self.reason.value


class StopJudge:
    """Which stop a state causes, under one run's plan, targets and predicate."""

    def __init__(self, program: Program, plan: RunPlan, *, done: StopReason = StopReason.STEP,
                 done_detail: str = "", targets: dict[CodePoint, Target] | None = None,
                 predicate: Callable[[Machine], bool] | None = None) -> None:
        self.program = program
        self.plan = plan
        self.done = done
        self.done_detail = done_detail
        self.targets = targets or {}
        self.predicate = predicate
        self.stop_at: dict[CodePoint, None] = dict.fromkeys(plan.stop_at)
        self.stop_at.update(dict.fromkeys(self.targets))
        self.per_step = plan.per_step or predicate is not None
        # where a fast run takes one step and then checks the conditions and watches (see RunPlan)
        self.check_at: dict[CodePoint, None] = {} if self.per_step else plan.check_at or {}
        self._check_only = {cp: None for cp in self.check_at if cp not in self.stop_at}
        self.stop_at.update(self.check_at)
        self.stop_events = plan.stop_events
        self._conditions: list[bool] = []
        self._watched: list[Value | None] = []

    def reset(self, m: Machine) -> None:
        """Start judging from state ``m`` (conditions trigger on a change from here)."""
        plan = self.plan
        self._conditions = [bool(bp.condition(m)) if bp.condition else False for bp in plan.condition_bps]
        self._watched = [w.read(m) for w in plan.watches]

    def done_stop(self, m: Machine) -> Stop:
        """The run's own end (a target reached, the predicate true) in state ``m``."""
        return Stop(self.done, self.done_detail or f"reached {instruction_ref(m.pc.index)}", m.steps)

    def before(self, m: Machine) -> Stop | None:
        """The stop caused by the instruction about to run (None: run it)."""
        pc = m.pc
        if pc not in self.stop_at:
            return None
        plan = self.plan
        for bp in plan.stop_at.get(pc, ()):
            if bp.condition is None or bp.condition(m):
                return Stop(StopReason.BREAKPOINT, bp.title(self.program), m.steps, bp.number)
        index = pc.index
        if index in plan.compiled and index >= 0 and self.program.code[index] is pc:
            where = summarize(pc, self.program.labels)
            return Stop(StopReason.COMPILED_BREAKPOINT, f"compiled breakpoint at {where}", m.steps)
        if pc in self.targets:
            test = self.targets[pc]
            if test is None or test(m):
                return self.done_stop(m)
        return None

    def run(self, m: Machine, n: int, stop_at: Container[CodePoint], events: int) -> tuple[int, Stop | None]:
        """A fast run of up to ``n`` steps (``Machine.run`` with ``stop_at`` and ``events``) and the stop
        it caused (not for per-step plans). Each instruction of ``check_at`` runs as one step followed by
        the conditions and watches, and the run goes on (the caller's loop costs more than this one);
        it returns at a stop, after ``n`` steps, on any event, or before any other ``stop_at``
        instruction (breakpoints, targets, the session's expensive ones: those are never check_at
        opcodes, which are cheap: rset, errset, inbox)."""
        check_at, check_only = self.check_at, self._check_only
        end = m.steps + n
        while True:
            if m.pc in check_at:
                ev = int(m.run(1, stop_at, events))
                stop = self.after(m, ev, check=True)
                if stop is not None or ev & ~_LIMIT or m.steps >= end:
                    return ev, stop
                if m.pc in stop_at and m.pc not in check_only:
                    return _STOP_AT, None
            else:
                ev = int(m.run(end - m.steps, stop_at, events))
                stop = self.after(m, ev)
                if stop is not None or ev != _STOP_AT or m.pc not in check_only:
                    return ev, stop

    def after(self, m: Machine, ev: int, check: bool = False) -> Stop | None:
        """The stop caused by the step (or the fast chunk) that just ran and returned events ``ev``;
        with a per-step plan it must be called after every single step, with ``check`` after a step
        that may have changed what the conditions and watches read."""
        hit = self._per_step(m) if (check or self.per_step) and not ev & _BLOCKED else None
        if ev:
            for bit, bp in self.plan.event_bps:
                if ev & bit:
                    return Stop(StopReason.BREAKPOINT, bp.title(self.program), m.steps, bp.number)
            if ev & _BREAKPOINT and self.stop_events & _BREAKPOINT:
                return Stop(StopReason.BREAKPOINT_OPCODE, "the breakpoint instruction ran", m.steps)
            if ev & _BLOCKED and m.status is _EXTENSIVE:
                return Stop(StopReason.BLOCKED, f"inbox empty ({m.inbox_count} message(s) read)", m.steps)
        status = m.status
        if status is not _EXTENSIVE:
            if status == Status.HALTED:
                return Stop(StopReason.HALTED, f"halted after {m.steps:,} steps", m.steps)
            return Stop(StopReason.ERROR_STOP, "an error with no handler installed", m.steps)
        return hit

    def _per_step(self, m: Machine) -> Stop | None:
        """Conditions (edge-triggered), watches, opcode breakpoints and the predicate; the remembered
        values are updated even when an earlier check already stops."""
        plan = self.plan
        hit: Stop | None = None
        if plan.condition_bps:
            conditions = self._conditions
            for i, bp in enumerate(plan.condition_bps):
                now = bool(bp.condition(m)) if bp.condition else False
                if now and not conditions[i] and hit is None:
                    hit = Stop(StopReason.BREAKPOINT, bp.title(self.program), m.steps, bp.number)
                conditions[i] = now
        if plan.watches:
            watched = self._watched
            for i, w in enumerate(plan.watches):
                new = w.read(m)
                old = watched[i]
                if old is not new and watch_changed(old, new):
                    watched[i] = new
                    if hit is None:
                        text = f"{w.target}: {self._short(old)} -> {self._short(new)}"
                        hit = Stop(StopReason.WATCH, text, m.steps, watch=w.number)
        if hit is None and plan.opcode_bps:
            op = m.pc.op
            for bp in plan.opcode_bps:
                if bp.opcode == op and (bp.condition is None or bp.condition(m)):
                    return Stop(StopReason.BREAKPOINT, bp.title(self.program), m.steps, bp.number)
        if hit is None and self.predicate is not None and self.predicate(m):
            return Stop(self.done, self.done_detail, m.steps)
        return hit

    def _short(self, v: Value | None) -> str:
        return "absent" if v is None else summarize(v, self.program.labels, width=40)
