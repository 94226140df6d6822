"""Code built at run time is shown as such (issue 18 #18): the header names the step that built it, the
listing has an entry for it with the ▶, and its errors are logged with that entry."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import make_app, notifications, screen_text, settle

from debugger.tui.widgets.listing import Listing

BUILT = """\
    push @done
    push 0xfe
    pushinsn
    jump
done:
    halt
"""


async def test_header_shows_runtime_code_and_where_it_was_built(tmp_path: Path) -> None:
    app = make_app(tmp_path, BUILT)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("4", "s")
        await settle(app, pilot)
        assert app.session.machine.pc.index == -1
        assert "▶ runtime code built at step 2 by #2" in screen_text(app).splitlines()[0]
        await pilot.press("c")                             # the invalid opcode: error stop, said so
        await settle(app, pilot)
        assert any(e.kind == "error" and e.detail.startswith("runtime code") for e in app.session.outputs)


async def test_runtime_code_is_a_listing_entry_with_the_pc_marker(tmp_path: Path) -> None:
    app = make_app(tmp_path, BUILT)
    async with app.run_test(size=(120, 36)) as pilot:
        listing = app.query_one(Listing)
        await pilot.press("3", "s")
        await settle(app, pilot)
        assert listing.runtime is None and listing.rows == 5
        await pilot.press("s")                              # jump into the code pushinsn built
        await settle(app, pilot)
        assert app.session.machine.pc.index == -1
        assert listing.rows == 6 and listing.runtime is not None
        assert listing.runtime.startswith("runtime code built at step 2 by #2: ")
        rows = screen_text(app).splitlines()[1:]           # below the header: the panes
        assert any("▶ runtime code built at step 2 by #2" in row for row in rows)
        assert not any("▶ " in row for row in rows if "runtime code" not in row)   # one ▶ only
        await pilot.press("S")                              # back in the program: the entry goes
        await settle(app, pilot)
        assert listing.runtime is None and listing.pc == 3
        assert sum("▶" in row for row in screen_text(app).splitlines()[1:]) == 1


async def test_an_invalid_opcode_in_runtime_code_is_logged_with_that_entry(tmp_path: Path) -> None:
    app = make_app(tmp_path, BUILT)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c")
        await settle(app, pilot)
        errors = [e.detail for e in app.session.outputs if e.kind == "error"]
        assert len(errors) == 1 and errors[0].startswith("runtime code built at step 2 by #2: ")
        assert any("runtime code built at step 2 by #2" in line
                   for line in app.query_one("#output").lines_text)


async def test_p_on_runtime_code_proves_its_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ▶ on the run-time entry is where the cursor is: ``p`` proves the current instruction (here
    the invalid opcode that error-stopped the machine), not the listing row the cursor had before."""
    monkeypatch.chdir(tmp_path)
    app = make_app(tmp_path, BUILT)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c")                              # error stop in the built code (step 4 -> 5)
        await settle(app, pilot)
        assert app.session.machine.pc.index == -1 and app.session.step == 5
        await pilot.press("p")
        await settle(app, pilot)
        assert notifications(app)[-1].startswith("proof of step 4 verified and written")
        assert (tmp_path / "prog-step4.proof.json").exists()
