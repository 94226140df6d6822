"""The classic challenge on a 1,000,000-step run ends in a one-step proof the original contracts accept,
with the after assertion the contract computes differing from the liar's claim."""

from __future__ import annotations

import time

from l1_oracle import Oracle
from machine_builders import counted_loop_source

from avm.formats.assembler import assemble
from debugger.engine.classic_challenge import simulate_classic
from debugger.engine.dispute import Timeline
from debugger.engine.loading import load_program
from debugger.resources import sample_path


def test_a_million_step_run_ends_in_a_proof_the_contracts_accept(oracle: Oracle, report_summary) -> None:
    start = time.perf_counter()
    timeline = Timeline(assemble(counted_loop_source(91_000), "loop.s"))
    assert timeline.total >= 1_000_000
    d = simulate_classic(timeline, lie_at=654_321, liar_role="challenger")
    seconds = time.perf_counter() - start
    o = d.one_step
    assert o is not None and o.accepted and d.winner == "asserter (honest)", d.end
    oracle.use_inbox([])
    assert oracle.disagreement(o.entry) is None
    res = oracle.check(o.entry)
    assert res.before_hash == o.entry.before.machine_hash and res.gas == o.step_gas
    report_summary(f"classic challenge: {timeline.total:,} steps, {d.total_gas:,} ArbGas, {len(d.moves)} "
                   f"moves, final proof accepted by the contracts ({seconds:.1f} s)")


def test_the_l1_inbox_sample_disputed_at_an_inbox_step(oracle: Oracle) -> None:
    program = load_program(str(sample_path("l1_inbox.s")))
    timeline = Timeline(program)
    inbox_steps = [s for s in range(timeline.total) if timeline.state_at(s).pc.op == 0x72]
    d = simulate_classic(timeline, inbox_steps[2] + 1, liar_role="challenger")
    assert d.one_step is not None and d.one_step.entry.proof[0] == 0x72   # the delayed message
    oracle.use_inbox(program.inbox)
    assert oracle.disagreement(d.one_step.entry) is None
