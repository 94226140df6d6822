"""Listing search: the next instruction whose text or label contains a needle, or whose immediate
equals it as a number."""

from __future__ import annotations

from collections.abc import Callable

from avm.core.program import Program


def find_instruction(program: Program, line_text: Callable[[int], str], needle: str, start: int,
                     direction: int) -> int | None:
    """The first index after ``start`` (before it when ``direction`` < 0, wrapping) that matches."""
    text = needle.lower().strip()
    try:
        number: int | None = int(text.replace("_", ""), 0)
    except ValueError:
        number = None
    code = program.code
    count = len(code)
    labels = program.labels
    for offset in range(1, count + 1):
        index = (start + direction * offset) % count
        if (text in labels.get(index, "").lower() or text in line_text(index).lower()
                or (number is not None and type(code[index].imm) is int and code[index].imm == number)):
            return index
    return None
