"""``avm-debug challenge --mode classic``: the classic contracts' game (ArbGas segments, assertion hashes,
Merkle-proved segments, degree 400, calldata sizes). The final proof against the real contracts is in
tests/l1/test_oracle_challenge.py."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from machine_builders import counted_loop_source

from avm.errors import UserError
from avm.formats.assembler import assemble
from debugger.cli.main import main
from debugger.engine.classic_challenge import (
    DEGREE,
    calculate_root,
    merkle_path,
    merkle_root,
    simulate_classic,
)
from debugger.engine.dispute import Timeline


def test_merkle_paths_rebuild_the_root_for_every_leaf() -> None:
    rng = random.Random(1)
    for n in range(1, 23):
        leaves = [rng.randbytes(32) for _ in range(n)]
        root = merkle_root(leaves)
        for i in range(n):
            nodes, route = merkle_path(leaves, i)
            assert calculate_root(nodes, route, leaves[i]) == root


@pytest.mark.parametrize("liar", ["asserter", "challenger"])
def test_the_game_finds_the_lie_and_the_honest_side_wins(liar: str) -> None:
    timeline = Timeline(assemble(counted_loop_source(3000), "loop.s"))
    for lie_at in (1, 2, 777, timeline.total - 1, timeline.total):
        d = simulate_classic(timeline, lie_at, liar)
        assert d.winner.endswith("(honest)"), (lie_at, d.end)
        bisections = [m for m in d.moves if m.call == "bisectExecution"]
        assert bisections and all(len(m.chain) == min(m.length, DEGREE) + 1 for m in bisections)
        assert all(m.cuts[0] == m.start and m.cuts[-1] == m.start + m.length for m in bisections)
        if d.one_step is not None:
            o = d.one_step
            assert o.before_step + 1 == lie_at          # the game narrows to the first lie
            assert o.accepted == o.prover.endswith("(honest)")
            assert o.proof_before == o.agreed_before


def test_calldata_counts_the_abi_encoding() -> None:
    d = simulate_classic(Timeline(assemble(counted_loop_source(3000), "loop.s")), 500)
    first = d.moves[0]
    # selector + 8 head words + merkleNodes (empty: a length word) + chainHashes (length + 401 words)
    assert first.merkle_nodes == 0 and first.calldata == 4 + 8 * 32 + 32 + 32 + 32 * 401


def test_cli_classic_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "loop.s"
    src.write_text(counted_loop_source(500))
    assert main(["challenge", str(src), "--lie-at", "100", "--mode", "classic", "--liar", "challenger"]) == 0
    out = capsys.readouterr().out
    assert "bisectExecution" in out and "oneStepProveExecution" in out and "bytes of calldata" in out
    assert "the asserter (honest) wins" in out
    assert main(["challenge", str(src), "--lie-at", "0", "--mode", "classic"]) == 2
    assert "--lie-at must be a step of the run" in capsys.readouterr().err


def test_bad_requests_are_user_errors() -> None:
    timeline = Timeline(assemble(counted_loop_source(10), "loop.s"))
    with pytest.raises(UserError):
        simulate_classic(timeline, timeline.total + 1)
    with pytest.raises(UserError, match="degree"):
        simulate_classic(timeline, 3, degree=1)
