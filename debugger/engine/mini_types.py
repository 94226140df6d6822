"""Mini (ArbOS language) types and how their values sit in AVM values: decode the register into globals.

The compiler writes each type as JSON: a word (``"Uint"``, ``"Int"``, ``"Bool"``, ``"Bytes32"``,
``"EthAddress"``, ``"Buffer"``, ``"Any"``, ``"Void"``, ``"Every"``) or a one-key object (``Option``,
``Tuple``, ``Struct``, ``FixedArray``, ``Array``, ``Map``, ``Func``, ``Union``, ``Nominal``, ``Generic``...).
``Nominal`` names a type of ``Program.type_tree`` (key ``"path, id"`` -> ``[type, name]``).

Layouts (from how the compiler builds default values and the builtin libraries):

* option: ``(0)`` is None, ``(1, x)`` is Some(x); tuples are plain AVM tuples;
* a struct, and the globals themselves, are their fields folded into an 8-ary tuple tree
  (:func:`tree_paths`; one field alone is the value itself);
* ``[]T`` (builtin/array.mini) is ``(size, topstep, blocks)``: element ``i`` is found by indexing the
  block tree with ``i // step`` while ``step`` shrinks by 8 down to 1;
* ``[N]T`` is a tree of 8-tuples of the smallest height holding N elements;
* ``map<K, V>`` (builtin/kvs.mini) is ``(tree, size)``; a tree node is 0 (empty), a cell
  ``(key, Some(value) | None)`` or an 8-tuple of nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from avm.core.buffer import Buffer
from avm.core.program import Program
from avm.core.values import CodePoint, Tuple

NOT_SET = "(not set)"   # the register has no slot for it yet (before the program sets up its globals)
MAX_ELEMENTS = 64      # array / map elements shown per value (the rest is summarised)
MAX_INNER_ELEMENTS = 8  # ... and inside another value (nested arrays would multiply)
_WORDS = {"Uint": "uint", "Int": "int", "Bool": "bool", "Bytes32": "bytes32", "EthAddress": "address",
          "Buffer": "buffer", "Any": "any", "Void": "void", "Every": "every"}


@dataclass
class Decoded:
    """One typed value: its text (``Some(-3s)``), its mini type, and its parts for a value tree."""

    name: str
    type: str
    text: str
    children: list[Decoded] = field(default_factory=list)
    raw: Any = None


# ---------------------------------------------------------------------- type text
def _nominal(tipe: dict, tree: dict) -> tuple[Any, str] | None:
    body = tipe.get("Nominal")
    if not isinstance(body, list) or len(body) < 2:
        return None
    path, ident = body[0], body[1]
    key = ", ".join([*(str(p) for p in path), str(ident)]) if isinstance(path, list) else None
    entry = tree.get(key) if key else None
    if isinstance(entry, list) and len(entry) == 2 and isinstance(entry[1], str):
        return entry[0], entry[1]
    return None


def type_text(tipe: Any, tree: dict | None = None) -> str:
    """The mini spelling of a compiler type: ``option<int>``, ``(uint, uint)``, ``[]bytes32``..."""
    tree = tree or {}
    if isinstance(tipe, str):
        return _WORDS.get(tipe, tipe.lower())
    if not isinstance(tipe, dict) or len(tipe) != 1:
        return "?"
    (kind, body), = tipe.items()
    if kind == "Option":
        return f"option<{type_text(body, tree)}>"
    if kind == "Tuple" and isinstance(body, list):
        return "(" + ", ".join(type_text(t, tree) for t in body) + ")"
    if kind == "Struct" and isinstance(body, list):
        inner = ", ".join(f"{f.get('name')}: {type_text(f.get('tipe'), tree)}" for f in body
                          if isinstance(f, dict))
        return f"struct {{{inner}}}"
    if kind == "FixedArray" and isinstance(body, list) and len(body) == 2:
        return f"[{body[1]}]{type_text(body[0], tree)}"
    if kind == "Array":
        return f"[]{type_text(body, tree)}"
    if kind == "Map" and isinstance(body, list) and len(body) == 2:
        return f"map<{type_text(body[0], tree)}, {type_text(body[1], tree)}>"
    if kind == "Union" and isinstance(body, list):
        return "union<" + ", ".join(type_text(t, tree) for t in body) + ">"
    if kind == "Func":
        return "func"
    if kind == "Nominal":
        found = _nominal(tipe, tree)
        return found[1] if found else "?"
    return kind.lower()


def _resolve(tipe: Any, tree: dict) -> Any:
    """Follow Nominal names to the structure they stand for (bounded: type trees may be recursive)."""
    for _ in range(32):
        if not (isinstance(tipe, dict) and "Nominal" in tipe):
            return tipe
        found = _nominal(tipe, tree)
        if found is None:
            return "Any"
        tipe = found[0]
    return "Any"


# ---------------------------------------------------------------------- tuple trees
def tree_paths(size: int) -> list[tuple[int, ...]]:
    """Where each of ``size`` leaves sits in the compiler's 8-ary tuple tree (as tuple indices);
    one leaf alone is the whole value (path ``()``)."""
    if size == 1:
        return [()]
    return _subtree_paths(size)


def _subtree_paths(size: int) -> list[tuple[int, ...]]:
    # split ``size`` leaves over at most 8 slots: slots hold equal powers of 8 (as few levels as
    # possible), the last slot takes what remains
    step = 1
    while step * 64 <= size:
        step *= 8
    counts: list[int] = []
    left, slots = size, 8
    while left > 0:
        if step >= left:
            counts.append(left)
            left = 0
        elif step * (1 + (slots - 1) * 8) >= left:
            counts.append(step)
            left -= step
            slots -= 1
        else:
            step *= 8
    paths: list[tuple[int, ...]] = []
    for slot, n in enumerate(counts):
        paths.extend((slot, *p) for p in (tree_paths(n) if n > 1 else [()]))
    return paths


def value_at(value: Any, path: tuple[int, ...]) -> Any:
    """The part of ``value`` at a tuple path (None when it is not there)."""
    for i in path:
        if type(value) is not Tuple or i >= len(value.items):
            return None
        value = value.items[i]
    return value


# ---------------------------------------------------------------------- values
def _signed(n: int) -> int:
    return n - (1 << 256) if n >> 255 else n


def _raw_text(v: Any) -> str:
    if v is None:
        return "<missing>"
    if type(v) is int:
        return str(v)
    if type(v) is Tuple:
        return "(" + ", ".join(_raw_text(x) for x in v.items[:8]) + ")"
    if type(v) is CodePoint:
        return f"codepoint @{v.index}"
    if type(v) is Buffer:
        return f"buffer[{len(v.to_bytes())}]"
    return str(v)


def decode(value: Any, tipe: Any, tree: dict | None = None, name: str = "", depth: int = 0) -> Decoded:
    """``value`` (an AVM value) read as mini type ``tipe``; a value that does not fit the type is
    shown raw with a ``!`` mark instead of failing."""
    tree = tree or {}
    shown = type_text(tipe, tree)
    t = _resolve(tipe, tree)
    if value is None:
        return Decoded(name, shown, NOT_SET)
    if depth > 24:
        return Decoded(name, shown, "…", raw=value)
    if isinstance(t, str):
        return _scalar(value, t, name, shown)
    if not isinstance(t, dict) or len(t) != 1:
        return Decoded(name, shown, _raw_text(value), raw=value)
    (kind, body), = t.items()
    items = value.items if type(value) is Tuple else None
    if kind == "Option" and items is not None:
        if len(items) == 1 and items[0] == 0:
            return Decoded(name, shown, "None", raw=value)
        if len(items) == 2 and items[0] == 1:
            inner = decode(items[1], body, tree, "Some", depth + 1)
            return Decoded(name, shown, f"Some({inner.text})", [inner], value)
    if kind == "Tuple" and items is not None and isinstance(body, list) and len(items) == len(body):
        pairs = enumerate(zip(items, body, strict=True))
        parts = [decode(v, tp, tree, str(i), depth + 1) for i, (v, tp) in pairs]
        return Decoded(name, shown, "(" + ", ".join(p.text for p in parts) + ")", parts, value)
    if kind == "Struct" and isinstance(body, list) and body:
        paths = tree_paths(len(body))
        if all(value_at(value, p) is not None for p in paths):
            parts = [decode(value_at(value, p), f.get("tipe"), tree, str(f.get("name")), depth + 1)
                     for p, f in zip(paths, body, strict=True)]
            text = "{" + ", ".join(f"{p.name}: {p.text}" for p in parts) + "}"
            return Decoded(name, shown, text, parts, value)
    if kind == "Array" and items is not None and len(items) == 3:
        return _array(value, body, tree, name, shown, depth)
    if kind == "FixedArray" and isinstance(body, list) and len(body) == 2 and items is not None:
        return _fixed_array(value, body[0], int(body[1]), tree, name, shown, depth)
    if kind == "Map" and items is not None and len(items) == 2 and isinstance(body, list):
        return _map(value, body[0], body[1], tree, name, shown, depth)
    if kind == "Func" and type(value) is CodePoint:
        return Decoded(name, shown, f"func @{value.index}", raw=value)
    return Decoded(name, shown, _raw_text(value) + " !", raw=value)


def _scalar(v: Any, word: str, name: str, shown: str) -> Decoded:
    if type(v) is int:
        if word == "Int":
            return Decoded(name, shown, f"{_signed(v)}s", raw=v)
        if word == "Bool" and v in (0, 1):
            return Decoded(name, shown, "true" if v else "false", raw=v)
        if word == "Bytes32":
            return Decoded(name, shown, f"0x{v:064x}", raw=v)
        if word == "EthAddress":
            return Decoded(name, shown, f"0x{v:040x}", raw=v)
        if word in ("Uint", "Any", "Every"):
            return Decoded(name, shown, str(v), raw=v)
    if word == "Buffer" and type(v) is Buffer:
        data = v.to_bytes()
        return Decoded(name, shown, f"buffer[{len(data)}] 0x{data[:16].hex()}{'…' if len(data) > 16 else ''}",
                       raw=v)
    if word in ("Any", "Every"):
        return Decoded(name, shown, _raw_text(v), raw=v)
    return Decoded(name, shown, _raw_text(v) + " !", raw=v)


def _elements_text(parts: list[Decoded], total: int) -> str:
    more = f", … {total - len(parts)} more" if total > len(parts) else ""
    return "[" + ", ".join(p.text for p in parts[:8]) + ("" if len(parts) <= 8 else ", …") + more + "]"


def _array(value: Tuple, elem: Any, tree: dict, name: str, shown: str, depth: int) -> Decoded:
    size, step, blocks = value.items
    if type(size) is not int or type(step) is not int or step < 1:
        return Decoded(name, shown, _raw_text(value) + " !", raw=value)
    return _elements(blocks, step, size, elem, tree, name, shown, depth, value)


def _fixed_array(value: Tuple, elem: Any, size: int, tree: dict, name: str, shown: str,
                 depth: int) -> Decoded:
    step = 1
    while 8 * step < size:
        step *= 8
    return _elements(value, step, size, elem, tree, name, shown, depth, value)


def _elements(blocks: Any, step: int, size: int, elem: Any, tree: dict, name: str, shown: str, depth: int,
              value: Any) -> Decoded:
    """Elements of a block tree whose top slots hold ``step`` elements each (8 times fewer a level
    down): element ``i`` is at slot ``i // step``, then ``i % step`` below it."""
    parts = []
    for i in range(min(size, MAX_ELEMENTS if depth == 0 else MAX_INNER_ELEMENTS)):
        node, index, chunk = blocks, i, step
        while chunk >= 1 and node is not None:
            node = value_at(node, (index // chunk,))
            index, chunk = index % chunk, chunk // 8
        parts.append(decode(node, elem, tree, str(i), depth + 1))
    return Decoded(name, shown, _elements_text(parts, size), parts, value)


def _map(value: Tuple, key_t: Any, val_t: Any, tree: dict, name: str, shown: str, depth: int) -> Decoded:
    root, size = value.items
    cells: list[tuple[Any, Any]] = []
    work = [root]
    while work and len(cells) < (MAX_ELEMENTS if depth == 0 else MAX_INNER_ELEMENTS):
        node = work.pop()
        if type(node) is not Tuple:
            continue                                   # 0: an empty subtree
        if len(node.items) == 2:
            opt = node.items[1]
            if type(opt) is Tuple and len(opt.items) == 2 and opt.items[0] == 1:
                cells.append((node.items[0], opt.items[1]))
        else:
            work.extend(reversed(node.items))
    parts = []
    for k, v in cells:
        key = decode(k, key_t, tree, "key", depth + 1)
        val = decode(v, val_t, tree, key.text, depth + 1)
        parts.append(val)
    total = size if type(size) is int else len(parts)
    more = f", … {total - len(parts)} more" if total > len(parts) else ""
    text = "{" + ", ".join(f"{p.name}: {p.text}" for p in parts[:8]) + more + "}"
    return Decoded(name, shown, text, parts, value)


# ---------------------------------------------------------------------- globals
def global_paths(program: Program) -> dict[str, tuple[int, ...]]:
    """Register path of each named global (the compiler's internal ones included)."""
    n = len(program.globals)
    if n == 0:
        return {}
    paths = tree_paths(n)
    out: dict[str, tuple[int, ...]] = {}
    for g in program.globals:
        slot = g.offset if g.offset is not None else n - 1     # the jump table comes last
        if 0 <= slot < n:
            out[g.name] = paths[slot]
    return out


def decode_globals(program: Program, register: Any, internal: bool = False) -> list[Decoded]:
    """The program's globals read from ``register`` (compiler internals like ``_jump_table`` only with
    ``internal``); empty for programs without compiler globals."""
    paths = global_paths(program)
    out = []
    for g in program.globals:
        if g.name not in paths or (not internal and (g.offset is None or g.name.startswith("_"))):
            continue
        out.append(decode(value_at(register, paths[g.name]), g.tipe, program.type_tree, g.name))
    return out


def read_global(program: Program, register: Any, name: str) -> Decoded | None:
    """One global by name (None when the program has no such global)."""
    for d in decode_globals(program, register, internal=True):
        if d.name == name:
            return d
    return None
