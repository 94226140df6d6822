"""Timelines sampled over a whole history, sparklines, clicks."""

from __future__ import annotations

from debugger.engine.session import Session
from debugger.engine.timeline import sample_steps, sample_timeline, sparkline, step_at_column


def test_samples_are_the_real_states() -> None:
    from machine_builders import counted_loop_source

    from avm.formats.assembler import assemble

    session = Session(assemble(counted_loop_source(500)))
    session.continue_()
    cache_before = list(session.history._cache)
    tl = sample_timeline(session, samples=25, hashes=True)
    assert list(session.history._cache) == cache_before       # the step-back cache is left alone
    assert tl.steps[0] == 0 and tl.steps[-1] == session.history_end and len(tl.steps) == 25
    for k in (0, 7, 24):
        m = session.state_at(tl.steps[k])
        assert (tl.gas_used[k], tl.depth[k], tl.aux_depth[k]) == (m.gas_used, len(m.stack), len(m.aux))
        assert tl.hashes[k] == "0x" + m.machine_hash().hex()
    assert set(tl.as_json()) == {"steps", "gas_used", "depth", "aux_depth", "machine_hash"}


def test_sample_steps_and_sparkline() -> None:
    assert sample_steps(0, 10, 3) == [0, 5, 10]
    assert sample_steps(0, 2, 10) == [0, 1, 2]
    assert sample_steps(5, 5, 10) == [5]
    assert sparkline([0, 7, 14]) == "▁▄█"
    assert sparkline([3, 3]) == "▁▁"
    assert sparkline(list(range(100)), width=10) == "▁▁▂▃▄▄▅▆▇█"
    assert sparkline([]) == ""


def test_step_at_column() -> None:
    from debugger.engine.timeline import Timeline

    tl = Timeline(steps=[0, 10, 20, 30])
    assert [step_at_column(tl, c, 8) for c in range(8)] == [0, 0, 10, 10, 20, 20, 30, 30]
