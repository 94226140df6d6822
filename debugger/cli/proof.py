"""``avm-debug prove`` and ``avm-debug verify``: export one-step proofs, and check them independently.

* ``prove PROGRAM --step N`` writes the proof of the N-th executed instruction (0-based) as a reference
  proof file (a JSON list with one entry); ``--all`` writes one entry per step from N (default 0) until
  the program stops, blocks on an empty inbox, or ``--max-steps`` entries were written.
* ``verify FILE`` checks every entry with ``avm.proofs.verifier`` and prints one line per entry
  (``ok`` or what
  does not match), then ``N passed, M failed``. Exit 0 only if all pass, 1 if any fails, 2 when the file
  is malformed (bad JSON, shape or hex, proof bytes that do not parse, no entries at all), with one
  line on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys

from avm.core.inbox import load_inbox
from avm.core.machine import Machine
from avm.core.opcodes import mnemonic
from avm.errors import UserError
from avm.proofs.decode import ProofDecodeError, decode_buffer_proof, decode_proof
from avm.proofs.export import can_prove, prove_run
from avm.proofs.l1_verdict import l1_rejection
from avm.proofs.proof_file import ProofEntry, load_proofs, write_entries, write_proofs
from avm.proofs.verifier import verify_entry
from debugger.engine.loading import load_program
from debugger.engine.run_to_end import run_to_end

DEFAULT_ALL_MAX = 10_000


def register(subparsers: argparse._SubParsersAction) -> None:
    prove = subparsers.add_parser(
        "prove", help="export one-step proofs (reference JSON)",
        description="Export the one-step proof of an executed instruction, in the reference proof-file "
                    "format (Proof, BufferProof, Assertion).")
    prove.add_argument("program", help=".s assembly or .mexe executable")
    prove.add_argument("--step", type=int, metavar="N",
                       help="the N-th executed instruction, 0-based (with --all: the first one)")
    prove.add_argument("--all", action="store_true", help="export every step until the program ends")
    prove.add_argument("--max-steps", type=int, metavar="N",
                       help=f"with --all: write at most N entries (default {DEFAULT_ALL_MAX:,})")
    prove.add_argument("--inbox", metavar="FILE", help="JSON file of inbox messages")
    prove.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    prove.set_defaults(func=prove_command)

    verify = subparsers.add_parser(
        "verify", help="check a proof file with the independent verifier",
        description="Check every entry of a proof file (reference format) with the independent verifier.")
    verify.add_argument("file", help="proof JSON file")
    verify.set_defaults(func=verify_command)


def _advance(machine: Machine, steps: int, path: str) -> None:
    """Run exactly ``steps`` instructions, or raise UserError naming where the program stopped."""
    run_to_end(machine, steps)
    if machine.steps < steps:
        why = can_prove(machine) or "it stopped"
        raise UserError(f"step {steps} does not exist: the program ran {machine.steps} steps "
                        f"({why.split(':')[0]})", path)


def _warn_l1(machine: Machine, path: str) -> None:
    """A line on stderr when the classic L1 contracts would not accept the next step's proof."""
    warning = l1_rejection(machine)
    if warning:
        sys.stderr.write(f"{path}: step {machine.steps}: warning: {warning}\n")


def prove_command(args: argparse.Namespace) -> int:
    if args.step is None and not args.all:
        raise UserError("give --step N (the N-th executed instruction, 0-based) or --all")
    if args.step is not None and args.step < 0:
        raise UserError("--step must be 0 or more")
    if args.max_steps is not None and args.max_steps < 0:
        raise UserError("--max-steps must be 0 or more")
    if args.max_steps is not None and not args.all:
        raise UserError("--max-steps goes with --all")
    program = load_program(args.program)
    inbox = load_inbox(args.inbox) if args.inbox else None
    machine = Machine.from_program(program, inbox)
    first = args.step or 0
    _advance(machine, first, args.program)
    name = os.path.basename(args.program)
    why = can_prove(machine)
    if why:
        raise UserError(f"step {first} cannot be proved: {why}", args.program)
    limit = (DEFAULT_ALL_MAX if args.max_steps is None else args.max_steps) if args.all else 1
    # streamed: one entry in memory at a time; a warning before each step the L1 contracts would reject
    entries = prove_run(machine, limit, name, before_step=lambda m: _warn_l1(m, args.program))
    written = write_proofs(args.output, entries) if args.output else write_entries(sys.stdout, entries)
    if args.all and written == limit and can_prove(machine) is None:
        sys.stderr.write(f"{args.program}: stopped after {limit} entries (--max-steps); "
                         f"the program has not ended\n")
    return 0


def _check_bytes(entries: list[ProofEntry], path: str) -> None:
    """Proof bytes that do not even parse make the file malformed (exit 2)."""
    for i, entry in enumerate(entries):
        try:
            decode_proof(entry.proof)
            decode_buffer_proof(entry.buffer_proof)
        except ProofDecodeError as exc:
            raise UserError(f"entry {i}: {exc.message}", path) from None


def load_entries(path: str) -> list[ProofEntry]:
    """The entries of a proof file; a file without any is bad input (there is nothing to check)."""
    entries = load_proofs(path)
    if not entries:
        raise UserError("no proof entries (the file holds an empty list)", path)
    return entries


def verify_command(args: argparse.Namespace) -> int:
    entries = load_entries(args.file)
    _check_bytes(entries, args.file)
    passed = failed = 0
    out = sys.stdout
    for i, entry in enumerate(entries):
        label = f"entry {i}"
        step = entry.extras.get("step")
        if isinstance(step, int) and step != i:
            label += f" (step {step})"
        label += f" [{mnemonic(entry.proof[0])}]"
        result = verify_entry(entry)
        if result.ok:
            passed += 1
            out.write(f"{label}: ok\n")
        else:
            failed += 1
            out.write(f"{label}: FAILED {result.reason}\n")
    out.write(f"{passed} passed, {failed} failed\n")
    return 0 if failed == 0 else 1
