"""``avm-debug replay SESSION``: reopen a saved session without a screen (for CI and for students
without a terminal UI), go to a step, print where the machine is, and optionally export that step's
one-step proof. Exit 0 when the step was reached, 1 when the program stops before it, 2 on bad input."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from avm.errors import UserError
from debugger.engine.display import instruction_text, status_word
from debugger.engine.proof_export import export_step_proof
from debugger.engine.session_file import load_session_file, restore


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("replay", help="reopen a saved session without the screen",
                                   description="Reopen a .session.json file (written by :save-session), "
                                               "go to its step or --to N, print the state, and "
                                               "optionally export the proof of that step.")
    parser.add_argument("session", help="a .session.json file")
    parser.add_argument("--to", type=int, metavar="N", help="go to step N instead of the saved step")
    parser.add_argument("--export-proof", metavar="OUT",
                        help="write the verified one-step proof of the instruction that runs from step N")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=replay_command)


def replay_command(args: argparse.Namespace) -> int:
    session, state, title = load_session_file(args.session)
    if args.to is not None:
        if args.to < 0:
            raise UserError("--to must be 0 or more")
        state.step = args.to
    problems = restore(session, state)
    m = session.machine
    report = {
        "program": title,
        "step": session.step,
        "status": status_word(m),
        "next": instruction_text(m.pc, labels=session.program.labels),
        "gas_used": m.gas_used,
        "machine_hash": "0x" + m.machine_hash().hex(),
        "breakpoints": len(session.breakpoints),
        "watches": len(session.watches),
        "problems": problems,
    }
    if args.export_proof:
        out = Path(args.export_proof)
        path, _ = export_step_proof(session, session.step, out.parent, title, path=out)
        report["proof"] = str(path)
    if args.json:
        print(json.dumps(report))
    else:
        for problem in problems:
            print(f"warning: {problem}")
        print(f"{title}: step {report['step']:,}, {report['status']}, next {report['next']}, "
              f"gas used {report['gas_used']:,}, machine hash {report['machine_hash']}")
        if "proof" in report:
            print(f"proof of step {session.step:,} written to {report['proof']} (verified)")
    return 0 if session.step == state.step else 1
