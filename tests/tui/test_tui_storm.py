"""Issue 11: a random-key storm (fixed seed, a few thousand keys with the palette, prompts, resizes and Esc
during runs) never crashes the TUI, never leaves a run stuck, never ends a command in an internal error.

``AVM_STORM_SEED`` / ``AVM_STORM_KEYS`` change the seed and the length for a local campaign; the suite
uses the defaults (bench/tui_storm.py runs the 20,000-key campaign)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from tui_helpers import make_app, notifications, settle
from tui_storm import calm_down, count_quits, record_crashes, storm

from debugger.tui.run_control import RunState

STORM_SEED = int(os.environ.get("AVM_STORM_SEED", "20261129"))
STORM_KEYS = int(os.environ.get("AVM_STORM_KEYS", "5000"))


async def test_random_key_storm(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(tmp_path)
    keys: list[str] = []
    async with app.run_test(size=(120, 36)) as pilot:
        crashes = record_crashes(app)
        count_quits(app)
        sent = await storm(app, pilot, seed=STORM_SEED, count=STORM_KEYS, log=keys)
        problems = await calm_down(app, pilot)
        context = f"seed {STORM_SEED}, last keys: {' '.join(keys[-40:])}"
        assert problems == [], context
        assert crashes == [], context
        assert sent >= STORM_KEYS
        assert app.is_running and app.return_code is None
        assert len(app.screen_stack) == 1 and app.main.runs.state is RunState.IDLE
        assert not [m for m in notifications(app) if "internal error" in m]
        # the storm may have left breakpoints, watches or an edited program: continuing must still come
        # back (never stuck) with a stop the session recorded
        before = app.session.last_stop
        app.main.execute("continue")          # whatever has the focus after the storm
        await settle(app, pilot)
        assert app.main.runs.state is RunState.IDLE and app.is_running
        assert app.session.last_stop is not None and app.session.last_stop is not before, \
            notifications(app)[-3:]


async def test_calm_down_tells_a_stuck_run_and_a_dead_app(tmp_path: Path) -> None:
    """The storm's judge itself: a run that ignores Esc is reported as stuck, an app that died as dead."""
    app = make_app(tmp_path)
    release = threading.Event()
    async with app.run_test(size=(120, 36)) as pilot:
        app.main.start_run("deaf", lambda: release.wait(30))      # a body that does not hear Esc
        problems = await calm_down(app, pilot, stuck_after=0.3)
        release.set()
        assert problems == ["stuck: deaf did not stop 0.3 s after Esc"]
        await settle(app, pilot)
        assert await calm_down(app, pilot) == []
        app.exit(return_code=3)
        await pilot.pause()
        assert await calm_down(app, pilot) == ["the app died (exit code 3)"]
