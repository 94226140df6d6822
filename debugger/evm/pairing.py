"""Both machines of a lesson, stepped together from sync marker to sync marker (or one side alone).

The EVM side is a recorded py-evm run (:class:`EvmCursor`); the AVM side is the project's debug
``Session`` (checkpoints + replay). The steps where each side reaches a marker are found once, when the
lesson is opened (both runs are bounded: EVM by gas and ``runner.MAX_STEPS``, AVM by ``AVM_MAX_STEPS``),
so moving between markers in either direction is a ``goto``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from avm.core.machine import MAX_GAS, Machine, Status
from avm.core.values import Value
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
    """Steps where the AVM side is at a marked instruction (plus 0 and the last step), and the final
    machine."""
    m = Machine.from_program(lesson.avm, [])
    marked = {lesson.avm.code[i] for i in lesson.avm_markers}
    stops = [0]
    while not m.status and m.steps < AVM_MAX_STEPS:
        m.run(AVM_MAX_STEPS - m.steps, stop_at=marked)
        if m.pc in marked and not m.status and m.steps != stops[-1]:
            stops.append(m.steps)
        if m.inbox_count >= len(m.inbox) and m.pc.op == 0x72 and not m.status:
            break   # blocked on an empty inbox: a lesson never reads one
    if not m.status:
        raise UserError(f"the AVM side did not stop within {AVM_MAX_STEPS:,} steps", lesson.path)
    if stops[-1] != m.steps:
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


class LessonRun:
    def __init__(self, lesson: Lesson) -> None:
        self.lesson = lesson
        self.evm_run = run_bytecode(lesson.evm.code, lesson.gas)
        self.evm = EvmCursor(self.evm_run)
        self.evm_stops = _evm_stops(lesson, self.evm_run)
        self.avm_stops, self.avm_final = _avm_stops(lesson)
        self.avm = Session(lesson.avm, [])

    # ---------------------------------------------------------------- outcomes
    @property
    def evm_outcome(self) -> str:
        return self.evm_run.outcome

    @property
    def avm_outcome(self) -> str:
        return avm_outcome(self.avm_final)

    # ---------------------------------------------------------------- moves
    def forward(self, side: str = BOTH) -> None:
        if side in (EVM, BOTH):
            i = bisect.bisect_right(self.evm_stops, self.evm.position)
            self.evm.goto(self.evm_stops[min(i, len(self.evm_stops) - 1)])
        if side in (AVM, BOTH):
            i = bisect.bisect_right(self.avm_stops, self.avm.step)
            self.avm.goto(self.avm_stops[min(i, len(self.avm_stops) - 1)])

    def back(self, side: str = BOTH) -> None:
        if side in (EVM, BOTH):
            i = bisect.bisect_left(self.evm_stops, self.evm.position)
            self.evm.goto(self.evm_stops[max(i - 1, 0)])
        if side in (AVM, BOTH):
            i = bisect.bisect_left(self.avm_stops, self.avm.step)
            self.avm.goto(self.avm_stops[max(i - 1, 0)])

    def step(self, side: str, n: int = 1) -> None:
        """Single instructions on one side (negative: back)."""
        if side == EVM:
            self.evm.step(n)
        elif n >= 0:
            self.avm.goto(min(self.avm.step + n, self.avm_stops[-1]))
        else:
            self.avm.goto(max(self.avm.step + n, 0))

    def restart(self) -> None:
        self.evm.goto(0)
        self.avm.goto(0)

    @property
    def at_end(self) -> bool:
        return self.evm.at_end and self.avm.step >= self.avm_stops[-1]

    # ---------------------------------------------------------------- views
    def evm_marker(self) -> str | None:
        pc = self.evm.state.pc
        return self.lesson.evm.markers.get(pc) if pc is not None else None

    def avm_marker(self) -> str | None:
        m = self.avm.machine
        return None if m.status else self.lesson.avm_markers.get(m.pc.index)

    def note(self) -> str:
        names = [n for n in (self.evm_marker(), self.avm_marker()) if n]
        if not names:
            return self.lesson.about if self.evm.position == 0 else ""
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
        return SideView(cur.position, f"pc 0x{st.pc:04x}" if st.pc is not None else "end",
                        nxt.text if nxt else "", self.evm_marker(), [str(v) for v in reversed(st.stack)],
                        f"{st.gas:,}", status, proof)

    def avm_view(self) -> SideView:
        m = self.avm.machine
        running = not m.status
        proof = avm_step_proof(m) if running else None
        status = "running" if running else f"{m.status.name.lower()}: {avm_outcome(m)}"
        gas = avm_gas_text(m.gas)
        return SideView(m.steps, f"#{m.pc.index}" if running else "end",
                        instruction_text(m.pc, 40, self.lesson.avm.labels) if running else "",
                        self.avm_marker(), [summary(v, 30) for v in reversed(m.stack)], gas, status, proof)
