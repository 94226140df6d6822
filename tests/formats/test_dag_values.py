"""Values are DAGs (issue 11, F6): ``.const`` towers assemble, write and disassemble in time and memory
linear in distinct nodes; a ``.mexe`` (which has no sharing) is refused with the reason when its tree
form would be huge. Figures: ``python bench/bench_dag.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from avm.core.values import Tuple, value_hash
from avm.errors import UserError
from avm.formats.assembler import assemble
from avm.formats.dag import distinct_tuples, expanded_counts
from avm.formats.disassembler import disassemble
from avm.formats.mexe import program_from_json
from avm.formats.mexe_writer import MAX_WRITTEN_NODES, program_to_json
from debugger.cli.main import main


def tower(levels: int, width: int = 8) -> str:
    """``levels`` constants, each a ``width``-tuple of the previous one: width**levels leaves."""
    lines = [".const A0 = 1"]
    for k in range(1, levels + 1):
        lines.append(f".const A{k} = ({', '.join([f'A{k - 1}'] * width)})")
    lines += [f"push A{levels}", "halt"]
    return "\n".join(lines) + "\n"


def test_a_const_tower_of_8_to_the_40_leaves_assembles_as_a_dag() -> None:
    program = assemble(tower(40), "tower.s")
    value = program.code[0].imm
    tuples, uses = distinct_tuples([value])
    assert len(tuples) == 40                              # one object per level, not 8**40
    assert uses[id(tuples[0])] == 8
    assert value.size == (8 ** 41 - 1) // 7 % (1 << 256)    # 1 + 8 + ... + 8**40 nodes
    assert len(value_hash(value)) == 32


def test_disassembly_names_shared_tuples_and_round_trips() -> None:
    program = assemble(tower(40), "tower.s")
    text = disassemble(program)
    assert len(text) < 20_000
    assert ".const T" in text
    again = assemble(text, "again.s")
    assert value_hash(again.code[0].imm) == value_hash(program.code[0].imm)
    assert [value_hash(cp) for cp in again.code] == [value_hash(cp) for cp in program.code]


def test_small_shared_tuples_stay_inline() -> None:
    program = assemble(".const P = (1, 2)\npush (P, P, P)\nhalt\n", "p.s")
    assert "push ((1, 2), (1, 2), (1, 2))" in disassemble(program)


def test_mexe_writing_refuses_a_tree_too_large_to_write(capsys: pytest.CaptureFixture[str],
                                                        tmp_path: Path) -> None:
    source = tmp_path / "dag_8.s"
    source.write_text(tower(8))
    assert main(["asm", str(source), "-o", str(tmp_path / "out.mexe")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(source) in err and "cannot share" in err
    assert not (tmp_path / "out.mexe").exists()


def test_a_written_mexe_reads_back_shared() -> None:
    program = assemble(tower(5), "t.s")
    doc = program_to_json(program)
    back = program_from_json(doc, "t.mexe")
    value = back.code[0].imm
    assert value_hash(value) == value_hash(program.code[0].imm)
    tuples, _ = distinct_tuples([value])
    assert len(tuples) == 5                               # equal subtrees are one object again
    assert "T1" in disassemble(back)


def test_expanded_counts_are_capped() -> None:
    t: Tuple = Tuple((1,) * 8)
    for _ in range(30):
        t = Tuple((t,) * 8)
    tuples, _ = distinct_tuples([t])
    assert expanded_counts(tuples, MAX_WRITTEN_NODES + 1)[id(t)] == MAX_WRITTEN_NODES + 1


def test_refusal_is_a_user_error_naming_the_program() -> None:
    program = assemble(tower(8), "big.s")
    with pytest.raises(UserError) as info:
        program_to_json(program)
    assert info.value.path == "big.s"


def test_codepoint_references_inside_a_tower_are_checked_once() -> None:
    """Found by the campaign (seed 13): a ``@label`` inside a shared constant made the reference check
    walk the tower as a tree (20 s for 9 levels, 8**40 leaves never ends)."""
    source = tower(40).replace(".const A1 = (A0,", ".const A1 = (@end,").replace("halt", "end: halt")
    program = assemble(source, "refs.s")
    tuples, _ = distinct_tuples([program.code[0].imm])
    assert len(tuples) == 40
    again = assemble(disassemble(program), "again.s")
    assert value_hash(again.code[0].imm) == value_hash(program.code[0].imm)
    with pytest.raises(UserError) as info:
        assemble(source.replace("@end", "@nowhere"), "bad.s")
    assert "undefined label 'nowhere'" in str(info.value)
