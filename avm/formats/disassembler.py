"""Program -> ``.s`` text that assembles back to the identical program (same codepoint hashes, same
static value).

Every instruction a codepoint value names (in an immediate, the static value or an inbox message)
gets a label: the Program's own label when it has a usable one, else ``L<index>``. The program's error
codepoint is written ``@error``. Compiler source locations become end-of-line comments, lesson notes
become ``;>`` lines and compiled breakpoints ``.break``. Everything is iterative and linear in the size
of the program, so the 76k-instruction corpus contract disassembles in about a second.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from avm.core.buffer import Buffer
from avm.core.opcodes import OPCODES
from avm.core.program import Program
from avm.core.values import MAX_INT, CodePoint, Tuple, Value
from avm.errors import UserError

NOP = 0x3B
_NAME_OK = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_RESERVED = {"error", "op"}
_NEG_LIMIT = MAX_INT - (1 << 32)     # ints above this print as negatives (-1, -2, ...)
_COMMENT_COLUMN = 40


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


def format_value(v: Value, cp_name, limit: int | None = None) -> str:
    """The literal for ``v``; ``cp_name(codepoint)`` gives the label a codepoint is written as.

    With ``limit``, a literal longer than ``limit`` characters is cut there and ends in ``…`` (for
    one-line displays: a deep value costs no more than its first ``limit`` characters).
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
            items = x.items  # type: ignore[union-attr]
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


def _codepoints_in(values: Iterable[Value]) -> Iterable[CodePoint]:
    seen: set[int] = set()
    work = [v for v in values if type(v) is not int]
    while work:
        x = work.pop()
        tx = type(x)
        if tx is CodePoint:
            yield x  # type: ignore[misc]
        elif tx is Tuple and id(x) not in seen:
            seen.add(id(x))
            work.extend(c for c in x.items if type(c) is not int)  # type: ignore[union-attr]


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
    code = program.code
    n = len(code)
    roots: list[Value] = [cp.imm for cp in code if cp.imm is not None and type(cp.imm) is not int]
    roots.append(program.static)
    roots.extend(program.inbox)
    targets: set[int] = set()
    for cp in _codepoints_in(roots):
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
        out.append(f"; {program.path or 'program'}: {n} instructions (disassembled by avm-debug)")
    if not (type(program.static) is Tuple and not program.static.items):  # type: ignore[union-attr]
        out.append(".static " + format_value(program.static, cp_name))
    for msg in program.inbox:
        out.append(".inbox " + format_value(msg, cp_name))
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
            text += " " + format_value(imm, cp_name)
        if i < n_locs:
            loc = locs[i]
            if loc is not None:
                text = f"{text:<{_COMMENT_COLUMN}} ; {loc}"
        out.append(text)
        insn_lines.append(len(out))
    out.append("")
    return "\n".join(out), insn_lines


__all__ = ["disassemble", "disassemble_with_lines", "format_buffer", "format_int", "format_value"]
