"""Display text shared by the panes and the CLI: value summaries, short hashes, instruction text.

Everything here is a thin layer over ``avm`` (``avm.core.summary``, ``avm.core.values``,
``avm.core.opcodes``) so that
the panes never re-implement value formatting or hashing.
"""

from __future__ import annotations

from collections.abc import Mapping

from avm.core import opcodes, values
from avm.core import summary as avm_format
from avm.core.machine import Machine, Status
from avm.core.program import Program
from avm.core.values import CodePoint, Value
from avm.errors import UserError
from avm.formats import disassembler
from avm.formats.assembler import source_lines

HASH_CHARS = 10  # hex digits shown for a shortened hash


def summary(value: Value, limit: int = 60) -> str:
    """One line describing ``value`` (never recursive), at most ``limit`` characters."""
    return avm_format.summarize(value, width=max(4, limit))


def kind(value: Value) -> str:
    """A short type name: int, tuple(n), codepoint, buffer."""
    if isinstance(value, int):
        return "int"
    if isinstance(value, values.Tuple):
        return f"tuple({len(value.items)})"
    if isinstance(value, values.CodePoint):
        return "codepoint"
    return "buffer"


def full_hash(value: Value) -> str:
    return "0x" + values.value_hash(value).hex()


def whole_value(value: Value) -> str:
    """The whole of a value as text, never cut (the value tree's selected node, copy and print):
    an integer in hex and decimal; anything else its kind, size and full hash."""
    if isinstance(value, int):
        return f"{value:#x} = {value}"
    if isinstance(value, values.Tuple):
        return f"{kind(value)}, size {value.size:,}, hash {full_hash(value)}"
    return f"{kind(value)}, hash {full_hash(value)}"


def instruction_ref(index: int) -> str:
    """How screens and messages name instruction ``index`` of the listing: ``#12``. (``@12`` is the
    .s literal of a codepoint *value*; the location language reads both forms.)"""
    return f"#{index}"


def short_hex(data: bytes, chars: int = HASH_CHARS) -> str:
    text = data.hex()
    return "0x" + (text if len(text) <= chars else text[:chars] + "…")


def short_hash(value: Value, chars: int = HASH_CHARS) -> str:
    return short_hex(values.value_hash(value), chars)


mnemonic = opcodes.mnemonic_or_invalid


def instruction_text(cp: CodePoint, limit: int = 70, labels: Mapping[int, str] | None = None) -> str:
    """``mnemonic`` or ``mnemonic immediate`` for a codepoint, as it reads in a .s file
    (``nop`` with an immediate is written ``push``, codepoints as ``@index label``)."""
    imm = cp.imm
    if cp.next is None and cp.op == 0 and imm is None:
        return "error codepoint (opcode 0: raises an error)"
    if imm is None:
        return mnemonic(cp.op)
    name = "push" if cp.op == disassembler.NOP else mnemonic(cp.op)
    if type(imm) is int:
        text = disassembler.format_int(imm)
    elif type(imm) is values.Tuple and not imm.items:
        text = "()"
    elif type(imm) is values.CodePoint:
        text = avm_format.format_codepoint(imm, labels)
    else:
        text = avm_format.summarize(imm, labels, width=max(8, limit))
    return f"{name} {text if len(text) <= limit else text[: limit - 1] + '…'}"


def literal(value: Value, program: Program) -> str:
    """``value`` written as a .s literal (codepoints as labels or ``@index``). Raises ``ValueError``
    for a codepoint built at run time, which has no name in the program."""

    def cp_name(cp: CodePoint) -> str:
        index = getattr(cp, "index", -1)
        if 0 <= index < len(program.code):
            return program.labels.get(index) or str(index)
        if cp.next is None and cp.op == 0:
            return "error"
        raise ValueError("a codepoint built at run time has no literal")

    return disassembler.format_value(value, cp_name)


def codepoint_label(program: Program, cp: CodePoint | None) -> str:
    """Where a codepoint value points: ``#12 (label)``, ``error codepoint`` or ``runtime code``."""
    if cp is None:
        return "none"
    index = getattr(cp, "index", -1)
    if index == len(program.code):
        return "error codepoint"
    if 0 <= index < len(program.code):
        label = program.labels.get(index)
        return f"#{index} ({label})" if label else f"#{index}"
    if cp.next is None and cp.op == 0:
        return "error codepoint (built at run time)"
    return "runtime code"


LISTING_LITERAL_LIMIT = 200  # characters of an immediate shown in the listing (longer ones end in …)


class ListingText:
    """The text of each instruction as the listing shows it, computed on demand.

    An assembled program shows the instruction exactly as written in its ``.s`` source (from
    ``Program.locations``: ``push (10, 20, (30, 40))``, ``push GREETING``); any other program shows
    the disassembler's ``.s`` form, with codepoints named by their label (or ``L<index>``) and
    literals cut at ``limit`` characters.
    """

    def __init__(self, program: Program, limit: int = LISTING_LITERAL_LIMIT) -> None:
        self.program = program
        self.limit = limit
        source = program.source_text
        self._lines = source_lines(source) if source is not None else None

    def __getitem__(self, index: int) -> str:
        text = self._source(index)
        return text if text is not None else self._disassembled(index)

    def _source(self, index: int) -> str | None:
        lines, locations = self._lines, self.program.locations
        loc = locations[index] if lines is not None and index < len(locations) else None
        if loc is None or lines is None or not 1 <= loc.line <= len(lines):
            return None
        line = lines[loc.line - 1]
        semi = line.find(";")
        text = (line if semi < 0 else line[:semi])[loc.column - 1:].strip().expandtabs(4)
        return text or None

    def _cp_name(self, cp: CodePoint) -> str:
        index = cp.index
        if 0 <= index < len(self.program.code):
            label = self.program.labels.get(index)
            return label if label and label.isidentifier() else f"L{index}"
        return "error"

    def _disassembled(self, index: int) -> str:
        cp = self.program.code[index]
        entry = opcodes.info(cp.op)
        if entry is None:
            name = f"op({cp.op:#04x})"
        else:
            name = "push" if cp.op == disassembler.NOP and cp.imm is not None else entry.mnemonic
        if cp.imm is None:
            return name
        try:
            return f"{name} {disassembler.format_value(cp.imm, self._cp_name, self.limit)}"
        except UserError:  # a buffer too large for a literal
            return f"{name} {avm_format.summarize(cp.imm, self.program.labels, self.limit)}"


def current_note(program: Program, pc: int | None) -> tuple[int, str] | None:
    """The lesson note for the instruction at ``pc``: its own note, else the nearest one above it in
    the listing (the section of the lesson the pc is in), as ``(index, text)``; None before the first."""
    notes = program.notes
    if not notes or pc is None:
        return None
    if pc in notes:
        return pc, notes[pc]
    above = [index for index in notes if index <= pc]
    if not above:
        return None
    index = max(above)
    return index, notes[index]


# the machine's status in plain words (the reference calls a machine that can run "extensive")
STATUS_MEANING = {"running": "can step", "blocked": "inbox empty",
                  "halted": "finished", "error stop": "no error handler"}


def status_word(m: Machine) -> str:
    """``running``, ``blocked`` (about to read an empty inbox), ``halted`` or ``error stop``."""
    if m.status == Status.HALTED:
        return "halted"
    if m.status == Status.ERRORSTOP:
        return "error stop"
    if m.pc.op == opcodes.Op.INBOX and m.inbox_count >= len(m.inbox):
        return "blocked"
    return "running"


def status_text(m: Machine) -> str:
    """:func:`status_word` with what it means, for the registers pane."""
    word = status_word(m)
    return f"{word} ({STATUS_MEANING[word]})"

