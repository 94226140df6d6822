"""Differential property test: machine vs. one-step proof exporter vs. independent verifier.

The programs come from ``random_programs`` (shared with the L1 oracle tests). Each program is run step
by step; for every step the proof is exported (``avm.proofs.export``), checked by the verifier
(``avm.proofs.verifier``) from the proof bytes alone, and the verifier's after-state (machine hash, gas,
send/log accumulators and counts, inbox count and accumulator) must equal the machine's. A disagreement
is a bug in one of the three. ``AVM_DIFF_EXAMPLES`` raises the example count for a longer hunt.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from random_programs import EC_PROGRAMS, FIXED_PROGRAMS, linked_program, programs, proved_steps, rand_program

from avm.core.buffer import Buffer
from avm.core.machine import Machine, Status
from avm.core.program import Program
from avm.core.values import Tuple
from avm.proofs.verifier import verify_entry

MAX_STEPS = 60
EXAMPLES = int(os.environ.get("AVM_DIFF_EXAMPLES", "300"))
SEEDS = int(os.environ.get("AVM_DIFF_SEEDS", "800"))


def check_run(prog: Program, inbox: list, max_steps: int = MAX_STEPS) -> Machine:
    """Step ``prog`` to its end (or a loop), proving and verifying each step; returns the machine."""
    m = Machine.from_program(prog, inbox)
    for n, entry in proved_steps(m, max_steps):
        res = verify_entry(entry)
        assert res.ok, f"step {n} op {entry.extras['opcode']}: {res.reason} {res.mismatches}"
        assert entry.after.machine_hash == m.machine_hash()
        assert (entry.after.gas_used, entry.after.inbox_count) == (m.gas_used, m.inbox_count)
    return m


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(programs())
def test_random_programs_prove_and_verify_every_step(case: tuple[Program, list]) -> None:
    prog, inbox = case
    check_run(prog, inbox)


def test_seeded_random_programs_prove_and_verify_every_step() -> None:
    for seed in range(SEEDS):
        prog, inbox = rand_program(seed)
        try:
            check_run(prog, inbox, max_steps=120)
        except AssertionError as exc:
            raise AssertionError(f"seed {seed}: {exc}") from None


def test_fixed_ec_programs_prove_and_verify() -> None:
    for ops in EC_PROGRAMS:
        m = check_run(linked_program(*ops), [])
        assert m.status != Status.EXTENSIVE and m.steps >= 2


def test_fixed_edge_programs_prove_and_verify() -> None:
    for name, ops in FIXED_PROGRAMS.items():
        prog = linked_program(*ops)
        m = check_run(prog, [Tuple((1, 2)), Buffer.from_bytes(b"\x09")])
        halts = ops[-1][0] == 0x74
        assert m.status == (Status.HALTED if halts else Status.ERRORSTOP), (name, m.last_error)
        if halts:
            assert m.steps == len(ops), name


def test_inbox_out_of_gas_on_an_empty_inbox_is_a_provable_step() -> None:
    # runOne checks gas before the inbox can block: with gas < 40 the step errors (and is proved)
    prog = linked_program((0x3D, None), (0x75, 39), (0x72, 5), (0x74, None))
    prog.code[0].imm = prog.code[3]
    m = check_run(prog, [])
    assert m.status == Status.HALTED and m.steps == 4 and m.stack == [5] and m.gas_used == 1 + 1 + 5 + 10


def _state(m: Machine) -> tuple:
    return (m.machine_hash(), m.gas, m.gas_used, m.steps, m.status, m.send_acc, m.log_acc, m.inbox_acc,
            m.inbox_count, m.log_count, m.send_count)


def test_run_in_one_call_equals_single_steps() -> None:
    # run() keeps gas in a local and inlines the hot opcodes; stepping one at a time must agree
    for seed in range(SEEDS):
        prog, inbox = rand_program(seed)
        a = Machine.from_program(prog, inbox)
        b = Machine.from_program(prog, inbox)
        a.run(200)
        for _ in range(200):
            if b.status != Status.EXTENSIVE or b.blocked:
                break
            b.step()
        assert _state(a) == _state(b), f"seed {seed}"
