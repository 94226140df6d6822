"""Key bindings (one table, used by the app, the help screen and docs/keys.md) and the user's config.

The user config lives in ``$XDG_CONFIG_HOME/avm-debug/`` (default ``~/.config/avm-debug/``):

* ``keymap.toml``: ``[keys]`` table mapping a binding id to comma-separated keys, e.g.
  ``step = "s,j,down,f10"``. Ids are listed by ``?`` and in docs/keys.md.
* ``settings.json``: what the app remembers between runs (the theme).

Nothing here imports Textual, so the table can be read by scripts and tests cheaply.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from avm.errors import UserError
from avm.formats.jsonfile import read_json

APP_DIR_NAME = "avm-debug"


@dataclass(frozen=True)
class KeySpec:
    id: str            # keymap id, e.g. "step"
    keys: str          # Textual key names, comma-separated
    action: str        # app action (with arguments)
    description: str   # shown in the footer and help
    show: bool = False  # shown in the footer
    display: str = ""  # how the keys read in help (defaults to keys)
    # priority: handled by the app as the key arrives, before it is queued for the focused widget, so
    # the keys typed right after it already go where the action put the focus (the prompt's input)
    priority: bool = False


KEYS: list[KeySpec] = [
    KeySpec("step", "s,j,down", "step(1)", "Step", True, "s j ↓"),
    KeySpec("step_back", "S,k,up", "step(-1)", "Step back", True, "S k ↑"),
    KeySpec("step_over", "n", "step_over(1)", "Step over", False),
    KeySpec("step_over_back", "N", "step_over(-1)", "Step over back"),
    KeySpec("step_out", "f", "step_out(1)", "Step out"),
    KeySpec("step_out_back", "F", "step_out(-1)", "Step out back"),
    KeySpec("continue", "c", "continue(1)", "Continue", True),
    KeySpec("reverse_continue", "C", "continue(-1)", "Reverse continue"),
    KeySpec("run_to_cursor", "t", "run_to_cursor", "Run to cursor (back if behind)"),
    KeySpec("history_start", "g", "history_start", "Start of history (with count: go to step N)"),
    KeySpec("history_end", "G", "history_end", "End of history (with count: go to step N)"),
    KeySpec("toggle_breakpoint", "b", "toggle_breakpoint", "Breakpoint", True),
    KeySpec("breakpoints", "B", "breakpoints", "Breakpoint list"),
    KeySpec("search", "slash", "search", "Search listing", False, "/", priority=True),
    KeySpec("search_next", "full_stop", "search_next(1)", "Next match", False, "."),
    KeySpec("search_prev", "comma", "search_next(-1)", "Previous match", False, ","),
    KeySpec("prompt", "colon", "prompt", "Command", True, ":", priority=True),
    KeySpec("proof", "p", "export_proof", "Proof", True),
    KeySpec("copy", "y", "copy_value", "Copy value"),
    KeySpec("heat", "h", "toggle_heat", "Hit counts in the listing"),
    KeySpec("tree_stacks", "T", "tree_stacks", "Toggle the stack as nested 2-tuples in the tree"),
    KeySpec("interrupt", "escape", "interrupt", "Interrupt run / back to PC", False, "Esc"),
    KeySpec("help", "question_mark,f1", "help", "Help", True, "? F1"),
    KeySpec("quit", "q", "quit_app", "Quit", True),
]

# the keys shown in the footer, most needed first (what does not fit a narrow terminal is cut at the end)
FOOTER_ORDER = ["step", "step_back", "continue", "toggle_breakpoint", "help", "prompt", "quit", "proof"]

# the listing's own keys (active while it has focus): moving the cursor
LISTING_KEYS: list[KeySpec] = [
    KeySpec("listing.cursor_down", "shift+down,ctrl+n", "cursor_down", "Cursor down"),
    KeySpec("listing.cursor_up", "shift+up,ctrl+u", "cursor_up", "Cursor up"),
    KeySpec("listing.page_down", "pagedown", "cursor_page(1)", "Page down"),
    KeySpec("listing.page_up", "pageup", "cursor_page(-1)", "Page up"),
    KeySpec("listing.home", "home", "cursor_to(0)", "First instruction"),
    KeySpec("listing.end", "end", "cursor_to(-1)", "Last instruction"),
]

COUNT_DIGITS = "0123456789"


def config_dir() -> Path:
    """``$XDG_CONFIG_HOME/avm-debug`` (or ``~/.config/avm-debug``); not created here."""
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / APP_DIR_NAME


def parse_toml(text: str) -> dict:
    try:
        import tomllib
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
    known = {spec.id for spec in KEYS + LISTING_KEYS}
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


def keys_markdown() -> str:
    """The key table of docs/keys.md."""
    rows = ["| Keys | Action | Keymap id |", "|---|---|---|"]
    for spec in KEYS:
        shown = spec.display or spec.keys.replace(",", " ")
        rows.append(f"| `{shown}` | {spec.description} | `{spec.id}` |")
    rows.append("| `0`-`9` | Count prefix for the next motion (`10s`, `250S`, `1234G`) | |")
    rows.append("| `b` / click in the gutter | Toggle a breakpoint at the cursor line | |")
    rows.append("| `shift+↑` `shift+↓` `ctrl+u` `ctrl+n` `pgup` `pgdn` `home` `end` "
                "| Move the listing cursor | |")
    rows.append("| `enter` on a stack value | Open it in the value tree | |")
    rows.append("| `tab` / `shift+tab` | Move focus between panes | |")
    rows.append("| `ctrl+p` | Command palette (every action, themes) | |")
    rows.append("| `ctrl+q` | Quit at once | |")
    return "\n".join(rows) + "\n"


KEYS_DOC_INTRO = """# avm-debug keys

Lower case moves forward, upper case moves back (the gdb SingleKey scheme); `j`/`k` and the arrow
keys step as in Foundry. A number typed before a key repeats it (`10s`, `250S`); before `g` or `G`
it is a step number (`1234G` goes to step 1234). Every action is also in the command palette
(`ctrl+p`) and in the `:` command line (`:help` lists the commands).

"""

KEYS_DOC_REMAP = """
## Remapping keys

Put a `keymap.toml` in `$XDG_CONFIG_HOME/avm-debug/` (default `~/.config/avm-debug/`):

```toml
[keys]
step = "s,j,down,f10"
step_back = "S,k,up,shift+f10"
toggle_breakpoint = "b,f9"
```

The names on the left are the keymap ids of the table above; the keys are Textual key names,
comma-separated (`textual keys` shows what your terminal sends). Unknown ids are reported when the
debugger starts. The theme you pick (`--theme`, `:theme NAME`, or the palette's "Theme" command) is
remembered in `settings.json` in the same folder.

## `:` commands

| Command | What it does |
|---|---|
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")  # a literal | inside a Markdown table cell


def keys_document() -> str:
    """The whole of docs/keys.md (regenerate with ``python -c 'from debugger.tui.keymap import
    keys_document; print(keys_document(), end="")' > docs/keys.md``)."""
    from debugger.tui.commands import CommandRunner

    runner = CommandRunner(None)  # type: ignore[arg-type]
    rows = [f"| `:{_cell(usage)}` | {_cell(text)} |" for usage, text in runner.usage()]
    return KEYS_DOC_INTRO + keys_markdown() + KEYS_DOC_REMAP + "\n".join(rows) + "\n"
