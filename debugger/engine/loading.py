"""The one place that picks a loader: ``.s`` / ``.avm`` assembly -> the assembler, anything else -> .mexe.

A program without inbox messages of its own gets the inbox file next to it, ``NAME.inbox.json`` for
``NAME.s`` (how a sample ships its L1 inbox)."""

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
        program = assembler.assemble_file(name)
    else:
        program = load_mexe(name)
    companion = companion_inbox_path(name)
    if not program.inbox and os.path.isfile(companion):
        from avm.core.inbox import load_inbox

        program.inbox = load_inbox(companion)
    return program


def companion_inbox_path(program_path: str) -> str:
    """``NAME.inbox.json`` next to ``NAME.s`` (or ``NAME.mexe``)."""
    return os.path.splitext(program_path)[0] + ".inbox.json"
