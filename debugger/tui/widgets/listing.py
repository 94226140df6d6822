"""The program listing: a virtualised Line-API view of every instruction.

Only visible rows are rendered. Each row is ``[bp] index [pc] label  code  ; location``; tokens come
from :class:`avm.formats.lexer.AvmLexer`. Two caches: lexer tokens per instruction (never change) and rendered
strips keyed by row state (cleared on a theme change).
"""

from __future__ import annotations

from typing import Any

from pygments.token import (  # type: ignore[import-untyped]
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Token,
)
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from avm.core.program import Program
from debugger.engine.display import ListingText
from debugger.tui.marks import Mark
from debugger.tui.registry import LISTING_KEYS
from debugger.tui.widgets.line_styles import StyleCache

TOKEN_CLASSES = {
    Keyword: "listing--keyword",
    Number: "listing--number",
    Comment: "listing--comment",
    Name.Label: "listing--label",
    String: "listing--string",
    Name: "listing--name",
    Operator: "listing--punct",
    Punctuation: "listing--punct",
}

LABEL_WIDTH_MAX = 18
CODE_COLUMN = 24  # location comments line up here when the code is shorter


class Listing(ScrollView, can_focus=True):
    """Instruction listing with breakpoint gutter, PC marker, cursor and optional hit-count heat."""

    COMPONENT_CLASSES = {
        *TOKEN_CLASSES.values(),
        "listing--gutter",
        "listing--pc-line",
        "listing--pc-marker",
        "listing--cursor-line",
        "listing--breakpoint",
        "listing--breakpoint-off",
        "listing--labelcol",
        "listing--location",
        "listing--heat",
        "listing--match",
    }
    DEFAULT_CSS = """
    Listing {
        background: $surface;
        overflow-x: hidden;
        & > .listing--keyword { color: $text-accent; text-style: bold; }
        & > .listing--number { color: $text-warning; }
        & > .listing--string { color: $text-success; }
        & > .listing--comment { color: $text-muted; text-style: italic; }
        & > .listing--label { color: $text-primary; }
        & > .listing--labelcol { color: $text-primary; text-style: bold; }
        & > .listing--name { color: $text-secondary; }
        & > .listing--punct { color: $text-muted; }
        & > .listing--gutter { color: $text-muted; }
        & > .listing--location { color: $text-muted; text-style: italic; }
        & > .listing--heat { color: $text-warning; }
        & > .listing--breakpoint { color: $text-error; text-style: bold; }
        & > .listing--breakpoint-off { color: $text-muted; }
        & > .listing--pc-marker { color: $text-success; text-style: bold; }
        & > .listing--pc-line { background: $listing-pc-background; text-style: bold; }
        & > .listing--cursor-line { background: $listing-cursor-background; }
        & > .listing--match { text-style: underline; }
    }
    """
    BINDINGS = [Binding(spec.keys, spec.action, spec.description, show=False, id=spec.id)
                for spec in LISTING_KEYS]

    class CursorMoved(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class GutterClicked(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    # the current instruction (None: run-time code), the cursor, the breakpoint marks: set from outside
    # (the main screen binds pc and marks), each change repaints only the lines it touches
    pc: reactive[int | None] = reactive(None, repaint=False, init=False, always_update=True)
    cursor: reactive[int] = reactive(0, repaint=False, init=False)
    marks: reactive[dict[int, Mark]] = reactive(dict, repaint=False, init=False, always_update=True)

    def __init__(self, program: Program, *, id: str | None = None) -> None:
        super().__init__(id=id)
        from avm.formats.lexer import AvmLexer

        self.program = program
        self.count = len(program.code)
        self.set_reactive(Listing.pc, 0 if self.count else None)
        self.follow = True  # keep the PC on screen while stepping, until the user scrolls away
        self.runtime: str | None = None   # the synthetic entry after the last row (run-time code runs)
        self.heat: list[int] | None = None
        self.heat_title = ""
        self.match: int | None = None
        self._lexer = AvmLexer(stripnl=False, ensurenl=False)
        self._texts = ListingText(program)
        self._tokens: LRUCache[int, list[tuple[Any, str]]] = LRUCache(4096)
        self._strips: LRUCache[tuple, Strip] = LRUCache(1024)
        self._cstyle = StyleCache(self)
        self._index_width = max(2, len(str(max(0, self.count - 1))))
        labels = program.labels
        longest = max(map(len, labels.values()), default=0)
        self._label_width = min(LABEL_WIDTH_MAX, longest + 1) if longest else 0
        self.virtual_size = Size(self.gutter_width, self.count)
        # locations in the program's own .s file read "line N": its name is already the pane's title
        self._own_file = (next((loc.file for loc in program.locations if loc is not None), None)
                          if program.source_text is not None else None)

    # -- geometry -----------------------------------------------------------------------------------
    @property
    def gutter_width(self) -> int:
        """Cells before the instruction text: marker, index, pc arrow, label (and heat when on)."""
        heat = 8 if self.heat is not None else 0
        return 2 + self._index_width + 2 + heat + (self._label_width + 1 if self._label_width else 0)

    # -- state changes (called by the app) ------------------------------------------------------------
    def set_pc(self, pc: int | None) -> None:
        self.pc = pc

    def watch_pc(self, old: int | None, pc: int | None) -> None:
        if old is not None:
            self.refresh_line(old)
        if pc is not None:
            self.refresh_line(pc)
            if self.follow:
                self.cursor_to(pc, scroll=True, user=False)

    def watch_marks(self) -> None:
        self._strips.clear()
        self.refresh()

    def breakpoint_marker(self, index: int) -> str | None:
        """The glyph drawn in the gutter of instruction ``index``."""
        mark = self.marks.get(index)
        return mark.value if mark is not None else None

    @property
    def rows(self) -> int:
        """Rows of the listing: the instructions, and the synthetic run-time code entry when shown."""
        return self.count + (self.runtime is not None)

    def set_runtime(self, text: str | None) -> None:
        """Show (``text``) or drop (None) the synthetic entry of code built at run time: the row after
        the last instruction, with the ▶ while the machine runs such code."""
        if text == self.runtime:
            return
        self.runtime = text
        self.virtual_size = Size(self.gutter_width, self.rows)
        self.refresh()
        if text is not None and self.follow:
            self.call_after_refresh(self.scroll_to_line, self.count)

    def set_heat(self, heat: list[int] | None, title: str = "") -> None:
        self.heat, self.heat_title = heat, title
        self.border_subtitle = f"heat: {title}" if heat is not None and title else ""
        self.virtual_size = Size(self.gutter_width, self.rows)
        self._strips.clear()
        self.refresh()

    def cursor_to(self, index: int, *, scroll: bool = True, user: bool = True, center: bool = False) -> None:
        if not self.count:
            return
        index = max(0, min(self.count - 1, index))
        self.cursor = index
        if user:
            self.follow = index == self.pc
        if scroll:
            self.scroll_to_line(index, center=center)

    def watch_cursor(self, old: int, index: int) -> None:
        self.refresh_line(old)
        self.refresh_line(index)
        self.post_message(self.CursorMoved(index))

    def scroll_to_line(self, index: int, center: bool = False, top: int | None = None) -> None:
        """Bring line ``index`` into view, scrolling as little as it takes from ``top`` (default: the
        current scroll position); a line far away is centred."""
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_offset.y) if top is None else top
        if center or not top <= index < top + height:
            if center or abs(index - top) > height:
                self.scroll_to(y=max(0, index - height // 2), animate=False, immediate=True)
            else:
                self.scroll_to(y=index if index < top else index - height + 1, animate=False, immediate=True)
        elif round(self.scroll_offset.y) != top:
            self.scroll_to(y=top, animate=False, immediate=True)

    def on_resize(self, event: Any) -> None:
        # a smaller pane (a narrower terminal moves panes into it) must not leave the cursor off screen;
        # while following execution the view is the one a fresh start at this size shows (scrolled from
        # the top), so that a resize never depends on the sizes before it
        if self.count:
            self.call_after_refresh(self._scroll_after_resize)

    def _scroll_after_resize(self) -> None:
        shown = self.count if self.runtime is not None and self.follow else self.cursor
        self.scroll_to_line(shown, top=0 if self.follow else None)

    # -- actions ---------------------------------------------------------------------------------------
    def action_cursor_down(self) -> None:
        self.cursor_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.cursor_to(self.cursor - 1)

    def action_cursor_page(self, direction: int) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        self.cursor_to(self.cursor + direction * height)

    def action_cursor_to(self, index: int) -> None:
        self.cursor_to(index if index >= 0 else self.count - 1)

    def _on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self.follow = False

    def _on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self.follow = False

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = round(self.scroll_offset.y) + offset.y
        if not 0 <= index < self.count:
            return
        if offset.x < 2 + self._index_width + 1:
            self.post_message(self.GutterClicked(index))
        else:
            self.cursor_to(index, scroll=False)

    # -- rendering -------------------------------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._cstyle.clear()

    def _style_for(self, ttype: Any) -> Style | None:
        while ttype is not Token and ttype is not None:
            cls = TOKEN_CLASSES.get(ttype)
            if cls:
                return self._cstyle(cls, partial=True)
            ttype = ttype.parent
        return None

    def line_text(self, index: int) -> str:
        """The instruction as ``.s`` text (as written in the source, when there is one)."""
        return self._texts[index]

    def _tokens_for(self, index: int) -> list[tuple[Any, str]]:
        toks = self._tokens.get(index)
        if toks is None:
            toks = [(t, s) for t, s in self._lexer.get_tokens(self.line_text(index)) if s]
            self._tokens[index] = toks
        return toks

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = round(scroll_y) + y
        width = self.scrollable_content_region.width
        base = self._cstyle("base")
        if index >= self.count:
            if index == self.count and self.runtime is not None:
                return self._render_runtime(base, width).crop(round(scroll_x), round(scroll_x) + width)
            return Strip.blank(width, base)
        marker = self.marks.get(index)
        heat = self.heat[index] if self.heat is not None and index < len(self.heat) else None
        key = (index, index == self.pc, index == self.cursor, self.has_focus, marker, heat,
               index == self.match, width)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_row(index, base, marker, heat, width)
            self._strips[key] = strip
        return strip.crop(round(scroll_x), round(scroll_x) + width)

    def _render_row(self, index: int, base: Style, marker: Mark | None, heat: int | None,
                    width: int) -> Strip:
        style = self._cstyle
        is_pc, is_cursor = index == self.pc, index == self.cursor
        line = base
        if is_cursor:
            line += style("listing--cursor-line")
        if is_pc:
            line += style("listing--pc-line")
        active = marker is not None and marker.active
        bp_class = "listing--breakpoint" if active else "listing--breakpoint-off"
        glyph = marker.value if marker is not None else " "
        segs = [
            Segment(glyph + " ", line + style(bp_class, partial=True)),
            Segment(f"{index:>{self._index_width}}", line + style("listing--gutter", partial=True)),
            Segment("▶ " if is_pc else ("› " if is_cursor else "  "),
                    line + style("listing--pc-marker", partial=True)),
        ]
        if self.heat is not None:
            text = f"{heat:>7,} " if heat else "        "
            segs.append(Segment(text[-8:], line + style("listing--heat", partial=True)))
        if self._label_width:
            label = self.program.labels.get(index, "")
            if len(label) >= self._label_width:
                label = label[: self._label_width - 2] + "…"
            text = (label + ":") if label else ""
            label_style = line + style("listing--labelcol", partial=True)
            segs.append(Segment(f"{text:<{self._label_width}} ", label_style))
        match_style = style("listing--match", partial=True) if index == self.match else None
        used = 0
        for ttype, text in self._tokens_for(index):
            used += len(text)
            st = self._style_for(ttype)
            seg_style = line + st if st else line
            if match_style is not None:
                seg_style += match_style
            segs.append(Segment(text, seg_style))
        loc = self._location(index)
        if loc:
            # line the comments up at CODE_COLUMN, or further left when the pane is too narrow for that
            column = min(CODE_COLUMN, width - self.gutter_width - len(loc) - 3)
            pad = " " * max(2, column - used)
            segs.append(Segment(f"{pad}; {loc}", line + style("listing--location", partial=True)))
        strip = Strip(segs).simplify()
        return strip.extend_cell_length(max(self.virtual_size.width, width), line)

    def _render_runtime(self, base: Style, width: int) -> Strip:
        """The synthetic entry: no index (it is not an instruction of the program), the ▶, its text."""
        style = self._cstyle
        line = base + style("listing--pc-line")
        segs = [Segment("  " + " " * self._index_width, line + style("listing--gutter", partial=True)),
                Segment("▶ ", line + style("listing--pc-marker", partial=True)),
                Segment(self.runtime or "", line + style("listing--comment", partial=True))]
        return Strip(segs).extend_cell_length(max(self.virtual_size.width, width), line)

    def _location(self, index: int) -> str:
        locations = self.program.locations
        loc = locations[index] if index < len(locations) else None
        if loc is None:
            return ""
        if loc.file is not None and loc.file == self._own_file:
            return f"line {loc.line}"
        name = loc.file.rsplit("/", 1)[-1] if loc.file else "?"
        return f"{name}:{loc.line}"
