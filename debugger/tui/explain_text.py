"""What the explain pane says about one instruction: its gas and stack effect, the operand values it is
about to pop, its errors and its EVM counterpart (words from :mod:`avm.teach.explain`). No Textual here.

The operands are read from the stack without running anything: ``avm.teach.explain.explain_step`` also
lists them but dry-runs the step on a clone, which may take seconds (``ecpairing``) on the UI thread.
"""

from __future__ import annotations

from typing import Any

from avm.core import opcodes
from avm.formats import disassembler
from avm.teach.explain import explanation_for
from debugger.engine.display import mnemonic, summary


def operands(cp: Any, stack: list[Any], count: int) -> list[Any]:
    """The values the instruction at ``cp`` would pop (s0 first), counting its immediate as s0."""
    pending = ([cp.imm] if cp.imm is not None else []) + stack[::-1][: max(0, count)]
    return pending[:count]


def explain_lines(cp: Any, stack: list[Any] | None, aux: list[Any] | None,
                  width: int = 60) -> list[tuple[str, str]]:
    """(text, style) lines describing ``cp``; with ``stack`` given, the actual operands are shown."""
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
    room = max(10, width - 12)
    if stack is not None:
        letters = "abcdefgh"
        names = list(words.operands)
        popped = operands(cp, stack, pops)
        for i, value in enumerate(popped):
            label = names[i] if i < len(names) else letters[i] if i < len(letters) else f"s{i}"
            out.append((f"  {label:<4}= s{i} {summary(value, room)}", "$text-warning"))
        if len(popped) < pops:
            out.append(("  stack underflow: this step will raise an error (5 gas)", "bold $text-error"))
        if aux is not None:
            for i, value in enumerate(aux[::-1][:aux_pops]):
                out.append((f"  aux{i} = {summary(value, room)}", "$text-warning"))
    elif cp.imm is not None:
        out.append((f"  immediate {summary(cp.imm, room)}", "$text-warning"))
    if words.evm:
        note = f" - {words.evm_note}" if words.evm_note else ""
        out.append((f"EVM: {words.evm}{note}", "$text-primary"))
    elif words.evm_note:
        out.append((f"EVM: none - {words.evm_note}", "$text-primary"))
    for err in words.errors:
        out.append((f"error if {err}", "$text-muted"))
    return out
