"""THE opcode table of the classic AVM (reference ``opcodes.hpp``), shared by every part of avm-debug.

For each opcode: code, mnemonic (the reference names), base gas, the marshal depth of each popped data
item (top item first; the length is the pop count), the same for the aux stack, the number of items
pushed on success (counted after the pops; ``aux_push`` for the aux stack) and a category.
Opcodes not in the table are invalid: they cost ``ERROR_GAS`` and pop nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR_GAS = 5           # charged for underflow, invalid opcodes and out of gas
EC_PAIRING_POINT_GAS = 500_000
EC_PAIRING_MAX_POINTS = 30
SEND_SIZE_LIMIT = 10_000

CATEGORIES = ("arithmetic", "comparison/logic", "hash/crypto", "stack", "control", "tuple", "system",
              "buffer", "ec")


@dataclass(frozen=True)
class OpInfo:
    code: int
    mnemonic: str
    gas: int
    pops: tuple[int, ...]      # marshal depth per popped data item, top first
    aux_pops: tuple[int, ...]  # marshal depth per popped aux item, top first
    push: int                  # data items pushed on success
    category: str
    aux_push: int = 0          # aux items pushed on success

    @property
    def n_pops(self) -> int:
        return len(self.pops)

    @property
    def n_aux_pops(self) -> int:
        return len(self.aux_pops)


_A, _L, _H, _S, _C, _T, _Y, _B, _E = CATEGORIES

_TABLE: list[OpInfo] = [
    OpInfo(0x01, "add", 3, (1, 1), (), 1, _A),
    OpInfo(0x02, "mul", 3, (1, 1), (), 1, _A),
    OpInfo(0x03, "sub", 3, (1, 1), (), 1, _A),
    OpInfo(0x04, "div", 4, (1, 1), (), 1, _A),
    OpInfo(0x05, "sdiv", 7, (1, 1), (), 1, _A),
    OpInfo(0x06, "mod", 4, (1, 1), (), 1, _A),
    OpInfo(0x07, "smod", 7, (1, 1), (), 1, _A),
    OpInfo(0x08, "addmod", 4, (1, 1, 1), (), 1, _A),
    OpInfo(0x09, "mulmod", 4, (1, 1, 1), (), 1, _A),
    OpInfo(0x0A, "exp", 25, (1, 1), (), 1, _A),
    OpInfo(0x0B, "signextend", 7, (1, 1), (), 1, _A),
    OpInfo(0x10, "lt", 2, (1, 1), (), 1, _L),
    OpInfo(0x11, "gt", 2, (1, 1), (), 1, _L),
    OpInfo(0x12, "slt", 2, (1, 1), (), 1, _L),
    OpInfo(0x13, "sgt", 2, (1, 1), (), 1, _L),
    OpInfo(0x14, "eq", 2, (0, 0), (), 1, _L),
    OpInfo(0x15, "iszero", 1, (1,), (), 1, _L),
    OpInfo(0x16, "and", 2, (1, 1), (), 1, _L),
    OpInfo(0x17, "or", 2, (1, 1), (), 1, _L),
    OpInfo(0x18, "xor", 2, (1, 1), (), 1, _L),
    OpInfo(0x19, "not", 1, (1,), (), 1, _L),
    OpInfo(0x1A, "byte", 4, (1, 1), (), 1, _L),
    OpInfo(0x1B, "shl", 4, (1, 1), (), 1, _L),
    OpInfo(0x1C, "shr", 4, (1, 1), (), 1, _L),
    OpInfo(0x1D, "sar", 4, (1, 1), (), 1, _L),
    OpInfo(0x20, "hash", 7, (0,), (), 1, _H),
    OpInfo(0x21, "type", 3, (1,), (), 1, _H),
    OpInfo(0x22, "ethhash2", 8, (1, 1), (), 1, _H),
    OpInfo(0x23, "keccakf", 600, (1,), (), 1, _H),
    OpInfo(0x24, "sha256f", 250, (1, 1, 1), (), 1, _H),
    OpInfo(0x30, "pop", 1, (0,), (), 0, _S),
    OpInfo(0x31, "spush", 1, (), (), 1, _S),
    OpInfo(0x32, "rpush", 1, (), (), 1, _S),
    OpInfo(0x33, "rset", 2, (0,), (), 0, _S),
    OpInfo(0x34, "jump", 4, (0,), (), 0, _C),
    OpInfo(0x35, "cjump", 4, (1, 1), (), 0, _C),
    OpInfo(0x36, "stackempty", 2, (), (), 1, _S),
    OpInfo(0x37, "pcpush", 1, (), (), 1, _C),
    OpInfo(0x38, "auxpush", 1, (0,), (), 0, _S, aux_push=1),
    OpInfo(0x39, "auxpop", 1, (), (0,), 1, _S),
    OpInfo(0x3A, "auxstackempty", 2, (), (), 1, _S),
    OpInfo(0x3B, "nop", 1, (), (), 0, _C),
    OpInfo(0x3C, "errpush", 1, (), (), 1, _C),
    OpInfo(0x3D, "errset", 1, (1,), (), 0, _C),
    OpInfo(0x40, "dup0", 1, (0,), (), 2, _S),
    OpInfo(0x41, "dup1", 1, (0, 0), (), 3, _S),
    OpInfo(0x42, "dup2", 1, (0, 0, 0), (), 4, _S),
    OpInfo(0x43, "swap1", 1, (0, 0), (), 2, _S),
    OpInfo(0x44, "swap2", 1, (0, 0, 0), (), 3, _S),
    OpInfo(0x50, "tget", 2, (1, 1), (), 1, _T),
    OpInfo(0x51, "tset", 40, (1, 1, 0), (), 1, _T),
    OpInfo(0x52, "tlen", 2, (1,), (), 1, _T),
    OpInfo(0x53, "xget", 3, (1,), (1,), 1, _T, aux_push=1),
    OpInfo(0x54, "xset", 41, (1, 0), (1,), 0, _T, aux_push=1),
    OpInfo(0x60, "breakpoint", 100, (), (), 0, _Y),
    OpInfo(0x61, "log", 100, (0,), (), 0, _Y),
    OpInfo(0x70, "send", 100, (1, 1), (), 0, _Y),
    OpInfo(0x72, "inbox", 40, (), (), 1, _Y),
    OpInfo(0x73, "error", 5, (), (), 0, _C),
    OpInfo(0x74, "halt", 10, (), (), 0, _C),
    OpInfo(0x75, "setgas", 1, (1,), (), 0, _Y),
    OpInfo(0x76, "pushgas", 1, (), (), 1, _Y),
    OpInfo(0x77, "errcodepoint", 25, (), (), 1, _C),
    OpInfo(0x78, "pushinsn", 25, (1, 1), (), 1, _C),
    OpInfo(0x79, "pushinsnimm", 25, (1, 0, 1), (), 1, _C),
    OpInfo(0x7B, "sideload", 10, (1,), (), 1, _Y),
    OpInfo(0x80, "ecrecover", 20000, (1, 1, 1, 1), (), 1, _E),
    OpInfo(0x81, "ecadd", 3500, (1, 1, 1, 1), (), 2, _E),
    OpInfo(0x82, "ecmul", 82000, (1, 1, 1), (), 2, _E),
    OpInfo(0x83, "ecpairing", 1000, (32,), (), 1, _E),
    OpInfo(0x90, "debugprint", 1, (0,), (), 0, _Y),
    OpInfo(0xA0, "newbuffer", 1, (), (), 1, _B),
    OpInfo(0xA1, "getbuffer8", 10, (1, 1), (), 1, _B),
    OpInfo(0xA2, "getbuffer64", 10, (1, 1), (), 1, _B),
    OpInfo(0xA3, "getbuffer256", 10, (1, 1), (), 1, _B),
    OpInfo(0xA4, "setbuffer8", 100, (1, 1, 1), (), 1, _B),
    OpInfo(0xA5, "setbuffer64", 100, (1, 1, 1), (), 1, _B),
    OpInfo(0xA6, "setbuffer256", 100, (1, 1, 1), (), 1, _B),
]

#: code -> OpInfo, for the valid opcodes only.
OPCODES: dict[int, OpInfo] = {info.code: info for info in _TABLE}
#: mnemonic -> OpInfo.
BY_NAME: dict[str, OpInfo] = {info.mnemonic: info for info in _TABLE}
#: Name used for an opcode outside the table (the reference calls opcode 0 "unhandled opcode").
INVALID_NAME = "invalid"

# Flat per-code arrays for the step loop (index = opcode 0..255).
VALID: list[bool] = [c in OPCODES for c in range(256)]
GAS: list[int] = [OPCODES[c].gas if c in OPCODES else ERROR_GAS for c in range(256)]
N_POPS: list[int] = [OPCODES[c].n_pops if c in OPCODES else 0 for c in range(256)]
N_AUX_POPS: list[int] = [OPCODES[c].n_aux_pops if c in OPCODES else 0 for c in range(256)]


def info(code: int) -> OpInfo | None:
    """The table entry of ``code``, or None for an invalid opcode."""
    return OPCODES.get(code)


def mnemonic(code: int) -> str:
    """The mnemonic of ``code``; ``invalid`` (or ``invalid_0xNN``-style callers may format) if unknown."""
    entry = OPCODES.get(code)
    return entry.mnemonic if entry else INVALID_NAME


def pops_for_proof(code: int) -> tuple[int, ...]:
    """Marshal depths of the popped data items; invalid opcodes use ``error``'s (empty) list."""
    entry = OPCODES.get(code)
    return entry.pops if entry else ()


def aux_pops_for_proof(code: int) -> tuple[int, ...]:
    entry = OPCODES.get(code)
    return entry.aux_pops if entry else ()
