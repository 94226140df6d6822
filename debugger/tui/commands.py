"""The argument handlers of the ``:`` commands: ``handler(target, args) -> message or None``.

A handler parses its arguments and calls the main screen through :class:`CommandTarget`; it raises
:class:`CommandError` (or ``UserError``) for bad input. Which name runs which handler, with which usage
and help, is decided in :mod:`debugger.tui.registry`. No Textual import here.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import Protocol

from avm.core.program import Program
from avm.errors import UserError
from debugger.engine.session import Session
from debugger.tui.locations import add_breakpoint


class CommandError(UserError):
    """A command the prompt cannot run (unknown name, bad argument)."""


class CommandTarget(Protocol):
    """What the ``:`` handlers may use (the main screen provides it)."""

    session: Session
    program: Program
    count_prefix: str

    def perform(self, action: str) -> None: ...
    def goto_step(self, step: int) -> None: ...
    def move_cursor(self, index: int) -> None: ...
    def breakpoints_changed(self) -> None: ...
    def search_for(self, text: str) -> int | None: ...
    def inspect(self, name: str) -> None: ...
    def set_heat(self, mode: str | None) -> None: ...
    def copy_value(self, form: str) -> None: ...
    def open_dispute(self, lie_at: int | None) -> None: ...
    def open_proof_inspector(self, path: str | None) -> None: ...
    def open_lesson(self, name: str | None) -> None: ...
    def theme_names(self) -> list[str]: ...
    def set_theme(self, name: str) -> None: ...
    def save_session_to(self, path: str | None) -> str: ...
    def screenshot_to(self, path: str | None) -> str: ...
    def show_origin(self, place: str | None) -> None: ...
    def show_history(self, place: str) -> None: ...
    def find_change(self, place: str, backward: bool, equals: int | None) -> None: ...


Handler = Callable[[CommandTarget, str], "str | None"]


def number(text: str, what: str = "number") -> int:
    try:
        return int(text.replace("_", "").replace(",", ""), 0)
    except ValueError:
        raise CommandError(f"expected a {what}, not {text!r}") from None
    except OverflowError:  # pragma: no cover - int() does not overflow; kept for float-like input
        raise CommandError(f"{text!r} is too large") from None


def _index(t: CommandTarget, where: str) -> int:
    if not where:
        raise CommandError("expected a label or instruction index")
    index, _label = t.session.breakpoints.resolve_location(where)
    return index


def file_argument(args: str) -> str:
    try:
        parts = shlex.split(args)
    except ValueError as err:  # an unbalanced quote
        raise CommandError(f"bad file name {args!r}: {err} (a quote must be closed)") from None
    if not parts:
        raise CommandError("expected a file name")
    return parts[0]


def goto(t: CommandTarget, args: str) -> None:
    if not args:
        raise CommandError("usage: goto STEP")
    t.goto_step(number(args, "step number"))


def counted(action: str) -> Handler:
    """``NAME [N]``: the action repeated N times (as a count typed before its key)."""
    def handler(t: CommandTarget, args: str) -> None:
        t.count_prefix = str(number(args)) if args else ""
        t.perform(action)
    return handler


def run_to(t: CommandTarget, args: str) -> None:
    t.move_cursor(_index(t, args))
    t.perform("run_to_cursor(1)")


def run_back_to(t: CommandTarget, args: str) -> None:
    t.move_cursor(_index(t, args))
    t.perform("run_to_cursor(-1)")


def break_(t: CommandTarget, args: str, one_shot: bool = False) -> str:
    if not args:
        return list_breakpoints(t, "")
    bp = add_breakpoint(t.session.breakpoints, args, one_shot=one_shot)
    t.breakpoints_changed()
    return f"breakpoint {bp.describe(t.program)}"


def tbreak(t: CommandTarget, args: str) -> str:
    return break_(t, args, one_shot=True)


def watch(t: CommandTarget, args: str) -> str:
    if not args:
        raise CommandError("usage: watch register|static|sN|aN|stack[N]|aux[N]")
    return t.session.watches.add(args).describe()


def _numbered(args: str) -> tuple[str, int]:
    text = args.strip().lstrip("#")
    if text[:1] in ("w", "W"):
        return "watch", number(text[1:], "watch number")
    return "break", number(text, "breakpoint number")


def delete(t: CommandTarget, args: str) -> str:
    session = t.session
    if args.strip() == "all":
        session.breakpoints.clear()
        t.breakpoints_changed()
        return "all breakpoints deleted"
    kind, n = _numbered(args)
    if kind == "watch":
        session.watches.delete(n)
    else:
        session.breakpoints.delete(n)
    t.breakpoints_changed()
    return f"{kind} #{n} deleted"


def _enable(t: CommandTarget, args: str, on: bool) -> str:
    kind, n = _numbered(args)
    if kind == "watch":
        t.session.watches.enable(n, on)
    else:
        t.session.breakpoints.enable(n, on)
    t.breakpoints_changed()
    return f"{kind} #{n} {'enabled' if on else 'disabled'}"


def enable(t: CommandTarget, args: str) -> str:
    return _enable(t, args, True)


def disable(t: CommandTarget, args: str) -> str:
    return _enable(t, args, False)


def list_breakpoints(t: CommandTarget, args: str) -> str:
    lines = [bp.describe(t.program) for bp in t.session.breakpoints.list()]
    lines += [w.describe() for w in t.session.watches.list()]
    return "; ".join(lines) if lines else "no breakpoints or watches"


def cursor(t: CommandTarget, args: str) -> str:
    index = _index(t, args)
    t.move_cursor(index)
    return f"cursor at #{index}"


def search(t: CommandTarget, args: str) -> str | None:
    if not args:
        raise CommandError("usage: search TEXT")
    found = t.search_for(args)
    return None if found is None else f"found at #{found}"


def inspect(t: CommandTarget, args: str) -> None:
    t.inspect(args or "register")


def proof(t: CommandTarget, args: str) -> None:
    if args:
        t.move_cursor(_index(t, args))
    t.perform("export_proof")


def dump(t: CommandTarget, args: str) -> str:
    if not args:
        raise CommandError("usage: dump FILE")
    from debugger.engine.dump import write_dump

    return write_dump(t.session, file_argument(args))


def heat(t: CommandTarget, args: str) -> str:
    mode = (args or "hits").lower()
    if mode not in ("hits", "gas", "off"):
        raise CommandError("usage: heat [hits|gas|off]")
    t.set_heat(None if mode == "off" else mode)
    return "heat off" if mode == "off" else f"listing shows {mode}"


def profile(t: CommandTarget, args: str) -> None:
    mode = (args or "function").lower()
    if mode not in ("function", "line"):
        raise CommandError("usage: profile [function|line]")
    t.perform(f"profile('{mode}')")


def copy(t: CommandTarget, args: str) -> None:
    form = (args or "auto").lower()
    if form not in ("auto", "hex", "literal"):
        raise CommandError("usage: copy [hex|literal]")
    t.copy_value(form)


def dispute(t: CommandTarget, args: str) -> None:
    t.open_dispute(number(args, "step number") if args else None)


def inspect_proof(t: CommandTarget, args: str) -> None:
    t.open_proof_inspector(file_argument(args) if args else None)


def lesson(t: CommandTarget, args: str) -> None:
    t.open_lesson(args.strip() or None)


def theme(t: CommandTarget, args: str) -> str:
    name = args.strip()
    themes = sorted(t.theme_names())
    if name not in themes:
        raise CommandError(f"unknown theme {name!r}; themes: {', '.join(themes)}")
    t.set_theme(name)
    return f"theme {name}"


def count_digit(t: CommandTarget, digit: str) -> None:
    """A digit typed before a key: part of its count (a leading 0 is ignored; digits after the first nine
    too, so that a count never becomes 0)."""
    if (digit == "0" and not t.count_prefix) or len(t.count_prefix) >= 9:
        return
    t.count_prefix += digit


# ------------------------------------------------------------------ questions across time
def origin(t: CommandTarget, args: str) -> None:
    t.show_origin(args.strip() or None)


def history(t: CommandTarget, args: str) -> None:
    if not args.strip():
        raise CommandError("usage: history PLACE (s0, aux1, register, s1[2] ...)")
    t.show_history(args.strip())


def _change_args(args: str, name: str) -> tuple[str, int | None]:
    from debugger.engine.place_history import parse_equals

    place, _, value = args.partition("==")
    if not place.strip():
        raise CommandError(f"usage: {name} PLACE [== X]")
    return place.strip(), parse_equals(value) if value.strip() else None


def prev_change(t: CommandTarget, args: str) -> None:
    place, equals = _change_args(args, "prevchange")
    t.find_change(place, True, equals)


def next_change(t: CommandTarget, args: str) -> None:
    place, equals = _change_args(args, "nextchange")
    t.find_change(place, False, equals)
