"""Disassembly: every conformance executable round-trips to the identical program."""

from __future__ import annotations

from pathlib import Path

import pytest

from avm.core.program import SourceLocation
from avm.core.values import value_hash
from avm.formats.assembler import assemble
from avm.formats.disassembler import disassemble, disassemble_with_lines, format_int
from avm.formats.mexe import load_mexe
from debugger.cli.main import main as cli_main


def _executables(conformance_dir: Path) -> list[Path]:
    files = sorted((conformance_dir / "executables").glob("*.mexe"))
    files += sorted((conformance_dir / "arbos-tests").glob("*.mexe"))
    files.append(conformance_dir / "large" / "contract.mexe")
    return files


def _assert_identical(original, rebuilt) -> None:
    assert len(rebuilt.code) == len(original.code)
    assert [value_hash(cp) for cp in rebuilt.code] == [value_hash(cp) for cp in original.code]
    assert value_hash(rebuilt.static) == value_hash(original.static)
    assert value_hash(rebuilt.error_codepoint) == value_hash(original.error_codepoint)


@pytest.fixture(scope="module")
def contract(conformance_dir: Path):
    program = load_mexe(conformance_dir / "large" / "contract.mexe")
    return program, disassemble(program)


def test_round_trip_every_conformance_executable(conformance_dir: Path, contract) -> None:
    files = _executables(conformance_dir)
    assert len(files) >= 27
    for path in files:
        if path.name == "contract.mexe":
            original, text = contract
        else:
            original = load_mexe(path)
            text = disassemble(original)
        rebuilt = assemble(text, f"{path.name}.s")
        _assert_identical(original, rebuilt)


def test_contract_uses_labels_raw_opcodes_and_locations(conformance_dir: Path, contract) -> None:
    program, text = contract
    assert "    op(0x71)\n" in text                        # an invalid opcode in the listing
    assert text.count("\n") > len(program.code)
    assert "@error" in text
    arbos = load_mexe(conformance_dir / "arbos-tests" / "upgradetests_regcopy_new.mexe")
    listing = disassemble(arbos)
    assert "; regcopy_new:7:12" in listing                 # compiler source location as a comment
    assert "; regcopy_new" not in disassemble(arbos, locations=False)


def test_jump_targets_are_named(conformance_dir: Path) -> None:
    program = load_mexe(conformance_dir / "executables" / "opcodetestcode.mexe")
    text = disassemble(program, header=False)
    assert text.splitlines()[0] == "    errset @L6"
    assert "L6:\n    errset @error\n" in text
    exported = load_mexe(conformance_dir / "executables" / "bufferopcodetest.mexe")
    assert "builtin_arrayGet:" in disassemble(exported)  # names from exported_funcs


def test_assembled_program_round_trips_with_notes_and_inbox() -> None:
    src = (".static (@body, -1, [0102])\n"
           ".inbox (1, [ff])\n"
           ";> hello\n"
           "main: push 0x10000000000000000\n"
           "  .break\n"
           "body: auxpush @end\n"
           "  op(0xfe)\n"
           "end: halt\n")
    program = assemble(src, "t.s")
    text = disassemble(program)
    rebuilt = assemble(text, "again.s")
    _assert_identical(program, rebuilt)
    assert rebuilt.notes == program.notes
    assert rebuilt.compiled_breakpoints == program.compiled_breakpoints
    assert [value_hash(v) for v in rebuilt.inbox] == [value_hash(v) for v in program.inbox]
    assert rebuilt.labels == {0: "main", 1: "body", 3: "end"}
    assert "; t.s:4:" not in text                         # .s locations are not repeated as comments


def test_label_names_are_sanitized_and_unique() -> None:
    program = assemble("a: push @c\nb: push @c\nc: halt\n")
    program.labels = {0: "my func", 1: "error", 2: "L2"}
    text = disassemble(program)
    assert "my_func:" in text and "error_2:" in text and "L2:" in text
    _assert_identical(program, assemble(text))


def test_integer_formats() -> None:
    assert format_int(42) == "42"
    assert format_int((1 << 256) - 1) == "-1"
    assert format_int(1 << 200) == hex(1 << 200)
    for n in (0, 1 << 64, (1 << 64) - 1, (1 << 256) - (1 << 32) - 1, (1 << 256) - (1 << 32), 1 << 255):
        assert assemble(f"push {format_int(n)}\n").code[0].imm == n


def test_program_locations_from_compiler_become_comments() -> None:
    program = assemble("push 1\nhalt\n")
    program.source_text = None
    program.locations = [SourceLocation("lib.mini", 3, 7), None]
    lines = disassemble(program, header=False).splitlines()
    assert lines[0].startswith("    push 1 ") and lines[0].endswith("; lib.mini:3:7")
    assert lines[1] == "    halt"


def test_cli_disasm(conformance_dir: Path, tmp_path: Path, capsys) -> None:
    mexe = conformance_dir / "executables" / "opcodetestmath.mexe"
    out = tmp_path / "math.s"
    assert cli_main(["disasm", str(mexe), "-o", str(out)]) == 0
    _assert_identical(load_mexe(mexe), assemble(out.read_text(), str(out)))
    assert cli_main(["disasm", str(mexe)]) == 0
    assert capsys.readouterr().out == out.read_text()


@pytest.mark.parametrize("content", ["{not json", '{"code": 5}'])
def test_cli_disasm_bad_input(tmp_path: Path, capsys, content: str) -> None:
    bad = tmp_path / "bad.mexe"
    bad.write_text(content)
    assert cli_main(["disasm", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("avm-debug: error: ") and "Traceback" not in err
    assert err.count("\n") == 1


def test_instruction_lines_for_a_listing(conformance_dir: Path) -> None:
    program = load_mexe(conformance_dir / "executables" / "opcodetestcode.mexe")
    text, lines = disassemble_with_lines(program)
    rows = text.splitlines()
    assert len(lines) == len(program.code)
    assert rows[lines[0] - 1] == "    errset @L6" and rows[lines[6] - 1] == "    errset @error"
    assert rows[lines[6] - 2] == "L6:"
