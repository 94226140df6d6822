"""Reading a JSON input file with every failure turned into a ``UserError`` naming the file."""

from __future__ import annotations

import json
import os
import re
from typing import Any

from avm.errors import UserError
from avm.formats.input_file import read_bytes

#: 2**256 has 78 decimal digits: no field of any input file (values are 256-bit, every other number is
#: smaller) holds a longer integer, so a longer one is refused while parsing (Python would refuse past
#: 4,300 digits with a bare ValueError, and converting a long one costs quadratic time)
MAX_INT_DIGITS = 78
_LONG_NUMBER = re.compile(rb"-?[0-9]{%d,}" % (MAX_INT_DIGITS + 1))


# every digit read as "0": a run of MAX_INT_DIGITS + 1 zeros then finds any digit run that long (6 ms for
# the 3.4 MB contract.mexe, where the per-number hook costs ~17 ms; runs inside strings just take the hook)
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_DIGIT_RUN = b"0" * (MAX_INT_DIGITS + 1)


class _NumberTooLong(Exception):
    pass


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _NumberTooLong
    return int(text)


def _where(raw: bytes, match: re.Match[bytes] | None) -> tuple[int | None, int | None]:
    """1-based line and column of a match in ``raw`` (columns count characters, like an editor)."""
    if match is None:
        return None, None
    before = raw[: match.start()]
    line_start = before.rfind(b"\n") + 1
    return before.count(b"\n") + 1, len(before[line_start:].decode("utf-8", "replace")) + 1


def read_json(path: str | os.PathLike[str], kind: str = "JSON file") -> Any:
    """The parsed document at ``path``. Missing or unreadable files, non-UTF-8 bytes, invalid JSON
    (with its line and column), integers too long for any field and absurd nesting are
    ``UserError``s; ``kind`` names what was expected in the message for a directory (``"is a directory,
    not a .mexe file"``)."""
    return parse_json(read_bytes(path, kind), os.fspath(path))


def parse_json(raw: bytes | str, name: str) -> Any:
    """``json.loads`` with every failure a ``UserError`` naming ``name`` (see :func:`read_json`)."""
    try:
        careful = not isinstance(raw, bytes) or _LONG_DIGIT_RUN in raw.translate(_DIGITS_AS_ZERO)
        return json.loads(raw, parse_int=_parse_int if careful else None)
    except UnicodeDecodeError:
        raise UserError("not a JSON file (not UTF-8 text)", name) from None
    except json.JSONDecodeError as exc:
        raise UserError(f"not valid JSON: {exc.msg}", name, exc.lineno, exc.colno) from None
    except _NumberTooLong:
        data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
        line, col = _where(data, _LONG_NUMBER.search(data))
        raise UserError(f"number too large: more than {MAX_INT_DIGITS} digits (no field holds more "
                        "than 256 bits)", name, line, col) from None
    except ValueError as exc:   # any other conversion limit of the parser: still bad input
        raise UserError(f"not valid JSON: {exc}", name) from None
    except RecursionError:
        raise UserError("not valid JSON: nested too deeply", name) from None
