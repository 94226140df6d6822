"""Proof view: every field of an exported one-step proof (Proof and BufferProof), and whether it is
revealed in full or only as a hash (pre-image, Merkle root). The rows are :mod:`avm.proofs.inspect`'s,
the very rows ``avm-debug inspect`` prints."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from avm.proofs import inspect as proof_inspect
from debugger.tui.guard import DismissOnce, while_shown


def proof_table(table: DataTable, rows: list[proof_inspect.Row]) -> None:
    """Fill ``table`` with proof rows as ``avm-debug inspect`` shows them (both proof screens)."""
    if not table.columns:
        table.add_columns(*proof_inspect.COLUMNS)
    for r in rows:
        section, offset, length, name, seen, value = proof_inspect.row_cells(r).columns()
        style = "" if r.seen == proof_inspect.FULL else "italic"
        table.add_row(section, offset, length, Text(name, style=style),
                      Text(seen, style="bold" if r.seen == proof_inspect.FULL else "dim"),
                      Text(value[:120], style=style))


class ProofScreen(DismissOnce, ModalScreen[None]):
    """Shows where the proof was written, that it verified, and its fields."""

    BINDINGS = [Binding("escape,q,enter", "dismiss(None)", "Close")]
    DEFAULT_CSS = """
    ProofScreen { align: center middle; }
    ProofScreen > Vertical { width: 95%; height: 90%; border: thick $success; background: $surface; }
    ProofScreen #proof-head { height: auto; padding: 0 1; }
    ProofScreen DataTable { height: 1fr; }
    """

    def __init__(self, heading: str, proof_hex: str, buffer_proof_hex: str = "") -> None:
        super().__init__()
        self.heading = heading
        self.proof_hex = proof_hex
        self.buffer_proof_hex = buffer_proof_hex
        self.rows: list[proof_inspect.Row] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.heading, id="proof-head", markup=False)
            yield DataTable(id="proof-fields", cursor_type="row", zebra_stripes=True)

    @while_shown
    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        try:
            raw = bytes.fromhex(self.proof_hex.removeprefix("0x"))
            buffer_raw = bytes.fromhex(self.buffer_proof_hex.removeprefix("0x"))
            self.rows = proof_inspect.proof_rows(raw, buffer_raw)[1]
        except Exception as err:  # a decode problem must not take the debugger down
            self.rows = []
            self.query_one("#proof-head", Static).update(Text(f"{self.heading}\n(cannot decode: {err})"))
        proof_table(table, self.rows)
        table.focus()

    def revealed_summary(self) -> dict[str, Any]:
        """Field name -> "in full" or "hash only" (a stack field is named with its position)."""
        return {r.name: proof_inspect.FULL if r.seen == proof_inspect.FULL else proof_inspect.HASH_ONLY
                for r in self.rows}
