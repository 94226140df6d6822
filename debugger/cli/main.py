"""The ``avm-debug`` command line: ``avm-debug [PROGRAM]`` opens the debugger, subcommands do the rest.

Every subcommand lives in its own ``debugger/cmd_*.py`` module that exposes ``register(subparsers)``;
this module only dispatches. Bad input (a :class:`avm.errors.UserError`, an unknown flag) becomes
one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from avm import __version__
from avm.errors import UserError

PROG = "avm-debug"

# subcommand name -> module that registers it (each module may register several names)
COMMAND_MODULES: dict[str, str] = {
    "run": "debugger.cli.run",
    "prove": "debugger.cli.proof",
    "verify": "debugger.cli.proof",
    "asm": "debugger.cli.asm",
    "disasm": "debugger.cli.asm",
    "explain": "debugger.cli.teach",
    "inspect": "debugger.cli.teach",
    "challenge": "debugger.cli.teach",
    "compare": "debugger.cli.compare",
    "profile": "debugger.cli.profile",
    "trace": "debugger.cli.trace",
    "replay": "debugger.cli.replay",
}


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one clear line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {message} (see --help)\n")
        raise SystemExit(2)


def _build_command_parser(name: str) -> argparse.ArgumentParser:
    parser = OneLineParser(prog=PROG, description="avm-debug subcommands")
    subparsers = parser.add_subparsers(dest="command", parser_class=OneLineParser, required=True)
    module = importlib.import_module(COMMAND_MODULES[name])
    module.register(subparsers)
    return parser


def _build_tui_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog=PROG,
        description="Interactive debugger for the classic Arbitrum AVM. "
        f"Subcommands: {', '.join(COMMAND_MODULES)} (avm-debug COMMAND --help).",
    )
    parser.add_argument("program", nargs="?",
                        help=".s assembly or .mexe executable (default: the tour sample)")
    parser.add_argument("--inbox", metavar="FILE", help="JSON file of inbox messages")
    parser.add_argument("--theme", metavar="NAME", help="colour theme (see the command palette for the list)")
    parser.add_argument("--break", dest="breaks", metavar="LABEL_OR_INDEX", action="append", default=[],
                        help="set a breakpoint before starting (repeatable)")
    parser.add_argument("--source-dir", dest="source_dirs", metavar="DIR", action="append", default=[],
                        help="where a compiled program's mini sources are (repeatable)")
    parser.add_argument("--samples", action="store_true",
                        help="list the shipped sample programs (open one by name: avm-debug loops.s)")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    return parser


def list_samples() -> int:
    from debugger.resources import sample_names, sample_summary

    names = sample_names()
    width = max(len(n) for n in names)
    for name in names:
        sys.stdout.write(f"{name:<{width}}  {sample_summary(name)}\n")
    sys.stdout.write(f"open one from any folder by its name: {PROG} {names[0]}\n")
    return 0


def _resolve_samples(args: argparse.Namespace) -> None:
    """A bare program name that is not a file here names a shipped sample (see resolve_program)."""
    from debugger.resources import resolve_program

    if isinstance(getattr(args, "program", None), str):
        args.program = resolve_program(args.program)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        if args_list and args_list[0] in COMMAND_MODULES:
            parser = _build_command_parser(args_list[0])
            args = parser.parse_args(args_list)
            _resolve_samples(args)
            return int(args.func(args) or 0)
        args = _build_tui_parser().parse_args(args_list)
        if args.samples:
            return list_samples()
        _resolve_samples(args)
        from debugger.cli.tui import open_tui  # imported late: Textual is slow to import

        return int(open_tui(args) or 0)
    except UserError as err:
        if err.path is not None:
            from debugger.resources import display_path

            err.path = display_path(str(err.path))     # a shipped sample by its name, not its folder
        sys.stderr.write(f"{PROG}: error: {err}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (e.g. `avm-debug verify FILE | head`): stop quietly, like cat does
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 -- keep interpreter shutdown from re-raising
        except OSError:
            pass
        return 141


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
