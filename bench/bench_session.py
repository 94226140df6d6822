"""Session speed and memory on the user's paths (prints figures, asserts nothing).

1. ``c`` (``Session.continue_`` with ``run_limit``) with history recording, next to the bare machine
   (``Machine.run``), on every program in shared/bench;
2. py-evm's interpreter on the equivalent EVM loop (5b600160020150600056) next to ``continue_`` on
   add_2_1.mexe;
3. a long recorded run (``--steps``): the history's own bytes (checkpoint objects and their stack
   lists; the values are shared with the live machine) and the RSS growth of the run;
4. at depth in that history: ``goto``, the first and following step-backs after it, and
   ``reverse_continue`` back to the start;
5. breakpoints on the add loop and on a loop that counts in the register: none, an instruction
   breakpoint never reached, a located condition (``#1 if s0 == ...``), conditions and watches checked
   only after ``rset`` (``when register == ...``, ``watch register``), and one checked after every
   step (``when s0 == ...``).

All rates are medians with min/max over interleaved rounds, CPU (process) and wall time.

    python bench/bench_session.py                               # full (a few minutes)
    python bench/bench_session.py --steps 1000000 --per-program 100000 --rounds 3   # quick
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Timing, bench_dir, header, interleaved, rss_bytes, timed  # noqa: E402

from avm.core.machine import Machine  # noqa: E402
from avm.core.program import Program  # noqa: E402
from avm.formats.assembler import assemble  # noqa: E402
from avm.formats.mexe import load_mexe  # noqa: E402
from debugger.engine.session import Session  # noqa: E402

EVM_LOOP = bytes.fromhex("5b600160020150600056")
EVM_GAS_PER_PASS = 1 + 3 + 3 + 3 + 2 + 3 + 8      # JUMPDEST PUSH1 PUSH1 ADD POP PUSH1 JUMP
EVM_OPS_PER_PASS = 7


def bare(program: Program, steps: int) -> float:
    m = Machine.from_program(program)
    m.run(steps)
    return m.steps


def continued(program: Program, steps: int) -> Session:
    """A fresh session after ``c`` with ``run_limit = steps`` (the bench programs loop forever)."""
    session = Session(program)
    session.run_limit = steps
    session.continue_()
    return session


def evm_ops(steps: int) -> float:
    """py-evm's own interpreter (Shanghai rules) on the EVM loop until its gas runs out; ops run."""
    from eth.constants import BLANK_ROOT_HASH
    from eth.db.atomic import AtomicDB
    from eth.vm.execution_context import ExecutionContext
    from eth.vm.forks.shanghai.computation import ShanghaiComputation
    from eth.vm.forks.shanghai.state import ShanghaiState
    from eth.vm.message import Message

    zero = b"\0" * 20
    ctx = ExecutionContext(zero, 0, 1, 0, b"\0" * 32, 10**12, [], 1, base_fee_per_gas=0)
    state = ShanghaiState(AtomicDB(), ctx, BLANK_ROOT_HASH)
    passes = max(1, steps // EVM_OPS_PER_PASS)
    msg = Message(gas=EVM_GAS_PER_PASS * passes, to=b"\x01" * 20, sender=zero, value=0, data=b"",
                  code=EVM_LOOP)
    tx = state.get_transaction_context_class()(gas_price=0, origin=zero)
    comp = ShanghaiComputation.apply_computation(state, msg, tx)
    assert comp.is_error and comp.get_gas_remaining() == 0    # ran out of gas after `passes` passes
    return passes * EVM_OPS_PER_PASS


def history_bytes(session: Session) -> int:
    """Bytes the history itself holds: each checkpoint's Machine object, its stack, aux and hash-cache
    lists (the values in them are shared with the run), the step index and the replay cache."""
    h = session.history
    machines = list(h._cps) + list(h._cache.values())
    total = sys.getsizeof(h._steps) + sys.getsizeof(h._cps)
    for m in machines:
        total += sum(sys.getsizeof(x) for x in (m, m.stack, m.aux, m._dcache, m._acache))
    return total


# a loop that counts its passes in the register: 20 adds, then rpush / add 1 / rset (26 steps a pass)
COUNTER = assemble(".static (@loop)\n    rset 0\n    push 0\nloop:\n" + "    add 0\n" * 20
                   + "    rpush\n    add 1\n    rset\n    spush\n    tget 0\n    jump\n    halt\n",
                   "counter.s")


def with_breakpoint(program: Program, steps: int, spec: str | None, watch: str | None = None) -> float:
    """``c`` over ``steps`` steps with one breakpoint (``spec``) or watch that never stops it."""
    s = Session(program)
    s.run_limit = steps
    if spec:
        s.breakpoints.add(spec)
    if watch:
        s.watches.add(watch)
    s.continue_()
    return s.step


def breakpoint_figures(program: Program, name: str, k: int, rounds: int) -> None:
    """Section 5: ``c`` with one breakpoint or watch that never stops it, on ``program`` and COUNTER."""
    for title, prog in ((name, program), ("a loop counting in the register (rset: 1 step in 26)", COUNTER)):
        header(f"5. breakpoints: c over {k:,} steps of {title}, M steps/s")
        last = len(prog.code) - 1     # the loops never reach their last instruction
        cases = [("none", lambda p=prog: with_breakpoint(p, k, None)),
                 (f"instruction #{last} (never reached)",
                  lambda p=prog, i=last: with_breakpoint(p, k, str(i))),
                 ("#1 if s0 == 12345 (never)", lambda p=prog: with_breakpoint(p, k, "1 if s0 == 12345")),
                 ("when register == 12345 (after rset)",
                  lambda p=prog: with_breakpoint(p, k, "when register == 12345")),
                 ("watch register[3] (after rset)",
                  lambda p=prog: with_breakpoint(p, k, None, "register[3]")),
                 ("when s0 == 12345 (every step)", lambda p=prog: with_breakpoint(p, k, "when s0 == 12345"))]
        for case, t in interleaved(cases, rounds).items():
            rates(case, t)


def rates(label: str, t: Timing) -> None:
    print(f"   {label:44s} {t.rate_text()}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=10_000_000, help="length of the long history")
    ap.add_argument("--per-program", type=int, default=300_000, help="steps per bench program")
    ap.add_argument("--evm-steps", type=int, default=300_000, help="py-evm ops")
    ap.add_argument("--program", default="add_2_1.mexe", help="the looping program for the long history")
    ap.add_argument("--repeat", type=int, default=20, help="step-backs per depth")
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds")
    ap.add_argument("--breakpoints-only", action="store_true", help="section 5 only")
    args = ap.parse_args(argv)
    folder = bench_dir()
    if not folder.is_dir():
        print(f"bench programs not found at {folder}", file=sys.stderr)
        return 2
    k = args.per_program
    if args.breakpoints_only:
        breakpoint_figures(load_mexe(folder / args.program), args.program, k, args.rounds)
        return 0

    header(f"1. c (Session.continue_, history on) vs Machine.run, {k:,} steps, M steps/s")
    programs = {p.name: load_mexe(p) for p in sorted(folder.glob("*.mexe"))}
    for name, program in programs.items():
        steps = k if "keccakf" not in name else max(1, k // 300)
        t = interleaved([("bare", lambda p=program, s=steps: bare(p, s)),
                         ("c", lambda p=program, s=steps: continued(p, s).step)], args.rounds)
        ratio = sorted(a / b for a, b in zip(t["c"].rates("cpu"), t["bare"].rates("cpu"), strict=True))
        print(f"   {name:36s} c {t['c'].rate_text()}   c/bare cpu {ratio[len(ratio) // 2]:.2f}")

    header(f"2. py-evm interpreter on the EVM add loop vs c on add_2_1.mexe, {args.evm_steps:,} ops")
    try:
        evm_ops(1000)
    except ImportError:
        print("   py-evm is not installed (pip install avm-debug[bench])")
    else:
        add = programs["add_2_1.mexe"]
        t = interleaved([("py-evm", lambda: evm_ops(args.evm_steps)),
                         ("c", lambda: continued(add, args.evm_steps).step)], args.rounds)
        rates("py-evm (ops/s)", t["py-evm"])
        rates("avm-debug c (steps/s)", t["c"])
        ratio = sorted(a / b for a, b in zip(t["c"].rates("cpu"), t["py-evm"].rates("cpu"), strict=True))
        print(f"   ratio avm-debug/py-evm (cpu, median): {ratio[len(ratio) // 2]:.2f}")

    n = args.steps
    program = load_mexe(folder / args.program)
    header(f"3. a long recorded run: {n:,} steps of {args.program} (one run)", stats=False)
    gc.collect()
    rss0 = rss_bytes()
    cpu, wall, _ = timed(lambda: continued(program, 1).step)   # warm imports and caches
    holder: list[Session] = []
    cpu, wall, _ = timed(lambda: holder.append(continued(program, n)))
    session = holder[0]
    gc.collect()
    grown = rss_bytes() - rss0
    hb = history_bytes(session)
    h = session.history
    print(f"   c: {n / cpu / 1e6:.3f} M steps/s cpu, {n / wall / 1e6:.3f} wall; "
          f"{h.checkpoint_count:,} checkpoints, interval {h.interval:,}")
    print(f"   history's own bytes: {hb:,} = {hb / n:.3f} bytes/step;  RSS growth of the run: "
          f"{grown / 2**20:.1f} MiB = {grown / n:.3f} bytes/step")

    header("4. at depth in that history (ms; first = the first step-back after a goto)", stats=False)
    print(f"   {'at step':>12} {'goto':>8} {'first back':>11} {'median back':>12} {'max back':>9}")
    for frac in (1.0, 0.5, 0.01):
        at = max(1, int(n * frac))
        g_cpu, g_wall, _ = timed(lambda a=at: session.goto(a))
        backs = Timing()
        for _ in range(args.repeat):
            backs.add(*timed(lambda: session.step_back(1)))
        w = sorted(backs.wall)
        print(f"   {at:>12,} {g_wall * 1e3:8.3f} {backs.wall[0] * 1e3:11.3f} {w[len(w) // 2] * 1e3:12.3f} "
              f"{w[-1] * 1e3:9.3f}")
    session.goto(n)
    r_cpu, r_wall, _ = timed(session.reverse_continue)
    print(f"   reverse_continue from {n:,} to the start: {r_wall * 1e3:.1f} ms wall, {r_cpu * 1e3:.1f} ms cpu"
          f" ({n / r_cpu / 1e6:.2f} M steps/s cpu)")

    breakpoint_figures(program, args.program, k, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
