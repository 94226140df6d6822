"""Steps per second of ``Machine.run`` on every throughput program in shared/bench, and the per-call
cost of the machine's building blocks (prints figures, asserts nothing).

Each program runs a fixed number of steps per round (calibrated once to about ``--target`` CPU seconds);
rounds interleave the programs; figures are medians with min/max of CPU and wall rates.

Usage: python bench/bench_machine.py [BENCH_DIR] [--rounds 5] [--target 0.15]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import bench_dir, header, interleaved, timed  # noqa: E402

from avm.core import arith  # noqa: E402
from avm.core.keccak import int_hash, keccak256  # noqa: E402
from avm.core.machine import Machine  # noqa: E402
from avm.core.program import Program  # noqa: E402
from avm.formats.mexe import load_mexe  # noqa: E402


def bare_loop(n: int) -> float:
    """A bare CPython while-loop with one attribute read: the ceiling for comparison (returns n)."""

    class Node:
        __slots__ = ("next", "op")

    a, b = Node(), Node()
    a.next, b.next, a.op, b.op = b, a, 1, 2
    node, i = a, 0
    while i < n:
        node = node.next
        i += 1
    return n


def bn128_generator_pair() -> tuple[int, int, int, int, int, int]:
    """(g1x, g1y, g2x0, g2x1, g2y0, g2y1) of the alt_bn128 generators, in ecpairing's operand order."""
    from py_ecc.bn128 import G1, G2

    return (int(G1[0].n), int(G1[1].n), int(G2[0].coeffs[0]), int(G2[0].coeffs[1]),
            int(G2[1].coeffs[0]), int(G2[1].coeffs[1]))


def run_steps(program: Program, steps: int) -> float:
    m = Machine.from_program(program)
    m.run(steps)
    return m.steps


def continue_steps(m: Machine, steps: int) -> float:
    before = m.steps
    m.run(steps)
    return m.steps - before


def calibrate(program: Program, target: float) -> int:
    """Steps that take about ``target`` CPU seconds (at least 1,000)."""
    steps = 1000
    while True:
        cpu, _, _ = timed(lambda k=steps: run_steps(program, k))
        if cpu >= target / 4 or steps >= 20_000_000:
            return max(1000, int(steps * target / max(cpu, 1e-6)))
        steps *= 4


def per_call(label: str, fn, n: int, rounds: int) -> None:  # type: ignore[no-untyped-def]
    def many() -> float:
        for _ in range(n):
            fn()
        return n

    t = interleaved([(label, many)], rounds)[label]
    print(f"{label:40s} {t.time_text(1e-6 * n, 'us per call')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench_dir", nargs="?", default=str(bench_dir()))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--target", type=float, default=0.15, help="CPU seconds per program per round")
    parser.add_argument("--only", default="", help="only programs whose name contains this")
    args = parser.parse_args(argv)
    files = [p for p in sorted(Path(args.bench_dir).glob("*.mexe")) if args.only in p.name]
    if not files:
        print(f"no .mexe files in {args.bench_dir}", file=sys.stderr)
        return 2
    programs = {p.name: load_mexe(p) for p in files}
    steps = {name: calibrate(prog, args.target) for name, prog in programs.items()}
    n_bare = 2_000_000
    cases = [("bare CPython loop", lambda: bare_loop(n_bare))]
    # one machine per program, continued round after round: a long run, as a user's (a fresh machine
    # per round would replay the same values and flatter any memo)
    machines = {name: Machine.from_program(prog) for name, prog in programs.items()}
    cases += [(name, lambda m=machines[name], k=steps[name]: continue_steps(m, k)) for name in programs]
    header(f"Machine.run, M steps/s ({args.rounds} rounds)")
    for name, t in interleaved(cases, args.rounds).items():
        print(f"{name:40s} {t.rate_text()}")

    header("building blocks")
    first = next(iter(programs.values()))
    m = Machine.from_program(first)
    m.run(1000)
    per_call("Machine.step() one at a time", m.step, 20_000, args.rounds)
    per_call("Machine.clone()", m.clone, 20_000, args.rounds)
    per_call("Machine.machine_hash() (cached stacks)", m.machine_hash, 5_000, args.rounds)
    data = bytes(range(64))
    per_call("keccak256(64 bytes)", lambda: keccak256(data), 50_000, args.rounds)
    counter = iter(range(1 << 62))
    per_call("int_hash(fresh integer)", lambda: int_hash(next(counter)), 50_000, args.rounds)
    state = list(range(7))
    per_call("keccakf (arith.keccakf, one permutation)", lambda: arith.keccakf(state), 200, args.rounds)
    pair = [bn128_generator_pair()]
    per_call("ecpairing (arith.ecpairing, one pair)", lambda: arith.ecpairing(pair), 2, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
