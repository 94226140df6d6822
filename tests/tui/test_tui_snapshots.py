"""How the main screen looks: the tour sample in each shipped theme, at 80x24 and in a big terminal.

Regenerate after an intended change with ``pytest tests/test_tui_snapshots.py --snapshot-update`` and
review the SVGs (``snapshot_report.html`` shows the differences).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from debugger.cli.tui import prepare_session
from debugger.tui.app import DebuggerApp


def tour_app(tmp_path: Path, theme: str) -> DebuggerApp:
    session, name = prepare_session(None)          # no file: the tour sample
    return DebuggerApp(session, theme=theme, config_dir=tmp_path, program_name=name, persist_theme=False)


async def _settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.press("6", "s")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("theme", ["avm-dark", "avm-light", "avm-contrast"])
def test_main_screen_in_each_theme(snap_compare, tmp_path: Path, theme: str) -> None:
    assert snap_compare(tour_app(tmp_path, theme), terminal_size=(120, 36), run_before=_settle)


def test_main_screen_80x24(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(tour_app(tmp_path, "avm-dark"), terminal_size=(80, 24), run_before=_settle)


def test_main_screen_wide(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(tour_app(tmp_path, "avm-dark"), terminal_size=(170, 48), run_before=_settle)
