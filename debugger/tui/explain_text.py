"""What the explain pane says about one instruction: its gas and stack effect, the operand values it is
about to pop, its errors and its EVM counterpart (words from :mod:`avm.teach.explain`). No Textual here.

The operands and their names come from ``avm.teach.explain.operands``, which reads the state only (no
dry run of the step: ``ecpairing`` may take seconds, and the pane renders on the UI thread).
"""

from __future__ import annotations

from avm.core import opcodes
from avm.core.machine import Machine
from avm.core.values import CodePoint
from avm.formats import disassembler
from avm.teach.explain import explanation_for, operands
from debugger.engine.display import mnemonic, summary


def explain_lines(cp: CodePoint, machine: Machine | None, width: int = 60) -> list[tuple[str, str]]:
    """(text, style) lines describing ``cp``; with ``machine`` given (``cp`` is its pc), the actual
    operands are shown."""
    name = mnemonic(cp.op)
    entry = opcodes.info(cp.op)
    words = explanation_for(cp.op)
    gas = entry.gas if entry else opcodes.ERROR_GAS
    pops = entry.n_pops if entry else 0
    aux_pops = entry.n_aux_pops if entry else 0
    if cp.op == disassembler.NOP and cp.imm is not None:
        name = "push (nop with an immediate)"
    head = f"{name}  (opcode {cp.op:#04x}, {gas} gas, pops {pops}"
    head += f", aux pops {aux_pops})" if aux_pops else ")"
    out: list[tuple[str, str]] = [(head, "bold $text-accent")]
    out.append((words.summary, ""))
    if words.stack:
        out.append((f"stack: {words.stack}", "$text-secondary"))
    if words.aux:
        out.append((f"aux:   {words.aux}", "$text-secondary"))
    if machine is not None:
        found = operands(machine)
        for op in found:
            label = f"  {op.name:<4}= {op.slot} "
            out.append((label + op.text(max(10, width - len(label))), "$text-warning"))
        if any(op.value is None for op in found):
            out.append(("  underflow: this step will raise an error (5 gas)", "bold $text-error"))
    elif cp.imm is not None:
        out.append((f"  immediate {summary(cp.imm, max(10, width - 12))}", "$text-warning"))
    if words.evm:
        note = f" - {words.evm_note}" if words.evm_note else ""
        out.append((f"EVM: {words.evm}{note}", "$text-primary"))
    elif words.evm_note:
        out.append((f"EVM: none - {words.evm_note}", "$text-primary"))
    for err in words.errors:
        out.append((f"error if {err}", "$text-muted"))
    return out
