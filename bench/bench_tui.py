"""TUI speed on the large contract: first frame, and the time a step takes to show.

Drives the app headlessly (``App.run_test``): loads ``shared/conformance/large/contract.mexe``
(~76,000 instructions), then builds a data stack of 5,000 values and measures single steps (key press
to the panes refreshed, including Textual's own pause for the repaint).

    /work/venv/bin/python bench/bench_tui.py [PATH_TO_CONTRACT_MEXE]
    /work/venv/bin/python bench/bench_tui.py --help-screen     # ? to the help screen painted
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
DEFAULT = ROOT.parent / "shared" / "conformance" / "large" / "contract.mexe"


def _stack_program(depth: int):
    """A .s program that pushes ``depth`` values, then keeps stepping (for the deep-stack figure)."""
    from avm.formats.assembler import assemble

    lines = [f"    push {i}" for i in range(depth)] + ["loop:", "    push 1", "    pop", "    halt"]
    return assemble("\n".join(lines) + "\n", "deep.s")


class PaintTimer:
    """Adds up the time Textual spends painting (``Screen._compositor_refresh``)."""

    def __init__(self) -> None:
        from textual.screen import Screen

        self.total = 0.0
        original = Screen._compositor_refresh
        timer = self

        def timed(screen: Screen) -> None:
            start = time.perf_counter()
            original(screen)
            timer.total += time.perf_counter() - start

        Screen._compositor_refresh = timed  # type: ignore[method-assign]


async def time_steps(app, pilot, keys: list[str], paint: PaintTimer) -> tuple[list[float], list[float]]:
    """Per key: (key handled + panes updated + painted) wall time, and the work itself
    (handler + paint, without the waiting that Pilot adds)."""
    walls, works = [], []
    for key in keys:
        paint.total = 0.0
        start = time.perf_counter()
        handler = time.perf_counter()
        app.main.execute(app_command(key))
        await app.workers.wait_for_complete()      # every step runs in the run worker
        handler = time.perf_counter() - handler
        await pilot.pause()
        walls.append(time.perf_counter() - start)
        works.append(handler + paint.total)
    return walls, works


def app_command(key: str) -> str:
    return {"s": "step", "S": "step_back"}[key]


def report(label: str, walls: list[float], works: list[float]) -> None:
    print(f"  {label}: work (handler + paint) median {statistics.median(works) * 1000:5.1f} ms, "
          f"max {max(works) * 1000:5.1f} ms; wall incl. Pilot's pause median "
          f"{statistics.median(walls) * 1000:5.1f} ms")


async def measure(path: Path) -> None:
    os.environ.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp())
    import gc

    gc.disable()     # as open_tui does (paused_gc) from the imports to the app built
    t0, c0 = time.perf_counter(), time.process_time()
    from debugger.cli.tui import freeze_loaded_objects, prepare_session
    from debugger.tui.app import DebuggerApp

    t_imported, c_imported = time.perf_counter(), time.process_time()
    session, name = prepare_session(str(path))
    t_loaded, c_loaded = time.perf_counter(), time.process_time()
    app = DebuggerApp(session, program_name=name, persist_theme=False)
    freeze_loaded_objects()  # as open_tui does
    gc.enable()
    first_paint: list[float] = []
    from textual.screen import Screen

    original = Screen._compositor_refresh

    def mark(screen: Screen) -> None:
        original(screen)
        if not first_paint:
            first_paint.extend((time.perf_counter(), time.process_time()))

    Screen._compositor_refresh = mark  # type: ignore[method-assign]
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        Screen._compositor_refresh = original  # type: ignore[method-assign]
        t_frame, c_frame = first_paint
        print(f"contract.mexe: {len(session.program.code):,} instructions (in this process; wall, CPU)")
        print(f"  imports               {t_imported - t0:7.3f} s {c_imported - c0:7.3f} s")
        print(f"  load + session        {t_loaded - t_imported:7.3f} s {c_loaded - c_imported:7.3f} s")
        print(f"  app to first paint    {t_frame - t_loaded:7.3f} s {c_frame - c_loaded:7.3f} s")
        print(f"  first frame (total)   {t_frame - t0:7.3f} s {c_frame - c0:7.3f} s")
        paint = PaintTimer()
        walls, works = await time_steps(app, pilot, ["s"] * 30, paint)
        report("step on the 76k-line listing", walls, works)

    from debugger.engine.session import Session

    session = Session(_stack_program(5000))
    session.step_forward(5000)
    app = DebuggerApp(session, program_name="deep.s", persist_theme=False)
    freeze_loaded_objects()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        walls, works = await time_steps(app, pilot, ["s", "S"] * 15, paint)
        report(f"step/back with {len(session.machine.stack):,} stack values", walls, works)


async def measure_help(runs: int = 9) -> None:
    """Key (``?``) to the help screen painted (the end of the first compositor refresh that shows it,
    so Pilot's own pauses do not count), then Esc; the first opening builds the screen."""
    os.environ.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp())
    from textual.screen import Screen

    from debugger.cli.tui import prepare_session
    from debugger.tui.app import DebuggerApp
    from debugger.tui.screens.help import HelpScreen

    session, name = prepare_session(None)
    app = DebuggerApp(session, program_name=name, persist_theme=False)
    painted: list[tuple[float, float]] = []
    original = Screen._compositor_refresh

    def mark(screen: Screen) -> None:
        original(screen)
        if isinstance(screen, HelpScreen) and not painted:
            painted.append((time.perf_counter(), time.process_time()))

    Screen._compositor_refresh = mark  # type: ignore[method-assign]
    walls: list[float] = []
    cpus: list[float] = []
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            for _ in range(runs):
                painted.clear()
                wall, cpu = time.perf_counter(), time.process_time()
                await pilot.press("question_mark")
                while not painted:
                    await pilot.pause()
                walls.append(painted[0][0] - wall)
                cpus.append(painted[0][1] - cpu)
                await pilot.press("escape")
                await pilot.pause()
    finally:
        Screen._compositor_refresh = original  # type: ignore[method-assign]
    later, later_cpu = [w * 1000 for w in walls[1:]], [c * 1000 for c in cpus[1:]]
    print(f"help (?) to painted, {runs} openings: first {walls[0] * 1000:6.1f} ms wall, "
          f"{cpus[0] * 1000:.1f} ms CPU; then median {statistics.median(later):6.1f} ms wall "
          f"[{min(later):.1f}-{max(later):.1f}], {statistics.median(later_cpu):6.1f} ms CPU "
          f"[{min(later_cpu):.1f}-{max(later_cpu):.1f}]")


def tmux_first_frames(path: Path, rounds: int = 5) -> None:
    """The tmux figure as a user's install gives it (``pip install`` writes the bytecode cache), and, when
    this environment forbids the cache (``PYTHONDONTWRITEBYTECODE``, an editable checkout without
    ``__pycache__``), also as this environment gives it: every module is then compiled at each start."""
    import compileall
    import shutil

    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        for package in ("avm", "debugger"):   # the cache a previous figure wrote (gitignored) goes first
            for cache in (ROOT / package).rglob("__pycache__"):
                shutil.rmtree(cache, ignore_errors=True)
        print("  without a bytecode cache for avm/debugger (PYTHONDONTWRITEBYTECODE is set here):")
        tmux_first_frame(path, rounds)

    for package in ("avm", "debugger"):
        compileall.compile_dir(str(ROOT / package), quiet=1)
    print("  with the bytecode cache (as installed):")
    tmux_first_frame(path, rounds, env_prefix="env -u PYTHONDONTWRITEBYTECODE ")


def tmux_first_frame(path: Path, rounds: int = 5, env_prefix: str = "") -> None:
    """Process start to the first full screen in a real terminal (the installed avm-debug in tmux, on a
    private tmux server), ``rounds`` times: median [min-max] wall, and the CPU time the avm-debug process
    had used when the screen was seen (from /proc: an upper bound, read just after the frame; on a
    loaded machine the wall time mostly measures the other processes)."""
    import shutil
    import subprocess
    import uuid

    tmux, script = shutil.which("tmux"), Path(sys.executable).with_name("avm-debug")
    if tmux is None or not script.exists():
        print("  (tmux or the avm-debug script missing: no real-terminal figure)")
        return
    server = [tmux, "-L", f"bench-{uuid.uuid4().hex[:8]}", "-f", "/dev/null"]
    config = tempfile.mkdtemp()
    walls: list[float] = []
    cpus: list[float] = []
    try:
        # a session that stays: killing the only one would stop the server while the next one starts
        subprocess.run([*server, "new-session", "-d", "-s", "keep", "sleep 600"], check=True)
        for i in range(rounds):
            name = f"frame{i}"
            start = time.perf_counter()
            subprocess.run([*server, "new-session", "-d", "-s", name, "-x", "120", "-y", "36",
                            f"{env_prefix}XDG_CONFIG_HOME={config} {script} {path}; sleep 30"], check=True)
            while True:
                screen = subprocess.run([*server, "capture-pane", "-t", name, "-p"], capture_output=True,
                                        text=True).stdout
                if "^p palette" in screen:
                    walls.append(time.perf_counter() - start)
                    cpu = _process_cpu(server, name)
                    if cpu is not None:
                        cpus.append(cpu)
                    break
                if time.perf_counter() - start > 30:
                    print("  real terminal: no frame after 30 s")
                    return
                time.sleep(0.01)
            subprocess.run([*server, "kill-session", "-t", name], capture_output=True)
    finally:
        subprocess.run([*server, "kill-server"], capture_output=True)
    print(f"  first frame in tmux (process start to screen, {rounds} runs): median "
          f"{statistics.median(walls):.3f} s [{min(walls):.3f}-{max(walls):.3f}] wall")
    if cpus:
        print(f"  its CPU time (the avm-debug process at the frame): median {statistics.median(cpus):.3f} s "
              f"[{min(cpus):.3f}-{max(cpus):.3f}]")


def _process_cpu(server: list[str], session: str) -> float | None:
    """User + system CPU seconds of the python process under the pane's shell (None if not found)."""
    import subprocess

    shell = subprocess.run([*server, "display-message", "-p", "-t", session, "#{pane_pid}"],
                           capture_output=True, text=True).stdout.strip()
    try:
        children = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
        total = 0.0
        for pid in children or [shell]:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total
    except (OSError, ValueError, IndexError):
        return None


def main() -> None:
    if "--help-screen" in sys.argv:
        asyncio.run(measure_help())
        return
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not path.is_file():
        sys.exit(f"contract not found: {path}")
    asyncio.run(measure(path))
    tmux_first_frames(path)


if __name__ == "__main__":
    main()
