"""Explain pane: what the current (or highlighted) instruction does, its gas, its stack effect with
the actual operand values, and its EVM counterpart. Words come from :mod:`avm.teach.explain`."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widgets import Static

from avm.core import opcodes
from avm.formats import disassembler
from debugger.engine.display import mnemonic, summary

try:  # the teaching table is optional: fall back to the opcode table's numbers
    from avm.teach import explain as _explain
except ImportError:  # pragma: no cover - only while the teaching module is absent
    _explain = None  # type: ignore[assignment]


def operands(cp: Any, stack: list[Any], count: int) -> list[Any]:
    """The values the instruction at ``cp`` would pop (s0 first), counting its immediate as s0."""
    pending = ([cp.imm] if cp.imm is not None else []) + stack[::-1][: max(0, count)]
    return pending[:count]


def explain_lines(cp: Any, stack: list[Any] | None, aux: list[Any] | None,
                  width: int = 60) -> list[tuple[str, str]]:
    """(text, style) lines describing ``cp``; with ``stack`` given, the actual operands are shown."""
    name = mnemonic(cp.op)
    entry = opcodes.info(cp.op)
    words = _explain.explanation_for(cp.op) if _explain and entry else None
    if words is None and _explain is not None and entry is None:
        words = getattr(_explain, "INVALID", None)
    gas = entry.gas if entry else opcodes.ERROR_GAS
    pops = entry.n_pops if entry else 0
    aux_pops = entry.n_aux_pops if entry else 0
    if cp.op == disassembler.NOP and cp.imm is not None:
        name = "push (nop with an immediate)"
    head = f"{name}  (opcode {cp.op:#04x}, {gas} gas, pops {pops}"
    head += f", aux pops {aux_pops})" if aux_pops else ")"
    out: list[tuple[str, str]] = [(head, "bold $text-accent")]
    if words is not None:
        out.append((words.summary, ""))
        if words.stack:
            out.append((f"stack: {words.stack}", "$text-secondary"))
        if words.aux:
            out.append((f"aux:   {words.aux}", "$text-secondary"))
    room = max(10, width - 12)
    if stack is not None:
        letters = "abcdefgh"
        names = list(words.operands) if words is not None and words.operands else []
        for i, value in enumerate(operands(cp, stack, pops)):
            label = names[i] if i < len(names) else letters[i] if i < len(letters) else f"s{i}"
            out.append((f"  {label:<4}= s{i} {summary(value, room)}", "$text-warning"))
        if len(operands(cp, stack, pops)) < pops:
            out.append(("  stack underflow: this step will raise an error (5 gas)", "bold $text-error"))
        if aux is not None:
            for i, value in enumerate(aux[::-1][:aux_pops]):
                out.append((f"  aux{i} = {summary(value, room)}", "$text-warning"))
    elif cp.imm is not None:
        out.append((f"  immediate {summary(cp.imm, room)}", "$text-warning"))
    if words is not None:
        if words.evm:
            note = f" - {words.evm_note}" if words.evm_note else ""
            out.append((f"EVM: {words.evm}{note}", "$text-primary"))
        elif words.evm_note:
            out.append((f"EVM: none - {words.evm_note}", "$text-primary"))
        for err in words.errors:
            out.append((f"error if {err}", "$text-muted"))
    return out


PAD_LINES = 14


class ExplainPane(Static):
    """Teaching text for one instruction."""

    DEFAULT_CSS = """
    ExplainPane { background: $surface; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self.plain = ""
        self._line_count = -1

    def show(self, cp: Any, index: int | None, stack: list[Any] | None, aux: list[Any] | None,
             current: bool) -> None:
        where = f"#{index}" if index is not None and index >= 0 else "runtime code"
        title = ("about to run " if current else "highlighted ") + where
        lines = [(title, "$text-muted")] + explain_lines(cp, stack if current else None,
                                                       aux if current else None, self.size.width or 60)
        self.plain = "\n".join(text for text, _ in lines)
        lines += [("", "")] * (PAD_LINES - len(lines))  # a constant height avoids a relayout per step
        content = Content("\n").join(Content.styled(text, style) for text, style in lines)
        self.update(content, layout=len(lines) != self._line_count)
        self._line_count = len(lines)
