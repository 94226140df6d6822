"""``avm-debug trace``: origin, history, touches and timeline as JSON; bad input exits 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from debugger.cli.main import main

REPO = Path(__file__).resolve().parents[2]
LOOP = str(REPO / "sample_programs" / "long_loop.s")


def _trace(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict, str]:
    code = main(["trace", *args])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 else {}), err


def test_origin_at_a_step(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _trace(capsys, LOOP, "--origin", "s1", "--at", "5000")
    assert code == 0 and out["steps"] == 5000
    origin = out["origin"]
    assert origin["value"]["text"].startswith("39445") and origin["complete"]
    assert [(link["step"], link["kind"], link["instruction"]) for link in origin["chain"]][:2] == [
        (4998, "move", "swap2"), (4997, "move", "dup0")]
    assert origin["chain"][-1]["kind"] == "computed"


def test_history_with_limit_and_range(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _trace(capsys, LOOP, "--history", "s1", "--limit", "3", "--to", "100")
    assert code == 0
    history = out["history"]
    assert [c["step"] for c in history["changes"]] == [2, 3, 8] and history["more"]
    assert history["changes"][0]["old"] is None and history["changes"][1]["new"]["text"].startswith("40000")


def test_history_equals(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _trace(capsys, LOOP, "--history", "s0", "--equals", "0x9c3e", "--limit", "2")
    assert code == 0
    assert [c["new"]["text"].split()[0] for c in out["history"]["changes"]] == ["39998", "39998"]


def test_touches_and_timeline(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _trace(capsys, LOOP, "--touches", "4")
    assert code == 0 and out["touches"]["instruction"] == "add"
    assert out["touches"]["reads"] == ["s1", "s0"] and out["touches"]["writes"] == ["s0"]
    code, out, _ = _trace(capsys, LOOP, "--timeline", "--samples", "5", "--max-steps", "1000")
    timeline = out["timeline"]
    assert timeline["steps"] == [0, 250, 500, 750, 1000] and len(timeline["depth"]) == 5
    assert "machine_hash" not in timeline


@pytest.mark.parametrize("args, message", [
    (["--origin", "s1["], "column 4"),
    (["--origin", "s1", "--at", "500000"], "not reached: the run ends at step 360,004"),
    (["--origin", "s1", "--at", "-1"], "--at must be 0 or more"),
    (["--history", "bogus"], "unknown place 'bogus'"),
    (["--timeline", "--samples", "0"], "--samples must be 1 or more"),
    (["--origin", "pc", "--at", "3"], "no origin for 'pc'"),
    (["--history", "s0", "--equals", "ten"], "expected an integer to compare with, not 'ten'"),
])
def test_bad_input_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], args: list[str],
                                          message: str) -> None:
    code, _, err = _trace(capsys, LOOP, *args)
    assert code == 2 and message in err and err.count("\n") == 1 and "Traceback" not in err


def test_missing_question_and_file(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["trace", LOOP])
    assert exc.value.code == 2
    code, _, err = _trace(capsys, "no/such.s", "--history", "s0")
    assert code == 2 and "no/such.s" in err
