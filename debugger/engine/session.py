"""A debug session: run control in both directions over a recorded history, with stop reasons.

Plain Python (no Textual): the TUI calls these methods, usually from one worker thread, and renders
``session.machine``. ``interrupt()`` may be called from any thread.

Positions are step counts: ``step`` is the number of instructions executed to reach the current state
(``machine.steps``), ``history_end`` the furthest step recorded. Every state ``0..history_end`` can be
reached again exactly (same machine hash) through :class:`debugger.engine.history.History`.

Forward runs go through ``Machine.run`` in chunks (sized by time, so ``interrupt`` is honoured within
a few milliseconds, and cut at checkpoint boundaries while recording); only conditions, watches and a
few other checks need the step-by-step loop. Backward moves replay checkpoint segments from the latest
one backwards and remember the last step where the stop condition held.

Semantics (gdb-like):

* ``continue_`` executes at least one instruction, then stops *before* an instruction with an enabled
  instruction/opcode breakpoint (whose condition, if any, holds), *after* a step that fired an event
  breakpoint (error/log/send/halt), the ``breakpoint`` opcode, a compiled-in breakpoint, a condition
  that became true, or a watched value that changed; or at halt, error stop, an empty inbox, the run
  limit or an interrupt;
* ``reverse_continue`` goes to the latest earlier step where one of those held (or step 0);
* ``step_over``: a ``jump``/``cjump`` that is taken and leaves its return codepoint (the instruction after
  it) on top of the data or aux stack is a call: run until the pc is that codepoint again with the aux
  stack back at its depth; anything else is one step;
* ``step_out``: run until the innermost return codepoint on the aux stack is reached with the aux stack
  back below it (or, with no codepoint on the aux stack, until the aux stack is shallower than now).
"""

from __future__ import annotations

import bisect
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from avm.core.inbox import copy_inbox
from avm.core.machine import Event, Machine, Status
from avm.core.opcodes import mnemonic
from avm.core.program import Program
from avm.core.summary import summarize
from avm.core.values import CodePoint, Value
from avm.errors import UserError
from avm.proofs.l1_verdict import l1_rejection
from debugger.engine.breakpoints import BreakpointManager, RunPlan, WatchManager, watch_changed
from debugger.engine.history import History

JUMP_OPS = (0x34, 0x35)
CHUNK_SECONDS = 0.01          # forward runs check for an interrupt at least this often
OUTPUT_EVENTS = int(Event.LOG | Event.SEND | Event.DEBUGPRINT | Event.ERROR | Event.INBOX | Event.SIDELOAD)
# plain ints: IntFlag arithmetic costs about a microsecond per operation
_BREAKPOINT = int(Event.BREAKPOINT)
_BLOCKED = int(Event.BLOCKED)
_STOP_AT = int(Event.STOP_AT)
_LIMIT = int(Event.LIMIT)
EVENT_NAMES = {"LOG": "log", "SEND": "send", "DEBUGPRINT": "debugprint", "ERROR": "error",
               "INBOX": "inbox", "SIDELOAD": "sideload", "BREAKPOINT": "breakpoint"}


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

    def __str__(self) -> str:
        return self.value


@dataclass
class Stop:
    reason: StopReason
    detail: str
    step: int
    breakpoint: int | None = None
    watch: int | None = None


@dataclass(eq=False)
class OutputEvent:
    """Program output (or a stop), visible while ``session.step >= step``."""

    step: int          # the step whose instruction produced it (the state after it)
    kind: str          # log | send | debugprint | error | inbox | sideload | breakpoint | stop
    value: Any = None  # the AVM value / payload (the Stop for kind "stop")
    index: int = -1    # instruction index that produced it (-1: run-time code or unknown)
    detail: str = ""

    @property
    def text(self) -> str:
        return self.detail


class _Hit(Exception):
    """Internal: ends a forward run with a stop."""

    def __init__(self, stop: Stop) -> None:
        self.stop = stop


class Session:
    def __init__(self, program: Program, inbox: list[Value] | None = None, *,
                 replay_budget: float = 0.0015, history_interval: int | None = None) -> None:
        self.program = program
        self.breakpoints = BreakpointManager(program)
        self.watches = WatchManager()
        self.run_limit: int | None = None        # continue stops after this many steps (None: no limit)
        self.stop_on_compiled = True             # compiled-in breakpoints and the breakpoint opcode
        self.last_stop: Stop | None = None
        self._replay_budget = replay_budget
        self._history_interval = history_interval
        self._interrupt = threading.Event()
        self._rate = 300_000.0                    # fast-loop steps/s (chunk sizing)
        self._slow_rate = 30_000.0                # step-by-step loop steps/s
        self._start(inbox)

    @classmethod
    def load(cls, path: str | os.PathLike[str], inbox: list[Value] | None = None, **options: Any) -> Session:
        """A session on a ``.s`` or ``.mexe`` file (``UserError`` on bad input)."""
        from debugger.engine.loading import load_program

        return cls(load_program(path), inbox, **options)

    # ------------------------------------------------------------------ state
    def _start(self, inbox: list[Value] | None) -> None:
        self.inbox: list[Value] = copy_inbox(inbox if inbox is not None else self.program.inbox)
        m = Machine.from_program(self.program, copy_inbox(self.inbox))
        self.history = History(m, replay_budget=self._replay_budget, interval=self._history_interval)
        self._outputs: list[OutputEvent] = []
        self._pending: list[tuple[int, Any, CodePoint, CodePoint]] = []
        self.profile_cache: Any = None            # debugger.engine.insight.gas_profile's replay state
        self._set_machine(m)

    def _set_machine(self, m: Machine) -> None:
        m.on_event = self._on_event
        self.machine = m
        self._changes_cache: tuple[int, Any] | None = None

    @property
    def step(self) -> int:
        return self.machine.steps

    @property
    def history_end(self) -> int:
        return self.history.end

    @property
    def outputs(self) -> list[OutputEvent]:
        """Outputs and stops up to the current step, in step order."""
        n = bisect.bisect_right(self._outputs, self.machine.steps, key=lambda e: e.step)
        return self._outputs[:n]

    def interrupt(self) -> None:
        """Thread-safe: a running command stops at the next instruction boundary check (< 50 ms)."""
        self._interrupt.set()

    def restart(self, inbox: list[Value] | None = None) -> Stop:
        """Back to step 0. With a new inbox the recorded history is dropped (a new branch)."""
        if inbox is not None:
            self._start(inbox)
            return self._finish(Stop(StopReason.START_OF_HISTORY, "restarted with a new inbox", 0))
        return self.goto(self.history.start)

    def add_messages(self, messages: list[Value]) -> None:
        """Append inbox messages (e.g. while blocked); recorded history stays valid."""
        self.inbox.extend(messages)
        self.machine.inbox.extend(messages)

    def edit_state(self, change: Callable[[Machine], None]) -> None:
        """Apply a user change to the current state: the future is dropped and recorded anew."""
        change(self.machine)
        self.history.replace_state(self.machine)
        self._drop_outputs_after(self.machine.steps)
        self._changes_cache = None
        self.profile_cache = None

    def _drop_outputs_after(self, step: int) -> None:
        n = bisect.bisect_right(self._outputs, step, key=lambda e: e.step)
        del self._outputs[n:]

    # ------------------------------------------------------------------ outputs
    def _on_event(self, bit: int, payload: Any) -> None:
        """Machine callback (rare events). ``Machine.run`` updates ``steps`` only when it returns, so
        the event is kept until then (runs at the recording frontier stop after every such event)."""
        m = self.machine
        self._pending.append((bit, payload, m.pc, m.err_handler))

    def _flush_events(self, recorded_end: int) -> None:
        """Record the pending events as outputs of the last step run (if it was not recorded before)."""
        pending, self._pending = self._pending, []
        m = self.machine
        step = m.steps
        if step <= recorded_end:
            return                       # a replay of a recorded stretch: already in the outputs
        for bit, payload, pc_seen, handler in pending:
            name = Event(bit).name or ""
            kind = EVENT_NAMES.get(name, name.lower())
            if kind == "breakpoint":
                continue                 # reported as a stop reason instead
            index = _producer_index(pc_seen, kind, payload, len(self.program.code))
            if kind == "error":
                where = "error stop (no handler)" if handler.next is None else \
                    f"handler {summarize(handler, self.program.labels)}"
                detail = f"@{index}: {payload} -> {where}" if index >= 0 else f"{payload} -> {where}"
            else:
                detail = summarize(payload, self.program.labels) if kind != "send" else \
                    f"{len(payload)} bytes 0x{bytes(payload[:32]).hex()}{'…' if len(payload) > 32 else ''}"
            self._outputs.append(OutputEvent(step, kind, payload, index, detail))

    def _finish(self, stop: Stop) -> Stop:
        self.last_stop = stop
        self._changes_cache = None
        text = f"{stop.reason.value}: {stop.detail}" if stop.detail else stop.reason.value
        event = OutputEvent(stop.step, "stop", stop, self.machine.pc.index, text)
        pos = bisect.bisect_right(self._outputs, stop.step, key=lambda e: e.step)
        before = self._outputs[pos - 1] if pos else None
        if before is not None and before.kind == "stop" and before.step == stop.step \
                and before.value.reason is stop.reason:
            self._outputs[pos - 1] = event      # the same stop again: keep one line
        else:
            self._outputs.insert(pos, event)
        return stop

    # ------------------------------------------------------------------ travelling
    def _travel(self, step: int) -> None:
        if step != self.machine.steps:
            self._set_machine(self.history.state_at(step))

    def goto(self, step: int) -> Stop:
        """Go to any step: backwards or within the history by replay, beyond its end by running."""
        self._interrupt.clear()
        step = max(step, self.history.start)
        if step <= self.history.end:
            self._travel(step)
            if step == self.history.start:
                return self._finish(Stop(StopReason.START_OF_HISTORY, "at the start of the history", step))
            return self._finish(Stop(StopReason.TARGET, f"at step {step:,}", step))
        self._travel(self.history.end)
        return self._forward(limit=step - self.machine.steps, plan=None, done=StopReason.TARGET,
                             done_detail=f"at step {step:,}")

    def step_forward(self, n: int = 1) -> Stop:
        self._interrupt.clear()
        warning = l1_rejection(self.machine, inbox=False) if n == 1 else None
        index = self.machine.pc.index
        stop = self._forward(limit=max(1, n), plan=None, done=StopReason.STEP,
                             done_detail="1 step" if n == 1 else f"{n:,} steps")
        if warning and not any(e.kind == "l1" and e.step == stop.step for e in self._outputs):
            pos = bisect.bisect_left(self._outputs, stop.step, key=lambda e: e.step)
            self._outputs.insert(pos, OutputEvent(stop.step, "l1", None, index, warning))
        return stop

    def step_back(self, n: int = 1) -> Stop:
        self._interrupt.clear()
        here = self.machine.steps
        target = max(self.history.start, here - max(1, n))
        self._travel(target)
        if target == self.history.start:
            return self._finish(Stop(StopReason.START_OF_HISTORY, "at the start of the history", target))
        back = here - target
        return self._finish(Stop(StopReason.STEP, f"back {back:,} step{'' if back == 1 else 's'}", target))

    def continue_(self) -> Stop:
        self._interrupt.clear()
        return self._forward(limit=self.run_limit, plan=self._plan(), done=StopReason.STEP_LIMIT,
                             done_detail=f"ran {self.run_limit:,} steps" if self.run_limit else "")

    def run_to(self, index: int, backward: bool | None = None) -> Stop:
        """Run until the instruction at ``index`` is next (breakpoints still stop the run). By default
        the run goes backward when ``index`` is above the current instruction in the listing."""
        self._interrupt.clear()
        cp = self.program.code[self.breakpoints.resolve_location(index)[0]]
        if backward is None:
            backward = 0 <= cp.index < self.machine.pc.index
        detail = f"reached @{cp.index}"
        if backward:
            return self._backward(self._plan(), targets={cp: None}, done_detail=detail)
        return self._forward(limit=None, plan=self._plan(), targets={cp: None}, done=StopReason.TARGET,
                             done_detail=detail)

    # ------------------------------------------------------------------ over / out
    def _is_call(self, before: CodePoint, after: Machine) -> bool:
        """Did the jump at ``before`` (now executed) call: taken, with its return codepoint on top?"""
        ret = before.next
        if before.op not in JUMP_OPS or ret is None or after.pc is ret:
            return False
        return any(v is ret for v in after.stack[-2:]) or (bool(after.aux) and after.aux[-1] is ret)

    def step_over(self) -> Stop:
        self._interrupt.clear()
        m = self.machine
        pc = m.pc
        if pc.op not in JUMP_OPS or m.status != Status.EXTENSIVE:
            return self.step_forward(1)
        depth = len(m.aux)
        first = self._run_forward(limit=1, plan=None, done=StopReason.STEP, done_detail="1 step")
        if first.reason is not StopReason.STEP or not self._is_call(pc, self.machine):
            return self._finish(first)
        ret = pc.next
        return self._forward(limit=None, plan=self._plan(), targets={ret: lambda x: len(x.aux) <= depth},
                             done=StopReason.STEP, done_detail=f"stepped over the call at @{pc.index}",
                             check_first=True)

    def step_out(self) -> Stop:
        self._interrupt.clear()
        m = self.machine
        frame = _innermost_return(m)
        if frame is not None:
            k, ret = frame
            return self._forward(limit=None, plan=self._plan(), targets={ret: lambda x: len(x.aux) <= k},
                                 done=StopReason.STEP, done_detail=f"returned to {self._where(ret)}")
        depth = len(m.aux)
        return self._forward(limit=None, plan=self._plan(), predicate=lambda x: len(x.aux) < depth,
                             done=StopReason.STEP, done_detail=f"aux stack below depth {depth}")

    def step_over_back(self) -> Stop:
        """Back to the previous instruction at this level: over a whole call when we sit at its return."""
        self._interrupt.clear()
        s = self.machine.steps
        if s <= self.history.start:
            return self._finish(Stop(StopReason.START_OF_HISTORY, "at the start of the history", s))
        here = self.machine
        prev = self.history.state_at(s - 1)
        ret = here.pc
        if (prev.pc.op in JUMP_OPS and prev.pc.next is not ret and ret.index > 0
                and self.program.code[ret.index - 1].op in JUMP_OPS):
            call = self._find_call(s, ret, len(here.aux))
            if call is not None:
                self._set_machine(self.history.state_at(call))
                return self._finish(Stop(StopReason.STEP, f"back over the call at @{self.machine.pc.index}",
                                         call))
        self._set_machine(prev)
        if s - 1 == self.history.start:
            return self._finish(Stop(StopReason.START_OF_HISTORY, "at the start of the history", s - 1))
        return self._finish(Stop(StopReason.STEP, "back 1 step", s - 1))

    def step_out_back(self) -> Stop:
        """Back to the call of the current function (or to where the aux stack was shallower)."""
        self._interrupt.clear()
        m = self.machine
        s = m.steps
        frame = _innermost_return(m)
        if frame is not None:
            k, ret = frame
            call = self._find_call(s, ret, k)
            if call is not None:
                self._set_machine(self.history.state_at(call))
                return self._finish(Stop(StopReason.STEP, f"back to the call at @{self.machine.pc.index}",
                                         call))
        depth = len(m.aux)
        return self._backward(None, predicate=lambda x: len(x.aux) < depth,
                              done_detail=f"aux stack below depth {depth}")

    def _find_call(self, s: int, ret: CodePoint, depth: int) -> int | None:
        """The latest step t < s whose instruction calls with return codepoint ``ret`` at aux depth
        ``depth``, with no return to ``ret`` (or drop below ``depth``) between it and ``s``."""
        found: list[int | None] = [None]

        def scan(m: Machine, lo: int, hi: int) -> int | None:
            last_call = None
            last_barrier = None
            while m.steps < hi:
                before = m.pc
                aux = m.aux
                # the call runs at ``depth``, or one deeper when the caller pushed the return first
                at_depth = len(aux) == depth or (len(aux) == depth + 1 and aux[-1] is ret)
                t = m.steps
                m.step()
                if m.steps == t:
                    break
                if at_depth and before.next is ret and self._is_call(before, m):
                    last_call = t
                u = m.steps
                if u < s and (len(m.aux) < depth or (m.pc is ret and len(m.aux) == depth)):
                    last_barrier = u
            if last_call is not None and (last_barrier is None or last_barrier <= last_call):
                found[0] = last_call
                return 1
            if last_barrier is not None:
                return 0
            return None

        self._scan_back(s, scan)
        return found[0]

    # ------------------------------------------------------------------ reverse continue
    def reverse_continue(self) -> Stop:
        self._interrupt.clear()
        return self._backward(self._plan(), done_detail="")

    # ------------------------------------------------------------------ planning
    def _plan(self) -> RunPlan:
        return self.breakpoints.plan(self.watches.list(), compiled=self.stop_on_compiled)

    def _where(self, cp: CodePoint) -> str:
        return summarize(cp, self.program.labels)

    # ------------------------------------------------------------------ the forward engine
    def _forward(self, limit: int | None, plan: RunPlan | None, *, done: StopReason, done_detail: str,
                 targets: dict[CodePoint, Callable[[Machine], bool] | None] | None = None,
                 predicate: Callable[[Machine], bool] | None = None, check_first: bool = False) -> Stop:
        """Run forward from the current state until a stop (recorded in the outputs)."""
        return self._finish(self._run_forward(limit, plan, done=done, done_detail=done_detail,
                                              targets=targets, predicate=predicate, check_first=check_first))

    def _run_forward(self, limit: int | None, plan: RunPlan | None, *, done: StopReason, done_detail: str,
                     targets: dict[CodePoint, Callable[[Machine], bool] | None] | None = None,
                     predicate: Callable[[Machine], bool] | None = None, check_first: bool = False) -> Stop:
        """Run forward until a stop. ``targets``: codepoints that end the run (with ``done``) when their
        test passes; ``predicate``: a per-step test that ends it; ``check_first``: the current
        instruction may stop the run before it executes (normally the first instruction always runs)."""
        m = self.machine
        if m.status == Status.HALTED:
            return Stop(StopReason.HALTED, "the machine has halted", m.steps)
        if m.status == Status.ERRORSTOP:
            return Stop(StopReason.ERROR_STOP, "the machine is in error stop", m.steps)
        plan = plan or RunPlan()
        targets = targets or {}
        stop_at: dict[CodePoint, Any] = dict.fromkeys(plan.stop_at)
        stop_at.update(dict.fromkeys(targets))
        stop_events = plan.stop_events
        slow = plan.per_step or predicate is not None
        state = _SlowState(plan, m) if slow else None
        history = self.history
        start = m.steps
        end_at = None if limit is None else start + limit
        checked = not check_first       # the first instruction always runs (gdb semantics)
        acc_steps, acc_time = 0, 0.0    # for the speed estimate
        try:
            while True:
                if self._interrupt.is_set():
                    self._interrupt.clear()
                    return Stop(StopReason.INTERRUPTED, f"after {m.steps - start:,} steps", m.steps)
                pos = m.steps
                if end_at is not None and pos >= end_at:
                    return Stop(done, done_detail, pos)
                if not checked and m.pc in stop_at:
                    self._check_pc(m, plan, targets, done, done_detail)
                checked = False
                rate = self._slow_rate if slow else self._rate
                n = max(16, int(rate * CHUNK_SECONDS))
                if end_at is not None:
                    n = min(n, end_at - pos)
                n = min(n, history.end - pos) if pos < history.end else min(n, max(1, history.due() - pos))
                recorded_end = history.end
                events = stop_events if pos < recorded_end else stop_events | OUTPUT_EVENTS
                t0 = time.perf_counter()
                if slow:
                    ev = self._slow_run(m, n, stop_at, events, state, predicate)  # type: ignore[arg-type]
                else:
                    ev = int(m.run(n, stop_at, events))
                if self._pending:
                    self._flush_events(recorded_end)
                acc_time += time.perf_counter() - t0
                acc_steps += m.steps - pos
                if acc_time >= 0.004:
                    if slow:
                        self._slow_rate = 0.5 * self._slow_rate + 0.5 * acc_steps / acc_time
                    else:
                        self._rate = 0.5 * self._rate + 0.5 * acc_steps / acc_time
                        history.note_rate(acc_steps, acc_time)
                    acc_steps, acc_time = 0, 0.0
                if m.steps >= history.end:
                    history.extend(m)
                self._classify(m, ev, plan, targets, done, done_detail, state)
                if ev & _STOP_AT:
                    checked = True
        except _Hit as hit:
            if m.steps >= history.end:
                history.extend(m)
            return hit.stop

    def _check_pc(self, m: Machine, plan: RunPlan, targets: dict, done: StopReason, done_detail: str) -> None:
        """Stop (raise _Hit) if the instruction about to run is a breakpoint or a target."""
        pc = m.pc
        for bp in plan.stop_at.get(pc, ()):
            if bp.condition is None or bp.condition(m):
                self.breakpoints.hit(bp)
                raise _Hit(Stop(StopReason.BREAKPOINT, bp.title(self.program), m.steps, bp.number))
        if pc.index in plan.compiled and pc.index >= 0 and self.program.code[pc.index] is pc:
            raise _Hit(Stop(StopReason.COMPILED_BREAKPOINT, f"compiled breakpoint at {self._where(pc)}",
                            m.steps))
        if pc in targets:
            test = targets[pc]
            if test is None or test(m):
                raise _Hit(Stop(done, done_detail, m.steps))

    def _classify(self, m: Machine, ev: int, plan: RunPlan, targets: dict, done: StopReason,
                  done_detail: str, state: _SlowState | None) -> None:
        """Turn the events of the last chunk into a stop (raise _Hit), or return to keep running."""
        s = m.steps
        for bit, bp in plan.event_bps:
            if ev & bit:
                self.breakpoints.hit(bp)
                raise _Hit(Stop(StopReason.BREAKPOINT, bp.title(self.program), s, bp.number))
        if ev & _BREAKPOINT and plan.stop_events & _BREAKPOINT:
            raise _Hit(Stop(StopReason.BREAKPOINT_OPCODE, "the breakpoint instruction ran", s))
        if m.status == Status.HALTED:
            raise _Hit(Stop(StopReason.HALTED, f"halted after {s:,} steps", s))
        if m.status == Status.ERRORSTOP:
            raise _Hit(Stop(StopReason.ERROR_STOP, "an error with no handler installed", s))
        if ev & _BLOCKED:
            raise _Hit(Stop(StopReason.BLOCKED, f"inbox empty ({m.inbox_count} message(s) read)", s))
        if state is not None and state.hit is not None:
            hit, state.hit = state.hit, None
            if hit.reason is StopReason.STEP and not hit.detail:     # the run's own predicate
                hit = Stop(done, done_detail, hit.step)
            raise _Hit(hit)
        if ev & _STOP_AT:
            self._check_pc(m, plan, targets, done, done_detail)

    def _slow_run(self, m: Machine, n: int, stop_at: dict, stop_events: int, state: _SlowState,
                  predicate: Callable[[Machine], bool] | None) -> int:
        """Up to ``n`` single steps with the per-step checks; returns like ``Machine.run``."""
        step = m.step
        ev = 0
        for i in range(n):
            if i and m.pc in stop_at:
                return ev | _STOP_AT
            ev = int(step())
            if ev & _BLOCKED:
                return ev
            if state.check(self, m):
                return ev
            if predicate is not None and predicate(m):
                state.hit = Stop(StopReason.STEP, "", m.steps)
                return ev
            if ev & stop_events or m.status != Status.EXTENSIVE:
                return ev
        return ev | _LIMIT

    # ------------------------------------------------------------------ the backward engine
    def _scan_back(self, s: int, scan: Callable[[Machine, int, int], int | None]) -> bool:
        """Call ``scan(machine, lo, hi)`` on the checkpoint segments before step ``s``, latest first;
        ``scan`` replays the clone from ``lo`` to ``hi`` and returns non-None to end the search.
        Returns False when interrupted."""
        history = self.history
        hi = s - 1
        for lo in history.segment_starts(s - 1):
            if self._interrupt.is_set():
                self._interrupt.clear()
                return False
            if hi <= lo:
                hi = lo
                continue
            m = history.checkpoint_at(lo).clone()
            m.on_event = None
            if scan(m, lo, hi) is not None:
                return True
            hi = lo
        return True

    def _backward(self, plan: RunPlan | None, *, targets: dict[CodePoint, Any] | None = None,
                  predicate: Callable[[Machine], bool] | None = None, done_detail: str = "") -> Stop:
        """Go to the latest step before now where a stop condition of ``plan``/``targets``/``predicate``
        held (a breakpoint before its instruction, an event/condition/watch after its step)."""
        plan = plan or RunPlan()
        targets = targets or {}
        s = self.machine.steps
        stop_at: dict[CodePoint, Any] = dict.fromkeys(plan.stop_at)
        stop_at.update(dict.fromkeys(targets))
        slow = plan.per_step or predicate is not None
        result: list[Stop | None] = [None]
        interrupted_at = s

        def judge(m: Machine, ev: int, prev_state: _SlowState | None) -> Stop | None:
            """The stop the state ``m`` (just reached) would cause, ignoring hit counters."""
            t = m.steps
            for bit, bp in plan.event_bps:
                if ev & bit:
                    return Stop(StopReason.BREAKPOINT, bp.title(self.program), t, bp.number)
            if ev & _BREAKPOINT and plan.stop_events & _BREAKPOINT:
                return Stop(StopReason.BREAKPOINT_OPCODE, "the breakpoint instruction ran", t)
            if prev_state is not None and prev_state.hit is not None:
                hit, prev_state.hit = prev_state.hit, None
                return hit
            if predicate is not None and predicate(m):
                return Stop(StopReason.STEP, done_detail, t)
            pc = m.pc
            if pc in stop_at:
                for bp in plan.stop_at.get(pc, ()):
                    if bp.condition is None or bp.condition(m):
                        return Stop(StopReason.BREAKPOINT, bp.title(self.program), t, bp.number)
                if pc.index in plan.compiled and pc.index >= 0 and self.program.code[pc.index] is pc:
                    return Stop(StopReason.COMPILED_BREAKPOINT, f"compiled breakpoint at {self._where(pc)}",
                                t)
                if pc in targets:
                    return Stop(StopReason.TARGET, done_detail or f"reached @{pc.index}", t)
            return None

        def scan(m: Machine, lo: int, hi: int) -> int | None:
            last: Stop | None = None
            if slow:
                state = _SlowState(plan, m, count_hits=False)
                while m.steps < hi:
                    t = m.steps
                    ev = int(m.step())
                    if m.steps == t:
                        break
                    state.check(self, m)
                    hit = judge(m, ev, state)
                    if hit is not None:
                        last = hit
            else:
                ev = 0
                while m.steps < hi:
                    ev = int(m.run(hi - m.steps, stop_at, plan.stop_events))
                    if ev & _BLOCKED or m.steps == lo:
                        break
                    if m.steps < hi or not ev & _LIMIT:
                        hit = judge(m, ev & ~_LIMIT, None)
                        if hit is not None:
                            last = hit
                    if m.status != Status.EXTENSIVE:
                        break
                if m.steps == hi and ev & _LIMIT:
                    hit = judge(m, ev & ~_LIMIT, None)
                    if hit is not None:
                        last = hit
            if last is not None:
                result[0] = last
                return 1
            return None

        if s > self.history.start and not self._scan_back(s, scan):
            return self._finish(Stop(StopReason.INTERRUPTED, "reverse search interrupted", interrupted_at))
        stop = result[0]
        if stop is None:
            start = self.history.start
            self._travel(start)
            m = self.machine
            if m.pc in targets:
                return self._finish(Stop(StopReason.TARGET, done_detail or f"reached @{m.pc.index}", start))
            return self._finish(Stop(StopReason.START_OF_HISTORY, "no earlier stop: at the start", start))
        self._travel(stop.step)
        if stop.breakpoint is not None:
            try:
                self.breakpoints.hit(self.breakpoints.get(stop.breakpoint))
            except Exception:  # deleted meanwhile
                pass
        if stop.watch is not None:
            self.watches.get(stop.watch).hits += 1
        return self._finish(stop)

    # ------------------------------------------------------------------ insight shortcuts
    def previous_state(self) -> Machine | None:
        """The state one step before the current one (None at the start)."""
        s = self.machine.steps
        if s <= self.history.start:
            return None
        return self.history.state_at(s - 1)

    def state_at(self, step: int) -> Machine:
        """A private copy of the state after ``step`` steps (within the history)."""
        return self.history.state_at(step)

    def changes(self) -> Any:
        """What the last step changed (see :func:`debugger.engine.insight.diff_states`), cached per step."""
        from debugger.engine.insight import diff_states

        s = self.machine.steps
        if self._changes_cache is None or self._changes_cache[0] != s:
            self._changes_cache = (s, diff_states(self.previous_state(), self.machine))
        return self._changes_cache[1]

    def call_stack(self) -> list[Any]:
        from debugger.engine.insight import call_stack

        return call_stack(self.program, self.machine)

    def gas_profile(self, upto: int | None = None) -> Any:
        from debugger.engine.insight import gas_profile

        return gas_profile(self, self.machine.steps if upto is None else upto)

    def export_trace(self, out: Any, start: int = 0, end: int | None = None, hashes: bool = False) -> int:
        from debugger.engine.insight import export_trace

        return export_trace(self, out, start, self.history.end if end is None else end, hashes)

    def write_trace(self, path: str | os.PathLike[str]) -> int:
        """:meth:`export_trace` of the whole history into a file; returns the number of states
        written (``UserError`` when the file cannot be written)."""
        try:
            with open(path, "w", encoding="utf-8") as out:
                return self.export_trace(out)
        except OSError as err:
            raise UserError(f"cannot write: {err.strerror or err}", os.fspath(path)) from None

    def instruction_counts(self, mode: str = "hits") -> list[int]:
        """Per instruction index: executions (``hits``) or gas charged (``gas``) over the steps
        from the start to the current one (a replay: see :meth:`gas_profile`)."""
        profile = self.gas_profile()
        source = profile.gas if mode == "gas" else profile.counts
        counts = [0] * len(self.program.code)
        for index, value in source.items():
            if 0 <= index < len(counts):
                counts[index] = value
        return counts

    def executed_instructions(self) -> set[int]:
        """Instruction indices executed from the start to the current step."""
        return set(self.gas_profile().counts)

    def last_step_at(self, index: int, before: int) -> int | None:
        """The latest recorded state ``s < before`` whose next instruction is ``program.code[index]``
        (replays the history backwards, one checkpoint segment at a time)."""
        target = self.program.code[index]
        history = self.history
        hi = min(before, history.end + 1)           # exclusive bound on the state number
        if hi <= history.start:
            return None
        for lo in history.segment_starts(hi - 1):
            m = history.checkpoint_at(lo).clone()
            latest = lo if m.pc is target else None
            while m.steps < hi - 1:
                was = m.steps
                m.run(hi - 1 - m.steps, stop_at=(target,))
                if m.steps == was:
                    break                               # blocked: nothing further in this segment
                if m.pc is target:
                    latest = m.steps
                if m.status != Status.EXTENSIVE:
                    break
            if latest is not None:
                return latest
            hi = lo
        return None

    def proof_step_for(self, index: int) -> tuple[int, str]:
        """Which step to prove for instruction ``index`` (e.g. the listing cursor), and why: the
        step about to run if it is the current instruction, else the latest earlier step that ran
        it, else the first later recorded one (``UserError`` if it never ran in the history)."""
        if index == self.machine.pc.index:
            return self.step, f"the step about to run (step {self.step:,}, instruction #{index})"
        found = self.last_step_at(index, self.step)
        if found is not None:
            return found, f"the latest step that ran instruction #{index}: step {found:,}"
        later = self.last_step_at(index, self.history.end + 1)
        if later is not None and later > self.step:
            return later, f"instruction #{index} ran later in the recorded history, at step {later:,}"
        raise UserError(f"instruction #{index} has not run in the recorded history: no proof to export")

    def proof_for_step(self, step: int) -> dict[str, Any]:
        """The reference-format proof entry of the instruction run from state ``step`` (``UserError``
        when that state has no next step: halted, error stop, blocked)."""
        from avm.proofs.export import can_prove, make_proof_entry

        state = self.history.state_at(step)
        why = can_prove(state)
        if why:
            raise UserError(f"step {step:,} cannot be proved: {why}")
        return make_proof_entry(state, step, self.program.path)

    def opcode_name(self) -> str:
        return mnemonic(self.machine.pc.op)


def _producer_index(pc_seen: CodePoint, kind: str, payload: Any, n_code: int) -> int:
    """The instruction that raised an event, from the pc the machine had during the callback: the
    successor of the instruction, except for errors found before it ran (underflow, gas, invalid)."""
    if kind == "error" and isinstance(payload, str) and (
            "underflow" in payload or payload == "out of gas" or payload.startswith("invalid opcode")):
        return pc_seen.index
    index = pc_seen.index
    return index - 1 if 1 <= index <= n_code else -1


def _innermost_return(m: Machine) -> tuple[int, CodePoint] | None:
    """(aux position, codepoint) of the topmost codepoint on the aux stack: the innermost return."""
    aux = m.aux
    for i in range(len(aux) - 1, -1, -1):
        if type(aux[i]) is CodePoint:
            return i, aux[i]
    return None


class _SlowState:
    """Per-step checks: opcode breakpoints (run-time code), conditions (edge-triggered), watches."""

    def __init__(self, plan: RunPlan, m: Machine, count_hits: bool = True) -> None:
        self.plan = plan
        self.count_hits = count_hits
        self.cond_values = [bool(bp.condition(m)) if bp.condition else False for bp in plan.condition_bps]
        self.watch_values = [w.read(m) for w in plan.watches]
        self.hit: Stop | None = None

    def check(self, session: Session, m: Machine) -> bool:
        """After a step: record the first stop it causes in ``self.hit``; True if there is one."""
        plan = self.plan
        hit: Stop | None = None
        for i, bp in enumerate(plan.condition_bps):
            now = bool(bp.condition(m)) if bp.condition else False
            if now and not self.cond_values[i] and hit is None:
                hit = Stop(StopReason.BREAKPOINT, bp.title(session.program), m.steps, bp.number)
                if self.count_hits:
                    session.breakpoints.hit(bp)
            self.cond_values[i] = now
        for i, w in enumerate(plan.watches):
            new = w.read(m)
            old = self.watch_values[i]
            if watch_changed(old, new):
                self.watch_values[i] = new
                if hit is None:
                    text = f"{w.target}: {_short(old, session)} -> {_short(new, session)}"
                    hit = Stop(StopReason.WATCH, text, m.steps, watch=w.number)
                    if self.count_hits:
                        w.hits += 1
        if hit is None:
            op = m.pc.op
            for bp in plan.opcode_bps:
                if bp.opcode == op and (bp.condition is None or bp.condition(m)):
                    hit = Stop(StopReason.BREAKPOINT, bp.title(session.program), m.steps, bp.number)
                    if self.count_hits:
                        session.breakpoints.hit(bp)
                    break
        if hit is not None:
            self.hit = hit
            return True
        return False


def _short(v: Any, session: Session) -> str:
    return "absent" if v is None else summarize(v, session.program.labels, width=40)
