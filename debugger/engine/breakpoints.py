"""Breakpoints and watches, and the per-run plan the session hands to ``Machine.run``.

Kinds of breakpoint:

* ``instruction``: before the instruction at an index (or label) runs; may carry a condition;
* ``opcode``: before any instruction with that mnemonic runs; may carry a condition;
* ``condition``: a condition (see :mod:`debugger.engine.conditions`) *becomes* true after a step;
* ``error`` / ``log`` / ``send`` / ``halt``: right after a step that raised an AVM error, logged,
  sent, or halted.

Breakpoints are numbered from 1 and never renumbered. Instruction and opcode breakpoints on program
code become a set of codepoints for ``Machine.run(stop_at=...)`` and event breakpoints become its
``stop_events`` mask, so runs with only those stay at full speed. Conditions and watches are checked
after the steps that can change what they read: when that is only a few opcodes (``register``: rset,
``errcp``: errset, ``inbox``: inbox; ``static``: none), the run stops before those instructions and
checks after each of them (``RunPlan.check_at``); otherwise after every step (the slow path).

Watches (on ``register``, ``static``, a data-stack slot or an aux-stack slot) stop a run after a step
that changed the watched value (AVM equality; a slot appearing or disappearing is a change).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum

from avm.core.machine import Event, Machine
from avm.core.opcodes import CODE_BUILDING_OPS, by_mnemonic, mnemonic
from avm.core.program import Program
from avm.core.values import CodePoint, Value, values_equal
from avm.errors import UserError
from debugger.engine.conditions import Condition, parse_condition
from debugger.engine.display import instruction_ref
from debugger.engine.locations import NEVER, Place, instruction_index, parse_instruction, parse_place

# opcodes that build code at run time: codepoints outside the listing, so opcode breakpoints must
# then be checked per step instead of through ``stop_at``
RUNTIME_CODE_OPS = CODE_BUILDING_OPS
EVENT_KINDS = ("error", "log", "send", "halt")


class BreakKind(str, Enum):
    INSTRUCTION = "instruction"
    OPCODE = "opcode"
    CONDITION = "condition"
    ERROR = "error"
    LOG = "log"
    SEND = "send"
    HALT = "halt"


@dataclass
class Breakpoint:
    number: int
    kind: BreakKind
    index: int | None = None            # INSTRUCTION: instruction index
    opcode: int | None = None           # OPCODE
    condition: Condition | None = None  # CONDITION, or an extra test on INSTRUCTION/OPCODE
    enabled: bool = True
    one_shot: bool = False
    hits: int = 0
    label: str | None = None            # INSTRUCTION: the label it was set by, for display

    def describe(self, program: Program | None = None) -> str:
        """``#N what [flags]`` for the breakpoint list."""
        flags = []
        if not self.enabled:
            flags.append("disabled")
        if self.one_shot:
            flags.append("once")
        if self.hits:
            flags.append(f"hits {self.hits}")
        return self.title(program) + (f" [{', '.join(flags)}]" if flags else "")

    def title(self, program: Program | None = None) -> str:
        """``#N what`` (used in stop reasons)."""
        if self.kind is BreakKind.INSTRUCTION:
            where = f"at {instruction_ref(self.index or 0)}"
            name = self.label or (program.labels.get(self.index) if program and self.index is not None
                                  else None)
            text = f"{where} {name}" if name else where
        elif self.kind is BreakKind.OPCODE:
            text = f"opcode {mnemonic(self.opcode or 0)}"
        elif self.kind is BreakKind.CONDITION:
            text = f"when {self.condition.source if self.condition else '?'}"
        else:
            text = f"on {self.kind.value}"
        if self.condition is not None and self.kind is not BreakKind.CONDITION:
            text += f" if {self.condition.source}"
        return f"#{self.number} {text}"


@dataclass
class RunPlan:
    """What one run must check. ``stop_at``/``stop_events`` go straight to ``Machine.run``."""

    stop_at: dict[CodePoint, list[Breakpoint]] = field(default_factory=dict)
    stop_events: int = 0
    event_bps: list[tuple[int, Breakpoint]] = field(default_factory=list)   # (event mask, bp)
    compiled: set[int] = field(default_factory=set)       # instruction indices compiled in
    opcode_bps: list[Breakpoint] = field(default_factory=list)   # checked per step (runtime code)
    condition_bps: list[Breakpoint] = field(default_factory=list)
    watches: list[Watch] = field(default_factory=list)
    # the instructions whose step can change what the conditions and watches read (rset for
    # ``when register == 5``): they are checked after those steps only; None: after every step
    check_at: dict[CodePoint, None] | None = None

    @property
    def per_step(self) -> bool:
        """True when a run needs the slow, step-by-step loop."""
        return bool(self.opcode_bps or ((self.condition_bps or self.watches) and self.check_at is None))


class BreakpointManager:
    """Numbered breakpoints for one program."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self._bps: dict[int, Breakpoint] = {}
        self._next = 1
        self._has_runtime_code = any(cp.op in RUNTIME_CODE_OPS for cp in program.code)
        self._check_at_cache: dict[frozenset[int], dict[CodePoint, None]] = {}   # opcodes -> instructions
        self.version = 0          # bumped on every change (the UI can cache on it)

    # ------------------------------------------------------------------ adding
    def _add(self, bp: Breakpoint) -> Breakpoint:
        self._bps[bp.number] = bp
        self._next += 1
        self.version += 1
        return bp

    def resolve_location(self, where: int | str) -> tuple[int, str | None]:
        """Instruction index (and label) for an index or any instruction name of the location
        language (:func:`debugger.engine.locations.parse_instruction`; opcodes refused)."""
        if isinstance(where, int):
            return instruction_index(self.program, where), None
        found = parse_instruction(self.program, where, opcodes=False)
        assert found.index is not None
        return found.index, found.label

    def add_instruction(self, where: int | str, condition: str | None = None,
                        one_shot: bool = False) -> Breakpoint:
        index, label = self.resolve_location(where)
        cond = parse_condition(condition, self.program) if condition else None
        return self._add(Breakpoint(self._next, BreakKind.INSTRUCTION, index=index, condition=cond,
                                    one_shot=one_shot, label=label))

    def add_opcode(self, name: str, condition: str | None = None, one_shot: bool = False) -> Breakpoint:
        info = by_mnemonic(name)
        if info is None:
            raise UserError(f"unknown opcode {name!r}")
        cond = parse_condition(condition, self.program) if condition else None
        return self._add(Breakpoint(self._next, BreakKind.OPCODE, opcode=info.code, condition=cond,
                                    one_shot=one_shot))

    def add_condition(self, condition: str, one_shot: bool = False) -> Breakpoint:
        cond = parse_condition(condition, self.program)
        return self._add(Breakpoint(self._next, BreakKind.CONDITION, condition=cond, one_shot=one_shot))

    def add_event(self, kind: str, one_shot: bool = False) -> Breakpoint:
        if kind not in EVENT_KINDS:
            raise UserError(f"unknown event {kind!r} (one of {', '.join(EVENT_KINDS)})")
        return self._add(Breakpoint(self._next, BreakKind(kind), one_shot=one_shot))

    def add(self, spec: str, one_shot: bool = False) -> Breakpoint:
        """Parse a ``break`` command argument:

        ``12`` / ``0x0c`` / ``label`` / ``L47`` [``if COND``] - an instruction; ``op MNEMONIC`` or a bare
        mnemonic [``if COND``] - an opcode; ``when COND`` (or ``if COND``) - a condition;
        ``error``/``log``/``send``/``halt``.
        """
        text = spec.strip()
        if not text:
            raise UserError("empty breakpoint")
        head, _, rest = text.partition(" ")
        rest = rest.strip()
        if head in ("when", "if"):
            return self.add_condition(rest, one_shot)
        if head in EVENT_KINDS and not rest:
            return self.add_event(head, one_shot)
        cond: str | None = None
        if head in ("op", "opcode"):
            name, _, tail = rest.partition(" ")
            cond = _if_clause(tail)
            return self.add_opcode(name, cond, one_shot)
        cond = _if_clause(rest)
        where = parse_instruction(self.program, head)
        if where.opcode is not None:                  # `break tset`: every tset
            return self.add_opcode(head, cond, one_shot)
        return self.add_instruction(head, cond, one_shot)

    # ------------------------------------------------------------------ managing
    def get(self, number: int) -> Breakpoint:
        bp = self._bps.get(number)
        if bp is None:
            raise UserError(f"no breakpoint #{number}")
        return bp

    def delete(self, number: int) -> None:
        self.get(number)
        del self._bps[number]
        self.version += 1

    def clear(self) -> None:
        self._bps.clear()
        self.version += 1

    def enable(self, number: int, enabled: bool = True) -> None:
        self.get(number).enabled = enabled
        self.version += 1

    def toggle_at(self, index: int) -> Breakpoint | None:
        """Gutter click: remove the instruction breakpoints at ``index``, or add one. Returns the new one."""
        existing = [bp for bp in self._bps.values()
                    if bp.kind is BreakKind.INSTRUCTION and bp.index == index]
        if existing:
            for bp in existing:
                del self._bps[bp.number]
            self.version += 1
            return None
        return self.add_instruction(index)

    def at_index(self, index: int) -> list[Breakpoint]:
        return [bp for bp in self._bps.values() if bp.kind is BreakKind.INSTRUCTION and bp.index == index]

    def list(self) -> list[Breakpoint]:
        return [self._bps[n] for n in sorted(self._bps)]

    def __len__(self) -> int:
        return len(self._bps)

    def __iter__(self) -> Iterator[Breakpoint]:
        return iter(self.list())

    def reset_hits(self) -> None:
        for bp in self._bps.values():
            bp.hits = 0

    def hit(self, bp: Breakpoint) -> None:
        """Count a stop caused by ``bp``; a one-shot breakpoint is deleted."""
        bp.hits += 1
        if bp.one_shot and bp.number in self._bps:
            del self._bps[bp.number]
        self.version += 1

    # ------------------------------------------------------------------ planning
    def plan(self, watches: Iterable[Watch] = (), compiled: bool = True) -> RunPlan:
        """Collect the enabled breakpoints into what a run checks."""
        event_bits = {BreakKind.ERROR: Event.ERROR, BreakKind.LOG: Event.LOG, BreakKind.SEND: Event.SEND,
                      BreakKind.HALT: Event.HALT}
        plan = RunPlan(watches=[w for w in watches if w.enabled])
        code = self.program.code
        for bp in self.list():
            if not bp.enabled:
                continue
            if bp.kind is BreakKind.INSTRUCTION and bp.index is not None:
                plan.stop_at.setdefault(code[bp.index], []).append(bp)
            elif bp.kind is BreakKind.OPCODE:
                if self._has_runtime_code:
                    plan.opcode_bps.append(bp)
                else:
                    for cp in code:
                        if cp.op == bp.opcode:
                            plan.stop_at.setdefault(cp, []).append(bp)
            elif bp.kind is BreakKind.CONDITION:
                plan.condition_bps.append(bp)
            else:
                bit = int(event_bits[bp.kind])
                plan.stop_events |= bit
                plan.event_bps.append((bit, bp))
        plan.check_at = self._check_at(plan)
        if compiled:
            plan.compiled = set(self.program.compiled_breakpoints)
            for idx in plan.compiled:
                if 0 <= idx < len(code):
                    plan.stop_at.setdefault(code[idx], [])
            plan.stop_events |= int(Event.BREAKPOINT)
        return plan


    def _check_at(self, plan: RunPlan) -> dict[CodePoint, None] | None:
        """The instructions after which the plan's conditions and watches must be checked: those with
        an opcode that can change what they read; None (every step) when one of them reads what
        nearly every step changes, or when code made at run time could run such an opcode unseen."""
        ops: set[int] = set()
        for changed_by in [bp.condition.changed_by if bp.condition else NEVER for bp in plan.condition_bps] \
                + [w.place.changed_by for w in plan.watches]:
            if changed_by is None or self._has_runtime_code:
                return None
            ops |= changed_by
        key = frozenset(ops)
        found = self._check_at_cache.get(key)
        if found is None:
            found = self._check_at_cache[key] = {cp: None for cp in self.program.code if cp.op in key}
        return found


def _if_clause(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    head, _, rest = text.partition(" ")
    if head != "if" or not rest.strip():
        raise UserError(f"expected 'if CONDITION' after the location, not {text!r}")
    return rest


# ---------------------------------------------------------------------- watches
@dataclass
class Watch:
    """A watched place of the location language (:mod:`debugger.engine.locations`): ``register``,
    ``static``, ``sN``/``aN`` (N-th from the top), ``stack[N]``/``aux[N]`` (from the bottom),
    ``s1[2][0]``, ..."""

    number: int
    target: str
    place: Place
    enabled: bool = True
    hits: int = 0

    def read(self, m: Machine) -> Value | None:
        """The watched value in machine ``m`` (``None`` when the place does not exist there)."""
        return self.place.read(m)

    def describe(self) -> str:
        flags = "" if self.enabled else " [disabled]"
        return f"watch #{self.number} {self.target}{flags}"


def watch_changed(old: Value | None, new: Value | None) -> bool:
    if old is new:
        return False
    if old is None or new is None:
        return True
    return not values_equal(old, new)


class WatchManager:
    def __init__(self, program: Program | None = None) -> None:
        self.program = program
        self._watches: dict[int, Watch] = {}
        self._next = 1
        self.version = 0

    def add(self, spec: str) -> Watch:
        place = parse_place(spec, self.program)
        w = Watch(self._next, spec.strip(), place)
        self._watches[w.number] = w
        self._next += 1
        self.version += 1
        return w

    def get(self, number: int) -> Watch:
        w = self._watches.get(number)
        if w is None:
            raise UserError(f"no watch #{number}")
        return w

    def delete(self, number: int) -> None:
        self.get(number)
        del self._watches[number]
        self.version += 1

    def enable(self, number: int, enabled: bool = True) -> None:
        self.get(number).enabled = enabled
        self.version += 1

    def list(self) -> list[Watch]:
        return [self._watches[n] for n in sorted(self._watches)]

    def __iter__(self) -> Iterator[Watch]:
        return iter(self.list())

    def __len__(self) -> int:
        return len(self._watches)
