"""The source pane: the mini source of the current instruction, beside the listing.

A Line-API view of one file at a time: ``[bp] line [pc]  code``, lexed whole by
:class:`avm.formats.mini_lexer.MiniLexer` (block comments span lines). The current line is highlighted
and its column range (the token the instruction stands for) underlined; the cursor line is what ``b``
toggles a breakpoint on and what the listing marks. A missing or changed file is said in the title.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String  # type: ignore[import-untyped]
from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from debugger.engine.source_map import CHANGED, SourceMap
from debugger.tui.position import Position
from debugger.tui.widgets.line_styles import StyleCache

TOKEN_CLASSES = {
    Keyword: "source--keyword",
    Number: "source--number",
    Comment: "source--comment",
    String: "source--string",
    Name.Function: "source--function",
    Name.Builtin: "source--builtin",
    Name: "source--name",
    Operator: "source--punct",
    Punctuation: "source--punct",
}


def _token_class(token: Any) -> str | None:
    while token is not None:
        found = TOKEN_CLASSES.get(token)
        if found:
            return found
        token = token.parent
    return None


class SourcePane(ScrollView, can_focus=True):
    """One mini source file with the pc line, the cursor line and breakpoint markers."""

    COMPONENT_CLASSES = {
        *TOKEN_CLASSES.values(),
        "source--gutter",
        "source--pc-line",
        "source--pc-marker",
        "source--pc-columns",
        "source--cursor-line",
        "source--breakpoint",
        "source--message",
        "source--heat",
    }
    DEFAULT_CSS = """
    SourcePane {
        background: $surface;
        overflow-x: hidden;
        & > .source--keyword { color: $text-accent; text-style: bold; }
        & > .source--number { color: $text-warning; }
        & > .source--string { color: $text-success; }
        & > .source--comment { color: $text-muted; text-style: italic; }
        & > .source--function { color: $text-primary; }
        & > .source--builtin { color: $text-secondary; text-style: bold; }
        & > .source--name { color: $text; }
        & > .source--punct { color: $text-muted; }
        & > .source--gutter { color: $text-muted; }
        & > .source--breakpoint { color: $text-error; text-style: bold; }
        & > .source--pc-marker { color: $text-success; text-style: bold; }
        & > .source--pc-line { background: $boost; text-style: bold; }
        & > .source--pc-columns { text-style: bold underline reverse; }
        & > .source--cursor-line { background: $panel; }
        & > .source--message { color: $text-warning; }
        & > .source--heat { color: $text-warning; }
    }
    """
    BINDINGS = [
        Binding("shift+up,ctrl+u", "cursor(-1)", "line up", show=False),         # as in the listing:
        Binding("shift+down,ctrl+n", "cursor(1)", "line down", show=False),      # plain arrows step
        Binding("pageup", "cursor(-20)", "page up", show=False),
        Binding("pagedown", "cursor(20)", "page down", show=False),
        Binding("b", "toggle_breakpoint", "breakpoint on the line"),
    ]

    class CursorMoved(Message):
        """The cursor is on another line: the app marks that line's instructions in the listing."""

        def __init__(self, module: str, line: int) -> None:
            super().__init__()
            self.module = module
            self.line = line

    class BreakpointToggled(Message):
        """``b`` on a line: the app sets or clears a ``file:line`` breakpoint."""

        def __init__(self, module: str, line: int) -> None:
            super().__init__()
            self.module = module
            self.line = line

    position: reactive[Position | None] = reactive(None, init=False, always_update=True)

    def watch_position(self, p: Position | None) -> None:
        if p is not None and p.pc is not None:
            self.show_instruction(p.pc)

    def __init__(self, source_map: SourceMap, breakpoint_lines: Callable[[str], set[int]] | None = None,
                 *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.source_map = source_map
        self.breakpoint_lines = breakpoint_lines or (lambda module: set())
        self.module: str | None = None
        self.pc_line: int | None = None
        self.pc_columns: tuple[int, int] | None = None
        self.cursor = 1
        self.message = "" if source_map.has_locations else "no source locations in this program"
        self._lines: list[list[tuple[Any, str]]] = []
        self.heat: dict[tuple[str, int], int] | None = None      # hits or gas per (module, line)
        self._cstyle = StyleCache(self)
        self.border_title = "source"

    # -- what is shown ------------------------------------------------------------------------------
    def show_instruction(self, index: int) -> None:
        """Follow the listing: the file and line of instruction ``index`` (unlocated: stay put)."""
        smap = self.source_map
        where = smap.line_of(index)
        if where is None:
            self.pc_line = None
            self.pc_columns = None
            if self.module is None:          # e.g. the start-up code: show the code that follows it
                nearest = smap.nearest_line(index)
                if nearest is not None:
                    self.show_line(*nearest)
            self.refresh()
            return
        module, line = where
        self._open(module)
        self.pc_line = line
        self.pc_columns = smap.columns_of(index)
        self.cursor = line
        self._scroll_to_line(line)
        self.refresh()

    def show_line(self, module: str, line: int) -> None:
        """Put the cursor on ``module:line`` (e.g. a ``file:line`` breakpoint was selected)."""
        self._open(module)
        self.cursor = max(1, min(line, max(1, len(self._lines))))
        self._scroll_to_line(self.cursor)
        self.refresh()

    def set_heat(self, totals: dict[tuple[str, int], int] | None) -> None:
        """Show per-line hits or gas in the gutter (None: hide the column)."""
        self.heat = totals
        self.refresh()

    def _open(self, module: str) -> None:
        if module == self.module:
            return
        from avm.formats.mini_lexer import MiniLexer

        self.module = module
        src = self.source_map.file(module)
        name = self.source_map.display(module)
        if src.path is None:
            self._lines = []
            self.message = src.problem or "source not found"
            self.border_title = f"{name} (missing)"
        else:
            self.message = f"{src.path}: {CHANGED}" if src.problem == CHANGED else ""
            self.border_title = name + (" (changed since compilation)" if src.problem == CHANGED else "")
            self._lines = _split_lines(MiniLexer(stripnl=False, ensurenl=False).get_tokens(src.text))
        self.virtual_size = Size(self.size.width, len(self._lines) + (1 if self.message else 0))

    def _scroll_to_line(self, line: int) -> None:
        row = line - 1 + (1 if self.message else 0)
        height = self.size.height or 20
        if not self.scroll_y <= row < self.scroll_y + height:
            self.scroll_to(y=max(0, row - height // 3), animate=False, immediate=True)

    def line_text(self, line: int) -> str:
        if 1 <= line <= len(self._lines):
            return "".join(v for _, v in self._lines[line - 1])
        return ""

    def text(self) -> str:
        """The visible pane as plain text (tests)."""
        return "\n".join(self.render_line(y).text for y in range(self.size.height))

    # -- keys and mouse -----------------------------------------------------------------------------
    def action_cursor(self, delta: int) -> None:
        if not self._lines or self.module is None:
            return
        self.cursor = max(1, min(len(self._lines), self.cursor + delta))
        self._scroll_to_line(self.cursor)
        self.refresh()
        self.post_message(self.CursorMoved(self.module, self.cursor))

    def action_toggle_breakpoint(self) -> None:
        if self.module is not None and self._lines:
            self.post_message(self.BreakpointToggled(self.module, self.cursor))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or self.module is None:
            return
        line = int(self.scroll_y) + offset.y + 1 - (1 if self.message else 0)
        if 1 <= line <= len(self._lines):
            self.cursor = line
            self.refresh()
            self.post_message(self.CursorMoved(self.module, line))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cstyle.clear()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._lines) + (1 if self.message else 0))

    # -- rendering ----------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        row = int(self.scroll_y) + y
        if self.message:
            if row == 0:
                message = Segment(self.message[:width], self._cstyle("source--message"))
                return Strip([message]).adjust_cell_length(width, self.rich_style)
            row -= 1
        if not 0 <= row < len(self._lines):
            return Strip.blank(width, self.rich_style)
        line = row + 1
        style = self._cstyle
        base = self.rich_style
        is_pc = line == self.pc_line
        if is_pc:
            base = base + style("source--pc-line")
        elif line == self.cursor and self.has_focus:
            base = base + style("source--cursor-line")
        marks = self.breakpoint_lines(self.module) if self.module else set()
        number_width = max(3, len(str(len(self._lines))))
        segments = [
            Segment("●" if line in marks else " ", base + style("source--breakpoint", True)),
            Segment(f"{line:>{number_width}}", base + style("source--gutter", True)),
        ]
        if self.heat is not None:
            n = self.heat.get((self.module or "", line), 0)
            text = f"{n:>7,} "[-8:] if n else " " * 8          # as the listing's heat column
            segments.append(Segment(text, base + style("source--heat", True)))
        segments.append(Segment("▶ " if is_pc else "  ", base + style("source--pc-marker", True)))
        col = 1
        cols = self.pc_columns if is_pc else None
        for token, value in self._lines[row]:
            cls = _token_class(token)
            tstyle = base + style(cls, True) if cls else base
            if cols and col < cols[1] and col + len(value) > cols[0]:
                a = max(0, cols[0] - col)
                b = min(len(value), cols[1] - col)
                hi = tstyle + style("source--pc-columns", True)
                for part, st in ((value[:a], tstyle), (value[a:b], hi), (value[b:], tstyle)):
                    if part:
                        segments.append(Segment(part, st))
            else:
                segments.append(Segment(value, tstyle))
            col += len(value)
        return Strip(segments).adjust_cell_length(width, base)


def _split_lines(tokens: Any) -> list[list[tuple[Any, str]]]:
    """Tokens of a whole file, split at newlines into per-line token lists (a tab shows as one space, so
    that the compiler's columns stay right)."""
    lines: list[list[tuple[Any, str]]] = [[]]
    for token, value in tokens:
        parts = value.split("\n")
        for i, part in enumerate(parts):
            if i:
                lines.append([])
            if part:
                lines[-1].append((token, part.replace("\t", " ")))
    if lines and not lines[-1]:
        lines.pop()
    return lines
