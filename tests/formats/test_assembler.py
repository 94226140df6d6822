"""The .s assembler: the language, the Program it builds, and every error it reports."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from avm.core.buffer import Buffer
from avm.core.opcodes import BY_NAME
from avm.core.values import CodePoint, Tuple, value_hash
from avm.errors import UserError
from avm.formats.assembler import AssemblyError, assemble, assemble_file
from avm.formats.mexe import load_mexe
from avm.formats.mexe_writer import write_mexe
from debugger.cli.main import main as cli_main

OP = {name: info.code for name, info in BY_NAME.items()}
MAX = (1 << 256) - 1
# Known answers from the reference digest (CONFIRMED against real proofs).
HALT_HASH = "dc207027f0fefccc361e5ed5bf81a9b2591d0858607f1535afc92441cd2fc149"
ERRCP = "b4c00615f95dc249934075fcc669947596baf6e070ac80a59f79dae98aa932f0"


def errors_of(text: str, path: str = "prog.s") -> AssemblyError:
    with pytest.raises(AssemblyError) as info:
        assemble(text, path)
    return info.value


# --------------------------------------------------------------------------- the language
def test_halt_hash_matches_reference() -> None:
    program = assemble("halt\n")
    assert value_hash(program.code[0]).hex() == HALT_HASH
    assert value_hash(program.error_codepoint).hex() == ERRCP
    assert program.code[0].next is program.error_codepoint
    assert program.error_codepoint.index == 1


def test_instructions_immediates_and_literals() -> None:
    program = assemble(
        "  PUSH 5\n"
        "  add 0x10\n"
        "  push -1\n"
        "  push 1_000\n"
        "  push (1, (2, 3), ())\n"
        "  push [de ad_be ef]\n"
        "  push []\n"
        "  push (1,)\n"
        "  op(0x71)\n"
        "  Tset\n"
    )
    ops = [cp.op for cp in program.code]
    assert ops == [OP["nop"], OP["add"], OP["nop"], OP["nop"], OP["nop"], OP["nop"], OP["nop"], OP["nop"],
                   0x71, OP["tset"]]
    imms = [cp.imm for cp in program.code]
    assert imms[0] == 5 and imms[1] == 16 and imms[2] == MAX and imms[3] == 1000
    t = imms[4]
    assert isinstance(t, Tuple) and t.items[0] == 1 and t.items[1].items == (2, 3) and t.items[2].items == ()
    assert isinstance(imms[5], Buffer) and imms[5].to_bytes() == bytes.fromhex("deadbeef")
    assert isinstance(imms[6], Buffer) and imms[6].to_bytes() == b""
    assert imms[7].items == (1,)
    assert imms[8] is None and imms[9] is None


def test_labels_codepoints_static_const_inbox_notes_break() -> None:
    src = (
        "; header comment\n"
        ".const N = 3\n"
        ".const PAIR = (N, @end)\n"
        ".static (@top, PAIR)\n"
        ".inbox (1, 2)\n"
        ".inbox 7\n"
        ";> first note\n"
        ";> second line\n"
        "top: push N\n"
        "    cjump @end   ;> jumps\n"
        "    .break\n"
        "    jump @error\n"
        "end:\n"
        "    halt\n"
    )
    program = assemble(src, "lesson.s")
    assert [cp.op for cp in program.code] == [OP["nop"], OP["cjump"], OP["jump"], OP["halt"]]
    assert program.labels == {0: "top", 3: "end"}
    assert program.code[1].imm is program.code[3]
    assert program.code[2].imm is program.error_codepoint
    static = program.static
    assert static.items[0] is program.code[0]                       # static may name any instruction
    assert static.items[1].items[0] == 3 and static.items[1].items[1] is program.code[3]
    assert [value_hash(v) for v in program.inbox] == [value_hash(Tuple((1, 2))), value_hash(7)]
    assert program.notes == {0: "first note\nsecond line", 1: "jumps"}
    assert program.compiled_breakpoints == {2}
    assert program.path == "lesson.s" and program.source_text == src
    locs = program.locations
    assert (locs[0].file, locs[0].line, locs[0].column) == ("lesson.s", 9, 6)
    assert (locs[3].line, locs[3].column) == (14, 5)


def test_empty_program_and_default_static() -> None:
    program = assemble("; nothing\n")
    assert program.code == [] and program.entry is program.error_codepoint
    assert isinstance(program.static, Tuple) and program.static.items == ()


def test_negative_integer_range() -> None:
    program = assemble(f"push -{1 << 255}\npush {MAX}\npush -0\n")
    assert [cp.imm for cp in program.code] == [1 << 255, MAX, 0]


def test_deep_nesting_is_iterative() -> None:
    depth = 5000
    program = assemble("push " + "(" * depth + ")" * depth + "\n")
    value = program.code[0].imm
    for _ in range(depth - 1):
        value = value.items[0]
    assert value.items == ()
    value_hash(program.code[0])


# --------------------------------------------------------------------------- errors
def test_unknown_mnemonic_with_suggestion_caret_and_location() -> None:
    err = errors_of("  push 1\n    ad 2\n")
    text = str(err)
    assert text.splitlines()[0] == "prog.s:2:5: unknown mnemonic 'ad'"
    assert "    2 |     ad 2" in text
    assert "      |     ^~" in text
    assert "did you mean 'add'?" in text
    assert (err.path, err.line, err.column) == ("prog.s", 2, 5)
    assert isinstance(err, UserError)


def test_evm_names_get_avm_hints() -> None:
    text = str(errors_of("jumpi\nsstore\npush1 3\n"))
    assert "cjump" in text and "register" in text and "'push'" in text


def test_all_errors_reported_in_order() -> None:
    src = (
        "start:\n"
        "  ad 1\n"                                    # 2: unknown mnemonic
        "  push (1, 2, 3, 4, 5, 6, 7, 8, 9)\n"        # 3: more than 8 items
        "  push (1, 2\n"                              # 4: unterminated tuple
        "  jump @start\n"                             # 5: backward reference
        "  jump @nowhere\n"                           # 6: undefined label
        f"  push {1 << 256}\n"                        # 7: out of range
        "  push 12ab\n"                               # 8: malformed integer
        "start:\n"                                    # 9: duplicate label
        "  .break 4\n"                                # 10: value on a directive
        "  push [abc]\n"                              # 11: malformed buffer
        "  halt\n"
    )
    err = errors_of(src)
    got = [(d.line, d.column) for d in err.errors]
    assert got == [(2, 3), (3, 8), (4, 8), (5, 8), (6, 8), (7, 8), (8, 8), (9, 1), (10, 10), (11, 8)]
    text = str(err)
    assert text.endswith("10 errors in prog.s")
    for expected in ("tuple has 9 items; a tuple holds at most 8",
                     "unterminated tuple: expected ')' before the end of the line",
                     "backward codepoint reference: @start names this instruction",
                     "undefined label 'nowhere'",
                     "is out of the 256-bit range",
                     "malformed integer literal '12ab'",
                     "duplicate label 'start'",
                     "'start' is already defined at line 1",
                     "unexpected value: .break takes no value",
                     "malformed buffer literal [abc]"):
        assert expected in text, expected


def test_backward_reference_explains_idioms() -> None:
    err = errors_of("loop:\n    add 1\n    jump @loop\n")
    text = str(err)
    assert "prog.s:3:10: backward codepoint reference: @loop names instruction 0 (line 2)" in text
    assert "      |          ^~~~~" in text
    assert "circular" in text
    assert "pcpush" in text and "auxpush" in text
    assert ".static (@loop)" in text and "spush, tget 0" in text


def test_self_reference_is_backward() -> None:
    text = str(errors_of("here: jump @here\n"))
    assert "@here names this instruction" in text


def test_undefined_label_suggests_close_name() -> None:
    text = str(errors_of("  jump @finsh\nfinish: halt\n"))
    assert "undefined label 'finsh'" in text and "did you mean 'finish'?" in text


def test_tuple_error_points_at_open_paren() -> None:
    err = errors_of("  push (1, (1, 2, 3, 4, 5, 6, 7, 8, 9))\n")
    assert (err.errors[0].line, err.errors[0].column) == (1, 12)
    assert "nest tuples" in str(err)


def test_negative_out_of_range() -> None:
    text = str(errors_of(f"push -{(1 << 255) + 1}\n"))
    assert "out of the 256-bit range" in text and "-2**255" in text


def test_directive_errors() -> None:
    err = errors_of(
        ".static 1 2\n"          # extra value
        ".bogus\n"               # unknown directive
        ".statc 1\n"             # suggestion
        ".const = 1\n"           # missing name
        ".const X 1\n"           # missing '='
        ".const Y = 1\n"
        ".const Y = 2\n"         # duplicate constant
        ".static 1\n"
        ".static 2\n"            # second static
        ".inbox\n"               # missing value
    )
    text = str(err)
    lines = [d.line for d in err.errors]
    assert lines == [1, 2, 3, 4, 5, 7, 9, 10]
    assert "unexpected '2' after the value of .static" in text
    assert "unknown directive '.bogus'" in text
    assert "did you mean '.static'?" in text
    assert "expected a constant name after .const" in text
    assert "expected '=' after the constant name" in text
    assert "duplicate constant 'Y'" in text
    assert "the static value is already set" in text
    assert ".inbox needs a value" in text


def test_value_errors() -> None:
    text = str(errors_of("push\npush M\npush loop\nloop: push 1 2\npush [ab\npush ,\n"))
    assert "'push' needs a value" in text
    assert "undefined constant 'M'" in text
    assert "write @loop" in text
    assert "unexpected '2' after the immediate value" in text
    assert "unterminated buffer literal" in text
    assert "expected a value, found ','" in text


def test_reserved_label_and_dangling_note() -> None:
    text = str(errors_of("error: halt\n;> nothing follows\n"))
    assert "'error' is reserved" in text
    assert "lesson note ';>' with no instruction after it" in text


def test_bad_characters_and_raw_opcode() -> None:
    text = str(errors_of("push $\nop(256)\nop(x)\n"))
    assert "expected a value, found '$'" in text
    assert "does not fit in a byte" in text
    assert "malformed raw opcode" in text


def test_backward_reference_through_constant_names_the_use() -> None:
    err = errors_of(".const TARGET = @top\ntop: push 1\n  jump TARGET\n")
    text = str(err)
    assert "prog.s:1:17: backward codepoint reference" in text
    assert "(this constant is used at line 3)" in text


def test_assemble_file_errors(tmp_path) -> None:
    with pytest.raises(UserError, match="no such file"):
        assemble_file(tmp_path / "missing.s")
    bad = tmp_path / "bad.s"
    bad.write_bytes(b"\xff\xfe halt")
    with pytest.raises(UserError, match="not UTF-8"):
        assemble_file(bad)


# --------------------------------------------------------------------------- .mexe output
def test_written_mexe_loads_to_identical_program(tmp_path) -> None:
    src = (".static (@b, 5, [01 02])\n"
           "a: push (1, @b, @error)\n"
           "   errset @c\n"
           "b: push [ff]\n"
           "   .break\n"
           "c: op(0x71)\n"
           "   halt\n")
    program = assemble(src, "x.s")
    out = tmp_path / "x.mexe"
    write_mexe(program, out)
    loaded = load_mexe(out)
    assert [value_hash(cp) for cp in loaded.code] == [value_hash(cp) for cp in program.code]
    assert value_hash(loaded.static) == value_hash(program.static)
    assert loaded.labels == program.labels
    assert loaded.compiled_breakpoints == {3}
    assert [(loc.line, loc.column) for loc in loaded.locations] == \
           [(loc.line, loc.column) for loc in program.locations]
    assert loaded.locations[0].file == "x.s"


def test_cli_asm_writes_mexe(tmp_path, capsys) -> None:
    src = tmp_path / "p.s"
    src.write_text("push 1\nadd 2\nhalt\n")
    assert cli_main(["asm", str(src)]) == 0
    loaded = load_mexe(tmp_path / "p.mexe")
    assert value_hash(loaded.code[0]) == value_hash(assemble_file(src).code[0])
    assert cli_main(["asm", str(src), "-o", str(tmp_path / "q.mexe"), "--no-debug-info"]) == 0
    assert (tmp_path / "q.mexe").read_text().startswith('{"version":2,"code":[{"opcode":59,"immediate"')


def test_cli_asm_bad_input_is_one_report_exit_2(tmp_path, capsys) -> None:
    src = tmp_path / "bad.s"
    src.write_text("ad 1\njump @x\n")
    assert cli_main(["asm", str(src)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"avm-debug: error: {src}:1:1: unknown mnemonic 'ad'")
    assert "2 errors in" in err and "Traceback" not in err
    assert not (tmp_path / "bad.mexe").exists()
    assert cli_main(["asm", str(tmp_path / "none.s")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_codepoint_chain_is_linked() -> None:
    program = assemble("push 1\npush 2\nhalt\n")
    for i, cp in enumerate(program.code):
        assert isinstance(cp, CodePoint) and cp.index == i
        assert cp.next is (program.code[i + 1] if i + 1 < len(program.code) else program.error_codepoint)


_ALPHABET = "abcdehilmoprstuxz0129_@:;>.,()[]=- \t\n"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=120))
def test_any_text_assembles_or_reports(text: str) -> None:
    try:
        program = assemble(text, "fuzz.s")
    except AssemblyError as err:
        report = str(err)
        assert report.startswith("fuzz.s:") and report.endswith("in fuzz.s")
        return
    for cp in program.code:
        value_hash(cp)
