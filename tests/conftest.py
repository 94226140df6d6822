"""Shared fixtures. Tests import the *installed* packages (there is no tests/__init__.py)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import py_ecc  # noqa: F401 -- imported once here, so that its recursion-limit change is undone below
import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
# py_ecc raises the recursion limit to 100,000 when first imported (tests/ops import it directly); with
# that limit a deeply nested JSON test input overflows the C stack instead of raising RecursionError
sys.setrecursionlimit(1000)


def _conformance_path() -> Path:
    override = os.environ.get("AVM_CONFORMANCE_DIR")
    if override:
        return Path(override)
    return REPO_ROOT.parent / "shared" / "conformance"


def require_conformance() -> Path:
    """The conformance folder; fails in CI, skips elsewhere, when it is missing."""
    path = _conformance_path()
    if not path.is_dir():
        message = (f"conformance data not found at {path} "
                   "(set AVM_CONFORMANCE_DIR to the shared/conformance folder)")
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message + " -- required in CI")
        pytest.skip(message)
    return path


_SUMMARY: list[str] = []


@pytest.fixture(scope="session")
def report_summary():
    """Call with a line (e.g. ``conformance: 407/407 steps match``) to show it after the test run."""
    return _SUMMARY.append


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001 -- pytest hook
    if _SUMMARY:
        terminalreporter.section("conformance summary")
        for line in _SUMMARY:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def conformance_dir() -> Path:
    return require_conformance()


@pytest.fixture(scope="session")
def shared_bench_dir() -> Path:
    return require_conformance().parent / "bench"


@pytest.fixture(autouse=True)
def isolated_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the real user config: XDG_CONFIG_HOME points at a tmp dir."""
    path = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(path))
    return path
