"""The key table, the keymap file and the settings file (no screen)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from debugger.tui import keymap as km
from debugger.tui import registry


def test_key_table_has_unique_ids_and_keys() -> None:
    ids = [spec.id for spec in registry.KEYED]
    assert len(ids) == len(set(ids))
    keys = [k for spec in registry.KEYED for k in spec.keys.split(",")]
    assert len(keys) == len(set(keys)), "a key is bound twice"


def test_keymap_file_is_read_and_problems_reported(tmp_path: Path) -> None:
    (tmp_path / "keymap.toml").write_text('[keys]\nstep = "x, f10"\nnope = "z"\nhelp = ""\n')
    keymap, problems = km.load_keymap(tmp_path)
    assert keymap == {"step": "x,f10"}
    assert any("nope" in p for p in problems) and any("help" in p for p in problems)


def test_broken_keymap_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "keymap.toml").write_text("[keys\nstep = \n")
    keymap, problems = km.load_keymap(tmp_path)
    assert keymap == {} and len(problems) == 1


def test_simple_toml_parser_reads_theme_files() -> None:
    from debugger.resources import themes_dir

    for entry in themes_dir().iterdir():
        if entry.name.endswith(".toml"):
            text = entry.read_text(encoding="utf-8")
            data = km.parse_simple_toml(text)
            assert data["name"] == entry.name[:-5]
            assert isinstance(data["dark"], bool)
            assert data == km.parse_toml(text)


def test_settings_round_trip(tmp_path: Path) -> None:
    assert km.load_settings(tmp_path / "none") == {}
    assert km.save_settings({"theme": "avm-light"}, tmp_path / "cfg")
    assert km.load_settings(tmp_path / "cfg") == {"theme": "avm-light"}


def test_config_dir_follows_xdg(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert km.config_dir() == tmp_path / "avm-debug"


def test_docs_key_table_is_current() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "keys.md"
    assert docs.read_text(encoding="utf-8") == registry.keys_document()


def test_readme_key_table_is_current() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    start = readme.index(registry.README_START) + len(registry.README_START) + 1
    assert readme[start:readme.index(registry.README_END)] == registry.readme_keys()
