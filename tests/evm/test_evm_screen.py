"""The side-by-side lesson screen (Pilot), and ``avm-debug LESSON`` in a real terminal (tmux)."""

from __future__ import annotations

from tui_helpers import screen_text, settle

from debugger.evm.lesson import load_lesson
from debugger.evm.pairing import LessonRun
from debugger.resources import lesson_path
from debugger.tui.screens.compare import CompareApp, CompareScreen


def _app(name: str) -> CompareApp:
    return CompareApp(LessonRun(load_lesson(str(lesson_path(name + ".lesson")))))


def pane(app, name: str):
    """The Rich text a pane of the screen shows (``wide-evm``, ``wide-note``, ``tab-avm-body``...)."""
    return app.screen.query_one(f"#{name}").content


async def until(app, pilot, *texts: str, timeout: float = 10.0) -> str:
    """The screen text once it shows every one of ``texts`` (layout may settle a frame later)."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        text = screen_text(app)
        if all(t in text for t in texts) or time.monotonic() > deadline:
            return text
        await pilot.pause(0.05)


async def _press(app, pilot, *keys: str) -> str:
    for key in keys:
        await pilot.press(key)
        await settle(app, pilot)
    return screen_text(app)


async def test_markers_forward_and_back_on_both_sides_wide():
    app = _app("push_add")
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen) and not screen.has_class("narrow")
        text = await until(app, pilot, "EVM (py-evm)", "AVM  step 0")
        assert "EVM (py-evm)" in text and "AVM  step 0" in text
        assert "stack machines" in pane(app, "wide-note").plain        # the lesson's about text
        await _press(app, pilot, "n", "n")
        assert screen.run.evm_marker() == screen.run.avm_marker() == "add"
        note = pane(app, "wide-note").plain
        assert "@add" in note and "ADD / add pop two integers" in note
        assert "One-step proof" in note and "EVM: 248 bytes" in note and "AVM: 424 bytes" in note
        await _press(app, pilot, "n", "n", "n")
        assert screen.run.at_end
        assert "The end. EVM: halt 16   AVM: halt 16   same result" in pane(app, "wide-note").plain
        await _press(app, pilot, "b")
        assert screen.run.evm_marker() == "done" and screen.run.avm_marker() == "done"
        await _press(app, pilot, "g")
        assert screen.run.at_start
        await _press(app, pilot, "G")
        assert screen.run.at_end


async def test_one_side_alone_with_tab_and_single_steps():
    app = _app("call_return")
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(app, pilot)
        run = app.screen.run
        await _press(app, pilot, "tab")
        assert "EVM alone" in str(pane(app, "cmp-status"))
        await _press(app, pilot, "n", "n")
        assert run.evm_marker() == "enter" and run.avm.step == 0
        await _press(app, pilot, "tab", "n")
        assert "AVM alone" in str(pane(app, "cmp-status"))
        assert run.avm_marker() == "call" and run.evm_marker() == "enter"
        await _press(app, pilot, "s", "s", "s")
        assert run.avm_marker() == "enter"
        await _press(app, pilot, "S")
        assert run.avm.step == 2
        await _press(app, pilot, "tab", "r")
        assert run.evm.position == 0 and run.avm.step == 0


async def test_changed_values_are_highlighted():
    app = _app("storage")
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(app, pilot)
        await _press(app, pilot, "n", "n")           # past the first SSTORE on both sides
        text = pane(app, "wide-evm")
        changed = [text.plain[s.start:s.end] for s in text.spans if "yellow" in str(s.style)]
        assert any("slot 0 = 5" in c for c in changed)
        text = pane(app, "wide-avm")
        changed = [text.plain[s.start:s.end] for s in text.spans if "yellow" in str(s.style)]
        assert any("register = (2) [5 (0x5), 0 (0x0)]" in c for c in changed)


async def test_narrow_terminal_uses_tabs():
    app = _app("memory")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert screen.has_class("narrow")
        await _press(app, pilot, "n")
        text = await until(app, pilot, "1 EVM", "PUSH1 0x2a")
        assert "1 EVM" in text and "2 AVM" in text and "PUSH1 0x2a" in text
        assert "@mstore: MSTORE writes 32 bytes" in text                 # the note, above the tabs
        await _press(app, pilot, "2")
        text = await until(app, pilot, "setbuffer256 0", "code (codepoint hashes)")
        assert "setbuffer256 0" in text and "code (codepoint hashes)" in text
        await _press(app, pilot, "3")
        text = await until(app, pilot, "One-step proof")
        assert "One-step proof" in text
        assert all(len(line) <= 80 for line in text.splitlines())
        await pilot.resize_terminal(150, 45)
        await settle(app, pilot)
        assert not screen.has_class("narrow")
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code in (0, None)


def test_avm_debug_lesson_in_a_real_terminal(tmp_path):
    from terminal_helpers import Terminal, need_tmux

    tmux = need_tmux()
    term = Terminal(tmux, tmp_path, str(lesson_path("revert.lesson")))
    try:
        term.run("resize-window", "-t", term.name, "-x", "80", "-y", "24")
        term.wait_for("Next marker")
        term.keys("n")
        term.wait_for("@store")
        term.keys("n", "n", "n", "n")          # divide, check, revert, the end: sent in one burst
        term.keys("3")
        screen = term.wait_for("same result")
        assert "EVM: error" in screen and "AVM: error" in screen
        term.keys("q")
        term.wait_for("EXIT=0")
    finally:
        term.close()


async def test_lesson_command_opens_the_screen_from_the_debugger(tmp_path):
    from tui_helpers import make_app, notifications

    from debugger.tui.screens.main import MainScreen

    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("colon", *"lesson nope", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert any("nope" in n and "no such file" in n for n in notifications(app))
        await pilot.press("colon", *"lesson storage", "enter")
        await settle(app, pilot)
        for _ in range(100):                   # the lesson loads in a worker, then its screen is pushed
            if isinstance(app.screen, CompareScreen):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, CompareScreen) and app.screen.run.lesson.name == "storage"
        await _press(app, pilot, "n")
        assert app.screen.run.evm_marker() == "sstore0"
        await _press(app, pilot, "q")
        assert isinstance(app.screen, MainScreen)


async def test_the_quiz_runs_on_the_avm_side_of_a_lesson():
    from debugger.tui.screens.quiz import QuizScreen

    app = _app("push_add")
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(app, pilot)
        lesson_screen = app.screen
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen)
        await pilot.press(*"s0 = 3", "enter")
        await settle(app, pilot)
        assert str(app.screen.query_one("#quiz-verdict").render()).startswith("✓ right")
        await pilot.press(*"cost = 1", "enter")          # push 5
        await settle(app, pilot)
        await pilot.press(*"s0 = 9", "enter")            # add: 8
        await settle(app, pilot)
        verdict = str(app.screen.query_one("#quiz-verdict").render())
        assert verdict.startswith("✗ wrong") and "s0 is 8" in verdict
        assert lesson_screen.run.avm.step == 3 and lesson_screen.run.position("avm") == 3
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is lesson_screen
