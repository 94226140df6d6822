"""Registers pane: gas, step, register, static, error codepoint, inbox, sends/logs, status."""

from __future__ import annotations

from typing import Any

from avm.values import MAX_INT
from debugger.widgets.common import codepoint_label, kind, short_hash, short_hex, summary
from debugger.widgets.kv_pane import KeyValuePane


def register_rows(session: Any, width: int = 40, ready: bool = True) -> list[tuple[str, str]]:
    """The rows of the registers pane for the session's current state."""
    m = session.machine
    room = max(12, width - 14)
    rows = [
        ("status", m.status.name.lower()),
        ("step", f"{session.step:,} / {session.history_end:,}"),
        ("gas left", gas_text(m.gas, room)),
        ("gas used", f"{m.gas_used:,}"),
        ("pc", codepoint_label(session.program, m.pc)),
        ("register", f"{kind(m.register)} {summary(m.register, room - 10)}"),
        ("reg hash", short_hash(m.register, room - 4)),
        ("static", f"{kind(m.static)} {short_hash(m.static, room - 14) if ready else 'hash: computing…'}"),
        ("err cp", codepoint_label(session.program, m.err_handler)),
        ("inbox", f"{m.inbox_count} read / {len(m.inbox)}  acc {short_hex(m.inbox_acc, 8)}"),
        ("sends", f"{m.send_count}  acc {short_hex(m.send_acc, 8)}"),
        ("logs", f"{m.log_count}  acc {short_hex(m.log_acc, 8)}"),
    ]
    return rows


def gas_text(gas: int, room: int = 40) -> str:
    if gas == MAX_INT:
        return "MAX (2^256-1, the initial gas)"
    if MAX_INT - gas < 10**12:
        return f"MAX - {MAX_INT - gas:,}"
    if gas < 10**15:
        return f"{gas:,}"
    text = f"{gas:#x}"
    return text if len(text) <= room else text[: room - 1] + "…"


class RegistersPane(KeyValuePane):
    """Machine registers; changed rows are highlighted."""

    def update_from(self, session: Any, ready: bool = True, mark_changes: bool = True) -> None:
        self.set_rows(register_rows(session, self.size.width or 40, ready), mark_changes=mark_changes)
