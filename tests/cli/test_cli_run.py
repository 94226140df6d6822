"""``avm-debug run``: final state reports agree with the reference proofs; bad input exits 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from debugger.cli.main import main


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["run", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_run_reports_the_final_state_of_every_proofs_file(conformance_dir: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted((conformance_dir / "proofs").glob("*.mexe-proofs.json"))
    assert files
    for path in files:
        name = path.name[: -len("-proofs.json")]
        entries = json.loads(path.read_text())
        last = entries[-1]["Assertion"]["afterState"]
        code, out, _ = _run(capsys, str(conformance_dir / "executables" / name), "--json")
        report = json.loads(out)
        assert report["machine_hash"] == "0x" + bytes(last["machineHash"]).hex(), name
        assert report["gas_used"] == last["gasUsed"], name
        assert report["steps"] == len(entries), name
        expected = {bytes(32): "halted", (1).to_bytes(32, "big"): "errorstop"}.get(
            bytes(last["machineHash"]), "blocked")
        assert report["status"] == expected, name
        assert code == (0 if expected == "halted" else 1)


def test_text_output_and_step_limit(conformance_dir: Path, shared_bench_dir: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, str(conformance_dir / "executables" / "opcodehalt.mexe"))
    assert code == 0
    assert "status:       halted" in out and "steps:        1" in out and "gas used:     10" in out
    code, out, _ = _run(capsys, str(shared_bench_dir / "add_2_1.mexe"), "--max-steps", "1000", "--json")
    assert code == 1 and json.loads(out)["status"] == "running" and json.loads(out)["steps"] == 1000


def test_inbox_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prog = tmp_path / "p.mexe"
    code_json = [{"opcode": 0x72, "immediate": None}, {"opcode": 0x74, "immediate": None}]
    prog.write_text(json.dumps({"code": code_json, "static_val": {"Tuple": []}}))
    code, out, _ = _run(capsys, str(prog), "--json")
    assert code == 1 and json.loads(out)["status"] == "blocked"
    inbox = tmp_path / "inbox.json"
    inbox.write_text("[[1, 2]]")
    code, out, _ = _run(capsys, str(prog), "--inbox", str(inbox), "--json")
    assert code == 0 and json.loads(out) == {"status": "halted", "steps": 2, "gas_used": 50,
                                             "machine_hash": "0x" + "00" * 32}


BAD = {
    "missing": None,
    "not_json": "{oops",
    "shape": "[1, 2, 3]",
    "opcode": '{"code": [{"opcode": 999, "immediate": null}], "static_val": {"Tuple": []}}',
    "imm_kind": '{"code": [{"opcode": 1, "immediate": {"Str": "x"}}], "static_val": {"Tuple": []}}',
    "cp_range": '{"code": [{"opcode": 1, "immediate": {"CodePoint": {"Internal": 9}}}], '
                '"static_val": {"Tuple": []}}',
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_exits_2_with_one_line(case: str, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / f"{case}.mexe"
    if BAD[case] is not None:
        path.write_text(BAD[case])
    code, out, err = _run(capsys, str(path))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("avm-debug: error: ") and str(path) in err


def test_bad_inbox_file_exits_2(tmp_path: Path, conformance_dir: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    inbox = tmp_path / "inbox.json"
    inbox.write_text('[1, {"Nope": 2}]')
    halt = conformance_dir / "executables" / "opcodehalt.mexe"
    code, _, err = _run(capsys, str(halt), "--inbox", str(inbox))
    assert code == 2 and "message 1" in err and err.count("\n") == 1


def test_assembly_programs_run_through_the_same_loader(capsys: pytest.CaptureFixture[str]) -> None:
    from debugger.engine.loading import load_program
    from debugger.resources import sample_path

    path = str(sample_path("arithmetic.s"))
    program = load_program(path)
    assert program.source_text is not None and program.code
    code, out, _ = _run(capsys, path, "--json")
    assert code == 0 and json.loads(out)["status"] == "halted"
