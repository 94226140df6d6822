"""The codepoint chain widgets: a virtualised table of ``index  instruction  imm-target  next-hash
hash`` and the detail pane that recomputes a codepoint's hash from its keccak input (the "what if" edit
is computed by :mod:`debugger.tui.chain_hashes`)."""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.cache import LRUCache
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input, Static

from avm.core import opcodes
from avm.core.keccak import ZERO32, keccak256
from avm.core.values import CodePoint, value_hash
from debugger.engine.display import instruction_text, mnemonic, short_hex
from debugger.tui.chain_hashes import WhatIf, preimage_parts, target_index, what_if

HASH_CHARS = 10
INSTRUCTION_CHARS = 34    # the chain table's instruction column on a wide screen
DETAIL_WIDE = 92          # narrower detail panes put each pre-image part's name above its bytes
BACKGROUND_FROM = 5_000   # what-if edits at or beyond this index run in a thread worker


class ChainTable(ScrollView, can_focus=True):
    """Virtualised rows of ``index  instruction  imm-target  next-hash  hash``."""

    COMPONENT_CLASSES = {"chain--cursor", "chain--pc", "chain--changed", "chain--target", "chain--muted",
                         "chain--header"}
    DEFAULT_CSS = """
    ChainTable {
        background: $surface;
        height: 1fr;
        & > .chain--cursor { background: $boost; text-style: bold; }
        & > .chain--pc { color: $text-success; text-style: bold; }
        & > .chain--changed { color: $text-error; text-style: bold; }
        & > .chain--target { color: $text-accent; }
        & > .chain--muted { color: $text-muted; }
    }
    """
    BINDINGS = [
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home", "go(0)", "First", show=False),
        Binding("end", "go(-1)", "Last", show=False),
        Binding("enter,t", "follow_target", "Jump target"),
        Binding("n", "follow_next", "Next codepoint"),
    ]

    class Selected(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, program: Any, pc_index: int | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.program = program
        self.count = len(program.code) + 1          # the error codepoint closes the chain
        self.pc_index = pc_index
        self.cursor = pc_index if pc_index is not None and 0 <= pc_index < self.count else 0
        self.change: WhatIf | None = None
        self._iw = max(2, len(str(self.count)))
        self._strips: LRUCache[tuple, Strip] = LRUCache(512)
        self.virtual_size = Size(self._iw + 3 + 30 + 26 + 2 * (HASH_CHARS + 8) + 8, self.count)

    def codepoint(self, index: int) -> CodePoint:
        code = self.program.code
        return code[index] if index < len(code) else self.program.error_codepoint

    def row_hash(self, index: int) -> bytes:
        if self.change is not None and index in self.change.hashes:
            return self.change.hashes[index]
        return value_hash(self.codepoint(index))

    def set_change(self, change: WhatIf | None) -> None:
        self.change = change
        self._strips.clear()
        self.refresh()

    # -- cursor -------------------------------------------------------------------------------------
    def go(self, index: int) -> None:
        index = max(0, min(self.count - 1, index))
        old, self.cursor = self.cursor, index
        self.refresh_line(old)
        self.refresh_line(index)
        height, top = max(1, self.scrollable_content_region.height), round(self.scroll_offset.y)
        if not top <= index < top + height:
            self.scroll_to(y=max(0, index - height // 2), animate=False, immediate=True)
        self.post_message(self.Selected(index))

    def action_move(self, delta: int) -> None:
        self.go(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.go(self.cursor + direction * max(1, self.scrollable_content_region.height - 1))

    def action_go(self, index: int) -> None:
        self.go(index if index >= 0 else self.count - 1)

    def action_follow_target(self) -> None:
        target = target_index(self.codepoint(self.cursor).imm)
        if target is not None:
            self.go(target)

    def action_follow_next(self) -> None:
        self.go(self.cursor + 1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None:
            index = round(self.scroll_offset.y) + offset.y
            if 0 <= index < self.count:
                self.go(index)

    # -- rendering ----------------------------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def instruction_width(self, width: int) -> int:
        """Cells for the instruction column: 34, less on a narrow screen so the hash column (the point
        of the view) stays visible; the other columns take ``2 * index width + 55`` cells."""
        return max(12, min(INSTRUCTION_CHARS, width - 2 * self._iw - 55))

    def row_text(self, index: int, instr_width: int = 34) -> list[tuple[str, str | None]]:
        """The row as (text, component class) pieces; also used by tests."""
        cp = self.codepoint(index)
        is_err = index == len(self.program.code)
        label = self.program.labels.get(index, "") if not is_err else ""
        instr = "(error codepoint)" if is_err else instruction_text(cp, 24)
        if self.change is not None and index == self.change.index:
            instr = f"{instruction_text(self.change.codepoints[index], 16)} (was {mnemonic(cp.op)})"
        if label:
            instr = f"{label}: {instr}"
        target = target_index(cp.imm)
        changed = self.change is not None and index in self.change.hashes
        pieces: list[tuple[str, str | None]] = [
            (f"{index:>{self._iw}}", "chain--muted"),
            ("▶" if index == self.pc_index else " ", "chain--pc"),
            (f" {instr[:instr_width]:<{instr_width}} ", None),
        ]
        if target is not None:
            pieces.append((f"→#{target:<{self._iw}} {short_hex(self.row_hash(target), 6)} ", "chain--target"))
        else:
            pieces.append((" " * (self._iw + 2 + 10 + 1), None))
        next_hash = ZERO32 if cp.next is None else self.row_hash(index + 1)
        pieces.append((f" next {short_hex(next_hash)}", "chain--muted"))
        pieces.append((f"  hash {short_hex(self.row_hash(index))}", "chain--changed" if changed else None))
        if changed:
            pieces.append((" *changed", "chain--changed"))
        return pieces

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = round(scroll_y) + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= self.count:
            return Strip.blank(width, base)
        key = (index, index == self.cursor, width)
        strip = self._strips.get(key)
        if strip is None:
            line = base + self.get_component_rich_style("chain--cursor") if index == self.cursor else base
            segs = []
            for text, cls in self.row_text(index, self.instruction_width(width)):
                style: Style = line + self.get_component_rich_style(cls, partial=True) if cls else line
                segs.append(Segment(text, style))
            strip = Strip(segs).simplify().extend_cell_length(max(self.virtual_size.width, width), line)
            self._strips[key] = strip
        return strip.crop(round(scroll_x), round(scroll_x) + width)


class CodepointChain(Vertical):
    """Chain table + detail pane (keccak input of the selected codepoint) + the what-if editor."""

    DEFAULT_CSS = """
    CodepointChain { height: 1fr; }
    CodepointChain > #chain-help { height: auto; color: $text-muted; padding: 0 1; }
    CodepointChain > #chain-detail { height: auto; max-height: 16; padding: 0 1; border-top: solid $primary; }
    CodepointChain > #chain-edit { display: none; }
    CodepointChain > #chain-edit.-visible { display: block; }
    """
    BINDINGS = [
        Binding("e", "edit", "Change opcode"),
        Binding("x", "clear_edit", "Undo"),
    ]

    def __init__(self, program: Any, pc_index: int | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.program = program
        self.pc_index = pc_index

    def compose(self) -> ComposeResult:
        yield Static(
            "Code is a hash chain: hash = keccak(01 ‖ opcode ‖ [hash(immediate)] ‖ next hash). The index is "
            "only for reading (an EVM would jump to it); the machine knows only hashes. "
            "enter: follow a jump target   e: change an opcode   x: undo", id="chain-help")
        yield ChainTable(self.program, self.pc_index, id="chain-table")
        yield Static(id="chain-detail")
        yield Input(placeholder="new opcode (mnemonic or number), enter to apply, escape to cancel",
                    id="chain-edit")

    @property
    def table(self) -> ChainTable:
        return self.query_one(ChainTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.show_detail(self.table.cursor)

    def on_resize(self, event: events.Resize) -> None:
        self.show_detail(self.table.cursor)      # the detail's layout follows the width

    @on(ChainTable.Selected)
    def _selected(self, event: ChainTable.Selected) -> None:
        self.show_detail(event.index)

    def detail_text(self, index: int, narrow: bool = False) -> str:
        """Plain-text detail for the codepoint at ``index`` (the keccak input, recomputed); ``narrow``
        puts names above the 64-digit hex strings instead of beside them (80-column terminals)."""
        table = self.table
        cp = table.codepoint(index)
        change = table.change
        if change is not None and index in change.codepoints:
            cp = change.codepoints[index]
        lines = [f"codepoint #{index}: {'error codepoint' if cp.next is None else instruction_text(cp, 50)}"]
        parts = preimage_parts(cp)
        for name, data in parts:
            if not narrow:
                lines.append(f"  {data.hex():<64}  {name}")
            else:  # a hash goes under its name; a byte fits beside it
                lines += [f"  {name}:", f"    {data.hex()}"] if len(data) > 8 else [f"  {name}: {data.hex()}"]
        digest = keccak256(b"".join(d for _, d in parts))
        keccak = f"keccak256({sum(len(d) for _, d in parts)} bytes) ="
        lines += [f"  {keccak}", f"    0x{digest.hex()}"] if narrow else [f"  {keccak} 0x{digest.hex()}"]
        ok = digest == table.row_hash(index)
        lines.append("  = the hash in the table ✓" if ok else "  ≠ the hash in the table ✗")
        target = target_index(cp.imm)
        if target is not None:
            lines.append(f"  the immediate is a codepoint: its hash is row #{target}'s hash; "
                         "a jump continues there")
        if change is not None:
            lines.append(f"what if #{change.index} were {mnemonic(change.new_op)}: {len(change.hashes)} "
                         f"codepoint hashes change (rows 0..{change.index}); entry hash "
                         f"{short_hex(change.entry_before)} → {short_hex(change.entry_after)}")
        return "\n".join(lines)

    def show_detail(self, index: int) -> None:
        narrow = self.size.width < DETAIL_WIDE
        self.query_one("#chain-detail", Static).update(Text(self.detail_text(index, narrow)))

    def action_edit(self) -> None:
        if self.table.cursor >= len(self.program.code):
            self.notify("the error codepoint closes the chain; pick an instruction", severity="warning")
            return
        box = self.query_one("#chain-edit", Input)
        box.add_class("-visible")
        box.value = ""
        box.focus()

    def action_clear_edit(self) -> None:
        self.table.set_change(None)
        self.show_detail(self.table.cursor)

    @on(Input.Submitted, "#chain-edit")
    def _apply_edit(self, event: Input.Submitted) -> None:
        text = event.value.strip().lower()
        entry = opcodes.by_mnemonic(text)
        op: int | None = entry.code if entry else None
        if op is None:
            try:
                op = int(text, 0)
            except ValueError:
                op = None
        if op is None or not 0 <= op <= 0xFF:
            self.notify(f"not an opcode: {event.value!r}", severity="error")
            return
        self.apply_change(self.table.cursor, op)
        event.input.remove_class("-visible")
        self.table.focus()

    def apply_change(self, index: int, new_op: int) -> None:
        """Show the chain as it would be with opcode ``new_op`` at ``index``. Long prefixes (tens of
        thousands of codepoints to rehash) are recomputed in a thread worker."""
        if index < BACKGROUND_FROM:
            self._show_change(what_if(self.program, index, new_op))
            return
        self.notify(f"recomputing {index + 1:,} codepoint hashes…")
        self._what_if_worker(index, new_op)

    @work(thread=True, exclusive=True, group="what-if")
    def _what_if_worker(self, index: int, new_op: int) -> None:
        change = what_if(self.program, index, new_op)
        self.app.call_from_thread(self._show_change, change)

    def _show_change(self, change: WhatIf) -> None:
        self.table.set_change(change)
        self.show_detail(self.table.cursor)

    def on_key(self, event: events.Key) -> None:
        box = self.query_one("#chain-edit", Input)
        if event.key == "escape" and box.has_class("-visible"):
            box.remove_class("-visible")
            self.table.focus()
            event.stop()
