"""A screen dismissed twice before it is popped (two dismissing keys in one burst) must not crash the app:
the storm found Textual 8.2.8 raising InvalidStateError there."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import make_app

from debugger.tui.guard import DismissOnce
from debugger.tui.screens.confirm import ConfirmScreen
from debugger.tui.screens.main import MainScreen


async def test_a_second_dismissal_is_ignored(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    answers: list[bool | None] = []
    async with app.run_test(size=(100, 30)) as pilot:
        question = ConfirmScreen("really?")
        app.push_screen(question, answers.append)
        await pilot.pause()
        question.dismiss(True)
        question.dismiss(False)                  # the second key of the burst
        await pilot.pause()
        assert answers == [True] and isinstance(app.screen, MainScreen) and app.is_running
        await pilot.press("y", "enter")          # on the main screen now: nothing to dismiss
        await pilot.pause()
        assert app.is_running


def test_every_pushed_screen_dismisses_once() -> None:
    import inspect

    from textual.screen import Screen

    import debugger.tui.screens as screens_pkg

    pkg = Path(screens_pkg.__file__).parent
    found = []
    for path in sorted(pkg.glob("*.py")):
        module = __import__(f"debugger.tui.screens.{path.stem}", fromlist=["x"])
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__ == module.__name__ and cls is not MainScreen:
                found.append(cls)
                assert issubclass(cls, DismissOnce), cls.__name__
    assert len(found) >= 10
