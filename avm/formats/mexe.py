"""The ``.mexe`` JSON executable loader (reference version 2 and ArbOS-compiler output) and value codec.

Value encoding: ``{"Int": "hex"}`` (no 0x, two's complement for negatives written out in full),
``{"Tuple": [...]}`` (0..8 items), ``{"CodePoint": {"Internal": N}}`` (N = index into ``code``;
2**64-1 or N = len(code) = the error codepoint), ``{"Buffer": "hexbytes"}``.

Compiler extras: ``debug_info.location`` (or a top-level ``location``) gives a 0-based line/column and a
``file_id`` resolved through ``file_name_chart`` (``file_info_chart`` in newer compilers);
``debug_info.attributes.breakpoint`` marks compiled breakpoints; ``exported_funcs`` name function entries.
Every error is a ``UserError`` naming the file and the JSON path of the bad element.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from typing import Any

from avm.core.buffer import Buffer
from avm.core.gc_pause import paused_gc
from avm.core.program import GlobalVar, Program, SourceLocation
from avm.core.values import MAX_TUPLE, CodePoint, Tuple, Value, error_codepoint
from avm.errors import UserError
from avm.formats.jsonfile import read_json

ERROR_CODEPOINT_INDEX = (1 << 64) - 1
_HEX = frozenset("0123456789abcdefABCDEF")


class _Bad(Exception):
    """Internal: a bad element at a JSON path (turned into UserError with the file name)."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


def _parse_hex_int(s: object, where: Any) -> int:
    """An ``{"Int": s}`` body at ``where`` (the path of the value object)."""
    if type(s) is not str or not s or len(s) > 64 or not _HEX.issuperset(s):
        raise _Bad(_render(where) + ".Int",
                   f"bad hex integer {json.dumps(s)[:40]} (expected 1-64 hex digits, no 0x)")
    return int(s, 16)


def _parse_hex_bytes(s: object, where: str) -> bytes:
    if type(s) is not str:
        raise _Bad(where, "buffer must be a hex string")
    text = s[2:] if s.startswith(("0x", "0X")) else s
    if len(text) % 2 or not _HEX.issuperset(text):
        raise _Bad(where, f"bad hex bytes {json.dumps(s)[:40]}")
    return bytes.fromhex(text)


def _render(where: Any) -> str:
    """A JSON path kept lazily (a string, or a (parent path, suffix) pair: 36,000 immediates would
    otherwise each build path strings that only an error message reads)."""
    parts: list[str] = []
    while type(where) is tuple:
        where, suffix = where
        parts.append(suffix)
    parts.append(where)
    return "".join(reversed(parts))


def _convert(obj: Any, where: Any, resolve: Callable[[int, Any], CodePoint] | None) -> Value:
    """Iterative JSON -> Value conversion; ``resolve`` maps a CodePoint Internal index to a codepoint.
    ``where`` is the JSON path of ``obj`` (see ``_render``)."""
    # fast path for the common scalar case
    if type(obj) is dict and len(obj) == 1 and "Int" in obj:
        return _parse_hex_int(obj["Int"], where)
    results: list[Value] = []
    # work items: ("v", obj, where) to convert, ("t", n) to build a tuple from the last n results
    work: list[tuple] = [("v", obj, where)]
    # equal tuples of ints and tuples become one object (the format writes a shared tuple once per
    # slot; sharing it again keeps hashing, display and disassembly linear in distinct nodes)
    interned: dict[tuple[tuple[bool, ...], tuple[int, ...]], Tuple] = {}
    while work:
        item = work.pop()
        if item[0] == "t":
            n = item[1]
            if n:
                items = tuple(results[-n:])
                del results[-n:]
            else:
                items = ()
            if all(type(x) is int or type(x) is Tuple for x in items):
                key = (tuple(type(x) is int for x in items),
                       tuple(x if type(x) is int else id(x) for x in items))
                known = interned.get(key)
                if known is None:
                    known = interned[key] = Tuple(items)
                results.append(known)
            else:
                results.append(Tuple(items))
            continue
        _, o, w = item
        if type(o) is not dict or len(o) != 1:
            raise _Bad(_render(w), "expected a value object with one key (Int, Tuple, CodePoint or Buffer)")
        (kind, body), = o.items()
        if kind == "Int":
            if type(body) is str and 0 < len(body) <= 64 and _HEX.issuperset(body):
                results.append(int(body, 16))
            else:
                results.append(_parse_hex_int(body, w))
        elif kind == "Tuple":
            if type(body) is not list:
                raise _Bad(_render(w) + ".Tuple", "tuple must be a JSON array")
            if len(body) > MAX_TUPLE:
                raise _Bad(_render(w) + ".Tuple", f"tuple has {len(body)} items (at most 8)")
            work.append(("t", len(body)))
            for i in range(len(body) - 1, -1, -1):
                work.append(("v", body[i], (w, f".Tuple[{i}]")))
        elif kind == "CodePoint":
            if type(body) is not dict or "Internal" not in body:
                raise _Bad(_render(w) + ".CodePoint", 'codepoint must be {"Internal": N}')
            n = body["Internal"]
            if type(n) is not int or n < 0:
                raise _Bad(_render(w) + ".CodePoint.Internal",
                           "codepoint index must be a non-negative integer")
            if resolve is None:
                raise _Bad(_render(w), "codepoints are not allowed here")
            results.append(resolve(n, (w, ".CodePoint.Internal")))
        elif kind == "Buffer":
            results.append(Buffer.from_bytes(_parse_hex_bytes(body, _render(w) + ".Buffer")))
        else:
            raise _Bad(_render(w),
                       f"unknown immediate kind {kind!r} (expected Int, Tuple, CodePoint or Buffer)")
    return results[0]


def _resolver(code: Sequence[CodePoint], err: CodePoint, after: int = -1) -> Callable[[int, Any], CodePoint]:
    n_code = len(code)

    def resolve(n: int, where: Any) -> CodePoint:
        # the reference loader maps Internal N to its reversed slot op_count - N; slot 0 is the error
        # codepoint, so both 2**64-1 (the compiler's marker) and N == len(code) name it
        if n == ERROR_CODEPOINT_INDEX or n == n_code:
            return err
        if n >= n_code:
            raise _Bad(_render(where),
                       f"codepoint index {n} out of range (program has {n_code} instructions)")
        if n <= after:
            raise _Bad(_render(where), f"codepoint index {n} must refer to a later instruction than {after} "
                                       "(the hash chain cannot loop)")
        return code[n]

    return resolve


def value_from_json(obj: Any, code: Sequence[CodePoint] | Program | None = None, *,
                    source: str | None = None, where: str = "value") -> Value:
    """Convert the .mexe JSON encoding of a value. ``code`` resolves ``CodePoint`` references (a
    Program or its code list; without it codepoints are rejected)."""
    resolve = None
    if code is not None:
        if isinstance(code, Program):
            resolve = _resolver(code.code, code.error_codepoint)
        else:
            err = code[-1].next if code and code[-1].next is not None else error_codepoint(len(code))
            resolve = _resolver(code, err)
    try:
        return _convert(obj, where, resolve)
    except _Bad as bad:
        raise UserError(f"{bad.where}: {bad.message}", source) from None


def value_to_json(v: Value, index_of: Callable[[CodePoint], int]) -> Any:
    """The inverse of ``value_from_json``; ``index_of`` gives a codepoint's JSON index (2**64-1 for the
    error codepoint). Iterative (the result itself may be too deep for ``json.dumps``). A tuple held in
    several slots becomes one JSON object referenced from each (``json.dumps`` writes it out each
    time: the format has no sharing), so building the document costs the distinct nodes only."""
    root: list = []
    work: list[tuple[Value, list]] = [(v, root)]
    done: dict[int, dict] = {}
    while work:
        x, out = work.pop()
        t = type(x)
        if t is int:
            out.append({"Int": format(x, "x")})
        elif t is Tuple:
            known = done.get(id(x))
            if known is not None:
                out.append(known)
                continue
            items: list = []
            out.append(done.setdefault(id(x), {"Tuple": items}))
            for c in reversed(x.items):  # type: ignore[union-attr]  # LIFO: first child converted first
                work.append((c, items))
        elif t is CodePoint:
            out.append({"CodePoint": {"Internal": index_of(x)}})  # type: ignore[arg-type]
        elif t is Buffer:
            out.append({"Buffer": x.to_bytes().hex()})  # type: ignore[union-attr,call-arg]
        else:
            raise TypeError(f"cannot encode {type(x).__name__} as .mexe JSON")
    return root[0]


def _location(entry: dict, names: dict[int, str]) -> SourceLocation | None:
    loc = None
    debug = entry.get("debug_info")
    if type(debug) is dict:
        loc = debug.get("location")
    if loc is None:
        loc = entry.get("location")
    if type(loc) is not dict:
        return None
    line, column = loc.get("line"), loc.get("column")
    if type(line) is not int or type(column) is not int:
        return None
    file_id = loc.get("file_id")
    name = names.get(file_id) if type(file_id) is int else None
    absolute = loc.get("absolute")
    return SourceLocation(name, line + 1, column + 1, absolute if type(absolute) is int else None)


def _file_names(doc: dict) -> dict[int, str]:
    chart = doc.get("file_name_chart")
    if chart is None:
        chart = doc.get("file_info_chart")
    names: dict[int, str] = {}
    if type(chart) is dict:
        for key, value in chart.items():
            try:
                fid = int(key)
            except ValueError:
                continue
            if type(value) is str:
                names[fid] = value
            elif type(value) is dict and type(value.get("name")) is str:
                names[fid] = value["name"]
    return names


def program_from_json(doc: Any, source: str | None = None) -> Program:
    """Build a Program from a parsed .mexe document."""
    try:
        return _program_from_json(doc, source)
    except _Bad as bad:
        raise UserError(f"{bad.where}: {bad.message}", source) from None
    except RecursionError:
        raise UserError("value nested too deeply", source) from None


def _program_from_json(doc: Any, source: str | None) -> Program:
    if type(doc) is not dict:
        raise _Bad("$", "expected a JSON object with 'code' and 'static_val'")
    code_json = doc.get("code")
    if type(code_json) is not list:
        raise _Bad("code", "missing or not an array")
    n = len(code_json)
    ops: list[int] = []
    extras: list[int] = []     # entries with debug info or a location (compiler output)
    for i, entry in enumerate(code_json):
        if type(entry) is not dict:
            raise _Bad(f"code[{i}]", "instruction must be an object with 'opcode' and 'immediate'")
        op = entry.get("opcode")
        if type(op) is not int or not 0 <= op <= 255:
            if type(op) is dict:
                op = op.get("AVMOpcode")
                if type(op) is not int or not 0 <= op <= 255:
                    raise _Bad(f"code[{i}].opcode.AVMOpcode", f"unknown opcode number {json.dumps(op)[:40]}")
            else:
                raise _Bad(f"code[{i}].opcode", f"unknown opcode number {json.dumps(op)[:40]}")
        ops.append(op)
        if "debug_info" in entry or "location" in entry:
            extras.append(i)
    err = error_codepoint(n)
    code: list[CodePoint] = [err] * n
    following = err
    for i in range(n - 1, -1, -1):     # last first: each codepoint is built with its successor
        following = code[i] = CodePoint(ops[i], None, following, i)
    for i, entry in enumerate(code_json):
        imm = entry.get("immediate")
        if imm is None:
            continue
        if type(imm) is dict and len(imm) == 1:     # the common scalars without the general converter
            body = imm.get("Int")
            if type(body) is str and 0 < len(body) <= 64 and _HEX.issuperset(body):
                code[i].imm = int(body, 16)
                continue
            body = imm.get("CodePoint")
            if type(body) is dict and len(body) == 1:
                target = body.get("Internal")
                if type(target) is int and i < target < n:
                    code[i].imm = code[target]
                    continue
        code[i].imm = _convert(imm, f"code[{i}].immediate", _resolver(code, err, after=i))
    if "static_val" not in doc:
        raise _Bad("static_val", "missing")
    static = _convert(doc["static_val"], "static_val", _resolver(code, err))
    names = _file_names(doc)
    locations: list[SourceLocation | None] = [None] * n
    breakpoints = set()
    for i in extras:
        entry = code_json[i]
        locations[i] = _location(entry, names)
        debug = entry.get("debug_info")
        if type(debug) is dict:
            attrs = debug.get("attributes")
            if type(attrs) is dict and attrs.get("breakpoint") is True:
                breakpoints.add(i)
    labels: dict[int, str] = {}
    exported = doc.get("exported_funcs")
    if type(exported) is list:
        for func in exported:
            if type(func) is dict and type(func.get("name")) is str and type(func.get("codept")) is dict:
                idx = func["codept"].get("Internal")
                if type(idx) is int and 0 <= idx < n:
                    labels.setdefault(idx, func["name"])
    return Program(code=code, error_codepoint=err, static=static, path=source, labels=labels,
                   locations=locations, compiled_breakpoints=breakpoints, file_names=names,
                   globals=_globals(doc, names), type_tree=_type_tree(doc))


def _type_tree(doc: dict) -> dict:
    tree = doc.get("type_tree")
    inner = tree.get("inner") if type(tree) is dict else None
    return inner if type(inner) is dict else {}


def _globals(doc: dict, names: dict[int, str]) -> list[GlobalVar]:
    out: list[GlobalVar] = []
    entries = doc.get("globals")
    if type(entries) is not list:
        return out
    for g in entries:
        if type(g) is not dict or type(g.get("name")) is not str:
            continue
        offset = g.get("offset") if type(g.get("offset")) is int else None
        tipe = g.get("tipe")
        text = tipe if type(tipe) is str else json.dumps(tipe, separators=(",", ":"))[:200]
        out.append(GlobalVar(g["name"], offset, text, _location(g, names), tipe))
    return out


def load_mexe(path: str | os.PathLike[str]) -> Program:
    """Load a .mexe file; every problem is a UserError naming the file (and JSON path)."""
    name = os.fspath(path)
    with paused_gc():
        doc = read_json(name, ".mexe file")
        return program_from_json(doc, name)
