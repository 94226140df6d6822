"""Session files: one JSON document that reopens a debugging session exactly where it was.

A session file holds the program (an assembly source inline, or a path with the SHA-256 of the file it
was saved with), the inbox, breakpoints and watches (as the text the user typed), bookmarks, notes typed
during the session and the current step. ``avm-debug FILE.session.json`` reopens it; ``avm-debug replay``
runs it without a screen. Every problem with the file is a :class:`UserError` naming it.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from avm.core.inbox import messages_from_json
from avm.core.program import Program
from avm.errors import UserError
from avm.formats.jsonfile import read_json
from avm.formats.mexe import value_to_json
from debugger.engine.annotations import Annotations
from debugger.engine.breakpoints import BreakKind, Breakpoint
from debugger.engine.loading import load_program
from debugger.engine.session import Session

FORMAT = "avm-debug-session"
VERSION = 1
SUFFIX = ".session.json"


def is_session_file(path: str | os.PathLike[str]) -> bool:
    return os.fspath(path).lower().endswith(SUFFIX)


def breakpoint_spec(bp: Breakpoint, program: Program) -> str:
    """The ``break`` argument that recreates ``bp`` (labels kept as labels, so edits keep them)."""
    if bp.kind is BreakKind.INSTRUCTION:
        where = bp.label or program.labels.get(bp.index or 0) or str(bp.index)
    elif bp.kind is BreakKind.OPCODE:
        from avm.core.opcodes import mnemonic

        where = f"op {mnemonic(bp.opcode or 0)}"
    elif bp.kind is BreakKind.CONDITION:
        return f"when {bp.condition.source if bp.condition else ''}"
    else:
        return bp.kind.value
    return where + (f" if {bp.condition.source}" if bp.condition is not None else "")


@dataclass
class SessionState:
    """What a session file says besides the program."""

    breakpoints: list[dict[str, Any]] = field(default_factory=list)   # {"spec", "enabled", "once"}
    watches: list[dict[str, Any]] = field(default_factory=list)       # {"spec", "enabled"}
    annotations: Annotations = field(default_factory=Annotations)
    step: int = 0


def capture_state(session: Session) -> SessionState:
    """Breakpoints, watches, annotations and the step of ``session``, as a session file keeps them."""
    program = session.program
    return SessionState(
        breakpoints=[{"spec": breakpoint_spec(bp, program), "enabled": bp.enabled, "once": bp.one_shot}
                     for bp in session.breakpoints],
        watches=[{"spec": w.target, "enabled": w.enabled} for w in session.watches],
        annotations=session.annotations,
        step=session.step,
    )


def rerun(session: Session, program: Program) -> tuple[Session, list[str]]:
    """A new session on ``program`` (an edited version of ``session``'s) that keeps the breakpoints (by
    label or index), watches, bookmarks and notes, and goes back to the same step where the new program
    still gets that far. An inbox given on the command line is kept; a program's own ``.inbox`` is
    taken from the new program. Returns the session and what could not be carried over."""
    own_inbox = len(session.inbox) == len(session.program.inbox) and all(
        a is b for a, b in zip(session.inbox, session.program.inbox, strict=True))
    new = Session(program, None if own_inbox else list(session.inbox))
    new.source_dirs = list(session.source_dirs)
    return new, restore(new, capture_state(session))


def session_to_json(session: Session, program_name: str) -> dict[str, Any]:
    """The session file document for ``session`` at its current step."""
    program = session.program
    entry: dict[str, Any] = {"name": Path(program_name).name}
    if program.source_text is not None:
        entry["source"] = program.source_text
    elif program.path:
        data = Path(program.path).read_bytes()
        entry["path"] = os.path.abspath(program.path)
        entry["sha256"] = hashlib.sha256(data).hexdigest()
    else:
        raise UserError("this program has neither a source text nor a file: it cannot be saved")
    state = capture_state(session)
    return {
        "format": FORMAT,
        "version": VERSION,
        "program": entry,
        "inbox": [value_to_json(v, lambda cp: cp.index) for v in session.inbox],
        "breakpoints": state.breakpoints,
        "watches": state.watches,
        "bookmarks": dict(sorted(state.annotations.bookmarks.items())),
        "notes": [{"step": step, "text": text}
                  for step, texts in sorted(state.annotations.notes.items()) for text in texts],
        "step": state.step,
    }


def save_session(session: Session, path: str | os.PathLike[str], program_name: str) -> Path:
    """Write the session file (``UserError`` when it cannot be written)."""
    target = Path(path)
    doc = session_to_json(session, program_name)
    try:
        target.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write the session file: {exc.strerror or exc}", str(target)) from None
    return target


def _field(doc: dict[str, Any], key: str, kind: type, name: str, default: Any = None) -> Any:
    value = doc.get(key, default)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is int:
        raise UserError(f"'{key}' must be {kind.__name__}", name)
    return value


def _program(entry: Any, name: str) -> tuple[Program, str]:
    if not isinstance(entry, dict):
        raise UserError("'program' must be an object with 'source' or 'path'", name)
    title = str(entry["name"]) if isinstance(entry.get("name"), str) else "program.s"
    if isinstance(entry.get("source"), str):
        from avm.formats.assembler import assemble

        try:
            return assemble(entry["source"], title), title
        except UserError as exc:
            raise UserError(f"the program saved in it does not assemble: {exc}", name) from None
    if isinstance(entry.get("path"), str):
        path = entry["path"]
        if not os.path.isabs(path):
            path = os.path.join(os.path.dirname(os.path.abspath(name)), path)
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise UserError(f"the program {path} cannot be read: {exc.strerror or exc}", name) from None
        want = entry.get("sha256")
        if isinstance(want, str) and hashlib.sha256(data).hexdigest() != want.lower():
            raise UserError(f"the program {path} changed since the session was saved (SHA-256 differs)",
                            name)
        return load_program(path), title
    raise UserError("'program' must have 'source' (assembly text) or 'path'", name)


def load_session_file(path: str | os.PathLike[str]) -> tuple[Session, SessionState, str]:
    """Read a session file: a new Session on its program and inbox, the state to restore, and the
    program's display name. Call :func:`restore` to apply the state."""
    name = os.fspath(path)
    doc = read_json(name, "session file")
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise UserError(f"not an avm-debug session file (expected \"format\": \"{FORMAT}\")", name)
    if doc.get("version") != VERSION:
        raise UserError(f"session file version {doc.get('version')!r} is not supported (this is {VERSION})",
                        name)
    program, title = _program(doc.get("program"), name)
    inbox = messages_from_json(_field(doc, "inbox", list, name, []), name)
    state = SessionState(step=_field(doc, "step", int, name, 0))
    if state.step < 0:
        raise UserError("'step' must be 0 or more", name)
    for key, target in (("breakpoints", state.breakpoints), ("watches", state.watches)):
        for i, item in enumerate(_field(doc, key, list, name, [])):
            if not isinstance(item, dict) or not isinstance(item.get("spec"), str):
                raise UserError(f"{key}[{i}] must be an object with a 'spec' text", name)
            target.append(item)
    for letter, step in _field(doc, "bookmarks", dict, name, {}).items():
        if not isinstance(step, int) or isinstance(step, bool) or step < 0:
            raise UserError(f"bookmark {letter!r} must be a step number", name)
        try:
            state.annotations.mark(letter, step)
        except UserError as exc:
            raise UserError(str(exc), name) from None
    for i, note in enumerate(_field(doc, "notes", list, name, [])):
        if not (isinstance(note, dict) and isinstance(note.get("text"), str)
                and isinstance(note.get("step"), int) and not isinstance(note.get("step"), bool)):
            raise UserError(f"notes[{i}] must be an object with 'step' and 'text'", name)
        state.annotations.add_note(note["step"], note["text"])
    return Session(program, inbox), state, title


def restore(session: Session, state: SessionState, source: str | None = None) -> list[str]:
    """Apply breakpoints, watches, bookmarks and notes, then go to the saved step. Returns problems
    (a breakpoint that no longer parses after an edit) instead of failing on them."""
    problems: list[str] = []
    for item in state.breakpoints:
        try:
            bp = session.breakpoints.add(item["spec"], one_shot=bool(item.get("once")))
            if item.get("enabled") is False:
                session.breakpoints.enable(bp.number, False)
        except UserError as exc:
            problems.append(f"breakpoint {item['spec']!r} dropped: {exc}")
    for item in state.watches:
        try:
            w = session.watches.add(item["spec"])
            if item.get("enabled") is False:
                session.watches.enable(w.number, False)
        except UserError as exc:
            problems.append(f"watch {item['spec']!r} dropped: {exc}")
    session.annotations = state.annotations
    session.goto(state.step)
    if session.step != state.step:
        problems.append(f"the program stops at step {session.step:,}, before step {state.step:,}")
    return problems
