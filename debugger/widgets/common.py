"""Small display helpers shared by the panes: value summaries, short hashes, instruction text.

Everything here is a thin layer over ``avm`` (``avm.format``, ``avm.values``, ``avm.opcodes``) so that
the panes never re-implement value formatting or hashing.
"""

from __future__ import annotations

from typing import Any

from avm import disassembler, opcodes, values
from avm import format as avm_format

HASH_CHARS = 10  # hex digits shown for a shortened hash


def summary(value: Any, limit: int = 60) -> str:
    """One line describing ``value`` (never recursive), at most ``limit`` characters."""
    return avm_format.summarize(value, width=max(4, limit))


def kind(value: Any) -> str:
    """A short type name: int, tuple(n), codepoint, buffer."""
    if isinstance(value, int):
        return "int"
    if isinstance(value, values.Tuple):
        return f"tuple({len(value.items)})"
    if isinstance(value, values.CodePoint):
        return "codepoint"
    return "buffer"


def full_hash(value: Any) -> str:
    return "0x" + values.value_hash(value).hex()


def short_hex(data: bytes, chars: int = HASH_CHARS) -> str:
    text = data.hex()
    return "0x" + (text if len(text) <= chars else text[:chars] + "…")


def short_hash(value: Any, chars: int = HASH_CHARS) -> str:
    return short_hex(values.value_hash(value), chars)


def mnemonic(op: int) -> str:
    entry = opcodes.info(op)
    return entry.mnemonic if entry is not None else f"invalid({op:#04x})"


def instruction_text(cp: Any, limit: int = 70, labels: Any = None) -> str:
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


def literal(value: Any, program: Any) -> str:
    """``value`` written as a .s literal (codepoints as labels or ``@index``). Raises ``ValueError``
    for a codepoint built at run time, which has no name in the program."""

    def cp_name(cp: Any) -> str:
        index = getattr(cp, "index", -1)
        if 0 <= index < len(program.code):
            return program.labels.get(index) or str(index)
        if cp.next is None and cp.op == 0:
            return "error"
        raise ValueError("a codepoint built at run time has no literal")

    return disassembler.format_value(value, cp_name)


def codepoint_label(program: Any, cp: Any) -> str:
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
