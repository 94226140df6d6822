"""Insight over a session: call stack, gas profile, what the last step changed, trace export.

Everything here reads machines and the recorded history; nothing slows the run itself (the gas
profile replays the history step by step when asked, and extends its last result incrementally).
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

from avm.core.machine import Machine
from avm.core.opcodes import mnemonic
from avm.core.program import Program, SourceLocation
from avm.core.summary import summarize
from avm.core.values import CodePoint
from debugger.engine.display import instruction_ref

if TYPE_CHECKING:
    from debugger.engine.history import History
    from debugger.engine.session import Session


# ---------------------------------------------------------------------- labels
class LabelIndex:
    """Nearest label at or before an instruction: the function an instruction belongs to."""

    def __init__(self, program: Program) -> None:
        self._keys = sorted(program.labels)
        self._names = [program.labels[k] for k in self._keys]

    def function_of(self, index: int) -> str | None:
        if index < 0:
            return None
        pos = bisect.bisect_right(self._keys, index) - 1
        return self._names[pos] if pos >= 0 else None


_LABEL_INDEX: dict[int, tuple[Program, LabelIndex]] = {}


def label_index(program: Program) -> LabelIndex:
    entry = _LABEL_INDEX.get(id(program))
    if entry is None or entry[0] is not program:
        entry = (program, LabelIndex(program))
        _LABEL_INDEX.clear()            # one program at a time is the normal case
        _LABEL_INDEX[id(program)] = entry
    return entry[1]


def location_of(program: Program, index: int) -> SourceLocation | None:
    if 0 <= index < len(program.locations):
        return program.locations[index]
    return None


# ---------------------------------------------------------------------- call stack
@dataclass
class Frame:
    level: int                     # 0 = the current function, 1 = its caller, ...
    index: int                     # instruction index: the pc (level 0) or the return codepoint
    function: str | None           # nearest label at or before ``index``
    location: SourceLocation | None
    aux_position: int | None       # where the return codepoint sits on the aux stack (bottom = 0)
    codepoint: CodePoint | None

    def describe(self) -> str:
        name = self.function or "?"
        where = f" ({self.location})" if self.location else ""
        role = "at" if self.level == 0 else "returns to"
        return f"#{self.level} {name} {role} {instruction_ref(self.index)}{where}"


def call_stack(program: Program, m: Machine) -> list[Frame]:
    """Frames, innermost first: the current pc, then every codepoint on the aux stack (top down),
    each taken as the return address into its caller."""
    labels = label_index(program)
    pc = m.pc
    frames = [Frame(0, pc.index, labels.function_of(pc.index), location_of(program, pc.index), None, pc)]
    aux = m.aux
    for pos in range(len(aux) - 1, -1, -1):
        v = aux[pos]
        if type(v) is CodePoint and v.next is not None:
            frames.append(Frame(len(frames), v.index, labels.function_of(v.index),
                                location_of(program, v.index), pos, v))
    return frames


# ---------------------------------------------------------------------- changes
@dataclass
class Changes:
    """What the step into the current state changed (positions count from the bottom of a stack)."""

    step: int
    stack_new: list[int] = field(default_factory=list)   # slots whose value is new
    stack_popped: int = 0                                 # items of the old stack that are gone
    aux_new: list[int] = field(default_factory=list)
    aux_popped: int = 0
    register: bool = False
    static: bool = False
    gas: int = 0                   # gas remaining, new - old (negative when spent)
    gas_used: int = 0
    err_handler: bool = False
    status: bool = False
    jumped: bool = False           # the pc is not the previous instruction's successor

    @property
    def any(self) -> bool:
        return bool(self.stack_new or self.stack_popped or self.aux_new or self.aux_popped or self.register
                    or self.static or self.err_handler or self.status)


def _diff_stack(old: list, new: list) -> tuple[list[int], int]:
    common = 0
    limit = min(len(old), len(new))
    while common < limit and old[common] is new[common]:
        common += 1
    return list(range(common, len(new))), len(old) - common


def diff_states(prev: Machine | None, cur: Machine) -> Changes:
    """Compare two consecutive states (``prev`` None: the first state, nothing changed)."""
    ch = Changes(cur.steps)
    if prev is None:
        return ch
    ch.stack_new, ch.stack_popped = _diff_stack(prev.stack, cur.stack)
    ch.aux_new, ch.aux_popped = _diff_stack(prev.aux, cur.aux)
    ch.register = prev.register is not cur.register
    ch.static = prev.static is not cur.static
    ch.gas = cur.gas - prev.gas
    ch.gas_used = cur.gas_used - prev.gas_used
    ch.err_handler = prev.err_handler is not cur.err_handler
    ch.status = prev.status != cur.status
    ch.jumped = cur.pc is not prev.pc.next
    return ch


# ---------------------------------------------------------------------- gas profile
@dataclass
class GasProfile:
    """Steps and gas per instruction index over steps ``0..steps`` of a session's history."""

    program: Program
    steps: int = 0
    counts: dict[int, int] = field(default_factory=dict)     # instruction index -> executions
    gas: dict[int, int] = field(default_factory=dict)        # instruction index -> gas charged
    complete: bool = True            # False when interrupted before reaching the requested step

    @property
    def total_gas(self) -> int:
        return sum(self.gas.values())

    def by_instruction(self) -> list[tuple[int, int, int]]:
        """(index, steps, gas), most gas first."""
        return sorted(((i, self.counts[i], self.gas.get(i, 0)) for i in self.counts),
                      key=lambda r: (-r[2], -r[1], r[0]))

    def _group(self, key_of: Callable[[int], str]) -> list[tuple[str, int, int]]:
        acc: dict[str, list[int]] = {}
        for i, n in self.counts.items():
            row = acc.setdefault(key_of(i), [0, 0])
            row[0] += n
            row[1] += self.gas.get(i, 0)
        return sorted(((k, v[0], v[1]) for k, v in acc.items()), key=lambda r: (-r[2], -r[1], r[0]))

    def by_function(self) -> list[tuple[str, int, int]]:
        """(label of the enclosing function, steps, gas); code before any label is ``(top)``."""
        labels = label_index(self.program)
        return self._group(lambda i: "(run-time code)" if i < 0 else (labels.function_of(i) or "(top)"))

    def by_line(self) -> list[tuple[str, int, int]]:
        """(``file:line``, steps, gas) from the program's source locations."""
        def key(i: int) -> str:
            loc = location_of(self.program, i)
            return f"{loc.file or '?'}:{loc.line}" if loc else "(no location)"
        return self._group(key)

    def by_opcode(self) -> list[tuple[str, int, int]]:
        code = self.program.code

        def key(i: int) -> str:
            return mnemonic(code[i].op) if 0 <= i < len(code) else "(run-time code)"
        return self._group(key)


PROFILE_SNAPSHOT_EVERY = 250_000   # steps between saved profile states (going back restarts there)


class ProfileCache:
    def __init__(self, history: History, program: Program) -> None:
        self.history = history
        self.profile = GasProfile(program, history.start)
        self.machine: Machine = history.state_at(history.start)
        # (step, machine, counts, gas) to resume from when a smaller step is asked for
        self.snapshots: list[tuple[int, Machine, dict[int, int], dict[int, int]]] = []

    def rewind(self, upto: int) -> None:
        while self.snapshots and self.snapshots[-1][0] > upto:
            self.snapshots.pop()
        prof = self.profile
        if self.snapshots:
            step, m, counts, gas = self.snapshots[-1]
            self.machine = m.clone()
            prof.counts, prof.gas, prof.steps = dict(counts), dict(gas), step
        else:
            self.machine = self.history.state_at(self.history.start)
            prof.counts, prof.gas, prof.steps = {}, {}, self.history.start


def gas_profile(session: Session, upto: int) -> GasProfile:
    """The profile of steps ``0..upto`` by replay, continued from the previous answer (or from a saved
    state when ``upto`` is behind it); ``session.interrupt()`` ends it early with ``complete=False``.
    Returns a copy the caller may keep."""
    history = session.history
    cache = session.profile_cache
    if not isinstance(cache, ProfileCache) or cache.history is not history:
        cache = session.profile_cache = ProfileCache(history, session.program)
    upto = max(history.start, min(upto, history.end))
    prof = cache.profile
    if prof.steps > upto:
        cache.rewind(upto)
    m = cache.machine
    counts, gas = prof.counts, prof.gas
    complete = True
    while m.steps < upto:
        if session.take_interrupt():
            complete = False
            break
        progressed = True
        for _ in range(min(20_000, PROFILE_SNAPSHOT_EVERY, upto - m.steps)):
            index = m.pc.index
            before = m.gas_used
            t = m.steps
            m.step()
            if m.steps == t:
                progressed = False
                break
            counts[index] = counts.get(index, 0) + 1
            gas[index] = gas.get(index, 0) + (m.gas_used - before)
        last = cache.snapshots[-1][0] if cache.snapshots else history.start
        if m.steps - last >= PROFILE_SNAPSHOT_EVERY:
            cache.snapshots.append((m.steps, m.clone(), dict(counts), dict(gas)))
        if not progressed:
            break
    prof.steps = m.steps
    return GasProfile(prof.program, prof.steps, dict(counts), dict(gas), complete)


# ---------------------------------------------------------------------- trace export
def trace_records(session: Session, start: int, end: int, hashes: bool = False) -> Iterable[dict]:
    """One record per state ``start..end``: the instruction about to run there and the gas/stack."""
    history = session.history
    start = max(history.start, start)
    end = min(end, history.end)
    if end < start:
        return
    m = history.state_at(start)
    labels = session.program.labels
    while True:
        pc = m.pc
        rec: dict[str, object] = {
            "step": m.steps,
            "pc": pc.index,
            "op": mnemonic(pc.op),
            "gas": m.gas,
            "gas_used": m.gas_used,
            "depth": len(m.stack),
            "aux_depth": len(m.aux),
            "top": summarize(m.stack[-1], labels) if m.stack else None,
        }
        if hashes:
            rec["hash"] = "0x" + m.machine_hash().hex()
        yield rec
        if m.steps >= end:
            return
        t = m.steps
        m.step()
        if m.steps == t:
            return


def export_trace(session: Session, out: str | Path | IO[str], start: int, end: int,
                 hashes: bool = False) -> int:
    """Write states ``start..end`` as JSON Lines to a path or a text stream; returns the line count."""
    if isinstance(out, (str, Path)):
        with open(out, "w", encoding="utf-8") as fh:
            return export_trace(session, fh, start, end, hashes)
    n = 0
    for rec in trace_records(session, start, end, hashes):
        out.write(json.dumps(rec) + "\n")
        n += 1
    return n
