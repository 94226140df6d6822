"""The independent verifier: every reference entry passes; tampered proofs and Assertions fail with a
clear reason and never raise; malformed bytes are reported, not crashed on."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from avm.core.keccak import ZERO32
from avm.errors import UserError
from avm.proofs.decode import ProofDecodeError, decode_buffer_proof, decode_proof, decode_value
from avm.proofs.proof_file import ProofEntry, load_proofs
from avm.proofs.verifier import ProofRejected, execute_step, verify_entry

EC_OPS = {0x80, 0x81, 0x82, 0x83}   # slow to verify (pairings); kept out of the property tests


def _entries(conformance_dir: Path, names: tuple[str, ...] | None = None) -> list[tuple[str, ProofEntry]]:
    out = []
    for path in sorted((conformance_dir / "proofs").glob("*-proofs.json")):
        if names is None or path.name.split(".")[0] in names:
            out += [(f"{path.name}#{i}", e) for i, e in enumerate(load_proofs(path))]
    return out


def test_every_reference_entry_passes(conformance_dir: Path) -> None:
    entries = _entries(conformance_dir)
    assert len(entries) >= 400
    for where, entry in entries:
        result = verify_entry(entry)
        assert result.ok, f"{where}: {result.reason}"
        assert result.outcome is not None
        assert result.outcome.gas == entry.after.gas_used - entry.before.gas_used


@pytest.fixture(scope="module")
def sample(conformance_dir: Path) -> list[tuple[str, ProofEntry]]:
    """Entries of every kind but the EC ones, buffer proofs included."""
    return [(w, e) for w, e in _entries(conformance_dir) if e.proof[0] not in EC_OPS]


def _flip(data: bytes, pos: int, mask: int) -> bytes:
    return data[:pos] + bytes((data[pos] ^ mask,)) + data[pos + 1:]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_flipping_any_proof_byte_is_rejected(sample: list, data: st.DataObject) -> None:
    where, entry = data.draw(st.sampled_from(sample))
    field = "buffer_proof" if entry.buffer_proof and data.draw(st.booleans()) else "proof"
    raw = getattr(entry, field)
    pos = data.draw(st.integers(0, len(raw) - 1))
    mask = data.draw(st.integers(1, 255))
    tampered = dataclasses.replace(entry, **{field: _flip(raw, pos, mask)})
    result = verify_entry(tampered)
    assert not result.ok, f"{where}: {field} byte {pos} ^ {mask:#x} was accepted"
    assert result.reason and "internal check failed" not in result.reason


def test_every_buffer_proof_byte_matters(sample: list) -> None:
    """Exhaustive over the corpus buffer proofs: each byte flipped is caught (header padding, the
    unused second proof and the normalization proofs included)."""
    for where, entry in sample:
        raw = entry.buffer_proof
        for pos in range(len(raw)):
            result = verify_entry(dataclasses.replace(entry, buffer_proof=_flip(raw, pos, 0x01)))
            assert not result.ok, f"{where}: buffer proof byte {pos} flipped was accepted"


_HASHES = ("machine_hash", "inbox_acc", "send_acc", "log_acc")
_COUNTS = ("inbox_count", "gas_used", "send_count", "log_count")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_tampered_assertions_are_rejected(sample: list, data: st.DataObject) -> None:
    where, entry = data.draw(st.sampled_from(sample))
    side = data.draw(st.sampled_from(("before", "after")))
    name = data.draw(st.sampled_from(_HASHES + _COUNTS))
    state = getattr(entry, side)
    value = getattr(state, name)
    if name in _HASHES:
        new = _flip(value, data.draw(st.integers(0, 31)), data.draw(st.integers(1, 255)))
    else:
        new = value + data.draw(st.integers(1, 1 << 70))
        if data.draw(st.booleans()) and value > 0:
            new = data.draw(st.integers(0, value - 1))
    tampered = dataclasses.replace(entry, **{side: dataclasses.replace(state, **{name: new})})
    result = verify_entry(tampered)
    assert not result.ok, f"{where}: {side}.{name} changed was accepted"
    label = {"machine_hash": "machineHash", "inbox_acc": "inboxAcc", "send_acc": "sendAcc",
             "log_acc": "logAcc", "inbox_count": "inboxCount", "gas_used": "gasUsed",
             "send_count": "sendCount", "log_count": "logCount"}[name]
    assert label in result.reason, result.reason


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_truncated_padded_and_random_bytes_never_raise(sample: list, data: st.DataObject) -> None:
    _, entry = data.draw(st.sampled_from(sample))
    kind = data.draw(st.sampled_from(("truncate", "pad", "random", "bproof")))
    proof, bproof = entry.proof, entry.buffer_proof
    if kind == "truncate":
        proof = proof[:data.draw(st.integers(0, len(proof) - 1))]
    elif kind == "pad":
        proof = proof + data.draw(st.binary(min_size=1, max_size=40))
    elif kind == "random":
        proof = data.draw(st.binary(min_size=0, max_size=600))
    else:
        bproof = data.draw(st.binary(min_size=1, max_size=300))
    result = verify_entry(dataclasses.replace(entry, proof=proof, buffer_proof=bproof))
    if proof == entry.proof and bproof == entry.buffer_proof:
        return
    assert not result.ok and result.reason


def test_decode_errors_name_the_problem() -> None:
    with pytest.raises(ProofDecodeError, match="truncated"):
        decode_proof(b"\x01\x02")
    with pytest.raises(ProofDecodeError, match="bad value tag 13"):
        decode_value(b"\x0d")
    with pytest.raises(ProofDecodeError, match="trailing"):
        decode_value(b"\x00" + bytes(32) + b"\x00")
    with pytest.raises(ProofDecodeError, match="not a whole number"):
        decode_buffer_proof(b"\x01" * 33)
    with pytest.raises(ProofDecodeError, match="header padding"):
        decode_buffer_proof(bytes((1, 1, 1, 1, 1, 9)) + bytes(26))
    assert issubclass(ProofDecodeError, UserError)


def test_deeply_nested_values_decode_without_recursion() -> None:
    value = decode_value(bytes([4]) * 50_000 + bytes([3]))
    assert value.size == 50_001


def _halt_proof(**changes: bytes) -> bytes:
    """The proof of `halt` on a fresh machine, with fields replaced."""
    from avm.core.keccak import EMPTY_TUPLE_INNER, ERRCP

    empty = EMPTY_TUPLE_INNER + (1).to_bytes(32, "big")
    fields = {"head": bytes((0x74, 0, 0)), "next": ERRCP, "data": empty, "aux": empty,
              "register": b"\x02" + empty, "static": b"\x02" + empty, "gas": b"\xff" * 32,
              "handler": ERRCP, "flag": b"\x00"}
    fields.update(changes)
    return b"".join(fields.values())


def test_contract_checks_have_their_names() -> None:
    ok = execute_step(_halt_proof(), b"", ZERO32, ZERO32)
    assert ok.status == "halted" and ok.after_hash == ZERO32 and ok.gas == 10
    # one more value than halt pops
    many = _halt_proof(head=bytes((0x74, 2, 0)) + b"\x00" + bytes(32) + b"\x00" + bytes(32))
    with pytest.raises(ProofRejected, match="STACK_MANY"):
        execute_step(many, b"", ZERO32, ZERO32)
    # add with one value over a non-empty stack: not an underflow the prover may claim
    nonempty = b"\x11" * 32 + (5).to_bytes(32, "big")
    missing = _halt_proof(head=bytes((0x01, 1, 0)) + b"\x00" + bytes(32), data=nonempty)
    with pytest.raises(ProofRejected, match="STACK_MISSING"):
        execute_step(missing, b"", ZERO32, ZERO32)
    with pytest.raises(ProofRejected, match="AUX_MANY"):
        execute_step(_halt_proof(head=bytes((0x3B, 0, 1)) + b"\x00" + bytes(32)), b"", ZERO32, ZERO32)
    with pytest.raises(ProofRejected, match="buffer proof was given"):
        execute_step(_halt_proof(), bytes((1, 1, 1, 1, 1)) + bytes(27), ZERO32, ZERO32)
    with pytest.raises(ProofDecodeError, match="bad immediate flag"):
        execute_step(_halt_proof(flag=b"\x02"), b"", ZERO32, ZERO32)


def _tile(fields: list, length: int, where: str) -> None:
    pos = 0
    for f in (f for f in fields if f.depth == 0):
        assert f.offset == pos and f.length > 0, f"{where}: {f.name} at {f.offset}, expected {pos}"
        pos += f.length
    assert pos == length, where
    for f in fields:     # nested rows have their real extent, inside the bytes
        assert f.length > 0 and f.offset + f.length <= length, f"{where}: {f.name}"


def test_decoded_fields_tile_every_reference_proof(conformance_dir: Path) -> None:
    for where, entry in _entries(conformance_dir):
        d = decode_proof(entry.proof)
        _tile(d.fields, len(entry.proof), where)
        names = [f.name for f in d.fields if f.depth == 0]
        assert names[:3] == ["opcode", "stackCount", "auxCount"] and names[-1] == "immediateFlag"
        assert sum(1 for n in names if n.startswith("stack[")) == d.stack_count
        bp = decode_buffer_proof(entry.buffer_proof)
        if bp is not None:
            _tile(bp.fields, len(entry.buffer_proof), where + " BufferProof")
            assert bp.bounds[0] == 1


def test_the_verifier_does_not_use_the_machine() -> None:
    """Independence: verifying needs neither the machine, its values nor programs."""
    import subprocess
    import sys

    code = ("import sys, avm.proofs.verifier, avm.proofs.proof_file; "
            "bad = [m for m in ('avm.core.machine', 'avm.core.values', 'avm.core.program', "
            "'avm.core.buffer', 'avm.proofs.marshal') "
            "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
