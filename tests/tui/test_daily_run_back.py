"""`T`: run back to the previous time the cursor's instruction ran (issue 18 #2)."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import FOREVER, make_app, screen_text, settle

from debugger.tui.widgets.listing import Listing

# FOREVER: #0 push 0, then the loop #1 add 1, #2 spush, #3 tget 0, #4 jump: #1 runs from states 1, 5, 9, ...


async def test_T_runs_back_to_the_latest_earlier_run_of_the_cursor(tmp_path: Path) -> None:
    app = make_app(tmp_path, FOREVER, name="forever.s")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1", "1", "s")
        await settle(app, pilot)
        assert app.session.step == 11 and app.session.machine.pc.index == 3
        app.query_one(Listing).cursor_to(1)
        await pilot.press("T")
        await settle(app, pilot)
        assert app.session.step == 9 and app.session.machine.pc.index == 1
        app.query_one(Listing).cursor_to(1)
        await pilot.press("T")                    # the cursor's own step is not "earlier": on to 5
        await settle(app, pilot)
        assert app.session.step == 5


async def test_T_where_the_instruction_never_ran_says_so_and_stays(tmp_path: Path) -> None:
    app = make_app(tmp_path, FOREVER, name="forever.s")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "s")
        await settle(app, pilot)
        app.query_one(Listing).cursor_to(3)
        await pilot.press("T")
        await settle(app, pilot)
        assert app.session.step == 2 and app.session.machine.pc.index == 2
        assert "#3 did not run before step 2" in screen_text(app)


def test_tree_stacks_moved_off_T() -> None:
    from debugger.tui.registry import BY_ID, KEYED

    assert BY_ID["run_back_to_cursor"].keys == "T"
    keys = [k for cmd in KEYED for k in cmd.keys.split(",")]
    assert len(keys) == len(set(keys))            # no key bound twice
