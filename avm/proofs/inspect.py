"""Proof inspector: a one-step proof shown byte range by byte range, and the hashes rebuilt from it.

For each entry of a proof file: every field of ``Proof`` and ``BufferProof`` with its offset, length,
value and whether the verifier sees the value in full or only as a hash (a tuple pre-image, a buffer's
Merkle root, a codepoint hash); then the before machine hash rebuilt from those bytes, each of its seven
inputs named with the fields it comes from, and the after hash the verifier computes. Parsing is
:mod:`avm.proofs.decode`'s, the after hash :mod:`avm.proofs.verifier`'s; this module only arranges them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from avm.core import opcodes
from avm.core.keccak import be32, keccak256
from avm.errors import UserError
from avm.proofs import verifier
from avm.proofs.decode import (
    EMPTY_STACK,
    PBuffer,
    PCodePoint,
    PHashOnly,
    PInt,
    PPreImage,
    ProofField,
    PTuple,
    PValue,
    decode_buffer_proof,
    decode_proof,
    stack_push,
)
from avm.proofs.proof_file import ProofEntry, entry_from_json, load_proofs

FULL, HASH_ONLY = "in full", "hash only"


@dataclass
class Row:
    """One byte range of a proof."""

    section: str        # "Proof" or "BufferProof"
    name: str           # field name, e.g. "stack[1] (s0, immediate)", "register", "proof1[2]"
    offset: int
    length: int
    value: str          # one-line rendering of the value
    seen: str           # FULL or HASH_ONLY (or a qualified form, e.g. "hash only (pre-image)")
    depth: int = 0      # nesting level (0 = top-level field, tiles the proof)
    note: str = ""


@dataclass
class HashInput:
    """One of the seven inputs of the machine hash."""

    name: str
    value: bytes
    source: str         # how it is obtained from the proof fields


@dataclass
class EntryInspection:
    index: int
    opcode: int
    mnemonic: str
    proof: bytes
    buffer_proof: bytes
    rows: list[Row]
    before_inputs: list[HashInput]
    before_hash: bytes
    expected_before: bytes | None
    after_hash: bytes | None            # what the verifier computes (None when it rejects the proof)
    expected_after: bytes | None
    verifier_message: str = ""
    gas_delta: int | None = None
    extra: list[str] = field(default_factory=list)

    @property
    def before_ok(self) -> bool | None:
        return None if self.expected_before is None else self.before_hash == self.expected_before

    @property
    def after_ok(self) -> bool | None:
        if self.expected_after is None or self.after_hash is None:
            return None
        return self.after_hash == self.expected_after


# -------------------------------------------------------------------------------------- file reading
def load_entries(path: str | Path) -> list[ProofEntry]:
    """The entries of a proof file (reference layout; see :mod:`avm.proofs.proof_file`)."""
    return load_proofs(path)


def as_entry(entry: ProofEntry | dict, index: int = 0) -> ProofEntry:
    """A proof entry from its JSON object (e.g. ``Session.proof_for_step``) or as it is."""
    return entry if isinstance(entry, ProofEntry) else entry_from_json(entry, f"entry {index}")


# -------------------------------------------------------------------------------------- inspection
def _value_text(value: object) -> str:
    if isinstance(value, PValue):
        return value.short()
    if isinstance(value, bytes):
        return "0x" + value.hex() if len(value) <= 32 else f"0x{value[:32].hex()}… ({len(value)} bytes)"
    if isinstance(value, int):
        return str(value)
    return str(value)


def _seen(f: ProofField) -> str:
    v = f.value
    if isinstance(v, PPreImage):
        return HASH_ONLY + " (tuple pre-image: inner hash, size)"
    if isinstance(v, PBuffer):
        return HASH_ONLY + " (buffer Merkle root)"
    if isinstance(v, PHashOnly):
        return HASH_ONLY
    if isinstance(v, (PInt, PTuple, PCodePoint)):
        return FULL
    return FULL if f.in_full else HASH_ONLY


def _position_names(stack_count: int, has_imm: bool) -> dict[str, str]:
    """stack[i] -> its stack position (the file lists the deepest first, the immediate last)."""
    names = {}
    for i in range(stack_count):
        pos = f"s{stack_count - 1 - i}"
        if has_imm and i == stack_count - 1:
            pos += ", immediate"
        names[f"stack[{i}]"] = pos
    return names


def proof_rows(raw: bytes, buffer_raw: bytes = b"") -> tuple[Any, list[Row]]:
    """Decode ``Proof`` (and ``BufferProof``) bytes into display rows. Raises ``ProofDecodeError``."""
    dec = decode_proof(raw)
    positions = _position_names(dec.stack_count, dec.has_immediate)
    rows: list[Row] = []
    for f in dec.fields:
        name = f.name
        top = name.split(".")[0].split("]")[0] + "]" if name.startswith("stack[") else ""
        if top in positions and name == top:
            name = f"{name} ({positions[top]})"
        value = _value_text(f.value)
        if f.name == "opcode":
            value = f"0x{dec.opcode:02x} {opcodes.mnemonic(dec.opcode)}"
        elif f.name == "gasRemaining":
            value = f"{dec.gas:#x}"
        seen = _seen(f)
        if f.name in ("nextHash", "errHandlerHash"):
            seen = HASH_ONLY + " (codepoint hash)"
        rows.append(Row("Proof", name, f.offset, f.length, value, seen, f.depth, f.note))
    bp = decode_buffer_proof(buffer_raw) if buffer_raw else None
    if bp is not None:
        for f in bp.fields:
            value = _value_text(f.value)
            seen = FULL if f.in_full else HASH_ONLY
            if f.name.startswith("nproof") and f.name.endswith("[0]"):
                value = str(int.from_bytes(f.value, "big"))  # type: ignore[arg-type]
                seen = FULL     # the new tree's depth, a plain number
            rows.append(Row("BufferProof", f.name, f.offset, f.length, value, seen, f.depth, f.note))
    return dec, rows


@dataclass(frozen=True)
class RowCells:
    """A row as both renderers show it (``avm-debug inspect``'s text, the TUI's proof screens)."""

    section: str
    offset: str
    length: str
    field: str          # indented by nesting depth, with its stack position (``stack[1] (s0)``)
    seen: str           # "full" or "hash"
    value: str
    note: str           # shown beside top-level fields only

    def columns(self) -> tuple[str, str, str, str, str, str]:
        """The table columns: section, offset, len, field, seen, value (with its note)."""
        value = self.value + (f"   ; {self.note}" if self.note else "")
        return self.section, self.offset, self.length, self.field, self.seen, value


COLUMNS = ("section", "offset", "len", "field", "seen", "value")


def row_cells(r: Row) -> RowCells:
    """The one rendering of a proof row into cells."""
    return RowCells(r.section, str(r.offset), str(r.length), "  " * r.depth + r.name,
                    "full" if r.seen == FULL else "hash", r.value, r.note if r.depth == 0 else "")


def before_inputs(dec: Any) -> list[HashInput]:
    """The seven inputs of the before machine hash, rebuilt from decoded proof fields."""
    imm = dec.immediate
    cp = PCodePoint(dec.opcode, imm, dec.next_hash)
    real = dec.stack_values[:-1] if imm is not None else dec.stack_values
    data = dec.data_below
    for v in real:
        data = stack_push(data, v)
    aux = dec.aux_below
    for v in dec.aux_values:
        aux = stack_push(aux, v)
    n_real = len(real)
    cp_src = "H(01 ‖ opcode ‖ hash(immediate) ‖ nextHash)" if imm is not None else "H(01 ‖ opcode ‖ nextHash)"
    data_src = ("dataStackBelow" if not n_real else
                f"dataStackBelow, then push stack[0..{n_real - 1}] (deepest first): "
                "inner' = H(02 ‖ hash(v) ‖ hash(stack)), size' = 1 + size(v) + size")
    aux_src = ("auxStackBelow" if not dec.aux_values else
               f"auxStackBelow, then push aux[0..{len(dec.aux_values) - 1}]")
    empty = " (empty)" if data.hash == EMPTY_STACK.hash else ""
    return [
        HashInput("current codepoint", cp.hash, cp_src),
        HashInput("data stack", data.hash, data_src + empty),
        HashInput("aux stack", aux.hash, aux_src + (" (empty)" if aux.hash == EMPTY_STACK.hash else "")),
        HashInput("register", dec.register.hash, "hash of the register field"),
        HashInput("static", dec.static.hash, "hash of the static field"),
        HashInput("gas remaining", be32(dec.gas), "gasRemaining, raw 32 bytes (not hashed)"),
        HashInput("error handler", dec.err_handler, "errHandlerHash"),
    ]


def machine_hash_of(inputs: list[HashInput]) -> bytes:
    """H(the seven inputs, in order): the machine hash of an Extensive machine."""
    return keccak256(b"".join(i.value for i in inputs))


def inspect_entry(entry: ProofEntry | dict, index: int = 0) -> EntryInspection:
    """Decode one proof entry, rebuild its before hash and run the verifier for its after hash."""
    e = as_entry(entry, index)
    dec, rows = proof_rows(e.proof, e.buffer_proof)
    inputs = before_inputs(dec)
    before = machine_hash_of(inputs)
    after: bytes | None = None
    gas: int | None = None
    message = ""
    try:
        out = verifier.execute_step(e.proof, e.buffer_proof, e.before.send_acc, e.before.log_acc,
                                    e.before.inbox_count, e.before.inbox_acc)
    except (verifier.ProofRejected, UserError) as exc:
        message = f"the verifier rejects this proof: {exc}"
    else:
        after, gas = out.after_hash, out.gas
        if out.before_hash != before:   # two readings of the same bytes must agree
            message = f"the verifier rebuilt a different before hash: 0x{out.before_hash.hex()}"
        notes = [f"status after: {out.status}"]
        if out.error:
            notes.append("the instruction raised an AVM error" + (f" ({out.note})" if out.note else ""))
        if out.sends:
            notes.append("one message sent")
        if out.logs:
            notes.append("one log entry")
        message = "; ".join(([message] if message else []) + notes)
    return EntryInspection(index, dec.opcode, opcodes.mnemonic(dec.opcode), e.proof, e.buffer_proof, rows,
                           inputs, before, e.before.machine_hash, after, e.after.machine_hash, message, gas)


def inspect_file(path: str | Path, entry: int | None = None) -> list[EntryInspection]:
    entries = load_entries(path)
    if entry is not None:
        if not 0 <= entry < len(entries):
            raise UserError(f"--entry {entry} is out of range: the file has {len(entries)} entries "
                            f"(0..{len(entries) - 1})", str(path))
        return [_inspect_in_file(entries[entry], entry, path)]
    return [_inspect_in_file(e, i, path) for i, e in enumerate(entries)]


def _inspect_in_file(e: ProofEntry, index: int, path: str | Path) -> EntryInspection:
    """``inspect_entry``, with a bad entry reported as bad input naming the file and the entry."""
    try:
        return inspect_entry(e, index)
    except UserError as err:
        if err.path is not None:
            raise
        raise UserError(f"entry {index}: {err.message}", str(path)) from None


# -------------------------------------------------------------------------------------- text output
def _mark(ok: bool | None) -> str:
    return "" if ok is None else ("  ✓ matches the file" if ok else "  ✗ differs from the file")


def render_entry(e: EntryInspection, total: int | None = None) -> str:
    of = f" of {total}" if total is not None else ""
    out = [f"entry {e.index}{of}: {e.mnemonic} (0x{e.opcode:02x})   Proof {len(e.proof)} bytes, "
           f"BufferProof {len(e.buffer_proof)} bytes"
           + (f", gas charged {e.gas_delta}" if e.gas_delta is not None else "")]
    out.append(f"  {'section':<11} {'offset':>6} {'len':>4}  {'field':<28} {'seen':<10}  value")
    for r in e.rows:
        section, offset, length, name, seen, value = row_cells(r).columns()
        out.append(f"  {section:<11} {offset:>6} {length:>4}  {name[:28]:<28} {seen:<10}  {value}")
    out.append("  before machine hash = H(codepoint ‖ data stack ‖ aux stack ‖ register ‖ static ‖ gas ‖ "
               "error handler):")
    for i in e.before_inputs:
        out.append(f"    {i.name:<17} 0x{i.value.hex()}  <- {i.source}")
    out.append(f"    = 0x{e.before_hash.hex()}{_mark(e.before_ok)}")
    if e.after_hash is not None:
        out.append(f"  after machine hash (verifier) = 0x{e.after_hash.hex()}{_mark(e.after_ok)}")
    if e.verifier_message:
        out.append(f"  {e.verifier_message}")
    return "\n".join(out)


def render_file(path: str | Path, entry: int | None = None) -> str:
    entries = load_entries(path)
    results = inspect_file(path, entry)
    return "\n\n".join(render_entry(e, len(entries)) for e in results) + "\n"
