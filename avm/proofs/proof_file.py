"""The reference one-step proof JSON: a list of entries, read and written exactly as the reference does.

Each entry::

    {"Assertion": {"beforeState": STATE, "afterState": STATE}, "Proof": "0x..", "BufferProof": "0x.."}

where STATE has ``machineHash``, ``inboxAcc``, ``sendAcc``, ``logAcc`` as JSON arrays of 32 byte values
and ``inboxCount``, ``gasUsed``, ``sendCount``, ``logCount`` as numbers (all cumulative). avm-debug may add
descriptive keys to an entry (``step``, ``opcode``, ``program``, ``codepoint``); readers ignore unknown
keys. Malformed JSON, shape or hex raises ``UserError`` naming the file and the entry.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from avm.errors import UserError
from avm.formats.jsonfile import read_json

#: Key order of a state, as in the reference files.
STATE_KEYS = ("machineHash", "inboxAcc", "inboxCount", "gasUsed", "sendCount", "logCount", "sendAcc",
              "logAcc")
_HASH_KEYS = ("machineHash", "inboxAcc", "sendAcc", "logAcc")
_COUNT_KEYS = ("inboxCount", "gasUsed", "sendCount", "logCount")
#: Optional descriptive keys avm-debug writes after the reference ones.
EXTRA_KEYS = ("step", "opcode", "program", "codepoint")


@dataclass
class AssertionState:
    machine_hash: bytes
    inbox_acc: bytes
    inbox_count: int
    gas_used: int
    send_count: int
    log_count: int
    send_acc: bytes
    log_acc: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "machineHash": list(self.machine_hash),
            "inboxAcc": list(self.inbox_acc),
            "inboxCount": self.inbox_count,
            "gasUsed": self.gas_used,
            "sendCount": self.send_count,
            "logCount": self.log_count,
            "sendAcc": list(self.send_acc),
            "logAcc": list(self.log_acc),
        }


@dataclass
class ProofEntry:
    before: AssertionState
    after: AssertionState
    proof: bytes
    buffer_proof: bytes
    extras: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "Assertion": {"beforeState": self.before.to_json(), "afterState": self.after.to_json()},
            "Proof": "0x" + self.proof.hex(),
            "BufferProof": "0x" + self.buffer_proof.hex(),
        }
        for key in EXTRA_KEYS:
            if key in self.extras:
                doc[key] = self.extras[key]
        return doc


# ---------------------------------------------------------------------------------------------------
# parsing


def _hash32(obj: Any, where: str, source: str | None) -> bytes:
    if type(obj) is not list or len(obj) != 32 or any(type(b) is not int or not 0 <= b <= 255 for b in obj):
        raise UserError(f"{where}: expected an array of 32 byte values (0..255)", source)
    return bytes(obj)


def _count(obj: Any, where: str, source: str | None) -> int:
    if type(obj) is not int or not 0 <= obj < 1 << 256:
        raise UserError(f"{where}: expected a non-negative 256-bit integer", source)
    return obj


def _hex(obj: Any, where: str, source: str | None) -> bytes:
    if type(obj) is not str or not obj.startswith(("0x", "0X")):
        raise UserError(f"{where}: expected a 0x-prefixed hex string", source)
    body = obj[2:]
    if len(body) % 2:
        raise UserError(f"{where}: odd number of hex digits", source)
    try:
        return bytes.fromhex(body)
    except ValueError:
        raise UserError(f"{where}: not valid hex", source) from None


def _state(obj: Any, where: str, source: str | None) -> AssertionState:
    if type(obj) is not dict:
        raise UserError(f"{where}: expected an object", source)
    missing = [k for k in STATE_KEYS if k not in obj]
    if missing:
        raise UserError(f"{where}: missing {', '.join(missing)}", source)
    h = {k: _hash32(obj[k], f"{where}.{k}", source) for k in _HASH_KEYS}
    n = {k: _count(obj[k], f"{where}.{k}", source) for k in _COUNT_KEYS}
    return AssertionState(h["machineHash"], h["inboxAcc"], n["inboxCount"], n["gasUsed"], n["sendCount"],
                          n["logCount"], h["sendAcc"], h["logAcc"])


def entry_from_json(obj: Any, where: str = "entry", source: str | None = None) -> ProofEntry:
    """One entry from its parsed JSON object."""
    if type(obj) is not dict:
        raise UserError(f"{where}: expected an object", source)
    for key in ("Assertion", "Proof", "BufferProof"):
        if key not in obj:
            raise UserError(f"{where}: missing {key}", source)
    assertion = obj["Assertion"]
    if type(assertion) is not dict or "beforeState" not in assertion or "afterState" not in assertion:
        raise UserError(f"{where}.Assertion: expected an object with beforeState and afterState", source)
    before = _state(assertion["beforeState"], f"{where}.Assertion.beforeState", source)
    after = _state(assertion["afterState"], f"{where}.Assertion.afterState", source)
    proof = _hex(obj["Proof"], f"{where}.Proof", source)
    if not proof:
        raise UserError(f"{where}.Proof: empty", source)
    bproof = _hex(obj["BufferProof"], f"{where}.BufferProof", source)
    extras = {k: obj[k] for k in EXTRA_KEYS if k in obj}
    return ProofEntry(before, after, proof, bproof, extras)


def entries_from_json(doc: Any, source: str | None = None) -> list[ProofEntry]:
    """Entries from a parsed JSON document: a list of entries (a single entry object is accepted)."""
    if type(doc) is dict:
        doc = [doc]
    if type(doc) is not list:
        raise UserError("a proof file must be a JSON list of entries", source)
    return [entry_from_json(obj, f"entry {i}", source) for i, obj in enumerate(doc)]


def load_proofs(path: str | os.PathLike[str]) -> list[ProofEntry]:
    """Read a proof JSON file (reference shape)."""
    return entries_from_json(read_json(path, "proof file"), os.fspath(path))


# ---------------------------------------------------------------------------------------------------
# writing


def dumps_entries(entries: list[ProofEntry | dict[str, Any]]) -> str:
    """JSON text in the reference layout (compact, one line, keys in the reference order)."""
    docs = [e.to_json() if isinstance(e, ProofEntry) else e for e in entries]
    return json.dumps(docs, separators=(",", ":"))


def write_entries(fh: IO[str], entries: Iterable[ProofEntry | dict[str, Any]]) -> int:
    """Write ``entries`` to ``fh`` one at a time, as ``dumps_entries`` would lay them out (plus a
    newline), so a long ``prove --all`` never holds more than one entry. Returns how many."""
    count = 0
    fh.write("[")
    for e in entries:
        if count:
            fh.write(",")
        fh.write(json.dumps(e.to_json() if isinstance(e, ProofEntry) else e, separators=(",", ":")))
        count += 1
    fh.write("]\n")
    return count


def write_proofs(path: str | os.PathLike[str], entries: Iterable[ProofEntry | dict[str, Any]]) -> int:
    """Write a proof file, streaming ``entries`` (any iterable); returns how many were written."""
    name = os.fspath(path)
    try:
        with open(name, "w", encoding="utf-8") as fh:
            return write_entries(fh, entries)
    except OSError as exc:
        raise UserError(f"cannot write: {exc.strerror or exc}", name) from None
