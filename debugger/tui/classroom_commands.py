"""The ``:`` handlers of the classroom commands (sessions, bookmarks, notes, screenshots): parse the
arguments, call the main screen. Registered in :mod:`debugger.tui.registry`. No Textual import here."""

from __future__ import annotations

from avm.errors import UserError
from debugger.tui.commands import CommandError, CommandTarget, file_argument


def _letter(args: str, usage: str) -> str:
    letter = args.strip().lstrip("'")
    if len(letter) != 1 or not letter.isalpha():
        raise CommandError(f"usage: {usage} (one letter a-z)")
    return letter.lower()


def save_session(t: CommandTarget, args: str) -> str:
    return t.save_session_to(file_argument(args) if args.strip() else None)


def screenshot(t: CommandTarget, args: str) -> str:
    return t.screenshot_to(file_argument(args) if args.strip() else None)


def mark(t: CommandTarget, args: str) -> str:
    letter = _letter(args, "mark LETTER")
    t.session.annotations.mark(letter, t.session.step)
    return f"bookmark '{letter} = step {t.session.step:,}"


def jump(t: CommandTarget, args: str) -> None:
    t.goto_step(t.session.annotations.bookmark(_letter(args, "jump LETTER")))


def list_marks(t: CommandTarget, args: str) -> str:
    marks = t.session.annotations.bookmarks
    if not marks:
        return "no bookmarks (m + letter marks the current step, ' + letter goes back to it)"
    return "bookmarks: " + ", ".join(f"'{k} step {v:,}" for k, v in sorted(marks.items()))


def note(t: CommandTarget, args: str) -> str:
    if not args.strip():
        raise UserError("usage: note TEXT")
    t.session.annotations.add_note(t.session.step, args)
    return f"note kept at step {t.session.step:,} (saved with :save-session)"


def list_notes(t: CommandTarget, args: str) -> str:
    notes = t.session.annotations.notes
    if not notes:
        return "no notes yet (:note TEXT keeps one at the current step)"
    return "; ".join(f"step {step:,}: {text}" for step, texts in sorted(notes.items()) for text in texts)
