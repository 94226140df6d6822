"""EVM-beside-AVM speed figures (prints numbers, asserts nothing).

1. py-evm stepping with per-opcode capture on (``debugger.evm.runner.run_bytecode``), per step, next
   to py-evm alone on the same bytecode (``direct_run``), on the loop ``JUMPDEST PUSH1 1 PUSH1 2 ADD
   POP PUSH1 0 JUMP`` and on the stack_depth lesson (deep stack, shared stack cells);
2. opening each shipped lesson (both runs + marker stops) and moving marker to marker: latency of
   ``LessonRun.forward`` / ``back`` with both views rendered to data (median and max);
3. (``--screen``) the side-by-side screen's step latency: key press to repainted screen, Pilot.

    python bench/bench_evm.py                 # about 10 s
    python bench/bench_evm.py --gas 300000 --screen
    python bench/bench_evm.py --screenshot docs/lesson_screenshot.svg   # README's picture, no figures
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
        med = statistics.median(times) * 1e3
        print(f"   {name:<22} open {opened * 1e3:7.1f} ms   move median {med:6.2f} ms"
              f"  max {max(times) * 1e3:6.2f} ms  ({len(times)} moves)")


def bench_screen() -> None:
    import asyncio

    from bench_tui import PaintTimer  # the same paint clock as the main screen's figures

    from debugger.tui.screens.compare import CompareApp

    print("3. side-by-side screen (Pilot, 150x45): per key, work = move in the worker + panes updated +")
    print("   Textual's paint; wall = key press to the screen repainted, including Pilot's own pause")
    paint = PaintTimer()

    async def measure(name: str) -> tuple[list[float], list[float]]:
        lesson = load_lesson(str(lesson_path(name)))
        app = CompareApp(LessonRun(lesson))
        walls: list[float] = []
        works: list[float] = []
        parts: list[tuple[float, float, float]] = []
        async with app.run_test(size=(150, 45)) as pilot:
            await pilot.pause()
            screen = app.screen
            original = screen.show
            shown = [0.0]

            def timed_show() -> None:
                t0 = time.perf_counter()
                original()
                shown[0] += time.perf_counter() - t0

            screen.show = timed_show  # type: ignore[method-assign]
            for n in [1] * 15 + [-1] * 15:
                paint.total = shown[0] = 0.0
                t0 = time.perf_counter()
                w0 = time.thread_time()
                screen.action_marker(n)
                await app.workers.wait_for_complete()
                moved = time.thread_time() - w0
                await pilot.pause()
                walls.append(time.perf_counter() - t0)
                works.append(moved + shown[0] + paint.total)
                parts.append((moved, shown[0], paint.total))
        print("   parts (median ms): move", round(statistics.median(p[0] for p in parts) * 1e3, 1),
              "panes", round(statistics.median(p[1] for p in parts) * 1e3, 1),
              "paint", round(statistics.median(p[2] for p in parts) * 1e3, 1))
        return walls, works

    for name in ("push_add.lesson", "memory.lesson", "stack_depth.lesson"):
        walls, works = asyncio.run(measure(name))
        work_ms = statistics.median(works) * 1e3
        print(f"   {name:<20} work median {work_ms:5.1f} ms, max {max(works) * 1e3:5.1f} ms;"
              f" wall median {statistics.median(walls) * 1e3:5.1f} ms")


def screenshot(output: str) -> None:
    """The side-by-side screen on the storage lesson, three markers in, wide layout."""
    import asyncio
    from pathlib import Path

    from debugger.tui.screens.compare import CompareApp

    async def shoot() -> None:
        app = CompareApp(LessonRun(load_lesson(str(lesson_path("storage.lesson")))))
        async with app.run_test(size=(150, 42)) as pilot:
            await pilot.pause()
            for _ in range(3):
                await pilot.press("n")
                await app.workers.wait_for_complete()
                await pilot.pause()
            path = Path(output).resolve()
            app.save_screenshot(filename=path.name, path=str(path.parent))
        print(f"wrote {output}")

    asyncio.run(shoot())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gas", type=int, default=200_000, help="gas for the loop (default 200,000)")
    parser.add_argument("--screen", action="store_true", help="also measure the screen's step latency")
    parser.add_argument("--screenshot", metavar="SVG", help="only write a screenshot of the lesson screen")
    args = parser.parse_args()
    if args.screenshot:
        screenshot(args.screenshot)
        return
    bench_capture(args.gas)
    bench_lessons()
    if args.screen:
        bench_screen()


if __name__ == "__main__":
    main()
