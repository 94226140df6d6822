"""Questions across time: query times on long histories (prints numbers, asserts nothing).

For each history length (default 1,000,000 and 10,000,000 steps):

1. origin of a value produced at step 0 and left under a counted loop (the worst case: the whole
   history lies between the value and the question), with the fast segment test and, at the first
   length only, the exact step-by-step scan for comparison; origin of a value made a few steps ago;
2. history of the register on a loop that sets it on every pass: the first 100 changes from step 0,
   the latest change before the end (backward), and on the first program (never set) the whole
   history scanned for changes;
3. a 200-sample timeline (gas, depths) of the whole history.

    python bench/bench_timeq.py                        # 1M and 10M steps (about a minute)
    python bench/bench_timeq.py --steps 200000         # quick
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections.abc import Callable
from typing import Any

from loop_programs import counted_loop_source, register_loop_source

from avm.formats.assembler import assemble
from debugger.engine.locations import parse_place
from debugger.engine.place_history import find_change, iter_changes
from debugger.engine.provenance import origin
from debugger.engine.session import Session
from debugger.engine.timeline import sample_timeline

# 777 is pushed at step 0 and stays at the bottom while a counted loop runs above it
FAR = "      push 777\n" + counted_loop_source(900_000_000)
# the register counts the passes: rset on every pass of 8 instructions
REGISTER = register_loop_source(900_000_000)

clock = time.process_time     # CPU time: other load on a shared machine does not count


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = clock()
    result = fn()
    return clock() - t0, result


def record(source: str, steps: int) -> tuple[Session, float]:
    session = Session(assemble(source))
    dt, _ = timed(lambda: session.goto(steps))
    return session, dt


def bench(steps: int, exact: bool) -> None:
    print(f"--- history of {steps:,} steps")
    far, dt = record(FAR, steps)
    print(f"record far-origin program: {dt:.2f} s ({steps / dt / 1e6:.2f} M steps/s, "
          f"{far.history.checkpoint_count} checkpoints)")
    bottom = parse_place("stack[0]")
    dt, o = timed(lambda: origin(far, bottom))
    link = o.links[0]
    print(f"origin of stack[0] at step {steps:,}: {dt * 1000:.0f} ms -> step {link.step} {link.instruction} "
          f"({link.kind}), {steps - link.step:,} steps back")
    if exact:
        dt, slow = timed(lambda: origin(far, bottom, fast=False))
        assert slow.links == o.links
        print(f"  same, exact step-by-step scan only: {dt * 1000:.0f} ms")
    dt, o = timed(lambda: origin(far, parse_place("s0")))
    print(f"origin of s0 (made {steps - o.links[0].step} steps back, {len(o.links)} links): "
          f"{dt * 1000:.1f} ms")
    register = parse_place("register")
    dt, changes = timed(lambda: list(iter_changes(far, register)))
    print(f"register history of the whole run (never set, {len(changes)} changes): {dt * 1000:.0f} ms")
    dt, tl = timed(lambda: sample_timeline(far, 200))
    print(f"timeline, 200 samples of the whole run: {dt * 1000:.0f} ms")

    loop, dt = record(REGISTER, steps)
    dt, first = timed(lambda: list(itertools.islice(iter_changes(loop, register), 100)))
    print(f"register loop: first 100 changes: {dt * 1000:.1f} ms (last at step {first[-1].step:,})")
    dt, last = timed(lambda: find_change(loop, register, backward=True))
    print(f"register loop: latest change before step {loop.step:,}: {dt * 1000:.1f} ms "
          f"(step {last.step:,})")
    dt, back = timed(lambda: find_change(loop, register, backward=True, equals=5))
    print(f"register loop: backward to register == 5: {dt * 1000:.0f} ms (step {back.step:,})")
    dt, o = timed(lambda: origin(loop, register))
    print(f"register loop: origin of the register: {dt * 1000:.1f} ms, {len(o.links)} links, "
          f"{o.links[-1].kind}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", default="1000000,10000000", help="comma-separated history lengths")
    args = parser.parse_args()
    for k, steps in enumerate(int(s) for s in args.steps.split(",")):
        bench(steps, exact=k == 0)


if __name__ == "__main__":
    main()
