"""The listing shows instructions as written, the prompt takes every key, the current lesson note
sits under the listing, and an Output line leads to its step."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input
from tui_helpers import (
    make_app,
    screen_text,
    settle,
)

from debugger.engine.session import Session
from debugger.resources import sample_path
from debugger.tui.widgets.listing import Listing
from debugger.tui.widgets.notes import NoteStrip
from debugger.tui.widgets.output import OutputPane
from debugger.tui.widgets.prompt import CommandLine

NO_NOTES = "push 1\nlog\npush 2\nlog\nhalt\n"


async def test_listing_shows_the_source_as_written(tmp_path: Path) -> None:
    session = Session.load(sample_path("tour.s"))
    app = make_app(tmp_path, session=session, name="tour.s")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        listing = app.query_one(Listing)
        assert listing.line_text(5) == "push (10, 20, (30, 40))"
        assert "push (10, 20, (30, 40))" in screen_text(app)
        greeting = next(i for i in range(listing.count) if listing.line_text(i) == "push GREETING")
        listing.cursor_to(greeting, center=True)
        await pilot.pause()
        assert "push GREETING" in screen_text(app)


async def test_the_prompt_takes_every_key_and_gives_the_focus_back(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        prompt = app.query_one(CommandLine)
        assert not prompt.is_open
        await pilot.press("colon", "b", "s", "k", "n", "c")     # each a key of the main screen
        assert prompt.is_open and app.focused is prompt.query_one("#prompt-input")
        assert app.focused.value == "bsknc"
        await pilot.press("escape")
        await pilot.pause()
        assert not prompt.is_open and isinstance(app.focused, Listing)
        assert app.session.step == 0 and not app.session.breakpoints.list()
        await pilot.press("slash", *"halt", "enter")              # search opens the same line
        await pilot.pause()
        assert not prompt.is_open and app.query_one(Listing).cursor == 11


async def test_current_lesson_note_under_the_listing(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        strip = app.query_one(NoteStrip)
        assert strip.display and strip.plain == "#0: first note: the program starts"
        assert "first note: the program starts" in screen_text(app)
        await pilot.press("4", "s")                     # pc 4 (auxpush): still in the first section
        await settle(app, pilot)
        assert strip.plain.startswith("#0:")
        await pilot.press("s")                          # pc 5: the jump to func, with its own note
        await settle(app, pilot)
        assert strip.plain == "#5: calling func"
        await pilot.press("s")                          # into func
        await settle(app, pilot)
        assert strip.plain == "#12: inside func"
        assert app.query_one(Listing).size.height >= 5  # 80x24 keeps a usable listing
        assert "inside func" in screen_text(app)


async def test_no_note_strip_without_notes(tmp_path: Path) -> None:
    app = make_app(tmp_path, NO_NOTES, name="plain.s")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.query_one(NoteStrip).display


async def test_enter_or_click_on_an_output_line_goes_to_its_step(tmp_path: Path) -> None:
    app = make_app(tmp_path, NO_NOTES, name="plain.s")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c")
        await settle(app, pilot)
        app.query_one("#tabs").active = "tab-output"
        await pilot.pause()
        output = app.query_one(OutputPane)
        assert [line.split()[:2] for line in output.lines_text] == [["2", "log"], ["4", "log"],
                                                                   ["5", "stop"]]
        output.focus()
        output.highlighted = 0
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.session.step == 2
        assert app.query_one(OutputPane).lines_text[-1].split()[:2] == ["2", "log"]  # later ones hidden
        app.main.run_command("end")
        await settle(app, pilot)
        assert app.session.step == 5
        await pilot.click(OutputPane, offset=(3, 1))     # the second line: the log at step 4
        await settle(app, pilot)
        assert app.session.step == 4



async def test_text_inputs_own_their_keys(tmp_path: Path, monkeypatch) -> None:
    """Issue 18 #8: `/` (and `:`) typed in the `:` line or the search line are text, not commands."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s", "s")
        await settle(app, pilot)
        await pilot.press("colon", *f"dump {tmp_path}/out/trace.jsonl", "enter")
        await settle(app, pilot)
        assert (tmp_path / "out" / "trace.jsonl").is_file()
        await pilot.press("slash", *"x/y:z")
        assert app.query_one(CommandLine).query_one(Input).value == "x/y:z"
        await pilot.press("escape")
