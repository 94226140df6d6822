"""The value tree: any selected value (stack slot, register, static, error codepoint, inbox message).

Children are created only when a node is expanded, so a tuple with millions of nodes opens at once.
Every node shows its type, a one-line value and its hash. When the value was just written by the last
step, nodes are tagged with the structural diff against what the place held before: ``new`` (a new
tuple), ``replaced``, or ``shared`` (the very same subtree as before).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from avm.core import values
from avm.core.l1_inbox import MESSAGE_FIELDS, looks_like_message
from debugger.engine.display import kind, mnemonic, short_hash, summary, whole_value


def node_label(name: str, value: Any, change: str | None = None) -> Text:
    text = Text()
    text.append(f"{name} ", style="bold")
    text.append(f"{kind(value)} ", style="italic")
    text.append(summary(value, 48))
    text.append(f"  {short_hash(value, 8)}", style="dim")
    if change:
        text.append(f"  {change}", style="bold" if change != "shared" else "dim italic")
    return text


class ValueDetail(Static):
    """The whole of the tree's selected value (an integer in hex and decimal, a full hash), wrapped:
    the node labels are one line each and cut long values."""

    DEFAULT_CSS = """
    ValueDetail { height: auto; max-height: 6; padding: 0 1; background: $panel; }
    """

    def show(self, name: str, value: Any) -> None:
        self.update(Text.assemble((f"{name}: ", "bold"), whole_value(value)) if name else "")


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
        self.place: str | None = None          # the place shown (``s1``, ``register``), when it is one
        self.at: int | None = None             # ... in the state of this step
        self.changes: dict[tuple[int, ...], str] = {}   # tuple path -> new / replaced / shared
        self._paths: dict[int, tuple[int, ...]] = {}

    def show_value(self, title: str, value: Any, place: str | None = None, at: int | None = None,
                   changes: dict[tuple[int, ...], str] | None = None) -> None:
        self.title, self.value = title, value
        self.place, self.at, self.changes = place, at, changes or {}
        self.clear()
        self._paths = {self.root.id: ()}
        self.root.set_label(node_label(title, value, self.changes.get(())))
        self.root.data = value
        self.root.allow_expand = _expandable(value)
        if self.root.allow_expand:
            self._populate(self.root)
            self.root.expand()
        self.move_cursor(self.root)
        self._show_detail(self.root)

    def path_of(self, node: TreeNode[Any]) -> tuple[int, ...] | None:
        """The tuple path of ``node`` below the root (None for codepoint parts)."""
        return self._paths.get(node.id)

    def clear_value(self) -> None:
        self.title, self.value = "", None
        self.place = self.at = None
        self.clear()
        self._show_detail(None)
        self.root.set_label(self.EMPTY)
        self.root.data = None
        self.root.allow_expand = False

    def _populate(self, node: TreeNode[Any]) -> None:
        value = node.data
        base = self._paths.get(node.id)
        for k, (name, child) in enumerate(_children(value)):
            path = None if base is None or not isinstance(value, values.Tuple) else (*base, k)
            label = node_label(name, child, self.changes.get(path) if path is not None else None)
            if _expandable(child):
                added = node.add(label, data=child, allow_expand=True)
            else:
                added = node.add_leaf(label, data=child)
            if path is not None:
                self._paths[added.id] = path

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[Any]) -> None:
        self._show_detail(event.node)

    def _show_detail(self, node: TreeNode[Any] | None) -> None:
        """Show the whole of ``node``'s value in the detail line under the tree (if there is one)."""
        detail = next((w for w in self.siblings if isinstance(w, ValueDetail)), None) if self.parent else None
        if detail is None:
            return
        if node is None or node.data is None and not self.title:
            detail.show("", None)
            return
        name = str(node.label).split(" ", 1)[0] if node is not self.root else self.title
        detail.show(name, node.data)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[Any]) -> None:
        if not event.node.children and _expandable(event.node.data):
            try:
                self._populate(event.node)
            except Exception as err:   # never end the app over one node (the key storm found one)
                event.node.add_leaf(f"cannot show: {type(err).__name__}: {err}")


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
        out: list[tuple[str, Any]] = [(f"op {mnemonic(value.op)}", int(value.op))]   # a value: an int
        if value.imm is not None:
            out.append(("immediate", value.imm))
        if value.next is not None:
            out.append(("next", value.next))
        return out
    return []
