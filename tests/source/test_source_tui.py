"""Source mode in the debugger (Pilot): the source pane beside the listing, stepping by line both ways
with the step keys, the Variables pane, breakpoints from the source pane, heat per line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tui_helpers import make_app, notifications, screen_text, settle

from debugger.engine.session import Session
from debugger.tui.widgets.listing import Listing
from debugger.tui.widgets.source_pane import SourcePane
from debugger.tui.widgets.variables import VariablesPane


async def test_stepping_by_line_with_the_step_keys(tmp_path: Path,
                                                   open_program: Callable[..., Session]) -> None:
    session = open_program("upgradetests_upgrade1_old")
    app = make_app(tmp_path, session=session, name="upgradetests_upgrade1_old.mexe")
    async with app.run_test(size=(160, 45)) as pilot:
        source = app.screen.query_one(SourcePane)
        assert not source.display                                  # off until source mode
        await pilot.press("v")
        await pilot.pause()
        assert source.display and "source mode on" in notifications(app)[-1]
        lines = []
        for _ in range(3):
            await pilot.press("s")
            await settle(app, pilot)
            lines.append((session.step, source.pc_line, source.line_text(source.pc_line).strip()))
        assert lines == [(2, 14, "view write throw func main() {"), (4, 15, "global1 = 5;"),
                         (7, 16, "global2 = Some(-3s);")]
        status = str(app.screen.query_one("#status").render())
        assert "main upgrade1_old.mini:16" in status
        assert "16▶     global2 = Some(-3s);" in screen_text(app)
        await pilot.press("S")                                     # back one line
        await settle(app, pilot)
        assert (session.step, source.pc_line) == (4, 15)
        await pilot.press("s", "s")
        await settle(app, pilot)
        assert session.step == 13 and source.pc_line == 18          # blocked on the inbox
        variables = app.screen.query_one(VariablesPane)
        assert variables.text() == "global1 = 5\nglobal2 = Some(-3s)"
        shown = screen_text(app)
        assert "global1: uint = 5" in shown and "global2: option<int> = Some(-3s)" in shown
        assert "#0 main at upgrade1_old.mini:18" in shown
        await pilot.press("v")                                     # back to instruction steps
        await pilot.press("S")
        await settle(app, pilot)
        assert session.step == 12 and not source.display


async def test_breakpoint_from_the_source_pane_and_heat(tmp_path: Path,
                                                        open_program: Callable[..., Session]) -> None:
    session = open_program("upgradetests_upgrade1_old")
    app = make_app(tmp_path, session=session, name="upgradetests_upgrade1_old.mexe")
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("v", "s")
        await settle(app, pilot)
        source = app.screen.query_one(SourcePane)
        source.focus()
        await pilot.press("shift+down", "shift+down")              # cursor to line 16
        await pilot.pause()
        listing = app.screen.query_one(Listing)
        assert source.cursor == 16 and listing.cursor == 7          # the listing follows
        await pilot.press("b")
        await pilot.pause()
        (bp,) = session.breakpoints.list()
        assert bp.label == "upgrade1_old.mini:16"
        assert "● 16" in screen_text(app)
        app.screen.query_one(Listing).focus()
        await pilot.press("g", "c")
        await settle(app, pilot)
        assert session.step == 7 and source.pc_line == 16
        await pilot.press("h")
        await pilot.pause()
        assert source.heat == {("upgrade1_old", 14): 2, ("upgrade1_old", 15): 3}   # hits before step 7


async def test_source_mode_needs_locations(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("v")
        await pilot.pause()
        assert "no source locations" in notifications(app)[-1]
        assert not app.screen.source_mode


async def test_watch_and_condition_on_globals_from_the_prompt(tmp_path: Path,
                                                               open_program: Callable[..., Session]) -> None:
    session = open_program("looptest_upgrade2_base")
    app = make_app(tmp_path, session=session, name="looptest_upgrade2_base.mexe")
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("colon", *"watch newGlobal3", "enter")
        await pilot.pause()
        await pilot.press("c")
        await settle(app, pilot)
        first = session.last_stop
        assert first.reason.value == "watch" and first.detail.startswith("newGlobal3:")
        await pilot.press("colon", *"break when newGlobal2 == 5", "enter")
        await pilot.pause()
        await pilot.press("c")
        await settle(app, pilot)
        stops = [session.last_stop]
        while session.last_stop.reason.value == "watch":
            await pilot.press("c")
            await settle(app, pilot)
            stops.append(session.last_stop)
        assert stops[-1].reason.value == "breakpoint"
        assert app.screen.query_one(VariablesPane).text().splitlines()[1] == "newGlobal2 = 5"


async def test_profile_command_shows_gas_by_function(tmp_path: Path,
                                                      open_program: Callable[..., Session]) -> None:
    session = open_program("looptest_upgrade2_base")
    app = make_app(tmp_path, session=session, name="looptest_upgrade2_base.mexe")
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("colon", *"profile", "enter")
        await settle(app, pilot)
        shown = screen_text(app)
        assert "gas profile by function, steps 0..88:" in shown
        assert "remapGlobalsForUpgrade" in shown and "set_newGlobal3_onUpgrade" in shown
        await pilot.press("colon", *"profile opcode", "enter")
        await pilot.pause()
        assert "usage: profile [function|line]" in notifications(app)[-1]
