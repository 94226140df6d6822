"""Write a Program as a version-2 ``.mexe`` (the JSON the reference loader reads).

The reference loader reads only ``code`` (``opcode`` + ``immediate`` per instruction) and
``static_val``; the extra keys written here are the ones compiler output carries and our loader
understands: ``debug_info`` (source location, compiled-breakpoint flag), ``file_name_chart`` and
``exported_funcs`` (labels), so a ``.mexe`` made by ``avm-debug asm`` still shows its ``.s`` lines.
"""

from __future__ import annotations

import json
import os
from typing import Any

from avm.core.program import Program
from avm.core.values import CodePoint, Tuple, Value
from avm.errors import UserError
from avm.formats.dag import distinct_tuples, expanded_counts
from avm.formats.mexe import ERROR_CODEPOINT_INDEX, value_to_json

SOURCE_FILE_ID = 0
#: the .mexe format writes every value as a tree (a shared tuple once per slot): past this many value
#: nodes (about 12 MB of JSON, which takes seconds and hundreds of MB to read back) writing is refused
#: with the reason
MAX_WRITTEN_NODES = 1 << 20


def _check_written_size(program: Program) -> None:
    """Refuse a program whose values, written out as trees, exceed ``MAX_WRITTEN_NODES`` (linear in the
    distinct nodes: a DAG of shared ``.const`` tuples is measured without expanding it)."""
    roots: list[Value] = [cp.imm for cp in program.code if type(cp.imm) is Tuple]
    roots.append(program.static)
    tuples, _ = distinct_tuples(roots)
    counts = expanded_counts(tuples, MAX_WRITTEN_NODES + 1)
    total = 0
    for i, root in enumerate(roots):
        total += counts[id(root)] if type(root) is Tuple else 1
        if total > MAX_WRITTEN_NODES:
            what = "the static value" if i == len(roots) - 1 else "the immediate values"
            raise UserError(f"cannot write a .mexe: {what} written out as trees exceed "
                            f"{MAX_WRITTEN_NODES:,} value nodes (the .mexe format cannot share a tuple "
                            "between slots; the program runs as it is: avm-debug run / the debugger)",
                            program.path)


def _index_of(program: Program):
    code = program.code
    n = len(code)

    def index_of(cp: CodePoint) -> int:
        if cp.is_error:
            return ERROR_CODEPOINT_INDEX
        if 0 <= cp.index < n and code[cp.index] is cp:
            return cp.index
        raise UserError("a codepoint built at run time cannot be written to a .mexe", program.path)

    return index_of


def program_to_json(program: Program, *, debug_info: bool = True) -> dict[str, Any]:
    """The .mexe document of ``program``. ``debug_info`` adds locations, breakpoints and labels."""
    _check_written_size(program)
    index_of = _index_of(program)
    files: dict[str, int] = {}
    code_json: list[dict[str, Any]] = []
    locations = program.locations
    for i, cp in enumerate(program.code):
        entry: dict[str, Any] = {
            "opcode": int(cp.op),
            "immediate": None if cp.imm is None else value_to_json(cp.imm, index_of),
        }
        if debug_info:
            loc = locations[i] if i < len(locations) else None
            loc_json = None
            if loc is not None:
                name = loc.file or ""
                fid = files.setdefault(name, SOURCE_FILE_ID + len(files))
                loc_json = {"line": loc.line - 1, "column": loc.column - 1, "file_id": fid}
            entry["debug_info"] = {"location": loc_json,
                                   "attributes": {"breakpoint": i in program.compiled_breakpoints}}
        code_json.append(entry)
    doc: dict[str, Any] = {
        "version": 2,
        "code": code_json,
        "static_val": value_to_json(program.static, index_of),
        "extensions": [],
    }
    if debug_info:
        doc["file_name_chart"] = {str(fid): name for name, fid in files.items()}
        n = len(program.code)
        doc["exported_funcs"] = [{"name": name, "codept": {"Internal": idx}}
                                 for idx, name in sorted(program.labels.items()) if 0 <= idx < n]
    return doc


def dumps_mexe(program: Program, *, debug_info: bool = True) -> str:
    """The .mexe text (compact JSON, one line)."""
    doc = program_to_json(program, debug_info=debug_info)
    try:
        return json.dumps(doc, separators=(",", ":"))
    except RecursionError:
        raise UserError("a value is nested too deeply to write as JSON", program.path) from None


def write_mexe(program: Program, path: str | os.PathLike[str], *, debug_info: bool = True) -> None:
    """Write ``program`` to ``path``; an unwritable path is a :class:`UserError`."""
    text = dumps_mexe(program, debug_info=debug_info)
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.write("\n")
    except OSError as exc:
        raise UserError(f"cannot write: {exc.strerror or exc}", os.fspath(path)) from None


__all__ = ["dumps_mexe", "program_to_json", "write_mexe"]
