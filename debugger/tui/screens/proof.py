"""Proof view: every field of an exported one-step proof, and whether it is revealed in full or only
as a hash (pre-image, Merkle root)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from avm.proofs.decode import PValue, decode_proof
from debugger.engine.display import short_hex
from debugger.tui.guard import DismissOnce, while_shown


def field_value_text(value: object) -> str:
    if isinstance(value, PValue):
        return value.short()
    if isinstance(value, bytes):
        return short_hex(value, 24)
    return str(value)


def proof_rows(proof_hex: str) -> list[tuple[str, str, str, str, str]]:
    """(offset, length, field, revealed, value) for each field of the proof bytes."""
    data = bytes.fromhex(proof_hex.removeprefix("0x"))
    decoded = decode_proof(data)
    rows = []
    for f in decoded.fields:
        revealed = "in full" if f.in_full else "hash only"
        rows.append((str(f.offset), str(f.length), "  " * f.depth + f.name, revealed,
                     field_value_text(f.value) + (f"  ({f.note})" if f.note else "")))
    return rows


class ProofScreen(DismissOnce, ModalScreen[None]):
    """Shows where the proof was written, that it verified, and its fields."""

    BINDINGS = [Binding("escape,q,enter", "dismiss(None)", "Close")]
    DEFAULT_CSS = """
    ProofScreen { align: center middle; }
    ProofScreen > Vertical { width: 95%; height: 90%; border: thick $success; background: $surface; }
    ProofScreen #proof-head { height: auto; padding: 0 1; }
    ProofScreen DataTable { height: 1fr; }
    """

    def __init__(self, heading: str, proof_hex: str) -> None:
        super().__init__()
        self.heading = heading
        self.proof_hex = proof_hex
        self.rows: list[tuple[str, str, str, str, str]] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.heading, id="proof-head", markup=False)
            yield DataTable(id="proof-fields", cursor_type="row", zebra_stripes=True)

    @while_shown
    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("offset", "bytes", "field", "revealed", "value")
        try:
            self.rows = proof_rows(self.proof_hex)
        except Exception as err:  # a decode problem must not take the debugger down
            self.rows = []
            self.query_one("#proof-head", Static).update(Text(f"{self.heading}\n(cannot decode: {err})"))
        for row in self.rows:
            style = "" if row[3] == "in full" else "italic"
            table.add_row(*(Text(cell, style=style) for cell in row))
        table.focus()

    def revealed_summary(self) -> dict[str, Any]:
        return {row[2].strip(): row[3] for row in self.rows}
