"""Lesson files: one EVM program and one AVM ``.s`` program computing the same thing, side by side.

Format (``*.lesson``, UTF-8)::

    title: PUSH and ADD on the stack
    result: halt 8          # what both sides must end with: "halt N" or "error"
    gas: 100000             # EVM gas for the call (optional)
    === about
    Free text shown before the first step.
    === note add
    The text shown when the machines reach the marker ``add``.
    === evm
        PUSH1 0x03
        PUSH1 0x05          ;@ add
        ADD
    === avm
        push 3
        push 5              ;@ add
        add

A ``;@ name`` sync marker marks the instruction on its line, or on its own line the next one. Every
marker must appear on both sides. Line and column in errors are those of the lesson file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from avm.core.program import Program
from avm.errors import UserError
from avm.formats.assembler import assemble
from avm.formats.input_file import read_text
from debugger.evm.asm import EvmProgram, assemble_evm, marker_at
from debugger.evm.runner import DEFAULT_GAS

LESSON_SUFFIX = ".lesson"
_SECTION = re.compile(r"===\s*(\w+)\s*([\w.-]*)\s*$")
_RESULT = re.compile(r"halt \d+|error")


@dataclass
class Lesson:
    path: str
    title: str
    result: str
    gas: int
    about: str
    notes: dict[str, str]
    evm: EvmProgram
    avm: Program
    avm_markers: dict[int, str]                      # instruction index -> marker name
    marker_order: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return Path(self.path).stem


def is_lesson(path: str) -> bool:
    return path.lower().endswith(LESSON_SUFFIX)


def _padded(lines: list[str], start: int) -> str:
    """The section's text preceded by blank lines, so that assemblers report lesson-file lines."""
    return "\n" * start + "\n".join(lines) + "\n"


def _avm_markers(lines: list[str], start: int, program: Program, path: str) -> dict[int, str]:
    code_lines = [loc.line if loc is not None else 0 for loc in program.locations]
    out: dict[int, str] = {}
    for k, raw in enumerate(lines):
        found = marker_at(raw)
        if found is None:
            continue
        lineno = start + k + 1
        index = next((i for i, line in enumerate(code_lines) if line >= lineno), None)
        if index is None:
            raise UserError(f"marker {found[0]!r} has no instruction after it", path, lineno, found[1])
        if index in out:
            raise UserError("two markers on one instruction", path, lineno, found[1])
        out[index] = found[0]
    return out


def reflow(text: str) -> str:
    """Notes are hard-wrapped in the file: join the lines of each paragraph (blank lines separate them)."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip())]
    return "\n\n".join(p for p in paragraphs if p)


def parse_lesson(text: str, path: str = "<lesson>") -> Lesson:
    header: dict[str, str] = {}
    sections: dict[str, tuple[int, list[str]]] = {}
    notes: dict[str, tuple[int, str]] = {}
    current: str | None = None
    body: list[str] = []
    start = 0

    def close() -> None:
        if current is None:
            return
        if current.startswith("note "):
            notes[current[5:]] = (start, reflow("\n".join(body)))
        else:
            sections[current] = (start, body)

    for lineno, raw in enumerate(text.splitlines(), 1):
        m = _SECTION.match(raw)
        if m:
            close()
            kind, name = m.group(1).lower(), m.group(2)
            if kind not in ("evm", "avm", "about", "note"):
                raise UserError(f"unknown section {kind!r} (evm, avm, about, note NAME)", path, lineno, 5)
            if kind == "note" and not name:
                raise UserError("'=== note' needs the marker's name", path, lineno, 1)
            current = f"note {name}" if kind == "note" else kind
            if current in sections or (kind == "note" and name in notes):
                raise UserError(f"section '{current}' appears twice", path, lineno, 1)
            body, start = [], lineno
            continue
        if current is not None:
            body.append(raw)
            continue
        stripped = raw.split("#", 1)[0].strip()
        if not stripped:
            continue
        key, colon, value = stripped.partition(":")
        if not colon or key.strip() not in ("title", "result", "gas"):
            raise UserError("expected 'title:', 'result:', 'gas:' or a '=== section' line", path, lineno, 1)
        header[key.strip()] = value.strip()
    close()
    for need in ("evm", "avm"):
        if need not in sections:
            raise UserError(f"the lesson has no '=== {need}' section", path)
    result = header.get("result", "")
    if not _RESULT.fullmatch(result):
        raise UserError("the header needs 'result: halt N' or 'result: error'", path)
    try:
        gas = int(header.get("gas", str(DEFAULT_GAS)).replace("_", ""))
    except ValueError:
        raise UserError("'gas:' must be a whole number", path) from None
    evm_start, evm_lines = sections["evm"]
    evm = assemble_evm(_padded(evm_lines, evm_start), path)
    avm_start, avm_lines = sections["avm"]
    avm = assemble(_padded(avm_lines, avm_start), path)
    avm_markers = _avm_markers(avm_lines, avm_start, avm, path)
    evm_names, avm_names = set(evm.markers.values()), set(avm_markers.values())
    for name in sorted(evm_names ^ avm_names):
        side = "avm" if name in evm_names else "evm"
        raise UserError(f"marker {name!r} is missing on the {side} side", path)
    for name, (lineno, _) in notes.items():
        if name not in evm_names:
            raise UserError(f"note for unknown marker {name!r}", path, lineno, 1)
    order = [evm.markers[k] for k in sorted(evm.markers)]
    return Lesson(path, header.get("title", Path(path).stem), result, gas,
                  reflow("\n".join(sections.get("about", (0, []))[1])),
                  {k: v for k, (_, v) in notes.items()}, evm, avm, avm_markers, order)


def load_lesson(path: str | Path) -> Lesson:
    return parse_lesson(read_text(path, "lesson"), str(path))


def resolve_lesson(name: str) -> Lesson:
    """A lesson file path, or the name of a shipped lesson (``push_add`` or ``push_add.lesson``)."""
    if not is_lesson(name) or not Path(name).exists():
        from debugger.resources import lesson_path

        shipped = lesson_path(name if is_lesson(name) else name + LESSON_SUFFIX)
        if shipped.is_file() and not Path(name).exists():
            return load_lesson(str(shipped))
    return load_lesson(name)
