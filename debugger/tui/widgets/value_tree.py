"""The value tree: any selected value (stack slot, register, static, error codepoint, inbox message).

Children are created only when a node is expanded, so a tuple with millions of nodes opens at once.
Every node shows its type, a one-line value and its hash.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from avm.core import values
from avm.core.l1_inbox import MESSAGE_FIELDS, looks_like_message
from debugger.engine.display import kind, mnemonic, short_hash, summary


def node_label(name: str, value: Any) -> Text:
    text = Text()
    text.append(f"{name} ", style="bold")
    text.append(f"{kind(value)} ", style="italic")
    text.append(summary(value, 48))
    text.append(f"  {short_hash(value, 8)}", style="dim")
    return text


def stack_as_tuples(items: list[Any]) -> Any:
    """The stack as the AVM hashes it: nested 2-tuples ``(top, rest)`` ending in the empty tuple."""
    chain: Any = values.NONE
    for value in items:  # bottom first
        chain = values.Tuple((value, chain))
    return chain


class ValueTree(Tree[Any]):
    """A lazy tree of one value."""

    DEFAULT_CSS = """
    ValueTree { background: $surface; }
    """

    EMPTY = "select a value: enter on a stack slot, a click on a register, :inspect NAME"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(self.EMPTY, id=id)
        self.title = ""
        self.value: Any = None
        self.show_root = True
        self.guide_depth = 3

    def show_value(self, title: str, value: Any) -> None:
        self.title, self.value = title, value
        self.clear()
        self.root.set_label(node_label(title, value))
        self.root.data = value
        self.root.allow_expand = _expandable(value)
        if self.root.allow_expand:
            self._populate(self.root)
            self.root.expand()

    def clear_value(self) -> None:
        self.title, self.value = "", None
        self.clear()
        self.root.set_label(self.EMPTY)
        self.root.data = None
        self.root.allow_expand = False

    def _populate(self, node: TreeNode[Any]) -> None:
        value = node.data
        for name, child in _children(value):
            label = node_label(name, child)
            if _expandable(child):
                node.add(label, data=child, allow_expand=True)
            else:
                node.add_leaf(label, data=child)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[Any]) -> None:
        if not event.node.children and _expandable(event.node.data):
            self._populate(event.node)


def _expandable(value: Any) -> bool:
    if isinstance(value, values.Tuple):
        return bool(value.items)
    return isinstance(value, values.CodePoint)


def _children(value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, values.Tuple):
        if looks_like_message(value):
            names = zip(MESSAGE_FIELDS, value.items, strict=True)
            return [(f"[{i}] {name}", item) for i, (name, item) in enumerate(names)]
        return [(f"[{i}]", item) for i, item in enumerate(value.items)]
    if isinstance(value, values.CodePoint):
        out: list[tuple[str, Any]] = [(f"op {mnemonic(value.op)}", value.op)]
        if value.imm is not None:
            out.append(("immediate", value.imm))
        if value.next is not None:
            out.append(("next", value.next))
        return out
    return []
