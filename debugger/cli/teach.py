"""Teaching subcommands: ``explain`` (opcode reference), ``inspect`` (proof files), ``challenge``
(dispute simulation). Plain text output, no Textual import."""

from __future__ import annotations

import argparse
import sys

from avm.errors import UserError


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "explain", help="explain an AVM instruction and its EVM counterpart",
        description="Explain an AVM opcode: what it does, gas, stack effect, errors and how it differs "
                    "from the EVM.")
    p.add_argument("opcode", nargs="?", help="mnemonic (e.g. tset) or number (e.g. 0x51)")
    p.add_argument("--list", action="store_true", help="table of every opcode with its EVM counterpart")
    p.set_defaults(func=cmd_explain)

    p = subparsers.add_parser(
        "inspect", help="decode a proof file byte range by byte range",
        description="Show each one-step proof of a proof file field by field (offset, length, value, "
                    "revealed in full or only as a hash) and the machine hashes rebuilt from it.")
    p.add_argument("file", help="proof JSON file (reference *-proofs.json or `avm-debug prove` output)")
    p.add_argument("--entry", type=int, metavar="N", help="only entry N (0-based)")
    p.set_defaults(func=cmd_inspect)

    p = subparsers.add_parser(
        "challenge", help="simulate a dispute (bisection game ending in a one-step proof)",
        description="An honest party and a liar who claims a wrong state from step STEP on play the "
                    "bisection game over the machine-hash timeline; the disputed step is proven with a "
                    "one-step proof and checked by the verifier.")
    p.add_argument("program", help=".s assembly or .mexe executable")
    p.add_argument("--lie-at", type=int, required=True, metavar="STEP",
                   help="first step (1-based) whose resulting state the liar misreports")
    p.add_argument("--steps", type=int, metavar="N", help="length of the disputed run (default: until "
                   "the machine stops, at most 1,000,000 steps)")
    p.add_argument("--inbox", metavar="FILE", help="JSON file of inbox messages")
    p.add_argument("--ways", type=int, default=2, metavar="K",
                   help="split each disputed range into K parts per round (default 2: bisection)")
    p.add_argument("--liar", choices=("asserter", "challenger"), default="asserter",
                   help="which side lies (default: the asserter posts a false result)")
    p.add_argument("--mode", choices=("simple", "classic"), default="simple",
                   help="simple: cut by steps, compare machine hashes (teaching); classic: the classic "
                        "contracts' game (ArbGas segments, assertion hashes, degree 400, calldata sizes)")
    p.set_defaults(func=cmd_challenge)


def cmd_explain(args: argparse.Namespace) -> int:
    from avm.teach import explain

    if args.list:
        sys.stdout.write(explain.render_table() + "\n")
        return 0
    if not args.opcode:
        raise UserError("give an opcode (name or number) or --list")
    sys.stdout.write(explain.describe_query(args.opcode) + "\n")
    return 0


def cmd_inspect(args: argparse.Namespace) -> int:
    from avm.proofs import inspect as proof_inspect
    from debugger.cli.proof import load_entries

    load_entries(args.file)
    sys.stdout.write(proof_inspect.render_file(args.file, args.entry))
    return 0


def cmd_challenge(args: argparse.Namespace) -> int:
    from debugger.engine import dispute

    if args.mode == "classic":
        from debugger.engine.classic_challenge import render_classic_cli

        sys.stdout.write(render_classic_cli(args.program, lie_at=args.lie_at, steps=args.steps,
                                            inbox_path=args.inbox, liar_role=args.liar))
        return 0
    sys.stdout.write(dispute.render_cli(args.program, lie_at=args.lie_at, steps=args.steps,
                                        inbox_path=args.inbox, ways=args.ways, liar_role=args.liar))
    return 0
