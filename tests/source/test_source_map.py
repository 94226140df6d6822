"""Finding the mini sources of compiled programs and mapping instructions to their lines."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from arbos_programs import PROGRAMS

from avm.errors import UserError
from avm.formats.mexe import load_mexe
from debugger.engine.source_map import CHANGED, SourceMap, find_source, module_file


def test_module_rule() -> None:
    assert module_file("std::bytestream") == str(Path("stdlib/bytestream.mini"))
    assert module_file("core::kvs") == str(Path("builtin/kvs.mini"))
    assert module_file("impl2") == "impl2.mini"


@pytest.mark.parametrize("name", PROGRAMS)
def test_every_located_instruction_points_at_its_text(name: str, arbos_dir: Path, source_dir: Path) -> None:
    program = load_mexe(arbos_dir / f"{name}.mexe")
    smap = SourceMap(program, [str(source_dir)])
    assert smap.warnings() == []
    located = 0
    for i, loc in enumerate(program.locations):
        if loc is None:
            continue
        located += 1
        src = smap.file(loc.file)
        expected_dir = {"std": "stdlib", "core": "builtin"}.get(loc.file.split("::")[0], None)
        if expected_dir:
            assert Path(src.path).parent.name == expected_dir
        assert Path(src.path).stem == loc.file.split("::")[-1]
        # the compiler's absolute offset and our line/column agree, and the text is there
        assert src.offset(loc.line, loc.column) == loc.absolute
        text = smap.text_at(i)
        assert text is not None and text == src.text[loc.absolute:].split("\n")[0]
        assert smap.line_of(i) == (loc.file, loc.line)
        assert i in smap.instructions_at(loc.file, loc.line)
    assert located > 0


def test_known_lines_and_functions(arbos_dir: Path, source_dir: Path) -> None:
    program = load_mexe(arbos_dir / "upgradetests_upgrade1_old.mexe")
    smap = SourceMap(program, [str(source_dir)])
    # `global1 = 5;` is line 15 of upgrade1_old.mini; its instructions belong to main
    starts = smap.line_starts("upgrade1_old", 15)
    assert starts and smap.text_at(starts[0]) == "global1 = 5;"
    assert smap.function_of(starts[0]) == "main"
    module, line, found = smap.resolve("bytestream.mini:121")
    assert (module, line) == ("std::bytestream", 121)
    assert smap.text_at(found[0]).startswith("return None")
    assert smap.function_of(found[0]) == "bytestream_getN"
    # a line without code moves to the next one that has code
    assert smap.resolve("bytestream.mini:122")[1] == 123
    with pytest.raises(UserError, match="no source file 'nope.mini'"):
        smap.resolve("nope.mini:3")
    with pytest.raises(UserError, match="no code on upgrade1_old.mini:2"):
        smap.resolve("upgrade1_old.mini:2")


def test_default_search_next_to_the_program(tmp_path: Path, arbos_dir: Path, source_dir: Path) -> None:
    shutil.copy(arbos_dir / "upgradetests_regcopy_old.mexe", tmp_path)
    shutil.copytree(source_dir, tmp_path / "src")
    program = load_mexe(tmp_path / "upgradetests_regcopy_old.mexe")
    assert find_source("regcopy_old", [], program.path) == str(tmp_path / "src" / "upgradetests" /
                                                                "regcopy_old.mini")
    assert SourceMap(program).warnings() == []


def test_missing_and_changed_sources(tmp_path: Path, arbos_dir: Path, source_dir: Path) -> None:
    shutil.copy(arbos_dir / "upgradetests_regcopy_old.mexe", tmp_path)
    program = load_mexe(tmp_path / "upgradetests_regcopy_old.mexe")
    missing = SourceMap(program).file("regcopy_old")
    assert missing.path is None and "not found" in missing.problem and "--source-dir" in missing.problem
    edited = tmp_path / "edited"
    edited.mkdir()
    text = (source_dir / "upgradetests" / "regcopy_old.mini").read_text()
    (edited / "regcopy_old.mini").write_text("// a new first line\n" + text)
    smap = SourceMap(program, [str(edited)])
    assert smap.file("regcopy_old").problem == CHANGED
    assert smap.warnings() == [f"{edited / 'regcopy_old.mini'}: {CHANGED}"]
