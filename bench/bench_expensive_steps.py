"""Stepping back over expensive instructions (prints figures, asserts nothing).

A program of ``ecmul`` steps (about 10 ms each here) runs to its end in a session; then every state is
visited backwards with one step back each, and the script prints the step-back latency (median, max)
and the most ``ecmul`` executions a single step back needed. The history checkpoints by cost, so a
step back should re-execute at most one of them.

    python bench/bench_expensive_steps.py [--passes 40] [--steps-only]
"""

from __future__ import annotations

import argparse
import statistics
import time

import avm.core.machine as machine_module
from avm.core.opcodes import Op
from avm.formats.assembler import assemble
from debugger.engine.session import Session

PASS = "    push 0x1234567890abcdef1234567890abcdef1234567890abcdef\n    push 2\n    push 1\n    ecmul\n" \
       "    pop\n    pop\n    push 1\n    pop\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--passes", type=int, default=40, help="ecmul instructions in the program")
    ap.add_argument("--steps-only", action="store_true",
                    help="for comparison: checkpoints by step count only (no cost checkpoints)")
    args = ap.parse_args(argv)
    program = assemble(PASS * args.passes + "    halt\n")
    calls = [0]
    table = machine_module._SEMANTICS
    real = table[Op.ECMUL]
    assert real is not None

    def counted(m: machine_module.Machine, cp: object) -> object:
        calls[0] += 1
        return real(m, cp)  # type: ignore[arg-type]

    table[Op.ECMUL] = counted  # type: ignore[call-overload]
    try:
        session = Session(program)
        if args.steps_only:
            session._expensive = {}
            session.history._expensive = lambda m, steps: False  # type: ignore[method-assign]
        t0 = time.perf_counter()
        session.continue_()
        run = time.perf_counter() - t0
        per = run / args.passes * 1000
        print(f"run: {session.step:,} steps, {args.passes} ecmul, {run:.2f} s ({per:.1f} ms per ecmul), "
              f"{session.history.checkpoint_count} checkpoints")
        latencies: list[float] = []
        worst = 0
        while session.step > 0:
            before = calls[0]
            t0 = time.perf_counter()
            session.step_back()
            latencies.append(time.perf_counter() - t0)
            worst = max(worst, calls[0] - before)
        print(f"step back over every state: median {statistics.median(latencies) * 1000:.2f} ms, "
              f"max {max(latencies) * 1000:.2f} ms, at most {worst} ecmul re-executed by one step back")
    finally:
        table[Op.ECMUL] = real
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
