"""A debug session: run control in both directions over a recorded history, with stop reasons.

Plain Python (no Textual): the TUI calls these methods, usually from one worker thread, and renders
``session.machine``. ``interrupt()`` may be called from any thread.

Positions are step counts: ``step`` is the number of instructions executed to reach the current state
(``machine.steps``), ``history_end`` the furthest step recorded. Every state ``0..history_end`` can be
reached again exactly (same machine hash) through :class:`debugger.engine.history.History`.

Step N is the state after N instructions; "proving step N" proves the instruction run from state N.

Which state stops a run is decided in one place, :class:`debugger.engine.stops.StopJudge`. Forward runs
go through ``Machine.run`` in chunks (sized by time, so ``interrupt`` is honoured within a few
milliseconds, cut at checkpoint boundaries while recording and before each expensive instruction);
only conditions, watches and a few other checks need the step-by-step loop. Backward moves replay
checkpoint segments from the latest one backwards and keep the latest state the judge names.

Searches that live in other modules (origins, place history, source stepping, run-time code) use the
public building blocks, never the session's private parts: ``scan_back`` (replay the segments latest
first), ``travel_to`` (make a recorded step current), ``record_stop`` (end a command with its stop),
``clear_interrupt`` / ``take_interrupt`` (begin a command; notice an Esc while replaying).

Semantics (gdb-like):

* ``continue_`` executes at least one instruction, then stops *before* an instruction with an enabled
  instruction/opcode breakpoint (whose condition, if any, holds), *after* a step that fired an event
  breakpoint (error/log/send/halt), the ``breakpoint`` opcode, a compiled-in breakpoint, a condition
  that became true, or a watched value that changed; or at halt, error stop, an empty inbox, the run
  limit or an interrupt;
* ``reverse_continue`` goes to the latest earlier step where one of those held (or step 0);
* ``run_to`` goes by time: forward to the next time an instruction is about to run, backward to the
  previous time; when it never does in that direction the session does not move (``NOT_FOUND``);
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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from avm.core.inbox import copy_inbox
from avm.core.machine import Event, Machine, Status
from avm.core.opcodes import GAS, JUMP_OPS, mnemonic
from avm.core.program import Program
from avm.core.summary import summarize
from avm.core.values import CodePoint, Value
from avm.errors import UserError
from avm.ops.crypto import interruptible
from avm.proofs.l1_verdict import l1_rejection
from debugger.engine import runtime_code
from debugger.engine import source_map as _source_map  # noqa: F401 -- registers file:line and global names
from debugger.engine.annotations import Annotations
from debugger.engine.breakpoints import BreakpointManager, RunPlan, WatchManager
from debugger.engine.display import instruction_ref
from debugger.engine.history import History
from debugger.engine.stops import Stop, StopJudge, StopReason, Target

if TYPE_CHECKING:
    from debugger.engine.insight import Changes, Frame, GasProfile, ProfileCache
    from debugger.engine.runtime_code import RuntimeEntry
    from debugger.engine.source_map import SourceMap

__all__ = ["OutputEvent", "Session", "Stop", "StopReason"]

_ENDS = {StopReason.HALTED: "halts", StopReason.ERROR_STOP: "error-stops", StopReason.BLOCKED: "blocks"}
EXPENSIVE_GAS = 1000           # instructions at least this dear (ec*) get a chunk of their own
CHUNK_SECONDS = 0.01          # forward runs check for an interrupt at least this often
OUTPUT_EVENTS = int(Event.LOG | Event.SEND | Event.DEBUGPRINT | Event.ERROR | Event.INBOX | Event.SIDELOAD)
# plain ints: IntFlag arithmetic costs about a microsecond per operation
_BREAKPOINT = int(Event.BREAKPOINT)
_BLOCKED = int(Event.BLOCKED)
_STOP_AT = int(Event.STOP_AT)
_LIMIT = int(Event.LIMIT)
EVENT_NAMES = {"LOG": "log", "SEND": "send", "DEBUGPRINT": "debugprint", "ERROR": "error",
               "INBOX": "inbox", "SIDELOAD": "sideload", "BREAKPOINT": "breakpoint"}


@dataclass(eq=False)
class OutputEvent:
    """Program output (or a stop), visible while ``session.step >= step``."""

    step: int          # the step whose instruction produced it (the state after it)
    kind: str          # log | send | debugprint | error | inbox | sideload | breakpoint | stop
    value: object = None  # the AVM value / payload (the Stop for kind "stop")
    index: int = -1    # instruction index that produced it (-1: run-time code or unknown)
    detail: str = ""

    @property
    def text(self) -> str:
        return self.detail


class Session:
    def __init__(self, program: Program, inbox: list[Value] | None = None, *,
                 replay_budget: float = 0.0015, history_interval: int | None = None) -> None:
        self.program = program
        self.breakpoints = BreakpointManager(program)
        self.watches = WatchManager(program)
        self.run_limit: int | None = None        # continue stops after this many steps (None: no limit)
        self.stop_on_compiled = True             # compiled-in breakpoints and the breakpoint opcode
        self.source_dirs: list[str] = []         # where to look for compiled programs' sources
        self._source_map: SourceMap | None = None
        self.last_stop: Stop | None = None
        self.annotations = Annotations()         # bookmarks and notes typed by the user
        self.notices: list[str] = []             # for the user, from loading (a restored session file)
        self._replay_budget = replay_budget
        self._history_interval = history_interval
        self._interrupt = threading.Event()
        self._rate = 300_000.0                    # fast-loop steps/s (chunk sizing)
        self._slow_rate = 30_000.0                # step-by-step loop steps/s
        self._start(inbox)

    @classmethod
    def load(cls, path: str | os.PathLike[str], inbox: list[Value] | None = None, *,
             replay_budget: float = 0.0015, history_interval: int | None = None) -> Session:
        """A session on a ``.s`` or ``.mexe`` file (``UserError`` on bad input)."""
        from debugger.engine.loading import load_program

        return cls(load_program(path), inbox, replay_budget=replay_budget, history_interval=history_interval)

    # ------------------------------------------------------------------ state
    def _start(self, inbox: list[Value] | None) -> None:
        self.inbox: list[Value] = copy_inbox(inbox if inbox is not None else self.program.inbox)
        m = Machine.from_program(self.program, copy_inbox(self.inbox))
        self.history = History(m, replay_budget=self._replay_budget, interval=self._history_interval)
        self._outputs: list[OutputEvent] = []
        self._pending: list[tuple[int, object, CodePoint, CodePoint]] = []
        self.profile_cache: ProfileCache | None = None   # debugger.engine.insight.gas_profile's replay state
        self.runtime_cache: dict[int, tuple[CodePoint, tuple[int | None, int | None]]] = {}  # runtime_code
        # expensive instructions (elliptic-curve ops) end each forward chunk, so that the history
        # checkpoints around them and an interrupt is seen between two of them
        self._expensive: dict[CodePoint, None] = {
            cp: None for cp in self.program.code if GAS[cp.op] >= EXPENSIVE_GAS}
        self._set_machine(m)

    def _set_machine(self, m: Machine) -> None:
        m.on_event = self._on_event
        self.machine = m
        self._changes_cache: tuple[int, Changes] | None = None
        self._previous: Machine | None = None     # the state one step back, found by _finish

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

    def clear_interrupt(self) -> None:
        """A command begins: an interrupt that arrived before it (meant for an earlier one) is dropped."""
        self._interrupt.clear()

    def take_interrupt(self) -> bool:
        """Has an interrupt arrived since the command began? True once (the interrupt is used up):
        for loops outside the session that replay the history and must end promptly."""
        if self._interrupt.is_set():
            self._interrupt.clear()
            return True
        return False

    def restart(self, inbox: list[Value] | None = None) -> Stop:
        """Back to step 0. With a new inbox the recorded history is dropped (a new branch)."""
        if inbox is not None:
            self._start(inbox)
            return self.record_stop(Stop(StopReason.START_OF_HISTORY, "restarted with a new inbox", 0))
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
        self.runtime_cache.clear()

    def _drop_outputs_after(self, step: int) -> None:
        n = bisect.bisect_right(self._outputs, step, key=lambda e: e.step)
        del self._outputs[n:]

    # ------------------------------------------------------------------ outputs
    def _on_event(self, bit: int, payload: object) -> None:
        """Machine callback (rare events). ``Machine.run`` updates ``steps`` only when it returns, so
        the event is kept until then (runs at the recording frontier stop after every such event)."""
        m = self.machine
        self._pending.append((bit, payload, m.pc, m.err_handler))

    def _flush_events(self, recorded_end: int, pc_before: CodePoint | None) -> None:
        """Record the pending events as outputs of the last step run (if it was not recorded before).
        ``pc_before``: the instruction of that step when known (a one-step chunk); else the history
        tells (an error's instruction is not always the one before the pc the callback saw)."""
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
            if kind == "error":
                if pc_before is None:
                    pc_before = self.history.state_at(step - 1).pc
                index = pc_before.index if 0 <= pc_before.index < len(self.program.code) else -1
                where = "error stop (no handler)" if handler.next is None else \
                    f"handler {summarize(handler, self.program.labels)}"
                detail = f"{instruction_ref(index)}: {payload} -> {where}" if index >= 0 else \
                    f"{runtime_code.entry_for(self, pc_before, step - 1).text}: {payload} -> {where}"
            else:
                # the instruction ran to its end: the callback saw its successor in the listing
                index = pc_seen.index - 1 if 1 <= pc_seen.index <= len(self.program.code) else -1
                if isinstance(payload, (bytes, bytearray)):       # a send
                    more = "…" if len(payload) > 32 else ""
                    detail = f"{len(payload)} bytes 0x{bytes(payload[:32]).hex()}{more}"
                else:
                    detail = summarize(payload, self.program.labels)
            self._outputs.append(OutputEvent(step, kind, payload, index, detail))

    def record_stop(self, stop: Stop) -> Stop:
        """Make ``stop`` the session's last stop and its line in the outputs (the same stop again at
        the same step keeps one line); returns it. Every command ends with this."""
        self.last_stop = stop
        self._changes_cache = None
        # the stop display diffs against the previous state: find it here, in the worker, so that
        # the UI thread never replays machine steps
        s = self.machine.steps
        history = self.history
        self._previous = history.state_at(s - 1, hand_out=False) if history.start < s <= history.end + 1 \
            else None
        stop.where = self.machine.pc.index
        event = OutputEvent(stop.step, "stop", stop, stop.where, stop.text)
        pos = bisect.bisect_right(self._outputs, stop.step, key=lambda e: e.step)
        before = self._outputs[pos - 1] if pos else None
        if before is not None and isinstance(before.value, Stop) and before.step == stop.step \
                and before.value.reason is stop.reason:
            self._outputs[pos - 1] = event      # the same stop again: keep one line
        else:
            self._outputs.insert(pos, event)
        return stop

    # ------------------------------------------------------------------ travelling
    def travel_to(self, step: int) -> None:
        """Make the recorded state after ``step`` steps the current one (no stop is recorded: a
        command that travels ends with :meth:`record_stop`)."""
        if step != self.machine.steps:
            self._set_machine(self._restored(step))

    def _restored(self, step: int) -> Machine:
        """A handed-out state after ``step`` steps: a copy of the state one step back that
        :meth:`record_stop` found, when that is the one asked for (no replay), else from the history."""
        prev = self._previous
        if prev is not None and prev.steps == step == self.machine.steps - 1:
            return self.history.hand_out(self._private(prev))
        return self.history.state_at(step)

    def goto(self, step: int) -> Stop:
        """Go to any step: backwards or within the history by replay, beyond its end by running."""
        self._interrupt.clear()
        step = max(step, self.history.start)
        if step <= self.history.end:
            self.travel_to(step)
            if step == self.history.start:
                return self.record_stop(Stop(StopReason.START_OF_HISTORY, "at the start of the history",
                                             step))
            return self.record_stop(Stop(StopReason.TARGET, f"at step {step:,}", step))
        self.travel_to(self.history.end)
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
        self.travel_to(target)
        if target == self.history.start:
            return self.record_stop(Stop(StopReason.START_OF_HISTORY, "at the start of the history", target))
        back = here - target
        return self.record_stop(Stop(StopReason.STEP, f"back {back:,} step{'' if back == 1 else 's'}",
                                     target))

    def continue_(self) -> Stop:
        self._interrupt.clear()
        return self._forward(limit=self.run_limit, plan=self._plan(), done=StopReason.STEP_LIMIT,
                             done_detail=f"ran {self.run_limit:,} steps" if self.run_limit else "")

    def run_to(self, where: int | str, direction: int = 1) -> Stop:
        """Run to the next time (``direction`` > 0) or back to the previous time (< 0) that the
        instruction ``where`` is about to run; breakpoints still stop it on the way. When it never
        runs in that direction the session stays where it was (``StopReason.NOT_FOUND``)."""
        self._interrupt.clear()
        index = self.breakpoints.resolve_location(where)[0]
        cp = self.program.code[index]
        origin = self.machine.steps
        detail = f"reached #{index} at step {{step:,}}"
        judge = self._judge(self._plan(), StopReason.TARGET, "", targets={cp: None})
        if direction < 0:
            stop = self._backward(judge, stay_if_none=True)
            if stop.reason is StopReason.NOT_FOUND:
                return self.record_stop(Stop(StopReason.NOT_FOUND,
                                             f"#{index} did not run before step {origin:,}: stayed here",
                                             origin))
        else:
            stop = self._count(self._run_forward(judge, None))
            if stop.terminal:
                self.travel_to(origin)
                return self.record_stop(Stop(StopReason.NOT_FOUND, f"#{index} does not run again (the "
                                             f"program {_ENDS[stop.reason]} at step {stop.step:,}): stayed "
                                             "here", origin))
        if stop.reason is StopReason.TARGET:
            stop.detail = detail.format(step=stop.step)
        return self.record_stop(stop)

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
        first = self._run_forward(self._judge(None, StopReason.STEP, "1 step"), 1)
        if first.reason is not StopReason.STEP or not self._is_call(pc, self.machine):
            return self.record_stop(first)
        ret = pc.next
        assert ret is not None               # a call (checked above) has a return codepoint
        over = f"stepped over the call at {instruction_ref(pc.index)}"
        return self._forward(limit=None, plan=self._plan(), targets={ret: lambda x: len(x.aux) <= depth},
                             done=StopReason.STEP, done_detail=over,
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
            return self.record_stop(Stop(StopReason.START_OF_HISTORY, "at the start of the history", s))
        here = self.machine
        prev = self._restored(s - 1)
        ret = here.pc
        if (prev.pc.op in JUMP_OPS and prev.pc.next is not ret and ret.index > 0
                and self.program.code[ret.index - 1].op in JUMP_OPS):
            call = self._find_call(s, ret, len(here.aux))
            if call is not None:
                self._set_machine(self.history.state_at(call))
                where = instruction_ref(self.machine.pc.index)
                return self.record_stop(Stop(StopReason.STEP, f"back over the call at {where}", call))
        self._set_machine(prev)
        if s - 1 == self.history.start:
            return self.record_stop(Stop(StopReason.START_OF_HISTORY, "at the start of the history", s - 1))
        return self.record_stop(Stop(StopReason.STEP, "back 1 step", s - 1))

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
                where = instruction_ref(self.machine.pc.index)
                return self.record_stop(Stop(StopReason.STEP, f"back to the call at {where}", call))
        depth = len(m.aux)
        return self._backward(self._judge(None, StopReason.STEP, f"aux stack below depth {depth}",
                                          predicate=lambda x: len(x.aux) < depth))

    def _find_call(self, s: int, ret: CodePoint, depth: int) -> int | None:
        """The latest step t < s whose instruction calls with return codepoint ``ret`` at aux depth
        ``depth``, with no return to ``ret`` (or drop below ``depth``) between it and ``s``."""
        for m, _lo, hi in self._segments_back(s):
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
                return last_call
            if last_barrier is not None:
                return None
        return None

    # ------------------------------------------------------------------ source level
    @property
    def source_map(self) -> SourceMap:
        """The program's :class:`debugger.engine.source_map.SourceMap` (built on first use)."""
        if self._source_map is None:
            from debugger.engine.source_map import SourceMap

            self._source_map = SourceMap(self.program, self.source_dirs)
        return self._source_map

    def source_step(self, how: str = "into", backward: bool = False) -> Stop:
        """Step by source line: ``how`` is ``into``, ``over`` or ``out`` (see source_step.source_step)."""
        from debugger.engine.source_step import source_step

        if not self.source_map.has_locations:
            raise UserError("this program has no source locations: step by instruction")
        return source_step(self, self.source_map, how, backward)

    # ------------------------------------------------------------------ reverse continue
    def reverse_continue(self) -> Stop:
        self._interrupt.clear()
        return self._backward(self._judge(self._plan()))

    # ------------------------------------------------------------------ planning
    def _plan(self) -> RunPlan:
        return self.breakpoints.plan(self.watches.list(), compiled=self.stop_on_compiled)

    def _where(self, cp: CodePoint) -> str:
        return summarize(cp, self.program.labels)

    # ------------------------------------------------------------------ the forward engine
    def _judge(self, plan: RunPlan | None, done: StopReason = StopReason.STEP, done_detail: str = "",
               targets: dict[CodePoint, Target] | None = None,
               predicate: Callable[[Machine], bool] | None = None) -> StopJudge:
        return StopJudge(self.program, plan or RunPlan(), done=done, done_detail=done_detail,
                         targets=targets, predicate=predicate)

    def _forward(self, limit: int | None, plan: RunPlan | None, *, done: StopReason, done_detail: str,
                 targets: dict[CodePoint, Target] | None = None,
                 predicate: Callable[[Machine], bool] | None = None, check_first: bool = False) -> Stop:
        """Run forward from the current state until a stop (recorded in the outputs, hits counted)."""
        judge = self._judge(plan, done, done_detail, targets, predicate)
        return self.record_stop(self._count(self._run_forward(judge, limit, check_first=check_first)))

    def _count(self, stop: Stop) -> Stop:
        """Count the hit of the breakpoint or watch that caused ``stop`` (a one-shot one goes away)."""
        if stop.breakpoint is not None:
            try:
                self.breakpoints.hit(self.breakpoints.get(stop.breakpoint))
            except UserError:         # deleted meanwhile
                pass
        if stop.watch is not None:
            try:
                self.watches.get(stop.watch).hits += 1
            except UserError:
                pass
        return stop

    def _run_forward(self, judge: StopJudge, limit: int | None, check_first: bool = False) -> Stop:
        """Run forward until ``judge`` names a stop, ``limit`` steps ran, or an interrupt.
        ``check_first``: the current instruction may stop the run before it executes (normally the
        first instruction always runs, as in gdb)."""
        m = self.machine
        if m.status == Status.HALTED:
            return Stop(StopReason.HALTED, "the machine has halted", m.steps)
        if m.status == Status.ERRORSTOP:
            return Stop(StopReason.ERROR_STOP, "the machine is in error stop", m.steps)
        judge.reset(m)
        stop_at = judge.stop_at
        # expensive instructions end a chunk, so the history can checkpoint around each one
        run_stop_at = {**self._expensive, **stop_at} if self._expensive else stop_at
        history = self.history
        start = m.steps
        end_at = None if limit is None else start + limit
        checked = not check_first
        acc_steps, acc_time = 0, 0.0    # for the speed estimate
        stop: Stop | None = None
        # Esc inside a long ecpairing: it gives up between pairs, leaving the machine as before it
        with interruptible(self._interrupt.is_set) as watch:
            while stop is None:
                if self._interrupt.is_set():
                    self._interrupt.clear()
                    stop = Stop(StopReason.INTERRUPTED, f"after {m.steps - start:,} steps", m.steps)
                    break
                pos = m.steps
                if end_at is not None and pos >= end_at:
                    stop = Stop(judge.done, judge.done_detail, pos)
                    break
                if not checked:
                    stop = judge.before(m)
                    if stop is not None:
                        break
                checked = False
                rate = self._slow_rate if judge.per_step else self._rate
                n = max(1, int(rate * CHUNK_SECONDS))
                if end_at is not None:
                    n = min(n, end_at - pos)
                n = min(n, history.end - pos) if pos < history.end else min(n, max(1, history.due() - pos))
                expensive = m.pc in self._expensive
                if expensive:
                    n = 1                   # alone in its chunk: checkpointed just before and just after
                recorded_end = history.end
                events = judge.stop_events if pos < recorded_end else judge.stop_events | OUTPUT_EVENTS
                pc_before = m.pc
                t0 = time.perf_counter()
                if judge.per_step:
                    ev, stop = self._steps(m, n, run_stop_at, events, judge)
                else:
                    ev, stop = judge.run(m, n, run_stop_at, events)
                elapsed = time.perf_counter() - t0
                if not expensive:           # the speed estimate is of ordinary steps
                    acc_time += elapsed
                    acc_steps += m.steps - pos
                if acc_time >= 0.004:
                    if judge.per_step:
                        self._slow_rate = 0.5 * self._slow_rate + 0.5 * acc_steps / acc_time
                    else:
                        self._rate = 0.5 * self._rate + 0.5 * acc_steps / acc_time
                        history.note_rate(acc_steps, acc_time)
                    acc_steps, acc_time = 0, 0.0
                if m.steps >= history.end:
                    history.extend(m, elapsed, checkpoint=expensive or m.pc in self._expensive)
                if watch.abandoned:
                    watch.abandoned = 0
                    self._interrupt.clear()
                    stop = Stop(StopReason.INTERRUPTED, f"inside {mnemonic(m.pc.op)} (step {m.steps:,}), "
                                f"abandoned after {watch.pairs_done} pair(s): not run", m.steps)
                    break
                if self._pending:
                    self._flush_events(recorded_end, pc_before if m.steps == pos + 1 else None)
                if stop is None and ev & _STOP_AT:
                    stop = judge.before(m)
                    checked = True
        if m.steps >= history.end:
            history.extend(m)
        return stop

    def _steps(self, m: Machine, n: int, stop_at: dict[CodePoint, None], events: int,
               judge: StopJudge) -> tuple[int, Stop | None]:
        """Up to ``n`` single steps, judged after each; returns (events like ``Machine.run``, stop)."""
        step = m.step
        ev = 0
        for i in range(n):
            if i and m.pc in stop_at:
                return ev | _STOP_AT, None
            ev = int(step())
            stop = judge.after(m, ev)
            if stop is not None or ev & (_BLOCKED | events) or m.status != Status.EXTENSIVE:
                return ev, stop
        return ev | _LIMIT, None

    # ------------------------------------------------------------------ the backward engine
    def _segments_back(self, before: int) -> Iterator[tuple[Machine, int, int]]:
        """Private clones of the checkpoint segments before state ``before``, latest first, as
        ``(machine at lo, lo, hi)``: replaying it from ``lo`` to ``hi`` covers the segment. Ends early
        (setting ``self._scan_interrupted``) when an interrupt arrives."""
        history = self.history
        self._scan_interrupted = False
        hi = before - 1
        for lo in history.segment_starts(before - 1):
            if self._interrupt.is_set():
                self._interrupt.clear()
                self._scan_interrupted = True
                return
            if hi <= lo:
                hi = lo
                continue
            m = history.checkpoint_at(lo).clone()
            m.on_event = None
            yield m, lo, hi
            hi = lo

    def scan_back(self, s: int, scan: Callable[[Machine, int, int], object | None]) -> bool:
        """For searches with their own replay (origins, place history, source stepping, run-time
        code): ``scan(machine, lo, hi)`` on each checkpoint segment before state ``s``, latest first,
        with a private machine at ``lo`` to replay up to ``hi``, until it returns non-None. False when
        an interrupt ended the search."""
        for m, lo, hi in self._segments_back(s):
            if scan(m, lo, hi) is not None:
                return True
        return not self._scan_interrupted

    def run_until(self, predicate: Callable[[Machine], bool]) -> Stop:
        """Run forward under the breakpoints until ``predicate`` holds after a step (then a ``STEP``
        stop with no detail): the stop, hits counted, not yet recorded (see :meth:`record_stop`)."""
        judge = self._judge(self._plan(), StopReason.STEP, "", predicate=predicate)
        return self._count(self._run_forward(judge, None))

    def _latest_stop(self, judge: StopJudge, m: Machine, lo: int, hi: int) -> Stop | None:
        """Replay ``m`` from step ``lo`` to ``hi``: the latest state in ``(lo, hi]`` that ``judge``
        names as a stop (a breakpoint before its instruction, an event/condition/watch after its step)."""
        judge.reset(m)
        last: Stop | None = None
        if judge.per_step:
            while m.steps < hi:
                t = m.steps
                ev = int(m.step())
                if m.steps == t:
                    break
                hit = judge.after(m, ev) or judge.before(m)
                if hit is not None:
                    last = hit
            return last
        while m.steps < hi:
            t = m.steps
            ev, hit = judge.run(m, hi - m.steps, judge.stop_at, judge.stop_events)
            if ev & _BLOCKED or m.steps == t:
                break
            hit = hit or judge.before(m)
            if hit is not None:
                last = hit
            if m.status != Status.EXTENSIVE:
                break
        return last

    def _backward(self, judge: StopJudge, stay_if_none: bool = False) -> Stop:
        """Go to the latest step before now where ``judge`` names a stop; with none, to the start (or,
        with ``stay_if_none``, nowhere: a ``NOT_FOUND`` stop, not recorded)."""
        s = self.machine.steps
        stop: Stop | None = None
        if s > self.history.start:
            with interruptible(self._interrupt.is_set):     # the replay of a long ecpairing, too
                for m, lo, hi in self._segments_back(s):
                    stop = self._latest_stop(judge, m, lo, hi)
                    if stop is not None:
                        break
            if self._scan_interrupted:
                return self.record_stop(Stop(StopReason.INTERRUPTED, "reverse search interrupted", s))
        if stop is None:
            start = self.history.start
            first = self.history.state_at(start) if s > start else self.machine
            if s > start and first.pc in judge.targets:
                self._set_machine(first)
                return self.record_stop(judge.done_stop(first))
            if stay_if_none:
                return Stop(StopReason.NOT_FOUND, "", s)
            self._set_machine(first)
            return self.record_stop(Stop(StopReason.START_OF_HISTORY, "no earlier stop: at the start", start))
        self.travel_to(stop.step)
        return self.record_stop(self._count(stop))

    # ------------------------------------------------------------------ insight shortcuts
    def previous_state(self) -> Machine | None:
        """The state one step before the current one (None at the start)."""
        s = self.machine.steps
        if s <= self.history.start:
            return None
        return self.state_at(s - 1)

    def state_at(self, step: int) -> Machine:
        """A private copy of the state after ``step`` steps (within the history)."""
        prev = self._previous
        if prev is not None and prev.steps == step == self.machine.steps - 1:
            return self._private(prev)
        return self.history.state_at(step)

    @staticmethod
    def _private(m: Machine) -> Machine:
        copy = m.clone()
        copy.on_event = None
        return copy

    def changes(self) -> Changes:
        """What the last step changed (see :func:`debugger.engine.insight.diff_states`), cached per step."""
        from debugger.engine.insight import diff_states

        s = self.machine.steps
        if self._changes_cache is None or self._changes_cache[0] != s:
            self._changes_cache = (s, diff_states(self.previous_state(), self.machine))
        return self._changes_cache[1]

    def call_stack(self) -> list[Frame]:
        from debugger.engine.insight import call_stack

        return call_stack(self.program, self.machine)

    def gas_profile(self, upto: int | None = None) -> GasProfile:
        from debugger.engine.insight import gas_profile

        return gas_profile(self, self.machine.steps if upto is None else upto)

    def export_trace(self, out: str | Path | IO[str], start: int = 0, end: int | None = None,
                     hashes: bool = False) -> int:
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
        """Which step to prove for instruction ``index`` (e.g. the listing cursor), and why:

        * the current instruction: the step about to run; on a machine that stopped (halt, error
          stop), the step that stopped it;
        * any other: the latest earlier step that ran it, else the first later recorded one
          (``UserError`` if it never ran in the history)."""
        from avm.proofs.export import can_prove

        m = self.machine
        step = self.step
        if index == m.pc.index:
            if can_prove(m) is None:
                return step, f"the step about to run (step {step:,}, {self._instruction_name(m.pc, step)})"
            if m.status != Status.EXTENSIVE and step > self.history.start:
                word = "halted" if m.status == Status.HALTED else "error-stopped"
                name = self._instruction_name(self.state_at(step - 1).pc, step - 1)
                return step - 1, f"the step that {word} the machine (step {step - 1:,}, {name})"
        ref = instruction_ref(index)
        found = self.last_step_at(index, step)
        if found is not None:
            return found, f"the latest step that ran instruction {ref}: step {found:,}"
        later = self.last_step_at(index, self.history.end + 1)
        if later is not None and later > step:
            return later, f"instruction {ref} ran later in the recorded history, at step {later:,}"
        raise UserError(f"instruction {ref} has not run in the recorded history: no proof to export")

    def _instruction_name(self, cp: CodePoint, step: int) -> str:
        """How the listing names ``cp``, about to run from state ``step``: ``instruction #12``, or the
        synthetic entry of code built at run time (``runtime code built at step 7 by #3: ...``)."""
        if runtime_code.is_runtime(self, cp):
            return runtime_code.entry_for(self, cp, step).text
        return f"instruction {instruction_ref(cp.index)}"

    def proof_for_step(self, step: int) -> dict[str, object]:
        """The reference-format proof entry of the instruction run from state ``step`` (``UserError``
        when that state has no next step: halted, error stop, blocked)."""
        from avm.proofs.export import can_prove, make_proof_entry

        state = self.history.state_at(step)
        why = can_prove(state)
        if why:
            raise UserError(f"step {step:,} cannot be proved: {why}")
        return make_proof_entry(state, step, self.program.path)

    def place_value(self, text: str) -> Value:
        """The value at a place of the location language (``s1[2][0]``, ``errcp``, ``inbox 3``) in the
        current state (``UserError`` for bad text or a place absent at this step): ``:inspect``."""
        from debugger.engine.locations import parse_place

        return parse_place(text, self.program).value(self.machine)

    def runtime_entry(self) -> RuntimeEntry | None:
        """When the pc is code built at run time: its synthetic listing entry ("runtime code built at
        step N: ..."), for the listing to show with the pc marker; None for an instruction of the listing."""
        from debugger.engine.runtime_code import runtime_entry

        return runtime_entry(self)

    def opcode_name(self) -> str:
        return mnemonic(self.machine.pc.op)


def _innermost_return(m: Machine) -> tuple[int, CodePoint] | None:
    """(aux position, codepoint) of the topmost codepoint on the aux stack: the innermost return."""
    aux = m.aux
    for i in range(len(aux) - 1, -1, -1):
        v = aux[i]
        if isinstance(v, CodePoint):
            return i, v
    return None
