"""Explain pane: what the current (or highlighted) instruction does, its gas, its stack effect with
the actual operand values, and its EVM counterpart. Words come from :mod:`avm.teach.explain`."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from avm.core.machine import Machine
from avm.core.values import CodePoint
from debugger.tui.explain_text import explain_lines
from debugger.tui.position import Position

PAD_LINES = 14


class ExplainPane(Static):
    """Teaching text for one instruction."""

    DEFAULT_CSS = """
    ExplainPane { background: $surface; padding: 0 1; }
    """

    position: reactive[Position | None] = reactive(None, init=False, always_update=True)
    # the listing's cursor when it is away from the current instruction (that one is then explained)
    highlighted: reactive[int | None] = reactive(None, init=False)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self.plain = ""
        self._line_count = -1

    def watch_position(self) -> None:
        self._explain()

    def watch_highlighted(self) -> None:
        self._explain()

    def on_resize(self) -> None:
        self._explain()   # the text is wrapped to the width

    def _explain(self) -> None:
        p = self.position
        if p is None:
            return
        program = p.session.program
        index = self.highlighted
        if index is not None and index != p.pc and 0 <= index < len(program.code):
            self.show(program.code[index], index, None)
        else:
            m = p.session.machine
            self.show(m.pc, p.pc, m)

    def show(self, cp: CodePoint, index: int | None, machine: Machine | None) -> None:
        """Explain ``cp``: the instruction ``machine`` is about to run (with its operands), or, with no
        machine, a highlighted instruction of the listing."""
        where = f"#{index}" if index is not None and index >= 0 else "runtime code"
        title = ("about to run " if machine is not None else "highlighted ") + where
        lines = [(title, "$text-muted")] + explain_lines(cp, machine, self.size.width or 60)
        self.plain = "\n".join(text for text, _ in lines)
        lines += [("", "")] * (PAD_LINES - len(lines))  # a constant height avoids a relayout per step
        content = Content("\n").join(Content.styled(text, style) for text, style in lines)
        self.update(content, layout=len(lines) != self._line_count)
        self._line_count = len(lines)
