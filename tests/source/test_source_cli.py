"""``avm-debug PROGRAM --source-dir DIR --break FILE:LINE``: checked before the screen opens."""

from __future__ import annotations

from pathlib import Path

import pytest

from avm.errors import UserError
from debugger.cli.main import main
from debugger.cli.tui import prepare_session


def test_source_dirs_and_line_breakpoints_reach_the_session(arbos_dir: Path, source_dir: Path) -> None:
    program = str(arbos_dir / "upgradetests_upgrade1_old.mexe")
    session, name = prepare_session(program, breaks=["upgrade1_old.mini:16"], source_dirs=[str(source_dir)])
    assert name == "upgradetests_upgrade1_old.mexe" and session.source_dirs == [str(source_dir)]
    (bp,) = session.breakpoints.list()
    assert bp.label == "upgrade1_old.mini:16"
    assert session.continue_().breakpoint == bp.number
    with pytest.raises(UserError, match="no source file 'nope.mini'"):
        prepare_session(program, breaks=["nope.mini:3"])


def test_bad_source_dir_is_one_line(arbos_dir: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    program = str(arbos_dir / "upgradetests_upgrade1_old.mexe")
    assert main([program, "--source-dir", str(tmp_path / "gone")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "gone: --source-dir: no such folder" in err
