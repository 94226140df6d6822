"""The timeline strip, origin breadcrumbs and the place history screen, in a small host app."""

from __future__ import annotations

import itertools

from dataflow_programs import register_loop_source
from textual.app import App, ComposeResult
from tui_helpers import make_session

from debugger.engine.locations import parse_place
from debugger.engine.place_history import iter_changes
from debugger.engine.provenance import origin
from debugger.tui.screens.place_history import PlaceHistoryScreen
from debugger.tui.widgets.origin_breadcrumbs import OriginBreadcrumbs
from debugger.tui.widgets.timeline_strip import TimelineStrip

LOOP = register_loop_source(300)


class Host(App):
    def __init__(self) -> None:
        super().__init__()
        self.session = make_session(LOOP, "loop.s")
        self.session.continue_()
        self.chosen: list[int] = []

    def compose(self) -> ComposeResult:
        yield OriginBreadcrumbs()
        yield TimelineStrip()

    def on_timeline_strip_step_chosen(self, event: TimelineStrip.StepChosen) -> None:
        self.chosen.append(event.step)


async def test_timeline_strip_samples_marks_and_clicks() -> None:
    app = Host()
    async with app.run_test(size=(60, 10)) as pilot:
        strip = app.query_one(TimelineStrip)
        app.session.goto(1200)
        strip.follow(app.session)
        await app.workers.wait_for_complete()
        await pilot.pause()
        tl = strip.timeline
        assert tl is not None and tl.steps[0] == 0 and tl.steps[-1] == app.session.history_end
        assert len(tl.steps) == strip.bar_width == 54
        text = str(strip.render())
        assert text.startswith("depth ") and "\ngas   " in text
        mark = strip.marker_column()
        assert mark is not None and tl.steps[mark] <= 1200 < tl.steps[mark + 1]
        await pilot.click(TimelineStrip, offset=(6 + 10, 0))
        await pilot.pause()
        assert app.chosen == [tl.steps[10]]
        await pilot.click(TimelineStrip, offset=(2, 1))          # the label: nothing
        await pilot.pause()
        assert app.chosen == [tl.steps[10]]


async def test_breadcrumbs_follow_the_chain_back_and_forth() -> None:
    app = Host()
    async with app.run_test(size=(100, 10)) as pilot:
        app.session.goto(1000)
        o = origin(app.session, parse_place("register"))
        crumbs = app.query_one(OriginBreadcrumbs)
        assert not crumbs.display or "-shown" not in crumbs.classes
        crumbs.show(o)
        await pilot.pause()
        assert crumbs.plain.startswith("origin of register at step 1,000 <- rset #5 step ")
        assert [link.kind for link in o.links] == ["move", "computed"]
        assert crumbs.move(1) == o.links[1].after and crumbs.index == 1
        assert crumbs.move(1) is None and crumbs.index == 1         # the source: the end of the chain
        assert crumbs.move(-1) == o.links[0].after
        assert crumbs.move(-1) == 1000 and crumbs.index == -1
        assert crumbs.move(-1) is None
        crumbs.hide()
        assert "-shown" not in crumbs.classes


async def test_place_history_screen_goes_to_the_chosen_change() -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        changes = list(itertools.islice(iter_changes(app.session, parse_place("register")), 50))
        results: list[int | None] = []
        app.push_screen(PlaceHistoryScreen("register", changes, app.session.program.labels, current=100),
                        results.append)
        await pilot.pause()
        table = app.screen.query_one("#history-table")
        assert table.row_count == 50
        assert changes[table.cursor_row].step <= 100 < changes[table.cursor_row + 1].step
        await pilot.press("down", "enter")
        await pilot.pause()
        assert results == [changes[table.cursor_row].step] and results[0] > 100
        app.push_screen(PlaceHistoryScreen("register", changes, None), results.append)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert results[-1] is None


async def test_timeline_strip_fills_its_width_when_it_first_appears_after_a_run(tmp_path) -> None:  # noqa: ANN001
    """It is hidden below 1,000 steps; when a run makes it appear it samples at its real width (it used
    to keep the two samples it took while it had no width until the terminal was resized)."""
    from pathlib import Path

    from tui_helpers import make_app, settle

    from debugger.engine.session import Session
    from debugger.resources import sample_path

    session = Session.load(Path(str(sample_path("long_loop.s"))))
    app = make_app(tmp_path, session=session, name="long_loop.s")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await settle(app, pilot)
        strip = app.screen.query_one(TimelineStrip)
        for _ in range(100):                      # the sampling runs in a worker: wait for it
            if strip.timeline is not None and len(strip.timeline.steps) > 2:
                break
            await pilot.pause(0.05)
        assert strip.timeline is not None and len(strip.timeline.steps) == strip.bar_width > 2
