"""Questions across time in the app: o and the breadcrumbs, :history, :prevchange/:nextchange, the
timeline strip, read/write marks on the stacks and new/shared marks in the value tree."""

from __future__ import annotations

from pathlib import Path

from dataflow_programs import register_loop_source
from tui_helpers import make_app, notifications, screen_text, settle

from debugger.engine.locations import parse_place
from debugger.engine.provenance import origin
from debugger.tui.screens.place_history import PlaceHistoryScreen
from debugger.tui.widgets.origin_breadcrumbs import OriginBreadcrumbs
from debugger.tui.widgets.stack_view import StackView
from debugger.tui.widgets.timeline_strip import TimelineStrip
from debugger.tui.widgets.value_tree import ValueTree

LOOP = register_loop_source(300)      # about 2,400 steps


async def _command(app, pilot, text: str) -> None:
    await pilot.press("colon", *text, "enter")
    await settle(app, pilot)


async def test_o_goes_to_the_producer_and_brackets_follow_the_chain(tmp_path: Path) -> None:
    app = make_app(tmp_path, LOOP, name="loop.s")
    async with app.run_test(size=(120, 36)) as pilot:
        await _command(app, pilot, "goto 1000")
        session = app.session
        assert session.step == 1000
        expected = origin(session, parse_place("s0"))            # just after dup0: a copy of the counter
        assert [link.kind for link in expected.links] == ["move", "computed"]
        data = app.query_one("#data-stack", StackView)
        data.focus()
        await pilot.press("o")
        await settle(app, pilot)
        crumbs = app.query_one(OriginBreadcrumbs)
        assert crumbs.origin is not None and crumbs.origin.links == expected.links and crumbs.index == 0
        first = expected.links[0]
        assert session.step == first.after and session.previous_state().pc.index == first.index
        assert "origin 1/" in screen_text(app) and "origin of s0 at step 1,000" in crumbs.plain
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert session.step == expected.links[1].after and crumbs.index == 1
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(app, pilot)
        assert session.step == 1000 and crumbs.index == -1
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert any("back at the value asked about" in m for m in notifications(app))


async def test_origin_command_and_tree_node(tmp_path: Path) -> None:
    app = make_app(tmp_path)                      # the tour-like program of tui_helpers
    async with app.run_test(size=(120, 36)) as pilot:
        await _command(app, pilot, "goto 12")     # after 'push (1, 2, (3, 4))': the tuple on top
        await _command(app, pilot, "origin register")
        crumbs = app.query_one(OriginBreadcrumbs)
        assert [link.kind for link in crumbs.origin.links] == ["initial"] and app.session.step == 0
        await _command(app, pilot, "goto 12")
        await _command(app, pilot, "inspect s0")
        tree = app.query_one(ValueTree)
        assert tree.place == "s0" and tree.at == 12
        tree.focus()
        await pilot.press("down", "down", "o")    # the node [1] of the tuple
        await settle(app, pilot)
        assert crumbs.origin is not None and crumbs.origin.place == "s0[1]"
        assert crumbs.origin.links[-1].kind == "immediate"
        assert app.session.step == crumbs.origin.links[0].after


async def test_history_screen_lists_changes_and_goes_there(tmp_path: Path) -> None:
    app = make_app(tmp_path, LOOP, name="loop.s")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c")
        await settle(app, pilot)
        end = app.session.step
        await _command(app, pilot, "history register")
        screen = app.screen
        assert isinstance(screen, PlaceHistoryScreen)
        assert len(screen.changes) == 301 and screen.changes[1].step == 6
        table = screen.query_one("#history-table")
        assert table.cursor_row == 300                              # the last change before the end
        await pilot.press("up", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, PlaceHistoryScreen)
        assert app.session.step == screen.changes[299].step < end
        assert parse_place("register").read(app.session.machine) == 299


async def test_prevchange_and_nextchange_with_a_value(tmp_path: Path) -> None:
    app = make_app(tmp_path, LOOP, name="loop.s")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c")
        await settle(app, pilot)
        await _command(app, pilot, "prevchange register == 5")
        assert app.session.step == 38 and app.session.machine.register == 5
        await _command(app, pilot, "nextchange register")
        assert app.session.step == 46 and app.session.machine.register == 6
        await _command(app, pilot, "prevchange register == ten")
        assert any("expected an integer" in m for m in notifications(app))


async def test_timeline_strip_shows_a_long_history_and_clicks_go_there(tmp_path: Path) -> None:
    app = make_app(tmp_path, LOOP, name="loop.s")
    async with app.run_test(size=(120, 36)) as pilot:
        strip = app.query_one(TimelineStrip)
        assert not strip.display                                     # no history yet
        await pilot.press("c")
        await settle(app, pilot)
        assert strip.display and strip.timeline is not None
        assert strip.timeline.steps[-1] == app.session.history_end
        await pilot.click(TimelineStrip, offset=(6 + 5, 0))
        await settle(app, pilot)
        assert app.session.step == strip.timeline.steps[5]


async def test_stack_marks_and_tree_diff_after_tset(tmp_path: Path) -> None:
    program = "    push 7\n    push (1, (2, 3), 4)\n    tset 0\n    halt\n"
    app = make_app(tmp_path, program, name="tset.s")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3", "s")
        await settle(app, pilot)
        assert app.session.step == 3
        assert "s0 w " in screen_text(app)
        data = app.query_one("#data-stack", StackView)
        data.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        tree = app.query_one(ValueTree)
        assert tree.changes == {(): "new", (0,): "replaced", (1,): "shared", (2,): "shared"}
        labels = [str(node.label) for node in tree.root.children]
        assert labels[0].endswith("replaced") and labels[1].endswith("shared")
