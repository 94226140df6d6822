"""One-line summaries of AVM values for display: never recursive, always bounded in length.

* int: decimal and hex (``42 (0x2a)``); big ones in hex, with the signed reading when negative
* tuple: arity and a shallow preview of its slots (nested tuples shown by arity only)
* codepoint: ``@12 label`` (instruction index and label), ``@err`` for an error codepoint,
  ``@rt:add`` for code built at run time
* buffer: its data length
"""

from __future__ import annotations

from collections.abc import Mapping

from avm.core.buffer import Buffer
from avm.core.opcodes import mnemonic
from avm.core.values import BufferRoot, CodePoint, HashPreImage, Tuple, value_hash

_SIGN = 1 << 255
_MOD = 1 << 256
DEFAULT_WIDTH = 72


def _clip(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    if width <= 1:
        return text[:width]
    return text[: width - 1] + "…"


def format_int(n: int, width: int = DEFAULT_WIDTH) -> str:
    """Decimal and hex; large values as abbreviated hex (with the signed value if it is small)."""
    if n < 10**12:
        return _clip(f"{n} (0x{n:x})", width)
    text = f"0x{n:x}"
    if len(text) > 24:
        text = text[:12] + "…" + text[-8:]
    if n >= _SIGN and _MOD - n < 10**12:
        text += f" ({n - _MOD})"
    return _clip(text, width)


def format_codepoint(cp: CodePoint, labels: Mapping[int, str] | None = None) -> str:
    if cp.op < 0:
        return f"@#{value_hash(cp).hex()[:8]}"
    if cp.next is None:
        return "@err"
    if cp.index >= 0:
        label = labels.get(cp.index) if labels else None
        return f"@{cp.index} {label}" if label else f"@{cp.index}"
    return f"@rt:{mnemonic(cp.op)}"


def _atom(v: object, labels: Mapping[int, str] | None) -> str:
    """Summary of a slot inside a tuple preview (no descent)."""
    if isinstance(v, int):
        return format_int(v, 24)
    if isinstance(v, Tuple):
        return f"({len(v.items)})[…]" if v.items else "()"
    if isinstance(v, CodePoint):
        return format_codepoint(v, labels)
    if isinstance(v, Buffer):
        return f"buf[{v.data_length()}]"
    if isinstance(v, HashPreImage):
        return f"tuple#size{v.size}"
    if isinstance(v, BufferRoot):
        return "buf#"
    return "?"


def summarize(v: object, labels: Mapping[int, str] | None = None, width: int = DEFAULT_WIDTH) -> str:
    """A one-line summary of any value, at most ``width`` characters."""
    if isinstance(v, int):
        return format_int(v, width)
    if isinstance(v, Tuple):
        items = v.items
        if not items:
            return "() none"
        parts = []
        used = 0
        for x in items:
            part = _atom(x, labels)
            parts.append(part)
            used += len(part) + 2
            if used > width:
                break
        text = f"({len(items)}) [" + ", ".join(parts) + ("]" if len(parts) == len(items) else ", …]")
        return _clip(text, width)
    if isinstance(v, CodePoint):
        return _clip("codepoint " + format_codepoint(v, labels), width)
    if isinstance(v, Buffer):
        return _clip(f"buffer length {v.data_length()}", width)
    if isinstance(v, HashPreImage):
        return _clip(f"tuple (pre-image, size {v.size}) 0x{v.inner.hex()[:12]}…", width)
    if isinstance(v, BufferRoot):
        return _clip(f"buffer (root 0x{v.root.hex()[:12]}…)", width)
    return _clip(f"<{type(v).__name__}>", width)
