"""Time travel: every recorded state is reachable again exactly, branching drops the stale future."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from machine_builders import machine_at

from avm.core.machine import Machine
from avm.core.program import Program
from avm.formats.assembler import assemble
from avm.formats.mexe import load_mexe
from debugger.engine.history import History
from debugger.engine.session import Session, StopReason

LOOP = """
.static (@loop)
    push 0
loop:
    add 1
    dup0
    auxpush
    spush
    tget 0
    jump
"""


def record(program: Program, steps: int, interval: int | None = None) -> tuple[History, Machine]:
    m = Machine.from_program(program)
    history = History(m, interval=interval)
    while m.steps < steps:
        m.run(min(history.due(), steps) - m.steps)
        history.extend(m)
    return history, m


def test_every_state_is_reachable_exactly() -> None:
    program = assemble(LOOP)
    history, live = record(program, 1000, interval=64)
    assert history.end == 1000 and history.checkpoint_count == 1000 // 64 + 1
    for step in (0, 1, 63, 64, 65, 500, 999, 1000):
        m = history.state_at(step)
        assert m.steps == step
        assert m.machine_hash() == machine_at(program, step).machine_hash()
        assert m.on_event is None
    assert history.state_at(1000).machine_hash() == live.machine_hash()


def test_reconstructed_states_are_private_copies() -> None:
    program = assemble(LOOP)
    history, _ = record(program, 300, interval=50)
    a = history.state_at(120)
    a.run(10)
    a.stack.clear()
    assert history.state_at(120).machine_hash() == machine_at(program, 120).machine_hash()


def test_replay_cache_leaves_finer_checkpoints() -> None:
    program = assemble(LOOP)
    history, _ = record(program, 2000, interval=1024)
    history.state_at(1900)
    cached = sorted(history._cache)
    assert cached and all(1024 < s < 1900 for s in cached)
    # repeated step-backs start from a cached snapshot, and stay exact
    base, _ = history.base_for(1850)
    assert base > 1024
    for step in range(1899, 1880, -1):
        assert history.state_at(step).machine_hash() == machine_at(program, step).machine_hash()


def test_truncate_and_replace_state_drop_the_future() -> None:
    program = assemble(LOOP)
    history, _ = record(program, 500, interval=64)
    history.state_at(450)                        # fill the replay cache
    history.truncate(200)
    assert history.end == 200 and max(history.checkpoint_steps()) <= 200
    assert all(s <= 200 for s in history._cache)
    m = history.state_at(200)
    m.stack.append(12345)                        # a change made after going back
    history.replace_state(m)
    assert history.end == 200
    m.run(100)
    history.extend(m)
    again = history.state_at(250)
    expected = history.state_at(200)
    expected.run(50)
    assert again.machine_hash() == expected.machine_hash()
    assert again.machine_hash() != machine_at(program, 250).machine_hash()


def test_adaptive_interval_follows_speed_and_depth() -> None:
    program = assemble(LOOP)
    m = Machine.from_program(program)
    history = History(m, replay_budget=0.002)
    history.rate = 1_000_000
    history._retune(m)
    assert history.interval == 2000                     # 2 ms of replay at 1M steps/s
    history.rate = 1_000
    history._retune(m)
    assert history.interval < 100                       # slow steps: checkpoints close together
    history.rate = 1_000_000
    m.aux.extend(range(100_000))                        # a deep stack makes checkpoints big
    history._retune(m)
    short = history.interval
    assert short > 10_000
    history.end = history.start + 10_000_000            # long histories get the strict budget
    history._retune(m)
    assert history.interval > short
    history.note_rate(10, 1.0)                          # too small a sample: ignored
    assert history.rate == 1_000_000


def test_session_branches_on_restart_with_new_inbox() -> None:
    program = assemble("inbox\nlog\ninbox\nlog\nhalt\n")
    session = Session(program, inbox=[1, 2])
    assert session.continue_().reason is StopReason.HALTED
    session.step_back(2)
    session.restart(inbox=[5])
    assert session.history_end == 0
    assert session.continue_().reason is StopReason.BLOCKED
    assert [e.value for e in session.outputs if e.kind == "log"] == [5]


def test_history_over_a_bench_program(shared_bench_dir: Path) -> None:
    program = load_mexe(shared_bench_dir / "add_2_1.mexe")
    session = Session(program)
    session.step_forward(30_000)
    for step in (29_999, 12_345, 1):
        session.goto(step)
        assert session.machine.machine_hash() == machine_at(program, step).machine_hash()


# ---------------------------------------------------------------------- property
BODY_OPS = [
    "push 3", "push 0", "push 0x10", "push (1, 2)", "add", "mul", "sub", "div", "dup0", "dup1",
    "swap1", "pop", "auxpush", "auxpop", "rset", "rpush", "log", "debugprint", "iszero", "tlen",
    "tget 1", "pushgas", "hash", "eq", "xget 0", "errpush", "type",
]


@st.composite
def programs(draw: st.DrawFn) -> str:
    body = draw(st.lists(st.sampled_from(BODY_OPS), min_size=1, max_size=14))
    lines = [".static (@start)", "    errset @handler", "start:"]
    lines += [f"    {op}" for op in body]
    lines += ["    spush", "    tget 0", "    jump", "handler:", "    push 1", "    spush", "    tget 0",
              "    jump"]
    return "\n".join(lines) + "\n"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=programs(), run=st.integers(1, 600), k=st.integers(1, 600), interval=st.integers(1, 80))
def test_back_k_forward_k_lands_on_the_same_hash(source: str, run: int, k: int, interval: int) -> None:
    program = assemble(source)
    session = Session(program, history_interval=interval)
    session.step_forward(run)
    here = session.step
    before = session.machine.machine_hash()
    session.step_back(k)
    back_to = max(0, here - k)
    assert session.step == back_to
    assert session.machine.machine_hash() == machine_at(program, back_to).machine_hash()
    if here > back_to:
        session.step_forward(here - back_to)
    assert session.step == here
    assert session.machine.machine_hash() == before == machine_at(program, here).machine_hash()


def _count_stack_hashing(monkeypatch) -> list[int]:
    """Count the keccak calls the machine makes for stack pre-images (two per rehashed slot)."""
    import avm.core.machine as machine_module

    calls = [0]
    real = machine_module.keccak256

    def counting(data: bytes) -> bytes:
        calls[0] += 1
        return real(data)

    monkeypatch.setattr(machine_module, "keccak256", counting)
    return calls


def test_adopt_hash_cache_reuses_another_states_stack_hashes(monkeypatch) -> None:
    program = assemble("\n".join(f"push {i}" for i in range(400)) + "\npop\npush 7\nhalt\n")
    a = machine_at(program, 401)                  # 400 pushed, the top popped
    b = machine_at(program, 402)                  # then 7 pushed
    a.data_stack_preimage()
    expected = machine_at(program, 402).machine_hash()
    calls = _count_stack_hashing(monkeypatch)
    b.adopt_hash_cache(a)
    assert b.machine_hash() == expected
    assert calls[0] <= 2 + 4                 # the new top slot, plus the hashes of the machine itself
    a.adopt_hash_cache(a)                    # adopting one's own cache is a no-op


def test_history_hands_out_states_with_the_previous_states_hash_cache(monkeypatch) -> None:
    program = assemble("\n".join(f"push {i}" for i in range(400)) + "\n".join(["", "push 1", "pop"] * 200))
    session = Session(program, history_interval=64)
    session.step_forward(600)
    session.machine.machine_hash()           # what the TUI does on every stop
    expected = machine_at(program, 599).machine_hash()
    calls = _count_stack_hashing(monkeypatch)
    session.step_back(1)                     # a fresh clone of a checkpoint, replayed
    assert session.machine.machine_hash() == expected
    assert calls[0] <= 2 * 2 + 4             # not 2 x 400: only what differs is rehashed
