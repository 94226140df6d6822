"""Hashes pane: current and next codepoint hashes, the machine hash, and the codepoint as a pair."""

from __future__ import annotations

from typing import Any

from avm import values
from avm.keccak import ZERO32
from debugger.widgets.common import instruction_text, short_hex
from debugger.widgets.kv_pane import KeyValuePane

PENDING = "computing… (the program's code chain is being hashed)"


def hash_rows(session: Any, width: int = 40, ready: bool = True) -> list[tuple[str, str]]:
    m = session.machine
    if not ready:
        return [("codepoint", PENDING), ("machine", "computing…")]
    chars = max(8, min(64, width - 15))
    pc = m.pc
    cp_hash = values.value_hash(pc)
    next_hash = values.value_hash(pc.next) if pc.next is not None else ZERO32
    pair = f"({instruction_text(pc, max(6, chars - 14), session.program.labels)}, {short_hex(next_hash, 8)})"
    rows = [
        ("codepoint", short_hex(cp_hash, chars)),
        ("  = hash of", pair),
        ("next cp", short_hex(next_hash, chars) + ("  (zero: error codepoint)" if pc.next is None else "")),
        ("machine", short_hex(m.machine_hash(), chars)),
        ("err cp", short_hex(values.value_hash(m.err_handler), chars)),
        ("register", short_hex(values.value_hash(m.register), chars)),
        ("static", short_hex(values.value_hash(m.static), chars)),
    ]
    return rows


class HashesPane(KeyValuePane):
    """What the machine hash is made of: the codepoint hash chain and state hashes."""

    def update_from(self, session: Any, ready: bool = True, mark_changes: bool = True) -> None:
        self.set_rows(hash_rows(session, self.size.width or 40, ready), mark_changes=mark_changes)
