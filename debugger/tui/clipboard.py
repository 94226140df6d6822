"""The text ``y`` copies for a value."""

from __future__ import annotations

from avm.core.program import Program
from avm.core.values import Value, value_hash
from debugger.engine.display import literal


def copy_text(value: Value, program: Program, form: str = "auto") -> str:
    """Integers as hex; anything else as a .s literal (``form`` = ``hex`` or ``literal`` forces one)."""
    if form == "hex" or (form == "auto" and isinstance(value, int)):
        return hex(value) if isinstance(value, int) else "0x" + value_hash(value).hex()
    try:
        return literal(value, program)
    except ValueError:  # run-time code inside: the value hash identifies it instead
        return "0x" + value_hash(value).hex()
