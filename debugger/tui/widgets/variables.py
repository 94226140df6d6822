"""The Variables pane: the source-level call stack and a compiled program's globals by name, with their
mini types and values.

The first node lists the frames by source function (innermost first). Each global is a tree node
``name: type = value``; tuples, structs, options, arrays and maps expand
into their typed parts. A global whose value changed since the previous update is highlighted and
starred. Expanded nodes stay expanded across updates (kept by path of names).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from debugger.engine.mini_types import Decoded, decode_globals
from debugger.engine.source_map import SourceFrame, source_call_stack
from debugger.tui.position import Position


def variable_label(d: Decoded, changed: bool) -> Text:
    text = Text()
    text.append("*" if changed else " ", style="bold red" if changed else "")
    text.append(d.name, style="bold")
    text.append(f": {d.type}", style="italic dim")
    text.append(" = ")
    text.append(d.text, style="bold reverse" if changed else "")
    return text


class VariablesPane(Tree[Decoded]):
    """Globals of the program in the register of the shown state."""

    DEFAULT_CSS = """
    VariablesPane { background: $surface; }
    """
    EMPTY = "no globals: this program was not compiled from mini"

    position: reactive[Position | None] = reactive(None, init=False, always_update=True)

    def watch_position(self, p: Position | None) -> None:
        if p is not None:
            m = p.session.machine
            self.show_register(m.register, source_call_stack(p.session.source_map, m), p.mark_changes)

    def __init__(self, program: Any, *, id: str | None = None) -> None:
        super().__init__("globals", id=id)
        self.program = program
        self.frames: list[SourceFrame] = []
        self.show_root = False
        self.guide_depth = 2
        self.border_title = "variables"
        self.values: list[Decoded] = []
        self.changed: set[str] = set()
        self._previous: dict[str, str] | None = None

    def show_register(self, register: Any, frames: list[SourceFrame] | None = None,
                      mark_changes: bool = True) -> None:
        """Decode ``register`` and show it (after the call stack ``frames``); marks the globals that
        changed since the last call."""
        values = decode_globals(self.program, register)
        now = {d.name: d.text for d in values}
        before = self._previous if mark_changes else None
        self.changed = {n for n, t in now.items() if before is not None and before.get(n) != t}
        self._previous = now
        self.values = values
        self.frames = frames or []
        opened = self._expanded_paths()
        self.clear()
        if self.frames:
            stack = self.root.add(Text("call stack", style="bold"), expand=True)
            for f in self.frames:
                stack.add_leaf(f.describe())
        if not values:
            self.root.add_leaf(self.EMPTY)
            return
        for d in values:
            self._add(self.root, d, d.name in self.changed, opened, (d.name,))

    def _add(self, parent: TreeNode[Decoded], d: Decoded, changed: bool, opened: set[tuple[str, ...]],
             path: tuple[str, ...]) -> None:
        label = variable_label(d, changed)
        if d.children:
            node = parent.add(label, data=d, expand=path in opened)
            for child in d.children:
                self._add(node, child, False, opened, (*path, child.name))
        else:
            parent.add_leaf(label, data=d)

    def _expanded_paths(self) -> set[tuple[str, ...]]:
        out: set[tuple[str, ...]] = set()
        work: list[tuple[TreeNode[Decoded], tuple[str, ...]]] = [(self.root, ())]
        while work:
            node, path = work.pop()
            for child in node.children:
                if child.data is None:
                    continue
                p = (*path, child.data.name)
                if child.is_expanded:
                    out.add(p)
                    work.append((child, p))
        return out

    def text(self) -> str:
        """``name = value`` per global (tests and copying)."""
        return "\n".join(f"{d.name} = {d.text}" for d in self.values)

    def global_nodes(self) -> list[TreeNode[Decoded]]:
        """The tree nodes of the globals (after the call stack node)."""
        return [n for n in self.root.children if n.data is not None]
