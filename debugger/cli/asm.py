"""``avm-debug asm PROG.s [-o PROG.mexe]`` and ``avm-debug disasm PROG.mexe [-o FILE]``."""

from __future__ import annotations

import argparse
import os
import sys

from avm.errors import UserError


def register(subparsers: argparse._SubParsersAction) -> None:
    asm = subparsers.add_parser(
        "asm", help="assemble a .s file into a .mexe executable",
        description="Assemble AVM assembly (.s) into a version-2 .mexe the reference emulator loads. "
                    "Every error in the file is reported with file:line:column.")
    asm.add_argument("source", metavar="PROG.s", help="assembly source")
    asm.add_argument("-o", "--output", metavar="PROG.mexe",
                     help="output file (default: the source name with .mexe; '-' for stdout)")
    asm.add_argument("--no-debug-info", action="store_true",
                     help="write only code and static value (no source locations, labels, breakpoints)")
    asm.set_defaults(func=run_asm)

    dis = subparsers.add_parser(
        "disasm", help="disassemble a .mexe executable into .s text",
        description="Disassemble a .mexe into AVM assembly that assembles back to the identical "
                    "program (same codepoint hashes, same static value).")
    dis.add_argument("program", metavar="PROG.mexe", help="executable (.mexe) or assembly (.s)")
    dis.add_argument("-o", "--output", metavar="FILE", help="output file (default: stdout)")
    dis.add_argument("--no-locations", action="store_true",
                     help="leave out the compiler's source locations (end-of-line comments)")
    dis.set_defaults(func=run_disasm)


def _write(path: str | None, text: str) -> None:
    if path is None or path == "-":
        sys.stdout.write(text)
        return
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise UserError(f"cannot write: {exc.strerror or exc}", path) from None


def run_asm(args: argparse.Namespace) -> int:
    from avm.formats.assembler import assemble_file
    from avm.formats.mexe_writer import dumps_mexe

    out = args.output
    if out is None:
        out = os.path.splitext(args.source)[0] + ".mexe"
    if out != "-" and os.path.abspath(out) == os.path.abspath(args.source):
        raise UserError("the output would overwrite the source; name it with -o", args.source)
    program = assemble_file(args.source)
    text = dumps_mexe(program, debug_info=not args.no_debug_info) + "\n"
    _write(out, text)
    if out != "-":
        sys.stderr.write(f"wrote {out}: {len(program.code)} instructions\n")
    return 0


def run_disasm(args: argparse.Namespace) -> int:
    from avm.formats.disassembler import disassemble
    from debugger.engine.loading import load_program
    from debugger.resources import display_path

    program = load_program(args.program)
    program.path = display_path(args.program)        # the header names a shipped sample by its name
    _write(args.output, disassemble(program, locations=not args.no_locations))
    return 0
