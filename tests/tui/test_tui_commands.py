"""The ``:`` command line, the breakpoint list (``B``) and the command palette (``ctrl+p``)."""

from __future__ import annotations

import json
from pathlib import Path

from tui_helpers import (
    make_app,
    notifications,
    settle,
)

from debugger.tui.widgets.listing import Listing


async def type_command(pilot, text: str) -> None:
    await pilot.press("colon", *text, "enter")
    await pilot.pause()


async def test_goto_and_step_commands(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await type_command(pilot, "goto 9")
        await settle(app, pilot)
        assert app.session.step == 9
        await type_command(pilot, "back 4")
        await settle(app, pilot)
        assert app.session.step == 5
        await type_command(pilot, "step 2")
        await settle(app, pilot)
        assert app.session.step == 7
        await type_command(pilot, "start")
        await settle(app, pilot)
        assert app.session.step == 0


async def test_break_watch_delete_enable_commands(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await type_command(pilot, "break func")
        bps = app.session.breakpoints.list()
        assert [(bp.index, bp.label) for bp in bps] == [(12, "func")]
        assert app.query_one(Listing).breakpoint_marker(12) == "●"
        await type_command(pilot, "break after if depth == 1")
        assert app.query_one(Listing).breakpoint_marker(6) == "◆"
        await type_command(pilot, "disable 1")
        assert app.query_one(Listing).breakpoint_marker(12) == "○"
        await type_command(pilot, "continue")
        await settle(app, pilot)
        assert app.session.machine.pc.index == 6                 # #1 disabled, #2 holds
        await type_command(pilot, "enable 1")
        await type_command(pilot, "delete 2")
        assert [bp.number for bp in app.session.breakpoints.list()] == [1]
        await type_command(pilot, "watch register")
        assert [w.target for w in app.session.watches.list()] == ["register"]
        await type_command(pilot, "c")
        await settle(app, pilot)
        assert app.session.last_stop.reason.value == "watch"
        assert app.session.machine.pc.index == 11                # after rset
        await type_command(pilot, "delete all")
        assert app.session.breakpoints.list() == []
        await type_command(pilot, "break tset")                  # not a label: the opcode
        assert [bp.kind.value for bp in app.session.breakpoints.list()] == ["opcode"]


async def test_bad_commands_are_reported_not_raised(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await type_command(pilot, "frobnicate")
        await type_command(pilot, "break nowhere")
        await type_command(pilot, "goto x")
        await type_command(pilot, "inspect s9")
        await type_command(pilot, "theme nope")
        messages = notifications(app)
        assert any("unknown command 'frobnicate'" in m for m in messages)
        assert any("nowhere" in m for m in messages)
        assert any("step number" in m for m in messages)
        assert any("s9" in m for m in messages)
        assert any("unknown theme" in m for m in messages)
        assert app.session.step == 0


async def test_cursor_until_and_inspect_commands(tmp_path: Path) -> None:
    from debugger.tui.widgets.value_tree import ValueTree

    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await type_command(pilot, "cursor after")
        assert app.query_one(Listing).cursor == 6
        await type_command(pilot, "until 11")
        await settle(app, pilot)
        assert app.session.machine.pc.index == 11
        await type_command(pilot, "inspect register")
        tree = app.query_one(ValueTree)
        assert tree.root.label.plain.startswith("register int 3735928559")
        await type_command(pilot, "inspect static")
        assert tree.root.label.plain.startswith("static tuple(0)")
        await type_command(pilot, "inspect errcp")
        assert "codepoint" in tree.root.label.plain


async def test_dump_heat_and_copy_commands(tmp_path: Path, monkeypatch) -> None:
    app = make_app(tmp_path)
    monkeypatch.chdir(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await type_command(pilot, "c")
        await settle(app, pilot)
        await type_command(pilot, "dump trace.jsonl")
        out = tmp_path / "trace.jsonl"
        assert out.is_file() and out.read_text().strip()
        await type_command(pilot, "heat gas")
        assert app.query_one(Listing).heat is not None
        await type_command(pilot, "heat off")
        assert app.query_one(Listing).heat is None
        await type_command(pilot, "inspect register")
        app.query_one("#tree").focus()
        await type_command(pilot, "copy hex")
        assert app.clipboard == hex(0xDEADBEEF)


async def test_theme_command_and_persistence(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        assert app.theme == "avm-dark"
        await type_command(pilot, "theme avm-light")
        assert app.theme == "avm-light"
    saved = json.loads((tmp_path / "config" / "settings.json").read_text())
    assert saved["theme"] == "avm-light"
    again = make_app(tmp_path)
    async with again.run_test(size=(120, 36)):
        assert again.theme == "avm-light"
    flagged = make_app(tmp_path, theme="avm-contrast")
    async with flagged.run_test(size=(120, 36)):
        assert flagged.theme == "avm-contrast"
    assert json.loads((tmp_path / "config" / "settings.json").read_text())["theme"] == "avm-contrast"


async def test_breakpoint_list_screen(tmp_path: Path) -> None:
    from debugger.tui.screens.breakpoints import BreakpointScreen

    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("B")
        await pilot.pause()
        assert isinstance(app.screen, BreakpointScreen)
        await pilot.press("a", *"func if top == 7", "enter")           # conditional
        await pilot.pause()
        await pilot.press("a", *"op tget", "enter")                     # opcode
        await pilot.pause()
        await pilot.press("a", *"error", "enter")                       # on error
        await pilot.pause()
        await pilot.press("a", *"watch s0", "enter")                    # watch
        await pilot.pause()
        kinds = [bp.kind.value for bp in app.session.breakpoints.list()]
        assert kinds == ["instruction", "opcode", "error"]
        assert app.session.breakpoints.get(1).condition.source == "top == 7"
        assert [w.target for w in app.session.watches.list()] == ["s0"]
        table = app.screen.query_one("#bp-table")
        assert table.row_count == 4
        table.move_cursor(row=0)
        await pilot.press("space")                                      # disable #1
        assert not app.session.breakpoints.get(1).enabled
        await pilot.press("space")
        assert app.session.breakpoints.get(1).enabled
        table.move_cursor(row=1)
        await pilot.press("d")                                          # delete the opcode breakpoint
        assert [bp.number for bp in app.session.breakpoints.list()] == [1, 3]
        await pilot.press("a", *"tget", "enter")                        # an opcode name, as in :break
        await pilot.pause()
        assert app.session.breakpoints.list()[-1].kind.value == "opcode"
        await pilot.press("a", *"nowhere", "enter")                    # bad input: a message
        await pilot.pause()
        assert any("nowhere" in m for m in notifications(app))
        await pilot.press("escape")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, BreakpointScreen)
        assert app.query_one(Listing).breakpoint_marker(12) == "◆"


async def test_command_palette_runs_actions(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Step over back")
        await pilot.pause(0.3)
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.press(*"Step")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.session.step == 1


async def test_palette_changes_theme(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"theme", "enter")
        await pilot.pause(0.3)
        await pilot.press(*"avm-contrast")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "avm-contrast"
        assert "textual-dark" in app.available_themes                 # built-ins stay


async def test_user_keymap_remaps_keys(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "keymap.toml").write_text('[keys]\nstep = "x"\nbogus = "z"\n')
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s")
        await settle(app, pilot)
        assert app.session.step == 0
        await pilot.press("x", "x")
        await settle(app, pilot)
        assert app.session.step == 2
        assert any("bogus" in m for m in notifications(app))
        step_row = next(line for line in app.help_screen().text.splitlines() if line.endswith(" step"))
        assert step_row.split()[0] == "x"


async def test_inspect_inbox_message_and_pc(tmp_path: Path) -> None:
    from debugger import resources
    from debugger.cli.tui import prepare_session
    from debugger.tui.widgets.value_tree import ValueTree

    session, name = prepare_session(str(resources.sample_path("inbox.s")))
    app = make_app(tmp_path, session=session, name=name)
    async with app.run_test(size=(120, 36)) as pilot:
        await type_command(pilot, "inspect inbox")                  # the next unread message
        tree = app.query_one(ValueTree)
        assert tree.title == "inbox" and tree.value is session.machine.inbox[0]
        await type_command(pilot, "inspect inbox 1")
        assert tree.value is session.machine.inbox[1]
        await type_command(pilot, "inspect pc")
        assert tree.root.label.plain.startswith("pc codepoint")
        await type_command(pilot, "inspect inbox 9")
        assert any("does not exist" in m for m in notifications(app))


async def test_teaching_screens_open_from_commands(tmp_path: Path, monkeypatch) -> None:
    from debugger.tui.screens.codepoint_chain import CodepointChainScreen
    from debugger.tui.screens.dispute import DisputeScreen
    from debugger.tui.screens.proof_inspector import ProofInspectorScreen

    monkeypatch.chdir(tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await type_command(pilot, "inspect-proof")                  # nothing exported yet
        assert any("no proof exported yet" in m for m in notifications(app))
        await type_command(pilot, "chain")
        assert isinstance(app.screen, CodepointChainScreen)
        await pilot.press("escape")
        await pilot.pause()
        await type_command(pilot, "dispute 5")
        assert isinstance(app.screen, DisputeScreen) and app.screen.lie_at == 5
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("escape")
        await type_command(pilot, "inspect-proof")
        assert isinstance(app.screen, ProofInspectorScreen)
