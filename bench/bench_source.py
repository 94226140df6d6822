"""Source-level debugging speed: opening a program with source mode on, and one source step.

* ``contract.mexe`` (~76,000 instructions, no debug info): load, session, source map and the first
  frame of the TUI with source mode on (headless ``App.run_test``), target < 1 s;
* a source step (into / over, forward and back) on the compiled arbos-tests programs, target < 50 ms
  (``contract.mexe`` has no source locations: there the step keys step by instruction).

    python bench/bench_source.py [SHARED_CONFORMANCE_DIR]
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "conformance"


def open_programs(conformance: Path) -> None:
    from debugger.engine.session import Session

    path = conformance / "large" / "contract.mexe"
    t0 = time.perf_counter()
    session = Session.load(path)
    loaded = time.perf_counter() - t0
    smap = session.source_map
    smap.warnings()
    mapped = time.perf_counter() - t0 - loaded
    print(f"contract.mexe: load + session {loaded * 1000:.0f} ms, source map {mapped * 1000:.1f} ms "
          f"({len(session.program.code):,} instructions, {len(smap.lines)} source lines)")
    arbos = conformance / "arbos-tests"
    asyncio.run(_first_frame(path, [], False))          # imports and caches warm
    for program, dirs in ((path, []), (arbos / "upgradetests_upgrade1_old.mexe", [str(arbos / "src")])):
        plain, _ = asyncio.run(_first_frame(program, dirs, False))
        first, shown = asyncio.run(_first_frame(program, dirs, True))
        print(f"{program.name}: TUI first frame {plain * 1000:.0f} ms; with source mode asked for "
              f"{first * 1000:.0f} ms (target < 1000 ms): {shown}")


async def _first_frame(path: Path, dirs: list[str], source_mode: bool) -> tuple[float, str]:
    """Seconds from loading to the first frame painted (after ``m``, source mode, when asked for), and
    what source mode said."""
    os.environ.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp())
    t0 = time.perf_counter()
    from debugger.cli.tui import prepare_session
    from debugger.tui.app import DebuggerApp
    from debugger.tui.widgets.source_pane import SourcePane

    session, name = prepare_session(str(path), source_dirs=dirs)
    app = DebuggerApp(session, program_name=name)
    async with app.run_test(size=(160, 50)) as pilot:
        if source_mode:
            await pilot.press("v")                # source mode (m is for bookmarks)
        await pilot.pause()
        elapsed = time.perf_counter() - t0
        pane = app.screen.query_one(SourcePane)
        shown = f"source pane on {pane.border_title}" if app.screen.source_mode else \
            "no source locations: source mode refused with a message"
        return elapsed, shown


def source_steps(conformance: Path) -> None:
    from avm.core.values import Tuple
    from debugger.engine.session import Session

    arbos = conformance / "arbos-tests"
    old = Session.load(arbos / "upgradetests_upgrade1_old.mexe")
    old.continue_()
    register: Tuple = old.machine.register
    for name in ("upgradetests_upgrade1_old", "looptest_upgrade2_base"):
        for how in ("into", "over"):
            times_f, times_b = [], []
            for _ in range(5):
                s = Session.load(arbos / f"{name}.mexe")
                s.source_dirs = [str(arbos / "src")]
                if name.startswith("looptest"):
                    s.edit_state(lambda m: setattr(m, "register", register))
                s.source_map.warnings()
                while True:
                    t = time.perf_counter()
                    stop = s.source_step(how)
                    times_f.append(time.perf_counter() - t)
                    if stop.reason.value != "step":
                        break
                while True:
                    t = time.perf_counter()
                    stop = s.source_step(how, backward=True)
                    times_b.append(time.perf_counter() - t)
                    if stop.reason.value != "step":
                        break
            fwd, back = _ms(times_f), _ms(times_b)
            print(f"{name}: source step {how:<4} forward {fwd}; back {back} "
                  f"({len(times_f)} + {len(times_b)} steps; target < 50 ms)")


def _ms(times: list[float]) -> str:
    return f"median {statistics.median(times) * 1000:5.2f} ms max {max(times) * 1000:5.2f} ms"


def main() -> None:
    conformance = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    open_programs(conformance)
    source_steps(conformance)


if __name__ == "__main__":
    main()
