"""Issue 11: what the random-key storm found, each as a focused test (see tests/tui_storm.py)."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import make_app, settle
from tui_storm import send_keys

from debugger.tui.screens.breakpoints import BreakpointScreen
from debugger.tui.screens.main import MainScreen


async def test_keys_for_a_screen_before_it_is_shown(tmp_path: Path) -> None:
    """``B`` then ``a`` in one burst: ``a`` reached the breakpoint list before it had composed its
    add box (NoMatches, the app died); a pushed screen's keys act once it is shown."""
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = BreakpointScreen(app.session)
        app.push_screen(screen)
        assert not await app.run_action("add", screen)        # before its compose has run: not handled
        await settle(app, pilot)
        assert app.is_running and app.screen is screen
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert not await app.run_action("add", screen)        # dismissed: its keys no longer act
        send_keys(app, ["B"])
        await settle(app, pilot)
        assert isinstance(app.screen, BreakpointScreen)
        await pilot.press("a")                      # once shown, its keys work
        assert app.focused is not None and app.focused.id == "bp-add"
