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


def open_contract(conformance: Path) -> None:
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
    first_frame = asyncio.run(_first_frame(path))
    if first_frame is not None:
        print(f"contract.mexe: TUI first frame with source mode on {first_frame * 1000:.0f} ms "
              "(target < 1000 ms)")


async def _first_frame(path: Path) -> float | None:
    os.environ.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp())
    t0 = time.perf_counter()
    from debugger.cli.tui import prepare_session
    from debugger.tui.app import DebuggerApp

    session, name = prepare_session(str(path))
    app = DebuggerApp(session, program_name=name)
    if not hasattr(app, "action_source_mode"):
        print("contract.mexe: (this build's TUI has no source mode yet: first frame not measured)")
        return None
    async with app.run_test(size=(160, 50)) as pilot:
        app.action_source_mode()
        await pilot.pause()
        return time.perf_counter() - t0


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
    open_contract(conformance)
    source_steps(conformance)


if __name__ == "__main__":
    main()
