"""Input files the user names (.s, JSON, lessons) are read in one place: each failure is one line naming
the file, the same for every kind of input."""

from __future__ import annotations

from pathlib import Path

import pytest

from avm.errors import UserError
from avm.formats.assembler import assemble_file
from avm.formats.input_file import read_bytes, read_text
from avm.formats.jsonfile import read_json
from debugger.evm.lesson import load_lesson


def test_read_text_and_bytes(tmp_path: Path) -> None:
    good = tmp_path / "good.s"
    good.write_text("halt ; é\n", encoding="utf-8")
    assert read_text(good, ".s file") == "halt ; é\n"
    assert read_bytes(good, ".s file") == "halt ; é\n".encode()
    bad = tmp_path / "bad.s"
    bad.write_bytes(b"halt\n\xff\n")
    assert read_bytes(bad, ".s file") == b"halt\n\xff\n"
    with pytest.raises(UserError, match=r"not UTF-8 text \(byte 5\)"):
        read_text(bad, ".s file")


@pytest.mark.parametrize(("reader", "kind"), [(assemble_file, ".s file"), (read_json, "JSON file"),
                                              (load_lesson, "lesson")])
def test_every_reader_names_the_file_the_same_way(tmp_path: Path, reader, kind: str) -> None:
    missing = tmp_path / "missing.x"
    with pytest.raises(UserError, match="no such file") as err:
        reader(missing)
    assert str(missing) in str(err.value)
    with pytest.raises(UserError, match=f"is a directory, not a {kind}") as err:
        reader(tmp_path)
    assert str(tmp_path) in str(err.value)
    bad = tmp_path / "bad.x"
    bad.write_bytes(b"\"\xc3\x28\"\n")            # invalid UTF-8
    with pytest.raises(UserError, match="not .*UTF-8") as err:
        reader(bad)
    assert str(bad) in str(err.value)
