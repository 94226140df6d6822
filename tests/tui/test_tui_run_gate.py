"""Issue 11 (the key storm): a run asked for while another is in progress, from a path that is not a typed
command (a line chosen in the output pane, a bookmark, a change in a place's history), is queued like a
typed command, never an "internal error: a run is already in progress"."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import FOREVER, make_app, notifications, settle

from avm.errors import UserError
from debugger.tui.run_control import RunState
from debugger.tui.widgets.output import OutputPane


async def test_a_step_chosen_during_a_run_waits_for_it(tmp_path: Path) -> None:
    app = make_app(tmp_path, FOREVER, name="forever.s")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s", "s", "s")
        await settle(app, pilot)
        await pilot.press("c")
        await pilot.pause()
        assert app.main.runs.busy
        app.query_one(OutputPane).post_message(OutputPane.StepChosen(1))
        await pilot.pause()
        assert app.main.runs.queue == [("goto", "1")]
        assert "queued: :goto STEP" in str(app.query_one("#status").render())
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.main.runs.state is RunState.IDLE and app.main.runs.queue == []
        assert not [m for m in notifications(app) if "internal error" in m]


async def test_start_run_while_busy_is_refused_with_a_message(tmp_path: Path) -> None:
    app = make_app(tmp_path, FOREVER, name="forever.s")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        with pytest.raises(UserError, match="continue is running"):
            app.main.start_run("another", lambda: None)
        assert app.main.runs.run is not None and app.main.runs.run.label == "continue"
        await pilot.press("escape")
        await settle(app, pilot)
        assert not [m for m in notifications(app) if "internal error" in m]


async def test_the_command_line_opens_during_a_run(tmp_path: Path) -> None:
    """``:`` was queued during a run, so the command typed after it went to the main screen key by key
    (``:quiz``: ``q`` asked to quit, and Enter said yes). The ``:`` line opens at once; the command it
    runs waits for the run like a key."""
    app = make_app(tmp_path, FOREVER, name="forever.s")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert app.main.runs.busy
        await pilot.press("colon", *"quiz", "enter")
        assert app.is_running and len(app.screen_stack) == 1
        assert app.main.runs.queue == [("quiz", "")] and app.main.runs.busy
        await pilot.press("colon", *"break 3", "enter")     # allowed during a run: at once
        assert [bp.index for bp in app.session.breakpoints.list()] == [3]
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.main.runs.state is RunState.IDLE and app.is_running


async def test_a_bookmark_letter_typed_during_a_run(tmp_path: Path) -> None:
    """``m`` was queued during a run: its letter screen opened after the run and took a key typed much
    later, and the key after that went to the main screen (``:quiz``: ``q`` quit). The letter is the key
    typed right after ``m`` (or ``'``), run or not."""
    app = make_app(tmp_path, FOREVER, name="forever.s")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("m", "a")
        assert app.main.runs.busy and len(app.screen_stack) == 1 and "a" in app.session.annotations.bookmarks
        await pilot.press("apostrophe", "a")
        assert app.main.runs.queue == [("goto", str(app.session.annotations.bookmark("a")))]
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.main.runs.state is RunState.IDLE and app.is_running
