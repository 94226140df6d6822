"""Issue 18 #6: Esc inside one long ``ecpairing`` abandons it between pairs (well within 0.5 s: a pair
takes about a fifth of a second) and leaves the machine exactly as before the instruction; without an
interrupt the pairing is the same as ever."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from avm.core import arith
from avm.core.machine import Machine
from avm.formats.assembler import assemble
from debugger.engine.session import Session, StopReason

G1 = "0x1, 0x2"
G2 = ("0x1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed, "
      "0x198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2, "
      "0x12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa, "
      "0x90689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b")


def pairing_program(pairs: int) -> str:
    """``push 5`` then an ecpairing of ``pairs`` generator pairs (as its immediate) then ``halt``."""
    operand = "()"
    for _ in range(pairs):
        operand = f"(({G1}, {G2}), {operand})"
    return f"    push 5\n    ecpairing {operand}\n    halt\n"


@pytest.fixture()
def pairs_run() -> Iterator[list[int]]:
    """Counts the pairs py_ecc computes (one Miller loop each)."""
    _, pairing = arith._bn()
    real = pairing.pairing
    calls: list[int] = []

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)

    pairing.pairing = counted
    try:
        yield calls
    finally:
        pairing.pairing = real


def snapshot(m: Machine) -> tuple[object, ...]:
    return m.machine_hash(), m.steps, m.gas, m.gas_used, m.pc.index, m.status, len(m.stack)


def test_esc_inside_an_eight_pair_ecpairing_abandons_it(pairs_run: list[int]) -> None:
    session = Session(assemble(pairing_program(8)))
    session.step_forward()                                    # push 5: now on the ecpairing
    before = snapshot(session.machine)
    started, esc_sent = threading.Event(), threading.Event()
    _, pairing = arith._bn()
    counting = pairing.pairing

    def first_pair_waits_for_esc(*args: object, **kwargs: object) -> object:
        started.set()
        esc_sent.wait(10)
        return counting(*args, **kwargs)

    pairing.pairing = first_pair_waits_for_esc
    stops: list[StopReason] = []
    worker = threading.Thread(target=lambda: stops.append(session.continue_().reason))
    worker.start()
    assert started.wait(10)
    session.interrupt()                                       # Esc, while the first pair is computed
    esc_sent.set()
    worker.join(30)
    assert not worker.is_alive()
    assert stops == [StopReason.INTERRUPTED]
    assert len(pairs_run) < 8, f"{len(pairs_run)} pairs computed after Esc"
    assert snapshot(session.machine) == before                # as before the instruction
    assert "abandoned" in (session.last_stop.detail if session.last_stop else "")
    pairing.pairing = counting
    assert session.continue_().reason is StopReason.HALTED   # and it can run again, completely


def test_an_uninterrupted_pairing_is_unchanged() -> None:
    program = assemble(pairing_program(2))
    plain = Machine.from_program(program)
    plain.run(10)
    session = Session(program)
    assert session.continue_().reason is StopReason.HALTED
    assert snapshot(session.machine) == snapshot(plain)
    assert session.machine.stack[-1] == 0                     # e(G, H)^2 is not the identity
