"""Shipped samples open by their bare name from any folder, ``--samples`` lists them, and no output
shows the folder they are installed in (issue 18, item 16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from debugger import resources
from debugger.cli.main import main


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _installed_folder() -> str:
    return str(Path(str(resources.samples_dir())).resolve())


def test_a_bare_sample_name_runs_from_any_folder(elsewhere: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "loops.s"]) == 0
    assert "halted" in capsys.readouterr().out
    assert main(["run", "loops"]) == 0            # the suffix may be left out
    capsys.readouterr()


def test_a_local_file_wins_over_a_sample(elsewhere: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (elsewhere / "loops.s").write_text("push 1\nerror\n")
    assert main(["run", "loops.s"]) == 1          # the local program: an error stop
    assert "errorstop" in capsys.readouterr().out


def test_an_unknown_bare_name_is_still_no_such_file(elsewhere: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "nosuch.s"]) == 2
    assert "nosuch.s: no such file" in capsys.readouterr().err


def test_samples_lists_every_sample_with_its_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--samples"]) == 0
    out = capsys.readouterr().out
    for name in resources.sample_names():
        assert name in out
    assert "loops with codepoints" in out


def test_outputs_never_show_the_installed_folder(elsewhere: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["challenge", "loops.s", "--lie-at", "5"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Dispute over loops.s:")
    assert main(["disasm", "tour.s"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("; tour.s:")
    assert _installed_folder() not in out


def test_errors_name_a_sample_without_its_folder(elsewhere: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["prove", "loops.s", "--step", "99999"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("avm-debug: error: loops.s: step 99999 does not exist")


def test_the_tui_entry_resolves_a_sample(elsewhere: Path) -> None:
    from debugger.cli.tui import prepare_session

    session, name = prepare_session(resources.resolve_program("calls.s"))
    assert name == "calls.s" and len(session.program.code) > 10
