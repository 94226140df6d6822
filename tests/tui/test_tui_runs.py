"""Runs in the worker: the listing follows execution, one run at a time (run, stop, step hammered),
keys typed during a run are queued, quitting during a run quits, the palette survives a double Enter."""

from __future__ import annotations

import asyncio
import random
import time
from pathlib import Path

from textual.command import CommandInput, CommandPalette
from textual.widgets import Input
from tui_helpers import FOREVER, make_app, make_session, notifications, settle

from debugger.tui.run_control import Run, RunController, RunState
from debugger.tui.widgets.listing import Listing


def pc_row_visible(listing: Listing) -> bool:
    top = round(listing.scroll_offset.y)
    return listing.pc is not None and top <= listing.pc < top + listing.scrollable_content_region.height


async def test_execution_brings_the_current_instruction_back(tmp_path: Path, monkeypatch) -> None:
    """Issue 18 #1: after the cursor moved, any move of execution puts the cursor (and the view) on
    the current instruction, and ``p`` then proves the current step."""
    monkeypatch.chdir(tmp_path)
    body = "\n".join(f"push {i}\npop" for i in range(60))
    app = make_app(tmp_path, body + "\nhalt\n", name="long.s")
    async with app.run_test(size=(100, 30)) as pilot:
        listing = app.query_one(Listing)
        await settle(app, pilot)
        listing.cursor_to(110)
        await pilot.pause()
        assert listing.cursor == 110 and not pc_row_visible(listing)
        await pilot.press("s")
        await settle(app, pilot)
        assert listing.cursor == listing.pc == 1 and pc_row_visible(listing)
        await pilot.press("shift+down", "shift+down")
        await pilot.press(*"50", "G")                            # go to step 50
        await settle(app, pilot)
        assert listing.cursor == listing.pc == 50
        listing.cursor_to(0)
        await pilot.press("colon", *"break 100", "enter")
        await pilot.press("c")
        await settle(app, pilot)
        assert listing.cursor == listing.pc == 100 and pc_row_visible(listing)
        listing.cursor_to(3)
        await pilot.press("S")
        await settle(app, pilot)
        step = app.session.step
        await pilot.press("p")
        await pilot.pause()
        assert (tmp_path / f"long-step{step}.proof.json").is_file()      # the current step


def test_a_run_stopped_before_it_began_does_not_run() -> None:
    runs = RunController(make_session(FOREVER))
    ran: list[int] = []
    runs.begin(Run("continue", lambda: ran.append(1)))
    runs.stop()
    assert runs.body() is None and ran == []
    token = object()
    runs.attach(token)
    assert runs.finish(object()) is None and runs.busy        # another worker: not this run's end
    assert runs.finish(token) is not None and runs.state is RunState.IDLE


async def test_run_stop_and_step_hammered(tmp_path: Path) -> None:
    """Issue 11 F11: thousands of run / stop / step commands in random order, most of them before the
    previous run has even started its thread; every run ends, the prompt still opens, a run still runs."""
    app = make_app(tmp_path)
    rng = random.Random(11)
    commands = [("continue", None), ("interrupt", None), ("step", None), ("step_back", None),
                ("reverse_continue", None), ("step_out", None), ("history_start", None),
                ("history_end", None), ("count", "2"), ("run_to_cursor", None), ("restart", None)]
    async with app.run_test(size=(100, 30)) as pilot:
        for i in range(3000):
            app.main.execute(*rng.choice(commands))
            if i % 7 == 0:
                await asyncio.sleep(rng.choice((0, 0, 0.001)))
        app.main.execute("interrupt")
        await settle(app, pilot)
        assert not app.main.running and app.main.runs.state is RunState.IDLE and app.main.runs.queue == []
        assert not any("internal error" in m for m in notifications(app))
        await pilot.press("c")
        await settle(app, pilot)
        assert app.session.machine.status.name == "HALTED"
        await pilot.press("colon")
        assert app.focused is not None and app.focused.id == "prompt-input"


async def test_keys_typed_during_a_run_are_queued_and_esc_drops_them(tmp_path: Path) -> None:
    app = make_app(tmp_path, FOREVER, name="forever.s")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c")
        await pilot.pause(0.2)
        await pilot.press("s", "S", "5")
        status = str(app.query_one("#status").render())
        assert "queued: s S 5" in status
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.main.runs.queue == [] and app.main.count_prefix == ""
        stopped_at = app.session.step
        await pilot.press("s")
        await settle(app, pilot)
        assert app.session.step == stopped_at + 1
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c", "S", "S")                      # halts quickly; then two steps back
        await settle(app, pilot)
        await settle(app, pilot)
        assert app.session.step == app.session.history_end - 2


async def test_quitting_during_a_run_stops_it(tmp_path: Path) -> None:
    app = make_app(tmp_path, FOREVER, name="forever.s")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        await pilot.pause(0.3)
        assert app.main.running
        started = time.monotonic()
        await pilot.press("ctrl+q")
        assert app.stop_runs(timeout=0.5)                     # the worker thread has returned
        assert time.monotonic() - started < 0.5
    assert app.return_code == 0


async def test_palette_survives_enter_twice(tmp_path: Path) -> None:
    """Issue 11 F10: two Enters before the palette has gone dismissed it twice (ScreenStackError)."""
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+p", *"restart")
        await pilot.pause(0.3)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        field = palette.query_one(CommandInput)
        for _ in range(3):                                    # queued before the first is handled
            palette.post_message(Input.Submitted(field, field.value))
        await settle(app, pilot)
        assert len(app.screen_stack) == 1
        await pilot.press("s")
        await settle(app, pilot)
        assert app.session.step == 1
