"""Shared test programs and helpers for sessions and the TUI: a small program with a call, a
never-ending loop, app construction, screen text and waiting for runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from avm.formats.assembler import assemble
from debugger.engine.session import Session

# A small program with a call (for step over/out), a log, lesson notes and labels.
PROGRAM = """\
;> first note: the program starts
main:
    push 3
    push 4
    add
    push @after
    auxpush
;> calling func
    jump @func
after:
    log
    push (1, 2, (3, 4))
    tget 2
    push 0xdeadbeef
    rset
    halt
func:
;> inside func
    push 1
    add
    auxpop
    jump
"""
# index:      0 push3  1 push4  2 add  3 push@after  4 auxpush  5 jump@func  6 log (after)
#             7 push tuple  8 tget 2  9 push 0xdeadbeef  10 rset  11 halt  12 push 1 (func)  13 add
#             14 auxpop  15 jump

# Runs forever (a backward jump through the static value): for interrupt tests.
FOREVER = """\
.static (@loop)
    push 0
loop:
    add 1
    spush
    tget 0
    jump
"""


# Jumps into an instruction (the invalid opcode 0xfe) that pushinsn built at run time.
BUILT_AT_RUN_TIME = """\
    push @done
    push 0xfe
    pushinsn
    jump
done:
    halt
"""


def make_session(text: str = PROGRAM, name: str = "prog.s") -> Session:
    return Session(assemble(text, name))


def make_app(tmp_path: Path, text: str = PROGRAM, *, name: str = "prog.s", theme: str | None = None,
             session: Session | None = None) -> Any:
    """A DebuggerApp over a fresh session, with its config in ``tmp_path/config``."""
    from debugger.tui.app import DebuggerApp

    app = DebuggerApp(session or make_session(text, name), theme=theme, config_dir=tmp_path / "config",
                      program_name=name)
    record_notifications(app)
    return app


def record_notifications(app: Any) -> None:
    """Keep every notification's text in ``app.notified``: on a loaded machine a test may take longer
    than a notification lives on screen, so reading ``app._notifications`` later would miss it."""
    app.notified = []
    notify = app.notify

    def recording(message: str, *args: Any, **kwargs: Any) -> None:
        app.notified.append(str(message))
        notify(message, *args, **kwargs)

    app.notify = recording


def screen_text(app: Any) -> str:
    """What the screen shows, as plain text (one line per terminal row)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip) for strip in strips)


def notifications(app: Any) -> list[str]:
    """Every notification shown since the app started (made by :func:`make_app`)."""
    return list(app.notified)


async def settle(app: Any, pilot: Any) -> None:
    """Wait for a run in the worker to finish and its results to be shown."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()
