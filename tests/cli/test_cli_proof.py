"""``avm-debug prove`` and ``avm-debug verify``: every conformance program proved and verified, exit
codes, one-line errors for malformed files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from avm.proofs.proof_file import load_proofs
from debugger.cli.main import main

MAX_STEPS = "3000"   # every conformance program ends well before this


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _programs(conformance_dir: Path) -> list[Path]:
    files = sorted((conformance_dir / "executables").glob("*.mexe"))
    files += sorted((conformance_dir / "arbos-tests").glob("*.mexe"))
    assert len(files) >= 20
    return files


def test_prove_all_then_verify_every_program(conformance_dir: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    total = 0
    for exe in _programs(conformance_dir):
        out_file = tmp_path / f"{exe.name}.proofs.json"
        code, _, err = _run(capsys, "prove", str(exe), "--all", "--max-steps", MAX_STEPS, "-o", str(out_file))
        assert code == 0, f"{exe.name}: {err}"
        assert "stopped after" not in err, f"{exe.name} did not end within {MAX_STEPS} steps"
        code, out, err = _run(capsys, "verify", str(out_file))
        lines = out.splitlines()
        n = len(load_proofs(out_file))
        assert code == 0, f"{exe.name}: {out[-500:]}{err}"
        assert lines[-1] == f"{n} passed, 0 failed" and len(lines) == n + 1
        assert all(line.endswith(": ok") for line in lines[:-1])
        total += n
    assert total > 500


def test_exported_files_match_the_reference_bytes(conformance_dir: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    exe = conformance_dir / "executables" / "opcodetestcode.mexe"
    ref = load_proofs(conformance_dir / "proofs" / "opcodetestcode.mexe-proofs.json")
    out_file = tmp_path / "p.json"
    assert _run(capsys, "prove", str(exe), "--all", "-o", str(out_file))[0] == 0
    got = load_proofs(out_file)
    assert [(e.proof, e.buffer_proof, e.before, e.after) for e in got] == \
        [(e.proof, e.buffer_proof, e.before, e.after) for e in ref]
    doc = json.loads(out_file.read_text())
    assert [d["step"] for d in doc] == list(range(len(ref)))
    assert doc[4]["opcode"] == "pushinsnimm" and doc[4]["program"] == "opcodetestcode.mexe"


def test_prove_one_step_is_deterministic_and_matches_all(conformance_dir: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    exe = str(conformance_dir / "executables" / "bytearraytest.mexe")
    code, all_out, _ = _run(capsys, "prove", exe, "--all")
    assert code == 0
    code, one, _ = _run(capsys, "prove", exe, "--step", "7")
    assert code == 0
    assert json.loads(one) == [json.loads(all_out)[7]]
    assert _run(capsys, "prove", exe, "--step", "7")[1] == one
    code, tail, _ = _run(capsys, "prove", exe, "--all", "--step", "19")
    assert json.loads(tail) == json.loads(all_out)[19:]


def test_verify_reference_files(conformance_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = conformance_dir / "proofs" / "buffer_test.mexe-proofs.json"
    code, out, _ = _run(capsys, "verify", str(path))
    assert code == 0 and out.splitlines()[-1] == "21 passed, 0 failed"
    assert out.splitlines()[0] == "entry 0 [rpush]: ok"


def test_verify_reports_what_does_not_match(conformance_dir: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    doc = json.loads((conformance_dir / "proofs" / "opcodetestdup.mexe-proofs.json").read_text())
    doc[3]["Assertion"]["afterState"]["gasUsed"] += 1
    doc[5]["Assertion"]["afterState"]["machineHash"][0] ^= 1
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    code, out, _ = _run(capsys, "verify", str(bad))
    lines = out.splitlines()
    assert code == 1
    assert lines[-1] == f"{len(doc) - 2} passed, 2 failed"
    assert "gasUsed delta" in lines[3] and "FAILED" in lines[3]
    assert "afterState.machineHash" in lines[5] and "assertion has 0x" in lines[5]


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d[0].update(Proof=d[0]["Proof"][:-10]), "entry 0: proof truncated"),
    (lambda d: d[0].update(Proof=d[0]["Proof"] + "00"), "trailing bytes"),
    (lambda d: d[0].update(Proof="0xzz" + d[0]["Proof"][4:]), "not valid hex"),
    (lambda d: d[0].update(Proof=d[0]["Proof"][2:]), "0x-prefixed"),
    (lambda d: d[1].update(BufferProof="0x0101"), "whole number of 32-byte words"),
    (lambda d: d[1]["Assertion"]["beforeState"].pop("gasUsed"), "missing gasUsed"),
    (lambda d: d[1]["Assertion"]["beforeState"].update(sendAcc=[0] * 31), "32 byte values"),
])
def test_malformed_files_exit_2_with_one_line(conformance_dir: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str], mutate, message) -> None:
    doc = json.loads((conformance_dir / "proofs" / "opcodetestarbgas.mexe-proofs.json").read_text())
    mutate(doc)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    code, out, err = _run(capsys, "verify", str(bad))
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and message in err and str(bad) in err


@pytest.mark.parametrize("text", ["", "{", "[1, 2]", "{\"a\": 1}", "\"x\""])
def test_malformed_json_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(text)
    code, out, err = _run(capsys, "verify", str(bad))
    assert code == 2 and len(err.splitlines()) == 1 and err.startswith("avm-debug: error:")


def test_prove_errors(conformance_dir: Path, shared_bench_dir: Path, tmp_path: Path,
                      capsys: pytest.CaptureFixture[str]) -> None:
    exe = str(conformance_dir / "executables" / "opcodehalt.mexe")
    code, _, err = _run(capsys, "prove", exe)
    assert code == 2 and "--step N" in err
    code, _, err = _run(capsys, "prove", exe, "--step", "1")
    assert code == 2 and "step 1" in err and len(err.splitlines()) == 1
    code, _, err = _run(capsys, "prove", exe, "--step", "-1")
    assert code == 2
    code, _, err = _run(capsys, "prove", str(tmp_path / "missing.mexe"), "--step", "0")
    assert code == 2 and "no such file" in err
    code, _, err = _run(capsys, "verify", str(tmp_path / "missing.json"))
    assert code == 2 and "no such file" in err
    # a program that never ends: --max-steps bounds the export
    loop = shared_bench_dir / "push_pop_0_0.mexe"
    code, out, err = _run(capsys, "prove", str(loop), "--all", "--max-steps", "5")
    assert code == 0 and len(json.loads(out)) == 5 and "--max-steps" in err


def test_prove_with_an_inbox_file(conformance_dir: Path, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    exe = conformance_dir / "executables" / "inbox.mexe"
    inbox = tmp_path / "inbox.json"
    inbox.write_text(json.dumps([[3, 1, 2, "0x1234", 0, 0, 2, {"Buffer": "abcd"}], 42, [1, 2]]))
    out_file = tmp_path / "p.json"
    code, _, err = _run(capsys, "prove", str(exe), "--all", "--inbox", str(inbox), "-o", str(out_file))
    assert code == 0, err
    entries = load_proofs(out_file)
    assert entries[-1].after.inbox_count == 2       # inbox.mexe reads two messages, then blocks
    code, out, _ = _run(capsys, "verify", str(out_file))
    assert code == 0, out
