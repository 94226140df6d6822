"""``:dump FILE`` writes what the name promises (issue 18, item 13): ``state.json`` is one JSON document of
the current state, ``trace.jsonl`` the trace as JSON Lines."""

from __future__ import annotations

import json
from pathlib import Path

from avm.core.values import value_hash
from avm.formats.assembler import assemble
from avm.formats.mexe import value_from_json
from debugger.engine.dump import MAX_VALUE_NODES, state_document, write_dump
from debugger.engine.session import Session

PROGRAM = """
.const T0 = 1
.const T1 = (T0, T0, T0, T0, T0, T0, T0, T0)
.const T2 = (T1, T1, T1, T1, T1, T1, T1, T1)
.const T3 = (T2, T2, T2, T2, T2, T2, T2, T2)
.const T4 = (T3, T3, T3, T3, T3, T3, T3, T3)
.const T5 = (T4, T4, T4, T4, T4, T4, T4, T4)
    push (1, (2, [ab]))
    push @later
    push T5
    rset
    push 7
    auxpush
later:
    halt
"""


def _session(steps: int) -> Session:
    session = Session(assemble(PROGRAM, "dump.s"))
    session.goto(steps)
    return session


def test_a_json_name_gets_one_document_of_the_current_state(tmp_path: Path) -> None:
    session = _session(6)
    out = tmp_path / "state.json"
    message = write_dump(session, out)
    doc = json.loads(out.read_text())                # one document, not lines
    assert "state at step 6" in message
    assert doc["step"] == 6 and doc["status"] == "running"
    assert doc["machine_hash"] == "0x" + session.machine.machine_hash().hex()
    m = session.machine
    top = value_from_json(doc["stack"][1], session.program)
    assert value_hash(top) == value_hash(m.stack[-2])
    assert doc["stack"][0] == {"CodePoint": {"Internal": 6}}
    assert doc["aux_stack"] == [{"Int": "7"}]
    assert doc["register"]["hash"] == "0x" + value_hash(m.register).hex()     # 8**5 leaves: summarized
    assert 8 ** 5 > MAX_VALUE_NODES


def test_a_jsonl_name_gets_the_trace(tmp_path: Path) -> None:
    session = _session(7)
    out = tmp_path / "trace.jsonl"
    message = write_dump(session, out)
    lines = out.read_text().splitlines()
    assert "JSON Lines" in message
    records = [json.loads(line) for line in lines]
    assert [r["step"] for r in records] == list(range(len(records)))
    assert state_document(session)["status"] == "halted"
