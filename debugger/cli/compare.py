"""``avm-debug compare LESSON...``: a lesson's EVM and AVM runs side by side as text, marker by marker,
with the one-step proof sizes of each side (for handouts and tests).

Exit status: 0 when every lesson ended with its stated result on both sides, 1 otherwise, 2 on bad input.
"""

from __future__ import annotations

import argparse

from avm.errors import UserError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("compare", help="print a lesson's EVM and AVM runs side by side",
                                   description="Step a lesson (.lesson file) on py-evm and on the AVM, "
                                               "marker by marker, and print both states and proof sizes.")
    parser.add_argument("lessons", nargs="+", metavar="LESSON",
                        help=".lesson file (or a shipped lesson's name)")
    parser.add_argument("--max-rows", type=int, default=40, metavar="N",
                        help="marker stops to print (default 40)")
    parser.add_argument("--proofs", action="store_true",
                        help="one line per lesson with the largest proof of each side, and how they grow")
    parser.set_defaults(func=compare_command)


def compare_command(args: argparse.Namespace) -> int:
    from debugger.evm.lesson import resolve_lesson
    from debugger.evm.report import format_comparison, format_growth, format_proof_table

    if args.max_rows < 1:
        raise UserError("--max-rows must be 1 or more")
    lessons = [resolve_lesson(name) for name in args.lessons]
    if args.proofs:
        print(format_proof_table(lessons))
        print()
        print(format_growth())
        return 0
    all_agree = True
    for i, lesson in enumerate(lessons):
        if i:
            print()
        text, agree = format_comparison(lesson, args.max_rows)
        print(text)
        all_agree = all_agree and agree
    return 0 if all_agree else 1
