"""Stepping back over expensive instructions (prints figures, asserts nothing).

A program of ``ecmul`` steps (about 10 ms each here) runs to its end in a session; then every state is
visited backwards with one step back each, and the script prints the step-back latency (median, max)
and the most ``ecmul`` executions a single step back needed. The history checkpoints by cost, so a
step back should re-execute at most one of them.

    python bench/bench_expensive_steps.py [--passes 40] [--steps-only]

``--esc``: instead, the Esc latency inside one 8-pair ``ecpairing`` (about 1.6 s here): a worker runs it,
the interrupt comes at several delays into it, and the script prints how long the worker took from
the interrupt to its stop (the pairing gives up between pairs), next to the uninterrupted time.

    python bench/bench_expensive_steps.py --esc
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time

import avm.core.machine as machine_module
from avm.core.opcodes import Op
from avm.formats.assembler import assemble
from debugger.engine.session import Session

PASS = "    push 0x1234567890abcdef1234567890abcdef1234567890abcdef\n    push 2\n    push 1\n    ecmul\n" \
       "    pop\n    pop\n    push 1\n    pop\n"


G1 = "0x1, 0x2"
G2 = ("0x1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed, "
      "0x198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2, "
      "0x12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa, "
      "0x90689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b")


def esc_latency(pairs: int = 8, delays: tuple[float, ...] = (0.05, 0.25, 0.5, 0.8, 1.2)) -> None:
    operand = "()"
    for _ in range(pairs):
        operand = f"(({G1}, {G2}), {operand})"
    program = assemble(f"    ecpairing {operand}\n    halt\n")
    t0 = time.perf_counter()
    Session(program).step_forward()
    whole = time.perf_counter() - t0
    print(f"one {pairs}-pair ecpairing uninterrupted: {whole:.2f} s")
    for delay in delays:
        session = Session(program)
        worker = threading.Thread(target=session.step_forward)
        worker.start()
        time.sleep(delay)                         # Esc this far into the pairing
        sent = time.perf_counter()
        session.interrupt()
        worker.join()
        latency = time.perf_counter() - sent
        stop = session.last_stop
        print(f"Esc {delay:.2f} s in: stopped {latency * 1000:.0f} ms later "
              f"({stop.reason.value if stop else '?'}: {stop.detail if stop else ''})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--passes", type=int, default=40, help="ecmul instructions in the program")
    ap.add_argument("--steps-only", action="store_true",
                    help="for comparison: checkpoints by step count only (no cost checkpoints)")
    ap.add_argument("--esc", action="store_true", help="the Esc latency inside one long ecpairing")
    args = ap.parse_args(argv)
    if args.esc:
        esc_latency()
        return 0
    program = assemble(PASS * args.passes + "    halt\n")
    calls = [0]
    table = machine_module._SEMANTICS
    real = table[Op.ECMUL]
    assert real is not None

    def counted(m: machine_module.Machine, cp: object) -> object:
        calls[0] += 1
        return real(m, cp)  # type: ignore[arg-type]

    table[Op.ECMUL] = counted  # type: ignore[call-overload,assignment,unused-ignore]
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
