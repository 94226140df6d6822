"""Code built at run time (``pushinsn``, ``pushinsnimm``, ``errcodepoint``) has no line in the
listing. When the pc is such a codepoint, :func:`runtime_entry` describes it as a synthetic listing
entry: the instruction, and the step whose instruction built it (found by replaying the history)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from avm.core.opcodes import CODE_BUILDING_OPS
from avm.core.values import CodePoint, values_equal
from debugger.engine.display import instruction_text

if TYPE_CHECKING:
    from avm.core.machine import Machine
    from debugger.engine.session import Session

SEARCH_SECONDS = 0.05     # how long the history is searched for the building step (the UI thread asks)


@dataclass(frozen=True)
class RuntimeEntry:
    """The listing line for a pc outside the program: ``▶ runtime code built at step N: <insn>``."""

    codepoint: CodePoint
    built_at: int | None        # the step whose instruction built it (None: not found within the budget)
    builder: int | None         # that instruction's index in the listing (-1: itself run-time code)
    instruction: str            # the instruction as text

    @property
    def text(self) -> str:
        where = "earlier (not found in the history searched)" if self.built_at is None else \
            f"at step {self.built_at:,}" + (f" by #{self.builder}" if self.builder is not None
                                            and self.builder >= 0 else "")
        return f"runtime code built {where}: {self.instruction}"


def is_runtime(session: Session, cp: CodePoint) -> bool:
    code = session.program.code
    return not (0 <= cp.index < len(code) and code[cp.index] is cp)


def runtime_entry(session: Session, budget: float = SEARCH_SECONDS) -> RuntimeEntry | None:
    """The synthetic entry for the current pc, or None when the pc is an instruction of the listing.
    The search for the building step stops after about ``budget`` seconds (then ``built_at`` is None)."""
    pc = session.machine.pc
    if not is_runtime(session, pc):
        return None
    cache = session.runtime_cache
    if id(pc) not in cache or cache[id(pc)][0] is not pc:
        cache[id(pc)] = (pc, _built_at(session, pc, budget))
    built_at, builder = cache[id(pc)][1]
    return RuntimeEntry(pc, built_at, builder, instruction_text(pc, 60))


def _built_at(session: Session, target: CodePoint, budget: float) -> tuple[int | None, int | None]:
    """(step, builder index) of the step that created ``target``: the latest code-building step before
    now whose result (the new top of the stack) equals it (by AVM equality: a replay builds new objects)."""
    builders = {cp: None for cp in session.program.code if cp.op in CODE_BUILDING_OPS}
    deadline = time.monotonic() + budget
    result: list[tuple[int, int]] = []

    def scan(m: Machine, lo: int, hi: int) -> bool | None:
        if time.monotonic() > deadline:
            return True                          # out of time: the building step stays unknown
        found: tuple[int, int] | None = None
        while m.steps < hi:
            t = m.steps
            if m.pc.op in CODE_BUILDING_OPS:
                index = m.pc.index
                m.step()
                if m.steps > t and m.stack and values_equal(m.stack[-1], target):
                    found = (t, index)
                continue
            m.run(hi - m.steps, builders)
            if m.steps == t:
                break
        if found is None:
            return None
        result.append(found)
        return True

    session.scan_back(session.step + 1, scan)
    return result[0] if result else (None, None)
