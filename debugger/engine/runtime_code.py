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
    in_listing = 0 <= cp.index < len(code) and code[cp.index] is cp
    return not in_listing and cp is not session.program.error_codepoint


def runtime_entry(session: Session, budget: float = SEARCH_SECONDS) -> RuntimeEntry | None:
    """The synthetic entry for the current pc, or None when the pc is an instruction of the listing.
    The search for the building step stops after about ``budget`` seconds (then ``built_at`` is None)."""
    pc = session.machine.pc
    if not is_runtime(session, pc):
        return None
    return entry_for(session, pc, session.step, budget)


def entry_for(session: Session, cp: CodePoint, step: int, budget: float = SEARCH_SECONDS) -> RuntimeEntry:
    """The synthetic entry of run-time code ``cp`` about to run from state ``step`` (cached per codepoint:
    the same object is built once)."""
    cache = session.runtime_cache
    if id(cp) not in cache or cache[id(cp)][0] is not cp:
        cache[id(cp)] = (cp, _built_at(session, cp, step, budget))
    built_at, builder = cache[id(cp)][1]
    return RuntimeEntry(cp, built_at, builder, instruction_text(cp, 60))


def _built_at(session: Session, target: CodePoint, step: int, budget: float) -> tuple[int | None, int | None]:
    """(step, builder index) of the step that created ``target``: the latest code-building step before
    ``step`` whose result (the new top of the stack) equals it (by AVM equality: a replay builds new
    objects). Replays private clones of the checkpoints (safe while a run records its events)."""
    builders = {cp: None for cp in session.program.code if cp.op in CODE_BUILDING_OPS}
    history = session.history
    deadline = time.monotonic() + budget
    hi = step
    for lo in history.segment_starts(step):
        if time.monotonic() > deadline:
            break
        if hi <= lo:
            hi = lo
            continue
        m = history.checkpoint_at(lo).clone()
        m.on_event = None
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
        if found is not None:
            return found
        hi = lo
    return None, None
