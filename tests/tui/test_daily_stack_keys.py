"""A focused stack pane owns the arrow keys: they select a slot below s0, they do not step (issue 18,
QA leftover); enter, o and y act on the selected slot."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import make_app, settle

from debugger.tui.widgets.stack_view import StackView
from debugger.tui.widgets.value_tree import ValueTree

PROGRAM = """\
    push 10
    push 20
    push 30
    halt
"""


async def test_arrows_select_slots_in_a_focused_stack(tmp_path: Path) -> None:
    app = make_app(tmp_path, PROGRAM)
    copied: list[str] = []
    async with app.run_test(size=(120, 36)) as pilot:
        app.copy_to_clipboard = copied.append
        await pilot.press("3", "s")
        await settle(app, pilot)
        data = app.query_one("#data-stack", StackView)
        data.focus()
        await pilot.press("down", "down")
        await settle(app, pilot)
        assert app.session.step == 3 and data.cursor == 2         # no step: the selection moved
        await pilot.press("up")
        await settle(app, pilot)
        assert app.session.step == 3 and data.cursor == 1
        await pilot.press("y")
        await pilot.pause()
        assert copied == ["0x14"]                                  # s1 = 20
        await pilot.press("end")
        assert data.cursor == 2
        await pilot.press("home")
        assert data.cursor == 0
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.query_one(ValueTree).value == 20
        data.focus()
        await pilot.press("o")                                     # origin of s1: the push 20
        await settle(app, pilot)
        assert app.session.step == 2 and app.session.machine.pc.index == 2
        app.query_one("#listing").focus()
        await pilot.press("down")                                  # elsewhere the arrows still step
        await settle(app, pilot)
        assert app.session.step == 3
