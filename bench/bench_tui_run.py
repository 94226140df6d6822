"""``c`` inside the TUI next to the session engine's ``continue_`` (prints figures, asserts nothing).

Per program and round, interleaved: ``Session.continue_`` with ``run_limit`` steps on a fresh session
(no UI: the engine's speed), then the same ``c`` pressed in the app (``App.run_test``, 120x36, the
status line showing live progress), timed from the key's command (``execute("continue")``) to the
run's worker finished. CPU is the whole
process (the UI thread's share included); the ratio TUI/engine is taken on wall time, what a user
waits. The figure the issue asks for is a ratio of at least 0.95. Each run's ``run_limit`` is calibrated
to ``--seconds`` of engine time, so that the fixed cost of a key (start the worker, show the stop) weighs
as little as in a real long run.

    python bench/bench_tui_run.py [--seconds 2] [--rounds 5] [--programs add_2_1.mexe,hash_0_0.mexe]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Timing, bench_dir, header  # noqa: E402

from avm.core.program import Program  # noqa: E402
from avm.formats.mexe import load_mexe  # noqa: E402
from debugger.engine.session import Session  # noqa: E402


def engine_run(program: Program, steps: int) -> tuple[float, float, int]:
    session = Session(program)
    session.run_limit = steps
    c0, w0 = time.process_time(), time.perf_counter()
    session.continue_()
    return time.process_time() - c0, time.perf_counter() - w0, session.step


async def tui_run(program: Program, name: str, steps: int) -> tuple[float, float, int]:
    from debugger.tui.app import DebuggerApp

    session = Session(program)
    session.run_limit = steps
    app = DebuggerApp(session, program_name=name, persist_theme=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.main
        c0, w0 = time.process_time(), time.perf_counter()
        screen.execute("continue")               # what the c key's binding calls (Pilot's press would
        await app.workers.wait_for_complete()    # also wait for the screen to settle after the stop)
        cpu, wall = time.process_time() - c0, time.perf_counter() - w0
        while screen.runs.busy:                  # the worker's end reaches the screen
            await pilot.pause()
        assert session.step == steps, session.step
    return cpu, wall, session.step


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=2.0,
                    help="length of each run: run_limit is calibrated to this many engine seconds")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--programs", default="add_2_1.mexe,hash_0_0.mexe")
    args = ap.parse_args(argv)
    os.environ.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp())
    header(f"c in the TUI vs Session.continue_, runs of about {args.seconds:g} s, M steps/s")
    for name in args.programs.split(","):
        program = load_mexe(bench_dir() / name)
        engine, tui = Timing(), Timing()
        asyncio.run(tui_run(program, name, 10_000))     # warm caches and imports
        cpu, _, done = engine_run(program, 200_000)
        steps = max(10_000, int(done / cpu * args.seconds))
        print(f"   {name}: run_limit {steps:,}")
        for _ in range(args.rounds):
            engine.add(*engine_run(program, steps))
            tui.add(*asyncio.run(tui_run(program, name, steps)))
        ratio = sorted(t / e for t, e in zip(tui.rates("wall"), engine.rates("wall"), strict=True))
        ratio_cpu = sorted(t / e for t, e in zip(tui.rates("cpu"), engine.rates("cpu"), strict=True))
        print(f"   {name:20s} engine {engine.rate_text()}")
        print(f"   {'':20s} TUI c  {tui.rate_text()}")
        print(f"   {'':20s} TUI/engine wall median {statistics.median(ratio):.2f} [{ratio[0]:.2f}-"
              f"{ratio[-1]:.2f}], cpu {statistics.median(ratio_cpu):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
