"""Registers pane: gas, step, register, static, error codepoint, inbox, sends/logs, status."""

from __future__ import annotations

from typing import Any

from textual.reactive import reactive

from avm.core.l1_inbox import inbox_position
from avm.core.values import MAX_INT
from debugger.engine.display import codepoint_label, full_hash, kind, status_text, summary
from debugger.tui.position import Position
from debugger.tui.widgets.kv_pane import KeyValuePane


def register_rows(session: Any, ready: bool = True) -> list[tuple[str, str]]:
    """The rows of the registers pane for the session's current state."""
    m = session.machine
    rows = [
        ("status", status_text(m)),
        ("step", f"{session.step:,} / {session.history_end:,}"),
        ("gas left", gas_text(m.gas)),
        ("gas used", f"{m.gas_used:,}"),
        ("pc", codepoint_label(session.program, m.pc)),
        ("register", f"{kind(m.register)} {summary(m.register, 60)}"),
        ("reg hash", full_hash(m.register)),
        ("static", f"{kind(m.static)} {full_hash(m.static) if ready else 'hash: computing…'}"),
        ("err cp", codepoint_label(session.program, m.err_handler)),
        ("inbox", f"{m.inbox_count} read / {len(m.inbox)}  acc 0x{m.inbox_acc.hex()}"),
        *([("L1 inbox", where)] if (where := inbox_position(m.inbox, m.inbox_count)) else []),
        ("sends", f"{m.send_count}  acc 0x{m.send_acc.hex()}"),
        ("logs", f"{m.log_count}  acc 0x{m.log_acc.hex()}"),
    ]
    return rows


def gas_text(gas: int) -> str:
    if gas == MAX_INT:
        return "MAX (2^256-1, the initial gas)"
    if MAX_INT - gas < 10**12:
        return f"MAX - {MAX_INT - gas:,}"
    if gas < 10**15:
        return f"{gas:,}"
    return f"{gas:#x}"


class RegistersPane(KeyValuePane):
    """Machine registers; changed rows are highlighted."""

    position: reactive[Position | None] = reactive(None, init=False, always_update=True)

    def watch_position(self, p: Position | None) -> None:
        if p is not None:
            self.set_rows(register_rows(p.session, p.hashes_ready), mark_changes=p.mark_changes)
