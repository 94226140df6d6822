"""Issue 18 #6: the stop display next to an expensive instruction (an ecmul here) runs no machine step on
the UI thread: the state one step back, which the change marks diff against, is found by the worker."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from machine_builders import EC_LOOP
from tui_helpers import make_app, settle

from avm.core.machine import Machine


async def test_stop_display_near_an_expensive_step_runs_nothing_on_the_ui_thread(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on_ui: list[int] = []
    real_run = Machine.run

    def watched(self: Machine, *args: Any, **kwargs: Any) -> int:
        if threading.current_thread() is threading.main_thread():
            on_ui.append(self.steps)
        return real_run(self, *args, **kwargs)

    app = make_app(tmp_path, EC_LOOP)
    app.session.history.fixed_interval = 10**6          # no step-count checkpoints to help
    app.session.history.interval = 10**6
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        monkeypatch.setattr(Machine, "run", watched)
        for key, step in [("s", 1), ("s", 2), ("s", 3), ("s", 4), ("s", 5), ("s", 6), ("s", 7),
                          ("S", 6), ("S", 5), ("S", 4), ("S", 3), ("S", 2), ("s", 3), ("s", 4)]:
            await pilot.press(key)
            await settle(app, pilot)
            assert app.session.step == step
            assert on_ui == [], f"after {key} to step {step} the UI thread ran machine steps from {on_ui}"
        assert "w" in "".join(app.screen.position.touched.values())      # the marks were drawn
