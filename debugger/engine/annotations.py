"""What a user adds to a session while debugging: bookmarks on steps (``m x`` / ``'x``) and notes typed
at a step. Kept by the :class:`~debugger.engine.session.Session` and saved in session files."""

from __future__ import annotations

from dataclasses import dataclass, field

from avm.errors import UserError

BOOKMARK_NAMES = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class Annotations:
    bookmarks: dict[str, int] = field(default_factory=dict)      # letter -> step
    notes: dict[int, list[str]] = field(default_factory=dict)    # step -> notes typed there

    def mark(self, name: str, step: int) -> None:
        if len(name) != 1 or name not in BOOKMARK_NAMES:
            raise UserError(f"a bookmark is one letter a-z, not {name!r}")
        self.bookmarks[name] = step

    def bookmark(self, name: str) -> int:
        if name not in self.bookmarks:
            known = ", ".join(f"'{k}" for k in sorted(self.bookmarks)) or "none yet (m + letter marks a step)"
            raise UserError(f"no bookmark '{name} (bookmarks: {known})")
        return self.bookmarks[name]

    def add_note(self, step: int, text: str) -> None:
        text = text.strip()
        if not text:
            raise UserError("an empty note")
        self.notes.setdefault(step, []).append(text)

    def notes_at(self, step: int) -> list[str]:
        return list(self.notes.get(step, []))
