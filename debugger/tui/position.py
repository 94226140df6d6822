"""The stop the panes show. The main screen sets a new :class:`Position` (its reactive ``position``)
once per stop; every pane binds to it (``data_bind``) and redraws itself from it in ``watch_position``,
so a new pane is its widget plus one compose line."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from debugger.engine.session import Session


@dataclass(eq=False)   # every Position is new: equal-looking ones still mean "show again"
class Position:
    session: Session
    pc: int | None                 # listing index of the current instruction (None: run-time code)
    hashes_ready: bool = True      # the code chain has been hashed (else hash rows say "computing")
    mark_changes: bool = True      # mark the values that changed since the previous position
    reached: set[int] = field(default_factory=set)  # instructions whose lesson notes were reached

    @cached_property
    def touched(self) -> dict[str, str]:
        """Places the last step wrote ("w") and the next instruction reads ("r"), by screen name."""
        from debugger.engine.touches import marks_at

        return marks_at(self.session)
