"""One-step proof export: the ``Proof`` and ``BufferProof`` bytes for the next step of a machine, and
the Assertion (before/after state), byte for byte as the reference emulator emits them
(``MachineState::marshalForProof`` and ``marshalBufferProof``).

The proof reveals only what the instruction touches: the popped values (at the opcode's marshal depths,
deepest first, the immediate last), the pre-images of the stacks below them, register and static at
depth 0, gas, the error handler's hash and the immediate flag. Buffer opcodes add Merkle proofs of the
chunks they read or write; ``send`` appends its payload to the ``Proof``.

``inbox``: a message of an L1 inbox (``avm.core.l1_inbox``) is appended in the exact layout of
``OneStepProof.incrementInbox`` (message, batch number, delayed flag, accumulator, rest of the batch, end
marker); a raw-value message follows avm-debug's convention, marshaled at depth 1 (no L1 proof exists
for it). Nothing is appended when the step runs out of gas; see ``avm.proofs.verifier``.

Nothing here mutates the machine it is given: the after state comes from a ``clone()``. The cost is
that of one step plus hashing what the proof reveals (the stack pre-images come from the machine's
per-depth cache), so exporting a step deep in a long run takes milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from avm.core.buffer import Buffer
from avm.core.keccak import ZERO32, be32
from avm.core.l1_inbox import l1_model
from avm.core.machine import Event, Machine, Status
from avm.core.opcodes import (
    BUFFER_READ_WIDTH,
    BUFFER_WRITE_WIDTH,
    GAS,
    OPCODES,
    SEND_SIZE_LIMIT,
    Op,
    ProofExtra,
    aux_pops_for_proof,
    mnemonic,
    pops_for_proof,
)
from avm.core.values import Value, value_hash
from avm.errors import UserError
from avm.proofs.marshal import marshal_for_proof
from avm.proofs.proof_file import AssertionState, ProofEntry

MASK64 = (1 << 64) - 1
INBOX_MESSAGE_DEPTH = 1


def assertion_state(m: Machine) -> AssertionState:
    """The Assertion fields of a machine state."""
    return AssertionState(m.machine_hash(), m.inbox_acc, m.inbox_count, m.gas_used, m.send_count,
                          m.log_count, m.send_acc, m.log_acc)


def can_prove(m: Machine) -> str | None:
    """Why the next step of ``m`` cannot be proved (None when it can)."""
    if m.status == Status.HALTED:
        return "the machine has halted: there is no next step to prove"
    if m.status == Status.ERRORSTOP:
        return "the machine is in ErrorStop: there is no next step to prove"
    if m.blocked:
        return "the machine is blocked on inbox (no message left): there is no step to prove"
    return None


def _header(sz1: int, sz2: int, sz3: int, sz4: int) -> bytes:
    """The BufferProof header: word indices of the four sections (sizes in bytes), then zero padding."""
    b = [1]
    for sz in (sz1, sz2, sz3, sz4):
        b.append(b[-1] + sz // 32)
    return bytes(x & 0xFF for x in b) + bytes(27)


def _sections(*parts: bytes) -> bytes:
    padded = list(parts) + [b""] * (4 - len(parts))
    return _header(*(len(p) for p in padded)) + b"".join(padded)


def _set_buffer_proof(buf: Buffer, loc: int, v: int, width: int) -> bytes:
    """``makeSetBufferProof``: write ``width`` bytes of ``v`` big-endian at ``loc`` one byte at a time."""
    new = buf
    mid = buf
    aligned = True
    for i in range(width):
        pos = (loc + i) & MASK64
        if pos % 32 == 0 and i > 0:
            mid = new
            aligned = False
        new = new.set(pos, (v >> (8 * (width - 1 - i))) & 0xFF)
    proof1 = buf.proof_bytes(loc)
    if aligned:
        return _sections(proof1, new.normalization_bytes())
    proof2 = mid.proof_bytes((loc + width - 1) & MASK64)
    return _sections(proof1, mid.normalization_bytes(), proof2, new.normalization_bytes())


def _buffer_parts(m: Machine) -> tuple[bytes, bytes]:
    """(extra Proof bytes, BufferProof bytes) for the current instruction (``marshalBufferProof``)."""
    cp = m.pc
    op = cp.op
    has_imm = cp.imm is not None
    stack = m.stack

    def s(i: int) -> Value:
        return stack[-1 - i]

    if op == Op.SEND:
        buf = s(0) if has_imm else s(1)
        size = cp.imm if has_imm else s(0)
        if type(buf) is not Buffer or type(size) is not int:
            return b"", b""
        loc = size & MASK64
        if loc > SEND_SIZE_LIMIT:
            return b"", b""
        if loc < buf.data_length():
            return b"", _sections(buf.proof_bytes(loc))
        return buf.get_bytes(0, loc), b""
    if op in BUFFER_READ_WIDTH:
        width = BUFFER_READ_WIDTH[op]
        buf = s(0) if has_imm else s(1)
        offset = cp.imm if has_imm else s(0)
        if type(buf) is not Buffer or type(offset) is not int or offset > MASK64:
            return b"", _header(0, 0, 0, 0)
        if width == 1:
            return b"", _sections(buf.proof_bytes(offset))
        return b"", _sections(buf.proof_bytes(offset), b"", buf.proof_bytes((offset + width - 1) & MASK64))
    width = BUFFER_WRITE_WIDTH[op]
    buf = s(1) if has_imm else s(2)
    offset = cp.imm if has_imm else s(0)
    value = s(0) if has_imm else s(1)
    if (type(buf) is not Buffer or type(offset) is not int or offset > MASK64
            or type(value) is not int):
        return b"", _header(0, 0, 0, 0)
    if width == 1:
        new = buf.set(offset, value & 0xFF)
        return b"", _sections(buf.proof_bytes(offset), new.normalization_bytes())
    return b"", _set_buffer_proof(buf, offset, value, width)


def proof_bytes(m: Machine) -> tuple[bytes, bytes]:
    """(Proof, BufferProof) for the next step of ``m`` (``marshalForProof``). Does not mutate ``m``."""
    cp = m.pc
    op = cp.op
    imm = cp.imm
    pops = list(pops_for_proof(op))
    aux_pops = list(aux_pops_for_proof(op))
    imm_level = 0
    if imm is not None and pops:
        imm_level = pops.pop(0)
    stack, aux = m.stack, m.aux
    k = min(len(pops), len(stack))
    ka = min(len(aux_pops), len(aux))
    d_under = len(stack) < len(pops)
    a_under = len(aux) < len(aux_pops)
    out = [bytes((op & 0xFF, k + (imm is not None), ka))]
    for j, v in enumerate(stack[len(stack) - k:]):
        out.append(marshal_for_proof(v, 0 if d_under else pops[k - 1 - j]))
    if imm is not None:
        out.append(marshal_for_proof(imm, imm_level))
    for j, v in enumerate(aux[len(aux) - ka:]):
        out.append(marshal_for_proof(v, 0 if a_under else aux_pops[ka - 1 - j]))
    nxt = cp.next
    out.append(ZERO32 if nxt is None else value_hash(nxt))
    inner, size = m.data_stack_preimage(k)
    out.append(inner + be32(size))
    inner, size = m.aux_stack_preimage(ka)
    out.append(inner + be32(size))
    out.append(marshal_for_proof(m.register, 0))
    out.append(marshal_for_proof(m.static, 0))
    out.append(be32(m.gas))
    out.append(value_hash(m.err_handler))
    out.append(b"\x01" if imm is not None else b"\x00")
    bproof = b""
    entry = OPCODES.get(op)
    extra_kind = entry.proof_extra if entry else ProofExtra.NONE
    if extra_kind is ProofExtra.MESSAGE:
        # the message travels with the proof only when the step reads it (not when out of gas):
        # an L1 message as incrementInbox reads it, a raw value in avm-debug's convention
        if m.inbox_count < len(m.inbox) and m.gas >= GAS[op]:
            l1 = l1_model(m.inbox, m.inbox_count)
            out.append(l1.proof_tail(m.inbox_count) if l1 is not None
                       else marshal_for_proof(m.inbox[m.inbox_count], INBOX_MESSAGE_DEPTH))
    elif extra_kind is ProofExtra.BUFFER and not (d_under or a_under):
        extra, bproof = _buffer_parts(m)
        out.append(extra)
    return b"".join(out), bproof


def _extras(m: Machine, step: int | None, program: str | None) -> dict[str, Any]:
    extras: dict[str, Any] = {}
    if step is not None:
        extras["step"] = step
    extras["opcode"] = mnemonic(m.pc.op)
    if program is not None:
        extras["program"] = program
    extras["codepoint"] = "0x" + value_hash(m.pc).hex()
    return extras


def _before_step(m: Machine, step: int | None,
                 program: str | None) -> tuple[AssertionState, bytes, bytes, dict[str, Any]]:
    """What a proof entry takes from the state before the step: (before state, Proof, BufferProof,
    descriptive extras). Raises ``UserError`` when there is no step to prove."""
    why = can_prove(m)
    if why:
        raise UserError(why)
    proof, bproof = proof_bytes(m)
    return assertion_state(m), proof, bproof, _extras(m, step, program)


def prove_and_step(m: Machine, step: int | None = None, program: str | None = None) -> ProofEntry:
    """Build the proof entry for the next step of ``m`` and *run that step on ``m``*.

    Raises ``UserError`` when there is no step to prove (halted, ErrorStop, blocked on inbox).
    """
    before, proof, bproof, extras = _before_step(m, step, program)
    saved, m.on_event = m.on_event, None
    try:
        events = m.step()
    finally:
        m.on_event = saved
    if events & Event.BLOCKED:  # pragma: no cover - can_prove excludes it
        raise UserError("the step blocked: nothing to prove")
    return ProofEntry(before, assertion_state(m), proof, bproof, extras)


def prove_run(m: Machine, limit: int, program: str | None = None,
              before_step: Callable[[Machine], None] | None = None) -> Iterator[ProofEntry]:
    """Proof entries of the next steps of ``m``, each made as its step runs on ``m``: at most
    ``limit``, until the machine stops or blocks. A generator, so a writer can stream them.
    ``before_step(m)`` is called before each step is proved (e.g. to warn about it)."""
    for _ in range(limit):
        if can_prove(m) is not None:
            return
        if before_step is not None:
            before_step(m)
        yield prove_and_step(m, m.steps, program)


def make_proof(m: Machine, step: int | None = None, program: str | None = None) -> ProofEntry:
    """The proof entry for the next step of ``m``; the state of ``m`` is not changed.

    The proof bytes and the before state are computed on ``m`` itself (this only fills its stack-hash
    cache, so later exports and machine hashes stay cheap); the after state comes from a clone.
    """
    before, proof, bproof, extras = _before_step(m, step, program)
    after = m.clone()
    after.step()
    return ProofEntry(before, assertion_state(after), proof, bproof, extras)


def make_proof_entry(m: Machine, step: int | None = None, program: str | None = None) -> dict[str, Any]:
    """The proof entry for the next step of ``m`` in the reference JSON shape; ``m`` is not changed."""
    return make_proof(m, step, program).to_json()


#: Alias used by ``debugger.engine.session.Session.proof_for_step``.
proof_entry = make_proof_entry
