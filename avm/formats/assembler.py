"""The ``.s`` assembler: AVM assembly text -> :class:`avm.core.program.Program`.

The language is described in ``docs/assembly.md``. The result is the same in-memory ``Program`` the
``.mexe`` loader builds (same codepoint chain ending in the error codepoint, same static value), so
hashes, gas and proofs agree whichever form a program was loaded from.

Assembly runs in three passes, each reporting *every* problem it finds:

1. parse each line into labels, one instruction or directive, and literal ASTs (``_Tup``, ``_Ref``,
   ``_Buf``, plain ``int``);
2. check every codepoint reference (``@label``): defined, and naming a *later* instruction when it
   sits in an immediate (the hash chain runs from the end of the program to its start);
3. build the values, from the last instruction to the first, so that every referenced codepoint
   exists (with its final hash) before the instruction naming it is built.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from avm.core.buffer import Buffer
from avm.core.opcodes import BY_NAME
from avm.core.program import Program, SourceLocation, link_code
from avm.core.values import MAX_INT, MAX_TUPLE, CodePoint, Tuple, Value
from avm.errors import UserError
from avm.formats.input_file import read_text
from avm.teach.evm_ways import evm_way

ERROR_LABEL = "error"          # ``@error`` is the program's error codepoint
DIRECTIVES = (".static", ".inbox", ".const", ".break")
RAW_OPCODE = "op"              # ``op(0x71)``: an opcode by number (for invalid opcodes)
_TWO_256 = 1 << 256
_MIN_NEG = 1 << 255


# --------------------------------------------------------------------------- literal ASTs
class _Ref:
    """``@name``: a codepoint reference, resolved when the program is built."""

    __slots__ = ("name", "line", "col")

    def __init__(self, name: str, line: int, col: int) -> None:
        self.name = name
        self.line = line
        self.col = col


class _Tup:
    __slots__ = ("items", "has_ref")

    def __init__(self, items: list, has_ref: bool) -> None:
        self.items = items
        self.has_ref = has_ref


class _Buf:
    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data


_NO_IMM = object()


@dataclass
class Diagnostic:
    """One assembly error: where (1-based line/column), how wide the caret is, what and what to do."""

    line: int
    column: int
    message: str
    width: int = 1
    hints: list[str] = field(default_factory=list)


class AssemblyError(UserError):
    """All the errors of one ``.s`` file. ``str(err)`` is the complete multi-line report."""

    def __init__(self, path: str, errors: list[Diagnostic], source: str) -> None:
        unique = {(d.line, d.column, d.message): d for d in errors}
        self.errors = sorted(unique.values(), key=lambda d: (d.line, d.column))
        self.source_lines = source_lines(source)
        first = self.errors[0]
        super().__init__(first.message, path, first.line, first.column)

    def __str__(self) -> str:
        parts = [self.format_one(d) for d in self.errors]
        count = len(self.errors)
        parts.append(f"{count} error{'s' if count != 1 else ''} in {self.path}")
        return "\n".join(parts)

    def format_one(self, d: Diagnostic) -> str:
        """``file:line:col: message``, the source line, a caret under the culprit, then the hints."""
        lines = [f"{self.path}:{d.line}:{d.column}: {d.message}"]
        if 1 <= d.line <= len(self.source_lines):
            text = self.source_lines[d.line - 1].expandtabs(1)
            gutter = f"{d.line:>5} | "
            lines.append(gutter + text)
            lines.append(" " * (len(gutter) - 2) + "| " + " " * (d.column - 1) + "^" + "~" * (d.width - 1))
        lines.extend("    " + h for h in d.hints)
        return "\n".join(lines)


@dataclass
class _Insn:
    op: int
    imm: object            # literal AST or _NO_IMM
    line: int
    col: int


# --------------------------------------------------------------------------- opcode names
_OPS: dict[str, int] = {name.lower(): info.code for name, info in BY_NAME.items()}
_OPS["push"] = _OPS["nop"]          # push X = nop with the immediate X


def mnemonic_table() -> dict[str, int]:
    """Lower-case mnemonic -> opcode, from the opcode table (plus ``push`` = ``nop`` with a value)."""
    return _OPS


# --------------------------------------------------------------------------- tokens
_TOKEN = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<num>-?[0-9][0-9A-Za-z_]*)"
    r"|(?P<ref>@[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<dir>\.[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<buf>\[[^\]]*\]?)"
    r"|(?P<p>[(),=:])"
    r"|(?P<bad>.)"
)
_HEX_INT = re.compile(r"0[xX][0-9A-Fa-f](?:_?[0-9A-Fa-f])*")
_DEC_INT = re.compile(r"[0-9](?:_?[0-9])*")
_LABEL_AT_START = re.compile(r"^[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*:", re.M)

VALUE_FORMS = "an integer, a tuple (...), a buffer [..], @label or a constant name"


def _clip(text: str, width: int = 40) -> str:
    """A user token for a message, shortened when long (the caret line shows the rest)."""
    return text if len(text) <= width else text[: width - 3] + "..."


class _LineError(Exception):
    def __init__(self, col: int, message: str, width: int = 1, hints: list[str] | None = None) -> None:
        self.col = col
        self.message = message
        self.width = width
        self.hints = hints or []


def source_lines(text: str) -> list[str]:
    r"""The lines of ``.s`` source as an editor numbers them: only ``\n`` and ``\r\n`` end a line
    (``str.splitlines`` also splits at form feeds, U+2028, ``\x1c``-``\x1e`` and ``\x85``, which may sit
    in a comment)."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def _tokenize(code: str) -> list[tuple[str, str, int]]:
    """(kind, text, 1-based column) for each token of a comment-free line."""
    out = []
    for m in _TOKEN.finditer(code):
        kind = m.lastgroup
        if kind != "ws":
            out.append((kind or "", m.group(), m.start() + 1))
    return out


def parse_int(text: str, col: int) -> int:
    """A decimal or ``0x`` hex integer, ``-`` for 256-bit two's complement; ``_`` separators allowed."""
    neg = text.startswith("-")
    body = text[1:] if neg else text
    if _HEX_INT.fullmatch(body):
        digits, base = body[2:].replace("_", "").lstrip("0"), 16
    elif _DEC_INT.fullmatch(body):
        digits, base = body.replace("_", "").lstrip("0"), 10
    else:
        raise _LineError(col, f"malformed integer literal {_clip(text)!r}", len(text),
                         ["integers are decimal (1234, 1_000) or hex (0xff), optionally negative (-1)"])
    # 2**256 has 78 decimal digits: longer literals are out of range (and int() refuses huge strings)
    value = int(digits or "0", base) if len(digits) <= 80 else _TWO_256
    if neg:
        if value > _MIN_NEG:
            raise _LineError(col, f"integer {_clip(text)} is out of the 256-bit range", len(text),
                             ["negative integers go down to -2**255 (stored as 256-bit two's complement)"])
        return (_TWO_256 - value) % _TWO_256
    if value > MAX_INT:
        raise _LineError(col, f"integer {_clip(text)} is out of the 256-bit range", len(text),
                         ["the largest integer is 2**256-1 = 0xffff...ff (64 hex digits)"])
    return value


def _parse_buffer(text: str, col: int) -> _Buf:
    if not text.endswith("]"):
        raise _LineError(col, "unterminated buffer literal: expected ']' before the end of the line",
                         len(text), ["a buffer literal is hex bytes in brackets, e.g. [de ad be ef]"])
    body = re.sub(r"[\s_]", "", text[1:-1])
    if len(body) % 2 or not re.fullmatch(r"[0-9A-Fa-f]*", body):
        raise _LineError(col, f"malformed buffer literal {_clip(text)}", len(text),
                         ["a buffer literal is pairs of hex digits in brackets, e.g. [de ad be ef] or []"])
    return _Buf(bytes.fromhex(body))


class _Parser:
    """Parses lines; collects diagnostics instead of stopping at the first."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[Diagnostic] = []
        self.insns: list[_Insn] = []
        self.labels: dict[str, tuple[int, int, int]] = {}     # name -> (index, line, col)
        self.consts: dict[str, tuple[object, int]] = {}        # name -> (ast, line)
        self.static: object = _NO_IMM
        self.static_line = 0
        self.inbox: list[tuple[object, int]] = []             # (ast, line)
        self.notes: dict[int, str] = {}
        self.breaks: set[int] = set()
        self.pending_notes: list[str] = []
        self.questions: dict[int, str] = {}   # ';?' quiz questions by instruction index
        self.pending_question: tuple[int, str] | None = None
        self.pending_note_line = 0
        self.pending_break = False
        self.label_hints: set[str] = set()

    def error(self, line: int, col: int, message: str, width: int = 1,
              hints: list[str] | None = None) -> None:
        self.errors.append(Diagnostic(line, col, message, max(1, width), hints or []))

    # ----------------------------------------------------------------- lines
    def parse(self, text: str) -> None:
        # label names anywhere in the file, only to suggest '@name' when a bare name is misused
        self.label_hints = set(_LABEL_AT_START.findall(text))
        for lineno, raw in enumerate(source_lines(text), 1):
            semi = raw.find(";")
            code = raw if semi < 0 else raw[:semi]
            note = question = None
            if semi >= 0 and raw.startswith(";>", semi):
                note = raw[semi + 2:].strip()
            elif semi >= 0 and raw.startswith(";?", semi):
                question = raw[semi + 2:].strip()
            try:
                had_insn = self.parse_code(code, lineno)
            except _LineError as e:
                self.error(lineno, e.col, e.message, e.width, e.hints)
                had_insn = False
            if question is not None:
                if had_insn:
                    self.questions[len(self.insns) - 1] = question
                else:
                    self.pending_question = (lineno, question)
            if note is not None:
                if had_insn:
                    idx = len(self.insns) - 1
                    self.notes[idx] = self.notes[idx] + "\n" + note if idx in self.notes else note
                else:
                    if not self.pending_notes:
                        self.pending_note_line = lineno
                    self.pending_notes.append(note)
        if self.pending_question is not None:
            self.error(self.pending_question[0], 1, "quiz question ';?' with no instruction after it", 2,
                       ["a ';?' question is asked when execution reaches the next instruction"])
        if self.pending_notes:
            self.error(self.pending_note_line, 1, "lesson note ';>' with no instruction after it",
                       2, ["a ';>' note is shown when execution reaches the next instruction"])

    def parse_code(self, code: str, lineno: int) -> bool:
        """Parse one comment-free line; True when it held an instruction."""
        toks = _tokenize(code)
        pos = 0
        while pos + 1 < len(toks) and toks[pos][0] == "name" and toks[pos + 1][1] == ":":
            self.define_label(toks[pos][1], lineno, toks[pos][2])
            pos += 2
        if pos >= len(toks):
            return False
        kind, text, col = toks[pos]
        if kind == "dir":
            self.parse_directive(toks, pos, lineno)
            return False
        if kind == "name" and text.lower() == RAW_OPCODE and pos + 1 < len(toks) and toks[pos + 1][1] == "(":
            op, pos = self.parse_raw_opcode(toks, pos)
            mnemonic = None
        elif kind == "name":
            mnemonic = text.lower()
            table = mnemonic_table()
            if mnemonic not in table:
                raise _LineError(col, f"unknown mnemonic {text!r}", len(text),
                                 _suggest(mnemonic, table, mnemonic=True))
            op = table[mnemonic]
            pos += 1
        elif kind == "p" and text == ":":
            raise _LineError(col, "a label needs a name before ':'", 1)
        else:
            raise _LineError(col, f"expected an instruction, a label or a directive, found {_clip(text)!r}",
                             len(text), ["a line holds 'label:', an instruction like 'add' or 'push 5', "
                                         "or a directive like '.static (1, 2)'"])
        imm: object = _NO_IMM
        if pos < len(toks):
            imm, pos = self.parse_value(toks, pos, lineno)
            if pos < len(toks):
                k, t, c = toks[pos]
                hint = ["one instruction per line; a tuple is written (a, b, c)"]
                if k == "p" and t == ":":
                    hint = ["a label goes at the start of the line: 'name: instruction'"]
                raise _LineError(c, f"unexpected {_clip(t)!r} after the immediate value", len(t), hint)
        elif mnemonic == "push":
            raise _LineError(col, "'push' needs a value to push, e.g. 'push 5'", len(text),
                             [f"the value can be {VALUE_FORMS}"])
        index = len(self.insns)
        self.insns.append(_Insn(op, imm, lineno, col))
        if self.pending_notes:
            self.notes[index] = "\n".join(self.pending_notes)
            self.pending_notes = []
        if self.pending_question is not None:
            self.questions[index] = self.pending_question[1]
            self.pending_question = None
        if self.pending_break:
            self.breaks.add(index)
            self.pending_break = False
        return True

    def parse_raw_opcode(self, toks: list, pos: int) -> tuple[int, int]:
        col = toks[pos][2]
        if (pos + 3 < len(toks) and toks[pos + 2][0] == "num" and toks[pos + 3][1] == ")"):
            value = parse_int(toks[pos + 2][1], toks[pos + 2][2])
            if value > 255:
                raise _LineError(toks[pos + 2][2], f"opcode {toks[pos + 2][1]} does not fit in a byte",
                                 len(toks[pos + 2][1]))
            return value, pos + 4
        raise _LineError(col, "malformed raw opcode: expected op(NUMBER), e.g. op(0x71)", 2)

    def define_label(self, name: str, lineno: int, col: int) -> None:
        if name == ERROR_LABEL:
            self.error(lineno, col, "'error' is reserved: @error names the program's error codepoint",
                       len(name), ["choose another label name"])
            return
        if name in self.labels:
            _, first_line, _ = self.labels[name]
            self.error(lineno, col, f"duplicate label {name!r}", len(name),
                       [f"{name!r} is already defined at line {first_line}"])
            return
        self.labels[name] = (len(self.insns), lineno, col)

    # ----------------------------------------------------------------- directives
    def parse_directive(self, toks: list, pos: int, lineno: int) -> None:
        _, text, col = toks[pos]
        name = text.lower()
        pos += 1
        if name == ".break":
            if pos < len(toks):
                raise _LineError(toks[pos][2], "unexpected value: .break takes no value", len(toks[pos][1]),
                                 ["write '.break' alone on its line, before the instruction it marks"])
            self.pending_break = True
            return
        if name == ".const":
            if pos >= len(toks) or toks[pos][0] != "name":
                got = toks[pos][2] if pos < len(toks) else col + len(text)
                raise _LineError(got, "expected a constant name after .const", 1,
                                 ["write '.const NAME = VALUE', e.g. '.const N = 10'"])
            cname, ccol = toks[pos][1], toks[pos][2]
            if pos + 1 >= len(toks) or toks[pos + 1][1] != "=":
                raise _LineError(ccol + len(cname), "expected '=' after the constant name", 1,
                                 ["write '.const NAME = VALUE', e.g. '.const N = 10'"])
            if cname in self.consts:
                raise _LineError(ccol, f"duplicate constant {cname!r}", len(cname),
                                 [f"{cname!r} is already defined at line {self.consts[cname][1]}"])
            if cname.lower() in mnemonic_table() or cname.lower() == RAW_OPCODE:
                raise _LineError(ccol, f"constant name {cname!r} is an instruction name", len(cname))
            pos += 2
            if pos >= len(toks):
                raise _LineError(col, f".const {cname} needs a value after '='", len(text),
                                 [f"the value can be {VALUE_FORMS}"])
            value, pos = self.parse_value(toks, pos, lineno)
            self.expect_end(toks, pos, ".const")
            self.consts[cname] = (value, lineno)
            return
        if name in (".static", ".inbox"):
            if pos >= len(toks):
                raise _LineError(col, f"{name} needs a value", len(text), [f"the value can be {VALUE_FORMS}"])
            value, pos = self.parse_value(toks, pos, lineno)
            self.expect_end(toks, pos, name)
            if name == ".inbox":
                self.inbox.append((value, lineno))
            elif self.static is not _NO_IMM:
                raise _LineError(col, "the static value is already set", len(text),
                                 [f"the first .static is at line {self.static_line}; "
                                  "a program has one static value"])
            else:
                self.static = value
                self.static_line = lineno
            return
        raise _LineError(col, f"unknown directive {text!r}", len(text), _suggest(name, DIRECTIVES))

    def expect_end(self, toks: list, pos: int, what: str) -> None:
        if pos < len(toks):
            _, t, c = toks[pos]
            raise _LineError(c, f"unexpected {_clip(t)!r} after the value of {what}", len(t),
                             [f"{what} takes exactly one value; group several in a tuple (a, b)"])

    # ----------------------------------------------------------------- values
    def parse_value(self, toks: list, pos: int, lineno: int) -> tuple[object, int]:
        """One literal starting at ``toks[pos]`` (iterative: nesting depth is unlimited)."""
        frames: list[tuple[list, int, bool]] = []   # (items, column of '(', has_ref)
        n = len(toks)
        while True:
            # --- expect a value
            if pos >= n:
                if frames:
                    raise _unterminated(frames[-1][1])
                raise _LineError(toks[-1][2] + len(toks[-1][1]), f"expected a value: {VALUE_FORMS}")
            kind, text, col = toks[pos]
            pos += 1
            value: object
            if kind == "p" and text == "(":
                if pos < n and toks[pos][1] == ")":
                    value = _Tup([], False)
                    pos += 1
                else:
                    frames.append(([], col, False))
                    continue
            elif kind == "num":
                value = parse_int(text, col)
            elif kind == "ref":
                value = _Ref(text[1:], lineno, col)
            elif kind == "buf":
                value = _parse_buffer(text, col)
            elif kind == "name":
                const = self.consts.get(text)
                if const is None:
                    hints = _suggest(text, self.consts)
                    if text in self.label_hints or text == ERROR_LABEL:
                        hints = [f"to use the codepoint of label {text!r}, write @{text}"]
                    elif text.lower() in mnemonic_table():
                        hints = ["one instruction per line"]
                    raise _LineError(col, f"undefined constant {text!r}", len(text),
                                     hints or ["define it first with '.const NAME = VALUE'"])
                value = const[0]
            else:
                hint = ("a codepoint reference is @ followed by a label name, e.g. @loop" if text == "@"
                        else f"a value is {VALUE_FORMS}")
                raise _LineError(col, f"expected a value, found {_clip(text)!r}", len(text), [hint])
            # --- close as many tuples as the following ')' end
            while True:
                if not frames:
                    return value, pos
                items, open_col, has_ref = frames[-1]
                items.append(value)
                has_ref = has_ref or type(value) is _Ref or (type(value) is _Tup and value.has_ref)
                frames[-1] = (items, open_col, has_ref)
                if pos >= n:
                    raise _unterminated(open_col)
                kind, text, col = toks[pos]
                pos += 1
                if text == ",":
                    if pos < n and toks[pos][1] == ")":
                        pos += 1     # trailing comma
                    else:
                        break        # next item
                elif text != ")":
                    raise _LineError(col, f"expected ',' or ')' in the tuple, found {_clip(text)!r}",
                                     len(text), ["tuple items are separated by commas: (1, 2, 3)"])
                frames.pop()
                if len(items) > MAX_TUPLE:
                    raise _LineError(open_col, f"tuple has {len(items)} items; a tuple holds at most 8", 1,
                                     ["nest tuples to hold more, e.g. ((1, 2, 3), (4, 5, 6))"])
                value = _Tup(items, has_ref)


def _unterminated(col: int) -> _LineError:
    return _LineError(col, "unterminated tuple: expected ')' before the end of the line", 1,
                      ["a tuple is written on one line: (1, 2, (3, 4))"])


def _suggest(word: str, choices, mnemonic: bool = False) -> list[str]:
    way = evm_way(word) if mnemonic and word.lower() not in _OPS else None   # an EVM mnemonic
    if way is not None:
        return [way.hint]
    close = difflib.get_close_matches(word, list(choices), n=4, cutoff=0.6)
    if not close:
        return []
    best = max(close, key=lambda c: len(_common_prefix(c, word)))   # prefer 'add' over 'and' for 'ad'
    return [f"did you mean {best!r}?"]


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


# --------------------------------------------------------------------------- references
def _backward_hints(name: str) -> list[str]:
    pad = " " * (len(name) + 2)
    return [
        "why: a codepoint is (instruction, hash of the NEXT codepoint), so an instruction's hash covers",
        "everything after it; an immediate naming this or an earlier instruction would need its own hash",
        "before it exists (a circular hash chain). An immediate can only name a LATER instruction.",
        "idioms that work:",
        "  1. save the codepoint at run time and keep it on the aux stack:",
        f"       {name}: pcpush      ; pushes the codepoint of this very instruction",
        f"       {pad}auxpush     ; ... later: auxpop, then jump or cjump",
        "  2. name it in the static value, which may name any instruction:",
        f"       .static (@{name})   ; ... later: spush, tget 0, then jump or cjump",
    ]


def _walk_refs(ast: object):
    """Every ``_Ref`` inside a literal AST (iterative), each once: a ``.const`` used in many slots is one
    AST node, visited once (a tower of constants is a DAG; walking it as a tree takes forever)."""
    if type(ast) is _Ref:
        yield ast
        return
    if type(ast) is not _Tup or not ast.has_ref:
        return
    work = [ast]
    seen = {id(ast)}
    while work:
        t = work.pop()
        for item in t.items:
            if type(item) is _Ref:
                yield item
            elif type(item) is _Tup and item.has_ref and id(item) not in seen:
                seen.add(id(item))
                work.append(item)


def _check_refs(p: _Parser) -> None:
    n = len(p.insns)
    known = {name: idx for name, (idx, _, _) in p.labels.items()}
    known[ERROR_LABEL] = n

    def check(ast: object, line: int, at: int | None) -> None:
        for ref in _walk_refs(ast):
            target = known.get(ref.name)
            width = len(ref.name) + 1
            via = [] if ref.line == line else [f"(this constant is used at line {line})"]
            if target is None:
                p.error(ref.line, ref.col, f"undefined label {ref.name!r}", width,
                        (_suggest(ref.name, known) or ["define it with 'name:' before an instruction"]) + via)
            elif at is not None and target <= at:
                where = ("this instruction" if target == at
                         else f"instruction {target} (line {p.insns[target].line})")
                p.error(ref.line, ref.col, f"backward codepoint reference: @{ref.name} names {where}", width,
                        via + _backward_hints(ref.name))

    for i, insn in enumerate(p.insns):
        if insn.imm is not _NO_IMM:
            check(insn.imm, insn.line, i)
    if p.static is not _NO_IMM:
        check(p.static, p.static_line, None)
    for value, line in p.inbox:
        check(value, line, None)


# --------------------------------------------------------------------------- building values
def _build(ast: object, code: list[CodePoint], err_cp: CodePoint,
           labels: dict[str, int], results: dict[int, Tuple]) -> Value:
    """Turn a literal AST into a value (iterative). References must already be built. ``results``
    (id of a tuple AST -> its value) is shared by the whole file: a ``.const`` used in many places is
    one value, built once, so a DAG of constants costs its distinct nodes, not its tree."""
    t = type(ast)
    if t is int:
        return ast  # type: ignore[return-value]
    if t is _Buf:
        return Buffer.from_bytes(ast.data)  # type: ignore[attr-defined]
    if t is _Ref:
        return _cp_for(ast, code, err_cp, labels)  # type: ignore[arg-type]
    # tuple: post-order over an explicit stack
    work: list[tuple[_Tup, bool]] = [(ast, False)]  # type: ignore[list-item]
    while work:
        node, expanded = work.pop()
        if id(node) in results:
            continue
        if not expanded:
            work.append((node, True))
            for item in node.items:
                if type(item) is _Tup and id(item) not in results:
                    work.append((item, False))
            continue
        vals = []
        for item in node.items:
            ti = type(item)
            if ti is int:
                vals.append(item)
            elif ti is _Tup:
                vals.append(results[id(item)])
            elif ti is _Ref:
                vals.append(_cp_for(item, code, err_cp, labels))
            else:
                vals.append(Buffer.from_bytes(item.data))
        results[id(node)] = Tuple(tuple(vals))
    return results[id(ast)]


def _cp_for(ref: _Ref, code: list[CodePoint], err_cp: CodePoint, labels: dict[str, int]) -> CodePoint:
    idx = labels[ref.name]
    return err_cp if idx >= len(code) else code[idx]


# --------------------------------------------------------------------------- entry points
def assemble(text: str, path: str = "<string>") -> Program:
    """Assemble ``.s`` source text. Raises :class:`AssemblyError` listing every error in the file."""
    p = _Parser(path)
    p.parse(text)
    _check_refs(p)
    if p.errors:
        raise AssemblyError(path, p.errors, text)
    n = len(p.insns)
    labels = {name: idx for name, (idx, _, _) in p.labels.items()}
    labels[ERROR_LABEL] = n
    code, err_cp = link_code([(insn.op, None) for insn in p.insns])
    results: dict[int, Tuple] = {}
    for i in range(n - 1, -1, -1):     # last first: an immediate names only later codepoints
        insn = p.insns[i]
        if insn.imm is not _NO_IMM:
            code[i].imm = _build(insn.imm, code, err_cp, labels, results)
    built = code
    static = Tuple(()) if p.static is _NO_IMM else _build(p.static, built, err_cp, labels, results)
    inbox = [_build(v, built, err_cp, labels, results) for v, _ in p.inbox]
    index_labels: dict[int, str] = {}
    for name, (idx, _, _) in sorted(p.labels.items(), key=lambda kv: kv[1][1:]):
        if idx < n and idx not in index_labels:
            index_labels[idx] = name
    return Program(
        code=built,
        error_codepoint=err_cp,
        static=static,
        path=path,
        labels=index_labels,
        locations=[SourceLocation(path, insn.line, insn.col) for insn in p.insns],
        compiled_breakpoints=set(p.breaks),
        notes=dict(p.notes),
        questions=dict(p.questions),
        inbox=inbox,
        source_text=text,
    )


def assemble_file(path: str | Path) -> Program:
    """Assemble a ``.s`` file (UTF-8). A missing or unreadable file is a :class:`UserError`."""
    return assemble(read_text(path, ".s file"), str(path))


__all__ = ["AssemblyError", "Diagnostic", "assemble", "assemble_file", "mnemonic_table", "parse_int",
           "source_lines"]
