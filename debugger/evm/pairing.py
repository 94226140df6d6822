"""Both machines of a lesson, stepped together from sync marker to sync marker (or one side alone).

The EVM side is a recorded py-evm run (:class:`EvmCursor`); the AVM side is the project's debug
``Session`` (checkpoints + replay). The steps where each side reaches a marker are found once, when the
lesson is opened (both runs are bounded: EVM by gas and ``runner.MAX_STEPS``, AVM by ``AVM_MAX_STEPS``),
so moving between markers in either direction is a ``goto``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from avm.core.buffer import Buffer
from avm.core.machine import MAX_GAS, Event, Machine, Status
from avm.core.values import Tuple, Value
from avm.errors import UserError
from debugger.engine.display import instruction_text, summary
from debugger.engine.session import Session
from debugger.evm.lesson import Lesson
from debugger.evm.proofsize import ProofSize, avm_step_proof, evm_step_proof
from debugger.evm.runner import EvmRun, run_bytecode
from debugger.evm.trace import EvmCursor

AVM_MAX_STEPS = 1_000_000
EVM, AVM, BOTH = "evm", "avm", "both"


def avm_outcome(m: Machine) -> str:
    if m.status == Status.ERRORSTOP:
        return "error"
    if m.status == Status.HALTED:
        top: Value | None = m.stack[-1] if m.stack else None
        return f"halt {top}" if isinstance(top, int) else "halt"
    return "running"


def avm_gas_text(gas: int) -> str:
    """ArbGas near its maximum (2**256-1, the start value) reads better as ``max-N``."""
    left = MAX_GAS - gas
    return f"max-{left:,}" if left < 1 << 64 else f"{gas:,}"


def _avm_stops(lesson: Lesson) -> tuple[list[int], Machine]:
    """Steps where the AVM side is at a marked instruction (plus the last step), and the final machine."""
    m = Machine.from_program(lesson.avm, [])
    marked = {lesson.avm.code[i] for i in lesson.avm_markers}
    stops = [0] if m.pc in marked else []
    while not m.status and m.steps < AVM_MAX_STEPS:
        events = m.run(AVM_MAX_STEPS - m.steps, stop_at=marked)
        if m.pc in marked and not m.status and (not stops or m.steps != stops[-1]):
            stops.append(m.steps)
        if events & Event.BLOCKED:
            break   # waiting for an inbox message: a lesson has none
    if not m.status:
        raise UserError(f"the AVM side did not halt within {AVM_MAX_STEPS:,} steps (or waits for an inbox "
                        "message)", lesson.path)
    if not stops or stops[-1] != m.steps:
        stops.append(m.steps)
    return stops, m


def _evm_stops(lesson: Lesson, run: EvmRun) -> list[int]:
    marked = set(lesson.evm.markers)
    stops = [p for p, st in enumerate(run.states) if st.pc in marked]
    end = len(run.steps)
    return sorted(set([0, *stops, end]))


@dataclass
class SideView:
    """What one side shows at its current position (plain data for the table and the screen)."""

    step: int
    where: str            # EVM "pc 0x0004", AVM "#3"
    instruction: str      # the next instruction ("" at the end)
    marker: str | None
    stack: list[str]      # top first
    gas: str
    status: str
    proof: ProofSize | None
    memory: list[str] = field(default_factory=list)    # EVM memory words / AVM tuples and buffers
    storage: list[str] = field(default_factory=list)   # EVM storage slots / AVM register and static
    last: str = ""                                     # what the previous instruction did / cost


MEMORY_ROWS = 12


def memory_rows(memory: bytes) -> list[str]:
    """``msize`` and the non-zero 32-byte words (offset: hex), at most MEMORY_ROWS of them."""
    rows = [f"msize {len(memory):,} ({len(memory) // 32} words)"]
    words = [(o, memory[o:o + 32]) for o in range(0, len(memory), 32) if any(memory[o:o + 32])]
    for offset, word in words[:MEMORY_ROWS]:
        core = word.lstrip(b"\0")
        lead = 32 - len(core)
        core = core.rstrip(b"\0")
        trail = 32 - lead - len(core)
        text = (f"{lead}x00 " if lead else "") + core.hex() + (f" {trail}x00" if trail else "")
        rows.append(f"0x{offset:04x}: {text}")
    if len(words) > MEMORY_ROWS:
        rows.append(f"... {len(words) - MEMORY_ROWS} more non-zero words")
    return rows


def avm_value_rows(m: Machine) -> list[str]:
    """The AVM's memory: tuples and buffers, on the data stack (s0 = top) and the aux stack."""
    rows = []
    for where, stack in (("s", m.stack), ("aux", m.aux)):
        for depth, v in enumerate(reversed(stack)):
            if isinstance(v, (Tuple, Buffer)):
                rows.append(f"{where}{depth}: {summary(v, 60)}")
    return rows[:MEMORY_ROWS] or ["(no tuple or buffer on the stacks)"]


class LessonRun:
    def __init__(self, lesson: Lesson) -> None:
        self.lesson = lesson
        self.evm_run = run_bytecode(lesson.evm.code, lesson.gas)
        self.evm = EvmCursor(self.evm_run)
        self.evm_stops = _evm_stops(lesson, self.evm_run)
        self.avm_stops, self.avm_final = _avm_stops(lesson)
        self.avm = Session(lesson.avm, [])
        self._at = {EVM: -1, AVM: -1}

    # ---------------------------------------------------------------- outcomes
    @property
    def evm_outcome(self) -> str:
        return self.evm_run.outcome

    @property
    def avm_outcome(self) -> str:
        return avm_outcome(self.avm_final)

    # ---------------------------------------------------------------- moves
    # ``_at[side]`` is the index in the side's stop list it has reached (-1: none yet). A side whose
    # first instruction is marked has not "reached" that marker before the first move, so that both
    # sides meet their first markers on the same key press.
    def _stops(self, side: str) -> list[int]:
        return self.evm_stops if side == EVM else self.avm_stops

    def _goto(self, side: str, position: int) -> None:
        if side == EVM:
            self.evm.goto(position)
        else:
            self.avm.goto(position)

    def position(self, side: str) -> int:
        return self.evm.position if side == EVM else self.avm.step

    def _sides(self, side: str) -> tuple[str, ...]:
        return (EVM, AVM) if side == BOTH else (side,)

    def forward(self, side: str = BOTH) -> None:
        for s in self._sides(side):
            stops = self._stops(s)
            self._at[s] = min(self._at[s] + 1, len(stops) - 1)
            self._goto(s, stops[self._at[s]])

    def back(self, side: str = BOTH) -> None:
        for s in self._sides(side):
            self._at[s] -= 1
            self._goto(s, self._stops(s)[self._at[s]] if self._at[s] >= 0 else 0)
            self._at[s] = max(self._at[s], -1)

    def step(self, side: str, n: int = 1) -> None:
        """Single instructions on one side (negative: back)."""
        end = self._stops(side)[-1]
        target = max(0, min(self.position(side) + n, end))
        self._goto(side, target)
        stops = self._stops(side)
        self._at[side] = bisect.bisect_right(stops, target) - 1 if target else -1

    def restart(self) -> None:
        for s in (EVM, AVM):
            self._goto(s, 0)
            self._at[s] = -1

    @property
    def at_end(self) -> bool:
        return self.evm.at_end and self.avm.step >= self.avm_stops[-1]

    @property
    def at_start(self) -> bool:
        return self._at[EVM] < 0 and self._at[AVM] < 0

    # ---------------------------------------------------------------- views
    def evm_marker(self) -> str | None:
        pc = self.evm.state.pc
        return self.lesson.evm.markers.get(pc) if pc is not None else None

    def avm_marker(self) -> str | None:
        m = self.avm.machine
        return None if m.status else self.lesson.avm_markers.get(m.pc.index)

    def note(self) -> str:
        if self.at_start:
            return self.lesson.about
        names = [n for n in (self.evm_marker(), self.avm_marker()) if n]
        if not names:
            return ""
        return "\n".join(dict.fromkeys(self.lesson.notes.get(n, "") for n in names)).strip()

    def evm_view(self) -> SideView:
        cur = self.evm
        st = cur.state
        nxt = cur.next_step
        proof = None
        if nxt is not None:
            after = cur.run.states[cur.position + 1]
            proof = evm_step_proof(cur.run.code, nxt, st, after)
        if nxt is None:
            status = ("returned" if self.evm_run.success else self.evm_run.error or "failed")
            status = f"{status}: {self.evm_outcome}"
        else:
            status = "running"
        last = ""
        done = cur.last_step
        if done is not None:
            last = f"{done.text}: {done.cost:,} gas"
            if done.dynamic_cost and not done.error:
                last += f" ({done.static_cost} + {done.dynamic_cost:,} dynamic)"
            if done.storage_write:
                last += f", slot {done.storage_write[0]} := {done.storage_write[1]}"
            if done.storage_read:
                last += f", read slot {done.storage_read[0]}"
            if done.error:
                last += f" -- {done.error}"
        storage = [f"slot {k} = {v}" for k, v in sorted(st.storage.items())] or ["(empty)"]
        if nxt is None and self.evm_run.output:
            kind = "return" if self.evm_run.success else "revert"
            storage.append(f"{kind} data 0x{self.evm_run.output.hex()}")
        return SideView(cur.position, f"pc 0x{st.pc:04x}" if st.pc is not None else "end",
                        nxt.text if nxt else "", self.evm_marker(), [str(v) for v in reversed(st.stack)],
                        f"{st.gas:,}", status, proof, memory_rows(st.memory), storage, last)

    def avm_view(self) -> SideView:
        m = self.avm.machine
        running = not m.status
        proof = avm_step_proof(m) if running else None
        status = "running" if running else f"{m.status.name.lower()}: {avm_outcome(m)}"
        gas = avm_gas_text(m.gas)
        last = ""
        prev = self.avm.previous_state() if m.steps else None
        if prev is not None:
            spent = prev.gas - m.gas
            last = f"{instruction_text(prev.pc, 30)}: " + (f"{spent:,} ArbGas" if spent >= 0 else
                                                          f"ArbGas set to {avm_gas_text(m.gas)}")
            if m.last_error and prev.last_error != m.last_error or (m.status and m.last_error):
                last += f" -- error: {m.last_error}"
        storage = [f"register = {summary(m.register, 60)}", f"static = {summary(m.static, 60)}"]
        return SideView(m.steps, f"#{m.pc.index}" if running else "end",
                        instruction_text(m.pc, 40, self.lesson.avm.labels) if running else "",
                        self.avm_marker(), [summary(v, 30) for v in reversed(m.stack)], gas, status, proof,
                        avm_value_rows(m), storage, last)
