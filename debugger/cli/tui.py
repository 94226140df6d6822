"""``avm-debug [PROGRAM]``: load the program (errors printed before any screen), then run the TUI."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from avm.core.gc_pause import paused_gc
from avm.errors import UserError

if TYPE_CHECKING:
    from debugger.engine.session import Session


def default_program() -> str:
    """The shipped tour sample (a real file path, also from a wheel)."""
    from debugger.resources import sample_path

    return str(sample_path("tour.s"))


def prepare_session(program_path: str | None, inbox_path: str | None = None,
                    breaks: list[str] | None = None,
                    source_dirs: list[str] | None = None) -> tuple[Session, str]:
    """Load everything the TUI needs; raises ``UserError`` for bad input (the CLI prints it, exit 2)."""
    from debugger.engine.loading import load_program
    from debugger.engine.session import Session

    path = program_path or default_program()
    if not os.path.exists(path):
        raise UserError("no such file", path=path)
    if os.path.isdir(path):
        raise UserError("is a directory, not a program", path=path)
    from debugger.engine.session_file import is_session_file, load_session_file, restore

    if is_session_file(path):              # a saved session: reopen it exactly where it was
        session, state, title = load_session_file(path)
        add_breakpoints(session, breaks or [], path)
        session.notices.extend(restore(session, state))
        return session, title
    program = load_program(path)
    inbox = None
    if inbox_path is not None:
        from avm.core.inbox import load_inbox

        inbox = load_inbox(inbox_path)
    session = Session(program, inbox)
    from debugger.engine.source_map import check_source_dirs

    session.source_dirs = check_source_dirs(source_dirs or [])
    add_breakpoints(session, breaks or [], path)
    return session, Path(path).name


def add_breakpoints(session: Session, breaks: list[str], path: str) -> None:
    """The ``--break`` options; a bad one is a UserError naming the program and the option."""
    from debugger.resources import display_path
    from debugger.tui.locations import add_breakpoint

    for spec in breaks:
        try:
            add_breakpoint(session.breakpoints, spec)
        except UserError as err:
            shown = spec if len(spec) <= 40 else spec[:37] + "..."
            raise UserError(f"--break {shown!r}: {err.message}", path=display_path(path)) from None


def check_theme(name: str | None) -> None:
    """An unknown ``--theme`` is a usage error, reported before the screen opens."""
    if name is None:
        return
    from textual.theme import BUILTIN_THEMES

    from debugger.tui.themes import load_bundled_themes

    names = set(BUILTIN_THEMES) | {t.name for t in load_bundled_themes()}
    if name not in names:
        raise UserError(f"unknown theme {name!r}; themes: {', '.join(sorted(names))}")


def freeze_loaded_objects() -> None:
    """The loaded program (76,000 codepoints for a large contract) lives as long as the app: move it out
    of the garbage collector's generations so that full collections stop re-scanning it between key
    presses (bench/bench_tui.py: the worst step on contract.mexe went from ~66 ms to ~20 ms). No
    collection first: start-up leaves next to no cyclic garbage, and a full pass costs ~35 ms."""
    gc.freeze()


def open_tui(args: argparse.Namespace) -> int:
    if args.program and args.program.lower().endswith(".lesson"):   # the EVM-beside-AVM lesson screen
        from debugger.tui.screens.compare import open_lesson
        return open_lesson(args.program)
    with paused_gc():     # start-up only builds objects that live as long as the app (see paused_gc)
        session, name = prepare_session(args.program, args.inbox, args.breaks,
                                        getattr(args, "source_dirs", None))
        check_theme(args.theme)
        from debugger.tui.app import DebuggerApp

        app = DebuggerApp(session, theme=args.theme, program_name=name)
        freeze_loaded_objects()
    result = app.run()
    if not app.stop_runs(timeout=0.4):
        # a run that does not stop (a long replay or a slow instruction): quitting must quit; the
        # worker thread would otherwise keep the interpreter alive at exit
        sys.stdout.flush()
        os._exit(int(app.return_code or 0))
    if app.return_code not in (None, 0):
        return int(app.return_code)
    return int(result or 0) if isinstance(result, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit("use the avm-debug command")
