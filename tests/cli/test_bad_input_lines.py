"""Bad input through every command: one line on stderr naming the file (with line:col where it applies),
exit code 2, never a traceback (issue 11: F1 long JSON numbers, F9 lines without the file name)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from debugger.cli.main import main

HUGE = "9" * 4301


def _fails_with_one_line(capsys: pytest.CaptureFixture[str], args: list[str], path: Path) -> str:
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 2, (args, out, err)
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert str(path) in err, err
    return err


def _tour_s() -> str:
    from debugger.resources import sample_path

    return str(sample_path("tour.s"))


@pytest.mark.parametrize("digits", [79, 4301, 50_000])
def test_a_long_json_number_is_bad_input_in_every_json_reader(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], digits: int) -> None:
    number = "9" * digits
    mexe = tmp_path / "big.mexe"
    mexe.write_text('{"code": [], "static_val": {"Int": "0"}, "version": ' + number + "}")
    proof = tmp_path / "big.proof.json"
    proof.write_text(f"[\n  {number}\n]")
    inbox = tmp_path / "big_inbox.json"
    inbox.write_text(f"[{number}]")
    for args, path in ((["run", str(mexe)], mexe), (["disasm", str(mexe)], mexe),
                       (["prove", str(mexe), "--step", "0"], mexe), (["verify", str(proof)], proof),
                       (["inspect", str(proof)], proof), (["run", _tour_s(), "--inbox", str(inbox)], inbox)):
        err = _fails_with_one_line(capsys, args, path)
        assert "number too large" in err
    # the position is the number's own line and column
    err = _fails_with_one_line(capsys, ["verify", str(proof)], proof)
    assert f"{proof}:2:3:" in err


def test_a_78_digit_number_reaches_its_field_and_is_checked_there(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inbox = tmp_path / "inbox.json"
    inbox.write_text(json.dumps([1 << 256]))          # 78 digits, one past the 256-bit limit
    err = _fails_with_one_line(capsys, ["run", _tour_s(), "--inbox", str(inbox)], inbox)
    assert "256-bit" in err


def test_counts_of_a_proof_file_are_256_bit(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             conformance_dir: Path) -> None:
    source = sorted((conformance_dir / "proofs").glob("*.mexe-proofs.json"))[0]
    entries = json.loads(source.read_text())[:1]
    entries[0]["Assertion"]["afterState"]["gasUsed"] = 1 << 256
    bad = tmp_path / "count.json"
    bad.write_text(json.dumps(entries))
    err = _fails_with_one_line(capsys, ["verify", str(bad)], bad)
    assert "gasUsed" in err


def test_inspect_of_a_truncated_proof_names_the_file_and_entry(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], conformance_dir: Path) -> None:
    source = sorted((conformance_dir / "proofs").glob("*.mexe-proofs.json"))[0]
    entries = json.loads(source.read_text())[:2]
    entries[1]["Proof"] = entries[1]["Proof"][:60]
    bad = tmp_path / "truncated.json"
    bad.write_text(json.dumps(entries))
    for args in (["inspect", str(bad)], ["inspect", str(bad), "--entry", "1"], ["verify", str(bad)]):
        err = _fails_with_one_line(capsys, args, bad)
        assert "entry 1" in err and "truncated" in err


def test_disasm_of_a_buffer_too_large_for_a_literal_names_the_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from avm.formats import disassembler

    monkeypatch.setattr(disassembler, "_MAX_BUFFER_LITERAL", 64)     # stands for 16 MiB
    mexe = tmp_path / "buffer.mexe"
    mexe.write_text(json.dumps({"code": [{"opcode": 0x3B, "immediate": {"Buffer": "01" * 100}}],
                                "static_val": {"Tuple": []}}))
    err = _fails_with_one_line(capsys, ["disasm", str(mexe)], mexe)
    assert "too large" in err


def test_a_huge_break_number_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 11, F2: ``--break <4301 digits>`` is bad input, reported before any screen opens."""
    code = main([_tour_s(), "--break", HUGE])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, err


@pytest.mark.parametrize("text", ["[]", "[]\n", "  [ ]  "])
def test_a_proof_file_without_entries_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   text: str) -> None:
    """Issue 18, item 14: ``verify`` of an empty list used to print "0 passed, 0 failed" and exit 0."""
    empty = tmp_path / "empty.json"
    empty.write_text(text)
    for command in ("verify", "inspect"):
        err = _fails_with_one_line(capsys, [command, str(empty)], empty)
        assert "no proof entries" in err
