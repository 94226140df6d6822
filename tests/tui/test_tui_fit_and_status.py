"""Problems found by driving the real app in a terminal (80x24 and 160x48), each pinned by a test."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static
from tui_helpers import (
    make_app,
    screen_text,
    settle,
)

from debugger.tui.screens.breakpoints import BreakpointScreen
from debugger.tui.screens.codepoint_chain import CodepointChainScreen
from debugger.tui.screens.dispute import DisputeScreen
from debugger.tui.widgets.listing import Listing


def status_text(app) -> str:  # noqa: ANN001 -- a DebuggerApp
    return str(app.query_one("#status", Static).render())


async def test_main_keys_do_nothing_behind_a_teaching_view(tmp_path: Path) -> None:
    """`s` pressed in the chain view stepped the machine hidden behind it; `q` in the dispute view
    quit the whole debugger instead of closing the view."""
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("colon", *"chain", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CodepointChainScreen)
        await pilot.press("s", "c", "b", "G")
        await settle(app, pilot)
        assert app.session.step == 0 and not app.session.breakpoints.list()
        footer = screen_text(app).splitlines()[-1]
        assert "Step" not in footer and "Close" in footer
        await pilot.press("escape")
        await pilot.press("colon", *"dispute", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DisputeScreen)
        app.screen.set_focus(None)
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, DisputeScreen)


async def test_status_bar_says_why_it_stopped_within_80_columns(tmp_path: Path) -> None:
    """The stop reason came last after a redundant machine status and a repeated reason
    ("extensive │ step: back 3 step(s)", "halted │ halted: halted after 44 steps"), so at 80
    columns it was cut off."""
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert "extensive" not in status_text(app)
        await pilot.press("c")
        await settle(app, pilot)
        status = status_text(app)
        assert status.endswith(f"halted after {app.session.step} steps"), status
        assert "halted │" not in status and "halted:" not in status
        await pilot.press("3", "S")
        await pilot.pause()
        assert status_text(app).endswith("back 3 steps")
        await pilot.press("S")
        await pilot.pause()
        assert status_text(app).endswith("back 1 step")
        assert len(status_text(app)) <= 78


async def test_footer_shows_help_and_quit_at_80_columns(tmp_path: Path) -> None:
    """At 80 columns the footer ended at "p" of "Proof": a newcomer never saw how to get help."""
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "? Help" in footer and "q Quit" in footer and "s Step" in footer


async def test_breakpoint_list_does_not_repeat_number_and_hits(tmp_path: Path) -> None:
    """The "where" column read "#1 at #12 countdown [hits 6]" next to the # and hits columns."""
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.main.run_command("break 3")
        app.main.run_command("tbreak op log")
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("B")
        await pilot.pause()
        assert isinstance(app.screen, BreakpointScreen)
        table = app.screen.query_one(DataTable)
        wheres = [str(table.get_row_at(row)[2]) for row in range(table.row_count)]
        assert wheres == ["#3", "opcode log (once)"]


async def test_lesson_note_is_not_cut_off_at_80_columns(tmp_path: Path) -> None:
    """At 80x24 the note strip stopped at 3 lines: the tour's 'tset' lesson lost its last line
    ("s2 = the new value (our 20)")."""
    from debugger.engine.session import Session
    from debugger.resources import sample_path

    app = make_app(tmp_path, session=Session.load(sample_path("tour.s")), name="tour.s")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("7", "s")
        await pilot.pause()
        assert app.session.machine.pc.index == 7
        text = " ".join(screen_text(app).split())
        assert "s2 = the new value (our 20)." in text
        assert app.query_one(Listing).size.height >= 4


async def test_listing_location_column_fits_at_80_columns(tmp_path: Path) -> None:
    """Every row of a .s listing ended in "; tour.s" cut off at 80 columns (the line number lost);
    the file name is the pane's title already."""
    from debugger.engine.session import Session
    from debugger.resources import sample_path

    app = make_app(tmp_path, session=Session.load(sample_path("tour.s")), name="tour.s")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        rows = screen_text(app).splitlines()
        assert "push 2" in rows[2] and "; line 18" in rows[2]
        assert "tour.s:" not in screen_text(app)


async def test_progress_of_a_backward_search_does_not_claim_zero_steps(tmp_path: Path) -> None:
    """Reverse continue searches on a copy of the machine, so the status read
    "reverse continue: 0 steps, 0 steps/s" for the whole search."""
    import threading

    app = make_app(tmp_path)
    release = threading.Event()
    async with app.run_test(size=(80, 24)) as pilot:
        app.main.start_run("reverse continue", lambda: release.wait(30))
        await pilot.pause()
        app.main.update_status()
        status = status_text(app)
        release.set()
        await settle(app, pilot)
        assert status.startswith("reverse continue: working") and "0 steps" not in status


async def test_pc_stays_in_view_when_the_terminal_shrinks(tmp_path: Path) -> None:
    """Going from 160x48 to 80x24 left the listing scrolled for the old height: the ▶ line was off
    screen until the next step."""
    app = make_app(tmp_path, "nop\n" * 120 + "halt\n")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("6", "0", "s")
        await pilot.pause()
        listing = app.query_one(Listing)
        assert listing.pc == 60
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        top, height = round(listing.scroll_offset.y), listing.scrollable_content_region.height
        assert top <= 60 < top + height, (top, height)


async def test_chain_view_fits_80_columns(tmp_path: Path) -> None:
    """At 80 columns the chain table lost its hash column (the point of the view) and the detail's
    64-digit lines wrapped into their labels ("tag 0x01 =" / "codepoint")."""
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("colon", *"chain", "enter")
        await pilot.pause()
        await pilot.pause()
        rows = screen_text(app).splitlines()
        first = next(row for row in rows if "push 3" in row)
        assert "hash 0x" in first and first.rstrip().endswith("…")
        assert any(row.strip() == "tag 0x01 = codepoint: 01" for row in rows)
        assert all(len(row.rstrip()) <= 80 for row in rows)


async def test_proof_inspector_of_one_proof_uses_the_whole_width(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """At 80 columns the inspector of a `p` export spent 30 columns on a one-row entry list and cut
    the "seen" (full / hash) column to one letter."""
    from debugger.tui.screens.proof_inspector import ProofInspectorScreen

    monkeypatch.chdir(tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.press("colon", *"inspect-proof", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ProofInspectorScreen)
        text = screen_text(app)
        assert "opcode" in text and " full " in text and " hash " in text


async def test_registers_pane_says_what_the_machine_status_means(tmp_path: Path) -> None:
    """"status extensive" (the reference's word for a machine that can run) meant nothing to a
    newcomer: the screen says running / blocked / halted / error stop, and what it means."""
    app = make_app(tmp_path, "push 1\nhalt\n")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "running (can step)" in screen_text(app) and "extensive" not in screen_text(app)
        await pilot.press("c")
        await settle(app, pilot)
        assert "halted (finished)" in screen_text(app)
    app = make_app(tmp_path, "inbox\nhalt\n")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "blocked (inbox empty)" in screen_text(app)
    app = make_app(tmp_path, "push 0\npush 1\ndiv\nhalt\n")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await settle(app, pilot)
        assert "error stop" in screen_text(app) and "errorstop" not in screen_text(app)


async def test_keys_typed_right_after_g_are_not_dropped(tmp_path: Path) -> None:
    """A `c` typed right after `g` arrived while "a run was in progress" and was silently dropped (seen
    in tmux: "gc" stayed at step 0). Every move runs in the worker now; keys typed meanwhile are queued."""
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.main.run_command("break 6")
        await pilot.press("c")
        await settle(app, pilot)
        assert app.session.step > 0
        app.main.execute("history_start")                    # what `g` does; the next key may come at once
        app.main.execute("count", "3")
        app.main.execute("history_end")                      # `3G`: a step inside the history
        await settle(app, pilot)
        await settle(app, pilot)
        assert app.session.step == 3 and not app.main.running
