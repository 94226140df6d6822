"""debugger.engine.display: the listing's instruction text (as written in .s, or disassembled as .s)."""

from __future__ import annotations

from pathlib import Path

from avm.core.values import Tuple
from avm.formats.assembler import assemble
from avm.formats.disassembler import disassemble_with_lines
from avm.formats.mexe import load_mexe
from debugger.engine.display import ListingText
from debugger.engine.loading import load_program
from debugger.resources import sample_path

SOURCE = """\
.const GREETING = (1, 2)
start:  push (10, 20,   (30, 40))   ; spacing kept as written
    push GREETING
    cjump @done
\tadd 0x10 ; a comment
done:
    halt
"""


def test_assembled_programs_show_the_source_as_written() -> None:
    texts = ListingText(assemble(SOURCE, "t.s"))
    assert [texts[i] for i in range(5)] == [
        "push (10, 20,   (30, 40))", "push GREETING", "cjump @done", "add 0x10", "halt"]


def test_the_tour_sample() -> None:
    program = load_program(sample_path("tour.s"))
    texts = ListingText(program)
    shown = [texts[i] for i in range(len(program.code))]
    assert "push (10, 20, (30, 40))" in shown and "push GREETING" in shown


def test_other_programs_read_as_the_disassembler_writes_them(conformance_dir: Path) -> None:
    for name in ("opcodetestcode.mexe", "buffer_test.mexe", "inbox.mexe"):
        program = load_mexe(conformance_dir / "executables" / name)
        text, insn_lines = disassemble_with_lines(program, locations=False)
        lines = text.splitlines()
        texts = ListingText(program, limit=10**9)
        for index, line_no in enumerate(insn_lines):
            assert texts[index] == lines[line_no - 1].strip(), (name, index)


def test_long_literals_are_cut() -> None:
    deep: Tuple = Tuple(())
    for i in range(2000):
        deep = Tuple((i, deep))
    program = assemble("push 1\nhalt\n")
    program.code[0].imm = deep          # as a .mexe could hold it
    program.source_text = None
    text = ListingText(program, limit=50)[0]
    assert text.startswith("push (1999, (1998, ") and text.endswith("…") and len(text) == len("push ") + 51
