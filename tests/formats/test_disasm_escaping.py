"""Everything the disassembler writes from input data stays where it belongs (issue 11, F8): names
with newlines and other line breaks are escaped, and disassembly re-assembles to the same program,
for random names and random values (a hypothesis property)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from value_strategies import json_values

from avm.core.values import value_hash
from avm.formats.assembler import assemble
from avm.formats.disassembler import disassemble, escape_text
from avm.formats.mexe import program_from_json


def _mexe(names: dict[str, str], labels: list[str], static: object, n: int = 4) -> dict:
    code = []
    for i in range(n):
        code.append({"opcode": 0x3B if i < n - 1 else 0x74, "immediate": {"Int": format(i, "x")},
                     "debug_info": {"location": {"line": i, "column": 0, "file_id": i % max(1, len(names))}}})
    return {"version": 2, "code": code, "static_val": static,
            "file_name_chart": names,
            "exported_funcs": [{"name": name, "codept": {"Internal": i % n}}
                               for i, name in enumerate(labels)]}


def _same(a, b) -> None:
    assert [value_hash(cp) for cp in a.code] == [value_hash(cp) for cp in b.code]
    assert value_hash(a.static) == value_hash(b.static)


def test_a_newline_in_a_file_name_is_escaped(tmp_path: Path, capsys) -> None:
    program = program_from_json(_mexe({"0": "evil\n    error\n;"}, [], {"Tuple": []}), "x.mexe")
    text = disassemble(program)
    assert "evil\\n    error\\n;" in text
    _same(assemble(text, "again.s"), program)


def test_escape_text() -> None:
    assert escape_text("plain name.mini") == "plain name.mini"
    assert escape_text("a\nb\x0cc\u2028d\\e") == "a\\nb\\x0cc\\u2028d\\\\e"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.dictionaries(st.integers(0, 5).map(str), st.text(max_size=30), max_size=4),
       labels=st.lists(st.text(max_size=20), max_size=6),
       static=json_values(codepoints=4))
def test_random_names_and_values_round_trip(names: dict[str, str], labels: list[str], static) -> None:
    program = program_from_json(_mexe(names, labels, static), "r.mexe")
    text = disassemble(program)
    _same(assemble(text, "again.s"), program)
    # every line of the text is one line for an editor too
    assert all(line.isprintable() for line in text.split("\n"))
