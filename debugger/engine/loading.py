"""The one place that picks a loader: ``.s`` / ``.avm`` assembly -> the assembler, anything else -> .mexe."""

from __future__ import annotations

import importlib
import os

from avm.core.program import Program
from avm.errors import UserError
from avm.formats.mexe import load_mexe

ASSEMBLY_SUFFIXES = (".s", ".avm")


def load_program(path: str | os.PathLike[str]) -> Program:
    """Load a program from an assembly file or a .mexe executable (UserError on bad input)."""
    name = os.fspath(path)
    if name.lower().endswith(ASSEMBLY_SUFFIXES):
        try:
            assembler = importlib.import_module("avm.formats.assembler")
        except ImportError as exc:
            raise UserError(f"cannot assemble: the assembler is not available ({exc})", name) from None
        return assembler.assemble_file(name)
    return load_mexe(name)
