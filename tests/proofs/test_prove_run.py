"""``prove_run`` makes proof entries one step at a time and ``write_entries`` streams them in exactly
the layout ``dumps_entries`` gives; ``Program.warm_hashes`` leaves hashes that proofs agree with."""

from __future__ import annotations

import io
import json
import types

from machine_builders import counted_loop_source

from avm.core.machine import Machine
from avm.formats.assembler import assemble
from avm.proofs.export import make_proof, prove_run
from avm.proofs.proof_file import dumps_entries, entries_from_json, write_entries, write_proofs
from avm.proofs.verifier import verify_entry


def test_prove_run_is_lazy_and_stops_at_the_limit() -> None:
    m = Machine.from_program(assemble(counted_loop_source(3)))
    entries = prove_run(m, 5, "loop.s")
    assert isinstance(entries, types.GeneratorType) and m.steps == 0   # nothing ran yet
    first = next(entries)
    assert m.steps == 1 and first.extras["step"] == 0
    rest = list(entries)
    assert len(rest) == 4 and m.steps == 5
    assert all(verify_entry(e).ok for e in [first, *rest])


def test_prove_run_stops_when_the_machine_does() -> None:
    m = Machine.from_program(assemble(counted_loop_source(2)))
    entries = list(prove_run(m, 10_000))
    assert m.status and len(entries) == m.steps


def test_streamed_file_equals_the_one_shot_layout(tmp_path) -> None:
    m = Machine.from_program(assemble(counted_loop_source(2)))
    reference = list(prove_run(m, 30, "loop.s"))
    out = io.StringIO()
    assert write_entries(out, iter(reference)) == len(reference)
    assert out.getvalue() == dumps_entries(reference) + "\n"
    path = tmp_path / "p.json"
    assert write_proofs(path, iter(reference)) == len(reference)
    assert path.read_text() == out.getvalue()
    assert entries_from_json(json.loads(path.read_text()))[3].proof == reference[3].proof
    empty = io.StringIO()
    assert write_entries(empty, []) == 0 and empty.getvalue() == "[]\n"


def test_warm_hashes_agree_with_lazy_hashing() -> None:
    source = counted_loop_source(4)
    warm, cold = assemble(source), assemble(source)
    warm.warm_hashes()
    assert all(cp._hash is not None for cp in warm.code)
    mw, mc = Machine.from_program(warm), Machine.from_program(cold)
    mw.run(7)
    mc.run(7)
    assert make_proof(mw).to_json() == make_proof(mc).to_json()
    warm.warm_hashes()  # idempotent
