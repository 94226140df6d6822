"""Every key of the TUI, driven headlessly with Pilot, asserting session state and pane contents."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import (
    FOREVER,
    make_app,
    notifications,
    screen_text,
    settle,
)

from debugger.tui.widgets.listing import Listing
from debugger.tui.widgets.registers import RegistersPane
from debugger.tui.widgets.stack_view import StackView


async def test_step_keys_forward_and_back(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        listing = app.query_one(Listing)
        assert app.session.step == 0 and listing.pc == 0
        await pilot.press("s", "j", "down")
        await settle(app, pilot)
        assert app.session.step == 3
        assert listing.pc == 3
        data = app.query_one("#data-stack", StackView)
        assert data.border_title == "data stack · depth 1"
        assert "7 (0x7)" in screen_text(app)          # 3 + 4
        await pilot.press("S")
        await settle(app, pilot)
        assert app.session.step == 2 and listing.pc == 2
        await pilot.press("k", "up")
        await settle(app, pilot)
        assert app.session.step == 0 and listing.pc == 0


async def test_count_prefix(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1", "0", "s")
        await settle(app, pilot)
        assert app.session.step == 10
        await pilot.press("3", "S")
        await settle(app, pilot)
        assert app.session.step == 7
        await pilot.press("4", "G")          # with a count, G goes to that step
        await settle(app, pilot)
        assert app.session.step == 4


async def test_changed_values_are_marked(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s")
        await settle(app, pilot)
        data = app.query_one("#data-stack", StackView)
        assert data.unchanged == 0            # the pushed 3 is new
        await pilot.press("s")
        await settle(app, pilot)
        assert data.unchanged == 1            # the 3 stayed, the 4 is new
        # s0 written by the last step and read (with s1) by the next one, add
        assert "s0 rw 4 (0x4)" in screen_text(app) and "s1 r  3 (0x3)" in screen_text(app)
        registers = app.query_one("#registers", RegistersPane)
        assert ("gas used", "2") in registers.rows


async def test_step_over_and_back(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("5", "s")
        await settle(app, pilot)
        assert app.session.machine.pc.index == 5           # jump @func: a call
        await pilot.press("n")
        await settle(app, pilot)
        assert app.session.machine.pc.index == 6 and app.session.step == 10
        await pilot.press("N")
        await settle(app, pilot)
        assert app.session.machine.pc.index == 5 and app.session.step == 5


async def test_step_out_forward_and_back(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("7", "s")
        await settle(app, pilot)
        assert app.session.machine.pc.index == 13           # inside func
        await pilot.press("f")
        await settle(app, pilot)
        assert app.session.machine.pc.index == 6            # returned to 'after'
        await pilot.press("F")
        await settle(app, pilot)
        assert app.session.step < 10


async def test_breakpoint_continue_reverse_continue(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        listing = app.query_one(Listing)
        listing.cursor_to(13)
        await pilot.press("b")
        assert [bp.index for bp in app.session.breakpoints.list()] == [13]
        assert listing.breakpoint_marker(13) == "●"
        await pilot.press("c")
        await settle(app, pilot)
        assert app.session.machine.pc.index == 13
        assert "breakpoint" in app.main.last_stop
        await pilot.press("c")
        await settle(app, pilot)
        assert app.session.machine.status.name == "HALTED"
        assert "halted" in app.query_one("#output").lines_text[-1]
        await pilot.press("C")
        await settle(app, pilot)
        assert app.session.machine.pc.index == 13
        await pilot.press("b")                                  # cursor followed the pc: removes it
        assert app.session.breakpoints.list() == []


async def test_gutter_click_toggles_breakpoint(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.click(Listing, offset=(2, 3))              # border row + line 2 -> instruction 2
        assert [bp.index for bp in app.session.breakpoints.list()] == [2]
        await pilot.click(Listing, offset=(2, 3))
        assert app.session.breakpoints.list() == []
        await pilot.click(Listing, offset=(20, 5))             # a click in the code moves the cursor
        assert app.query_one(Listing).cursor == 4


async def test_run_to_cursor_forward_and_backward(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        listing = app.query_one(Listing)
        listing.cursor_to(9)
        await pilot.press("t")
        await settle(app, pilot)
        assert app.session.machine.pc.index == 9
        step = app.session.step
        listing.cursor_to(2)
        await pilot.press("t")                    # #2 never runs again: by time, so it stays put
        await settle(app, pilot)
        assert app.session.machine.pc.index == 9 and app.session.step == step
        assert "does not run again" in screen_text(app)
        await pilot.press("colon", *"untilback 2", "enter")     # back to the previous time #2 ran
        await settle(app, pilot)
        assert app.session.machine.pc.index == 2 and app.session.step == 2


async def test_history_start_and_end(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c")
        await settle(app, pilot)
        end = app.session.step
        assert end == app.session.history_end > 0
        await pilot.press("g")
        await settle(app, pilot)
        assert app.session.step == 0
        await pilot.press("G")
        await settle(app, pilot)
        assert app.session.step == end


async def test_escape_interrupts_a_running_continue(tmp_path: Path) -> None:
    app = make_app(tmp_path, FOREVER, name="forever.s")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c")
        await pilot.pause(0.4)
        assert app.main.running
        assert "continue:" in str(app.query_one("#status").render())
        await pilot.press("s")                                   # kept for after the run, visibly
        assert "queued: s" in str(app.query_one("#status").render())
        await pilot.press("escape")                              # stops the run, drops what was queued
        await settle(app, pilot)
        assert not app.main.running and app.main.runs.queue == []
        assert app.session.step > 100
        assert app.session.last_stop.reason.value == "interrupted"


async def test_quit_asks_only_while_running(tmp_path: Path) -> None:
    from debugger.tui.screens.confirm import ConfirmScreen

    app = make_app(tmp_path, FOREVER, name="forever.s")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c")
        await pilot.pause(0.2)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.main.running
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_ctrl_q_quits(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_search_and_repeat(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        listing = app.query_one(Listing)
        await pilot.press("slash", *"add", "enter")
        await pilot.pause()
        assert listing.cursor == 2                                   # first 'add' after the cursor
        await pilot.press("full_stop")
        assert listing.cursor == 13
        await pilot.press("comma")
        assert listing.cursor == 2
        await pilot.press("slash", *"func", "enter")                 # an immediate naming the label
        await pilot.pause()
        assert listing.cursor == 5
        await pilot.press("full_stop")                                # the label itself
        assert listing.cursor == 12
        await pilot.press("slash", *"0xdeadbeef", "enter")           # a value
        await pilot.pause()
        assert listing.cursor == 9


async def test_help_lists_every_key(tmp_path: Path) -> None:
    from debugger.tui import registry
    from debugger.tui.screens.help import HelpScreen

    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.text
        for spec in registry.KEYED:
            assert f" {spec.id}\n" in text and spec.description in text
        assert ":goto STEP" not in text and "goto STEP" in text
        await pilot.press("escape")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_copy_value(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "s")
        await settle(app, pilot)
        await pilot.press("y")
        assert app.clipboard == "0x4"                            # s0, an integer: hex
        await pilot.press("1", "0", "s")
        await settle(app, pilot)
        app.query_one("#data-stack").focus()
        await pilot.press("y")
        assert app.clipboard == "(1, 2, (3, 4))"                 # a tuple: a .s literal
        assert any("copied" in n for n in notifications(app))


async def test_stack_value_opens_in_tree_and_nested_view(tmp_path: Path) -> None:
    from debugger.tui.widgets.value_tree import ValueTree

    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1", "2", "s")
        await settle(app, pilot)
        app.query_one("#data-stack").focus()
        await pilot.press("enter")
        await pilot.pause()
        tree = app.query_one(ValueTree)
        assert app.query_one("#tabs").active == "tab-tree"
        assert "tuple(3)" in tree.root.label.plain
        assert [c.label.plain.split()[0] for c in tree.root.children] == ["[0]", "[1]", "[2]"]
        nested = tree.root.children[2]
        assert not nested.children
        nested.expand()
        await pilot.pause()
        assert len(nested.children) == 2                          # built when expanded
        await pilot.press("z")                                    # the stack as nested 2-tuples
        await pilot.pause()
        assert tree.title == "data stack as 2-tuples"
        assert tree.root.label.plain.startswith("data stack as 2-tuples tuple(2) ")
        await pilot.press("z")                                    # toggled back
        await pilot.pause()
        assert tree.title.startswith("s0 at step 12")


async def test_heat_toggle_shows_hit_counts(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("h")
        await pilot.pause()
        listing = app.query_one(Listing)
        assert listing.heat is not None and listing.heat[0] == 1 and listing.heat[13] == 1
        await pilot.press("h")
        assert listing.heat is None


async def test_notes_appear_when_reached(tmp_path: Path) -> None:
    from debugger.tui.widgets.notes import NotesPane

    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        notes = app.query_one(NotesPane)
        assert "first note" in notes.plain and "inside func" not in notes.plain
        await pilot.press("6", "s")
        await settle(app, pilot)
        assert "inside func" in notes.plain and "calling func" in notes.plain


async def test_explain_shows_operands_and_cursor_instruction(tmp_path: Path) -> None:
    from debugger.tui.widgets.explain import ExplainPane

    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "s")
        await settle(app, pilot)
        explain = app.query_one("#explain", ExplainPane)
        assert explain.plain.startswith("about to run #2")
        assert "add" in explain.plain and "s0 4 (0x4)" in explain.plain and "s1 3 (0x3)" in explain.plain
        assert "EVM" in explain.plain
        app.query_one(Listing).cursor_to(10)
        await pilot.pause()
        assert explain.plain.startswith("highlighted #10") and "rset" in explain.plain


ERRORS = """\
    errset @handler
    push 0
    div 1
    halt
handler:
    log 99
    halt
"""


async def test_output_shows_errors_logs_and_stop_reasons(tmp_path: Path) -> None:
    from debugger.tui.widgets.output import OutputPane

    app = make_app(tmp_path, ERRORS, name="errors.s")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c")
        await settle(app, pilot)
        lines = app.query_one(OutputPane).lines_text
        assert any("error" in line and "#2" in line and "handler" in line for line in lines), lines
        assert any("log" in line and "99 (0x63)" in line for line in lines), lines
        assert "halted" in lines[-1]
        await pilot.press("g")                                   # going back hides later output
        await settle(app, pilot)
        assert not any("99 (0x63)" in line for line in app.query_one(OutputPane).lines_text)


async def test_listing_follows_execution_again_after_the_user_moves_away(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        listing = app.query_one(Listing)
        await pilot.press("s")
        await settle(app, pilot)
        assert listing.cursor == 1 and listing.follow
        await pilot.press("shift+down", "shift+down", "shift+down")
        assert listing.cursor == 4 and not listing.follow
        await pilot.press("s")
        await settle(app, pilot)
        assert listing.pc == 2 and listing.cursor == 2 and listing.follow   # execution brings it back
        await pilot.press("shift+down", "shift+down")
        assert "› " in screen_text(app) and "▶ " in screen_text(app)  # cursor and pc drawn distinctly
        await pilot.press("escape")                                    # back to the pc, following again
        assert listing.cursor == 2 and listing.follow
        await pilot.press("s")
        await settle(app, pilot)
        assert listing.cursor == 3


async def test_clicking_a_register_row_opens_it_in_the_tree(tmp_path: Path) -> None:
    from debugger.tui.widgets.value_tree import ValueTree

    app = make_app(tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:              # wide: registers in the side column
        await settle(app, pilot)
        pane = app.query_one("#side-registers", RegistersPane)
        row = [name for name, _ in pane.rows].index("static")
        await pilot.click(pane, offset=(3, 1 + row))                # border + row
        await pilot.pause()
        assert app.query_one(ValueTree).title == "static"


async def test_deep_stack_shows_top_first_with_depth(tmp_path: Path) -> None:
    text = "".join(f"    push {i}\n" for i in range(5000)) + "    halt\n"
    app = make_app(tmp_path, text, name="deep.s")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("5", "0", "0", "0", "s")
        await settle(app, pilot)
        data = app.query_one("#data-stack", StackView)
        assert data.border_title == "data stack · depth 5,000"
        screen = screen_text(app)
        # all 5,000 are new; the last step wrote s0
        assert "s0 w  4999 (0x1387)" in screen and "s1 *  4998 (0x1386)" in screen
        await pilot.press("S")
        await settle(app, pilot)
        assert "s0 w  4998 (0x1386)" in screen_text(app)     # pushed by the step that led here


async def test_listing_keys_are_remappable(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "keymap.toml").write_text('[keys]\n"listing.cursor_down" = "x"\n')
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("x", "x")
        assert app.query_one(Listing).cursor == 2
