"""``avm-debug trace PROGRAM``: questions across time for scripts, answered as one JSON object.

    avm-debug trace prog.s --origin s1 --at 5000     # who put the value at s1 in state 5000, and its chain
    avm-debug trace prog.s --history register        # every change of the register (--limit, --from, --to,
                                                     # --equals X: only changes to X)
    avm-debug trace prog.s --touches 41              # what step 41 read and wrote
    avm-debug trace prog.s --timeline --samples 50   # gas used and depths across the run (--hashes)

The program is run (with its history recorded) up to the step asked about, or to its end (at most
``--max-steps``) for the whole-run questions. Exit status 0, or 2 on bad input.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from typing import Any

from avm.core.inbox import load_inbox
from avm.core.summary import summarize
from avm.core.values import Value, type_code, values_equal
from avm.errors import UserError
from debugger.engine.locations import parse_place
from debugger.engine.session import Session

DEFAULT_MAX_STEPS = 10_000_000


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "trace", help="ask the history of a run: origin of a value, changes of a place, JSON output",
        description="Run a program with its history recorded and answer one question across time "
                    "as JSON: --origin PLACE --at STEP, --history PLACE, --touches STEP or --timeline.")
    parser.add_argument("program", help=".s assembly or .mexe executable")
    parser.add_argument("--inbox", metavar="FILE", help="JSON file of inbox messages")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--origin", metavar="PLACE", help="the producers of the value at PLACE (s1, aux0[2], "
                                                        "register ...) in the state --at STEP")
    what.add_argument("--history", metavar="PLACE", help="every change of PLACE over the run")
    what.add_argument("--touches", metavar="STEP", type=int, help="what the instruction run from state STEP "
                                                                   "read and wrote")
    what.add_argument("--timeline", action="store_true", help="gas used, stack and aux depth, sampled")
    parser.add_argument("--at", metavar="STEP", type=int, help="with --origin: the state (default: the end)")
    parser.add_argument("--from", dest="start", metavar="STEP", type=int, default=0,
                        help="with --history: first state (default 0)")
    parser.add_argument("--to", dest="end", metavar="STEP", type=int, help="with --history: last state")
    parser.add_argument("--equals", metavar="X", help="with --history: only changes to the integer X")
    parser.add_argument("--limit", metavar="N", type=int, default=1000,
                        help="with --history: at most N changes (default 1000)")
    parser.add_argument("--samples", metavar="N", type=int, default=100,
                        help="with --timeline: number of samples (default 100)")
    parser.add_argument("--hashes", action="store_true", help="with --timeline: the machine hash too")
    parser.add_argument("--max-steps", metavar="N", type=int, default=DEFAULT_MAX_STEPS,
                        help=f"run at most N steps (default {DEFAULT_MAX_STEPS:,})")
    parser.set_defaults(func=trace_command)


def _value(v: Value | None, labels: Any) -> dict[str, Any] | None:
    if v is None:
        return None
    return {"type": type_code(v), "text": summarize(v, labels, width=200)}


def _nonnegative(name: str, n: int | None) -> None:
    if n is not None and n < 0:
        raise UserError(f"{name} must be 0 or more")


def trace_command(args: argparse.Namespace) -> int:
    for name, n in (("--at", args.at), ("--from", args.start), ("--to", args.end), ("--limit", args.limit),
                    ("--touches", args.touches), ("--max-steps", args.max_steps)):
        _nonnegative(name, n)
    if args.samples < 1:
        raise UserError("--samples must be 1 or more")
    if args.equals is not None:
        from debugger.engine.place_history import parse_equals

        args.equals = parse_equals(args.equals)
    session = Session.load(args.program, load_inbox(args.inbox) if args.inbox else None)
    labels = session.program.labels
    place = parse_place(args.origin or args.history, session.program) if (args.origin or args.history) \
        else None
    target = args.at if args.origin and args.at is not None else args.touches
    if target is None:
        target = args.max_steps
    elif target > args.max_steps:
        raise UserError(f"step {target:,} is beyond --max-steps {args.max_steps:,}")
    session.goto(target + (1 if args.touches is not None else 0))
    end = session.history_end
    asked = args.at if args.origin else args.touches
    if asked is not None and asked > end - (1 if args.touches is not None else 0):
        raise UserError(f"step {asked:,} was not reached: the run ends at step {end:,}")
    out: dict[str, Any] = {"program": args.program, "steps": end}
    if args.origin:
        out.update(_origin(session, place, end if args.at is None else args.at, labels))
    elif args.history:
        out.update(_history(session, place, args, labels))
    elif args.touches is not None:
        out.update(_touches(session, args.touches))
    else:
        from debugger.engine.timeline import sample_timeline

        out["timeline"] = sample_timeline(session, args.samples, hashes=args.hashes).as_json()
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    return 0


def _origin(session: Session, place: Any, at: int, labels: Any) -> dict[str, Any]:
    from debugger.engine.provenance import origin

    result = origin(session, place, at)
    return {"origin": {
        "place": result.place, "at": result.at, "value": _value(result.value, labels),
        "complete": result.complete,
        "chain": [{"step": link.step, "index": link.index, "instruction": link.instruction,
                   "place": link.place, "kind": link.kind, "source": link.source} for link in result.links]}}


def _history(session: Session, place: Any, args: argparse.Namespace, labels: Any) -> dict[str, Any]:
    from debugger.engine.place_history import iter_changes

    changes: Any = iter_changes(session, place, args.start, args.end)
    if args.equals is not None:
        changes = (c for c in changes if c.new is not None and values_equal(c.new, args.equals))
    changes = itertools.islice(changes, args.limit + 1)
    rows = [{"step": c.step, "index": c.index, "old": _value(c.old, labels), "new": _value(c.new, labels)}
            for c in changes]
    return {"history": {"place": place.text, "changes": rows[:args.limit], "more": len(rows) > args.limit}}


def _touches(session: Session, step: int) -> dict[str, Any]:
    from debugger.engine.touches import touches_at

    t = touches_at(session, step)
    return {"touches": {"step": t.step, "index": t.index, "instruction": t.instruction, "errored": t.errored,
                        "reads": t.reads, "writes": t.writes, "popped": t.popped,
                        "diffs": {name: [{"path": list(c.path), "status": c.status} for c in changes]
                                  for name, changes in t.diffs.items()}}}
