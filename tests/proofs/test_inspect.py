"""The proof inspector on every reference proof file, and `avm-debug inspect`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from avm.errors import UserError
from avm.proofs import inspect as proof_inspect
from debugger.cli.main import main


def _proof_files(conformance_dir: Path) -> list[Path]:
    files = sorted((conformance_dir / "proofs").glob("*-proofs.json"))
    assert files, "no reference proof files found"
    return files


def _tiles(rows: list[proof_inspect.Row], section: str, length: int) -> None:
    """Top-level rows cover [0, length) exactly; nested rows lie inside their parent."""
    top = [r for r in rows if r.section == section and r.depth == 0]
    pos = 0
    for r in top:
        assert r.offset == pos, f"{section} gap or overlap before {r.name} at {r.offset} (expected {pos})"
        assert r.length > 0
        pos += r.length
    assert pos == length, f"{section} rows end at {pos}, the bytes at {length}"
    parents: list[proof_inspect.Row] = []
    for r in (r for r in rows if r.section == section):
        del parents[r.depth:]
        if parents:
            p = parents[-1]
            assert p.offset < r.offset and r.offset + r.length <= p.offset + p.length, r.name
        parents.append(r)


def test_every_reference_proof_decodes_and_tiles(conformance_dir: Path) -> None:
    total = 0
    for path in _proof_files(conformance_dir):
        for e in proof_inspect.inspect_file(path):
            total += 1
            _tiles(e.rows, "Proof", len(e.proof))
            if e.buffer_proof:
                _tiles(e.rows, "BufferProof", len(e.buffer_proof))
            # the before hash rebuilt from the bytes is the file's before state
            assert e.before_ok, f"{path.name} entry {e.index}: before hash"
            assert len(e.before_inputs) == 7
            # the verifier's after hash is the file's after state
            assert e.after_ok, f"{path.name} entry {e.index}: after hash ({e.verifier_message})"
    assert total >= 400


def test_fields_say_what_the_verifier_sees(conformance_dir: Path) -> None:
    path = conformance_dir / "proofs" / "opcodetestcode.mexe-proofs.json"
    (e,) = proof_inspect.inspect_file(path, entry=4)         # pushinsnimm, the digest's worked example
    assert e.mnemonic == "pushinsnimm" and len(e.proof) == 491
    by_name = {r.name: r for r in e.rows if r.depth == 0}
    assert by_name["stack[0] (s2)"].seen == proof_inspect.FULL            # codepoint at depth 1
    assert by_name["stack[1] (s1)"].seen.startswith(proof_inspect.HASH_ONLY)   # tuple pre-image
    assert by_name["stack[2] (s0, immediate)"].offset == 103
    assert by_name["stack[2] (s0, immediate)"].value == "10"
    assert by_name["nextHash"].offset == 136 and by_name["nextHash"].seen.startswith(proof_inspect.HASH_ONLY)
    assert by_name["errHandlerHash"].value.startswith("0x830a80bc")
    assert e.before_hash.hex().startswith("c2038dc29f7ebdc0")
    names = [i.name for i in e.before_inputs]
    assert names == ["current codepoint", "data stack", "aux stack", "register", "static", "gas remaining",
                     "error handler"]
    assert e.before_inputs[0].value.hex().startswith("21dba4c04444c483")
    assert e.after_hash is not None and e.after_hash.hex().startswith("03cf008586226635")


def test_buffer_proof_sections(conformance_dir: Path) -> None:
    path = conformance_dir / "proofs" / "buffer_test.mexe-proofs.json"
    found = [e for e in proof_inspect.inspect_file(path) if e.buffer_proof]
    assert found
    rows = [r for r in found[0].rows if r.section == "BufferProof"]
    assert rows[0].name == "header" and rows[0].offset == 0
    assert any(r.name.startswith("proof1") for r in rows)


def test_bad_files_are_user_errors(tmp_path: Path, conformance_dir: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(UserError, match="not valid JSON"):
        proof_inspect.load_entries(bad)
    bad.write_text(json.dumps([{"Assertion": {}}]))
    with pytest.raises(UserError, match="missing"):
        proof_inspect.load_entries(bad)
    good = json.loads((conformance_dir / "proofs" / "opcodehalt.mexe-proofs.json").read_text())
    good[0]["Proof"] = good[0]["Proof"][:40]                  # truncated proof bytes
    bad.write_text(json.dumps(good))
    with pytest.raises(UserError, match="truncated"):
        proof_inspect.inspect_file(bad)
    with pytest.raises(UserError, match="no such file"):
        proof_inspect.load_entries(tmp_path / "missing.json")


def test_a_forged_after_state_is_caught(conformance_dir: Path) -> None:
    doc = json.loads((conformance_dir / "proofs" / "opcodetestcode.mexe-proofs.json").read_text())
    entry = doc[4]
    entry["Assertion"]["afterState"]["machineHash"] = [7] * 32
    e = proof_inspect.inspect_entry(entry, 4)
    assert e.before_ok and e.after_ok is False
    assert "✗ differs from the file" in proof_inspect.render_entry(e)


def test_cli_inspect(conformance_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = conformance_dir / "proofs" / "opcodehalt.mexe-proofs.json"
    assert main(["inspect", str(path)]) == 0
    out = capsys.readouterr().out
    assert "halt (0x74)" in out and "Proof 358 bytes" in out
    assert "✓ matches the file" in out and "gasRemaining" in out
    assert main(["inspect", str(path), "--entry", "5"]) == 2
    assert "out of range" in capsys.readouterr().err
