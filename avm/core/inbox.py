"""Inbox messages: loading them from JSON, and the inbox accumulator.

An inbox file is either an L1 inbox (an object with ``batches``: ``avm.core.l1_inbox``, where the
accumulators and the ``inbox`` step proofs are those of the classic contracts) or a list of raw values.

The reference machine never computes the inbox accumulator: the runtime hands one over with each
message. For raw values avm-debug has no runtime, so it uses this simple convention (documented,
deterministic):

    acc_0 = 32 zero bytes;   acc_{k+1} = keccak256(acc_k || value_hash(message_k))

A message is any AVM value (the reference pushes 8-tuples; the debugger accepts whatever the user
supplies).

JSON file format: a list whose items are either the .mexe value encoding (``{"Int": "hex"}``,
``{"Tuple": [...]}``, ``{"Buffer": "hex"}``) or friendly forms: JSON integers, ``"0x.."`` hex strings
(or decimal strings), JSON arrays as tuples (0..8 items). A top-level object ``{"messages": [...]}``
is accepted too.
"""

from __future__ import annotations

import json
import os
from typing import Any

from avm.core.keccak import ZERO32, keccak256
from avm.core.l1_inbox import copy_inbox, is_l1_inbox_document, l1_inbox_from_json, l1_model, machine_inbox
from avm.core.values import MAX_INT, MAX_TUPLE, Tuple, Value, value_hash
from avm.errors import UserError
from avm.formats.jsonfile import read_json
from avm.formats.mexe import value_from_json

INITIAL_ACC = ZERO32


def next_acc(acc: bytes, message: Value) -> bytes:
    """The accumulator after reading ``message``."""
    return keccak256(acc + value_hash(message))


def acc_after_read(messages: list[Value], index: int, acc: bytes, message: Value) -> bytes:
    """The machine's inbox accumulator after it read ``message``, number ``index`` of ``messages``
    (the L1 inbox's accumulator for an L1 message, else ``next_acc``)."""
    l1 = l1_model(messages, index)
    return l1.acc_after(index) if l1 is not None else next_acc(acc, message)


__all__ = ["INITIAL_ACC", "acc_after_read", "acc_of", "copy_inbox", "load_inbox", "messages_from_json",
           "next_acc"]


def acc_of(messages: list[Value]) -> bytes:
    """The accumulator after reading all ``messages``."""
    acc = INITIAL_ACC
    for m in messages:
        acc = next_acc(acc, m)
    return acc


def _friendly(obj: Any, where: str, source: str | None) -> Value:
    """Convert one item (friendly or .mexe form), iteratively."""
    results: list[Value] = []
    work: list[tuple] = [("v", obj, where)]
    while work:
        item = work.pop()
        if item[0] == "t":
            n = item[1]
            items = tuple(results[len(results) - n:]) if n else ()
            if n:
                del results[len(results) - n:]
            results.append(Tuple(items))
            continue
        _, o, w = item
        t = type(o)
        if t is bool or o is None:
            raise UserError(f"{w}: expected a value, found {json.dumps(o)}", source)
        if t is int:
            if not 0 <= o <= MAX_INT:
                if -(1 << 255) <= o < 0:
                    o &= MAX_INT
                else:
                    raise UserError(f"{w}: integer out of the 256-bit range", source)
            results.append(o)
        elif t is str:
            text = o.strip()
            try:
                n = int(text, 16) if text.lower().startswith("0x") else int(text, 10)
            except ValueError:
                raise UserError(f"{w}: bad integer {json.dumps(o)[:40]} (use 0x-hex or decimal)",
                                source) from None
            if not 0 <= n <= MAX_INT:
                raise UserError(f"{w}: integer out of the 256-bit range", source)
            results.append(n)
        elif t is list:
            if len(o) > MAX_TUPLE:
                raise UserError(f"{w}: tuple has {len(o)} items (at most 8)", source)
            work.append(("t", len(o)))
            for i in range(len(o) - 1, -1, -1):
                work.append(("v", o[i], f"{w}[{i}]"))
        elif t is dict:
            if len(o) == 1 and "Tuple" in o and type(o["Tuple"]) is list:
                body = o["Tuple"]
                if len(body) > MAX_TUPLE:
                    raise UserError(f"{w}.Tuple: tuple has {len(body)} items (at most 8)", source)
                work.append(("t", len(body)))
                for i in range(len(body) - 1, -1, -1):
                    work.append(("v", body[i], f"{w}.Tuple[{i}]"))
            else:
                results.append(value_from_json(o, None, source=source, where=w))
        else:
            raise UserError(f"{w}: expected a value", source)
    return results[0]


def messages_from_json(doc: Any, source: str | None = None) -> list[Value]:
    """Messages from a parsed JSON document (see the module doc for the format)."""
    if is_l1_inbox_document(doc):
        return machine_inbox(l1_inbox_from_json(doc, source))
    if type(doc) is dict and "messages" in doc:
        doc = doc["messages"]
    if type(doc) is not list:
        raise UserError("an inbox file must be a JSON list of messages", source)
    return [_friendly(item, f"message {i}", source) for i, item in enumerate(doc)]


def load_inbox(path: str | os.PathLike[str]) -> list[Value]:
    """Read an inbox JSON file; errors are UserErrors naming the file and the item index."""
    name = os.fspath(path)
    doc = read_json(name, "inbox file")
    return messages_from_json(doc, name)
