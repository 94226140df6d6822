"""The .mexe loader (hash chain, compiler debug info, errors with JSON paths) and the inbox loader."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from avm.core.buffer import Buffer
from avm.core.inbox import acc_of, load_inbox, messages_from_json, next_acc
from avm.core.keccak import ERRCP, ZERO32
from avm.core.machine import Machine
from avm.core.values import NONE, CodePoint, Tuple, value_hash
from avm.errors import UserError
from avm.formats.mexe import (
    ERROR_CODEPOINT_INDEX,
    load_mexe,
    program_from_json,
    value_from_json,
    value_to_json,
)


def test_hash_chain_and_initial_machine_hash(conformance_dir: Path) -> None:
    prog = load_mexe(conformance_dir / "executables" / "opcodehalt.mexe")
    assert len(prog.code) == 1 and prog.code[0].next is prog.error_codepoint
    assert prog.error_codepoint.index == 1 and value_hash(prog.error_codepoint) == ERRCP
    first = "dc207027f0fefccc361e5ed5bf81a9b2591d0858607f1535afc92441cd2fc149"
    assert value_hash(prog.code[0]).hex() == first
    assert Machine.from_program(prog).machine_hash().hex() == (
        "e1d76ea9329c344875b4ee1d146d48b01b134c4a25cae3d6c40b950f9de955ef")
    code = load_mexe(conformance_dir / "executables" / "opcodetestcode.mexe")
    assert code.code[0].imm is code.code[6]
    assert code.code[6].imm is code.error_codepoint


def test_compiler_output_debug_info(conformance_dir: Path) -> None:
    prog = load_mexe(conformance_dir / "arbos-tests" / "upgradetests_regcopy_old.mexe")
    loc = prog.locations[2]
    assert loc is not None and (loc.file, loc.line, loc.column) == ("regcopy_old", 4, 12)
    assert prog.locations[0] is None
    assert "regcopy_old" in prog.file_names.values()
    assert [(g.name, g.offset, g.type) for g in prog.globals[:2]] == [
        ("global1", 0, "Uint"), ("global2", 1, '{"Option":"Int"}')]
    assert prog.globals[0].location.line == 1
    labelled = load_mexe(conformance_dir / "executables" / "bufferopcodetest.mexe")
    assert labelled.labels[71] == "builtin_arrayNew"
    first = next(loc for loc in labelled.locations if loc is not None)
    assert first.file == "stdlib/bufferopcodetest.mini" and first.column == 1


def test_compiled_breakpoints_and_buffer_immediates(tmp_path: Path) -> None:
    doc = {"code": [{"opcode": 59, "immediate": {"Buffer": "00ff"},
                     "debug_info": {"location": None, "attributes": {"breakpoint": True}}},
                    {"opcode": {"AVMOpcode": 116}, "immediate": None}],
           "static_val": {"CodePoint": {"Internal": 1}}}
    path = tmp_path / "p.mexe"
    path.write_text(json.dumps(doc))
    prog = load_mexe(path)
    assert prog.compiled_breakpoints == {0}
    assert isinstance(prog.code[0].imm, Buffer) and prog.code[0].imm.get(1) == 0xFF
    assert prog.static is prog.code[1]
    assert prog.path == str(path)


def test_large_program_loads_fast(conformance_dir: Path) -> None:
    start = time.perf_counter()
    prog = load_mexe(conformance_dir / "large" / "contract.mexe")
    print(f"\ncontract.mexe: {len(prog.code)} instructions loaded in {time.perf_counter() - start:.2f} s")
    assert len(prog.code) > 70_000
    assert all(prog.code[i].index == i for i in range(0, len(prog.code), 997))


def _bad(tmp_path: Path, text: str) -> str:
    path = tmp_path / "bad.mexe"
    path.write_text(text)
    with pytest.raises(UserError) as info:
        load_mexe(path)
    message = str(info.value)
    assert str(path) in message and "\n" not in message
    return message


def test_loader_errors_name_the_file_and_json_path(tmp_path: Path) -> None:
    def prog(code: list, static: object = None) -> str:
        return json.dumps({"code": code, "static_val": static or {"Tuple": []}})

    with pytest.raises(UserError, match="no such file"):
        load_mexe(tmp_path / "missing.mexe")
    assert "not valid JSON" in _bad(tmp_path, '{"code": [')
    assert "expected a JSON object" in _bad(tmp_path, "[1, 2]")
    assert "code: missing" in _bad(tmp_path, '{"static_val": {"Tuple": []}}')
    assert "static_val: missing" in _bad(tmp_path, '{"code": []}')
    assert "code[0].opcode: unknown opcode number 256" in _bad(
        tmp_path, prog([{"opcode": 256, "immediate": None}]))
    assert "code[0].opcode: unknown opcode" in _bad(tmp_path, prog([{"opcode": "add", "immediate": None}]))
    assert "code[1].immediate.Tuple[1]: unknown immediate kind 'Float'" in _bad(
        tmp_path, prog([{"opcode": 59, "immediate": None},
                        {"opcode": 59, "immediate": {"Tuple": [{"Int": "1"}, {"Float": 1}]}}]))
    assert "out of range" in _bad(
        tmp_path, prog([{"opcode": 59, "immediate": {"CodePoint": {"Internal": 7}}}]))
    assert "later instruction" in _bad(
        tmp_path, prog([{"opcode": 59, "immediate": {"CodePoint": {"Internal": 0}}}]))
    assert "at most 8" in _bad(tmp_path, prog([{"opcode": 59, "immediate": {"Tuple": [{"Int": "1"}] * 9}}]))
    assert "bad hex" in _bad(tmp_path, prog([{"opcode": 59, "immediate": {"Int": "0x12"}}]))
    assert "bad hex" in _bad(tmp_path, prog([{"opcode": 59, "immediate": {"Int": "1" * 65}}]))
    assert "bad hex bytes" in _bad(tmp_path, prog([{"opcode": 59, "immediate": {"Buffer": "abc"}}]))
    assert "static_val.CodePoint.Internal" in _bad(tmp_path, prog([], {"CodePoint": {"Internal": 3}}))
    assert "instruction must be an object" in _bad(tmp_path, prog([5]))


def test_value_json_round_trip() -> None:
    doc = {"code": [{"opcode": 59, "immediate": None}, {"opcode": 116, "immediate": None}],
           "static_val": {"Tuple": []}}
    prog = program_from_json(doc)
    obj = {"Tuple": [{"Int": "ff"}, {"CodePoint": {"Internal": 1}}, {"Tuple": []},
                     {"CodePoint": {"Internal": ERROR_CODEPOINT_INDEX}}, {"Buffer": "0102"}]}
    value = value_from_json(obj, prog)
    assert value.items[1] is prog.code[1] and value.items[3] is prog.error_codepoint

    def index_of(cp: CodePoint) -> int:
        return ERROR_CODEPOINT_INDEX if cp is prog.error_codepoint else cp.index

    assert value_to_json(value, index_of) == obj
    deep: object = 1
    for _ in range(50_000):
        deep = Tuple((deep,))
    out = value_to_json(deep, index_of)
    back = value_from_json(out)
    assert value_hash(back) == value_hash(deep)


def test_inbox_files(tmp_path: Path) -> None:
    path = tmp_path / "inbox.json"
    path.write_text(json.dumps([5, "0x10", "12", [1, [2]], {"Int": "ff"}, {"Tuple": [1, {"Int": "2"}]},
                                {"Buffer": "01"}, []]))
    msgs = load_inbox(path)
    assert msgs[:3] == [5, 16, 12]
    assert msgs[3].items[0] == 1 and msgs[3].items[1].items == (2,)
    assert msgs[4] == 255 and msgs[5].items == (1, 2)
    assert isinstance(msgs[6], Buffer) and msgs[7] is not None and value_hash(msgs[7]) == value_hash(NONE)
    assert messages_from_json({"messages": [1]}) == [1]
    assert acc_of([1, 2]) == next_acc(next_acc(ZERO32, 1), 2)
    for bad, where in (([1, None], "message 1"), ([[1] * 9], "message 0"), (["zz"], "message 0"),
                       ([{"CodePoint": {"Internal": 0}}], "message 0"), ({"a": 1}, "list")):
        path.write_text(json.dumps(bad))
        with pytest.raises(UserError, match=where) as info:
            load_inbox(path)
        assert str(path) in str(info.value)
    path.write_text("not json")
    with pytest.raises(UserError, match="not valid JSON"):
        load_inbox(path)
