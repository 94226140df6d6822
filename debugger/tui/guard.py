"""The one guard around everything the UI runs on behalf of the user: an exception in a command or an
event handler becomes a visible line ("internal error: ..."), never a crash; a ``UserError`` becomes a
warning. Used as a decorator on the main screen's dispatch and handlers (a test checks that they are)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from textual.await_complete import AwaitComplete
from textual.css.query import NoMatches

from avm.errors import UserError

if TYPE_CHECKING:
    from textual.screen import Screen


class Reporter(Protocol):
    def warn(self, message: str) -> None: ...
    def report_crash(self, err: BaseException) -> None: ...


R = TypeVar("R", bound=Reporter)
GUARD_MARK = "_avm_guarded"
WHILE_SHOWN_MARK = "_avm_while_shown"


def guarded(method: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(method)
    def guard(self: Reporter, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except UserError as err:
            self.warn(str(err))
        except Exception as err:  # the TUI never dies from what a program (or a bug) does
            self.report_crash(err)
        return None

    setattr(guard, GUARD_MARK, True)
    return guard


def is_guarded(function: object) -> bool:
    return bool(getattr(function, GUARD_MARK, False))


class DismissOnce:
    """Mixed into every pushed screen: its keys act only while it is shown, and a second dismissal is
    ignored (both found by the key storm). A key typed right after the one that pushed a screen can
    reach the screen's bindings before its compose has run (``B`` then ``a``: the add box is not there
    yet); a key can also still reach it after it was dismissed. Two keys that both dismiss a screen
    (``y`` then Enter on a question) can arrive before the first dismissal has popped it; Textual
    8.2.8 then sets the result twice and raises ``InvalidStateError``."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        screen = cast("Screen[Any]", self)
        if not screen.is_mounted or screen.app.screen is not screen:    # not shown yet, or gone
            return False
        return super().check_action(action, parameters)  # type: ignore[misc]

    def dismiss(self, result: Any = None) -> AwaitComplete:
        screen = cast("Screen[Any]", self)
        if screen.app.screen is not screen:          # already dismissed: popped off the stack
            return AwaitComplete.nothing()
        return super().dismiss(result)  # type: ignore[misc]


def while_shown(method: Callable[..., Any]) -> Callable[..., Any]:
    """For what fills a pushed screen: its mount handler (a screen dismissed in the same key burst that
    pushed it can be mounted after its children are gone) and the result of a run it asked for (the
    screen may have been closed while it ran); both found by the key storm. Then there is nothing to
    fill. A missing child on a screen still shown is a real bug and is raised."""

    @wraps(method)
    def mount(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except NoMatches:
            if self.is_attached and self.app.screen is self:
                raise
            return None

    setattr(mount, WHILE_SHOWN_MARK, True)
    return mount


def is_while_shown(function: object) -> bool:
    return bool(getattr(function, WHILE_SHOWN_MARK, False))
