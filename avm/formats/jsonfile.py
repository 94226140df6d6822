"""Reading a JSON input file with every failure turned into a ``UserError`` naming the file."""

from __future__ import annotations

import json
import os
from typing import Any

from avm.errors import UserError


def read_json(path: str | os.PathLike[str], kind: str = "JSON file") -> Any:
    """The parsed document at ``path``. Missing or unreadable files, non-UTF-8 bytes, invalid JSON
    (with its line and column) and absurd nesting are ``UserError``s; ``kind`` names what was
    expected in the message for a directory (``"is a directory, not a .mexe file"``)."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        raise UserError("no such file", name) from None
    except IsADirectoryError:
        raise UserError(f"is a directory, not a {kind}", name) from None
    except OSError as exc:
        raise UserError(f"cannot read: {exc.strerror or exc}", name) from None
    try:
        return json.loads(raw)
    except UnicodeDecodeError:
        raise UserError("not a JSON file (not UTF-8 text)", name) from None
    except json.JSONDecodeError as exc:
        raise UserError(f"not valid JSON: {exc.msg}", name, exc.lineno, exc.colno) from None
    except RecursionError:
        raise UserError("not valid JSON: nested too deeply", name) from None
