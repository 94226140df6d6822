"""The Session's public building blocks for searches in other modules (scan_back, travel_to, record_stop,
clear_interrupt / take_interrupt), and the rule that no module outside session.py reaches into a
Session's private parts."""

from __future__ import annotations

import ast
from pathlib import Path

from loop_programs import counted_loop_source
from machine_builders import machine_at

import debugger
from avm.core.machine import Machine
from avm.formats.assembler import assemble
from debugger.engine.session import Session, Stop, StopReason

DEBUGGER_DIR = Path(debugger.__file__).resolve().parent
SESSION_NAMES = {"session", "sess"}          # how the code base names a Session object


def _private_session_uses(path: Path) -> list[str]:
    """``session._x`` / ``<obj>.session._x`` reads in one file, as ``file:line name``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or not node.attr.startswith("_") or node.attr.startswith("__"):
            continue
        owner = node.value
        name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) \
            else None
        if name in SESSION_NAMES:
            found.append(f"{path.name}:{node.lineno} {name}.{node.attr}")
    return found


def test_no_module_outside_session_py_uses_a_session_private() -> None:
    sources = [p for p in sorted(DEBUGGER_DIR.rglob("*.py")) if p != DEBUGGER_DIR / "engine" / "session.py"]
    assert len(sources) > 50, "the debugger package looks empty"
    offenders = [use for path in sources for use in _private_session_uses(path)]
    assert offenders == []


def _session() -> Session:
    session = Session(assemble(counted_loop_source(40)), history_interval=16)
    session.goto(200)
    return session


def test_interrupts_are_taken_once_and_cleared_when_a_command_begins() -> None:
    session = _session()
    assert not session.take_interrupt()
    session.interrupt()
    assert session.take_interrupt()
    assert not session.take_interrupt()            # used up
    session.interrupt()
    session.clear_interrupt()                      # meant for an earlier command
    assert not session.take_interrupt()


def test_travel_to_moves_without_a_stop_and_record_stop_keeps_one_line_per_stop() -> None:
    session = _session()
    last = session.last_stop
    session.travel_to(37)
    assert session.step == 37 and session.last_stop is last
    assert session.machine.machine_hash() == machine_at(session.program, 37).machine_hash()
    stops_before = sum(e.kind == "stop" for e in session.outputs)
    stop = Stop(StopReason.STEP, "by hand", 37)
    assert session.record_stop(stop) is stop and session.last_stop is stop
    assert stop.where == session.machine.pc.index
    assert session.record_stop(Stop(StopReason.STEP, "by hand again", 37)).detail == "by hand again"
    stops = [e for e in session.outputs if e.kind == "stop"]
    assert len(stops) == stops_before + 1 and stops[-1].value.detail == "by hand again"


def test_scan_back_hands_over_the_segments_latest_first() -> None:
    session = _session()
    seen: list[tuple[int, int, int]] = []

    def every(m: Machine, lo: int, hi: int) -> None:
        seen.append((m.steps, lo, hi))

    assert session.scan_back(100, every)
    assert [lo for _, lo, _ in seen] == sorted((lo for _, lo, _ in seen), reverse=True)
    assert all(steps == lo < hi for steps, lo, hi in seen)
    assert seen[0][2] == 99 and seen[-1][1] == session.history.start
    assert all(seen[i + 1][2] == seen[i][1] for i in range(len(seen) - 1))   # no gap, no overlap
    # it stops at the first segment whose scan answers, and says False after an interrupt
    calls: list[int] = []
    assert session.scan_back(100, lambda m, lo, hi: calls.append(lo) or 1)
    assert len(calls) == 1
    session.interrupt()
    assert not session.scan_back(100, every)
    assert not session.take_interrupt()            # the scan used the interrupt up
    assert session.step == 200                     # scanning never moves the session
