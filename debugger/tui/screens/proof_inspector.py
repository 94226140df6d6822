"""Proof inspector screen: the entries of a proof file, each decoded field by field.

Left: the entries (step, opcode, sizes). Right: the selected entry's byte ranges (section, offset,
length, field, full or hash-only, value) and the machine hashes rebuilt from it. All the logic is in
:mod:`avm.proofs.inspect`; this module only lays it out.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from avm.core import opcodes
from avm.errors import UserError
from avm.proofs import inspect as proof_inspect
from debugger.tui.guard import DismissOnce, while_shown
from debugger.tui.screens.proof import proof_table


class ProofInspectorScreen(DismissOnce, Screen):
    """Inspect a proof file (a path) or proof entries already in memory (a list of entry dicts)."""

    DEFAULT_CSS = """
    ProofInspectorScreen #pi-entries { width: 30; border-right: solid $primary; }
    ProofInspectorScreen #pi-title { height: auto; padding: 0 1; color: $text-accent; text-style: bold; }
    ProofInspectorScreen #pi-rows { height: 2fr; }
    ProofInspectorScreen #pi-hashes { height: 1fr; border-top: solid $primary; }
    ProofInspectorScreen #pi-hash-text { padding: 0 1; width: auto; }
    """
    BINDINGS = [
        Binding("escape,q", "dismiss", "Close"),
        Binding("tab", "focus_next", "Next pane", show=False),
    ]

    def __init__(self, source: str | Path | list[dict], start: int = 0, title: str | None = None) -> None:
        super().__init__()
        self.source = source
        self.start = start
        self.entries: list[proof_inspect.ProofEntry] = []
        self.inspected: dict[int, proof_inspect.EntryInspection | str] = {}
        self.current: int | None = None
        self.title_text = title or (Path(source).name if isinstance(source, (str, Path)) else "proof")

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield DataTable(id="pi-entries", cursor_type="row", zebra_stripes=True)
            with Vertical():
                yield Static(id="pi-title")
                yield DataTable(id="pi-rows", cursor_type="row", zebra_stripes=True)
                with ScrollableContainer(id="pi-hashes"):
                    yield Static(id="pi-hash-text")
        yield Footer()

    @while_shown
    def on_mount(self) -> None:
        try:
            if isinstance(self.source, (str, Path)):
                self.entries = proof_inspect.load_entries(self.source)
            else:
                self.entries = [proof_inspect.as_entry(e, i) for i, e in enumerate(self.source)]
        except UserError as exc:
            self.query_one("#pi-title", Static).update(Text(f"{self.title_text}: {exc}"))
            return
        table = self.query_one("#pi-entries", DataTable)
        table.add_columns("#", "opcode", "bytes")
        for i, entry in enumerate(self.entries):
            step = entry.extras.get("step")
            label = str(i) if step is None else f"{i} (step {step})"
            table.add_row(label, opcodes.mnemonic(entry.proof[0]), str(len(entry.proof)), key=str(i))
        if self.entries:
            start = max(0, min(self.start, len(self.entries) - 1))
            table.move_cursor(row=start)
            self.show_entry(start)
        if len(self.entries) == 1:
            # one proof (what `p` exports): the title names it, and its fields get the whole width
            table.display = False
            self.query_one("#pi-rows", DataTable).focus()
        else:
            table.focus()

    @on(DataTable.RowHighlighted, "#pi-entries")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value is not None:
            self.show_entry(int(event.row_key.value))

    def inspection(self, index: int) -> proof_inspect.EntryInspection | str:
        """The decoded entry, or the error text when it does not decode (cached)."""
        got = self.inspected.get(index)
        if got is None:
            try:
                got = proof_inspect.inspect_entry(self.entries[index], index)
            except UserError as exc:
                got = f"entry {index} does not decode: {exc}"
            self.inspected[index] = got
        return got

    def show_entry(self, index: int) -> None:
        if index == self.current:
            return
        self.current = index
        got = self.inspection(index)
        title = self.query_one("#pi-title", Static)
        rows = self.query_one("#pi-rows", DataTable)
        text = self.query_one("#pi-hash-text", Static)
        rows.clear()
        if isinstance(got, str):
            title.update(Text(f"{self.title_text}: {got}"))
            text.update("")
            return
        title.update(Text(f"{self.title_text} — entry {index} of {len(self.entries)}: {got.mnemonic} "
                          f"(0x{got.opcode:02x}); Proof {len(got.proof)} bytes, BufferProof "
                          f"{len(got.buffer_proof)} bytes"))
        proof_table(rows, got.rows)
        text.update(Text(hash_text(got)))


def hash_text(e: proof_inspect.EntryInspection) -> str:
    """The rebuilt hashes as plain lines (also shown by ``avm-debug inspect``)."""
    return "\n".join(proof_inspect.render_entry(e).splitlines()[2 + len(e.rows):])
