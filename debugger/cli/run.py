"""``avm-debug run PROGRAM``: run a program without the debugger and report how it ended.

Exit status: 0 when the machine halted, 1 otherwise (error stop, blocked on an empty inbox, or still
running when ``--max-steps`` ran out), 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
import sys

from avm.core.inbox import load_inbox
from avm.core.machine import Machine
from avm.errors import UserError
from debugger.engine.loading import load_program
from debugger.engine.run_to_end import run_to_end

DEFAULT_MAX_STEPS = 100_000_000


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("run", help="run a program to its end and print the final state",
                                   description="Run a .s or .mexe program and print its final status, "
                                               "steps, gas used and machine hash.")
    parser.add_argument("program", help=".s assembly or .mexe executable")
    parser.add_argument("--inbox", metavar="FILE", help="JSON file of inbox messages")
    parser.add_argument("--max-steps", type=int, default=DEFAULT_MAX_STEPS, metavar="N",
                        help=f"stop after N instructions (default {DEFAULT_MAX_STEPS:,})")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run_command)


def run_command(args: argparse.Namespace) -> int:
    if args.max_steps < 0:
        raise UserError("--max-steps must be 0 or more")
    program = load_program(args.program)
    inbox = load_inbox(args.inbox) if args.inbox else None
    machine = Machine.from_program(program, inbox)
    status = run_to_end(machine, args.max_steps)
    digest = "0x" + machine.machine_hash().hex()
    if args.json:
        print(json.dumps({"status": status, "steps": machine.steps, "gas_used": machine.gas_used,
                          "machine_hash": digest}))
    else:
        out = sys.stdout
        out.write(f"status:       {status}\n")
        out.write(f"steps:        {machine.steps}\n")
        out.write(f"gas used:     {machine.gas_used}\n")
        out.write(f"machine hash: {digest}\n")
        if status == "errorstop" and machine.last_error:
            out.write(f"last error:   {machine.last_error}\n")
    return 0 if status == "halted" else 1
