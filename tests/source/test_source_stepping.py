"""Source stepping on the compiled arbos-tests programs: by line forward and back, over calls, out of
functions; file:line breakpoints, global names in watches and conditions; the source call stack."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from arbos_programs import PROGRAMS

from avm.core.machine import Status
from avm.errors import UserError
from debugger.engine.session import Session, StopReason
from debugger.engine.source_map import source_call_stack


def line_events(session: Session) -> list[tuple[int, str]]:
    """(step, file:line) of every state where the next instruction is located on another line than
    the previous located one: a plain replay of the whole run, one instruction at a time."""
    smap = session.source_map
    m = session.state_at(0)
    code = session.program.code
    events, last = [], None
    while True:
        i = m.pc.index
        if 0 <= i < len(code) and code[i] is m.pc and smap.line_id(i) >= 0:
            if smap.line_id(i) != last:
                events.append((m.steps, smap.where(i)))
            last = smap.line_id(i)
        before = m.steps
        m.step()
        if m.steps == before or m.status != Status.EXTENSIVE:
            return events


def walk(session: Session, how: str, backward: bool = False) -> list[tuple[int, str]]:
    seen = []
    while True:
        stop = session.source_step(how, backward)
        if stop.reason is not StopReason.STEP:
            return seen
        seen.append((session.step, session.source_map.where(session.machine.pc.index)))


@pytest.mark.parametrize("name", PROGRAMS)
def test_stepping_by_line_visits_lines_in_order_and_back(name: str,
                                                         open_program: Callable[..., Session]) -> None:
    session = open_program(name, history_interval=4)      # many checkpoint segments to search
    forward = walk(session, "into")
    expected = line_events(session)
    assert forward == expected and forward
    end = session.step
    back = walk(session, "into", backward=True)
    assert session.step == 0 and session.last_stop.reason is StopReason.START_OF_HISTORY
    assert back == [e for e in reversed(expected) if e[0] < end]


def test_over_and_out_both_ways(open_program: Callable[..., Session]) -> None:
    session = open_program("looptest_upgrade2_base")
    smap = session.source_map
    # over: main's own lines only, the calls in between run to their end
    over = walk(session, "over")
    assert [w for _, w in over] == ["upgrade2_new.mini:10", "upgrade2_new.mini:13", "upgrade2_new.mini:18",
                                    "upgrade2_new.mini:24"]
    assert walk(session, "over", backward=True) == list(reversed(over))
    session.goto(0)
    for _ in range(4):                     # into main, remapGlobalsForUpgrade, set_newGlobal3_onUpgrade
        session.source_step("into")
    assert smap.text_at(session.machine.pc.index) == "return (17, 39);"
    stack = [f.describe() for f in source_call_stack(smap, session.machine)]
    assert stack[0] == "#0 set_newGlobal3_onUpgrade at impl2.mini:13"
    assert stack[1].startswith("#1 remapGlobalsForUpgrade at #") and stack[2].startswith("#2 main at #")
    inside = session.step
    stop = session.source_step("out")
    assert stop.detail == "returned to remapGlobalsForUpgrade at bridge2.mini:31"
    assert len(source_call_stack(smap, session.machine)) == 2
    session.goto(inside)
    stop = session.source_step("out", backward=True)
    assert stop.detail == "back to the caller remapGlobalsForUpgrade at bridge2.mini:26"
    assert session.step < inside
    session.source_step("out", backward=True)
    assert smap.function_of(session.machine.pc.index) == "main"
    with pytest.raises(UserError, match="main is the outermost function"):
        session.source_step("out")


def test_file_line_breakpoints_and_globals_in_conditions(open_program: Callable[..., Session]) -> None:
    session = open_program("upgradetests_upgrade1_old")
    bp = session.breakpoints.add("upgrade1_old.mini:16")
    stop = session.continue_()
    assert stop.reason is StopReason.BREAKPOINT and stop.breakpoint == bp.number
    assert session.source_map.text_at(session.machine.pc.index) == "-3s);"
    assert "upgrade1_old.mini:16" in bp.describe(session.program)
    session.breakpoints.clear()
    session.goto(0)
    session.breakpoints.add("when global1 == 5")
    assert session.continue_().reason is StopReason.BREAKPOINT
    assert session.source_map.where(session.machine.pc.index) == "upgrade1_old.mini:16"
    session.breakpoints.clear()
    session.goto(0)
    session.watches.add("global2")
    stop = session.continue_()          # global2 appears when main sets up the globals,
    stop = session.continue_()          # then changes to Some(-3s)
    assert stop.reason is StopReason.WATCH and stop.detail.startswith("global2:")
    assert session.reverse_continue().reason is StopReason.WATCH
    with pytest.raises(UserError, match="no code on upgrade1_old.mini:3"):
        session.breakpoints.add("upgrade1_old.mini:3")


def test_debugprint_outputs_line_up_with_their_source(open_program: Callable[..., Session]) -> None:
    expected_lines = {"upgradetests_upgrade1_new": [34], "looptest_upgrade2_base": [23],
                      "upgradetests_regcopy_new": [8, 9]}
    for name in expected_lines:
        session = open_program(name)
        smap = session.source_map
        session.continue_()
        prints = [o for o in session.outputs if o.kind == "debugprint"]
        assert prints
        for out in prints:
            module, line = smap.statement_line(out.index)
            assert "debugprint" in smap.file(module).lines[line - 1]
        assert [smap.statement_line(o.index)[1] for o in prints] == expected_lines[name]
