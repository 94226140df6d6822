"""``:dump FILE`` writes what the name promises: ``.jsonl`` -> the execution trace, one JSON object per
state (:func:`debugger.engine.insight.export_trace`); any other name (``state.json``) -> one JSON
document of the current machine state.

Values in the state document use the ``.mexe`` value encoding (``{"Int": hex}``, ``{"Tuple": [...]}``,
``{"Buffer": hex}``, ``{"CodePoint": {"Internal": index}}``); a codepoint built at run time, or a value
that written out as a tree would exceed ``MAX_VALUE_NODES`` nodes, is written as its summary and hash.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

from avm.core.summary import summarize
from avm.core.values import CodePoint, Tuple, Value, value_hash
from avm.errors import UserError
from avm.formats.dag import distinct_tuples, expanded_counts
from avm.formats.mexe import ERROR_CODEPOINT_INDEX, value_to_json
from debugger.engine.display import status_word
from debugger.resources import display_path

if TYPE_CHECKING:
    from debugger.engine.session import Session

TRACE_SUFFIX = ".jsonl"
MAX_VALUE_NODES = 10_000


class _RuntimeCode(Exception):
    pass


def _index_of(cp: CodePoint) -> int:
    if cp.is_error:
        return ERROR_CODEPOINT_INDEX
    if cp.index < 0:
        raise _RuntimeCode
    return cp.index


def value_document(v: Value, labels: dict[int, str] | None = None) -> Any:
    """A value in the .mexe encoding, or ``{"summary", "hash"}`` when that is impossible or huge."""
    if type(v) is Tuple:
        tuples, _ = distinct_tuples([v])
        if expanded_counts(tuples, MAX_VALUE_NODES + 1)[id(v)] > MAX_VALUE_NODES:
            return {"summary": summarize(v, labels), "hash": "0x" + value_hash(v).hex()}
    try:
        return value_to_json(v, _index_of)
    except _RuntimeCode:
        return {"summary": summarize(v, labels), "hash": "0x" + value_hash(v).hex()}


def state_document(session: Session) -> dict[str, Any]:
    """The current state of ``session`` as one JSON-ready document."""
    m = session.machine
    labels = session.program.labels
    pc = m.pc

    def values(items: list[Value]) -> list[Any]:       # top of the stack first, as the panes show
        return [value_document(v, labels) for v in reversed(items)]

    return {
        "program": display_path(session.program.path or "program"),
        "step": m.steps,
        "status": status_word(m),
        "blocked": bool(getattr(m, "blocked", False)),
        "pc": pc.index,
        "next_instruction": summarize(pc, labels),
        "machine_hash": "0x" + m.machine_hash().hex(),
        "gas_remaining": m.gas,
        "gas_used": m.gas_used,
        "stack": values(m.stack),
        "aux_stack": values(m.aux),
        "register": value_document(m.register, labels),
        "static": value_document(m.static, labels),
        "error_handler": summarize(m.err_handler, labels),
        "last_error": m.last_error,
        "inbox": {"messages_read": m.inbox_count, "pending": len(m.inbox),
                  "accumulator": "0x" + m.inbox_acc.hex()},
        "sends": {"count": m.send_count, "accumulator": "0x" + m.send_acc.hex()},
        "logs": {"count": m.log_count, "accumulator": "0x" + m.log_acc.hex()},
    }


def write_dump(session: Session, path: str | os.PathLike[str]) -> str:
    """Write the trace (``.jsonl``) or the current state (anything else) to ``path``; returns what was
    written, for the status line."""
    name = os.fspath(path)
    if name.lower().endswith(TRACE_SUFFIX):
        count = session.write_trace(name)
        return f"trace of {count:,} states written to {name} (JSON Lines)"
    doc = state_document(session)
    try:
        with open(name, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=1)
            fh.write("\n")
    except OSError as err:
        raise UserError(f"cannot write: {err.strerror or err}", name) from None
    return f"state at step {doc['step']:,} written to {name} (use a .jsonl name for the trace)"


__all__ = ["state_document", "value_document", "write_dump"]
