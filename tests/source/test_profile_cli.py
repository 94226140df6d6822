"""``avm-debug profile PROGRAM``: gas by source function and by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from debugger.cli.main import main


def test_profile_by_function_and_line(arbos_dir: Path, source_dir: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    program = str(arbos_dir / "looptest_upgrade2_base.mexe")
    assert main(["profile", program, "--source-dir", str(source_dir)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "40 steps, error stop"
    assert out[1].split() == ["function", "steps", "gas", "gas", "%"]
    rows = [line.split() for line in out[2:]]
    assert rows[0][0] == "remapGlobalsForUpgrade"
    gas = [int(r[-2].replace(",", "")) for r in rows]
    assert gas == sorted(gas, reverse=True) and sum(gas) == 67          # the run's gas, all of it
    assert {"main", "set_newGlobal3_onUpgrade", "set_newGlobal2_onUpgrade"} <= {r[0] for r in rows}
    assert main(["profile", program, "--by", "line", "--top", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 + 3 and lines[1].startswith("line")


def test_profile_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile", str(tmp_path / "none.mexe")]) == 2
    assert "none.mexe" in capsys.readouterr().err
    assert main(["profile", str(tmp_path / "none.mexe"), "--source-dir", str(tmp_path / "nodir")]) == 2
    assert "nodir: --source-dir: no such folder" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["profile", "x.mexe", "--by", "opcode"])
    assert exc.value.code == 2
