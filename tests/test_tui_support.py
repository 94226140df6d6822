"""Helpers for the TUI tests (imported by the other test_tui_*.py files), and tests of the
UI-free parts: the key table, the keymap file, the settings file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from avm.assembler import assemble
from debugger import keymap as km
from debugger.session import Session

# A small program with a call (for step over/out), a log, lesson notes and labels.
PROGRAM = """\
;> first note: the program starts
main:
    push 3
    push 4
    add
    push @after
    auxpush
;> calling func
    jump @func
after:
    log
    push (1, 2, (3, 4))
    tget 2
    push 0xdeadbeef
    rset
    halt
func:
;> inside func
    push 1
    add
    auxpop
    jump
"""
# index:      0 push3  1 push4  2 add  3 push@after  4 auxpush  5 jump@func  6 log (after)
#             7 push tuple  8 tget 2  9 push 0xdeadbeef  10 rset  11 halt  12 push 1 (func)  13 add
#             14 auxpop  15 jump

# Runs forever (a backward jump through the static value): for interrupt tests.
FOREVER = """\
.static (@loop)
    push 0
loop:
    add 1
    spush
    tget 0
    jump
"""


@pytest.fixture(autouse=True)
def isolated_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No TUI test reads or writes the real user config: XDG_CONFIG_HOME points at a tmp dir."""
    path = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(path))
    return path


def make_session(text: str = PROGRAM, name: str = "prog.s") -> Session:
    return Session(assemble(text, name))


def make_app(tmp_path: Path, text: str = PROGRAM, *, name: str = "prog.s", theme: str | None = None,
             session: Session | None = None) -> Any:
    """A DebuggerApp over a fresh session, with its config in ``tmp_path/config``."""
    from debugger.app import DebuggerApp

    return DebuggerApp(session or make_session(text, name), theme=theme, config_dir=tmp_path / "config",
                       program_name=name)


def screen_text(app: Any) -> str:
    """What the screen shows, as plain text (one line per terminal row)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip) for strip in strips)


def notifications(app: Any) -> list[str]:
    return [n.message for n in app._notifications]


async def settle(app: Any, pilot: Any) -> None:
    """Wait for a run in the worker to finish and its results to be shown."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


# ---------------------------------------------------------------------------------------------- tests
def test_key_table_has_unique_ids_and_keys() -> None:
    ids = [spec.id for spec in km.KEYS]
    assert len(ids) == len(set(ids))
    keys = [k for spec in km.KEYS for k in spec.keys.split(",")]
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
    docs = Path(__file__).resolve().parent.parent / "docs" / "keys.md"
    assert docs.read_text(encoding="utf-8") == km.keys_document()
