"""avm.formats.jsonfile.read_json: one place that turns a bad JSON input file into a UserError."""

from __future__ import annotations

from pathlib import Path

import pytest

from avm.errors import UserError
from avm.formats.jsonfile import read_json
from avm.proofs.proof_file import load_proofs


def test_reads_a_document(tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    path.write_text('{"a": [1, 2]}', encoding="utf-8")
    assert read_json(path) == {"a": [1, 2]}


@pytest.mark.parametrize("content, message", [
    (b'{"a": [1,', "not valid JSON"),
    (b"[\"\xc3\x28\"]", "not UTF-8"),
])
def test_bad_content_is_a_user_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(UserError, match=message) as info:
        read_json(path)
    assert str(path) in str(info.value)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no such file"):
        read_json(tmp_path / "absent.json")
    with pytest.raises(UserError, match="is a directory, not a proof file"):
        read_json(tmp_path, "proof file")


def test_proof_files_go_through_it(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('[{"Proof": ', encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_proofs(path)
    assert "not valid JSON" in str(info.value) and info.value.line == 1


def test_deep_json_after_the_ec_opcodes_ran_is_an_error_not_a_crash(tmp_path) -> None:
    """py_ecc raises the recursion limit to 100,000 when imported; the EC opcodes' import of it puts the
    limit back, so that a deeply nested file is a UserError instead of a C stack overflow (segfault).
    In a subprocess: a crash must not take the test run with it."""
    import subprocess
    import sys

    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    script = ("import sys; from avm.core.arith import _bn; _bn(); "
              "from avm.formats.jsonfile import read_json; from avm.errors import UserError\n"
              f"try: read_json({str(deep)!r})\nexcept UserError as e: print(e)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-500:]
    assert "nested too deeply" in result.stdout


def test_a_broken_settings_file_falls_back_to_the_defaults(tmp_path) -> None:
    """Every JSON the program reads goes through read_json: a settings.json nested too deeply or with a
    5,000-digit number is ignored (the defaults), not a crash at start-up."""
    from debugger.tui.keymap import load_settings

    for text in ("[" * 100_000 + "]" * 100_000, '{"theme": ' + "9" * 5000 + "}", "{", ""):
        (tmp_path / "settings.json").write_text(text)
        assert load_settings(tmp_path) == {}
    (tmp_path / "settings.json").write_text('{"theme": "avm-light"}')
    assert load_settings(tmp_path) == {"theme": "avm-light"}
