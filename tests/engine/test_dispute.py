"""The dispute simulator: the bisection game always ends at the lying step, and the honest party wins."""

from __future__ import annotations

import random

import pytest
from machine_builders import counted_loop_source

from avm.core.machine import Machine
from avm.errors import UserError
from avm.formats.assembler import assemble
from debugger.cli.main import main
from debugger.engine import dispute
from debugger.engine.loading import load_program
from debugger.resources import sample_path

# a counted loop of 5,500 steps; the loop head comes from pcpush (immediates only name later code)
LOOP = counted_loop_source(500)


@pytest.fixture(scope="module")
def loop_timeline() -> dispute.Timeline:
    return dispute.Timeline(assemble(LOOP, "loop.s"))


def test_timeline_hashes_match_a_straight_run(loop_timeline: dispute.Timeline) -> None:
    tl = loop_timeline
    assert tl.total == 5500 and tl.history.checkpoint_count > 1
    m = Machine.from_program(tl.program)
    rng = random.Random(7)
    for step in sorted({0, 1, tl.total - 1, tl.total, *rng.sample(range(tl.total), 40)}):
        m.run(step - m.steps)
        assert m.steps == step
        assert tl.hash_at(step) == m.machine_hash(), step
    assert tl.hash_at(tl.total) == bytes(32)          # halted


def test_cut_points_follow_the_contract() -> None:
    assert dispute.cut_points(0, 10, 2) == [0, 5, 10]
    assert dispute.cut_points(0, 11, 2) == [0, 6, 11]          # the first segment takes the remainder
    assert dispute.cut_points(100, 10, 4) == [100, 104, 106, 108, 110]
    assert dispute.cut_points(5, 3, 8) == [5, 6, 7, 8]          # never more parts than steps


@pytest.mark.parametrize("seed", range(12))
def test_random_lies_are_found(loop_timeline: dispute.Timeline, seed: int) -> None:
    rng = random.Random(seed)
    lie_at = dispute.random_lie(loop_timeline.total, rng)
    ways = rng.choice([2, 2, 3, 5, 16])
    role = rng.choice(["asserter", "challenger"])
    d = dispute.simulate(loop_timeline, lie_at, ways, role)
    assert d.found_step == lie_at
    o = d.one_step
    assert o is not None
    # the verifier rebuilt the agreed state from the proof and computed the honest after state
    assert o.proof_before == o.agreed_before == loop_timeline.hash_at(lie_at - 1)
    assert o.verified_after == o.honest_after == loop_timeline.hash_at(lie_at)
    assert o.liar_after != o.verified_after
    assert o.winner.endswith("(honest)")
    assert o.proof_accepted == o.prover.endswith("(honest)")
    # every round keeps an agreed start and a disputed end, and shrinks the segment
    for r in d.rounds:
        assert r.cuts[0].agree and not r.cuts[-1].agree
        assert r.chosen is not None and r.start <= r.chosen[0] < r.chosen[1] <= r.end
        assert r.chosen[1] - r.chosen[0] < r.end - r.start
    # turns alternate, the challenger first
    assert d.rounds[0].mover.startswith("challenger")
    assert all(a.mover != b.mover for a, b in zip(d.rounds, d.rounds[1:], strict=False))


def test_lies_at_the_edges(loop_timeline: dispute.Timeline) -> None:
    for lie_at in (1, 2, loop_timeline.total - 1, loop_timeline.total):
        d = dispute.simulate(loop_timeline, lie_at)
        assert d.found_step == lie_at and d.one_step.winner.endswith("(honest)")


@pytest.mark.parametrize("sample", ["errors.s", "buffers.s", "inbox.s"])
def test_every_step_of_small_samples(sample: str) -> None:
    # error handlers, buffer proofs and inbox reads all end in a proof the verifier checks
    program = load_program(str(sample_path(sample)))
    tl = dispute.Timeline(program)
    assert tl.total > 5
    for lie_at in range(1, tl.total + 1):
        d = dispute.simulate(tl, lie_at)
        assert d.found_step == lie_at
        assert d.one_step.verified_after == tl.hash_at(lie_at)


def test_bad_requests_are_user_errors(loop_timeline: dispute.Timeline) -> None:
    with pytest.raises(UserError, match="1..5500"):
        dispute.simulate(loop_timeline, 0)
    with pytest.raises(UserError, match="1..5500"):
        dispute.simulate(loop_timeline, 5501)
    with pytest.raises(UserError, match="at least 2"):
        dispute.simulate(loop_timeline, 10, ways=1)
    with pytest.raises(UserError, match="nothing to dispute"):
        dispute.simulate(dispute.Timeline(assemble("inbox\n")), 1)     # blocks before any step
    with pytest.raises(UserError, match="--steps"):
        dispute.Timeline(assemble(LOOP), max_steps=0)


def test_steps_limit_cuts_the_run(loop_timeline: dispute.Timeline) -> None:
    tl = dispute.Timeline(loop_timeline.program, max_steps=777)
    assert tl.total == 777
    assert tl.hash_at(777) == loop_timeline.hash_at(777)
    assert dispute.simulate(tl, 700).found_step == 700


def test_cli_challenge(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "loop.s"
    src.write_text(LOOP)
    assert main(["challenge", str(src), "--lie-at", "4321", "--ways", "3"]) == 0
    out = capsys.readouterr().out
    assert "the game found step 4,321" in out and "(honest) wins" in out
    assert "round 1: the challenger (honest)" in out
    assert main(["challenge", str(src), "--lie-at", "9999"]) == 2
    assert "1..5500" in capsys.readouterr().err
    assert main(["challenge", str(src), "--lie-at", "30", "--steps", "40", "--liar", "challenger"]) == 0
    assert "asserter: honest" in capsys.readouterr().out
