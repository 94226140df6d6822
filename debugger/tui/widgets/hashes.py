"""Hashes pane: current and next codepoint hashes, the machine hash, and the codepoint as a pair."""

from __future__ import annotations

from typing import Any

from textual.reactive import reactive

from avm.core import values
from avm.core.keccak import ZERO32
from debugger.engine.display import full_hash, instruction_text, short_hex
from debugger.tui.position import Position
from debugger.tui.widgets.kv_pane import KeyValuePane

PENDING = "computing… (the program's code chain is being hashed)"


def hash_rows(session: Any, ready: bool = True) -> list[tuple[str, str]]:
    m = session.machine
    if not ready:
        return [("codepoint", PENDING), ("machine", "computing…")]
    pc = m.pc
    cp_hash = values.value_hash(pc)
    next_hash = values.value_hash(pc.next) if pc.next is not None else ZERO32
    pair = f"({instruction_text(pc, 24, session.program.labels)}, {short_hex(next_hash, 8)})"
    rows = [
        ("codepoint", f"0x{cp_hash.hex()}"),
        ("  = hash of", pair),
        ("next cp", "zero: this is an error codepoint" if pc.next is None else f"0x{next_hash.hex()}"),
        ("machine", f"0x{m.machine_hash().hex()}"),
        ("err cp", full_hash(m.err_handler)),
        ("register", full_hash(m.register)),
        ("static", full_hash(m.static)),
    ]
    return rows


class HashesPane(KeyValuePane):
    """What the machine hash is made of: the codepoint hash chain and state hashes."""

    position: reactive[Position | None] = reactive(None, init=False, always_update=True)

    def watch_position(self, p: Position | None) -> None:
        if p is not None:
            self.set_rows(hash_rows(p.session, p.hashes_ready), mark_changes=p.mark_changes)
