"""One-step proof export: byte-exact against every reference proof, and hand-built cases the corpus
lacks (inbox, send, log, errors, out of gas, underflow, buffer edge cases), each accepted by the
independent verifier with the machine's own after state."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from avm.core.buffer import Buffer
from avm.core.inbox import INITIAL_ACC, next_acc
from avm.core.keccak import ERRCP, ZERO32, keccak256
from avm.core.machine import MAX_GAS, Machine, Status
from avm.core.opcodes import BY_NAME
from avm.core.program import Program, link_code
from avm.core.values import NONE, Tuple
from avm.errors import UserError
from avm.formats.mexe import load_mexe
from avm.proofs.decode import decode_buffer_proof, decode_proof
from avm.proofs.export import assertion_state, make_proof, make_proof_entry, proof_bytes, prove_and_step
from avm.proofs.proof_file import entry_from_json, load_proofs
from avm.proofs.verifier import execute_step, verify_entry

M64 = (1 << 64) - 1


# ---------------------------------------------------------------------------------------------------
# byte-exact replay of the reference corpus


def _proof_files(conformance_dir: Path) -> list[Path]:
    files = sorted((conformance_dir / "proofs").glob("*-proofs.json"))
    assert files, "no reference proof files"
    return files


def test_every_reference_entry_is_reproduced_byte_for_byte(conformance_dir: Path, report_summary) -> None:
    total = 0
    for path in _proof_files(conformance_dir):
        exe = conformance_dir / "executables" / path.name.replace("-proofs.json", "")
        reference = load_proofs(path)
        machine = Machine.from_program(load_mexe(exe))
        for i, ref in enumerate(reference):
            where = f"{path.name} entry {i}"
            got = prove_and_step(machine, i)
            assert got.proof == ref.proof, f"{where}: Proof differs"
            assert got.buffer_proof == ref.buffer_proof, f"{where}: BufferProof differs"
            assert got.before == ref.before, f"{where}: beforeState differs"
            assert got.after == ref.after, f"{where}: afterState differs"
            total += 1
        # the reference stops where the machine stops (halt, error stop or a blocked inbox)
        assert machine.status != Status.EXTENSIVE or machine.blocked, path.name
    assert total >= 400
    report_summary(f"proofs: {total}/{total} reference entries reproduced byte for byte "
                   "(Proof, BufferProof, Assertion)")


def test_export_does_not_change_the_machine(conformance_dir: Path) -> None:
    path = conformance_dir / "proofs" / "opcodetestcode.mexe-proofs.json"
    reference = load_proofs(path)
    machine = Machine.from_program(load_mexe(conformance_dir / "executables" / "opcodetestcode.mexe"))
    for i, ref in enumerate(reference):
        state = assertion_state(machine)
        pc, stack, aux = machine.pc, list(machine.stack), list(machine.aux)
        doc = make_proof_entry(machine, i, "opcodetestcode.mexe")
        assert assertion_state(machine) == state and machine.pc is pc
        assert machine.stack == stack and machine.aux == aux and machine.steps == i
        entry = entry_from_json(doc)
        assert (entry.proof, entry.buffer_proof, entry.before, entry.after) == \
            (ref.proof, ref.buffer_proof, ref.before, ref.after)
        assert doc["step"] == i and doc["program"] == "opcodetestcode.mexe"
        assert doc["opcode"] == BY_NAME[doc["opcode"]].mnemonic
        machine.step()


# ---------------------------------------------------------------------------------------------------
# hand-built programs


def program(*ops: tuple) -> Program:
    """ops: (mnemonic or opcode number, immediate?); an immediate "@k" is code[k] (k after the op),
    "@err" the error codepoint."""
    code, err = link_code([(BY_NAME[o].code if isinstance(o, str) else o, None) for o, *_ in ops])
    for i, (cp, (_, *rest)) in enumerate(zip(code, ops, strict=True)):
        imm = rest[0] if rest else None
        if isinstance(imm, str) and imm.startswith("@"):
            target = len(code) if imm == "@err" else int(imm[1:])
            assert target > i, "immediates may only refer forward"
            imm = code[target] if target < len(code) else err
        cp.imm = imm
    return Program(code=code, error_codepoint=err, static=NONE, locations=[None] * len(code))


def prove_run(*ops: tuple, inbox: list | None = None, limit: int = 200) -> list:
    """Export and verify every step; returns [(machine before, entry, outcome)]."""
    m = Machine.from_program(program(*ops), inbox)
    results = []
    while m.status == Status.EXTENSIVE and not m.blocked and len(results) < limit:
        before = m.clone()
        entry = make_proof(m, m.steps)
        result = verify_entry(entry)
        assert result.ok, f"step {m.steps} ({entry.extras['opcode']}): {result.reason}"
        m.step()
        # the verifier's after hash is the machine's after hash
        assert result.outcome is not None and result.outcome.after_hash == m.machine_hash()
        assert entry.after == assertion_state(m)
        results.append((before, entry, result.outcome))
    return results


def step_of(results: list, opcode: str, nth: int = 0) -> tuple:
    code = BY_NAME[opcode].code if opcode in BY_NAME else int(opcode, 16)
    found = [r for r in results if r[1].proof[0] == code]
    return found[nth]


def test_inbox_read_proof_carries_the_message() -> None:
    msg = Tuple((3, 1234, 99, 0xABC, 0, 0, 5, Buffer.from_bytes(b"hello")))
    results = prove_run(("inbox",), ("inbox",), ("halt",), inbox=[msg, 7])
    _, first, out = results[0]
    assert out.messages_read == 1 and first.after.inbox_count == 1
    assert first.after.inbox_acc == next_acc(INITIAL_ACC, msg)
    # the message follows the immediate flag, as a tuple of its eight slots
    assert decode_proof(first.proof).extra[0] == 3 + 8
    _, second, out = results[1]
    assert out.messages_read == 2 and second.after.inbox_acc == next_acc(next_acc(INITIAL_ACC, msg), 7)


@pytest.mark.parametrize("inbox", [[5], []])
def test_inbox_out_of_gas_carries_no_message(inbox: list) -> None:
    # with too little gas, inbox is an out-of-gas error even with no message left (not a block)
    results = prove_run(("setgas", 30), ("inbox",), inbox=inbox)
    _, entry, out = step_of(results, "inbox")
    assert out.error and out.messages_read == 0 and decode_proof(entry.proof).extra == b""


def test_inbox_with_no_message_left_cannot_be_proved() -> None:
    m = Machine.from_program(program(("inbox",), ("halt",)), [])
    with pytest.raises(UserError, match="blocked"):
        make_proof(m)


def test_send_with_payload() -> None:
    results = prove_run(("newbuffer",), ("nop", 0xAB), ("setbuffer8", 3), ("send", 9), ("halt",))
    _, entry, out = step_of(results, "send")
    payload = bytes(3) + b"\xab" + bytes(5)
    assert decode_proof(entry.proof).extra == payload and entry.buffer_proof == b""
    assert out.sends == 1 and not out.error
    assert entry.after.send_acc == keccak256(ZERO32 + keccak256(payload)) and entry.after.send_count == 1


def test_send_of_a_buffer_longer_than_the_size_needs_a_buffer_proof() -> None:
    results = prove_run(("newbuffer",), ("nop", 0xAB), ("setbuffer8", 70), ("send", 5))
    _, entry, out = step_of(results, "send")
    assert out.error and out.status == "errorstop" and out.sends == 0
    bp = decode_buffer_proof(entry.buffer_proof)
    assert bp is not None and len(bp.proof1) == 3 and not bp.nproof1


@pytest.mark.parametrize("ops", [
    (("newbuffer",), ("send", 0)),                       # size 0
    (("newbuffer",), ("send", 10_001)),                  # above the limit: nothing attached
    (("newbuffer",), ("send", (1 << 64) + 4)),           # size not 64-bit (the reference truncates)
    (("nop", 5), ("send", 4)),                           # not a buffer
    (("send",),),                                        # underflow
])
def test_send_errors(ops: tuple) -> None:
    results = prove_run(*ops)
    assert results[-1][2].error and results[-1][2].sends == 0


def test_log() -> None:
    results = prove_run(("log", 42), ("log", Tuple((1, 2))), ("halt",))
    _, entry, out = results[1]
    assert out.logs == 1 and entry.after.log_count == 2


def test_error_with_and_without_handler() -> None:
    with_handler = prove_run(("errset", "@3"), ("nop", 1), ("error",), ("halt",))
    _, entry, out = step_of(with_handler, "error")
    assert out.error and out.status == "extensive"
    assert with_handler[-1][1].proof[0] == BY_NAME["halt"].code
    without = prove_run(("nop", 1), ("error",))
    assert without[-1][2].error and without[-1][2].status == "errorstop"
    assert without[-1][1].after.machine_hash == (1).to_bytes(32, "big")


def test_out_of_gas_on_an_ordinary_op() -> None:
    results = prove_run(("setgas", 3), ("nop", 2), ("nop", 3), ("exp",), ("halt",))
    m, entry, out = step_of(results, "exp")
    assert out.error and out.note == "out of gas" and out.gas == 5
    assert out.status == "errorstop"
    handled = prove_run(("errset", "@4"), ("setgas", 2), ("nop", 2), ("exp", 9), ("halt",))
    m, entry, out = step_of(handled, "exp")
    assert out.gas == 5 and out.status == "extensive"
    assert decode_proof(entry.proof).gas < 25


def test_ecpairing_out_of_gas_charges_only_the_error() -> None:
    item = Tuple((0, 0, 0, 0, 0, 0))
    pairs = Tuple((item, Tuple((item, NONE))))
    results = prove_run(("errset", "@3"), ("setgas", 600_000), ("ecpairing", pairs), ("halt",))
    _, entry, out = step_of(results, "ecpairing")
    assert out.error and out.gas == 5 and entry.after.gas_used - entry.before.gas_used == 5
    ok = prove_run(("ecpairing", NONE), ("halt",))      # no pairs: the empty product is the identity
    assert step_of(ok, "ecpairing")[2].gas == 1000


def test_invalid_opcode_with_an_immediate() -> None:
    handled = prove_run(("errset", "@2"), (0x71, 5), ("halt",))
    m, entry, out = step_of(handled, "0x71")
    d = decode_proof(entry.proof)
    assert d.stack_count == 1 and d.immediate_flag == 1 and out.error and out.gas == 5
    # error with a handler keeps the immediate of a zero-pop opcode on the stack
    assert handled[-1][0].stack == [5]
    stopped = prove_run((0x7A, Tuple((1, 2))))
    assert stopped[-1][2].status == "errorstop"


def test_data_and_aux_underflow() -> None:
    for ops in ((("add",),), (("add", 1),), (("auxpop",),), (("xget", 0),), (("nop", 1), ("swap2",))):
        results = prove_run(*ops)
        out = results[-1][2]
        assert out.error and out.gas == 5 and out.status == "errorstop", ops
    handled = prove_run(("errset", "@3"), ("nop", 7), ("dup2",), ("halt",))
    m, entry, out = step_of(handled, "dup2")
    assert out.error and decode_proof(entry.proof).stack_count == 1
    assert handled[-1][0].stack == []      # the one value present was popped by the cleanup


def test_stack_and_control_opcodes() -> None:
    prove_run(("pcpush",), ("errpush",), ("errcodepoint",), ("pushinsn", 0x3B), ("stackempty", 3),
              ("auxstackempty",), ("auxpush", 9), ("auxstackempty",), ("xget", 0), ("pop",),
              ("nop", Tuple((1, Tuple((2, 3))))), ("auxpush",), ("xset", 1), ("spush",), ("rpush",),
              ("sideload", 0), ("breakpoint",), ("debugprint", 4), ("nop", 1), ("tlen", Tuple((1, 2))),
              ("halt",))


def test_pushinsnimm_and_jump_to_built_code() -> None:
    # built: nop -> halt (with the immediate (5, 3)) -> error codepoint
    results = prove_run(("errcodepoint",), ("nop", Tuple((5, 3))), ("pushinsnimm", 0x74),
                        ("pushinsn", 0x3B), ("jump",))
    assert [r[1].proof[0] for r in results[-2:]] == [BY_NAME["nop"].code, BY_NAME["halt"].code]
    assert decode_proof(results[-1][1].proof).immediate_flag == 1
    assert results[-1][2].status == "halted"


def _buffer_ops(fill_offsets: list[int]) -> list[tuple]:
    ops: list[tuple] = [("newbuffer",)]
    for k, off in enumerate(fill_offsets):
        ops += [("nop", k + 1), ("setbuffer8", off)]
    return ops


@pytest.mark.parametrize("tail", [
    [("getbuffer64", 60)],                         # spans two chunks
    [("getbuffer256", 5)],
    [("getbuffer256", 10_000)],                   # beyond the tree
    [("getbuffer8", 1 << 40)],
    [("nop", (1 << 64) - 1), ("setbuffer256", 48)],   # spans two chunks
    [("nop", 0), ("setbuffer8", 100)],            # zero write that shrinks the buffer
    [("nop", 0), ("setbuffer64", 96)],
    [("nop", 0xFF), ("setbuffer8", M64)],         # the last byte of the address space
    [("nop", 0), ("setbuffer8", 1 << 50)],        # zero write beyond the tree: no change
    [("getbuffer64", M64 - 6)],                   # out of range: error, proofs still attached
    [("nop", 1), ("setbuffer64", M64 - 3)],       # out of range, the reference's offsets wrap
    [("nop", 256), ("setbuffer8", 4)],            # value too big: error, the proof writes 256 & 255
    [("nop", 1 << 64), ("setbuffer64", 4)],
    [("getbuffer8", 1 << 64)],                    # offset not 64-bit: header only
    [("nop", NONE), ("setbuffer8", 4)],           # value not an int: header only
    [("pop",), ("nop", 3), ("getbuffer8", 0)],    # not a buffer: header only
    [("setgas", 50), ("nop", 1), ("setbuffer8", 7)],   # out of gas: the buffer proof is still there
])
def test_buffer_edge_cases(tail: list[tuple]) -> None:
    results = prove_run(*_buffer_ops([0, 100, 127]), *tail, ("halt",))
    # every buffer opcode that does not underflow carries a buffer proof (at least its header)
    _, entry, _ = step_of(results, tail[-1][0])
    assert decode_buffer_proof(entry.buffer_proof) is not None


def test_buffer_underflow_has_no_buffer_proof() -> None:
    results = prove_run(("nop", 4), ("getbuffer8",))
    assert results[-1][2].error and results[-1][1].buffer_proof == b""


def test_verifier_and_machine_agree_on_the_proof_layout() -> None:
    """Underflow marshals the present items at depth 0 but the immediate at its own depth."""
    m = Machine.from_program(program(("tget", 0)), [])
    proof, bproof = proof_bytes(m)
    d = decode_proof(proof)
    assert d.stack_count == 1 and d.stack_values[0].kind == 0 and bproof == b""
    out = execute_step(proof, bproof, ZERO32, ZERO32)
    assert out.error and out.status == "errorstop" and out.gas == 5
    assert decode_proof(proof).err_handler == ERRCP
    assert MAX_GAS == d.gas


def test_zero_write_shrinks_the_buffer() -> None:
    results = prove_run(*_buffer_ops([0, 100]), ("nop", 0), ("setbuffer8", 100), ("halt",))
    _, entry, out = step_of(results, "setbuffer8", 2)
    bp = decode_buffer_proof(entry.buffer_proof)
    assert bp is not None and len(bp.proof1) == 3            # depth 2 before the write
    assert int.from_bytes(bp.nproof1[0], "big") == 0          # a single chunk after it
    assert not out.error


# ---------------------------------------------------------------------------------------------------
# differential: random programs, every step exported by the machine and checked by the verifier

_OPS_POOL = [c for c in BY_NAME.values() if c.code not in (0x23, 0x80, 0x81, 0x82, 0x83)]


def _random_value(rng: random.Random, depth: int = 0) -> object:
    k = rng.randrange(10)
    if k < 4:
        return rng.choice([0, 1, 3, 31, 32, 255, 256, M64, 1 << 64, (1 << 256) - 1, rng.randrange(1 << 256)])
    if k < 6 and depth < 3:
        return Tuple(tuple(_random_value(rng, depth + 1) for _ in range(rng.randrange(4))))
    if k < 8:
        return rng.choice([Buffer.from_bytes(bytes(range(1, 40))), Buffer.empty().set(1000, 7),
                           Buffer.empty()])
    return NONE


def _random_offset(rng: random.Random) -> int:
    return rng.choice([rng.randrange(140), rng.randrange(5000), rng.randrange(1 << 64),
                       M64 - rng.randrange(40), (1 << 64) + 1])


@pytest.mark.parametrize("seed", range(8))
def test_random_programs_prove_and_verify(seed: int) -> None:
    rng = random.Random(seed)
    steps = 0
    for _ in range(60):
        n = rng.randrange(4, 24)
        ops: list[tuple] = [("errset", f"@{rng.randrange(1, n)}")] if rng.random() < 0.7 else []
        while len(ops) < n:
            info = rng.choice(_OPS_POOL)
            if info.category == "buffer" and info.mnemonic != "newbuffer":
                ops += [("newbuffer",), ("nop", rng.randrange(300)), (info.mnemonic, _random_offset(rng))]
            elif rng.random() < 0.4:
                ops.append((info.mnemonic, _random_value(rng)))
            else:
                ops.append((info.mnemonic,))
        inbox = [_random_value(rng) for _ in range(rng.randrange(3))]
        steps += len(prove_run(*ops, inbox=inbox, limit=80))
    assert steps > 300
