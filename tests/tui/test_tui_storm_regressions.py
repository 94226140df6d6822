"""Issue 11: what the random-key storm found, each as a focused test (see tests/tui_storm.py)."""

from __future__ import annotations

import threading
from pathlib import Path

from textual.command import CommandList
from tui_helpers import make_app, notifications, settle
from tui_storm import send_keys

from debugger.tui.palette import GuardedCommandPalette
from debugger.tui.screens.breakpoints import BreakpointScreen
from debugger.tui.screens.main import MainScreen


async def test_keys_for_a_screen_before_it_is_shown(tmp_path: Path) -> None:
    """``B`` then ``a`` in one burst: ``a`` reached the breakpoint list before it had composed its
    add box (NoMatches, the app died); a pushed screen's keys act once it is shown."""
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = BreakpointScreen(app.session)
        app.push_screen(screen)
        assert not await app.run_action("add", screen)        # before its compose has run: not handled
        await settle(app, pilot)
        assert app.is_running and app.screen is screen
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert not await app.run_action("add", screen)        # dismissed: its keys no longer act
        send_keys(app, ["B"])
        await settle(app, pilot)
        assert isinstance(app.screen, BreakpointScreen)
        await pilot.press("a")                      # once shown, its keys work
        assert app.focused is not None and app.focused.id == "bp-add"


async def test_a_worker_result_for_a_screen_already_closed(tmp_path: Path, monkeypatch) -> None:
    """A sibling check (it held before the storm fixes): ``:dispute`` then Esc before the run is
    recorded. Textual cancels a screen's workers when the screen is removed, so the recording's result
    never reaches the closed screen; a screen still shown gets it."""
    from debugger.tui.screens import dispute as dispute_screen

    recorded = dispute_screen.dispute.Timeline
    gate = threading.Event()

    def slow_timeline(*args: object, **kwargs: object) -> object:
        gate.wait(10)
        return recorded(*args, **kwargs)

    monkeypatch.setattr(dispute_screen.dispute, "Timeline", slow_timeline)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        app.main.open_dispute(None)
        await pilot.pause()
        assert isinstance(app.screen, dispute_screen.DisputeScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        gate.set()
        await settle(app, pilot)
        assert app.is_running
        app.main.open_dispute(None)                  # and a screen still shown gets its result
        await settle(app, pilot)
        assert app.screen.timeline is not None


async def test_the_theme_palette_is_the_guarded_one(tmp_path: Path) -> None:
    """The palette's "Theme" entry (Textual's) opened Textual's plain palette, without the guards of
    ours: page up while its list refilled ended the app (KeyError in ``OptionList._move_page``)."""
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        app.action_change_theme()
        await settle(app, pilot)
        assert isinstance(app.screen, GuardedCommandPalette)
        send_keys(app, ["pageup", "pagedown", "a", "pageup", "backspace", "pagedown"] * 5)
        await settle(app, pilot)
        assert app.is_running
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)


async def test_a_quiz_step_ending_after_the_quiz_closed(tmp_path: Path, monkeypatch) -> None:
    """An answer, then Esc before its step came back: the verdict went to the closed quiz panel
    (NoMatches: "internal error"). What a run hands back to a screen already closed is dropped."""
    from debugger.engine.quiz import Quiz
    from debugger.tui.screens.quiz import QuizScreen

    answer = Quiz.answer
    gate = threading.Event()

    def slow_answer(self: Quiz, text: str) -> object:
        gate.wait(10)
        return answer(self, text)

    monkeypatch.setattr(Quiz, "answer", slow_answer)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        app.main.execute("quiz")
        await settle(app, pilot)
        assert isinstance(app.screen, QuizScreen)
        await pilot.press(*"s0 = 3", "enter")
        await pilot.pause()
        assert app.main.runs.busy
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        gate.set()
        await settle(app, pilot)
        assert app.is_running and app.session.step == 1
        assert not [m for m in notifications(app) if "internal error" in m]


async def test_a_long_count_never_becomes_zero(tmp_path: Path) -> None:
    """Ten digits ``1000000000`` kept the last nine, ``000000000``: a count of 0, so ``c`` ran nothing and
    recorded no stop (the storm's "continue came back without a stop"). The count keeps its first nine."""
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1", *"0" * 9)
        assert app.main.count_prefix == "100000000"
        before = app.session.last_stop
        await pilot.press("c")
        await settle(app, pilot)
        assert app.session.last_stop is not None and app.session.last_stop is not before


async def test_a_palette_closed_before_it_mounted(tmp_path: Path) -> None:
    """ctrl+p, a few letters and Enter in one burst: the palette's Enter (its input's) dismissed it
    before its own mount handler ran, which then found no result list (NoMatches, the app died)."""
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        app.action_command_palette()
        await settle(app, pilot)
        palette = app.screen
        assert isinstance(palette, GuardedCommandPalette)
        palette.dismiss()
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        palette.on_mount()                        # its mount handler, late: nothing left to fill
        assert app.is_running


def test_every_pushed_screen_fills_itself_only_while_shown() -> None:
    """The mount handler of every pushed screen (and the palette) tolerates the screen being gone."""
    import inspect

    import debugger.tui.palette as palette_module
    import debugger.tui.screens as screens_pkg
    from debugger.tui.guard import DismissOnce, is_while_shown

    modules = [palette_module] + [__import__(f"debugger.tui.screens.{p.stem}", fromlist=["x"])
                                  for p in sorted(Path(screens_pkg.__file__).parent.glob("*.py"))]
    checked = []
    for module in modules:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DismissOnce) and cls.__module__ == module.__name__ and "on_mount" in vars(cls):
                checked.append(cls.__name__)
                assert is_while_shown(vars(cls)["on_mount"]), cls.__name__
    assert "GuardedCommandPalette" in checked and len(checked) >= 8


async def test_a_palette_popped_before_it_mounted(tmp_path: Path) -> None:
    """Closing screens right after ctrl+p (the storm's calm-down, a key burst) popped the palette before
    its mount: Textual's palette set itself up from ``screen_stack[-2]`` (IndexError, the app died)."""
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(3):
            app.action_command_palette()
            assert isinstance(app.screen, GuardedCommandPalette)
            app.pop_screen()
            await settle(app, pilot)
            assert app.is_running and isinstance(app.screen, MainScreen)
        await pilot.press("ctrl+p", *"step")                       # a palette still works
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.is_running and isinstance(app.screen, MainScreen)


async def test_a_palette_search_started_as_it_closed(tmp_path: Path) -> None:
    """A letter typed into the palette just before it closed: Textual's search worker started on the
    removed palette, found no result list (NoMatches) and, failing, ended the app."""
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        app.action_command_palette()
        await settle(app, pilot)
        palette = app.screen
        assert isinstance(palette, GuardedCommandPalette)
        palette.dismiss()
        await settle(app, pilot)
        palette._gather_commands("step")          # the worker that the last letter started
        await settle(app, pilot)
        assert app.is_running and isinstance(app.screen, MainScreen)
        await pilot.press("ctrl+p", *"step")                       # a palette still searches
        await settle(app, pilot)
        assert app.screen.query_one(CommandList).option_count > 0
