"""The recorded py-evm run: capture details, and agreement with py-evm run directly."""

from __future__ import annotations

import pytest

from debugger.evm.asm import assemble_evm
from debugger.evm.lesson import load_lesson
from debugger.evm.runner import FORK, MAX_STEPS, direct_run, run_bytecode
from debugger.resources import lesson_names, lesson_path


def _run(src: str, gas: int = 100_000):
    return run_bytecode(assemble_evm(src).code, gas)


def test_runs_on_a_current_fork():
    assert FORK == "prague"


def test_push_add_capture():
    run = _run("PUSH1 3\nPUSH1 5\nADD\n")
    assert [s.text for s in run.steps] == ["PUSH1 0x03", "PUSH1 0x05", "ADD", "STOP"]
    assert [s.pc for s in run.steps] == [0, 2, 4, 5]          # the implicit STOP after the code
    assert [st.stack for st in run.states] == [(), (3,), (3, 5), (8,), (8,)]
    assert [s.cost for s in run.steps] == [3, 3, 3, 0]
    assert run.success and run.outcome == "halt 8" and run.gas_used == 9


def test_memory_expansion_is_the_dynamic_part_of_the_cost():
    run = _run("PUSH1 0x2a\nPUSH0\nMSTORE\nPUSH1 7\nPUSH2 0x1000\nMSTORE8\nMSIZE\n")
    first, far = run.steps[2], run.steps[5]
    assert (first.mnemonic, first.static_cost, first.dynamic_cost) == ("MSTORE", 3, 3)
    words = 0x1020 // 32
    expansion = (3 * words + words * words // 512) - (3 * 1 + 1 // 512)
    assert (far.mnemonic, far.static_cost, far.dynamic_cost) == ("MSTORE8", 3, expansion)
    assert run.final.stack[-1] == 0x1020
    assert run.final.memory[31] == 0x2a and run.final.memory[0x1000] == 7


def test_storage_reads_and_writes():
    run = _run("PUSH1 5\nPUSH0\nSSTORE\nPUSH0\nSLOAD\n")
    store, load = run.steps[2], run.steps[4]
    assert store.storage_write == (0, 5) and store.cost == 22_100
    assert load.storage_read == (0, 5) and load.cost == 100
    assert run.states[2].storage == {} and run.states[3].storage == {0: 5}


def test_failures_have_a_reason_and_revert_undoes_storage():
    run = _run("PUSH1 1\nPUSH0\nSSTORE\nPUSH1 0x2a\nPUSH0\nMSTORE\nPUSH1 32\nPUSH0\nREVERT\n")
    assert not run.success and run.error == "REVERT" and run.outcome == "error"
    assert int.from_bytes(run.output, "big") == 0x2a
    assert run.final.storage == {}
    run = _run("loop:\nJUMPDEST\nPUSH0\nJUMP\n", gas=100)
    assert run.steps[-1].error.startswith("out of gas") and run.gas_used == 100
    run = _run("ADD\n")
    assert run.steps[-1].error.startswith("InsufficientStack")


def test_trace_is_bounded(monkeypatch):
    from avm.errors import UserError
    from debugger.evm import runner

    assert MAX_STEPS == 200_000
    monkeypatch.setattr(runner, "MAX_STEPS", 1_000)
    with pytest.raises(UserError, match="passed 1,000 steps"):
        _run("loop:\nJUMPDEST\nPUSH0\nJUMP\n", gas=12 * 1_000)


@pytest.mark.parametrize("name", lesson_names())
def test_lesson_evm_side_agrees_with_py_evm_run_directly(name):
    lesson = load_lesson(str(lesson_path(name)))
    run = run_bytecode(lesson.evm.code, lesson.gas)
    computation, state = direct_run(lesson.evm.code, lesson.gas)
    assert run.success == computation.is_success
    assert run.gas_used == computation.get_gas_used()
    assert run.output == computation.output
    if computation.is_success:
        stack = tuple(v if isinstance(v, int) else int.from_bytes(v, "big")
                      for v in computation._stack.values)
        assert run.final.stack == stack
        assert run.final.memory == bytes(computation._memory._bytes)
    from debugger.evm.runner import CONTRACT

    for slot in set(run.final.storage) | {0, 1}:
        assert run.final.storage.get(slot, 0) == state.get_storage(CONTRACT, slot)
