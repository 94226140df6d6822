"""``avm-debug profile PROGRAM``: run a program and print where its gas went, by source function (or
line) of a compiled mini program, by label of an assembly program; a table sorted by gas."""

from __future__ import annotations

import argparse
import sys

from avm.errors import UserError

DEFAULT_MAX_STEPS = 10_000_000


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "profile", help="run a program and print its gas by function or source line",
        description="Run a .mexe or .s program to its end (halt, error stop, empty inbox or --max-steps) "
                    "and print a table of steps and gas by source function, sorted by gas.")
    parser.add_argument("program", help=".mexe executable or .s assembly")
    parser.add_argument("--inbox", metavar="FILE", help="JSON file of inbox messages")
    parser.add_argument("--source-dir", dest="source_dirs", metavar="DIR", action="append", default=[],
                        help="where the mini sources are (repeatable; default: next to the program)")
    parser.add_argument("--by", choices=("function", "line"), default="function",
                        help="group by source function (default) or by file:line")
    parser.add_argument("--max-steps", type=int, default=DEFAULT_MAX_STEPS, metavar="N",
                        help=f"stop after N instructions (default {DEFAULT_MAX_STEPS:,})")
    parser.add_argument("--top", type=int, default=0, metavar="N", help="print only the N costliest rows")
    parser.set_defaults(func=profile_command)


def profile_rows(path: str, inbox_path: str | None, source_dirs: list[str], by: str,
                 max_steps: int) -> tuple[list[tuple[str, int, int]], str, int, list[str]]:
    """(rows, how the run ended, steps, source warnings) for the ``profile`` table."""
    from debugger.engine.session import Session, StopReason
    from debugger.engine.source_map import check_source_dirs, session_profile

    dirs = check_source_dirs(source_dirs)
    inbox = None
    if inbox_path:
        from avm.core.inbox import load_inbox

        inbox = load_inbox(inbox_path)
    session = Session.load(path, inbox)
    session.source_dirs = dirs
    session.stop_on_compiled = False
    session.run_limit = max_steps
    stop = session.continue_()
    rows = session_profile(session, by)
    warnings = session.source_map.warnings() if session.source_map.has_locations else []
    ended = "ran --max-steps" if stop.reason is StopReason.STEP_LIMIT else stop.reason.value.replace("_", " ")
    return rows, ended, session.step, warnings


def profile_command(args: argparse.Namespace) -> int:
    if args.max_steps < 1:
        raise UserError("--max-steps must be 1 or more")
    if args.top < 0:
        raise UserError("--top must be 0 or more")
    rows, ended, steps, warnings = profile_rows(args.program, args.inbox, args.source_dirs, args.by,
                                                args.max_steps)
    for warning in warnings:
        sys.stderr.write(f"avm-debug: warning: {warning}\n")
    sys.stdout.write(f"{steps:,} steps, {ended}\n")
    from debugger.engine.source_map import profile_table

    lines = profile_table(rows[:args.top] if args.top else rows, args.by)
    sys.stdout.write("\n".join(lines) + "\n")
    return 0

