"""Proof export on the user's paths (prints figures, asserts nothing).

1. ``p`` deep in a run: ``Session.proof_for_step`` on the state after ``c`` ran ``--steps`` steps of each
   program in shared/bench: the first proof (cold: it hashes what the run never hashed), then the
   following ones (median [min-max]), and the verifier on them;
2. the first ``p`` on a big program (conformance ``large/contract.mexe``): cold, and after
   ``Program.warm_hashes()`` (what the debugger can run in the background after loading);
3. ``prove --all`` (``prove_run`` streamed through ``write_entries``): entries/s and the peak memory the
   entries take (tracemalloc), next to keeping them all in a list as before.

    python bench/bench_proof.py [--steps N] [--rounds K] [--all-steps N]
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Timing, bench_dir, conformance_dir, header, interleaved, timed  # noqa: E402

from avm.core.machine import Machine  # noqa: E402
from avm.formats.mexe import load_mexe  # noqa: E402
from avm.proofs.proof_file import entry_from_json  # noqa: E402
from avm.proofs.verifier import verify_entry  # noqa: E402
from debugger.engine.session import Session  # noqa: E402


def deep_proofs(path: Path, steps: int, repeat: int) -> None:
    session = Session(load_mexe(path))
    session.run_limit = steps
    session.continue_()
    at = session.step
    first_cpu, first_wall, _ = timed(lambda: session.proof_for_step(at))
    later = Timing()
    verify = Timing()
    for k in range(1, repeat + 1):
        step = at - k
        holder: list[dict[str, object]] = []
        later.add(*timed(lambda s=step, h=holder: h.append(session.proof_for_step(s))))
        entry = entry_from_json(holder[0])
        verify.add(*timed(lambda e=entry: verify_entry(e).ok or sys.exit(f"{path.name}: not verified")))
    w = sorted(later.wall)
    v = sorted(verify.wall)
    print(f"   {path.name:34s} {at:>9,} {first_wall * 1e3:8.2f} {first_cpu * 1e3:8.2f} "
          f"{w[len(w) // 2] * 1e3:8.2f} [{w[0] * 1e3:.2f}-{w[-1] * 1e3:.2f}] {v[len(v) // 2] * 1e3:8.2f}")


def first_proof_on_big(path: Path, warm: bool) -> tuple[float, float, float]:
    """(load+warm seconds, first-proof cpu, first-proof wall) on a fresh load of ``path``."""
    program = load_mexe(path)
    c0 = timed(program.warm_hashes)[0] if warm else 0.0
    session = Session(program)
    session.continue_()
    step = max(0, session.step - 1)          # contract.mexe blocks on its empty inbox: prove the step before
    cpu, wall, _ = timed(lambda: session.proof_for_step(step))
    return c0, cpu, wall


def prove_all(m: Machine, n: int, keep: bool) -> float:
    """``prove --all`` from ``m`` to /dev/null: streamed, or every entry kept first (as before)."""
    from avm.proofs.export import prove_run
    from avm.proofs.proof_file import write_entries

    entries = prove_run(m, n, "bench")
    if keep:
        entries = iter(list(entries))      # the old way: every entry in memory before writing
    with open(os.devnull, "w") as sink:
        return write_entries(sink, entries)


def prove_all_peak(path: Path, n: int, keep: bool) -> int:
    """Peak traced bytes of ``prove_all`` alone (the program is loaded before tracing starts)."""
    m = Machine.from_program(load_mexe(path))
    gc.collect()
    tracemalloc.start()
    prove_all(m, n, keep)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1_000_000, help="steps run by c before p")
    parser.add_argument("--repeat", type=int, default=10, help="proofs after the first one")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--all-steps", type=int, default=2_000, help="entries for prove --all")
    parser.add_argument("--only", default="", help="section 1 only, on the programs whose name has this")
    args = parser.parse_args(argv)
    files = [p for p in sorted(bench_dir().glob("*.mexe")) if args.only in p.name]
    if not files:
        print(f"no .mexe files in {bench_dir()}", file=sys.stderr)
        return 2

    header(f"1. p after c ran {args.steps:,} steps (ms wall unless marked)", stats=False)
    print(f"   {'program':34s} {'step':>9} {'first':>8} {'1st cpu':>8} {'median [min-max] of the next':>30} "
          f"{'verify':>8}")
    for path in files:
        steps = args.steps if "keccakf" not in path.name else args.steps // 300
        deep_proofs(path, steps, args.repeat)
    if args.only:
        return 0

    big = conformance_dir() / "large" / "contract.mexe"
    if big.exists():
        header(f"2. first p on {big.name} (fresh load each round)")
        t = {"cold": Timing(), "warm": Timing()}
        warm_cpu: list[float] = []
        for _ in range(args.rounds):
            for kind in ("cold", "warm"):
                w, cpu, wall = first_proof_on_big(big, kind == "warm")
                t[kind].add(cpu, wall)
                if kind == "warm":
                    warm_cpu.append(w)
        print(f"   without warm_hashes:        {t['cold'].time_text()}")
        print(f"   after warm_hashes:          {t['warm'].time_text()}")
        print(f"   warm_hashes itself (cpu):   {sorted(warm_cpu)[len(warm_cpu) // 2] * 1e3:.1f} ms")
    else:
        print(f"\n(no {big}: section 2 skipped)")

    loop = bench_dir() / "add_2_1.mexe"
    n = args.all_steps
    header(f"3. prove --all on {loop.name}, {n:,} entries")
    program = load_mexe(loop)
    t = interleaved([("streamed", lambda: prove_all(Machine.from_program(program), n, False)),
                     ("kept in a list", lambda: prove_all(Machine.from_program(program), n, True))],
                    args.rounds)
    for name, timing in t.items():
        print(f"   {name:16s} {timing.rate_text(1.0, 'entries/s')}")
    streamed = prove_all_peak(loop, n, False)
    kept = prove_all_peak(loop, n, True)
    print(f"   peak traced memory of the export: streamed {streamed / 1024:,.0f} KiB, kept in a list "
          f"{kept / 1024:,.0f} KiB ({kept / n:,.0f} bytes per entry)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
