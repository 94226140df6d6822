"""EVM-beside-AVM speed figures (prints numbers, asserts nothing).

1. py-evm stepping with per-opcode capture on (``debugger.evm.runner.run_bytecode``), per step, next
   to py-evm alone on the same bytecode (``direct_run``), on the loop ``JUMPDEST PUSH1 1 PUSH1 2 ADD
   POP PUSH1 0 JUMP`` and on the stack_depth lesson (deep stack, shared stack cells);
2. opening each shipped lesson (both runs + marker stops) and moving marker to marker: latency of
   ``LessonRun.forward`` / ``back`` with both views rendered to data (median and max);
3. (``--screen``) the side-by-side screen's step latency: key press to repainted screen, Pilot.

    python bench/bench_evm.py                 # about 10 s
    python bench/bench_evm.py --gas 300000 --screen
"""

from __future__ import annotations

import argparse
import statistics
import time

from debugger.evm.lesson import load_lesson
from debugger.evm.pairing import LessonRun
from debugger.evm.runner import direct_run, run_bytecode
from debugger.resources import lesson_names, lesson_path

EVM_LOOP = bytes.fromhex("5b600160020150600056")
clock = time.process_time


def per_step(code: bytes, gas: int) -> tuple[int, float, float]:
    t0 = clock()
    run = run_bytecode(code, gas)
    captured = clock() - t0
    t0 = clock()
    direct_run(code, gas)
    bare = clock() - t0
    n = len(run.steps)
    return n, captured / n * 1e6, bare / n * 1e6


def bench_capture(gas: int) -> None:
    print("1. py-evm with capture vs py-evm alone (CPU time per executed opcode)")
    n, cap, bare = per_step(EVM_LOOP, gas)
    print(f"   loop, gas {gas:,}: {n:,} steps: capture {cap:.1f} us/step, py-evm alone {bare:.1f} us/step "
          f"(x{cap / bare:.1f})")
    lesson = load_lesson(str(lesson_path("stack_depth.lesson")))
    n, cap, bare = per_step(lesson.evm.code, lesson.gas)
    print(f"   stack_depth lesson (up to 1,024 items): {n:,} steps: capture {cap:.1f} us/step, "
          f"py-evm alone {bare:.1f} us/step (x{cap / bare:.1f})")


def bench_lessons() -> None:
    print("2. lessons: open (both runs, marker stops) and marker-to-marker moves with both views")
    for name in lesson_names():
        lesson = load_lesson(str(lesson_path(name)))
        t0 = time.perf_counter()
        run = LessonRun(lesson)
        opened = time.perf_counter() - t0
        times = []
        moves = 0
        while not run.at_end and moves < 300:
            t0 = time.perf_counter()
            run.forward()
            run.evm_view()
            run.avm_view()
            times.append(time.perf_counter() - t0)
            moves += 1
        for _ in range(min(moves, 300)):
            t0 = time.perf_counter()
            run.back()
            run.evm_view()
            run.avm_view()
            times.append(time.perf_counter() - t0)
        print(f"   {name:<22} open {opened * 1e3:7.1f} ms   move median {statistics.median(times) * 1e3:6.2f} ms"
              f"  max {max(times) * 1e3:6.2f} ms  ({len(times)} moves)")


def bench_screen() -> None:
    import asyncio

    from debugger.tui.screens.compare import CompareApp

    print("3. side-by-side screen: key press to repainted screen (Pilot, 120x40)")

    async def measure(name: str) -> list[float]:
        lesson = load_lesson(str(lesson_path(name)))
        app = CompareApp(LessonRun(lesson))
        times: list[float] = []
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            for key in ["n"] * 15 + ["b"] * 15:
                t0 = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                times.append(time.perf_counter() - t0)
        return times

    for name in ("push_add.lesson", "memory.lesson", "stack_depth.lesson"):
        times = asyncio.run(measure(name))
        print(f"   {name:<22} median {statistics.median(times) * 1e3:6.1f} ms  max {max(times) * 1e3:6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gas", type=int, default=200_000, help="gas for the loop (default 200,000)")
    parser.add_argument("--screen", action="store_true", help="also measure the screen's step latency")
    args = parser.parse_args()
    bench_capture(args.gas)
    bench_lessons()
    if args.screen:
        bench_screen()


if __name__ == "__main__":
    main()
