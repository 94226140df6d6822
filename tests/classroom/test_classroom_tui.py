"""The classroom in the app: edit and rerun (errors shown in place, then fixed), the quiz, bookmarks,
saving a session and reopening it at the same step, screenshots."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import PROGRAM, make_app, notifications, settle

from debugger.tui.app import DebuggerApp
from debugger.tui.screens.editor import EditorScreen
from debugger.tui.screens.main import MainScreen
from debugger.tui.screens.quiz import QuizScreen
from debugger.tui.widgets.code_editor import ERROR, CodeEditor


async def type_command(pilot, text: str) -> None:  # noqa: ANN001
    await pilot.press("colon", *text, "enter")
    await pilot.pause()


def app_on_file(tmp_path: Path, text: str = PROGRAM) -> tuple[DebuggerApp, Path]:
    from debugger.engine.session import Session

    path = tmp_path / "lesson.s"
    path.write_text(text)
    return make_app(tmp_path, session=Session.load(path), name="lesson.s"), path


async def test_edit_error_in_place_then_fixed_reruns_at_the_same_step(tmp_path: Path) -> None:
    app, path = app_on_file(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        app.main.session.breakpoints.add("func")
        await type_command(pilot, "goto 4")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        editor = app.screen.query_one(CodeEditor)
        editor.move_cursor((0, 0))
        editor.insert("    pusj 1\n")                 # a typo on line 1
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen), "an assembly error keeps the editor open"
        errors = str(app.screen.query_one("#editor-errors").render())
        assert "lesson.s:1:5:" in errors and "pusj" in errors
        assert any(name == ERROR for _s, _e, name in editor._highlights[0])
        assert editor.cursor_location == (0, 4)
        assert path.read_text().startswith("    pusj 1\n"), "save writes the file even when it fails"
        editor.replace("push", (0, 4), (0, 8))
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        session = app.main.session
        assert session.step == 4 and session.program.code[0].imm == 1
        assert [bp.index for bp in session.breakpoints] == [13]   # func moved one down, kept by label
        assert any("reassembled, now at step 4" in m for m in notifications(app))


async def test_closing_the_editor_with_changes_asks_and_never_writes(tmp_path: Path) -> None:
    app, path = app_on_file(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(CodeEditor).insert("; more\n")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and path.read_text() == PROGRAM


async def test_new_program_from_the_template(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.chdir(tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await type_command(pilot, "new")
        assert isinstance(app.screen, EditorScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert (tmp_path / "untitled.s").exists() and app.main.program_name == "untitled.s"
        assert app.main.session.program.questions      # the template carries a ;? question


async def test_a_quiz_round_right_and_wrong(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await type_command(pilot, "quiz")
        assert isinstance(app.screen, QuizScreen)
        await pilot.press(*"s0 = 3", "enter")
        await settle(app, pilot)
        verdict = str(app.screen.query_one("#quiz-verdict").render())
        assert verdict.startswith("✓ right") and "push 3" in verdict
        await pilot.press(*"s0 = 5", "enter")
        await settle(app, pilot)
        verdict = str(app.screen.query_one("#quiz-verdict").render())
        assert verdict.startswith("✗ wrong") and "s0 is 4" in verdict
        await pilot.press(*"bogus", "enter")
        await pilot.pause()
        assert "expected NAME = VALUE" in str(app.screen.query_one("#quiz-verdict").render())
        assert app.main.session.step == 2
        await pilot.press("escape")
        await pilot.pause()
        assert any("quiz over: 1 of 2 right" in m for m in notifications(app))


async def test_bookmarks_by_key_and_in_the_palette(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await type_command(pilot, "goto 3")
        await pilot.press("m", "a")
        await type_command(pilot, "goto 7")
        await pilot.press("apostrophe", "a")
        await settle(app, pilot)
        assert app.main.session.step == 3
        await pilot.press("apostrophe", "z")
        await pilot.pause()
        assert any("no bookmark 'z" in m for m in notifications(app))
        await type_command(pilot, "goto 9")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"bookmark 'a")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.main.session.step == 3                          # through the palette entry


async def test_save_session_and_reopen_at_the_same_step(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from debugger.cli.tui import prepare_session

    monkeypatch.chdir(tmp_path)
    app, path = app_on_file(tmp_path)
    target = tmp_path / "class.session.json"
    async with app.run_test(size=(120, 36)) as pilot:
        await type_command(pilot, "break func")
        await type_command(pilot, "watch s0")
        await type_command(pilot, "goto 6")
        await type_command(pilot, "note look at the aux stack here")
        await type_command(pilot, "save-session class")
        assert target.exists()
    session, name = prepare_session(str(target))
    assert name == "lesson.s" and session.step == 6 and session.notices == []
    assert [bp.index for bp in session.breakpoints] == [12] and [w.target for w in session.watches] == ["s0"]
    assert session.annotations.notes_at(6) == ["look at the aux stack here"]
    reopened = DebuggerApp(session, config_dir=tmp_path / "config", program_name=name)
    async with reopened.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        status = str(reopened.main.query_one("#status").render())
        assert reopened.main.session.step == 6 and "step 6" in status


async def test_screenshot_is_an_svg_named_after_program_and_step(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.chdir(tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_command(pilot, "goto 2")
        await type_command(pilot, "screenshot")
        shot = tmp_path / "prog-step2.svg"
        assert shot.exists() and shot.read_text().lstrip().startswith("<svg")


def test_editor_in_a_real_terminal(tmp_path: Path) -> None:
    """tmux: open a lesson, e, make a typo that the assembler reports in place, fix it, ctrl+s runs it."""
    from terminal_helpers import Terminal, need_tmux

    tmux = need_tmux()
    (tmp_path / "lesson.s").write_text("main:\n    push 2\n    push 3\n    add\n    halt\n")
    term = Terminal(tmux, tmp_path, "lesson.s")
    try:
        term.wait_for("^p palette")
        term.keys("e")
        term.wait_for("editing lesson.s")
        term.keys("Down")                                 # the editor has the keys once the cursor moves
        term.wait_for("line 2:1")
        term.keys("1")                                    # "1    push 2": not an instruction
        term.wait_for("1    push 2")
        term.keys("C-s")
        screen = term.wait_for("does not assemble")
        assert "lesson.s:2:1:" in screen and "line 2:1" in screen
        term.keys("Delete")                               # fixed: saved, reassembled, back on the listing
        term.wait_for(" 2      push 2")
        term.keys("C-s")
        screen = term.wait_for("reassembled")
        assert "push 2" in screen and (tmp_path / "lesson.s").read_text().startswith("main:\n    push 2")
        term.keys("q")
        term.wait_for("EXIT=0")
    finally:
        term.close()


async def test_editing_a_mexe_saves_its_disassembly_as_a_new_s_beside_it(tmp_path: Path) -> None:
    from avm.formats.mexe_writer import write_mexe
    from debugger.engine.session import Session

    source = tmp_path / "prog.s"
    source.write_text(PROGRAM)
    exe = tmp_path / "prog.mexe"
    write_mexe(Session.load(source).program, exe)
    source.unlink()
    app = make_app(tmp_path, session=Session.load(exe), name="prog.mexe")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen) and app.screen.path == tmp_path / "prog.s"
        assert "disassembly of prog.mexe" in str(app.screen.query_one("#editor-head").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.main.program_name == "prog.s"
        assert exe.exists() and (tmp_path / "prog.s").exists()
        before = Session.load(exe).program
        assert [cp.op for cp in app.main.session.program.code] == [cp.op for cp in before.code]


async def test_editing_a_shipped_sample_edits_a_copy_in_the_current_folder(tmp_path: Path,
                                                                            monkeypatch) -> None:  # noqa: ANN001
    from debugger.engine.session import Session
    from debugger.resources import sample_path

    monkeypatch.chdir(tmp_path)
    shipped = Path(str(sample_path("loops.s")))
    original = shipped.read_text()
    app = make_app(tmp_path, session=Session.load(shipped), name="loops.s")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen) and app.screen.path == tmp_path / "loops.s"
        app.screen.query_one(CodeEditor).insert("; my copy\n")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert (tmp_path / "loops.s").read_text().startswith("; my copy") and shipped.read_text() == original


async def test_a_rejected_quiz_answer_is_cleared(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await type_command(pilot, "quiz")
        await pilot.press(*"banana", "enter")
        await pilot.pause()
        await pilot.press(*"s0 = 3", "enter")
        await settle(app, pilot)
        assert str(app.screen.query_one("#quiz-verdict").render()).startswith("✓ right")
