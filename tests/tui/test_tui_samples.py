"""Every shipped sample and a few conformance executables survive a tour of the keys: no internal
error, every pane renders, and the run ends in a real stop reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import (
    make_app,
    notifications,
    screen_text,
    settle,
)

from debugger import resources
from debugger.cli.tui import prepare_session

KEYS = ["s", "1", "0", "s", "S", "c", "h", "T", "g", "G", "N", "F", "p", "escape", "y", "C", "n", "f"]


async def tour_keys(app, pilot) -> None:
    for key in KEYS:
        await pilot.press(key)
        await settle(app, pilot)
    text = screen_text(app)
    assert "step " in text
    problems = [m for m in notifications(app) if "internal error" in m]
    assert problems == []


@pytest.mark.parametrize("sample", resources.sample_names())
async def test_sample_survives_every_key(tmp_path: Path, monkeypatch, sample: str) -> None:
    monkeypatch.chdir(tmp_path)
    session, name = prepare_session(str(resources.sample_path(sample)))
    app = make_app(tmp_path, session=session, name=name)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await tour_keys(app, pilot)


async def test_conformance_executables_survive(tmp_path: Path, monkeypatch, conformance_dir: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for path in sorted((conformance_dir / "executables").glob("*.mexe"))[:6]:
        session, name = prepare_session(str(path))
        app = make_app(tmp_path, session=session, name=name)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            await tour_keys(app, pilot)
