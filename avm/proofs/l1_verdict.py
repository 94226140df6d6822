"""Where the original L1 verifier (the classic OneStepProof contracts) sees a step differently from the
reference emulator that avm-debug follows.

avm-debug's machine and proofs follow the C++ emulator bit for bit. The contracts agree with it on every
step except the cases below (docs/l1-differences.md lists them with what the debugger shows):

- ``ecpairing`` with a G2 point on the twist curve but outside the order-r subgroup: the C++ emulator
  computes the pairing; the contracts call the EVM's pairing precompile (0x08), which rejects such a
  point, so the contracts take the error path and the step's after state differs.
- ``inbox`` reading a message that is not an L1 message of a real inbox (avm-debug's friendly raw-value
  inbox): the contracts read the message and its batch from the proof and check them against the
  sequencer inbox's accumulators, which such a message does not have. Messages of an L1 inbox file
  (``avm.core.l1_inbox``) are proved in the contracts' layout and accepted.

``l1_rejection`` is the plain decision the TUI, ``avm-debug prove`` and the tests call.
"""

from __future__ import annotations

from avm.core import opcodes
from avm.core.l1_inbox import l1_model
from avm.core.machine import Machine, Status
from avm.core.opcodes import EC_PAIRING_POINT_GAS, GAS, Op, ProofExtra
from avm.ops.crypto import pairing_points

OP_INBOX = Op.INBOX
OP_ECPAIRING = Op.ECPAIRING
PREFIX = "the L1 verifier will reject this step: "


def g2_outside_subgroup(x0: int, x1: int, y0: int, y1: int) -> bool:
    """True when (x0 + x1·i, y0 + y1·i) is a point of the alt_bn128 twist that is not in the order-r
    subgroup (the EVM precompile's check, which the C++ emulator does not make)."""
    from py_ecc.optimized_bn128 import optimized_curve as curve

    p = curve.field_modulus
    if (x0, x1, y0, y1) == (0, 0, 0, 0) or max(x0, x1, y0, y1) >= p:
        return False
    pt = (curve.FQ2([x0, x1]), curve.FQ2([y0, y1]), curve.FQ2.one())
    if not curve.is_on_curve(pt, curve.b2):
        return False   # off the curve: both sides reject it
    return not curve.is_inf(curve.multiply(pt, curve.curve_order))


def l1_prover(code: int) -> str:
    """The classic contract that proves a step of opcode ``code``: OneStepProofHash for hash, type,
    ethhash2, keccakf and sha256f; OneStepProof2 for the steps whose proof carries buffer chunks
    (getbuffer*, setbuffer*, send); OneStepProof for the rest."""
    if Op.HASH <= code <= Op.SHA256F:
        return "OneStepProofHash"
    entry = opcodes.info(code)
    if entry is not None and entry.proof_extra is ProofExtra.BUFFER:
        return "OneStepProof2"
    return "OneStepProof"


def l1_rejection(m: Machine, inbox: bool = True) -> str | None:
    """Why the classic OneStepProof contracts would not accept avm-debug's proof of the next step of
    ``m`` (a sentence starting with ``PREFIX``), or None when they accept it. With ``inbox=False`` only
    the steps the contracts *compute* differently are named (not a raw-value inbox read, which only
    lacks an L1 inbox to be proved against)."""
    if m.status != Status.EXTENSIVE or m.blocked:
        return None
    cp = m.pc
    op = cp.op
    if op == OP_ECPAIRING:
        top = cp.imm if cp.imm is not None else (m.stack[-1] if m.stack else None)
        items = pairing_points(top) if top is not None else None
        if not items or m.gas < GAS[OP_ECPAIRING] + EC_PAIRING_POINT_GAS * len(items):
            return None
        for i, (_, _, x0, x1, y0, y1) in enumerate(items):
            if g2_outside_subgroup(x0, x1, y0, y1):
                return (PREFIX + f"ecpairing pair {i} has a G2 point outside the order-r subgroup; the C++ "
                        "emulator (and avm-debug) compute the pairing, the contracts' pairing precompile "
                        "rejects the point and takes the error path")
        return None
    if (inbox and op == OP_INBOX and m.inbox_count < len(m.inbox) and m.gas >= GAS[OP_INBOX]
            and l1_model(m.inbox, m.inbox_count) is None):
        return (PREFIX + "this inbox holds raw values, not L1 messages: the contracts read the message "
                "and the rest of its sequencer batch from the proof and check them against the inbox "
                "accumulators on L1 (load an L1 inbox file to get provable inbox steps)")
    return None
