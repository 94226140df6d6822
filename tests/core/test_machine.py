"""Machine semantics: error kinds and gas, handlers, blocking inbox, send, events and run control."""

from __future__ import annotations

from machine_builders import program, run

from avm.core.buffer import Buffer
from avm.core.inbox import INITIAL_ACC, next_acc
from avm.core.keccak import ERRCP, ZERO32, keccak256
from avm.core.machine import MAX_GAS, Event, Machine, Status
from avm.core.opcodes import BY_NAME
from avm.core.values import NONE, CodePoint, Tuple, value_hash

MASK = MAX_GAS
NEG = lambda n: (-n) & MASK  # noqa: E731


def value_after(*ops: tuple) -> object:
    m = run(*ops, ("halt",))
    assert m.status == Status.HALTED, m.last_error
    return m.stack[-1]


# ------------------------------------------------------------------ arithmetic edge cases
def test_signed_division_by_zero_is_an_error_that_keeps_the_full_cost() -> None:
    m = run(("nop", 0), ("sdiv", 5))
    assert m.status == Status.ERRORSTOP
    assert m.gas_used == 1 + 7
    assert m.last_error == "division by zero"
    for op in ("div", "mod", "smod"):
        assert run(("nop", 0), (op, 5)).status == Status.ERRORSTOP
    for op in ("addmod", "mulmod"):
        assert run(("nop", 0), ("nop", 2), (op, 3)).status == Status.ERRORSTOP


def test_signed_division_by_minus_one() -> None:
    assert value_after(("nop", NEG(1)), ("sdiv", 1 << 255)) == 1 << 255   # -2^255 / -1 wraps
    assert value_after(("nop", NEG(1)), ("sdiv", 5)) == NEG(5)
    assert value_after(("nop", NEG(1)), ("smod", 1 << 255)) == 0
    assert value_after(("nop", 3), ("smod", NEG(7))) == NEG(1)           # sign of the dividend
    assert value_after(("nop", NEG(3)), ("sdiv", 7)) == NEG(2)          # truncates toward zero


def test_shifts_by_256_and_more() -> None:
    assert value_after(("nop", 1), ("shl", 256)) == 0
    assert value_after(("nop", MASK), ("shr", 1 << 200)) == 0
    assert value_after(("nop", NEG(16)), ("sar", 256)) == MASK
    assert value_after(("nop", 16), ("sar", 300)) == 0
    assert value_after(("nop", NEG(16)), ("sar", 2)) == NEG(4)
    assert value_after(("nop", 1), ("shl", 255)) == 1 << 255


def test_signextend_and_byte_out_of_range() -> None:
    assert value_after(("nop", 0xFF), ("signextend", 0)) == MASK
    assert value_after(("nop", 0x7F), ("signextend", 0)) == 0x7F
    assert value_after(("nop", 0x1FF), ("signextend", 31)) == 0x1FF     # s0 >= 31: unchanged
    assert value_after(("nop", 0x80), ("signextend", 1 << 200)) == 0x80
    assert value_after(("nop", 0xAB << 248), ("byte", 0)) == 0xAB
    assert value_after(("nop", 0xAB), ("byte", 31)) == 0xAB
    assert value_after(("nop", MASK), ("byte", 32)) == 0


def test_exp_overflow_wraps() -> None:
    assert value_after(("nop", 256), ("exp", 2)) == 0
    assert value_after(("nop", 300), ("exp", 3)) == pow(3, 300, 1 << 256)
    assert value_after(("nop", 0), ("exp", 0)) == 1


def test_comparisons_and_eq_on_mixed_kinds() -> None:
    assert value_after(("nop", 2), ("lt", 1)) == 1          # s0 < s1
    assert value_after(("nop", NEG(1)), ("slt", 1)) == 0
    assert value_after(("nop", NONE), ("eq", 0)) == 0       # different kinds: 0, no error
    assert value_after(("nop", Tuple((1,))), ("eq", Tuple((1,)))) == 1
    assert value_after(("nop", 5), ("sub", 7)) == 2          # s0 - s1


# ------------------------------------------------------------------ tuples
def test_tget_tset_out_of_range_are_errors() -> None:
    t = Tuple((1, 2, 3))
    assert value_after(("nop", t), ("tget", 2)) == 3
    assert run(("nop", t), ("tget", 3)).status == Status.ERRORSTOP
    assert run(("nop", t), ("tget", 1 << 64)).status == Status.ERRORSTOP
    assert run(("nop", 5), ("tget", 0)).status == Status.ERRORSTOP
    new = value_after(("nop", 9), ("nop", t), ("tset", 1))
    assert isinstance(new, Tuple) and new.items == (1, 9, 3)
    m = run(("nop", 9), ("nop", t), ("tset", 3))
    assert m.status == Status.ERRORSTOP and m.gas_used == 2 + 40


def test_semantic_error_with_handler_cleans_the_pops() -> None:
    # errset handler (code[5] = halt), then tset with a bad index: 3 pops cleaned, 1 item stays
    m = run(("errset", "@5"), ("nop", 7), ("nop", 9), ("nop", Tuple((1,))), ("tset", 5), ("halt",), steps=5)
    assert m.status == Status.EXTENSIVE
    assert m.pc.index == 5
    assert m.stack == [7]
    assert m.gas_used == 1 + 1 + 1 + 1 + 40


# ------------------------------------------------------------------ buffers at the 2^64 boundary
def test_buffer_offsets_at_the_2_64_boundary() -> None:
    top = (1 << 64) - 1
    buf = Buffer.empty()
    assert value_after(("nop", buf), ("getbuffer8", top)) == 0
    assert run(("nop", buf), ("getbuffer8", top + 1)).status == Status.ERRORSTOP
    assert value_after(("nop", buf), ("getbuffer64", top - 7)) == 0
    assert run(("nop", buf), ("getbuffer64", top - 6)).status == Status.ERRORSTOP
    assert value_after(("nop", buf), ("getbuffer256", top - 31)) == 0
    assert run(("nop", buf), ("getbuffer256", top - 30)).status == Status.ERRORSTOP
    written = value_after(("nop", buf), ("nop", 0xAB), ("setbuffer8", top))
    assert isinstance(written, Buffer) and written.get(top) == 0xAB and written.depth == 59
    assert run(("nop", buf), ("nop", 256), ("setbuffer8", 0)).status == Status.ERRORSTOP
    assert run(("nop", buf), ("nop", 1 << 64), ("setbuffer64", 0)).status == Status.ERRORSTOP
    assert run(("nop", buf), ("nop", 1), ("setbuffer256", top - 30)).status == Status.ERRORSTOP
    w = value_after(("nop", buf), ("nop", MASK), ("setbuffer256", top - 31))
    assert w.get_bytes(top - 31, 32) == b"\xff" * 32
    back = value_after(("nop", buf), ("nop", 0x0102030405060708), ("setbuffer64", 30), ("getbuffer64", 30))
    assert back == 0x0102030405060708


# ------------------------------------------------------------------ the three gas-charging kinds
def test_underflow_without_handler_charges_5() -> None:
    m = run(("add",))
    assert m.status == Status.ERRORSTOP
    assert m.gas_used == 5 and m.gas == MAX_GAS - 5
    assert m.machine_hash() == (1).to_bytes(32, "big")
    assert m.last_error == "data stack underflow"


def test_underflow_with_handler_pops_what_exists() -> None:
    m = run(("errset", "@3"), ("nop", 1), ("add",), ("halt",), steps=3)
    assert m.status == Status.EXTENSIVE and m.pc.index == 3
    assert m.stack == [] and m.gas_used == 1 + 1 + 5
    m = run(("auxpop",))
    assert m.status == Status.ERRORSTOP and m.last_error == "aux stack underflow"


def test_underflow_is_checked_before_gas_and_sets_max_below_5() -> None:
    m = run(("errset", "@3"), ("setgas", 2), ("add",), ("halt",), steps=3)
    assert m.gas == MAX_GAS and m.gas_used == 1 + 1 + 5
    assert m.last_error == "data stack underflow"


def test_out_of_gas_on_an_ordinary_op() -> None:
    m = run(("errset", "@4"), ("nop", 1), ("setgas", 2), ("add", 1), ("halt",), steps=4)
    assert m.last_error == "out of gas"
    assert m.gas == MAX_GAS
    assert m.gas_used == 1 + 1 + 1 + 5
    assert m.stack == [] and m.pc.index == 4


def test_invalid_opcode_with_an_immediate_keeps_the_immediate() -> None:
    m = run(("errset", "@2"), (0x71, 7), ("halt",), steps=2)
    assert m.status == Status.EXTENSIVE and m.pc.index == 2
    assert m.stack == [7]
    assert m.gas_used == 1 + 5
    assert m.last_error == "invalid opcode 0x71"


def test_running_off_the_end_executes_the_error_codepoint() -> None:
    m = run(("nop",))
    assert m.status == Status.ERRORSTOP and m.steps == 2 and m.gas_used == 1 + 5


def test_error_inside_the_handler_loops_back() -> None:
    m = run(("errset", "@2"), ("error",), ("error",), steps=10)
    assert m.status == Status.EXTENSIVE
    assert m.pc.index == 2 and m.steps == 10
    assert m.gas_used == 1 + 9 * 5


def test_setgas_and_pushgas() -> None:
    m = run(("setgas", 100), ("pushgas",), ("halt",))
    assert m.stack == [99] and m.gas_used == 1 + 1 + 10


# ------------------------------------------------------------------ inbox
def test_blocking_inbox_changes_nothing() -> None:
    m = Machine.from_program(program(("nop", 1), ("inbox", 5), ("halt",)))
    m.step()
    before = (m.machine_hash(), m.gas, m.gas_used, m.steps, list(m.stack))
    events = m.run(10)
    assert events & Event.BLOCKED
    assert (m.machine_hash(), m.gas, m.gas_used, m.steps, list(m.stack)) == before
    assert m.blocked and m.pc.index == 1


def test_inbox_reads_messages_in_order_and_updates_the_accumulator() -> None:
    msg = Tuple((1, 2))
    m = Machine.from_program(program(("inbox",), ("inbox",), ("halt",)), inbox=[msg, 7])
    seen = []
    m.on_event = lambda ev, payload: seen.append((ev, payload))
    m.run(10)
    assert m.status == Status.HALTED
    assert m.stack == [msg, 7]
    assert m.inbox_count == 2
    assert m.inbox_acc == next_acc(next_acc(INITIAL_ACC, msg), 7)
    assert [e for e, _ in seen] == [Event.INBOX, Event.INBOX]


# ------------------------------------------------------------------ send
def test_send_rules() -> None:
    buf = Buffer.from_bytes(b"\x01\x02\x03")
    m = Machine.from_program(program(("nop", buf), ("send", 3), ("halt",)))
    sends = []
    m.on_event = lambda ev, payload: sends.append(payload) if ev == Event.SEND else None
    m.run(10)
    assert m.status == Status.HALTED and sends == [b"\x01\x02\x03"]
    assert m.send_count == 1 and m.send_acc == keccak256(ZERO32 + keccak256(b"\x01\x02\x03"))
    padded = run(("nop", buf), ("send", 5), ("halt",))
    assert padded.status == Status.HALTED
    assert padded.send_acc == keccak256(ZERO32 + keccak256(b"\x01\x02\x03\x00\x00"))
    assert run(("nop", buf), ("send", 2)).status == Status.ERRORSTOP        # longer than the size
    assert run(("nop", Buffer.empty()), ("send", 0)).status == Status.ERRORSTOP
    assert run(("nop", Buffer.empty()), ("send", 10_001)).status == Status.ERRORSTOP
    assert run(("nop", Buffer.empty()), ("send", 10_000), ("halt",)).status == Status.HALTED
    assert run(("nop", 5), ("send", 1)).status == Status.ERRORSTOP
    assert run(("nop", Buffer.empty()), ("send", 1 << 64)).status == Status.ERRORSTOP


# ------------------------------------------------------------------ events and run control
def test_log_debugprint_breakpoint_and_sideload_events() -> None:
    m = Machine.from_program(program(("log", 5), ("debugprint", 6), ("breakpoint",), ("sideload", 9),
                                     ("halt",)))
    seen = []
    m.on_event = lambda ev, payload: seen.append((Event(ev), payload))
    assert m.step() & Event.LOG
    assert m.step() & Event.DEBUGPRINT
    assert m.step() & Event.BREAKPOINT
    assert m.step() & Event.SIDELOAD
    assert m.step() & Event.HALT
    assert [e for e, _ in seen][:2] == [Event.LOG, Event.DEBUGPRINT]
    assert seen[0][1] == 5 and seen[1][1] == 6
    assert m.log_count == 1 and m.log_acc == keccak256(ZERO32 + value_hash(5))
    assert m.stack == [NONE]
    assert m.gas_used == 100 + 1 + 100 + 10 + 10


def test_run_limits_stop_at_and_stop_events() -> None:
    prog = program(("nop",), ("nop",), ("log", 1), ("nop",), ("halt",))
    m = Machine.from_program(prog)
    assert m.run(2) & Event.LIMIT and m.steps == 2
    m = Machine.from_program(prog)
    ev = m.run(100, stop_at={prog.code[3]})
    assert ev & Event.STOP_AT and m.pc is prog.code[3] and m.steps == 3
    assert m.run(100, stop_at={prog.code[3]}) & Event.HALT      # not checked before the first
    m = Machine.from_program(prog)
    ev = m.run(100, stop_events=Event.LOG)
    assert ev & Event.LOG and m.steps == 3
    assert m.run(5) == Event.NONE or m.status == Status.HALTED
    assert m.run(5) == Event.NONE


def test_step_and_run_agree_and_clone_is_independent() -> None:
    prog = program(("nop", 3), ("dup0",), ("add",), ("auxpush",), ("auxpop",), ("swap1", 4), ("mul",),
                   ("halt",))
    a = Machine.from_program(prog)
    b = Machine.from_program(prog)
    a.run(100)
    while b.status == Status.EXTENSIVE:
        snap = b.clone()
        b.step()
        assert snap.steps == b.steps - 1
    assert (a.stack, a.gas_used, a.steps) == (b.stack, b.gas_used, b.steps) == ([24], 21, 8)
    c = Machine.from_program(prog)
    c.run(2)
    d = c.clone()
    d.run(100)
    assert c.stack == [3, 3] and c.steps == 2


def test_errcodepoint_and_pushinsn_build_code() -> None:
    m = run(("errcodepoint",), ("pushinsn", 0x74), ("jump",))
    assert m.status == Status.HALTED and m.steps == 4
    m = run(("errcodepoint",), ("halt",))
    cp = m.stack[-1]
    assert isinstance(cp, CodePoint) and value_hash(cp) == ERRCP
    m = run(("errcodepoint",), ("nop", 5), ("pushinsnimm", 0x3B), ("halt",))
    made = m.stack[-1]
    assert made.op == 0x3B and made.imm == 5 and value_hash(made.next) == ERRCP


def test_type_mismatches_are_errors_with_the_full_cost() -> None:
    m = run(("nop", NONE), ("add", 1))
    assert m.status == Status.ERRORSTOP and m.gas_used == 1 + 3
    assert run(("jump", 5)).status == Status.ERRORSTOP
    assert run(("errset", 5)).status == Status.ERRORSTOP
    assert run(("nop", 1), ("cjump", 5)).status == Status.ERRORSTOP
    assert run(("keccakf", Tuple((1, 2)))).status == Status.ERRORSTOP
    assert run(("ecpairing", Tuple((1,)))).status == Status.ERRORSTOP
    assert run(("nop", 0), ("nop", 1), ("nop", 3), ("ecadd", 1)).status == Status.ERRORSTOP
    assert value_after(("nop", 0), ("nop", 0), ("nop", 0), ("ecrecover", 0)) == 0


def test_keccakf_and_sha256f_follow_the_reference_packing() -> None:
    import hashlib

    from avm.core.arith import SHA256_IV

    block = b"abc" + b"\x80" + bytes(52) + (24).to_bytes(8, "big")
    got = value_after(("nop", int.from_bytes(block[32:], "big")), ("nop", int.from_bytes(block[:32], "big")),
                      ("sha256f", SHA256_IV))
    assert got.to_bytes(32, "big") == hashlib.sha256(b"abc").digest()
    # keccak256("") via the permutation: state byte 0 = 1, byte 135 = 0x80, little-endian packing
    state = bytearray(200)
    state[0], state[135] = 0x01, 0x80
    ints = [int.from_bytes(state[32 * j:32 * j + 32], "little") for j in range(6)]
    ints.append(int.from_bytes(state[192:200], "little"))
    out = value_after(("keccakf", Tuple(tuple(ints))))
    assert out.items[0].to_bytes(32, "little") == keccak256(b"")


def test_random_programs_never_raise() -> None:
    import random

    rng = random.Random(2024)
    top = (1 << 64) - 1
    ints = [0, 1, 2, 7, 31, 32, 255, 256, top, top + 1, 1 << 255, MASK, 10_000, 10_001]
    pool = ints + [NONE, Tuple((1, 2, 3)), Tuple((NONE, 5)), Buffer.empty(), Buffer.empty().set(40, 9),
                   Tuple((Tuple((1, 2, 0, 0, 0, 0)), NONE))]
    opcodes = [info.code for info in BY_NAME.values() if info.code not in (0x80, 0x81, 0x82, 0x83)]
    opcodes += [0x00, 0x71, 0x7A, 0xFF]
    for _ in range(300):
        ops = []
        for _ in range(rng.randrange(1, 30)):
            op = rng.choice(opcodes)
            imm = rng.choice(pool) if rng.random() < 0.5 else None
            if rng.random() < 0.1:
                imm = "@err"
            ops.append((op, imm))
        m = Machine.from_program(program(*ops, static=rng.choice(pool), inbox=[rng.choice(pool)]))
        m.run(300)
        clone = m.clone()
        assert len(m.machine_hash()) == 32 and clone.machine_hash() == m.machine_hash()
