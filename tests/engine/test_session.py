"""Run control: every command, every stop reason, every breakpoint kind, watches, interrupts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from interrupts import interrupt_in_worker
from machine_builders import COUNT_FOREVER, machine_at

from avm.core.machine import Machine, Status
from avm.core.program import Program
from avm.core.values import Tuple, values_equal
from avm.errors import UserError
from avm.formats.assembler import assemble
from avm.formats.mexe import load_mexe, program_from_json
from debugger.engine.loading import load_program
from debugger.engine.session import OutputEvent, Session, Stop, StopReason
from debugger.resources import samples_dir

COUNT = """
; count from 0 to N, logging every 10th value
.const N = 50
.static (@loop)
    push 0
loop:
    add 1
    dup0
    eq N
    iszero
    spush
    tget 0
    cjump
    halt
"""
# instruction indices in COUNT
LOOP, DUP, EQ, HALT = 1, 2, 3, 8
STEPS_PER_PASS = 7
TOTAL = 1 + STEPS_PER_PASS * 50 + 1



def fresh_hash(program: Program, step: int, inbox: list | None = None) -> bytes:
    return machine_at(program, step, inbox).machine_hash()


def sample(name: str) -> Program:
    return load_program(samples_dir() / name)


@pytest.fixture()
def count() -> Session:
    return Session(assemble(COUNT), history_interval=16)


# ---------------------------------------------------------------------- stepping and travel
def test_step_forward_back_and_count_prefixes(count: Session) -> None:
    program = count.program
    stop = count.step_forward()
    assert stop == Stop(StopReason.STEP, "1 step", 1) and count.step == 1
    stop = count.step_forward(40)
    assert stop.reason is StopReason.STEP and count.step == 41 == count.history_end
    assert count.machine.machine_hash() == fresh_hash(program, 41)
    stop = count.step_back(5)
    assert stop.reason is StopReason.STEP and count.step == 36
    assert count.machine.machine_hash() == fresh_hash(program, 36)
    assert count.history_end == 41                      # going back keeps the future
    count.step_forward(5)
    assert count.machine.machine_hash() == fresh_hash(program, 41)
    stop = count.step_back(100)
    assert stop.reason is StopReason.START_OF_HISTORY and count.step == 0
    assert count.step_back().reason is StopReason.START_OF_HISTORY


def test_goto_backward_forward_and_beyond_the_end(count: Session) -> None:
    count.step_forward(100)
    assert count.goto(37) == Stop(StopReason.TARGET, "at step 37", 37)
    assert count.machine.machine_hash() == fresh_hash(count.program, 37)
    assert count.goto(90).step == 90
    stop = count.goto(250)                               # beyond the recorded end: runs there
    assert stop.reason is StopReason.TARGET and count.step == count.history_end == 250
    assert count.machine.machine_hash() == fresh_hash(count.program, 250)
    stop = count.goto(10**9)                             # the machine halts first
    assert stop.reason is StopReason.HALTED and count.step == TOTAL
    assert count.goto(0).reason is StopReason.START_OF_HISTORY


def test_continue_to_halt_and_again(count: Session) -> None:
    stop = count.continue_()
    assert stop.reason is StopReason.HALTED and stop.step == TOTAL
    assert count.machine.status == Status.HALTED
    assert count.continue_().reason is StopReason.HALTED
    assert count.step_forward().reason is StopReason.HALTED
    assert count.step == TOTAL


def test_restart_keeps_or_drops_the_history() -> None:
    session = Session.load(samples_dir() / "inbox.s")
    session.continue_()
    end = session.history_end
    stop = session.restart()
    assert stop.reason is StopReason.START_OF_HISTORY and session.step == 0
    assert session.history_end == end
    one = [session.program.inbox[0]]
    session.restart(inbox=one)
    assert session.history_end == 0 and session.outputs[-1].kind == "stop"
    stop = session.continue_()
    assert stop.reason is StopReason.BLOCKED
    assert session.machine.inbox_count == 1


# ---------------------------------------------------------------------- breakpoints
def test_instruction_breakpoint_hits_forward_and_backward(count: Session) -> None:
    bp = count.breakpoints.add("loop")
    stop = count.continue_()
    assert stop.reason is StopReason.BREAKPOINT and stop.breakpoint == bp.number
    assert count.step == 1 and count.machine.pc is count.program.code[LOOP]
    assert count.continue_().step == 1 + STEPS_PER_PASS       # its own instruction runs first
    assert count.continue_().step == 1 + 2 * STEPS_PER_PASS
    assert bp.hits == 3
    stop = count.reverse_continue()
    assert stop.reason is StopReason.BREAKPOINT and stop.step == 1 + STEPS_PER_PASS
    assert count.machine.machine_hash() == fresh_hash(count.program, stop.step)
    assert count.reverse_continue().step == 1
    stop = count.reverse_continue()
    assert stop.reason is StopReason.START_OF_HISTORY and count.step == 0
    count.breakpoints.enable(bp.number, False)
    assert count.continue_().reason is StopReason.HALTED


def test_breakpoint_condition_and_one_shot(count: Session) -> None:
    bp = count.breakpoints.add("loop if top == 20")
    stop = count.continue_()
    assert stop.breakpoint == bp.number and count.machine.stack[-1] == 20
    once = count.breakpoints.add(f"{EQ}", one_shot=True)
    stop = count.continue_()
    assert stop.breakpoint == once.number and count.machine.pc.index == EQ
    assert once.number not in [b.number for b in count.breakpoints.list()]
    assert count.continue_().reason is StopReason.HALTED


def test_opcode_breakpoint(count: Session) -> None:
    bp = count.breakpoints.add("op eq")
    stop = count.continue_()
    assert stop.breakpoint == bp.number and count.machine.pc.index == EQ and count.step == 3
    count.continue_()
    stop = count.reverse_continue()
    assert stop.step == 3


def test_opcode_breakpoint_on_run_time_code() -> None:
    # pushinsn builds a 'nop' codepoint outside the listing; the per-step path must see it
    session = Session(assemble("errcodepoint\npushinsn 0x3b\njump\n"))
    bp = session.breakpoints.add("op nop")
    stop = session.continue_()
    assert stop.breakpoint == bp.number and session.machine.pc.index == -1
    assert session.machine.pc.op == 0x3B


def test_condition_breakpoint_is_edge_triggered(count: Session) -> None:
    bp = count.breakpoints.add("when top > 45")
    stop = count.continue_()
    assert stop.reason is StopReason.BREAKPOINT and stop.breakpoint == bp.number
    assert count.machine.stack[-1] == 46
    # it stays true (apart from the flag pushes) and becomes true again after each 'eq'/'iszero'
    steps = [count.continue_().step for _ in range(3)]
    assert steps == sorted(steps) and len(set(steps)) == 3
    back = count.reverse_continue()
    assert back.step == steps[1] and back.breakpoint == bp.number
    count.breakpoints.delete(bp.number)
    gas = count.breakpoints.add("when gas_used >= 100")
    count.goto(0)
    stop = count.continue_()
    assert stop.breakpoint == gas.number and count.machine.gas_used >= 100
    assert count.state_at(stop.step - 1).gas_used < 100


def test_event_breakpoints_log_error_send_halt() -> None:
    session = Session(sample("inbox.s"))
    log_bp = session.breakpoints.add("log")
    stop = session.continue_()
    assert stop.breakpoint == log_bp.number
    assert session.outputs[-2].kind == "log" and session.outputs[-2].step == stop.step
    session.breakpoints.delete(log_bp.number)
    send_bp = session.breakpoints.add_event("send")
    stop = session.continue_()
    assert stop.breakpoint == send_bp.number and session.machine.send_count == 1
    halt_bp = session.breakpoints.add_event("halt")
    session.breakpoints.delete(send_bp.number)
    stop = session.continue_()
    assert stop.breakpoint == halt_bp.number and session.machine.status == Status.HALTED

    errors = Session(sample("errors.s"))
    err_bp = errors.breakpoints.add("error")
    stop = errors.continue_()
    assert stop.breakpoint == err_bp.number
    assert errors.machine.pc.index == errors.breakpoints.resolve_location("div_failed")[0]
    assert errors.continue_().breakpoint == err_bp.number
    third = errors.continue_()
    assert third.breakpoint == err_bp.number
    back = errors.reverse_continue()
    assert back.breakpoint == err_bp.number and back.step < third.step
    assert [e.kind for e in errors.outputs if e.kind == "error"] == ["error", "error"]


def test_error_stop_and_blocked_inbox() -> None:
    session = Session(assemble("push 0\npush 1\ndiv\nhalt\n"))
    stop = session.continue_()
    assert stop.reason is StopReason.ERROR_STOP and session.machine.status == Status.ERRORSTOP
    assert session.continue_().reason is StopReason.ERROR_STOP
    error = [e for e in session.outputs if e.kind == "error"]
    assert len(error) == 1 and error[0].index == 2 and "no handler" in error[0].detail

    blocked = Session(assemble("inbox\nlog\ninbox\nhalt\n"), inbox=[7])
    stop = blocked.continue_()
    assert stop.reason is StopReason.BLOCKED and blocked.step == 2
    assert blocked.continue_().reason is StopReason.BLOCKED
    blocked.add_messages([Tuple((1, 2))])
    assert blocked.continue_().reason is StopReason.HALTED
    assert values_equal(blocked.machine.stack[-1], Tuple((1, 2)))


def test_breakpoint_opcode_and_compiled_breakpoints(conformance_dir: Path) -> None:
    session = Session(load_mexe(conformance_dir / "executables" / "opcodetesttuple.mexe"))
    stop = session.continue_()
    assert stop.reason is StopReason.BREAKPOINT_OPCODE
    assert session.state_at(stop.step - 1).pc.op == 0x60
    assert session.continue_().reason is StopReason.HALTED
    quiet = Session(load_mexe(conformance_dir / "executables" / "opcodetesttuple.mexe"))
    quiet.stop_on_compiled = False
    assert quiet.continue_().reason is StopReason.HALTED

    compiled = Session(assemble("push 1\n.break\npop\npush 2\n.break\npop\nhalt\n"))
    stop = compiled.continue_()
    assert stop.reason is StopReason.COMPILED_BREAKPOINT and compiled.machine.pc.index == 1
    assert compiled.continue_().step == 3
    assert compiled.reverse_continue().step == 1


def test_compiled_breakpoint_from_compiler_output(conformance_dir: Path) -> None:
    path = conformance_dir / "arbos-tests" / "looptest_upgrade2_base.mexe"
    doc = json.loads(path.read_text())
    doc["code"][3]["debug_info"]["attributes"]["breakpoint"] = True
    program = program_from_json(doc)
    assert program.compiled_breakpoints == {3}
    session = Session(program)
    stop = session.continue_()
    assert stop.reason is StopReason.COMPILED_BREAKPOINT and session.machine.pc.index == 3


def test_step_limit(count: Session) -> None:
    count.run_limit = 100
    stop = count.continue_()
    assert stop.reason is StopReason.STEP_LIMIT and count.step == 100
    count.run_limit = None
    assert count.continue_().reason is StopReason.HALTED


# ---------------------------------------------------------------------- watches
def test_watches_stop_on_change_both_ways() -> None:
    session = Session(assemble(COUNT_FOREVER), history_interval=32)
    w = session.watches.add("register")
    stop = session.continue_()
    assert stop.reason is StopReason.WATCH and stop.watch == w.number
    assert session.machine.register == 1 and "register" in stop.detail
    assert session.continue_().step == stop.step + 6
    assert session.machine.register == 2
    back = session.reverse_continue()
    assert back.step == stop.step and back.watch == w.number
    assert session.reverse_continue().reason is StopReason.START_OF_HISTORY
    session.watches.delete(w.number)
    slot = session.watches.add("s0")
    first = session.continue_()
    assert first.watch == slot.number and first.step == 1
    assert w.hits == 3 and slot.hits == 1


def test_watch_sees_a_change_made_by_an_output_step() -> None:
    # 'inbox' both changes the stack top and produces an output event on the same step
    session = Session(assemble("inbox\ninbox\nhalt\n"), inbox=[7, 8])
    w = session.watches.add("s0")
    stop = session.continue_()
    assert (stop.reason, stop.step, stop.watch) == (StopReason.WATCH, 1, w.number)
    assert stop.detail == "s0: absent -> 7 (0x7)"
    assert session.continue_().step == 2
    assert [e.value for e in session.outputs if e.kind == "inbox"] == [7, 8]


# ---------------------------------------------------------------------- run to, over, out
def test_run_to_forward_and_backward(count: Session) -> None:
    stop = count.run_to(HALT)
    assert stop.reason is StopReason.TARGET and count.machine.pc.index == HALT
    back = count.run_to(EQ, -1)               # back to the previous time EQ ran: the last pass
    assert back.reason is StopReason.TARGET and count.machine.pc.index == EQ
    assert back.step == TOTAL - 1 - 5
    assert count.run_to(EQ, direction=-1).step == back.step - STEPS_PER_PASS
    assert count.run_to(0, direction=-1).reason is StopReason.TARGET and count.step == 0
    count.breakpoints.add(f"{EQ}")
    assert count.run_to(HALT).reason is StopReason.BREAKPOINT


def calls_positions(session: Session) -> dict[str, int]:
    return {name: idx for idx, name in session.program.labels.items()}


def test_step_over_and_back_over_calls() -> None:
    session = Session(sample("calls.s"), history_interval=8)
    labels = calls_positions(session)
    session.step_forward(2)                    # at 'jump @square'
    call_step = session.step
    stop = session.step_over()
    assert stop.reason is StopReason.STEP and session.machine.pc.index == labels["ret1"]
    assert session.machine.stack[-1] == 49 and len(session.machine.aux) == 0
    back = session.step_over_back()
    assert back.step == call_step and "call" in back.detail
    assert session.step_over_back().step == call_step - 1
    # recursion: stepping over the call to fact lands after it returned from every level
    session.run_to(labels["ret3"] - 1)
    stop = session.step_over()
    assert session.machine.pc.index == labels["ret3"] and session.machine.stack[-1] == 120
    assert session.step_over().reason is StopReason.HALTED
    # a breakpoint inside the callee stops a step over
    session.goto(call_step)
    bp = session.breakpoints.add("square")
    assert session.step_over().breakpoint == bp.number


def test_step_out_and_back() -> None:
    session = Session(sample("calls.s"), history_interval=8)
    labels = calls_positions(session)
    session.breakpoints.add("fact_base")
    session.continue_()
    depth = len(session.machine.aux)
    stop = session.step_out()
    assert stop.reason is StopReason.STEP and session.machine.pc.index == labels["fact_ret"]
    assert len(session.machine.aux) == depth - 1
    out_step = session.step
    back = session.step_out_back()
    assert back.reason is StopReason.STEP and session.machine.pc.op == 0x34      # the calling jump
    assert back.step < out_step
    session.goto(out_step)
    for _ in range(depth - 1):
        session.step_out()
    assert session.machine.pc.index == labels["ret3"] and session.machine.stack[-1] == 120
    # no codepoint on the aux stack: run until the aux stack is shallower (here: never)
    assert session.step_out().reason is StopReason.HALTED


def test_step_out_without_codepoints_uses_the_aux_depth() -> None:
    session = Session(assemble("push 1\nauxpush\npush 2\nauxpush\nauxpop\nauxpop\nhalt\n"))
    session.step_forward(4)
    stop = session.step_out()
    assert stop.reason is StopReason.STEP and session.step == 5 and len(session.machine.aux) == 1
    assert stop.detail == "aux stack below depth 2"
    back = session.step_out_back()            # the latest step with the aux stack below depth 1
    assert back.step == 1 and len(session.machine.aux) == 0
    session.goto(1)
    assert session.step_out_back().reason is StopReason.START_OF_HISTORY


# ---------------------------------------------------------------------- interrupt
def test_interrupt_from_another_thread_leaves_a_consistent_state() -> None:
    session = Session(assemble(COUNT_FOREVER))
    stop = interrupt_in_worker(session, session.continue_, ready=lambda: session.machine.steps >= 20_000)
    assert stop.reason is StopReason.INTERRUPTED and stop.step == session.step > 0
    assert session.history_end == session.step
    assert session.machine.machine_hash() == fresh_hash(session.program, session.step)
    # the session works on from there, and an old interrupt does not stop the next command
    assert session.step_forward(3).reason is StopReason.STEP


def test_interrupt_stops_a_per_step_run_too() -> None:
    session = Session(assemble(COUNT_FOREVER))
    session.breakpoints.add("when register == 0")      # never true: per-step checks forever
    stop = interrupt_in_worker(session, session.continue_, ready=lambda: session.machine.steps >= 2_000)
    assert stop.reason is StopReason.INTERRUPTED
    assert session.machine.machine_hash() == fresh_hash(session.program, session.step)


# ---------------------------------------------------------------------- outputs
def test_outputs_follow_time_travel() -> None:
    session = Session(sample("inbox.s"))
    session.continue_()
    kinds = [e.kind for e in session.outputs]
    assert kinds.count("inbox") == 2 and kinds.count("log") == 2 and kinds.count("send") == 2
    assert kinds[-1] == "stop"
    program_events = [e for e in session.outputs if e.kind != "stop"]
    for e in program_events:
        assert isinstance(e, OutputEvent)
        assert session.program.code[e.index].op == {"inbox": 0x72, "log": 0x61, "send": 0x70}[e.kind]
    first_send = next(e for e in program_events if e.kind == "send")
    assert first_send.value == b"hello"
    session.goto(first_send.step - 1)
    assert all(e.step <= first_send.step - 1 for e in session.outputs)
    assert first_send not in session.outputs
    session.goto(first_send.step)
    assert first_send in session.outputs
    session.continue_()                       # replaying the recorded part adds no duplicates
    assert [e.kind for e in session.outputs].count("send") == 2


def test_debugprint_outputs_and_edit_state_branches() -> None:
    session = Session(assemble("push 5\ndebugprint\npush 6\ndebugprint\nhalt\n"))
    session.continue_()
    prints = [e for e in session.outputs if e.kind == "debugprint"]
    assert [(e.step, e.value, e.index) for e in prints] == [(2, 5, 1), (4, 6, 3)]
    session.goto(3)

    def change(m: Machine) -> None:
        m.stack[-1] = 99

    session.gas_profile(4)
    session.edit_state(change)
    assert session.profile_cache is None
    assert session.history_end == 3
    assert [e.value for e in session.outputs if e.kind == "debugprint"] == [5]
    session.continue_()
    assert [e.value for e in session.outputs if e.kind == "debugprint"] == [5, 99]
    session.goto(1)
    session.goto(4)
    assert session.machine.machine_hash() == session.state_at(4).machine_hash()


def test_proof_for_step_matches_the_reference(conformance_dir: Path) -> None:
    name = "opcodetestmath.mexe"
    session = Session(load_mexe(conformance_dir / "executables" / name))
    reference = json.loads((conformance_dir / "proofs" / f"{name}-proofs.json").read_text())
    session.continue_()
    for step in (0, 3, len(reference) - 1):
        entry = session.proof_for_step(step)
        assert entry["Proof"] == reference[step]["Proof"]
        assert entry["Assertion"]["beforeState"]["machineHash"] == \
            reference[step]["Assertion"]["beforeState"]["machineHash"]
        assert entry["Assertion"]["afterState"]["machineHash"] == \
            reference[step]["Assertion"]["afterState"]["machineHash"]
    with pytest.raises(UserError):
        session.proof_for_step(session.step)          # halted: no next step
