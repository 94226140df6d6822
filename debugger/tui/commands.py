"""The ``:`` command language of the TUI: every action by name, with arguments.

``CommandRunner.run(text)`` returns a message to show (or None) and raises :class:`CommandError`
(or ``UserError``) for bad input. Commands call the app's actions, so a command and its key behave
the same.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import TYPE_CHECKING

from avm.core.opcodes import BY_NAME
from avm.errors import UserError

if TYPE_CHECKING:
    from debugger.tui.app import DebuggerApp


class CommandError(UserError):
    """A command the prompt cannot run (unknown name, bad argument)."""


def _int(text: str, what: str = "number") -> int:
    try:
        return int(text.replace("_", "").replace(",", ""), 0)
    except ValueError:
        raise CommandError(f"expected a {what}, not {text!r}") from None


def _file_arg(args: str) -> str:
    """The first (shell-quoted) word of ``args``: a file name that may hold spaces."""
    try:
        words = shlex.split(args)
    except ValueError as exc:   # an unbalanced quote
        raise CommandError(f"bad file name {args!r}: {exc} (a quote must be closed)") from None
    if not words:
        raise CommandError("expected a file name")
    return words[0]


class CommandRunner:
    """Parses and runs one command line."""

    def __init__(self, app: DebuggerApp) -> None:
        self.app = app
        # name -> (handler(args), usage, help)
        self.table: dict[str, tuple[Callable[[str], str | None], str, str]] = {}
        add = self._add
        add(["goto", "g"], self.goto, "goto STEP", "go to step STEP of the history (runs forward if needed)")
        add(["step", "s"], self.step, "step [N]", "execute N instructions")
        add(["back", "S"], self.back, "back [N]", "step back N instructions")
        add(["over", "n"], lambda a: self._action("step_over(1)"), "over", "step over")
        add(["overback", "N"], lambda a: self._action("step_over(-1)"), "overback", "step over backwards")
        add(["out", "f", "finish"], lambda a: self._action("step_out(1)"), "out", "step out")
        add(["outback", "F"], lambda a: self._action("step_out(-1)"), "outback", "step out backwards")
        add(["continue", "c"], lambda a: self._action("continue(1)"), "continue", "run to a breakpoint")
        add(["rc", "reverse", "C"], lambda a: self._action("continue(-1)"), "rc",
            "reverse continue: run back to a breakpoint")
        add(["until", "runto", "to"], self.run_to, "until LABEL|INDEX", "run to an instruction (or back)")
        add(["start"], lambda a: self._goto(0), "start", "first step of the history")
        add(["end"], lambda a: self._goto(self.app.session.history_end), "end", "last recorded step")
        add(["restart"], lambda a: self._action("restart"), "restart", "start the program again")
        add(["break", "b"], self.break_, "break WHERE [if COND]",
            "breakpoint: LABEL or INDEX [if COND], op MNEMONIC [if COND], when COND, "
            "error, log, send, halt")
        add(["tbreak"], lambda a: self.break_(a, one_shot=True), "tbreak WHERE", "one-shot breakpoint")
        add(["watch", "w"], self.watch, "watch register|static|sN|aN|stack[N]",
            "stop a run when the value changes")
        add(["delete", "d"], self.delete, "delete N|all|wN", "delete breakpoint N (or watch wN)")
        add(["enable"], lambda a: self.enable(a, True), "enable N|wN", "enable breakpoint N (or watch)")
        add(["disable"], lambda a: self.enable(a, False), "disable N|wN", "disable breakpoint N (or watch)")
        add(["breakpoints", "bl", "info"], self.list_breakpoints, "breakpoints", "list breakpoints, watches")
        add(["cursor", "line", "l"], self.cursor, "cursor LABEL|INDEX", "move the listing cursor")
        add(["search", "find"], self.search, "search TEXT", "find in the listing (mnemonic, label, value)")
        add(["inspect", "i", "tree"], self.inspect, "inspect register|static|errcp|pc|sN|aN|inbox N",
            "open a value in the tree")
        add(["stacks"], lambda a: self._action("tree_stacks"), "stacks", "the stacks as nested 2-tuples")
        add(["proof", "p"], self.proof, "proof", "export the proof at the cursor (verified)")
        add(["dump", "trace"], self.dump, "dump FILE", "write the execution trace to FILE")
        add(["heat"], self.heat, "heat [hits|gas|off]", "per-instruction hit counts or gas in the listing")
        add(["copy", "y"], self.copy, "copy [hex|literal]", "copy the selected value to the clipboard")
        add(["theme"], self.theme, "theme NAME", "switch colour theme (remembered)")
        add(["chain"], lambda a: self._action("codepoint_chain"), "chain",
            "the code as a hash chain of codepoints (teaching view)")
        add(["dispute", "challenge"], self.dispute, "dispute [LIE_STEP]",
            "play the challenge game on this program (optionally lying at a step)")
        add(["inspect-proof", "ip"], self.inspect_proof, "inspect-proof [FILE]",
            "open a proof file (default: the last one exported) in the proof inspector")
        add(["help", "h", "?"], lambda a: self._action("help"), "help", "keys and commands")
        add(["quit", "q", "exit"], lambda a: self._action("quit_app"), "quit", "leave avm-debug")

    def _add(self, names: list[str], handler: Callable[[str], str | None], usage: str, text: str) -> None:
        for name in names:
            self.table[name] = (handler, usage, text)

    def usage(self) -> list[tuple[str, str]]:
        seen: set[str] = set()
        out = []
        for _handler, usage, text in self.table.values():
            if usage not in seen:
                seen.add(usage)
                out.append((usage, text))
        return out

    def run(self, line: str) -> str | None:
        text = line.strip().lstrip(":").strip()
        if not text:
            return None
        if text.startswith("/"):
            return self.search(text[1:])
        name, _, args = text.partition(" ")
        entry = self.table.get(name) or self.table.get(name.lower())
        if entry is None:
            raise CommandError(f"unknown command {name!r} (:help lists them)")
        return entry[0](args.strip())

    # ------------------------------------------------------------------ handlers
    def _action(self, action: str) -> None:
        self.app.run_action_now(action)

    def _goto(self, step: int) -> None:
        self.app.goto_step(step)

    def goto(self, args: str) -> None:
        if not args:
            raise CommandError("usage: goto STEP")
        self._goto(_int(args, "step number"))

    def step(self, args: str) -> None:
        self.app.count_prefix = str(_int(args)) if args else ""
        self._action("step(1)")

    def back(self, args: str) -> None:
        self.app.count_prefix = str(_int(args)) if args else ""
        self._action("step(-1)")

    def _index(self, where: str) -> int:
        if not where:
            raise CommandError("expected a label or instruction index")
        index, _label = self.app.session.breakpoints.resolve_location(where)
        return index

    def run_to(self, args: str) -> None:
        index = self._index(args)
        self.app.query_one("#listing").cursor_to(index, center=True)
        self._action("run_to_cursor")

    def break_(self, args: str, one_shot: bool = False) -> str:
        if not args:
            return self.list_breakpoints("")
        manager = self.app.session.breakpoints
        try:
            bp = manager.add(args, one_shot=one_shot)
        except UserError:
            head, _, rest = args.partition(" ")
            if head.lower() not in BY_NAME:
                raise
            bp = manager.add(f"op {args}", one_shot=one_shot)   # `break tset`: an opcode breakpoint
        self.app.breakpoints_changed()
        return f"breakpoint {bp.describe(self.app.program)}"

    def watch(self, args: str) -> str:
        if not args:
            raise CommandError("usage: watch register|static|sN|aN|stack[N]|aux[N]")
        w = self.app.session.watches.add(args)
        return w.describe()

    def _numbered(self, args: str) -> tuple[str, int]:
        text = args.strip().lstrip("#")
        if text[:1] in ("w", "W"):
            return "watch", _int(text[1:], "watch number")
        return "break", _int(text, "breakpoint number")

    def delete(self, args: str) -> str:
        session = self.app.session
        if args.strip() == "all":
            session.breakpoints.clear()
            self.app.breakpoints_changed()
            return "all breakpoints deleted"
        kind, number = self._numbered(args)
        (session.watches if kind == "watch" else session.breakpoints).delete(number)
        self.app.breakpoints_changed()
        return f"{kind} #{number} deleted"

    def enable(self, args: str, on: bool) -> str:
        session = self.app.session
        kind, number = self._numbered(args)
        (session.watches if kind == "watch" else session.breakpoints).enable(number, on)
        self.app.breakpoints_changed()
        return f"{kind} #{number} {'enabled' if on else 'disabled'}"

    def list_breakpoints(self, args: str) -> str:
        session = self.app.session
        lines = [bp.describe(self.app.program) for bp in session.breakpoints.list()]
        lines += [w.describe() for w in session.watches.list()]
        return "; ".join(lines) if lines else "no breakpoints or watches"

    def cursor(self, args: str) -> str:
        index = self._index(args)
        self.app.query_one("#listing").cursor_to(index, center=True)
        return f"cursor at #{index}"

    def search(self, args: str) -> str | None:
        if not args:
            raise CommandError("usage: search TEXT")
        self.app.search_text = args
        found = self.app.search(1)
        return None if found is None else f"found at #{found}"

    def inspect(self, args: str) -> None:
        self.app.inspect(args or "register")

    def proof(self, args: str) -> None:
        if args:
            self.app.query_one("#listing").cursor_to(self._index(args), center=True)
        self._action("export_proof")

    def dump(self, args: str) -> str:
        if not args:
            raise CommandError("usage: dump FILE")
        path = _file_arg(args)
        count = self.app.session.write_trace(path)
        return f"trace of {count:,} steps written to {path}"

    def heat(self, args: str) -> str:
        mode = (args or "hits").lower()
        if mode not in ("hits", "gas", "off"):
            raise CommandError("usage: heat [hits|gas|off]")
        self.app.set_heat(None if mode == "off" else mode)
        return "heat off" if mode == "off" else f"listing shows {mode}"

    def copy(self, args: str) -> None:
        form = (args or "auto").lower()
        if form not in ("auto", "hex", "literal"):
            raise CommandError("usage: copy [hex|literal]")
        self.app.action_copy_value(form)

    def dispute(self, args: str) -> None:
        self.app.open_dispute(_int(args, "step number") if args else None)

    def inspect_proof(self, args: str) -> None:
        self.app.open_proof_inspector(_file_arg(args) if args else None)

    def theme(self, args: str) -> str:
        name = args.strip()
        themes = sorted(self.app.available_themes)
        if name not in self.app.available_themes:
            raise CommandError(f"unknown theme {name!r}; themes: {', '.join(themes)}")
        self.app.theme = name
        return f"theme {name}"

