"""Every shipped sample assembles, runs to halt, and ends with the result its comments promise."""

from __future__ import annotations

import pytest

from avm.core.keccak import keccak256
from avm.core.machine import Event, Machine, Status
from avm.core.values import Buffer, CodePoint, Tuple, value_hash
from avm.formats.assembler import assemble
from debugger.engine.loading import load_program
from debugger.resources import sample_names, sample_path

MOD = 1 << 256


def neg(n: int) -> int:
    return (-n) % MOD


def plain(v: object) -> object:
    """Ints stay ints, tuples become Python tuples, buffers their bytes (for readable comparisons)."""
    if isinstance(v, Tuple):
        return tuple(plain(x) for x in v.items)
    if isinstance(v, Buffer):
        return ("buffer", v.to_bytes())
    if isinstance(v, CodePoint):
        return ("codepoint", v.index)
    return v


def run_sample(name: str, max_steps: int = 1_000_000):
    program = load_program(str(sample_path(name)))       # with its NAME.inbox.json, if any
    machine = Machine.from_program(program)
    seen: dict[str, list] = {"logs": [], "sends": [], "errors": []}

    def on_event(event: int, payload: object) -> None:
        if event & Event.LOG:
            seen["logs"].append(plain(payload))
        if event & Event.SEND:
            seen["sends"].append(bytes(payload))  # type: ignore[arg-type]
        if event & Event.ERROR:
            seen["errors"].append(payload)

    machine.on_event = on_event
    machine.run(max_steps)
    assert machine.status is Status.HALTED, (name, machine.last_error)
    return machine, seen


ROW = (0,) * 8
GRID = tuple((0, 0, 7, 0, 0, 0, 0, 0) if i == 5 else ROW for i in range(8))
KECCAKF_ZERO_LANES_0_3 = 0xBD1547306F80494DD598261EA65AA9EE84D5CCF933C0478AF1258F7940E1DDE7

EXPECTED = {
    "tour.s": ([1], [(0, 0, 20), 3, 2, 1, 0x48656C6C6F], []),
    "arithmetic.s": ([42, 98, neg(2), neg(6), 3, 1, 1024, neg(1), 5, 1, 0, 256, neg(16), 0x34], [], []),
    "loops.s": ([55, 1024], [], []),
    "tuples.s": ([8, GRID, 7, 200, (11, 12, 0)], [], []),
    "calls.s": ([193, 120], [], []),
    "registers.s": ([(3, 300), 3], [], []),
    "errors.s": ([1, 1], [], []),
    "gas.s": ([99, MOD - 2], [], []),
    "inbox.s": ([], [0xA11CE, 0xB0B], [b"hello", b"bye"]),
    "buffers.s": ([2, 0x0102030405060708, 0x7B, 0, 0xDEADBEEF << 224], [], []),
    "hashing.s": ([int.from_bytes(keccak256((1).to_bytes(32, "big")), "big"),
                   int.from_bytes(keccak256((1).to_bytes(32, "big") + (2).to_bytes(32, "big")), "big"),
                   int.from_bytes(value_hash(Tuple((1, 2))), "big"), 3, 1, 1], [42], []),
    "crypto.s": ([1, KECCAKF_ZERO_LANES_0_3, 1, 1, 1, 1], [], []),
    "long_loop.s": ([800020000], [], []),
    "l1_inbox.s": ([], [0, 3, 1, 3, 1 << 255, 3, 3, 6, 4, 3, 5, 6], [b"hello", b"world", b"from L1", b"bye"]),
}


def test_every_sample_has_an_expectation() -> None:
    names = sample_names()
    assert len(names) >= 12
    assert set(names) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_runs_to_halt_with_expected_result(name: str) -> None:
    stack, logs, sends = EXPECTED[name]
    machine, seen = run_sample(name)
    assert [plain(v) for v in machine.stack] == stack
    assert machine.aux == []
    assert seen["logs"] == logs
    assert seen["sends"] == sends
    assert machine.log_count == len(logs) and machine.send_count == len(sends)


def test_errors_sample_catches_three_errors() -> None:
    _, seen = run_sample("errors.s")
    assert len(seen["errors"]) == 3


def test_gas_sample_runs_out_of_gas_into_its_handler() -> None:
    machine, seen = run_sample("gas.s")
    assert len(seen["errors"]) == 1


def test_inbox_sample_reads_its_messages() -> None:
    machine, _ = run_sample("inbox.s")
    assert machine.inbox_count == 2 == len(machine.program.inbox)


def test_long_loop_runs_hundreds_of_thousands_of_steps() -> None:
    machine, _ = run_sample("long_loop.s")
    assert 300_000 <= machine.steps <= 500_000


def test_headers_and_lesson_notes() -> None:
    with_notes = []
    for name in sample_names():
        text = sample_path(name).read_text()
        header = text.split("\n\n", 1)[0]
        assert text.startswith(f"; {name} -- "), name
        assert "Shows:" in header and "EVM" in header, name
        program = assemble(text, name)
        if program.notes:
            with_notes.append(name)
    assert "tour.s" in with_notes
    assert len(with_notes) >= 5
    assert len(assemble(sample_path("tour.s").read_text()).notes) >= 15


def test_readme_lists_every_sample() -> None:
    readme = sample_path("README.md").read_text()
    for name in sample_names():
        assert f"`{name}`" in readme


def test_docs_example_runs() -> None:
    """The 'At a glance' example of docs/assembly.md assembles and does what its comments say."""
    from pathlib import Path

    doc = Path(__file__).resolve().parents[2] / "docs" / "assembly.md"
    example = doc.read_text().split("```asm\n", 1)[1].split("```", 1)[0]
    program = assemble(example, "counter.s")
    machine = Machine.from_program(program)
    logs: list = []
    machine.on_event = lambda event, payload: logs.append(payload) if event & Event.LOG else None
    machine.run(10_000)
    assert machine.status is Status.HALTED
    assert logs == [3, 2, 1]
    assert machine.stack == [0]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_survives_mexe_round_trip(name: str) -> None:
    """`avm-debug asm` output loads with the .mexe loader to the identical program."""
    import json

    from avm.formats.mexe import program_from_json
    from avm.formats.mexe_writer import dumps_mexe

    program = assemble(sample_path(name).read_text(), name)
    loaded = program_from_json(json.loads(dumps_mexe(program)), name + ".mexe")
    assert [value_hash(cp) for cp in loaded.code] == [value_hash(cp) for cp in program.code]
    assert value_hash(loaded.static) == value_hash(program.static)
    assert loaded.labels == program.labels
