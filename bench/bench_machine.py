"""Steps per second of ``Machine.run`` on every throughput program in shared/bench (prints figures).

Usage: python bench/bench_machine.py [BENCH_DIR] [--steps N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from avm.core.machine import Machine
from avm.formats.mexe import load_mexe

DEFAULT_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "bench"


def bare_loop(n: int) -> float:
    """Iterations/s of a bare CPython while-loop with one attribute read: the ceiling for comparison."""

    class Node:
        __slots__ = ("next", "op")

    a, b = Node(), Node()
    a.next, b.next, a.op, b.op = b, a, 1, 2
    t = time.perf_counter()
    node, i = a, 0
    while i < n:
        node = node.next
        i += 1
    return n / (time.perf_counter() - t)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench_dir", nargs="?", default=str(DEFAULT_DIR))
    parser.add_argument("--steps", type=int, default=2_000_000, help="at most this many steps per program")
    parser.add_argument("--seconds", type=float, default=1.0, help="at most about this long per program")
    args = parser.parse_args(argv)
    files = sorted(Path(args.bench_dir).glob("*.mexe"))
    if not files:
        print(f"no .mexe files in {args.bench_dir}", file=sys.stderr)
        return 2
    print(f"bare CPython loop: {bare_loop(args.steps) / 1e6:.2f} M iterations/s")
    for path in files:
        program = load_mexe(path)
        machine = Machine.from_program(program)
        t = time.perf_counter()
        elapsed = 0.0
        chunk = 1000
        while machine.steps < args.steps and elapsed < args.seconds and not machine.status:
            machine.run(min(chunk, args.steps - machine.steps))
            elapsed = time.perf_counter() - t
            chunk = min(chunk * 2, 200_000)
        print(f"{path.name:40s} {machine.steps / elapsed / 1e6:6.3f} M steps/s  "
              f"({machine.steps} steps, {elapsed:.2f} s, status {machine.status.name})")
    first = load_mexe(files[0])
    machine = Machine.from_program(first)
    machine.run(1000)
    n = 100_000
    t = time.perf_counter()
    for _ in range(n):
        machine.step()
    print(f"step() one at a time on {files[0].name}: {n / (time.perf_counter() - t) / 1e6:.3f} M steps/s")
    t = time.perf_counter()
    for _ in range(10_000):
        machine.clone()
    print(f"clone(): {(time.perf_counter() - t) / 10_000 * 1e6:.2f} us")
    t = time.perf_counter()
    for _ in range(10_000):
        machine.machine_hash()
    print(f"machine_hash() (cached stack pre-images): {(time.perf_counter() - t) / 10_000 * 1e6:.2f} us")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
