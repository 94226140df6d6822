"""Tuple sizes are 256-bit and wrap (issue 11, F3), as in the reference emulator (intx ``uint256_t``) and
``Value.sol`` (Solidity 0.6, unchecked): the machine never raises, and machine, proof exporter and
verifier agree on every step around the wrap."""

from __future__ import annotations

from avm.core.machine import Machine
from avm.core.values import MAX_INT, Tuple, value_hash
from avm.formats.assembler import assemble
from avm.proofs.export import can_prove, prove_and_step
from avm.proofs.verifier import verify_entry

# each pass doubles the size of the tuple on the stack: (t, t) has size 1 + 2 * size(t)
DOUBLING = """
.static (@loop)
    push (0, 0)
loop:
    dup0
    push (0, 0)
    tset 0
    tset 1
    spush
    tget 0
    jump
"""


def test_a_size_past_2_256_wraps() -> None:
    t = Tuple((0, 0))
    for _ in range(300):
        t = Tuple((t, t))
    expected = 3
    for _ in range(300):
        expected = 1 + 2 * expected
    assert t.size == expected % (1 << 256)
    assert t.size <= MAX_INT
    assert len(value_hash(t)) == 32


def test_machine_exporter_and_verifier_agree_across_the_wrap() -> None:
    program = assemble(DOUBLING, "doubling.s")
    machine = Machine.from_program(program)
    wrapped_at = None
    proved = 0
    while machine.steps < 2400:
        top = machine.stack[-1] if machine.stack else None
        near_wrap = isinstance(top, Tuple) and top.size > (1 << 250) or wrapped_at is not None
        if near_wrap and proved < 120:
            assert can_prove(machine) is None
            entry = prove_and_step(machine, machine.steps, "doubling.s")
            result = verify_entry(entry)
            assert result.ok, (machine.steps, result.reason)
            proved += 1
        else:
            machine.run(1)
        top = machine.stack[-1] if machine.stack else None
        if wrapped_at is None and isinstance(top, Tuple) and top.size < 1 << 200 and machine.steps > 1000:
            wrapped_at = machine.steps
    assert wrapped_at is not None
    assert proved >= 100
