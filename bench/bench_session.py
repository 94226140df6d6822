"""Session speed figures (prints numbers, asserts nothing).

1. steps/s of a debugger run with history recording on, for every program in shared/bench, next to
   the bare machine (``Machine.run``) on the same program;
2. py-evm's interpreter on the equivalent EVM loop ``JUMPDEST PUSH1 1 PUSH1 2 ADD POP PUSH1 0 JUMP``
   (5b600160020150600056), and the ratio ours/py-evm for add_2_1.mexe;
3. a long history (``--steps``, default 10,000,000) on a looping program: reverse-step latency at the
   end and at several depths (median and max), bytes of history per step (tracemalloc on a shorter
   run, and the RSS growth of the long one), run speed with history on vs off.

    python bench/bench_session.py                      # full run (minutes)
    python bench/bench_session.py --steps 300000 --per-program 50000 --evm-steps 70000   # CI size
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

from avm.core.machine import Machine
from avm.core.program import Program
from avm.formats.mexe import load_mexe
from debugger.engine.session import Session

REPO = Path(__file__).resolve().parent.parent
EVM_LOOP = bytes.fromhex("5b600160020150600056")
EVM_GAS_PER_PASS = 1 + 3 + 3 + 3 + 2 + 3 + 8      # JUMPDEST PUSH1 PUSH1 ADD POP PUSH1 JUMP
EVM_OPS_PER_PASS = 7


def bench_dir() -> Path:
    override = os.environ.get("AVM_CONFORMANCE_DIR")
    base = Path(override).parent if override else REPO.parent / "shared"
    return base / "bench"


# Rates use the CPU time of this process, so other load on a shared machine does not skew the ratios.
clock = time.process_time


def bare_rate(program: Program, steps: int) -> float:
    m = Machine.from_program(program)
    t0 = clock()
    m.run(steps)
    dt = clock() - t0
    return m.steps / dt


def session_rate(program: Program, steps: int) -> tuple[float, Session]:
    session = Session(program)
    t0 = clock()
    session.step_forward(steps)
    dt = clock() - t0
    return session.step / dt, session


def evm_rate(steps: int) -> float | None:
    """py-evm's own interpreter (Shanghai rules) on the EVM loop, until its gas runs out."""
    try:
        from eth.constants import BLANK_ROOT_HASH
        from eth.db.atomic import AtomicDB
        from eth.vm.execution_context import ExecutionContext
        from eth.vm.forks.shanghai.computation import ShanghaiComputation
        from eth.vm.forks.shanghai.state import ShanghaiState
        from eth.vm.message import Message
    except ImportError:
        return None
    zero = b"\0" * 20
    ctx = ExecutionContext(zero, 0, 1, 0, b"\0" * 32, 10**12, [], 1, base_fee_per_gas=0)
    state = ShanghaiState(AtomicDB(), ctx, BLANK_ROOT_HASH)
    passes = max(1, steps // EVM_OPS_PER_PASS)
    msg = Message(gas=EVM_GAS_PER_PASS * passes, to=b"\x01" * 20, sender=zero, value=0, data=b"",
                  code=EVM_LOOP)
    tx = state.get_transaction_context_class()(gas_price=0, origin=zero)
    t0 = clock()
    comp = ShanghaiComputation.apply_computation(state, msg, tx)
    dt = clock() - t0
    assert comp.is_error and comp.get_gas_remaining() == 0    # ran out of gas after `passes` passes
    return passes * EVM_OPS_PER_PASS / dt


def rss_kb() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)


def latency(session: Session, at: int, repeat: int) -> tuple[list[float], list[float]]:
    """Consecutive single step-backs starting at step ``at``: (wall-clock, CPU) seconds of each."""
    session.goto(at)
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), clock()
        session.step_back(1)
        wall.append(time.perf_counter() - t0)
        cpu.append(clock() - c0)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=10_000_000, help="length of the long history")
    ap.add_argument("--per-program", type=int, default=300_000, help="steps per bench program")
    ap.add_argument("--evm-steps", type=int, default=700_000, help="py-evm steps")
    ap.add_argument("--program", default="add_2_1.mexe", help="the looping program for the long history")
    ap.add_argument("--repeat", type=int, default=30, help="step-backs per depth")
    ap.add_argument("--rounds", type=int, default=2, help="alternating history on/off runs")
    args = ap.parse_args(argv)
    folder = bench_dir()
    if not folder.is_dir():
        print(f"bench programs not found at {folder}", file=sys.stderr)
        return 2
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpu(s)")

    # ---- 1. every bench program
    print(f"\n1. run speed, {args.per_program:,} steps per program (steps/s)")
    print(f"   {'program':<36}{'history on':>14}{'bare run':>14}{'on/bare':>9}")
    rates: dict[str, float] = {}
    for path in sorted(folder.glob("*.mexe")):
        program = load_mexe(path)
        bare = bare_rate(program, args.per_program)
        on, _ = session_rate(program, args.per_program)
        rates[path.name] = on
        print(f"   {path.name:<36}{on:>14,.0f}{bare:>14,.0f}{on / bare:>9.2f}")

    # ---- 2. py-evm
    print(f"\n2. py-evm interpreter, EVM loop {EVM_LOOP.hex()} ({args.evm_steps:,} ops)")
    evm = evm_rate(args.evm_steps)
    if evm is None:
        print("   py-evm is not installed (pip install avm-debug[bench])")
    else:
        ours = rates.get("add_2_1.mexe")
        print(f"   py-evm: {evm:,.0f} ops/s")
        if ours:
            print(f"   add_2_1.mexe with history on: {ours:,.0f} steps/s -> "
                  f"ratio ours/py-evm = {ours / evm:.2f}")

    # ---- 3. long history
    program = load_mexe(folder / args.program)
    n = args.steps
    print(f"\n3. long history: {n:,} steps of {args.program}")
    offs, ons = [], []
    session: Session | None = None
    rss_growth = 0
    for _ in range(args.rounds):          # alternate, keep the best of each (noise from other load)
        session = None
        gc.collect()
        offs.append(bare_rate(program, n))
        gc.collect()
        rss0 = rss_kb()
        on, session = session_rate(program, n)
        rss_growth = rss_kb() - rss0
        ons.append(on)
    assert session is not None
    off, on = max(offs), max(ons)
    h = session.history
    print(f"   run speed (best of {args.rounds}, CPU time): history off {off:,.0f} steps/s, "
          f"on {on:,.0f} steps/s -> on/off = {on / off:.3f}")
    print(f"   checkpoints: {h.checkpoint_count:,}, interval now {h.interval:,} steps "
          f"(measured {h.rate:,.0f} steps/s)")
    print(f"   RSS growth during the recorded run: {rss_growth * 1024 / n:.2f} bytes/step "
          f"({rss_growth / 1024:.1f} MiB)")
    small = min(n, 1_000_000)
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    traced = Session(program)
    traced.step_forward(small)
    gc.collect()
    used = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    del traced
    print(f"   tracemalloc: history of {small:,} steps holds {used:,} bytes = {used / small:.2f} bytes/step")

    print(f"   reverse step latency ({args.repeat} consecutive step-backs from each point), ms")
    print(f"   {'from step':>14}{'first':>9}{'median':>9}{'max':>9}{'max CPU':>9}")
    worst = worst_cpu = 0.0
    for frac in (1.0, 0.75, 0.5, 0.25, 0.01):
        at = max(1, int(n * frac))
        wall, cpu = latency(session, at, args.repeat)
        worst, worst_cpu = max(worst, max(wall)), max(worst_cpu, max(cpu))
        print(f"   {at:>14,}{wall[0] * 1e3:>9.3f}{statistics.median(wall) * 1e3:>9.3f}"
              f"{max(wall) * 1e3:>9.3f}{max(cpu) * 1e3:>9.3f}")
    print(f"   worst single step-back: {worst * 1e3:.3f} ms wall clock, {worst_cpu * 1e3:.3f} ms CPU")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"\n   max RSS of this process: {usage.ru_maxrss / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
