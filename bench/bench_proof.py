"""Proof export time for a step deep in a long run (prints figures; asserts nothing).

For each throughput program in shared/bench: run N steps (default 1,000,000), then time
``make_proof`` (clone + proof bytes + one step) for the next steps, and the verifier on the result.

Usage: python bench/bench_proof.py [BENCH_DIR] [--steps N] [--repeat K]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from avm.core.machine import Machine
from avm.formats.mexe import load_mexe
from avm.proofs.export import make_proof, prove_and_step
from avm.proofs.verifier import verify_entry

DEFAULT_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "bench"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench_dir", nargs="?", default=str(DEFAULT_DIR))
    parser.add_argument("--steps", type=int, default=1_000_000, help="steps to run before exporting")
    parser.add_argument("--seconds", type=float, default=20.0, help="at most about this long per run")
    parser.add_argument("--repeat", type=int, default=20, help="proofs exported per program")
    args = parser.parse_args(argv)
    files = sorted(Path(args.bench_dir).glob("*.mexe"))
    if not files:
        print(f"no .mexe files in {args.bench_dir}", file=sys.stderr)
        return 2
    print(f"{'program':34s} {'steps':>8s} {'run':>8s} {'stack':>6s} {'first':>9s} {'median':>9s} "
          f"{'worst':>9s} {'verify':>9s}")
    for path in files:
        machine = Machine.from_program(load_mexe(path))
        t = time.perf_counter()
        while machine.steps < args.steps and not machine.status and time.perf_counter() - t < args.seconds:
            machine.run(min(50_000, args.steps - machine.steps))
        run_s = time.perf_counter() - t
        if machine.status:
            print(f"{path.name:34s} stopped ({machine.status.name}) after {machine.steps} steps")
            continue
        # first export straight after the run: the stack-hash cache may be cold
        t = time.perf_counter()
        entry = make_proof(machine, machine.steps)
        first = time.perf_counter() - t
        times = []
        verify_times = []
        work = machine.clone()
        for _ in range(args.repeat):
            if work.status:
                break
            t = time.perf_counter()
            probe = make_proof(work, work.steps)
            times.append(time.perf_counter() - t)
            t = time.perf_counter()
            ok = verify_entry(probe).ok
            verify_times.append(time.perf_counter() - t)
            if not ok:
                print(f"{path.name}: exported proof does not verify", file=sys.stderr)
            prove_and_step(work, work.steps)  # move on one step
        times.sort()
        ok0 = verify_entry(entry).ok
        print(f"{path.name:34s} {machine.steps:8d} {run_s:7.2f}s {len(machine.stack):6d} "
              f"{first * 1e3:7.2f}ms {times[len(times) // 2] * 1e3:7.2f}ms {times[-1] * 1e3:7.2f}ms "
              f"{sorted(verify_times)[len(verify_times) // 2] * 1e3:7.2f}ms{'' if ok0 else '  NOT VERIFIED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
