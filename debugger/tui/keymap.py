"""The user's config: key overrides and remembered settings (the keys themselves are in registry.py).

The user config lives in ``$XDG_CONFIG_HOME/avm-debug/`` (default ``~/.config/avm-debug/``):

* ``keymap.toml``: ``[keys]`` table mapping a binding id to comma-separated keys, e.g.
  ``step = "s,j,down,f10"``. Ids are listed by ``?`` and in docs/keys.md.
* ``settings.json``: what the app remembers between runs (the theme).

Nothing here imports Textual.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from avm.errors import UserError
from avm.formats.jsonfile import read_json
from debugger.tui.registry import KEYMAP_IDS

APP_DIR_NAME = "avm-debug"


def config_dir() -> Path:
    """``$XDG_CONFIG_HOME/avm-debug`` (or ``~/.config/avm-debug``); not created here."""
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / APP_DIR_NAME


def parse_toml(text: str) -> dict:
    try:
        import tomllib  # type: ignore[import-not-found, unused-ignore]
    except ImportError:  # Python 3.10: the subset used by keymap files and themes
        return parse_simple_toml(text)
    return tomllib.loads(text)


_LINE = re.compile(r"""^\s*([A-Za-z0-9_.-]+|"[^"]*")\s*=\s*(.+?)\s*$""")


def parse_simple_toml(text: str) -> dict:
    """Flat ``[table]`` + ``key = "string" | true | false | number`` TOML (no arrays, no inline tables)."""
    data: dict = {}
    table = data
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip() if '"' not in raw else raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            table = data.setdefault(line[1:-1].strip(), {})
            continue
        match = _LINE.match(line)
        if not match:
            raise ValueError(f"line {number}: cannot read {raw.strip()!r}")
        key, value = match.group(1).strip('"'), match.group(2)
        if value.startswith('"'):
            end = value.index('"', 1)
            table[key] = value[1:end]
        elif value in ("true", "false"):
            table[key] = value == "true"
        else:
            table[key] = float(value) if "." in value else int(value)
    return data


def read_toml(path: Path) -> dict:
    return parse_toml(path.read_text(encoding="utf-8"))


def load_keymap(directory: Path | None = None) -> tuple[dict[str, str], list[str]]:
    """The user's key overrides ``{binding id: keys}`` and a list of problems found (never raises)."""
    path = (directory or config_dir()) / "keymap.toml"
    if not path.is_file():
        return {}, []
    try:
        data = read_toml(path)
    except (OSError, ValueError) as err:
        return {}, [f"{path}: {err}"]
    table = data.get("keys", data)
    known = KEYMAP_IDS
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for key, value in table.items():
        if key not in known:
            problems.append(f"{path}: unknown binding id {key!r}")
        elif not isinstance(value, str) or not value.strip():
            problems.append(f"{path}: keys for {key!r} must be a non-empty string")
        else:
            keymap[key] = ",".join(part.strip() for part in value.split(","))
    return keymap, problems


def load_settings(directory: Path | None = None) -> dict:
    path = (directory or config_dir()) / "settings.json"
    try:
        data = read_json(path, "settings file")
    except UserError:           # missing, unreadable, not JSON, absurd: start from the defaults
        return {}
    return data if isinstance(data, dict) else {}


def save_settings(settings: dict, directory: Path | None = None) -> bool:
    """Write the settings; a read-only or missing home is not an error (returns False)."""
    directory = directory or config_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "settings.json").write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    except OSError:
        return False
    return True
