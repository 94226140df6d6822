"""The installed package ships its themes and sample programs (package data, not repo files)."""

from __future__ import annotations

import subprocess
import sys

from debugger import resources


def test_themes_are_installed_package_data() -> None:
    names = sorted(p.name for p in resources.themes_dir().iterdir() if p.name.endswith(".toml"))
    assert len(names) >= 3, names


def test_samples_are_installed_package_data() -> None:
    names = resources.sample_names()
    assert "tour.s" in names
    assert len(names) >= 12, names
    assert resources.sample_path("tour.s").read_text(encoding="utf-8").strip()


def test_console_script_reports_version() -> None:
    out = subprocess.run([sys.executable, "-m", "debugger.cli", "--version"], capture_output=True,
                         text=True, check=True)
    assert out.stdout.startswith("avm-debug ")


def test_unknown_flag_is_one_line_exit_2() -> None:
    out = subprocess.run([sys.executable, "-m", "debugger.cli", "--no-such-flag"], capture_output=True,
                         text=True)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "--no-such-flag" in out.stderr
    assert "Traceback" not in out.stderr
