"""Faithfulness audit of the machine against the reference C++ emulator and the Solidity verifier.

Each test states one rule and names the reference function it comes from (C++: ``MachineState::runOne``
and the ``machineoperation::*`` functions; Solidity: ``OneStepProof*.sol``). These cover paths the
conformance corpus never runs; tests/test_machine.py covers the rest and is not repeated here.
"""

from __future__ import annotations

import pytest
from machine_builders import program, run

from avm.core.buffer import Buffer
from avm.core.keccak import ERRCP, ZERO32, keccak256
from avm.core.machine import MAX_GAS, Event, Machine, Status
from avm.core.opcodes import GAS, VALID
from avm.core.values import NONE, CodePoint, Tuple, value_hash
from avm.formats.mexe import value_from_json

MASK = MAX_GAS
TOP64 = (1 << 64) - 1


def neg(n: int) -> int:
    return (-n) & MASK


def top_after(*ops: tuple, **kw) -> object:
    """Run ops then halt; the top of the data stack (the run must halt cleanly)."""
    m = run(*ops, ("halt",), **kw)
    assert m.status == Status.HALTED, m.last_error
    return m.stack[-1]


def handled(*ops: tuple, steps: int | None = None) -> Machine:
    """Install a handler (a final ``halt``) first, then run ops: an error lands on the handler."""
    n = len(ops) + 1
    m = run(("errset", f"@{n}"), *ops, ("halt",), steps=steps if steps is not None else n)
    return m


# ============================================================================ runOne: gas and errors
def test_out_of_gas_at_exact_cost_boundary() -> None:
    # runOne: "remaining < cost" is out of gas; remaining == cost runs and leaves 0
    m = run(("setgas", 5), ("nop", 1), ("nop", 2), ("add",), ("halt",), steps=4)
    assert m.stack == [3] and m.gas == 0 and m.status == Status.EXTENSIVE
    m.run(1)   # halt costs 10 > 0: out of gas, no handler -> ErrorStop, 5 charged
    assert m.status == Status.ERRORSTOP and m.last_error == "out of gas"
    assert m.gas_used == 1 + 1 + 1 + 3 + 5


def test_out_of_gas_pops_the_instruction_operands_with_a_handler() -> None:
    # runOne: out of gas is an error, so the stack cleanup pops stackArgCount items (here tset: 3)
    m = handled(("nop", 1), ("nop", 2), ("nop", 3), ("nop", 4), ("setgas", 39), ("tset",))
    assert m.status == Status.EXTENSIVE and m.pc.op == 0x74
    assert m.stack == [1] and m.gas == MAX_GAS


def test_out_of_gas_on_a_zero_pop_op_keeps_its_immediate() -> None:
    # runOne: stackArgCount(spush) is 0, so an out-of-gas spush with an immediate leaves the immediate
    m = handled(("setgas", 0), ("spush", 42))
    assert m.stack == [42] and m.gas == MAX_GAS and m.last_error == "out of gas"


@pytest.mark.parametrize("op", [0x0C, 0x25, 0x45, 0x55, 0x62, 0x71, 0x7A, 0x84, 0x91, 0xA7, 0xFF])
def test_every_invalid_opcode_costs_5_and_pops_nothing(op: int) -> None:
    # runOne: an opcode outside InstructionArbGasCost is invalid: charged the error cost (5), then error;
    # stackArgCount is 0 so nothing is popped; OneStepProof.opInfo agrees (0 pops, ERROR_GAS_COST)
    assert not VALID[op] and GAS[op] == 5
    m = handled(("nop", 8), (op,))
    assert m.stack == [8] and m.gas_used == 1 + 1 + 5
    assert m.last_error == f"invalid opcode 0x{op:02x}"


def test_invalid_opcode_out_of_gas_sets_max() -> None:
    # runOne: an invalid opcode still goes through the gas check with cost 5 (remaining < 5 -> MAX)
    m = handled(("setgas", 4), (0xEE,))
    assert m.gas == MAX_GAS and m.last_error == "out of gas" and m.gas_used == 1 + 1 + 5


def test_aux_underflow_pops_the_data_operands_too() -> None:
    # runOne: on any error both stacks are cleaned by their own arg counts (xset: 2 data, 1 aux)
    m = handled(("nop", 5), ("nop", 6), ("nop", 0), ("xset",))
    assert m.stack == [5] and m.aux == [] and m.last_error == "aux stack underflow"
    assert m.gas_used == 1 + 3 + 5


def test_data_underflow_with_full_aux_pops_the_aux_operand() -> None:
    # runOne: xget with an empty data stack underflows; cleanup also pops auxstackArgCount (1) items
    t = Tuple((1,))
    m = handled(("nop", t), ("auxpush",), ("nop", 9), ("auxpush",), ("xget",))
    assert m.stack == [] and m.aux == [t] and m.last_error == "data stack underflow"


def test_dup_and_swap_underflow_pop_what_exists() -> None:
    # runOne: dup2/swap2 need 3 items (InstructionStackPops); with 2 the error pops both
    for op in ("dup2", "swap2"):
        m = handled(("nop", 1), ("nop", 2), (op,))
        assert m.stack == [] and m.last_error == "data stack underflow"


def test_error_with_handler_set_to_an_errcodepoint_value_stops() -> None:
    # runOne: "handler installed" is CodePointStub::is_error (hash == ERRCP); errSet accepts any
    # codepoint, so a handler made by errcodepoint means "no handler": the error stops the machine
    m = run(("errcodepoint",), ("errset",), ("error",), ("halt",))
    assert m.status == Status.ERRORSTOP and m.steps == 3
    assert m.machine_hash() == (1).to_bytes(32, "big")


def test_handler_made_by_pushinsn_is_a_real_handler() -> None:
    # pushinsn(0, errcodepoint) has next hash ERRCP, so its own hash differs from ERRCP: a handler
    m = run(("errcodepoint",), ("pushinsn", 0), ("errset",), ("error",), steps=4)
    assert m.status == Status.EXTENSIVE and m.pc.op == 0 and m.pc.next is not None
    m.run(1)  # the handler itself is invalid opcode 0: error -> back to the handler, forever
    assert m.status == Status.EXTENSIVE and m.last_error == "invalid opcode 0x00"


def test_errpush_pushes_the_current_handler() -> None:
    # machineoperation::errPush pushes errpc; initially the error codepoint (hash ERRCP)
    cp = top_after(("errpush",))
    assert isinstance(cp, CodePoint) and value_hash(cp) == ERRCP
    m = run(("errset", "@3"), ("errpush",), ("halt",), ("halt",))
    assert m.stack[-1] is m.program.code[3]


def test_errset_failure_pops_its_operand_and_keeps_the_old_handler() -> None:
    # machineoperation::errSet: a non-codepoint operand sets Error, pops it; the handler is unchanged
    m = handled(("nop", 7), ("errset", Tuple(())))
    assert m.status == Status.EXTENSIVE and m.stack == [7] and m.pc.op == 0x74
    assert m.gas_used == 1 + 1 + 1


# ============================================================================ blocking
def test_inbox_with_too_little_gas_is_out_of_gas_not_blocked() -> None:
    # runOne checks gas before runOp, so an empty inbox with remaining < 40 is an out-of-gas error
    m = Machine.from_program(program(("errset", "@3"), ("setgas", 39), ("inbox",), ("halt",)))
    m.run(2)
    assert not m.blocked
    ev = m.run(1)
    assert not ev & Event.BLOCKED and ev & Event.ERROR
    assert m.gas == MAX_GAS and m.pc.op == 0x74


def test_blocked_inbox_with_immediate_is_undone_and_a_message_then_resumes() -> None:
    # runOne: a blocked instruction refunds its cost and pops its immediate again; no step is counted
    m = Machine.from_program(program(("inbox", 5), ("halt",)))
    assert m.blocked and m.run(3) & Event.BLOCKED
    assert (m.stack, m.steps, m.gas_used) == ([], 0, 0)
    msg = Tuple((1, 2))
    m.inbox.append(msg)
    m.run(5)
    assert m.status == Status.HALTED and m.stack == [5, msg] and m.gas_used == 40 + 10


# ============================================================================ arithmetic edges
def test_exp_with_huge_exponents() -> None:
    # machineoperation::exp: s0 ** s1 mod 2^256 for any exponent
    assert top_after(("nop", MASK), ("exp", 2)) == 0
    assert top_after(("nop", MASK), ("exp", 1)) == 1
    assert top_after(("nop", MASK), ("exp", MASK)) == MASK          # (-1)^odd
    assert top_after(("nop", MASK - 1), ("exp", MASK)) == 1         # (-1)^even
    assert top_after(("nop", 0), ("exp", MASK)) == 1
    assert top_after(("nop", 255), ("exp", 2)) == 1 << 255


def test_signextend_at_byte_30_and_huge_index() -> None:
    # machineoperation::signExtend: only s0 < 31 extends, from bit 8*s0+7
    v = 0x80 << 240
    assert top_after(("nop", v), ("signextend", 30)) == v | (0xFF << 248)
    assert top_after(("nop", 0x7F << 240), ("signextend", 30)) == 0x7F << 240
    assert top_after(("nop", 0x1234 | v), ("signextend", MASK)) == 0x1234 | v
    assert top_after(("nop", 0xFF80), ("signextend", 0)) == neg(0x80)


def test_byte_and_shift_edges() -> None:
    # machineoperation::byte counts from the most significant byte; shl/shr/sar (intx shifts)
    assert top_after(("nop", MASK), ("byte", MASK)) == 0
    assert top_after(("nop", 0x0102), ("byte", 30)) == 0x01
    assert top_after(("nop", MASK), ("shr", 255)) == 1
    assert top_after(("nop", MASK), ("shl", MASK)) == 0
    assert top_after(("nop", 1 << 255), ("sar", 255)) == MASK
    assert top_after(("nop", 1 << 255), ("sar", 0)) == 1 << 255
    assert top_after(("nop", (1 << 255) - 1), ("sar", 254)) == 1
    assert top_after(("nop", neg(1)), ("sar", MASK)) == MASK


def test_signed_comparisons_on_equal_and_extreme_values() -> None:
    # machineoperation::slt/sgt: equal -> 0; different signs decided by the sign bit
    assert top_after(("nop", 1 << 255), ("slt", (1 << 255) - 1)) == 0
    assert top_after(("nop", 1 << 255), ("sgt", (1 << 255) - 1)) == 1
    assert top_after(("nop", 5), ("slt", 5)) == 0
    assert top_after(("nop", 5), ("sgt", 5)) == 0


def test_addmod_mulmod_do_not_overflow() -> None:
    # machineoperation::addmod/mulmod use the full-width sum/product before the modulus
    assert top_after(("nop", 7), ("nop", MASK), ("addmod", MASK)) == (2 * MASK) % 7
    assert top_after(("nop", 7), ("nop", MASK), ("mulmod", MASK)) == (MASK * MASK) % 7


def test_not_and_iszero_reject_non_integers() -> None:
    # machineoperation::bitwiseNot / iszero: assumeInt
    for op in ("not", "iszero"):
        m = handled((op, NONE))
        assert m.stack == [] and m.last_error and m.gas_used == 1 + 1


# ============================================================================ hashing and types
def test_type_of_every_kind() -> None:
    # ValueTypeVisitor: NUM 0, CODEPT 1, TUPLE 3, BUFFER 12
    assert top_after(("type", 5)) == 0
    assert top_after(("type", "@0")) == 1
    assert top_after(("errcodepoint",), ("type",)) == 1
    assert top_after(("type", Tuple((1, 2)))) == 3
    assert top_after(("type", NONE)) == 3
    assert top_after(("newbuffer",), ("type",)) == 12


def test_hash_of_buffers_codepoints_and_nested_values() -> None:
    # hashOp: hash_value of any kind; a buffer hashes as H(123, merkle root) (hash(const Buffer&))
    buf = Buffer.from_bytes(b"\x01" + bytes(40) + b"\x02")
    assert top_after(("hash", buf)).to_bytes(32, "big") == keccak256((123).to_bytes(32, "big") + buf.root())
    assert top_after(("newbuffer",), ("hash",)).to_bytes(32, "big") == keccak256(
        (123).to_bytes(32, "big") + keccak256(ZERO32))
    assert top_after(("errcodepoint",), ("hash",)).to_bytes(32, "big") == ERRCP
    m = run(("pcpush", 3), ("hash",), ("halt",))
    cp = m.program.code[0]
    assert m.stack[-1] == int.from_bytes(value_hash(cp), "big")
    assert value_hash(cp) == keccak256(b"\x01\x37" + value_hash(3) + value_hash(cp.next))
    nested = Tuple((buf, Tuple((cp,))))
    assert top_after(("hash", nested)).to_bytes(32, "big") == value_hash(nested)


def test_eq_across_kinds_and_equal_hashes() -> None:
    # values_equal: same kind and same hash; never an error; the verifier compares hashes only
    assert top_after(("newbuffer",), ("eq", Buffer.from_bytes(bytes(50)))) == 1   # trailing zeros ignored
    assert top_after(("errcodepoint",), ("errcodepoint",), ("eq",)) == 1           # both hash to ERRCP
    assert top_after(("errcodepoint",), ("eq", 0)) == 0
    assert top_after(("newbuffer",), ("eq", NONE)) == 0


def test_pcpush_pushes_the_executing_codepoint_with_its_immediate() -> None:
    # machineoperation::pcPush: CodePointStub of the current pc (the immediate is part of it)
    m = run(("nop",), ("pcpush", 9), ("halt",))
    assert m.stack == [9, m.program.code[1]]


def test_stackempty_and_auxstackempty_see_the_immediate() -> None:
    # runOne pushes the immediate before stackEmpty looks at the stack; auxStackEmpty ignores it
    m = run(("stackempty", 5), ("halt",))
    assert m.stack == [5, 0]
    m = run(("auxstackempty", 5), ("halt",))
    assert m.stack == [5, 1]
    m = run(("nop", 1), ("auxpush",), ("auxstackempty",), ("halt",))
    assert m.stack == [0]


def test_keccakf_uses_only_the_low_64_bits_of_the_last_item() -> None:
    # internal::encodeKeccakState: state[24] = static_cast<uint64_t>(item 6)
    base = (1, 2, 3, 4, 5, 6)
    a = top_after(("keccakf", Tuple((*base, 7))))
    b = top_after(("keccakf", Tuple((*base, (1 << 200) | 7))))
    assert a.items == b.items and a.items[6] < 1 << 64
    m = handled(("keccakf", Tuple((1, 2, 3, 4, 5, 6, NONE))))
    assert m.last_error and m.gas_used == 1 + 600


# ============================================================================ tuples
def test_tget_tset_xget_xset_with_huge_indexes() -> None:
    # assumeInt64 then Tuple::get_element/set_element (bad_tuple_index): all errors, full cost
    t = Tuple(tuple(range(8)))
    assert top_after(("nop", t), ("tget", 7)) == 7
    for idx in (8, TOP64, 1 << 64, MASK):
        m = handled(("nop", t), ("tget", idx))
        assert m.stack == [] and m.gas_used == 1 + 1 + 2
        m = handled(("nop", 0), ("nop", t), ("tset", idx))
        assert m.stack == [] and m.gas_used == 1 + 1 + 1 + 40


def test_xget_error_pops_the_aux_tuple() -> None:
    # machineoperation::xget: the error cleanup pops auxstackArgCount(XGET) = 1 aux item
    m = handled(("nop", Tuple((1, 2))), ("auxpush",), ("xget", 2))
    assert m.stack == [] and m.aux == [] and m.gas_used == 1 + 1 + 1 + 3
    m = handled(("nop", 5), ("auxpush",), ("xget", 0))          # aux top not a tuple
    assert m.aux == [] and m.last_error == "operand is not a tuple"
    m = handled(("nop", Tuple((1,))), ("auxpush",), ("xget", NONE))   # index not an int
    assert m.aux == []


def test_xget_leaves_the_aux_tuple_and_xset_replaces_it() -> None:
    # machineoperation::xget / xset
    t = Tuple((1, 2, 3))
    m = run(("nop", t), ("auxpush",), ("xget", 2), ("nop", 9), ("xset", 0), ("halt",))
    assert m.stack == [3] and len(m.aux) == 1 and m.aux[0].items == (9, 2, 3)
    m = handled(("nop", t), ("auxpush",), ("nop", 7), ("nop", 3), ("xset",))
    assert m.stack == [] and m.aux == [] and m.gas_used == 1 + 1 + 1 + 1 + 1 + 41


def test_tlen_and_tset_type_errors() -> None:
    # machineoperation::tlen / tset: assumeTuple
    m = handled(("tlen", 5))
    assert m.stack == [] and m.gas_used == 1 + 2
    assert top_after(("tlen", Tuple((NONE,) * 8))) == 8
    m = handled(("nop", 1), ("nop", 2), ("tset", 0))
    assert m.stack == [] and m.gas_used == 1 + 1 + 1 + 40


# ============================================================================ code built at run time
def test_pushinsn_errors_and_opcode_truncation() -> None:
    # machineoperation::pushinsn: target must be a codepoint, opcode an int (low 8 bits used)
    m = run(("errcodepoint",), ("pushinsn", 0x174), ("jump",))
    assert m.status == Status.HALTED   # 0x174 -> 0x74 halt
    m = handled(("nop", 5), ("pushinsn", 0x74))
    assert m.stack == [] and m.last_error and m.gas_used == 1 + 1 + 25
    m = handled(("errcodepoint",), ("pushinsn", NONE))
    assert m.stack == [] and m.gas_used == 1 + 25 + 25


def test_pushinsnimm_errors_and_any_immediate_kind() -> None:
    # machineoperation::pushinsnimm: target (s2) codepoint, opcode (s0) int, immediate (s1) any value
    buf = Buffer.from_bytes(b"\x07")
    made = top_after(("errcodepoint",), ("nop", buf), ("pushinsnimm", 0x30))
    assert made.op == 0x30 and made.imm is buf and value_hash(made.next) == ERRCP
    m = handled(("nop", 1), ("nop", 2), ("pushinsnimm", 0x30))
    assert m.stack == [] and m.gas_used == 1 + 1 + 1 + 25
    m = handled(("errcodepoint",), ("nop", 2), ("pushinsnimm", Tuple(())))
    assert m.stack == [] and m.gas_used == 1 + 25 + 1 + 25


def test_pushinsn_of_an_invalid_opcode_fails_only_when_run() -> None:
    # the opcode is not validated by pushinsn; runOne rejects it when it executes
    m = handled(("errcodepoint",), ("pushinsn", 0xEE), ("jump",), steps=5)
    assert m.last_error == "invalid opcode 0xee" and m.status == Status.EXTENSIVE


# ============================================================================ system ops
def test_sideload_pushes_an_empty_tuple_and_checks_its_operand() -> None:
    # machineoperation::sideload (no supplied sideloads, no stop_on_sideload): s0 int -> ()
    m = run(("sideload", 3), ("halt",))
    assert m.stack == [NONE] and m.gas_used == 10 + 10
    m = handled(("sideload", NONE))
    assert m.stack == [] and m.gas_used == 1 + 10


def test_breakpoint_is_a_100_gas_nop() -> None:
    # machineoperation::breakpoint without stop_on_breakpoint; OneStepProof.opInfo: nop, 100 gas
    m = run(("breakpoint", 4), ("halt",))
    assert m.stack == [4] and m.gas_used == 110 and m.steps == 2


def test_halt_with_an_immediate() -> None:
    # runOne pushes the immediate, HALT sets Halted: the machine hash is 0 whatever the stack
    m = run(("halt", 3))
    assert m.status == Status.HALTED and m.machine_hash() == bytes(32) and m.gas_used == 10


def test_setgas_rejects_non_integers_and_pushgas_after_setgas() -> None:
    # machineoperation::setgas: assumeInt; the new value replaces the remaining gas after its own cost
    m = handled(("setgas", NONE))
    assert m.stack == [] and m.gas_used == 1 + 1
    m = run(("setgas", MASK), ("pushgas",), ("halt",))
    assert m.stack == [MASK - 1]


def test_cjump_operand_errors_and_fall_through() -> None:
    # machineoperation::cjump: target codepoint (s0), condition int (s1); 0 falls through
    m = run(("nop", 0), ("cjump", "@3"), ("halt",), ("error",))
    assert m.status == Status.HALTED and m.gas_used == 1 + 4 + 10
    m = handled(("nop", NONE), ("cjump", "@0"))
    assert m.stack == [] and m.gas_used == 1 + 1 + 4


def test_log_of_any_value_uses_its_hash() -> None:
    # MachineState::addProcessedLog: logAcc = H(logAcc, hash_value(v))
    buf = Buffer.from_bytes(b"\x01\x02")
    m = run(("log", buf), ("log", NONE), ("halt",))
    acc = keccak256(ZERO32 + value_hash(buf))
    assert m.log_acc == keccak256(acc + value_hash(NONE)) and m.log_count == 2


def test_send_uses_the_buffer_last_index_and_pops_on_error() -> None:
    # machineoperation::send: size int64 in (0, 10000], buffer lastIndex < size; addProcessedSend
    buf = Buffer.empty().set(9999, 1)
    m = run(("nop", buf), ("send", 10_000), ("halt",))
    assert m.status == Status.HALTED and m.send_count == 1
    assert m.send_acc == keccak256(ZERO32 + keccak256(bytes(9999) + b"\x01"))
    m = handled(("nop", 3), ("nop", buf), ("send", 9999))
    assert m.stack == [3] and m.send_count == 0 and m.gas_used == 1 + 1 + 1 + 100
    m = handled(("nop", buf), ("send", NONE))
    assert m.stack == [] and m.gas_used == 1 + 1 + 100


# ============================================================================ buffers
def test_getbuffer64_and_256_spanning_two_chunks() -> None:
    # machineoperation::getbuffer64 reads 8 single bytes; getbuffer256 splits at the 32-byte boundary
    data = bytes(range(1, 65))
    buf = Buffer.from_bytes(data)
    assert top_after(("nop", buf), ("getbuffer64", 28)) == int.from_bytes(data[28:36], "big")
    assert top_after(("nop", buf), ("getbuffer256", 17)) == int.from_bytes(data[17:49], "big")
    assert top_after(("nop", buf), ("getbuffer256", 40)) == int.from_bytes(data[40:64] + bytes(8), "big")
    assert top_after(("nop", buf), ("getbuffer8", 1000)) == 0


def test_setbuffer_spanning_chunks_and_shrinking_back() -> None:
    # machineoperation::setbuffer64/256 write big-endian, across a chunk boundary; Buffer::set_many trims
    m = run(("newbuffer",), ("nop", 0x1122334455667788), ("setbuffer64", 60), ("halt",))
    buf = m.stack[-1]
    assert buf.get_bytes(60, 8) == bytes.fromhex("1122334455667788") and buf.depth == 2
    m = run(("nop", buf), ("nop", 0), ("setbuffer64", 60), ("halt",))
    assert value_hash(m.stack[-1]) == value_hash(Buffer.empty()) and m.stack[-1].depth == 0
    m = run(("newbuffer",), ("nop", MASK), ("setbuffer256", 5), ("halt",))
    assert m.stack[-1].get_bytes(0, 40) == bytes(5) + b"\xff" * 32 + bytes(3)


def test_buffer_type_errors_and_operand_order() -> None:
    # getbuffer*/setbuffer*: offset on top (assumeInt64), value next, buffer last (assumeBuffer)
    for op in ("getbuffer8", "getbuffer64", "getbuffer256"):
        m = handled(("nop", 5), (op, 0))                 # s1 is not a buffer
        assert m.stack == [] and m.gas_used == 1 + 1 + 10
        m = handled(("newbuffer",), (op, Buffer.empty()))  # offset is not an int
        assert m.stack == []
    for op in ("setbuffer8", "setbuffer64", "setbuffer256"):
        m = handled(("nop", 7), ("nop", 5), ("nop", 1), (op, 0))   # s2 not a buffer: pops 3
        assert m.stack == [7] and m.gas_used == 1 + 1 + 1 + 1 + 100
        m = handled(("newbuffer",), ("nop", NONE), (op, 0))             # value not an int
        assert m.stack == []
    assert top_after(("newbuffer",), ("nop", MASK), ("setbuffer256", 0), ("getbuffer8", 31)) == 255


def test_setbuffer_zero_far_away_keeps_the_empty_buffer() -> None:
    # Buffer::set_many grows to the needed depth, writes, then trims: writing zeros changes nothing
    m = run(("newbuffer",), ("nop", 0), ("setbuffer8", TOP64), ("halt",))
    assert m.stack[-1].depth == 0 and value_hash(m.stack[-1]) == value_hash(Buffer.empty())


def test_buffer_json_immediates() -> None:
    # vmValueParser buffer_value_from_json: hex bytes -> Buffer::fromData (trailing zeros trimmed)
    a = value_from_json({"Buffer": "0102" + "00" * 100})
    b = Buffer.empty().set(0, 1).set(1, 2)
    assert isinstance(a, Buffer) and value_hash(a) == value_hash(b) and a.depth == 0
    big = value_from_json({"Buffer": "00" * 70 + "ff"})
    assert big.depth == 2 and big.get(70) == 0xFF
    assert value_hash(value_from_json({"Buffer": ""})) == value_hash(Buffer.empty())
    prog = program(("nop", big), ("getbuffer8", 70), ("halt",))
    m = Machine.from_program(prog)
    m.run(10)
    assert m.stack == [0xFF]


# ============================================================================ EC operations
# ecrecover vector made with eth_keys (private key 0x11..11, message keccak256("avm audit"))
_R = 0x0A2BE5612EA783911CD9DB44D7A05EEB2B2EF23757EE114EF261D453576A025D
_S = 0x0C90D2EF8522C346EDB5C5B0879F9D40070B95CF7311604C37AADF547AE45317
_MSG = int.from_bytes(keccak256(b"avm audit"), "big")
_ADDR = 0x19E7E376E7C213B7E7E7E46CC70A5DD086DAFF2A
_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


def test_ecrecover_known_vector_and_failures_push_zero() -> None:
    # parseSignature: s0 r, s1 s, s2 recovery id, s3 message; any failure gives 0 (never an error)
    assert top_after(("nop", _MSG), ("nop", 1), ("nop", _S), ("ecrecover", _R)) == _ADDR
    assert top_after(("nop", _MSG), ("nop", 0), ("nop", _S), ("ecrecover", _R)) != _ADDR
    for rec, r, s in ((2, _R, _S), (27, _R, _S), (1, 0, _S), (1, _R, 0), (1, _N, _S), (1, _R, _N)):
        assert top_after(("nop", _MSG), ("nop", rec), ("nop", s), ("ecrecover", r)) == 0
    m = handled(("nop", NONE), ("nop", 1), ("nop", _S), ("ecrecover", _R))
    assert m.stack == [] and m.gas_used == 1 + 3 + 20000


def test_ecadd_ecmul_results_and_invalid_points() -> None:
    # ec_add / ec_mul: x ends on top, y below; (0,0) is infinity; coordinate >= p or off-curve: error
    from py_ecc import bn128

    two_g = bn128.multiply(bn128.G1, 2)
    x2, y2 = int(two_g[0].n), int(two_g[1].n)
    m = run(("nop", 2), ("nop", 1), ("nop", 2), ("ecadd", 1), ("halt",))
    assert m.stack == [y2, x2] and m.gas_used == 3 + 3500 + 10
    m = run(("nop", 2), ("nop", 2), ("ecmul", 1), ("halt",))
    assert m.stack == [y2, x2]
    assert run(("nop", 0), ("nop", 0), ("nop", 0), ("ecadd", 0), ("halt",)).stack == [0, 0]
    assert run(("nop", 0), ("nop", 2), ("ecmul", 1), ("halt",)).stack == [0, 0]
    p = bn128.field_modulus
    for bad in ((1, 3), (p, 0), (0, p)):
        m = handled(("nop", 2), ("nop", 1), ("nop", bad[1]), ("ecadd", bad[0]))
        assert m.stack == [] and m.gas_used == 1 + 3 + 3500
    m = handled(("nop", 5), ("nop", 3), ("ecmul", 1))
    assert m.stack == [] and m.gas_used == 1 + 2 + 82000


def _pair_list(items: list) -> Tuple:
    out = NONE
    for it in reversed(items):
        out = Tuple((it, out))
    return out


def test_ecpairing_gas_counts_links_even_when_malformed() -> None:
    # ec_pairing_variable_gas_cost: 500000 per 2-tuple link (max 30), counted before execution, even
    # when the list turns out malformed; ec_pairing then throws bad_pop_type: the full cost stays charged
    zero = Tuple((0,) * 6)
    m = handled(("ecpairing", Tuple((zero, Tuple((zero, 5))))))
    assert m.last_error and m.stack == [] and m.gas_used == 1 + 1000 + 2 * 500_000
    m = handled(("ecpairing", Tuple((Tuple((0,) * 5), NONE))))       # item not a 6-tuple
    assert m.gas_used == 1 + 1000 + 500_000
    m = handled(("ecpairing", Tuple((1, 2, 3))))                      # not a 2-tuple: no links
    assert m.gas_used == 1 + 1000


def test_ecpairing_more_than_30_points_is_an_error_charged_30_links() -> None:
    # ec_pairing: at most max_ec_pairing_points (30) items; a 31st makes the list malformed
    zero = Tuple((0,) * 6)
    m = handled(("ecpairing", _pair_list([zero] * 31)))
    assert m.last_error and m.gas_used == 1 + 1000 + 30 * 500_000
    assert top_after(("ecpairing", _pair_list([zero] * 30))) == 1     # all-infinity pairs are skipped
    assert top_after(("ecpairing", NONE)) == 1                         # empty product is the identity


def test_ecpairing_out_of_gas_charges_5_and_sets_max() -> None:
    # runOne: gasCost includes the variable part; remaining < 1000 + k*500000 -> 5 and MAX
    # (OneStepProof.executeECPairingInsn deducts 1000 first and backs it out: same net effect)
    zero = Tuple((0,) * 6)
    m = handled(("setgas", 1000 + 500_000 - 1), ("ecpairing", _pair_list([zero])))
    assert m.last_error == "out of gas" and m.gas == MAX_GAS and m.gas_used == 1 + 1 + 5


# ============================================================================ .mexe loader
def test_mexe_internal_len_code_is_the_error_codepoint() -> None:
    # loadExecutable / value_from_json: Internal N is slot op_count - N of the reversed segment, and
    # slot 0 is the error codepoint: N == len(code) names it, as does the compiler's 2**64-1 marker
    from avm.formats.mexe import program_from_json

    doc = {"code": [{"opcode": 0x3B, "immediate": {"CodePoint": {"Internal": 2}}},
                    {"opcode": 0x74, "immediate": None}],
           "static_val": {"Tuple": [{"CodePoint": {"Internal": 2}}, {"CodePoint": {"Internal": TOP64}}]}}
    prog = program_from_json(doc)
    assert prog.code[0].imm is prog.error_codepoint
    assert all(x is prog.error_codepoint for x in prog.static.items)
    assert value_hash(prog.code[0].imm) == ERRCP


def test_ecpairing_identity_uses_real_part_first_g2_coordinates() -> None:
    # ec_pairing / toG2ArbPoint: items are (g1x, g1y, g2x.c0, g2x.c1, g2y.c0, g2y.c1), c0 the real part
    # (OneStepProof.executeECPairingInsn swaps to the precompile's imaginary-first order);
    # e(G1, G2) * e(-G1, G2) == 1 pushes 1, e(G1, G2) alone pushes 0
    from py_ecc import bn128

    x, y = bn128.G2
    g2 = (int(x.coeffs[0]), int(x.coeffs[1]), int(y.coeffs[0]), int(y.coeffs[1]))
    g1 = Tuple((1, 2, *g2))
    neg_g1 = Tuple((1, bn128.field_modulus - 2, *g2))
    assert top_after(("ecpairing", _pair_list([g1, neg_g1]))) == 1
    assert top_after(("ecpairing", _pair_list([g1]))) == 0
    off_curve = Tuple((1, 2, g2[0], g2[1], g2[2], g2[3] ^ 1))
    m = handled(("ecpairing", _pair_list([off_curve])))
    assert m.last_error == "invalid alt_bn128 point" and m.gas_used == 1 + 1000 + 500_000
