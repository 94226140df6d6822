"""How a session stop reads in the status bar, and whether it ends a repeated run."""

from __future__ import annotations

from debugger.engine.session import Stop


def stop_is_final(stop: Stop | None) -> bool:
    """A repeated command (``3c``) must not run past this stop (see ``Stop.final``)."""
    return stop is not None and stop.final


def describe_stop(stop: Stop) -> str:
    """A short stop message for the one-line status bar: the detail alone when it already says what
    happened ("halted after 44 steps", "back 3 steps"), else ``reason: detail``."""
    reason = stop.reason
    detail = str(stop.detail or "")
    text = str(reason.value).replace("_", " ").lower()
    if stop.quiet and detail:
        return detail
    if text == "halted" and "halt" in detail:
        return detail
    if text == "interrupted" and detail:
        return f"interrupted {detail}"
    return f"{text}: {detail}" if detail else text
