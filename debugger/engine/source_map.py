"""Compiled mini programs at the source level: finding the sources, instruction <-> line maps, function
names, the source-level call stack and profiles by line and function (source stepping:
:mod:`debugger.engine.source_step`).

A ``.mexe`` names each source file by module: ``std::X`` is ``stdlib/X.mini``, ``core::X`` is
``builtin/X.mini``, a plain name ``X`` is ``X.mini`` in the program's own folder. Sources are searched in
the ``--source-dir`` folders, then next to the ``.mexe`` (and in its ``src/`` folder); a plain module
may also sit one folder down (``src/upgradetests/upgrade1_old.mini``), preferring the folder whose name
starts the ``.mexe`` name. Every location carries the absolute character offset of its 0-based
line/column: when they disagree, the file changed since compilation.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from avm.core.opcodes import JUMP_OPS, Op, mnemonic
from avm.core.program import Program
from avm.core.values import CodePoint
from avm.errors import UserError
from debugger.engine.display import instruction_ref
from debugger.engine.loading import ASSEMBLY_SUFFIXES
from debugger.engine.locations import (
    InstructionLocation,
    Reader,
    add_instruction_provider,
    add_place_provider,
)

if TYPE_CHECKING:
    from debugger.engine.session import Session

SOURCE_SUFFIX = ".mini"
CHANGED = "source changed since compilation"
_FRAME_EDGE_OPS = (int(Op.AUXPUSH), int(Op.JUMP))   # plain ints: checked on every replayed step
LINE_SLACK = 5            # a breakpoint on a line without code moves at most this far down
_TOKEN = re.compile(r"[A-Za-z_0-9]+|\S")
_FUNC = re.compile(r"\bfunc\s+([A-Za-z_][A-Za-z0-9_]*)")


def module_file(module: str) -> str:
    """The relative path of a module's source file (``std::bytestream`` -> ``stdlib/bytestream.mini``)."""
    parts = module.split("::")
    if len(parts) == 2 and parts[0] == "std":
        return os.path.join("stdlib", parts[1] + SOURCE_SUFFIX)
    if len(parts) == 2 and parts[0] == "core":
        return os.path.join("builtin", parts[1] + SOURCE_SUFFIX)
    return os.path.join(*parts) + SOURCE_SUFFIX


@dataclass
class SourceFile:
    module: str
    path: str | None                   # None: not found
    text: str = ""
    lines: list[str] = field(default_factory=list)
    line_starts: list[int] = field(default_factory=list)
    problem: str | None = None         # why it cannot be shown, or CHANGED
    functions: list[tuple[int, str]] = field(default_factory=list)   # (1-based line, name), in order

    @classmethod
    def read(cls, module: str, path: str) -> SourceFile:
        try:
            with open(path, encoding="utf-8", newline="") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as err:
            return cls(module, None, problem=f"{path}: cannot read ({getattr(err, 'strerror', None) or err})")
        lines = text.split("\n")
        starts, pos = [], 0
        for line in lines:
            starts.append(pos)
            pos += len(line) + 1
        functions = [(text.count("\n", 0, m.start()) + 1, m.group(1)) for m in _FUNC.finditer(text)]
        return cls(module, path, text, lines, starts, functions=functions)

    @property
    def name(self) -> str:
        return os.path.basename(self.path) if self.path else module_file(self.module)

    def offset(self, line: int, column: int) -> int | None:
        """Character offset of a 1-based line/column (None when outside the file)."""
        if not 1 <= line <= len(self.lines) or column < 1 or column - 1 > len(self.lines[line - 1]):
            return None
        return self.line_starts[line - 1] + column - 1

    def function_at(self, line: int) -> str | None:
        """The function whose declaration is the last one at or before ``line``."""
        name = None
        for start, fname in self.functions:
            if start > line:
                break
            name = fname
        return name


def check_source_dirs(dirs: Iterable[str]) -> list[str]:
    """The ``--source-dir`` folders, each checked to exist (``UserError`` naming the bad one)."""
    out = [os.fspath(d) for d in dirs]
    for d in out:
        if not os.path.isdir(d):
            raise UserError("--source-dir: no such folder", d)
    return out


def find_source(module: str, dirs: Iterable[str], program_path: str | None) -> str | None:
    """Where the module's file is: ``dirs`` first, then next to the program (see the module doc)."""
    rel = module_file(module)
    roots = list(dirs)
    if program_path:
        here = os.path.dirname(os.path.abspath(program_path))
        roots += [here, os.path.join(here, "src")]
    stem = os.path.splitext(os.path.basename(program_path or ""))[0]
    for root in roots:
        candidate = os.path.join(root, rel)
        if os.path.isfile(candidate):
            return candidate
    if "::" in module:
        return None
    for root in roots:                  # a plain module: the program's own folder, one level down
        try:
            subdirs = sorted(e.name for e in os.scandir(root) if e.is_dir())
        except OSError:
            continue
        subdirs.sort(key=lambda d: not stem.startswith(d))
        for sub in subdirs:
            candidate = os.path.join(root, sub, rel)
            if os.path.isfile(candidate):
                return candidate
    return None


class SourceMap:
    """Instruction <-> source line for one program. Lines are numbered by ``line_id`` (an index into
    ``lines``: ``(module, 1-based line)``); unlocated instructions have id -1."""

    def __init__(self, program: Program, source_dirs: Iterable[str] = ()) -> None:
        self.program = program
        self.source_dirs = [os.fspath(d) for d in source_dirs]
        self.lines: list[tuple[str, int]] = []
        ids: dict[tuple[str, int], int] = {}
        self.line_ids: list[int] = []
        # an assembly program's locations point into its .s file: that is the listing, not mini source
        assembly = program.source_text is not None
        located = [] if assembly or not any(program.locations) else program.locations   # any(): a big
        for loc in located:                           # .mexe without debug info is all None, cheaply
            if assembly or loc is None or loc.file is None or loc.file.endswith(ASSEMBLY_SUFFIXES):
                self.line_ids.append(-1)
                continue
            key = (loc.file, loc.line)
            lid = ids.get(key)
            if lid is None:
                lid = ids[key] = len(self.lines)
                self.lines.append(key)
            self.line_ids.append(lid)
        self.line_ids.extend([-1] * (len(program.code) - len(self.line_ids)))
        self._ids = ids
        self._files: dict[str, SourceFile] = {}
        self._instructions: dict[int, list[int]] | None = None
        self._owner: list[int] | None = None

    @property
    def has_locations(self) -> bool:
        return bool(self.lines)

    # ------------------------------------------------------------------ files
    def modules(self) -> list[str]:
        seen = dict.fromkeys(module for module, _ in self.lines)
        return list(seen)

    def file(self, module: str) -> SourceFile:
        """The source of ``module`` (loaded and checked once); ``problem`` says what is wrong."""
        src = self._files.get(module)
        if src is None:
            path = find_source(module, self.source_dirs, self.program.path)
            if path is None:
                where = ", ".join(self.source_dirs) or "next to the program"
                problem = f"source of {module} ({module_file(module)}) not found ({where}; use --source-dir)"
                src = SourceFile(module, None, problem=problem)
            else:
                src = SourceFile.read(module, path)
                if src.problem is None and not self._matches(src):
                    src.problem = CHANGED
            self._files[module] = src
        return src

    def _matches(self, src: SourceFile) -> bool:
        for loc in self.program.locations:
            if loc is not None and loc.file == src.module and loc.absolute is not None:
                if src.offset(loc.line, loc.column) != loc.absolute:
                    return False
        for g in self.program.globals:
            loc = g.location
            if loc is not None and loc.file == src.module and loc.absolute is not None:
                if src.offset(loc.line, loc.column) != loc.absolute:
                    return False
        return True

    def warnings(self) -> list[str]:
        """One line per source file that is missing or changed."""
        out = []
        for module in self.modules():
            src = self.file(module)
            if src.problem == CHANGED:
                out.append(f"{src.path}: {CHANGED}")
            elif src.problem:
                out.append(src.problem)
        return out

    # ------------------------------------------------------------------ lines
    def line_id(self, index: int) -> int:
        return self.line_ids[index] if 0 <= index < len(self.line_ids) else -1

    def line_of(self, index: int) -> tuple[str, int] | None:
        """(module, 1-based line) of instruction ``index``."""
        lid = self.line_id(index)
        return self.lines[lid] if lid >= 0 else None

    def _source_line(self, index: int) -> tuple[int, str] | None:
        """(1-based column, text of the line) at instruction ``index``'s location, if its file is here."""
        loc = self.program.locations[index] if 0 <= index < len(self.program.locations) else None
        if loc is None or loc.file is None:
            return None
        src = self.file(loc.file)
        if src.path is None or not 1 <= loc.line <= len(src.lines):
            return None
        return loc.column, src.lines[loc.line - 1]

    def columns_of(self, index: int) -> tuple[int, int] | None:
        """1-based column range (start, end exclusive) that instruction ``index`` stands for: from its
        column to the end of the token there (a word, or one character)."""
        found = self._source_line(index)
        if found is None:
            return None
        column, text = found
        m = _TOKEN.match(text, column - 1)
        return column, column + (len(m.group(0)) if m else 1)

    def text_at(self, index: int) -> str | None:
        """The source text from instruction ``index``'s location to the end of its line."""
        found = self._source_line(index)
        return found[1][found[0] - 1:] if found else None

    def instructions_at(self, module: str, line: int) -> list[int]:
        """Every instruction located on that line."""
        if self._instructions is None:
            table: dict[int, list[int]] = {}
            for i, lid in enumerate(self.line_ids):
                if lid >= 0:
                    table.setdefault(lid, []).append(i)
            self._instructions = table
        found = self._ids.get((module, line))
        return list(self._instructions.get(found, ())) if found is not None else []

    def line_starts(self, module: str, line: int) -> list[int]:
        """The instructions that begin a stretch of that line in the listing (where a breakpoint on
        the line stops)."""
        lid = self._ids.get((module, line))
        return [i for i in self.instructions_at(module, line) if i == 0 or self.line_ids[i - 1] != lid]

    def statement_line(self, index: int) -> tuple[str, int] | None:
        """The source line of instruction ``index``; for an unlocated instruction written in an ``asm``
        block (the compiler leaves some unlocated: ``asm(42,) { debugprint }``), a line between its located
        neighbours that names its opcode and has no located code: the k-th such instruction of the
        unlocated stretch on the k-th such line."""
        found = self.line_of(index)
        if found is not None or not 0 <= index < len(self.line_ids):
            return found
        before = self.owner_line(index)
        after = next((lid for lid in self.line_ids[index + 1:] if lid >= 0), -1)
        if before < 0:
            return None
        module, first = self.lines[before]
        last = self.lines[after][1] if after >= 0 and self.lines[after][0] == module else first + 50
        src = self.file(module)
        if src.path is None or last < first:
            return None
        code = self.program.code
        op = code[index].op
        start = index
        while start > 0 and self.line_ids[start - 1] < 0:
            start -= 1
        k = sum(1 for i in range(start, index) if code[i].op == op)
        word = re.compile(r"\b" + re.escape(mnemonic(op)) + r"\b")
        hits = [n for n in range(first, min(last, len(src.lines)) + 1)
                if (module, n) not in self._ids and word.search(src.lines[n - 1])]
        return (module, hits[k]) if k < len(hits) else None

    def nearest_line(self, index: int) -> tuple[str, int] | None:
        """The line of instruction ``index``, else of the nearest located instruction above it, else
        below it (None when the program has no locations)."""
        if not self.lines:
            return None
        lid = self.owner_line(index)
        if lid < 0:
            lid = next((x for x in self.line_ids[max(0, index):] if x >= 0), -1)
        return self.lines[lid] if lid >= 0 else None

    def line_totals(self, per_instruction: list[int]) -> dict[tuple[str, int], int]:
        """Per-instruction figures (hits or gas) added up per source line; unlocated instructions
        count on the line above them (see :meth:`owner_line`)."""
        totals: dict[tuple[str, int], int] = {}
        for i, n in enumerate(per_instruction):
            if n:
                lid = self.owner_line(i)
                if lid >= 0:
                    key = self.lines[lid]
                    totals[key] = totals.get(key, 0) + n
        return totals

    def module_named(self, name: str) -> str:
        """The module a user means by ``name``: a module (``std::bytestream``), a file name
        (``bytestream.mini``, ``bytestream``) or a path ending in one (``UserError`` if none or many)."""
        modules = self.modules()
        if name in modules:
            return name
        base = os.path.basename(name)
        stem = base[:-len(SOURCE_SUFFIX)] if base.endswith(SOURCE_SUFFIX) else base
        found = [m for m in modules if m.split("::")[-1] == stem]
        if len(found) > 1:
            norm = name.replace(os.sep, "/")
            exact = [m for m in found if module_file(m).replace(os.sep, "/").endswith(norm)]
            found = exact or found
        if len(found) == 1:
            return found[0]
        if not found:
            raise UserError(f"no source file {name!r} in this program (files: {', '.join(sorted(modules))})")
        raise UserError(f"{name!r} is ambiguous: {', '.join(found)}")

    def resolve(self, spec: str) -> tuple[str, int, list[int]]:
        """``FILE:LINE`` -> (module, line, instructions that start it). A line without code moves to
        the next line with code (as in gdb), at most ``LINE_SLACK`` lines on; else ``UserError``
        naming the nearest lines that have code."""
        name, sep, num = spec.strip().rpartition(":")
        if not sep or not num.isdigit() or not name:
            raise UserError(f"expected FILE:LINE, not {spec!r}")
        module, line = self.module_named(name), int(num)
        with_code = sorted({ln for m, ln in self.lines if m == module})
        later = [ln for ln in with_code if line <= ln <= line + LINE_SLACK]
        if not later:
            near = sorted(sorted(with_code, key=lambda ln: (abs(ln - line), ln))[:3])
            hint = f" (lines with code nearby: {', '.join(map(str, near))})" if near else ""
            raise UserError(f"no code on {self.display(module)}:{line}{hint}")
        return module, later[0], self.line_starts(module, later[0])

    def display(self, module: str) -> str:
        """A module's file name for messages and the pane title."""
        return os.path.basename(module_file(module))

    # ------------------------------------------------------------------ functions
    def function_of(self, index: int) -> str | None:
        """The source function instruction ``index`` belongs to: the declaration before its line, or,
        for an unlocated instruction, before the line of the nearest located instruction above it
        (the compiler emits each function as one stretch that starts with its located frame set-up);
        without locations, the program's label for it."""
        lid = self.owner_line(index)
        if lid >= 0:
            module, line = self.lines[lid]
            src = self.file(module)
            name = src.function_at(line) if src.path is not None else None
            if name:
                return name
        from debugger.engine.insight import label_index

        return label_index(self.program).function_of(index) if 0 <= index < len(self.program.code) else None

    def owner_line(self, index: int) -> int:
        """The line id of instruction ``index``, or of the nearest located instruction above it."""
        if self._owner is None:
            owner, last = [], -1
            for lid in self.line_ids:
                if lid >= 0:
                    last = lid
                owner.append(last)
            self._owner = owner
        return self._owner[index] if 0 <= index < len(self._owner) else -1

    def where(self, index: int) -> str:
        """``file:line`` of an instruction ("" when it has no location)."""
        lid = self.line_id(index)
        return self.where_line(lid) if lid >= 0 else ""

    def where_line(self, lid: int) -> str:
        module, line = self.lines[lid]
        return f"{self.display(module)}:{line}"


# ---------------------------------------------------------------------- call stack and profile
@dataclass
class SourceFrame:
    level: int
    function: str
    where: str          # file:line, or @index without a location
    index: int

    def describe(self) -> str:
        return f"#{self.level} {self.function} at {self.where}"


def source_call_stack(smap: SourceMap, m: Any) -> list[SourceFrame]:
    """Frames innermost first, named by source function: the current pc, then for each return
    codepoint on the aux stack the call that pushed it (the instruction before it)."""
    from debugger.engine.insight import call_stack

    frames: list[SourceFrame] = []
    calls = [f.index if f.level == 0 else f.index - 1 for f in call_stack(smap.program, m)]
    pending = pending_return(m, smap.program.code)
    if pending is not None:
        calls.insert(1, pending.index - 1)
    for index in calls:
        name = smap.function_of(index) or "?"
        where = smap.where(index)
        if not where:
            owner = smap.owner_line(index)
            ref = instruction_ref(index)
            where = f"{ref} (after {smap.where_line(owner)})" if owner >= 0 else ref
        frames.append(SourceFrame(len(frames), name, where, index))
    return frames


def profile_rows(smap: SourceMap, counts: dict[int, int], gas: dict[int, int],
                 by: str = "function") -> list[tuple[str, int, int]]:
    """(``function`` or ``file:line``, steps, gas), most gas first."""
    acc: dict[str, list[int]] = {}
    for i, n in counts.items():
        if by == "line":
            key = smap.where(i) or f"({smap.function_of(i) or 'startup code'}, no location)"
        else:
            key = (smap.function_of(i) or "(startup code)") if i >= 0 else "(run-time code)"
        row = acc.setdefault(key, [0, 0])
        row[0] += n
        row[1] += gas.get(i, 0)
    return sorted(((k, v[0], v[1]) for k, v in acc.items()), key=lambda r: (-r[2], -r[1], r[0]))


def session_profile(session: Session, by: str = "function") -> list[tuple[str, int, int]]:
    """The gas profile of ``session`` from the start to now, by source function or line (by label or
    ``file:line`` of the listing when the program has no source locations); most gas first."""
    profile = session.gas_profile()
    smap = session.source_map
    if smap.has_locations:
        return profile_rows(smap, profile.counts, profile.gas, by)
    return profile.by_line() if by == "line" else profile.by_function()


def profile_table(rows: list[tuple[str, int, int]], title: str) -> list[str]:
    """The rows as text lines: name, steps, gas and share of the gas."""
    total = sum(r[2] for r in rows) or 1
    width = max([len(title), *(len(r[0]) for r in rows)])
    out = [f"{title:<{width}}  {'steps':>10}  {'gas':>12}  {'gas %':>6}"]
    for name, steps, gas in rows:
        out.append(f"{name:<{width}}  {steps:>10,}  {gas:>12,}  {100 * gas / total:>6.1f}")
    return out


# ---------------------------------------------------------------------- frames (source stepping, call stack)
def pending_return(m: Any, code: list[CodePoint]) -> CodePoint | None:
    """The return address on top of the data stack at a function's first instruction (``auxpush``,
    before it saves it) or at its last (the ``jump`` back): a codepoint that follows a jump."""
    if m.pc.op in _FRAME_EDGE_OPS and m.stack:
        top = m.stack[-1]
        i = top.index if type(top) is CodePoint else -1
        if 0 < i < len(code) and code[i] is top and code[i - 1].op in JUMP_OPS:
            return top
    return None


def frames_of(m: Any, code: list[CodePoint]) -> int:
    """Returning-function frames: the return codepoints on the aux stack (and a pending one)."""
    n = sum(1 for v in m.aux if type(v) is CodePoint)
    return n + 1 if pending_return(m, code) is not None else n


# ---------------------------------------------------------------------- the location language
_MAPS: dict[int, SourceMap] = {}


def program_source_map(program: Program) -> SourceMap:
    """A line map of ``program`` (no source folders: for naming lines, not for showing them)."""
    smap = _MAPS.get(id(program))
    if smap is None or smap.program is not program:
        _MAPS.clear()
        smap = _MAPS[id(program)] = SourceMap(program)
    return smap


_FILE_LINE = re.compile(r"(?P<file>[^\s:][^\s]*?):(?P<line>[0-9]+)\Z")


def _line_location(program: Program, text: str) -> InstructionLocation | None:
    """``FILE:LINE`` (``bytestream.mini:122``, ``std::bytestream:122``) names the first instruction of
    that line, for breakpoints, ``--break`` and run-to."""
    if _FILE_LINE.match(text) is None:
        return None
    smap = program_source_map(program)
    if not smap.has_locations:
        return None
    module, line, starts = smap.resolve(text)
    return InstructionLocation(text, index=starts[0], label=f"{smap.display(module)}:{line}")


def _global_place(program: Program | None, name: str) -> Reader | None:
    """A global variable's name reads its value from the register (``:watch newGlobal2``,
    ``:break 46 if global1 == 5``)."""
    if program is None or not program.globals:
        return None
    from debugger.engine.mini_types import global_paths, value_at

    path = global_paths(program).get(name)
    if path is None:
        return None
    return lambda m: value_at(m.register, path)


add_instruction_provider(_line_location)
add_place_provider(_global_place)
