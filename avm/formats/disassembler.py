"""Program -> ``.s`` text that assembles back to the identical program (same codepoint hashes, same
static value).

Every instruction a codepoint value names (in an immediate, the static value or an inbox message)
gets a label: the Program's own label when it has a usable one, else ``L<index>``. The program's error
codepoint is written ``@error``. Compiler source locations become end-of-line comments, lesson notes
become ``;>`` lines and compiled breakpoints ``.break``. A large tuple held in several slots is written
once, as a ``.const`` (values are DAGs: ten lines of ``.const`` can name a tuple of 8**8 leaves).
Everything is iterative and linear in the number of distinct values and instructions, so the
76k-instruction corpus contract disassembles in about a second. Text taken from the input (file
names of source locations, the program path) is escaped so that it stays on its comment line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from avm.core.buffer import Buffer
from avm.core.opcodes import OPCODES
from avm.core.program import Program
from avm.core.values import MAX_INT, CodePoint, Tuple, Value
from avm.errors import UserError
from avm.formats.dag import distinct_tuples, expanded_counts

NOP = 0x3B
_NAME_OK = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_RESERVED = {"error", "op"}
_NEG_LIMIT = MAX_INT - (1 << 32)     # ints above this print as negatives (-1, -2, ...)
_COMMENT_COLUMN = 40
#: a tuple held in two or more slots gets a ``.const`` name when written out it has this many nodes
SHARE_MIN_NODES = 16
CONST_PREFIX = "T"


def escape_text(text: str) -> str:
    """``text`` with backslashes and every non-printable character (line and paragraph separators,
    form feed, control characters) written as Python-style escapes: one line, readable, unambiguous."""
    if text.isprintable() and "\\" not in text:
        return text
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch.isprintable():
            out.append(ch)
        else:
            out.append(repr(ch)[1:-1])
    return "".join(out)


def format_int(n: int) -> str:
    """Small ints in decimal, near-2**256 ints as negatives, everything else in hex."""
    if n < 1 << 64:
        return str(n)
    if n > _NEG_LIMIT:
        return f"-{(MAX_INT + 1) - n}"
    return hex(n)


_MAX_BUFFER_LITERAL = 1 << 24


def format_buffer(b: Buffer) -> str:
    """``[hex bytes]`` up to the last non-zero byte (programs carry short buffers; refuse huge ones)."""
    if b.data_length() > _MAX_BUFFER_LITERAL:
        raise UserError(f"a buffer of {b.data_length()} bytes is too large to write as a literal")
    return "[" + b.to_bytes().hex() + "]"


def format_value(v: Value, cp_name, limit: int | None = None, shared: dict[int, str] | None = None) -> str:
    """The literal for ``v``; ``cp_name(codepoint)`` gives the label a codepoint is written as.

    With ``limit``, a literal longer than ``limit`` characters is cut there and ends in ``…`` (for
    one-line displays: a deep value costs no more than its first ``limit`` characters). ``shared``
    maps ``id(tuple)`` to the ``.const`` name a tuple is written as.
    """
    t = type(v)
    if t is int:
        return format_int(v)  # type: ignore[arg-type]
    out: list[str] = []
    work: list[object] = [v]
    used = counted = 0
    while work:
        if limit is not None and len(out) > counted:
            used += len(out[-1])                  # each turn of the loop appends at most one piece
            counted = len(out)
            if used > limit:
                return "".join(out)[:limit] + "…"
        x = work.pop()
        tx = type(x)
        if tx is str:
            out.append(x)  # type: ignore[arg-type]
        elif tx is int:
            out.append(format_int(x))  # type: ignore[arg-type]
        elif tx is Tuple:
            if shared is not None and id(x) in shared:
                out.append(shared[id(x)])
                continue
            items = x.items  # type: ignore[attr-defined]
            if not items:
                out.append("()")
                continue
            work.append(")")
            for j in range(len(items) - 1, 0, -1):
                work.append(items[j])
                work.append(", ")
            work.append(items[0])
            work.append("(")
        elif tx is CodePoint:
            out.append("@" + cp_name(x))
        elif tx is Buffer:
            out.append(format_buffer(x))  # type: ignore[arg-type]
        else:
            raise TypeError(f"not an AVM value: {tx.__name__}")
    text = "".join(out)
    return text if limit is None or len(text) <= limit else text[:limit] + "…"


def _codepoints_in(values: list[Value], tuples: list[Tuple]) -> Iterable[CodePoint]:
    """Codepoints among ``values`` and in the slots of ``tuples`` (their distinct tuples)."""
    for v in values:
        if type(v) is CodePoint:
            yield v
    for t in tuples:
        for c in t.items:
            if type(c) is CodePoint:
                yield c


def _shared_names(tuples: list[Tuple], uses: dict[int, int]) -> dict[int, str]:
    """id -> ``.const`` name of each large tuple held in several slots (children named first)."""
    counts = expanded_counts(tuples, SHARE_MIN_NODES)
    names: dict[int, str] = {}
    for t in tuples:
        if uses[id(t)] > 1 and counts[id(t)] >= SHARE_MIN_NODES:
            names[id(t)] = f"{CONST_PREFIX}{len(names) + 1}"
    return names


def _label_names(program: Program, targets: set[int]) -> dict[int, str]:
    """index -> unique label name, for every named or referenced instruction."""
    names: dict[int, str] = {}
    taken: set[str] = set(_RESERVED)
    n = len(program.code)
    wanted = sorted(set(i for i in program.labels if 0 <= i < n) | targets)
    for i in wanted:                          # program labels first, sanitized
        raw = program.labels.get(i)
        if raw is None:
            continue
        name = raw if _NAME_OK.fullmatch(raw) else re.sub(r"[^A-Za-z0-9_]", "_", raw)
        if not name or name[0].isdigit():
            name = "_" + name
        base, k = name, 1
        while name in taken or name.lower() in _RESERVED:
            k += 1
            name = f"{base}_{k}"
        taken.add(name)
        names[i] = name
    for i in wanted:
        if i in names:
            continue
        name, k = f"L{i}", 1
        while name in taken:
            k += 1
            name = f"L{i}_{k}"
        taken.add(name)
        names[i] = name
    return names


def disassemble(program: Program, *, locations: bool = True, header: bool = True) -> str:
    """``.s`` text for ``program``. ``locations`` adds compiler source locations as comments (never
    for a program that came from ``.s`` source itself)."""
    return disassemble_with_lines(program, locations=locations, header=header)[0]


def disassemble_with_lines(program: Program, *, locations: bool = True,
                           header: bool = True) -> tuple[str, list[int]]:
    """Like :func:`disassemble`, plus the 1-based line of each instruction in the text (for a listing
    pane that shows a ``.mexe`` as assembly)."""
    try:
        return _disassemble(program, locations, header)
    except UserError as err:
        if err.path is not None:
            raise
        raise UserError(err.message, program.path) from None


def _disassemble(program: Program, locations: bool, header: bool) -> tuple[str, list[int]]:
    code = program.code
    n = len(code)
    roots: list[Value] = [cp.imm for cp in code if cp.imm is not None and type(cp.imm) is not int]
    roots.append(program.static)
    roots.extend(program.inbox)
    tuples, uses = distinct_tuples(roots)
    shared = _shared_names(tuples, uses)
    targets: set[int] = set()
    for cp in _codepoints_in(roots, tuples):
        if cp.is_error:
            continue
        if not (0 <= cp.index < n and code[cp.index] is cp):
            raise UserError(f"codepoint {cp.index} is not part of the program listing; it cannot be "
                            "written as assembly", program.path)
        targets.add(cp.index)
    names = _label_names(program, targets)

    def cp_name(cp: CodePoint) -> str:
        return "error" if cp.is_error else names[cp.index]

    show_locations = locations and program.source_text is None
    out: list[str] = []
    if header:
        shown = escape_text(program.path or "program")
        out.append(f"; {shown}: {n} instructions (disassembled by avm-debug)")
    for t in tuples:
        const = shared.get(id(t))
        if const is not None:
            body = ", ".join(format_value(c, cp_name, shared=shared) for c in t.items)
            out.append(f".const {const} = ({body})")
    if not (type(program.static) is Tuple and not program.static.items):  # type: ignore[union-attr]
        out.append(".static " + format_value(program.static, cp_name, shared=shared))
    for msg in program.inbox:
        out.append(".inbox " + format_value(msg, cp_name, shared=shared))
    if len(out) > 0:
        out.append("")
    mnemonics = {code_: info.mnemonic for code_, info in OPCODES.items()}
    notes = program.notes
    breaks = program.compiled_breakpoints
    locs = program.locations if show_locations else []
    n_locs = len(locs)
    insn_lines: list[int] = []
    for i, cp in enumerate(code):
        label = names.get(i)
        if label is not None:
            out.append(f"{label}:")
        note = notes.get(i)
        if note is not None:
            out.extend(f"    ;> {line}".rstrip() for line in note.split("\n"))
        if i in breaks:
            out.append("    .break")
        op = cp.op
        imm = cp.imm
        name = mnemonics.get(op)
        if name is None:
            text = f"    op({op:#04x})"
        elif op == NOP and imm is not None:
            text = "    push"
        else:
            text = "    " + name
        if imm is not None:
            text += " " + format_value(imm, cp_name, shared=shared)
        if i < n_locs:
            loc = locs[i]
            if loc is not None:
                text = f"{text:<{_COMMENT_COLUMN}} ; {escape_text(str(loc))}"
        out.append(text)
        insn_lines.append(len(out))
    out.append("")
    return "\n".join(out), insn_lines


__all__ = ["disassemble", "disassemble_with_lines", "escape_text", "format_buffer", "format_int",
           "format_value"]
