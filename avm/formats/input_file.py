"""Reading an input file the user named: every failure is a one-line ``UserError`` naming the file."""

from __future__ import annotations

import os

from avm.errors import UserError


def read_bytes(path: str | os.PathLike[str], kind: str) -> bytes:
    """The bytes of the file at ``path``; ``kind`` names what was expected, for a directory
    (``"is a directory, not a .s file"``)."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise UserError("no such file", name) from None
    except IsADirectoryError:
        raise UserError(f"is a directory, not a {kind}", name) from None
    except OSError as exc:
        raise UserError(f"cannot read: {exc.strerror or exc}", name) from None


def read_text(path: str | os.PathLike[str], kind: str) -> str:
    """The file at ``path`` as UTF-8 text (see :func:`read_bytes`; other bytes are a ``UserError``)."""
    raw = read_bytes(path, kind)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"not UTF-8 text (byte {exc.start})", os.fspath(path)) from None
