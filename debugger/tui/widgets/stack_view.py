"""Data stack and aux stack: a virtualised view that reads the machine's list directly (top first).

A step costs O(visible rows): the view keeps a reference to the machine's list and only renders the
rows on screen. Slots the last step wrote are marked ``w``, slots the next instruction reads ``r``
(``rw`` both), other values that differ from the previous stop (by identity, from the bottom) ``*``.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from debugger.engine.display import kind, summary
from debugger.tui.position import Position
from debugger.tui.widgets.line_styles import StyleCache

ROW_QUANTUM = 64


class StackView(ScrollView, can_focus=True):
    """One stack, top of stack on the first row; enter/click selects a value for the tree."""

    COMPONENT_CLASSES = {"stack--index", "stack--changed", "stack--cursor", "stack--kind", "stack--empty",
                         "stack--touch"}
    DEFAULT_CSS = """
    StackView {
        background: $surface;
        & > .stack--index { color: $text-muted; }
        & > .stack--kind { color: $text-secondary; }
        & > .stack--changed { color: $text-warning; text-style: bold; }
        & > .stack--cursor { background: $listing-cursor-background; }
        & > .stack--empty { color: $text-muted; text-style: italic; }
        & > .stack--touch { color: $text-accent; }
    }
    StackView:focus > .stack--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    """
    BINDINGS = [
        Binding("enter", "select", "Inspect", show=False),
        # a focused stack owns the arrows (as any list does): they select a slot, they do not step
        Binding("down,ctrl+n,shift+down", "move(1)", "Next value", show=False),
        Binding("up,ctrl+u,shift+up", "move(-1)", "Previous value", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home", "move(-1_000_000_000)", "Top of the stack", show=False),
        Binding("end", "move(1_000_000_000)", "Bottom of the stack", show=False),
    ]

    class Selected(Message):
        """A value was chosen for inspection (``depth`` 0 is the top of the stack)."""

        def __init__(self, view: StackView, depth: int, value: Any) -> None:
            super().__init__()
            self.view, self.depth, self.value = view, depth, value

    position: reactive[Position | None] = reactive(None, init=False, always_update=True)

    def __init__(self, title: str, *, aux: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title
        self.aux = aux   # shows the aux stack (else the data stack)
        self.items: list[Any] = []
        self.unchanged = 0  # values stack[:unchanged] are the same objects as at the previous stop
        self.cursor = 0
        self._previous: list[Any] = []
        self._baseline: list[Any] = []      # the stack before the last machine move (marks compare to it)
        self._cstyle = StyleCache(self)
        self._summaries: dict[tuple[int, int], str] = {}
        self.touched: dict[str, str] = {}   # "s0" / "aux1" -> "r", "w" or "rw" (see Position.touched)

    def watch_position(self, p: Position | None) -> None:
        if p is not None:
            m = p.session.machine
            self.touched = p.touched
            self.sync(m.aux if self.aux else m.stack, p.mark_changes)

    def sync(self, items: list[Any], mark_changes: bool = True) -> None:
        """Show ``items`` (bottom first, as the machine keeps it) and mark what changed since the last
        sync; ``mark_changes`` False (a re-render, not a machine move: a resize) keeps the last marks."""
        if mark_changes:
            self._baseline = self._previous
        prev = self._baseline
        same = 0
        limit = min(len(prev), len(items))
        while same < limit and prev[same] is items[same]:
            same += 1
        self.unchanged = same
        self.items = items
        self._previous = list(items)
        self.cursor = min(self.cursor, max(0, len(items) - 1))
        # rows: the depth, rounded up once it scrolls, so that most steps keep the size (no relayout)
        height = max(1, self.scrollable_content_region.height)
        rows = len(items) if len(items) <= height else -(-len(items) // ROW_QUANTUM) * ROW_QUANTUM
        size = Size(self.size.width, max(height, rows))
        if size != self.virtual_size:
            self.virtual_size = size
        title = f"{self.title} · depth {len(items):,}"
        if title != self.border_title:
            self.border_title = title
        self.refresh()

    def value_at(self, depth: int) -> Any:
        return self.items[-1 - depth]

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cstyle.clear()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        depth = round(self.scroll_offset.y) + y
        base = self._cstyle("base")
        items = self.items
        if not items:
            if y == 0:
                st = base + self._cstyle("stack--empty", partial=True)
                return Strip([Segment("(empty)", st)]).extend_cell_length(width, base)
            return Strip.blank(width, base)
        if depth >= len(items):
            return Strip.blank(width, base)
        line = base
        if depth == self.cursor:
            line += self._cstyle("stack--cursor")
        value = items[-1 - depth]
        changed = len(items) - 1 - depth >= self.unchanged
        text_style = line + self._cstyle("stack--changed", partial=True) if changed else line
        label = f"s{depth}" if self.title.startswith("data") else f"a{depth}"
        touch = self.touched.get(f"aux{depth}" if self.aux else label, "")
        knd = kind(value)
        room = max(8, width - len(label) - len(knd) - 6)
        mark = touch or ("*" if changed else "")
        mark_style = line + self._cstyle("stack--touch", partial=True) if touch else text_style
        segs = [
            Segment(f"{label:>5} ", line + self._cstyle("stack--index", partial=True)),
            Segment(f"{mark:<2} ", mark_style),
            Segment(summary(value, room), text_style),
        ]
        return Strip(segs).extend_cell_length(width, line).crop(0, width)

    def action_move(self, delta: int) -> None:
        if not self.items:
            return
        old = self.cursor
        self.cursor = max(0, min(len(self.items) - 1, self.cursor + delta))
        self.refresh_line(old)
        self.refresh_line(self.cursor)
        self.scroll_to_region_row(self.cursor)

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.scrollable_content_region.height - 1))

    def scroll_to_region_row(self, row: int) -> None:
        height, top = max(1, self.scrollable_content_region.height), round(self.scroll_offset.y)
        if not top <= row < top + height:
            self.scroll_to(y=row if row < top else row - height + 1, animate=False, immediate=True)

    def action_select(self) -> None:
        if self.items:
            self.post_message(self.Selected(self, self.cursor, self.value_at(self.cursor)))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        depth = round(self.scroll_offset.y) + offset.y
        if 0 <= depth < len(self.items):
            old, self.cursor = self.cursor, depth
            self.refresh_line(old)
            self.refresh_line(depth)
            self.action_select()
