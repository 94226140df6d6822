"""While ``c`` runs, the UI shows only a counter in the status line (at most a few times a second):
the listing and the panes wait for the stop, the worker gets long GIL slices (restored after the run),
and Esc still stops the run at once."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from tui_helpers import FOREVER, make_app, make_session, settle

from debugger.tui.run_control import RUN_SWITCH_INTERVAL, Run, RunController
from debugger.tui.widgets.listing import Listing


def status_text(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.query_one("#status").render())


async def test_a_run_shows_a_counter_and_repaints_nothing_else(tmp_path: Path) -> None:
    app = make_app(tmp_path, FOREVER, name="forever.s")
    before = sys.getswitchinterval()
    async with app.run_test(size=(120, 36)) as pilot:
        listing = app.query_one(Listing)
        await settle(app, pilot)
        pc_before, position_before = listing.pc, app.main.position
        await pilot.press("c")
        counters: set[str] = set()
        deadline = time.monotonic() + 30
        while len(counters) < 3 and time.monotonic() < deadline:   # the counter moves on
            await pilot.pause(0.05)
            text = status_text(app)
            if "steps/s" in text:
                counters.add(text.split(" steps,")[0])
        assert len(counters) >= 3
        assert app.main.running and sys.getswitchinterval() >= 0.99 * RUN_SWITCH_INTERVAL
        assert listing.pc == pc_before and app.main.position is position_before   # nothing else moved
        app.main.execute("interrupt")                                # Esc
        assert app.main.runs.wait_stopped(0.5)
        await settle(app, pilot)
        assert not app.main.running and "interrupted" in status_text(app)
        assert listing.pc == app.session.machine.pc.index            # the stop is shown
    assert abs(sys.getswitchinterval() - before) < 1e-6


def test_progress_is_due_once_per_period() -> None:
    runs = RunController(make_session(FOREVER))
    runs.begin(Run("continue", lambda: None))
    try:
        assert not runs.progress_due(60)              # the run has just begun
        assert runs.progress_due(0)
    finally:
        token = object()
        runs.attach(token)
        runs.finish(token)
