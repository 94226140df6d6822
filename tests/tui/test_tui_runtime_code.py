"""Code built at run time is shown as such (issue 18 #18): the header names the step that built it."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import make_app, screen_text, settle

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
