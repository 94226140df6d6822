"""EVM assembly text -> bytecode with byte offsets, and raw hex bytecode -> the same listing.

Mnemonics come from py-evm's opcode table of the fork we run (no table of our own). Syntax, one
instruction per line::

    start:              ; a label names the byte offset of the next instruction (put a JUMPDEST there)
        PUSH1 0x06      ; hex or decimal immediate; PUSH (no size) takes the smallest size that fits
        PUSH2 @start    ; a label's offset
        JUMP            ;@ loop   -- a sync marker (on its own line it marks the next instruction)

Raw bytecode is accepted too: a text whose code is only ``0x``-prefixed hex digits. Errors are
:class:`avm.errors.UserError` with ``file:line:col``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from avm.errors import UserError
from debugger.evm.runner import opcode_name, opcode_table, push_size

_LABEL = re.compile(r"\s*([A-Za-z_.][\w.]*)\s*:")
_MARKER = re.compile(r";@\s*([\w.-]+)")
_HEX_PROGRAM = re.compile(r"0x[0-9a-fA-F\s]*")
LABEL_PUSH_SIZE = 2
#: Today's names for opcodes that py-evm still calls by an older name.
ALIASES = {"KECCAK256": "SHA3"}
#: EIP-141's designated invalid instruction: no entry in py-evm's table (any missing byte fails there).
INVALID = 0xFE


@dataclass
class EvmInstruction:
    offset: int
    opcode: int
    mnemonic: str
    push_data: bytes = b""
    line: int = 0              # 1-based source line (0: from raw bytecode)
    column: int = 0

    @property
    def size(self) -> int:
        return 1 + len(self.push_data)

    @property
    def text(self) -> str:
        return f"{self.mnemonic} 0x{self.push_data.hex()}" if self.push_data else self.mnemonic


@dataclass
class EvmProgram:
    code: bytes
    instructions: list[EvmInstruction]
    labels: dict[str, int] = field(default_factory=dict)      # name -> byte offset
    markers: dict[int, str] = field(default_factory=dict)     # byte offset -> sync marker name
    path: str = "<string>"

    def at(self, offset: int) -> EvmInstruction | None:
        for insn in self.instructions:
            if insn.offset == offset:
                return insn
        return None


@lru_cache(maxsize=1)
def mnemonics() -> dict[str, int]:
    """Upper-case mnemonic -> opcode byte, from py-evm's table."""
    table = {opcode_name(fn).upper(): op for op, fn in opcode_table().items()}
    table.update({alias: table[name] for alias, name in ALIASES.items() if name in table})
    table.setdefault("INVALID", INVALID)
    return table


def disassemble(code: bytes) -> list[EvmInstruction]:
    names = {op: opcode_name(fn) for op, fn in opcode_table().items()}
    out: list[EvmInstruction] = []
    pc = 0
    while pc < len(code):
        op = code[pc]
        name = names.get(op, "INVALID" if op == INVALID else f"INVALID_0x{op:02x}")
        n = push_size(name)
        out.append(EvmInstruction(pc, op, name, code[pc + 1:pc + 1 + n]))
        pc += 1 + n
    return out


def marker_at(raw: str) -> tuple[str, int] | None:
    """The ``;@ name`` sync marker of a source line: (name, 1-based column), if any."""
    m = _MARKER.search(raw)
    return (m.group(1), m.start() + 1) if m else None


def _strip(raw: str) -> str:
    semi = raw.find(";")
    return raw if semi < 0 else raw[:semi]


def _parse_number(text: str, path: str, line: int, col: int) -> int:
    try:
        value = int(text, 16) if text.lower().startswith("0x") else int(text, 10)
    except ValueError:
        raise UserError(f"bad number {text!r} (write 0x2a or 42)", path, line, col) from None
    if value < 0 or value >= 1 << 256:
        raise UserError(f"{text} does not fit in 32 bytes", path, line, col)
    return value


def _is_raw_hex(text: str) -> bool:
    code = "".join(_strip(raw) for raw in text.splitlines()).strip()
    return bool(code) and _HEX_PROGRAM.fullmatch(code) is not None


def _assemble_hex(text: str, path: str) -> EvmProgram:
    digits = ""
    first_line = 0
    for lineno, raw in enumerate(text.splitlines(), 1):
        code = _strip(raw).strip()
        if code:
            first_line = first_line or lineno
            digits += "".join(code.split()).removeprefix("0x")
    if len(digits) % 2:
        raise UserError("odd number of hex digits in the bytecode", path, first_line, 1)
    code_bytes = bytes.fromhex(digits)
    return EvmProgram(code_bytes, disassemble(code_bytes), path=path)


def assemble_evm(text: str, path: str = "<string>") -> EvmProgram:
    """Assemble EVM assembly (or raw ``0x`` hex) text; raises UserError naming path:line:col."""
    if _is_raw_hex(text):
        return _assemble_hex(text, path)
    table = mnemonics()
    # pass 1: sizes and label offsets; immediates that name labels are resolved in pass 2
    pending: list[tuple[EvmInstruction, str | None, int, int]] = []
    labels: dict[str, int] = {}
    markers: dict[int, str] = {}
    pending_marker: tuple[str, int, int] | None = None
    offset = 0
    for lineno, raw in enumerate(text.splitlines(), 1):
        code = _strip(raw)
        marker = marker_at(raw)
        pos = 0
        while (m := _LABEL.match(code, pos)) is not None:
            name = m.group(1)
            if name in labels:
                raise UserError(f"label {name!r} defined twice", path, lineno, m.start(1) + 1)
            labels[name] = offset
            pos = m.end()
        words = code[pos:].split()
        if marker is not None:
            if pending_marker is not None:
                raise UserError(f"marker {pending_marker[0]!r} has no instruction after it", path,
                                pending_marker[1], pending_marker[2])
            pending_marker = (marker[0], lineno, marker[1])
        if not words:
            continue
        col = code.index(words[0], pos) + 1
        name = words[0].upper()
        name = ALIASES.get(name, name)
        if name not in table and name != "PUSH":
            close = [m for m in table if m.startswith(name[:3])][:4]
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise UserError(f"unknown EVM mnemonic {words[0]!r}{hint}", path, lineno, col)
        op = table.get(name, 0)
        n = push_size(name)
        ref: str | None = None
        data = b""
        arg_col = col + len(words[0]) + 1
        if len(words) > 2:
            raise UserError(f"unexpected {words[2]!r}: one instruction per line", path, lineno,
                            code.index(words[2], col) + 1)
        if len(words) == 2:
            arg = words[1]
            arg_col = code.index(arg, col + len(words[0])) + 1
            if not name.startswith("PUSH") or name == "PUSH0":
                raise UserError(f"{name} takes no immediate value", path, lineno, arg_col)
            if arg.startswith("@"):
                ref = arg[1:]
                n = n or LABEL_PUSH_SIZE
            else:
                value = _parse_number(arg, path, lineno, arg_col)
                size = n or max(1, (value.bit_length() + 7) // 8)
                if value >= 1 << (8 * size):
                    raise UserError(f"{arg} does not fit in {name}'s {size} byte(s)", path, lineno, arg_col)
                n = size
                data = value.to_bytes(size, "big")
        elif n or name == "PUSH":
            raise UserError(f"{name} needs a value, e.g. '{name} 0x06'", path, lineno, col)
        if name == "PUSH":
            name = f"PUSH{n}"
            op = table[name]
        insn = EvmInstruction(offset, op, name, data, lineno, col)
        if pending_marker is not None:
            if offset in markers:
                raise UserError("two markers on one instruction", path, pending_marker[1], pending_marker[2])
            markers[offset] = pending_marker[0]
            pending_marker = None
        pending.append((insn, ref, lineno, arg_col))
        offset += 1 + n
    if pending_marker is not None:
        raise UserError(f"marker {pending_marker[0]!r} has no instruction after it", path,
                        pending_marker[1], pending_marker[2])
    insns: list[EvmInstruction] = []
    for insn, ref, lineno, arg_col in pending:
        if ref is not None:
            if ref not in labels:
                raise UserError(f"unknown label {ref!r}", path, lineno, arg_col)
            size = push_size(insn.mnemonic)
            if labels[ref] >= 1 << (8 * size):
                raise UserError(f"label {ref!r} (offset {labels[ref]}) does not fit in {insn.mnemonic}",
                                path, lineno, arg_col)
            insn.push_data = labels[ref].to_bytes(size, "big")
        insns.append(insn)
    code_bytes = b"".join(bytes([i.opcode]) + i.push_data for i in insns)
    return EvmProgram(code_bytes, insns, labels, markers, path)
