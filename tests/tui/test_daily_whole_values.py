"""Long values are never only elided: the value tree shows the whole of its selected node (issue 18 #11)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tui_helpers import make_app, notifications, screen_text, settle

from debugger.tui.widgets.value_tree import ValueTree

BIG = 0x11D3247EA5C0FFEE0123456789ABCDEF00112233445566778899AABB1781BAD0
PROGRAM = f"""\
    push {BIG:#x}
    push 7
    push ({BIG:#x}, 2)
    halt
"""


def _one_line(app: Any) -> str:
    """The screen text with the wrapping undone (a value may be split over lines of the detail)."""
    return "".join(line.strip(" │╰╯╭╮─") for line in screen_text(app).splitlines())


async def test_selected_tree_node_shows_the_whole_integer_and_y_copies_it(tmp_path: Path) -> None:
    app = make_app(tmp_path, PROGRAM)
    copied: list[str] = []
    async with app.run_test(size=(80, 30)) as pilot:
        app.copy_to_clipboard = copied.append
        await pilot.press("3", "s")
        await settle(app, pilot)
        await pilot.press("colon", *"inspect s2", "enter")
        await settle(app, pilot)
        assert f"{BIG:#x}" in _one_line(app) and str(BIG) in _one_line(app)
        app.query_one(ValueTree).focus()
        await pilot.press("y")
        await pilot.pause()
        assert copied == [f"{BIG:#x}"]
        # the message quotes only the start of a long value: it says so, and how long the copy is
        assert notifications(app)[-1].endswith(f"{BIG:#x}"[:60] + "… (66 characters)")
        # a node inside a tuple: selected with the keyboard, shown whole too
        await pilot.press("colon", *"inspect s0", "enter")
        await settle(app, pilot)
        tree = app.query_one(ValueTree)
        tree.focus()
        await pilot.press("down")
        await pilot.pause()
        assert tree.cursor_node is not None and tree.cursor_node.data == BIG
        assert str(BIG) in _one_line(app)
        await pilot.press("y")
        await pilot.pause()
        assert copied[-1] == f"{BIG:#x}"


async def test_a_tuple_node_shows_its_full_hash(tmp_path: Path) -> None:
    from avm.core.values import value_hash

    app = make_app(tmp_path, PROGRAM)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3", "s")
        await settle(app, pilot)
        await pilot.press("colon", *"inspect s0", "enter")
        await settle(app, pilot)
        assert value_hash(app.session.machine.stack[-1]).hex() in _one_line(app)
