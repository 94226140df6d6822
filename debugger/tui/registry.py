"""Every command of the TUI, in one list: its id, default keys, ``:`` names and usage, help text, the
main-screen action it runs, whether it may run while a run is in progress, and where it shows.

The main screen's key bindings, the ``:`` parser, the command palette, the help screen, docs/keys.md
and README's key table are all generated from :data:`COMMANDS`: adding a command or a key is one entry
here (plus its argument handler in :mod:`debugger.tui.commands` when its ``:`` form takes arguments,
and its ``do_*`` method on the main screen when it does something new). No Textual import here.
"""

from __future__ import annotations

from dataclasses import dataclass

from debugger.tui import classroom_commands as cc
from debugger.tui import commands as c
from debugger.tui.commands import Handler


@dataclass(frozen=True)
class Command:
    id: str                       # keymap id and binding id, e.g. "step"
    description: str              # footer, help, palette title
    action: str = ""              # main-screen action with arguments ("step(1)" runs do_step(1))
    keys: str = ""                # default keys, Textual key names, comma-separated
    display: str = ""             # how the keys read in help (defaults to keys)
    names: tuple[str, ...] = ()   # ``:`` names, the first one is the command's name
    usage: str = ""               # ``:`` usage (defaults to the first name)
    help: str = ""                # ``:`` help text (defaults to the description)
    handler: Handler | None = None  # the ``:`` form's argument handler (else the action runs)
    while_running: bool = False   # allowed while a run is in progress
    footer: bool = False          # shown in the footer
    palette: bool = True          # listed in the command palette
    # handled as the key arrives, before it is queued for the focused widget, so the keys typed right
    # after it already go where the action put the focus (the prompt's input)
    priority: bool = False

    @property
    def shown_keys(self) -> str:
        return self.display or self.keys.replace(",", " ")

    @property
    def command_usage(self) -> str:
        return self.usage or (self.names[0] if self.names else "")

    @property
    def command_help(self) -> str:
        return self.help or self.description


COMMANDS: list[Command] = [
    Command("step", "Step", "step(1)", "s,j,down", "s j ↓", ("step", "s"), "step [N]",
            "execute N instructions", c.counted("step(1)"), footer=True),
    Command("step_back", "Step back", "step(-1)", "S,k,up", "S k ↑", ("back", "S"), "back [N]",
            "step back N instructions", c.counted("step(-1)"), footer=True),
    Command("step_over", "Step over", "step_over(1)", "n", names=("over", "n"), help="step over"),
    Command("step_over_back", "Step over back", "step_over(-1)", "N", names=("overback", "N"),
            help="step over backwards"),
    Command("step_out", "Step out", "step_out(1)", "f", names=("out", "f", "finish"), help="step out"),
    Command("step_out_back", "Step out back", "step_out(-1)", "F", names=("outback", "F"),
            help="step out backwards"),
    Command("continue", "Continue", "continue(1)", "c", names=("continue", "c"), help="run to a breakpoint",
            footer=True),
    Command("reverse_continue", "Reverse continue", "continue(-1)", "C", names=("rc", "reverse", "C"),
            help="reverse continue: run back to a breakpoint"),
    Command("run_to_cursor", "Run to the cursor (the next time it runs)", "run_to_cursor(1)", "t",
            names=("until", "runto", "to"), usage="until LABEL|INDEX",
            help="run forward to the next time an instruction runs", handler=c.run_to),
    Command("run_back_to_cursor", "Run back to the cursor (the previous time it ran)", "run_to_cursor(-1)",
            "T", names=("untilback", "backto"), usage="untilback LABEL|INDEX",
            help="run back to the previous time an instruction ran", handler=c.run_back_to),
    Command("source_mode", "Source mode (step by line)", "toggle_source_mode", "v", names=("source",),
            help="compiled mini programs: the source pane, and the step keys step by source line (toggle)"),
    Command("goto", "Go to step", names=("goto", "g"), usage="goto STEP",
            help="go to step STEP of the history (runs forward if needed)", handler=c.goto, palette=False),
    Command("history_start", "Start of history (with count: go to step N)", "history_start", "g",
            names=("start",), help="first step of the history"),
    Command("history_end", "End of history (with count: go to step N)", "history_end", "G",
            names=("end",), help="last recorded step"),
    Command("restart", "Restart", "restart", names=("restart",), help="start the program again",
            usage="restart"),
    Command("toggle_breakpoint", "Breakpoint", "toggle_breakpoint", "b", footer=True),
    Command("break", "Add a breakpoint", names=("break", "b"), usage="break WHERE [if COND]",
            help="breakpoint: LABEL or INDEX [if COND], op MNEMONIC [if COND], when COND, error, log, send, "
                 "halt", handler=c.break_, palette=False, while_running=True),
    Command("tbreak", "Add a one-shot breakpoint", names=("tbreak",), usage="tbreak WHERE",
            help="one-shot breakpoint", handler=c.tbreak, palette=False, while_running=True),
    Command("watch", "Watch a value", names=("watch", "w"), usage="watch register|static|sN|aN|stack[N]",
            help="stop a run when the value changes", handler=c.watch, palette=False, while_running=True),
    Command("delete", "Delete a breakpoint", names=("delete", "d"), usage="delete N|all|wN",
            help="delete breakpoint N (or watch wN)", handler=c.delete, palette=False, while_running=True),
    Command("enable", "Enable a breakpoint", names=("enable",), usage="enable N|wN",
            help="enable breakpoint N (or watch)", handler=c.enable, palette=False, while_running=True),
    Command("disable", "Disable a breakpoint", names=("disable",), usage="disable N|wN",
            help="disable breakpoint N (or watch)", handler=c.disable, palette=False, while_running=True),
    Command("breakpoints", "Breakpoint list", "breakpoints", "B"),
    Command("list_breakpoints", "List breakpoints", names=("breakpoints", "bl", "info"),
            help="list breakpoints, watches", handler=c.list_breakpoints, palette=False,
            while_running=True),
    Command("cursor", "Move the cursor", names=("cursor", "line", "l"), usage="cursor LABEL|INDEX",
            help="move the listing cursor", handler=c.cursor, palette=False, while_running=True),
    Command("search", "Search listing", "search", "slash", "/", ("search", "find"), "search TEXT",
            "find in the listing (mnemonic, label, value)", c.search, while_running=True, priority=True),
    Command("search_next", "Next match", "search_next(1)", "full_stop", ".", while_running=True),
    Command("search_prev", "Previous match", "search_next(-1)", "comma", ",", while_running=True),
    # opens during a run (the keys typed after `:` are the command's; what it runs is queued like a key)
    Command("prompt", "Command", "prompt", "colon", ":", footer=True, priority=True, while_running=True),
    Command("inspect", "Inspect a value", names=("inspect", "i", "tree"),
            usage="inspect register|static|errcp|pc|sN|aN|inbox N", help="open a value in the tree",
            handler=c.inspect, palette=False),
    Command("inspect_register", "Inspect register", "inspect_named('register')",
            help="open the register in the value tree"),
    Command("inspect_static", "Inspect static", "inspect_named('static')",
            help="open the static value in the value tree"),
    Command("inspect_errcp", "Inspect error codepoint", "inspect_named('errcp')",
            help="the error handler codepoint in the tree"),
    Command("inspect_inbox", "Inspect next inbox message", "inspect_named('inbox')",
            help="the next unread inbox message"),
    Command("tree_stacks", "Toggle the stack as nested 2-tuples in the tree", "tree_stacks", "z",
            names=("stacks",), help="the stacks as nested 2-tuples"),
    Command("proof", "Proof", "export_proof", "p", names=("proof", "p"), usage="proof",
            help="export the proof at the cursor (verified)", handler=c.proof, footer=True),
    Command("dump", "Write the state or the trace", names=("dump", "trace"), usage="dump FILE",
            help="FILE.jsonl: the execution trace (JSON Lines); any other name: the current state (one JSON)",
            handler=c.dump, palette=False),
    Command("heat", "Hit counts in the listing", "toggle_heat", "h", names=("heat",),
            usage="heat [hits|gas|off]", help="per-instruction hit counts or gas in the listing",
            handler=c.heat),
    Command("profile", "Gas profile by function", "profile('function')", names=("profile",),
            usage="profile [function|line]", help="steps and gas so far by source function (or line), in the "
            "Output tab", handler=c.profile),
    Command("heat_off", "Hit counts off", "set_heat(None)", help="hide the heat column"),
    Command("gas_heat", "Gas heat", "set_heat('gas')", help="gas spent per instruction in the listing"),
    Command("copy", "Copy value", "copy_value('auto')", "y", names=("copy", "y"), usage="copy [hex|literal]",
            help="copy the selected value to the clipboard", handler=c.copy, while_running=True),
    Command("theme", "Switch theme", names=("theme",), usage="theme NAME",
            help="switch colour theme (remembered)", handler=c.theme, palette=False, while_running=True),
    Command("codepoint_chain", "Codepoint chain", "codepoint_chain", names=("chain",),
            help="the code as a hash chain of codepoints (teaching view)"),
    Command("dispute", "Dispute game", "open_dispute(None)", names=("dispute", "challenge"),
            usage="dispute [LIE_STEP]", help="play the challenge game on this program (optionally lying at "
            "a step)", handler=c.dispute),
    Command("proof_inspector", "Proof inspector", "open_proof_inspector(None)", names=("inspect-proof", "ip"),
            usage="inspect-proof [FILE]",
            help="open a proof file (default: the last one exported) in the proof inspector",
            handler=c.inspect_proof),
    Command("lesson", "EVM beside AVM lesson", "open_lesson(None)", names=("lesson",),
            usage="lesson [NAME|FILE]", help="step a lesson on py-evm and on the AVM side by side "
            "(default push_add)", handler=c.lesson),
    Command("origin", "Origin of the selected value", "origin", "o", names=("origin",),
            usage="origin [PLACE]",
            help="go to the step that produced the selected value (or PLACE: s1, aux0[2], register); "
                 "[ and ] follow its producers back and forth", handler=c.origin),
    Command("origin_back", "Origin: the next producer back", "origin_step(1)", "left_square_bracket", "["),
    Command("origin_forward", "Origin: back towards the value", "origin_step(-1)", "right_square_bracket",
            "]"),
    Command("history", "History of a place", names=("history",), usage="history PLACE",
            help="every change of PLACE in the recorded history (enter goes to one)", handler=c.history,
            palette=False),
    Command("prev_change", "Back to the last change of a place", names=("prevchange", "lastchange"),
            usage="prevchange PLACE [== X]", help="go back to the latest change of PLACE (to the value X)",
            handler=c.prev_change, palette=False),
    Command("next_change", "On to the next change of a place", names=("nextchange",),
            usage="nextchange PLACE [== X]", help="go to the next change of PLACE in the recorded history "
            "(to the value X)", handler=c.next_change, palette=False),
    # ---- classroom: edit and rerun, quiz, sessions, bookmarks, notes, screenshots
    Command("edit", "Edit the program", "edit", "e", names=("edit",),
            help="edit the .s source (a .mexe: its disassembly); ctrl+s saves, reassembles and reruns"),
    Command("new_program", "New program", "new_program", names=("new",),
            help="start an empty program from a template in the editor"),
    Command("quiz", "Quiz: predict, then step", "quiz", names=("quiz",),
            help="type what the next instruction will do, then it runs and is judged (Esc ends)"),
    Command("save_session", "Save the session", "save_session", names=("save-session", "save"),
            usage="save-session [FILE]", help="write the program, breakpoints, watches, bookmarks, notes and "
            "the step to FILE.session.json (reopen: avm-debug FILE.session.json)", handler=cc.save_session),
    Command("mark", "Bookmark this step", "mark", "m", "m + letter", ("mark",), "mark LETTER",
            "bookmark the current step", cc.mark, while_running=True),
    Command("jump_mark", "Go to a bookmark", "jump_mark", "apostrophe", "' + letter", ("jump",),
            "jump LETTER", "go to a bookmarked step", cc.jump, while_running=True),
    Command("marks", "List bookmarks", names=("marks", "bookmarks"), help="list the bookmarks",
            handler=cc.list_marks, palette=False, while_running=True),
    Command("note", "Keep a note at this step", names=("note",), usage="note TEXT",
            help="a note at the current step (saved with the session)", handler=cc.note, palette=False,
            while_running=True),
    Command("notes", "List notes", names=("notes",), help="the notes kept during the session",
            handler=cc.list_notes, palette=False, while_running=True),
    Command("screenshot", "Screenshot (SVG)", "screenshot", names=("screenshot",), usage="screenshot [FILE]",
            help="write an SVG of the screen, named after the program and step", handler=cc.screenshot,
            while_running=True),
    Command("interrupt", "Interrupt run / back to PC", "interrupt", "escape", "Esc", while_running=True),
    Command("help", "Help", "help", "question_mark,f1", "? F1", ("help", "h", "?"), help="keys and commands",
            while_running=True, footer=True),
    Command("quit", "Quit", "quit", "q", names=("quit", "q", "exit"), help="leave avm-debug",
            while_running=True, footer=True),
    Command("count", "Count prefix", handler=c.count_digit, palette=False),
]

BY_ID: dict[str, Command] = {cmd.id: cmd for cmd in COMMANDS}
# the commands bound to keys (keymap ids: what keymap.toml may remap)
KEYED: list[Command] = [cmd for cmd in COMMANDS if cmd.keys]
COUNT_DIGITS = "0123456789"

# the keys shown in the footer, most needed first (what does not fit a narrow terminal is cut at the end)
FOOTER_ORDER = ["step", "step_back", "continue", "toggle_breakpoint", "help", "prompt", "quit", "proof"]
assert sorted(FOOTER_ORDER) == sorted(cmd.id for cmd in COMMANDS if cmd.footer)


@dataclass(frozen=True)
class WidgetKey:
    """A key of one widget (active while it has focus), remappable by its keymap id."""

    id: str
    keys: str
    action: str
    description: str


# the listing's own keys: moving the cursor
LISTING_KEYS: list[WidgetKey] = [
    WidgetKey("listing.cursor_down", "shift+down,ctrl+n", "cursor_down", "Cursor down"),
    WidgetKey("listing.cursor_up", "shift+up,ctrl+u", "cursor_up", "Cursor up"),
    WidgetKey("listing.page_down", "pagedown", "cursor_page(1)", "Page down"),
    WidgetKey("listing.page_up", "pageup", "cursor_page(-1)", "Page up"),
    WidgetKey("listing.home", "home", "cursor_to(0)", "First instruction"),
    WidgetKey("listing.end", "end", "cursor_to(-1)", "Last instruction"),
]

KEYMAP_IDS = {cmd.id for cmd in KEYED} | {key.id for key in LISTING_KEYS}


class UnknownCommand(Exception):
    pass


# ``:`` name -> command (exact names first, then lower case)
_BY_NAME: dict[str, Command] = {name: cmd for cmd in COMMANDS for name in cmd.names}


def parse_line(line: str) -> tuple[Command, str] | None:
    """The command and its argument text for a ``:`` line (None for an empty line); ``/TEXT`` searches."""
    text = line.strip().lstrip(":").strip()
    if not text:
        return None
    if text.startswith("/"):
        return BY_ID["search"], text[1:]
    name, _, args = text.partition(" ")
    cmd = _BY_NAME.get(name) or _BY_NAME.get(name.lower())
    if cmd is None:
        raise c.CommandError(f"unknown command {name!r} (:help lists them)")
    return cmd, args.strip()


def usage() -> list[tuple[str, str]]:
    """(usage, help) of every ``:`` command, in table order."""
    return [(cmd.command_usage, cmd.command_help) for cmd in COMMANDS if cmd.names]


# ------------------------------------------------------------------------------------ generated text
def keys_for(cmd: Command, keymap: dict[str, str]) -> str:
    """The keys of ``cmd`` as the user has them (their keymap.toml wins over the defaults)."""
    mapped = keymap.get(cmd.id)
    return mapped.replace(",", " ") if mapped is not None else cmd.shown_keys


EXTRA_KEYS = [
    ("0-9", "Count prefix for the next motion (10s, 250S, 1234G)"),
    ("b / click in the gutter", "Toggle a breakpoint at the cursor line"),
    ("shift+↑ shift+↓ ctrl+u ctrl+n pgup pgdn home end", "Move the listing cursor"),
    ("↑ ↓ pgup pgdn home end (a stack has focus)", "Select a stack slot (enter, o, y act on it)"),
    ("enter on a stack value", "Open it in the value tree"),
    ("enter, click (Output tab)", "Go to the step of that output line"),
    ("tab / shift+tab", "Move focus between panes"),
    ("ctrl+p", "Command palette (every action, themes)"),
    ("ctrl+q", "Quit at once"),
]


def help_rows(keymap: dict[str, str]) -> list[tuple[str, str, str]]:
    """(keys, description, keymap id) for the help screen and docs/keys.md."""
    rows = [(keys_for(cmd, keymap), cmd.description, cmd.id) for cmd in KEYED]
    return rows + [(keys, text, "") for keys, text in EXTRA_KEYS]


def _code(text: str) -> str:
    return f"`{text}`" if text else ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")  # a literal | inside a Markdown table cell


def keys_markdown(keymap: dict[str, str] | None = None) -> str:
    rows = ["| Keys | Action | Keymap id |", "|---|---|---|"]
    rows += [f"| {_code(keys)} | {text} | {_code(ident)} |" for keys, text, ident in help_rows(keymap or {})]
    return "\n".join(rows) + "\n"


def commands_markdown() -> str:
    rows = ["| Command | What it does |", "|---|---|"]
    rows += [f"| `:{_cell(u)}` | {_cell(h)} |" for u, h in usage()]
    return "\n".join(rows) + "\n"


KEYS_DOC_INTRO = """# avm-debug keys

Lower case moves forward, upper case moves back (the gdb SingleKey scheme); `j`/`k` and the arrow
keys step as in Foundry. A number typed before a key repeats it (`10s`, `250S`); before `g` or `G`
it is a step number (`1234G` goes to step 1234). Every action is also in the command palette
(`ctrl+p`) and in the `:` command line (`:help` lists the commands).

This file is generated from `debugger/tui/registry.py` (`python -m debugger.tui.registry > docs/keys.md`).

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

"""


def keys_document() -> str:
    """The whole of docs/keys.md."""
    return KEYS_DOC_INTRO + keys_markdown() + KEYS_DOC_REMAP + commands_markdown()


README_START = "<!-- keys: generated from debugger/tui/registry.py -->"
README_END = "<!-- end of keys -->"


def readme_keys() -> str:
    """README's key table (between README_START and README_END; a test checks it is current)."""
    rows = ["| Keys | Action |", "|---|---|"]
    rows += [f"| `{keys}` | {text} |" for keys, text, _ident in help_rows({})]
    return "\n".join(rows) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(keys_document(), end="")
