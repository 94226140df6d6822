"""THE opcode table of the classic AVM (reference ``opcodes.hpp``), shared by every part of avm-debug.

``Op`` names each valid opcode; ``OPCODES[op]`` is its ``OpInfo``: mnemonic (the reference names), base
gas, the marshal depth of each popped data item (top item first; the length is the pop count), the
same for the aux stack, the number of items pushed on success (counted after the pops; ``aux_push``
for the aux stack), a category, and the facts other parts ask about an opcode (is it a jump, does it
build code, the bytes a buffer opcode touches, what a proof of it carries): read these flags, never
lists of opcode numbers. Opcodes not in the table are invalid: they cost ``ERROR_GAS`` and pop nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum

ERROR_GAS = 5           # charged for underflow, invalid opcodes and out of gas
EC_PAIRING_POINT_GAS = 500_000
EC_PAIRING_MAX_POINTS = 30
SEND_SIZE_LIMIT = 10_000

CATEGORIES = ("arithmetic", "comparison/logic", "hash/crypto", "stack", "control", "tuple", "system",
              "buffer", "ec")


class Op(IntEnum):
    """Every valid opcode by name (the member name is the mnemonic in capitals)."""

    ADD = 0x01
    MUL = 0x02
    SUB = 0x03
    DIV = 0x04
    SDIV = 0x05
    MOD = 0x06
    SMOD = 0x07
    ADDMOD = 0x08
    MULMOD = 0x09
    EXP = 0x0A
    SIGNEXTEND = 0x0B
    LT = 0x10
    GT = 0x11
    SLT = 0x12
    SGT = 0x13
    EQ = 0x14
    ISZERO = 0x15
    AND = 0x16
    OR = 0x17
    XOR = 0x18
    NOT = 0x19
    BYTE = 0x1A
    SHL = 0x1B
    SHR = 0x1C
    SAR = 0x1D
    HASH = 0x20
    TYPE = 0x21
    ETHHASH2 = 0x22
    KECCAKF = 0x23
    SHA256F = 0x24
    POP = 0x30
    SPUSH = 0x31
    RPUSH = 0x32
    RSET = 0x33
    JUMP = 0x34
    CJUMP = 0x35
    STACKEMPTY = 0x36
    PCPUSH = 0x37
    AUXPUSH = 0x38
    AUXPOP = 0x39
    AUXSTACKEMPTY = 0x3A
    NOP = 0x3B
    ERRPUSH = 0x3C
    ERRSET = 0x3D
    DUP0 = 0x40
    DUP1 = 0x41
    DUP2 = 0x42
    SWAP1 = 0x43
    SWAP2 = 0x44
    TGET = 0x50
    TSET = 0x51
    TLEN = 0x52
    XGET = 0x53
    XSET = 0x54
    BREAKPOINT = 0x60
    LOG = 0x61
    SEND = 0x70
    INBOX = 0x72
    ERROR = 0x73
    HALT = 0x74
    SETGAS = 0x75
    PUSHGAS = 0x76
    ERRCODEPOINT = 0x77
    PUSHINSN = 0x78
    PUSHINSNIMM = 0x79
    SIDELOAD = 0x7B
    ECRECOVER = 0x80
    ECADD = 0x81
    ECMUL = 0x82
    ECPAIRING = 0x83
    DEBUGPRINT = 0x90
    NEWBUFFER = 0xA0
    GETBUFFER8 = 0xA1
    GETBUFFER64 = 0xA2
    GETBUFFER256 = 0xA3
    SETBUFFER8 = 0xA4
    SETBUFFER64 = 0xA5
    SETBUFFER256 = 0xA6


class ProofExtra(Enum):
    """What a one-step proof carries beyond the popped values (see ``avm.proofs.export``)."""

    NONE = "none"
    BUFFER = "buffer"       # Merkle proofs of the buffer chunks read or written (and send's payload)
    MESSAGE = "message"     # the inbox message the step reads


@dataclass(frozen=True)
class OpInfo:
    code: Op
    mnemonic: str
    gas: int
    pops: tuple[int, ...]      # marshal depth per popped data item, top first
    aux_pops: tuple[int, ...]  # marshal depth per popped aux item, top first
    push: int                  # data items pushed on success
    category: str
    aux_push: int = 0          # aux items pushed on success
    jump: bool = False         # may move the pc somewhere other than ``next``
    builds_code: bool = False  # creates a codepoint that is not in the program
    buffer_width: int = 0      # bytes read (getbuffer*) or written (setbuffer*)
    proof_extra: ProofExtra = ProofExtra.NONE
    # the parts of the state besides the stacks, pc and gas that the step sets (a place root of
    # ``debugger.engine.locations``): a condition on them can only change where such a step runs
    writes: tuple[str, ...] = ()

    @property
    def n_pops(self) -> int:
        return len(self.pops)

    @property
    def n_aux_pops(self) -> int:
        return len(self.aux_pops)


_A, _L, _H, _S, _C, _T, _Y, _B, _E = CATEGORIES
_BUF, _MSG = ProofExtra.BUFFER, ProofExtra.MESSAGE

_TABLE: list[OpInfo] = [
    OpInfo(Op.ADD, "add", 3, (1, 1), (), 1, _A),
    OpInfo(Op.MUL, "mul", 3, (1, 1), (), 1, _A),
    OpInfo(Op.SUB, "sub", 3, (1, 1), (), 1, _A),
    OpInfo(Op.DIV, "div", 4, (1, 1), (), 1, _A),
    OpInfo(Op.SDIV, "sdiv", 7, (1, 1), (), 1, _A),
    OpInfo(Op.MOD, "mod", 4, (1, 1), (), 1, _A),
    OpInfo(Op.SMOD, "smod", 7, (1, 1), (), 1, _A),
    OpInfo(Op.ADDMOD, "addmod", 4, (1, 1, 1), (), 1, _A),
    OpInfo(Op.MULMOD, "mulmod", 4, (1, 1, 1), (), 1, _A),
    OpInfo(Op.EXP, "exp", 25, (1, 1), (), 1, _A),
    OpInfo(Op.SIGNEXTEND, "signextend", 7, (1, 1), (), 1, _A),
    OpInfo(Op.LT, "lt", 2, (1, 1), (), 1, _L),
    OpInfo(Op.GT, "gt", 2, (1, 1), (), 1, _L),
    OpInfo(Op.SLT, "slt", 2, (1, 1), (), 1, _L),
    OpInfo(Op.SGT, "sgt", 2, (1, 1), (), 1, _L),
    OpInfo(Op.EQ, "eq", 2, (0, 0), (), 1, _L),
    OpInfo(Op.ISZERO, "iszero", 1, (1,), (), 1, _L),
    OpInfo(Op.AND, "and", 2, (1, 1), (), 1, _L),
    OpInfo(Op.OR, "or", 2, (1, 1), (), 1, _L),
    OpInfo(Op.XOR, "xor", 2, (1, 1), (), 1, _L),
    OpInfo(Op.NOT, "not", 1, (1,), (), 1, _L),
    OpInfo(Op.BYTE, "byte", 4, (1, 1), (), 1, _L),
    OpInfo(Op.SHL, "shl", 4, (1, 1), (), 1, _L),
    OpInfo(Op.SHR, "shr", 4, (1, 1), (), 1, _L),
    OpInfo(Op.SAR, "sar", 4, (1, 1), (), 1, _L),
    OpInfo(Op.HASH, "hash", 7, (0,), (), 1, _H),
    OpInfo(Op.TYPE, "type", 3, (1,), (), 1, _H),
    OpInfo(Op.ETHHASH2, "ethhash2", 8, (1, 1), (), 1, _H),
    OpInfo(Op.KECCAKF, "keccakf", 600, (1,), (), 1, _H),
    OpInfo(Op.SHA256F, "sha256f", 250, (1, 1, 1), (), 1, _H),
    OpInfo(Op.POP, "pop", 1, (0,), (), 0, _S),
    OpInfo(Op.SPUSH, "spush", 1, (), (), 1, _S),
    OpInfo(Op.RPUSH, "rpush", 1, (), (), 1, _S),
    OpInfo(Op.RSET, "rset", 2, (0,), (), 0, _S, writes=("register",)),
    OpInfo(Op.JUMP, "jump", 4, (0,), (), 0, _C, jump=True),
    OpInfo(Op.CJUMP, "cjump", 4, (1, 1), (), 0, _C, jump=True),
    OpInfo(Op.STACKEMPTY, "stackempty", 2, (), (), 1, _S),
    OpInfo(Op.PCPUSH, "pcpush", 1, (), (), 1, _C),
    OpInfo(Op.AUXPUSH, "auxpush", 1, (0,), (), 0, _S, aux_push=1),
    OpInfo(Op.AUXPOP, "auxpop", 1, (), (0,), 1, _S),
    OpInfo(Op.AUXSTACKEMPTY, "auxstackempty", 2, (), (), 1, _S),
    OpInfo(Op.NOP, "nop", 1, (), (), 0, _C),
    OpInfo(Op.ERRPUSH, "errpush", 1, (), (), 1, _C),
    OpInfo(Op.ERRSET, "errset", 1, (1,), (), 0, _C, writes=("errcp",)),
    OpInfo(Op.DUP0, "dup0", 1, (0,), (), 2, _S),
    OpInfo(Op.DUP1, "dup1", 1, (0, 0), (), 3, _S),
    OpInfo(Op.DUP2, "dup2", 1, (0, 0, 0), (), 4, _S),
    OpInfo(Op.SWAP1, "swap1", 1, (0, 0), (), 2, _S),
    OpInfo(Op.SWAP2, "swap2", 1, (0, 0, 0), (), 3, _S),
    OpInfo(Op.TGET, "tget", 2, (1, 1), (), 1, _T),
    OpInfo(Op.TSET, "tset", 40, (1, 1, 0), (), 1, _T),
    OpInfo(Op.TLEN, "tlen", 2, (1,), (), 1, _T),
    OpInfo(Op.XGET, "xget", 3, (1,), (1,), 1, _T, aux_push=1),
    OpInfo(Op.XSET, "xset", 41, (1, 0), (1,), 0, _T, aux_push=1),
    OpInfo(Op.BREAKPOINT, "breakpoint", 100, (), (), 0, _Y),
    OpInfo(Op.LOG, "log", 100, (0,), (), 0, _Y),
    OpInfo(Op.SEND, "send", 100, (1, 1), (), 0, _Y, proof_extra=_BUF),
    OpInfo(Op.INBOX, "inbox", 40, (), (), 1, _Y, proof_extra=_MSG, writes=("inbox",)),
    OpInfo(Op.ERROR, "error", 5, (), (), 0, _C),
    OpInfo(Op.HALT, "halt", 10, (), (), 0, _C),
    OpInfo(Op.SETGAS, "setgas", 1, (1,), (), 0, _Y),
    OpInfo(Op.PUSHGAS, "pushgas", 1, (), (), 1, _Y),
    OpInfo(Op.ERRCODEPOINT, "errcodepoint", 25, (), (), 1, _C, builds_code=True),
    OpInfo(Op.PUSHINSN, "pushinsn", 25, (1, 1), (), 1, _C, builds_code=True),
    OpInfo(Op.PUSHINSNIMM, "pushinsnimm", 25, (1, 0, 1), (), 1, _C, builds_code=True),
    OpInfo(Op.SIDELOAD, "sideload", 10, (1,), (), 1, _Y),
    OpInfo(Op.ECRECOVER, "ecrecover", 20000, (1, 1, 1, 1), (), 1, _E),
    OpInfo(Op.ECADD, "ecadd", 3500, (1, 1, 1, 1), (), 2, _E),
    OpInfo(Op.ECMUL, "ecmul", 82000, (1, 1, 1), (), 2, _E),
    OpInfo(Op.ECPAIRING, "ecpairing", 1000, (32,), (), 1, _E),
    OpInfo(Op.DEBUGPRINT, "debugprint", 1, (0,), (), 0, _Y),
    OpInfo(Op.NEWBUFFER, "newbuffer", 1, (), (), 1, _B),
    OpInfo(Op.GETBUFFER8, "getbuffer8", 10, (1, 1), (), 1, _B, buffer_width=1, proof_extra=_BUF),
    OpInfo(Op.GETBUFFER64, "getbuffer64", 10, (1, 1), (), 1, _B, buffer_width=8, proof_extra=_BUF),
    OpInfo(Op.GETBUFFER256, "getbuffer256", 10, (1, 1), (), 1, _B, buffer_width=32, proof_extra=_BUF),
    OpInfo(Op.SETBUFFER8, "setbuffer8", 100, (1, 1, 1), (), 1, _B, buffer_width=1, proof_extra=_BUF),
    OpInfo(Op.SETBUFFER64, "setbuffer64", 100, (1, 1, 1), (), 1, _B, buffer_width=8, proof_extra=_BUF),
    OpInfo(Op.SETBUFFER256, "setbuffer256", 100, (1, 1, 1), (), 1, _B, buffer_width=32, proof_extra=_BUF),
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

#: Opcodes that may move the pc elsewhere than ``next`` (jump, cjump).
JUMP_OPS: frozenset[int] = frozenset(i.code for i in _TABLE if i.jump)
#: Opcodes that create codepoints outside the program (errcodepoint, pushinsn, pushinsnimm).
CODE_BUILDING_OPS: frozenset[int] = frozenset(i.code for i in _TABLE if i.builds_code)
#: A part of the state (``register``, ``errcp``, ``inbox``: the next message) -> the opcodes that set it.
WRITERS: dict[str, frozenset[int]] = {
    part: frozenset(i.code for i in _TABLE if part in i.writes)
    for part in sorted({p for i in _TABLE for p in i.writes})}
#: getbuffer*/setbuffer* -> the number of bytes they read or write.
BUFFER_WIDTH: dict[int, int] = {i.code: i.buffer_width for i in _TABLE if i.buffer_width}
#: The reading (getbuffer*: offset, buffer) and writing (setbuffer*: offset, value, buffer) halves of it.
BUFFER_READ_WIDTH: dict[int, int] = {op: w for op, w in BUFFER_WIDTH.items() if OPCODES[op].n_pops == 2}
BUFFER_WRITE_WIDTH: dict[int, int] = {op: w for op, w in BUFFER_WIDTH.items() if OPCODES[op].n_pops == 3}


def info(code: int) -> OpInfo | None:
    """The table entry of ``code``, or None for an invalid opcode."""
    return OPCODES.get(code)


def mnemonic(code: int) -> str:
    """The mnemonic of ``code``; ``invalid`` (or ``invalid_0xNN``-style callers may format) if unknown."""
    entry = OPCODES.get(code)
    return entry.mnemonic if entry else INVALID_NAME


def by_mnemonic(text: str) -> OpInfo | None:
    """The opcode that a mnemonic names (any case, surrounding blanks ignored); None when none does."""
    return BY_NAME.get(text.strip().lower())


def mnemonic_or_invalid(code: int) -> str:
    """What screens and reports call ``code``: its mnemonic, or ``invalid(0xNN)`` outside the table."""
    entry = info(code)
    return entry.mnemonic if entry else f"{INVALID_NAME}({code:#04x})"


def pops_for_proof(code: int) -> tuple[int, ...]:
    """Marshal depths of the popped data items; invalid opcodes use ``error``'s (empty) list."""
    entry = OPCODES.get(code)
    return entry.pops if entry else ()


def aux_pops_for_proof(code: int) -> tuple[int, ...]:
    entry = OPCODES.get(code)
    return entry.aux_pops if entry else ()
