"""Fixtures for the source-level tests: the arbos-tests programs, their sources, and sessions of the
"new" programs started the way an upgrade starts them (with the old program's globals)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from debugger.engine.session import Session


@pytest.fixture(scope="session")
def arbos_dir(conformance_dir: Path) -> Path:
    return conformance_dir / "arbos-tests"


@pytest.fixture(scope="session")
def source_dir(arbos_dir: Path) -> Path:
    return arbos_dir / "src"


@pytest.fixture(scope="session")
def old_globals(arbos_dir: Path) -> object:
    """The register upgrade1_old leaves when it blocks: its globals, the input of the new programs."""
    s = Session.load(arbos_dir / "upgradetests_upgrade1_old.mexe")
    s.continue_()
    return s.machine.register


@pytest.fixture
def open_program(arbos_dir: Path, source_dir: Path, old_globals: object) -> Callable[[str], Session]:
    """A session on an arbos-tests program with its sources. The new programs start as an upgrade
    starts them: the register holds the old globals (regcopy_new takes them as main's argument)."""
    def make(name: str, **options: object) -> Session:
        s = Session.load(arbos_dir / f"{name}.mexe", **options)
        s.source_dirs = [str(source_dir)]
        if name.endswith("_new") or name.startswith("looptest"):
            def upgrade(m: object) -> None:
                m.register = old_globals  # type: ignore[attr-defined]
                if name == "upgradetests_regcopy_new":
                    m.stack.extend([s.program.error_codepoint, old_globals])  # type: ignore[attr-defined]
            s.edit_state(upgrade)
        return s
    return make
