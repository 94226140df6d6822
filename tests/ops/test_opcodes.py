"""The opcode table agrees with the reference (opcodes.hpp) and with the machine's implementation."""

from __future__ import annotations

from avm.core.opcodes import (
    BUFFER_READ_WIDTH,
    BUFFER_WIDTH,
    BUFFER_WRITE_WIDTH,
    BY_NAME,
    CATEGORIES,
    CODE_BUILDING_OPS,
    ERROR_GAS,
    GAS,
    JUMP_OPS,
    N_AUX_POPS,
    N_POPS,
    OPCODES,
    VALID,
    Op,
    ProofExtra,
    aux_pops_for_proof,
    mnemonic,
    pops_for_proof,
)
from avm.ops import SEMANTICS
from avm.proofs.verifier import VERIFIER_OPS

# (code, mnemonic, gas, data pop depths, aux pop depths) transcribed from the reference opcodes.hpp
REFERENCE = [
    (0x01, "add", 3, (1, 1), ()), (0x02, "mul", 3, (1, 1), ()), (0x03, "sub", 3, (1, 1), ()),
    (0x04, "div", 4, (1, 1), ()), (0x05, "sdiv", 7, (1, 1), ()), (0x06, "mod", 4, (1, 1), ()),
    (0x07, "smod", 7, (1, 1), ()), (0x08, "addmod", 4, (1, 1, 1), ()), (0x09, "mulmod", 4, (1, 1, 1), ()),
    (0x0A, "exp", 25, (1, 1), ()), (0x0B, "signextend", 7, (1, 1), ()),
    (0x10, "lt", 2, (1, 1), ()), (0x11, "gt", 2, (1, 1), ()), (0x12, "slt", 2, (1, 1), ()),
    (0x13, "sgt", 2, (1, 1), ()), (0x14, "eq", 2, (0, 0), ()), (0x15, "iszero", 1, (1,), ()),
    (0x16, "and", 2, (1, 1), ()), (0x17, "or", 2, (1, 1), ()), (0x18, "xor", 2, (1, 1), ()),
    (0x19, "not", 1, (1,), ()), (0x1A, "byte", 4, (1, 1), ()), (0x1B, "shl", 4, (1, 1), ()),
    (0x1C, "shr", 4, (1, 1), ()), (0x1D, "sar", 4, (1, 1), ()),
    (0x20, "hash", 7, (0,), ()), (0x21, "type", 3, (1,), ()), (0x22, "ethhash2", 8, (1, 1), ()),
    (0x23, "keccakf", 600, (1,), ()), (0x24, "sha256f", 250, (1, 1, 1), ()),
    (0x30, "pop", 1, (0,), ()), (0x31, "spush", 1, (), ()), (0x32, "rpush", 1, (), ()),
    (0x33, "rset", 2, (0,), ()), (0x34, "jump", 4, (0,), ()), (0x35, "cjump", 4, (1, 1), ()),
    (0x36, "stackempty", 2, (), ()), (0x37, "pcpush", 1, (), ()), (0x38, "auxpush", 1, (0,), ()),
    (0x39, "auxpop", 1, (), (0,)), (0x3A, "auxstackempty", 2, (), ()), (0x3B, "nop", 1, (), ()),
    (0x3C, "errpush", 1, (), ()), (0x3D, "errset", 1, (1,), ()),
    (0x40, "dup0", 1, (0,), ()), (0x41, "dup1", 1, (0, 0), ()), (0x42, "dup2", 1, (0, 0, 0), ()),
    (0x43, "swap1", 1, (0, 0), ()), (0x44, "swap2", 1, (0, 0, 0), ()),
    (0x50, "tget", 2, (1, 1), ()), (0x51, "tset", 40, (1, 1, 0), ()), (0x52, "tlen", 2, (1,), ()),
    (0x53, "xget", 3, (1,), (1,)), (0x54, "xset", 41, (1, 0), (1,)),
    (0x60, "breakpoint", 100, (), ()), (0x61, "log", 100, (0,), ()),
    (0x70, "send", 100, (1, 1), ()), (0x72, "inbox", 40, (), ()), (0x73, "error", 5, (), ()),
    (0x74, "halt", 10, (), ()), (0x75, "setgas", 1, (1,), ()), (0x76, "pushgas", 1, (), ()),
    (0x77, "errcodepoint", 25, (), ()), (0x78, "pushinsn", 25, (1, 1), ()),
    (0x79, "pushinsnimm", 25, (1, 0, 1), ()), (0x7B, "sideload", 10, (1,), ()),
    (0x80, "ecrecover", 20000, (1, 1, 1, 1), ()), (0x81, "ecadd", 3500, (1, 1, 1, 1), ()),
    (0x82, "ecmul", 82000, (1, 1, 1), ()), (0x83, "ecpairing", 1000, (32,), ()),
    (0x90, "debugprint", 1, (0,), ()),
    (0xA0, "newbuffer", 1, (), ()), (0xA1, "getbuffer8", 10, (1, 1), ()),
    (0xA2, "getbuffer64", 10, (1, 1), ()), (0xA3, "getbuffer256", 10, (1, 1), ()),
    (0xA4, "setbuffer8", 100, (1, 1, 1), ()), (0xA5, "setbuffer64", 100, (1, 1, 1), ()),
    (0xA6, "setbuffer256", 100, (1, 1, 1), ()),
]


def test_table_matches_the_reference() -> None:
    assert len(OPCODES) == len(REFERENCE) == len(Op)
    for code, name, gas, pops, aux in REFERENCE:
        info = OPCODES[code]
        assert (info.mnemonic, info.gas, info.pops, info.aux_pops) == (name, gas, pops, aux), name
        assert BY_NAME[name] is info
        assert info.category in CATEGORIES
        assert GAS[code] == gas and N_POPS[code] == len(pops) and N_AUX_POPS[code] == len(aux)


def test_invalid_opcodes() -> None:
    invalid = [c for c in range(256) if not VALID[c]]
    assert 0x00 in invalid and 0x71 in invalid and 0x7A in invalid and 0xFF in invalid
    assert len(invalid) == 256 - len(Op)
    for c in invalid:
        assert GAS[c] == ERROR_GAS and N_POPS[c] == 0 and N_AUX_POPS[c] == 0
        assert pops_for_proof(c) == () and aux_pops_for_proof(c) == ()
        assert mnemonic(c) == "invalid"


def test_every_valid_opcode_has_an_implementation() -> None:
    for c in range(256):
        assert (SEMANTICS[c] is not None) == VALID[c]


def test_categories_cover_every_kind() -> None:
    used = {info.category for info in OPCODES.values()}
    assert used == set(CATEGORIES)
    assert OPCODES[0x81].category == "ec" and OPCODES[0xA4].category == "buffer"
    assert OPCODES[0x35].category == "control" and OPCODES[0x51].category == "tuple"


def test_op_enum_names_are_the_mnemonics() -> None:
    assert set(OPCODES) == set(Op)
    for op in Op:
        assert OPCODES[op].code is op and OPCODES[op].mnemonic == op.name.lower()


def test_flags() -> None:
    assert JUMP_OPS == {Op.JUMP, Op.CJUMP}
    assert CODE_BUILDING_OPS == {Op.ERRCODEPOINT, Op.PUSHINSN, Op.PUSHINSNIMM}
    assert BUFFER_READ_WIDTH == {Op.GETBUFFER8: 1, Op.GETBUFFER64: 8, Op.GETBUFFER256: 32}
    assert BUFFER_WRITE_WIDTH == {Op.SETBUFFER8: 1, Op.SETBUFFER64: 8, Op.SETBUFFER256: 32}
    with_extra = {op: OPCODES[op].proof_extra for op in Op if OPCODES[op].proof_extra is not ProofExtra.NONE}
    assert with_extra == {Op.SEND: ProofExtra.BUFFER, Op.INBOX: ProofExtra.MESSAGE,
                          **{op: ProofExtra.BUFFER for op in BUFFER_WIDTH}}


def test_the_independent_verifier_agrees_with_the_table() -> None:
    """The verifier types gas and pop counts again on purpose (it is independent); they must agree."""
    assert set(VERIFIER_OPS) == set(Op)
    for op, (pops, aux_pops, gas, _impl) in VERIFIER_OPS.items():
        entry = OPCODES[Op(op)]
        assert (pops, aux_pops, gas) == (entry.n_pops, entry.n_aux_pops, entry.gas), entry.mnemonic
