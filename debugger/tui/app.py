"""The avm-debug Textual app: panes over a :class:`debugger.engine.session.Session`.

The app is the only place that talks to the session. Short moves (a step, a few hundred steps) run on
the UI thread; anything that can run long (continue, run to cursor, go to step, step over/out, big
counts) runs in one thread worker while a 20 Hz timer shows progress. Panes are refreshed once per stop.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from functools import partial, wraps
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.color import Color
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.theme import Theme
from textual.widget import Widget
from textual.widgets import Footer, Static, TabbedContent, TabPane, Tree
from textual.worker import get_current_worker

from avm.errors import UserError
from debugger.engine.display import instruction_text, literal
from debugger.resources import themes_dir
from debugger.tui import keymap as km
from debugger.tui.commands import CommandError, CommandRunner
from debugger.tui.widgets.confirm import ConfirmScreen
from debugger.tui.widgets.explain import ExplainPane
from debugger.tui.widgets.hashes import HashesPane
from debugger.tui.widgets.help_screen import HelpScreen
from debugger.tui.widgets.kv_pane import KeyValuePane
from debugger.tui.widgets.listing import Listing
from debugger.tui.widgets.notes import NotesPane, NoteStrip
from debugger.tui.widgets.output import OutputPane
from debugger.tui.widgets.prompt import CommandLine
from debugger.tui.widgets.registers import RegistersPane
from debugger.tui.widgets.stack_view import StackView
from debugger.tui.widgets.value_tree import ValueTree, stack_as_tuples

DEFAULT_THEME = "avm-dark"
# registers/hashes rows that open a value in the tree when clicked
ROW_TARGETS = {"register": "register", "reg hash": "register", "static": "static", "err cp": "errcp",
               "pc": "pc", "codepoint": "pc", "inbox": "inbox"}
SYNC_STEP_LIMIT = 2_000     # counts above this run in the worker
PROGRESS_PERIOD = 1 / 20    # seconds between progress refreshes while running
WIDE_WIDTH = 140            # from this width the registers/hashes/explain column is shown
HEAT_SYNC_LIMIT = 200_000   # above this many steps, profiles (heat, notes reached) are built in the worker
# app actions still available while another screen (help, proof, teaching view) is on top
SECONDARY_SCREEN_ACTIONS = ("help", "command_palette", "quit", "help_quit")


# the tabs under the panes: title (its lower case names the tab "tab-NAME" and the pane "NAME"), pane
TABS: list[tuple[str, type[Widget]]] = [
    ("Registers", RegistersPane), ("Output", OutputPane), ("Tree", ValueTree), ("Hashes", HashesPane),
    ("Explain", ExplainPane), ("Notes", NotesPane),
]


def load_bundled_themes() -> list[Theme]:
    """Themes shipped as ``themes/*.toml`` (package data ``debugger.themes``)."""
    out = []
    for entry in sorted(themes_dir().iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".toml"):
            data = km.parse_toml(entry.read_text(encoding="utf-8"))
            out.append(Theme(**data))
    return out


class DebuggerCommands(Provider):
    """Command-palette entries: every key action, by name."""

    def _entries(self) -> list[tuple[str, str, str]]:
        app = self.app
        assert isinstance(app, DebuggerApp)
        return [(spec.description, spec.action, f"keys: {app.keys_for(spec.id)}") for spec in km.KEYS] + [
            ("Restart", "restart", "start the program again (breakpoints stay)"),
            ("Codepoint chain", "codepoint_chain", "the code as a hash chain (teaching view)"),
            ("Dispute game", "dispute", "bisect a disagreement down to one step, then prove it"),
            ("Proof inspector", "proof_inspector", "the last exported proof, field by field"),
            ("Inspect register", "inspect_named('register')", "open the register in the value tree"),
            ("Inspect static", "inspect_named('static')", "open the static value in the value tree"),
            ("Inspect error codepoint", "inspect_named('errcp')", "the error handler codepoint in the tree"),
            ("Inspect next inbox message", "inspect_named('inbox')", "the next unread inbox message"),
            ("Hit counts off", "heat_off", "hide the heat column"),
            ("Gas heat", "gas_heat", "gas spent per instruction in the listing"),
        ]

    async def discover(self) -> Hits:
        for title, action, help_text in self._entries():
            yield DiscoveryHit(title, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, help_text in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self.app.run_action, action),
                          help=help_text)


class DebuggerApp(App[int]):
    """avm-debug: listing, stacks, registers, hashes, tree, output, explain, notes."""

    CSS_PATH = "app.tcss"
    TITLE = "avm-debug"
    COMMANDS = App.COMMANDS | {DebuggerCommands}
    # footer keys show their first key only, in FOOTER_ORDER, so that help and quit fit in 80 columns
    BINDINGS = [
        Binding(spec.keys, spec.action, spec.description, show=spec.show, id=spec.id,
                key_display=(spec.display or spec.keys).split()[0] if spec.show else spec.display or None,
                priority=spec.priority)
        for spec in sorted(km.KEYS, key=lambda spec: km.FOOTER_ORDER.index(spec.id)
                           if spec.id in km.FOOTER_ORDER else len(km.FOOTER_ORDER))
    ] + [Binding(d, f"digit({d})", "count", show=False) for d in km.COUNT_DIGITS]

    running: reactive[bool] = reactive(False, bindings=True)

    def __init__(self, session: Any, *, theme: str | None = None, config_dir: Path | None = None,
                 program_name: str = "program", persist_theme: bool = True) -> None:
        super().__init__()
        self.session = session
        self.program = session.program
        self.program_name = program_name
        self.config_dir = config_dir or km.config_dir()
        self.persist_theme = persist_theme
        self.count_prefix = ""
        self.last_stop: str = "ready"
        self.run_label = ""
        self.run_started = 0.0
        self.run_start_steps = 0
        self.search_text = ""
        self.last_proof: Path | None = None
        self.heat_mode: str | None = None
        self.tree_source: tuple[str, Any] | None = None
        self._tree_before_stacks: tuple[str, Any] | None = None
        self.reached: set[int] = set()
        self.last_message = ""
        self.settings = km.load_settings(self.config_dir)
        self._bp_cache: tuple[int, dict[int, str]] = (-1, {})
        self._progress_timer: Any = None
        self.hashes_ready = False
        self._stop_after_run: Callable[[Any], None] | None = None
        self.commands = CommandRunner(self)
        for bundled in load_bundled_themes():
            self.register_theme(bundled)
        chosen = theme or self.settings.get("theme") or DEFAULT_THEME
        if chosen not in self.available_themes:
            chosen = DEFAULT_THEME
        self.theme = chosen
        self.user_keymap, self.keymap_problems = km.load_keymap(self.config_dir)
        if self.user_keymap:
            self.set_keymap(self.user_keymap)

    # ------------------------------------------------------------------ theme
    def get_theme_variable_defaults(self) -> dict[str, str]:
        t = self.current_theme
        primary = Color.parse(t.primary)
        background = Color.parse(t.surface or t.background or ("#000000" if t.dark else "#ffffff"))
        return {
            "listing-pc-background": background.blend(primary, 0.45).hex,
            "listing-cursor-background": background.blend(Color.parse(t.foreground or "#888888"), 0.15).hex,
        }

    def _theme_changed(self, theme: Theme) -> None:
        if self.persist_theme and self.settings.get("theme") != theme.name:
            self.settings["theme"] = theme.name
            km.save_settings(self.settings, self.config_dir)

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Static("", id="status", markup=False)
        with Horizontal(id="main"):
            with Vertical(id="code"):
                yield Listing(self.program, self._bp_marker, id="listing")
                yield NoteStrip(id="note-strip")
            with Vertical(id="stacks"):
                yield StackView("data stack", id="data-stack")
                yield StackView("aux stack", id="aux-stack")
            with Vertical(id="side"):
                yield RegistersPane(id="side-registers", classes="pane")
                yield HashesPane(id="side-hashes", classes="pane")
                yield ExplainPane(id="side-explain", classes="pane")
        with TabbedContent(id="tabs", initial="tab-registers"):
            for title, pane in TABS:
                with TabPane(title, id=f"tab-{title.lower()}"):
                    yield pane(id=title.lower())
        yield Footer(compact=True)
        yield CommandLine(id="prompt")    # docked over the footer while open

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self._theme_changed(self.current_theme)  # a --theme choice is remembered too
        listing = self.query_one(Listing)
        listing.border_title = self.program_name
        self.query_one("#side-registers").border_title = "registers"
        self.query_one("#side-hashes").border_title = "hashes"
        self.query_one("#side-explain").border_title = "explain"
        listing.focus()
        self._warm_hashes()
        self._apply_layout(self.size.width)  # also fills every pane
        for problem in self.keymap_problems:
            self.notify(problem, title="keymap", severity="warning")

    def on_resize(self, event: Any) -> None:
        self._apply_layout(event.size.width)

    def _apply_layout(self, width: int) -> None:
        """Wide terminals get a column for registers, hashes and explain; narrow ones put them in tabs."""
        wide = width >= WIDE_WIDTH
        self.screen.set_class(wide, "wide")
        tabs = self.query_one(TabbedContent)
        for pane in ("tab-registers", "tab-hashes", "tab-explain"):
            (tabs.hide_tab if wide else tabs.show_tab)(pane)
        if wide and tabs.active in ("tab-registers", "tab-hashes", "tab-explain", ""):
            tabs.active = "tab-output"
        if not self.running:
            self.refresh_views(mark_changes=False)

    @work(thread=True, group="warm", exit_on_error=False)
    def _warm_hashes(self) -> None:
        """Hash the code chain and the static value off the UI thread, so the first frame of a big
        program does not wait for it (76,000 codepoints take about a second)."""
        from avm.core.values import value_hash

        program = self.program
        try:
            value_hash(program.static)
            if program.code:
                value_hash(program.code[0])
        finally:
            self.call_from_thread(self._hashes_warmed)

    def _hashes_warmed(self) -> None:
        self.hashes_ready = True
        if not self.running:
            self.refresh_views(mark_changes=False)

    # ------------------------------------------------------------------ state -> panes
    @property
    def wide(self) -> bool:
        return self.screen.has_class("wide")

    def pc_index(self) -> int | None:
        index = self.session.machine.pc.index
        return index if 0 <= index < len(self.program.code) else None

    def _bp_marker(self, index: int) -> str | None:
        manager = self.session.breakpoints
        version, markers = self._bp_cache
        if version != manager.version:
            markers = {}
            for bp in manager.list():
                if bp.index is None or getattr(bp.kind, "value", "") != "instruction":
                    continue
                mark = "○" if not bp.enabled else ("◆" if bp.condition is not None else "●")
                if markers.get(bp.index) != "●":
                    markers[bp.index] = mark
            for index_ in self.program.compiled_breakpoints:
                markers.setdefault(index_, "▲")
            self._bp_cache = (manager.version, markers)
        return markers.get(index)

    def refresh_views(self, mark_changes: bool = True) -> None:
        """Bring every pane up to the session's current state (once per stop)."""
        session = self.session
        m = session.machine
        listing = self.query_one(Listing)
        pc = self.pc_index()
        if pc is not None:
            self.reached.add(pc)
        listing.refresh_breakpoints() if self._bp_cache[0] != session.breakpoints.version else None
        listing.set_pc(pc)
        self.query_one("#data-stack", StackView).sync(m.stack)
        self.query_one("#aux-stack", StackView).sync(m.aux)
        wide = self.wide
        reg_id, hash_id = ("#side-registers", "#side-hashes") if wide else ("#registers", "#hashes")
        ready = self.hashes_ready
        self.query_one(reg_id, RegistersPane).update_from(session, ready, mark_changes)
        self.query_one(hash_id, HashesPane).update_from(session, ready, mark_changes)
        self._refresh_explain()
        self.query_one(NotesPane).update_from(self.program, self._notes_reached(), pc)
        self.query_one(NoteStrip).update_from(self.program, pc)
        self.query_one(OutputPane).update_from(session)
        if self.heat_mode:
            self._refresh_heat()
        self._refresh_tree_source()
        self.update_status()

    def _notes_reached(self) -> set[int]:
        """Instructions whose lesson notes have been reached (all executed ones, for short runs)."""
        if not self.program.notes:
            return set()
        if self.session.step <= HEAT_SYNC_LIMIT:
            self.reached |= self.session.executed_instructions()
        return self.reached

    def _refresh_explain(self) -> None:
        pane = self.query_one("#side-explain" if self.wide else "#explain", ExplainPane)
        listing = self.query_one(Listing)
        m = self.session.machine
        pc = self.pc_index()
        if listing.cursor != pc and self.program.code:
            pane.show(self.program.code[listing.cursor], listing.cursor, None, None, current=False)
        else:
            pane.show(m.pc, pc, m.stack, m.aux, current=True)

    def update_status(self) -> None:
        session = self.session
        m = session.machine
        pc = self.pc_index()
        if pc is not None:
            text = self.query_one(Listing).line_text(pc)      # as the listing shows it
            where = f"#{pc} {text if len(text) <= 28 else text[:27] + '…'}"
        else:
            where = instruction_text(m.pc, 24)
        parts = [f"step {session.step:,}/{session.history_end:,}", where, f"gas {m.gas_used:,} used"]
        status = m.status.name.lower()
        if status != "extensive" and status not in self.last_stop.replace(" ", ""):
            parts.append(status)     # "extensive" (running normally) is the registers pane's business
        if self.running:
            elapsed = max(1e-6, time.monotonic() - self.run_started)
            done = abs(self._live_steps() - self.run_start_steps)
            if done:
                parts = [f"{self.run_label}: {done:,} steps, {done / elapsed:,.0f} steps/s (Esc stops)"]
            else:  # a backward search replays on a copy of the machine: no step count to show
                parts = [f"{self.run_label}: working, {elapsed:,.1f} s (Esc stops)"]
        else:
            parts.append(self.last_stop)
        if self.count_prefix:
            parts.append(f"count {self.count_prefix}")
        self.query_one("#status", Static).update(Content(" │ ".join(parts)), layout=False)

    def _live_steps(self) -> int:
        try:
            return int(self.session.machine.steps)
        except Exception:  # the session may be swapping machines
            return self.run_start_steps

    def _refresh_tree_source(self) -> None:
        if self.tree_source is None:
            return
        name, value = self.tree_source
        current = self._resolve_location(name) if name in ("register", "static", "errcp") else None
        if current is not None and current is not value:
            self.show_in_tree(name, current)

    # ------------------------------------------------------------------ actions: running
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.screen is not self.screen_stack[0]:
            # a dialog or teaching view is open: the main screen's keys would act unseen behind it
            # (and ':' and '/' are priority keys: the view's own input needs them)
            return action in SECONDARY_SCREEN_ACTIONS
        if self.running and action not in ("interrupt", "quit_app", "help", "command_palette", "quit",
                                           "search", "search_next", "copy_value", "digit"):
            return None
        return True

    def _take_count(self, default: int = 1) -> int:
        text, self.count_prefix = self.count_prefix, ""
        return int(text) if text else default

    def action_digit(self, digit: str) -> None:
        if digit == "0" and not self.count_prefix:
            return
        self.count_prefix = (self.count_prefix + str(digit))[-9:]
        self.update_status()

    def action_step(self, direction: int) -> None:
        count = self._take_count()
        if count > SYNC_STEP_LIMIT:
            label = "stepping" if direction > 0 else "stepping back"
            self.start_run(label, lambda: self._step_many(direction, count))
            return
        fn = self.session.step_forward if direction > 0 else self.session.step_back
        self.do_now(lambda: fn(count))

    def _step_many(self, direction: int, count: int) -> Any:
        fn = self.session.step_forward if direction > 0 else self.session.step_back
        return fn(count)

    def action_step_over(self, direction: int) -> None:
        self._repeat_in_worker("step over", self.session.step_over if direction > 0
                               else self.session.step_over_back)

    def action_step_out(self, direction: int) -> None:
        self._repeat_in_worker("step out", self.session.step_out if direction > 0
                               else self.session.step_out_back)

    def action_continue(self, direction: int) -> None:
        self._repeat_in_worker("continue" if direction > 0 else "reverse continue",
                               self.session.continue_ if direction > 0 else self.session.reverse_continue)

    def _repeat_in_worker(self, label: str, fn: Callable[[], Any]) -> None:
        count = self._take_count()

        def repeat() -> Any:
            stop = None
            for _ in range(count):
                stop = fn()
                if get_current_worker().is_cancelled or _stop_is_final(stop):
                    break
            return stop

        self.start_run(label, repeat)

    def action_run_to_cursor(self) -> None:
        self._take_count()
        target = self.query_one(Listing).cursor
        self.start_run(f"run to #{target}", lambda: self.session.run_to(target))

    def action_history_start(self) -> None:
        count = self._take_count(0)
        self.goto_step(count if count else 0)

    def action_history_end(self) -> None:
        count = self._take_count(0)
        self.goto_step(count if count else self.session.history_end)

    def goto_step(self, step: int) -> None:
        if step <= self.session.history_end:
            # a replay of at most one checkpoint interval (as a step back): done at once, so that keys
            # typed right after `g` are not dropped as "a run is in progress"
            self.do_now(lambda: self.session.goto(step))
            return
        self.start_run(f"go to step {step:,}", lambda: self.session.goto(step))

    def action_interrupt(self) -> None:
        self.count_prefix = ""
        if self.running:
            self.session.interrupt()
            self.workers.cancel_group(self, "run")
            return
        listing = self.query_one(Listing)
        pc = self.pc_index()
        listing.follow = True
        if pc is not None:
            listing.cursor_to(pc, center=True, user=False)
        self.update_status()

    def action_restart(self) -> None:
        self.do_now(self.session.restart)
        self.reached.clear()

    # -- doing things safely ------------------------------------------------------------------------
    def do_now(self, fn: Callable[[], Any]) -> None:
        """Run a short session call on the UI thread and refresh; errors become notifications."""
        try:
            stop = fn()
        except UserError as err:
            self.notify(str(err), severity="warning")
            return
        except Exception as err:  # the TUI never dies from a session problem
            self.report_crash(err)
            return
        self.after_stop(stop)

    def report_crash(self, err: BaseException) -> None:
        detail = "".join(traceback.format_exception_only(type(err), err)).strip()
        self.log.error("".join(traceback.format_exception(type(err), err, err.__traceback__)))
        try:
            self.query_one(OutputPane).note(f"internal error: {detail}")
        except Exception:  # the output pane may not exist yet (or any more)
            pass
        self.notify(f"internal error: {detail}", severity="error")

    def after_stop(self, stop: Any) -> None:
        if stop is not None and hasattr(stop, "reason"):
            self.last_stop = describe_stop(stop)
            self.last_message = self.last_stop
        self.refresh_views()

    def start_run(self, label: str, fn: Callable[[], Any], then: Callable[[Any], None] | None = None) -> None:
        if self.running:
            return
        self.running = True
        self.run_label = label
        self.run_started = time.monotonic()
        self.run_start_steps = self._live_steps()
        self._stop_after_run = then
        self.update_status()
        self._progress_timer = self.set_interval(PROGRESS_PERIOD, self._show_progress)
        self._run_worker(fn)

    @work(thread=True, exclusive=True, group="run", exit_on_error=False)
    def _run_worker(self, fn: Callable[[], Any]) -> None:
        try:
            result: Any = fn()
            error: BaseException | None = None
        except BaseException as err:  # reported on the UI thread
            result, error = None, err
        self.call_from_thread(self._run_finished, result, error)

    def _show_progress(self) -> None:
        if self.running:
            self.update_status()
            pc = self.pc_index()
            if pc is not None:
                self.query_one(Listing).set_pc(pc)

    def _run_finished(self, stop: Any, error: BaseException | None) -> None:
        self.running = False
        if self._progress_timer is not None:
            self._progress_timer.stop()
            self._progress_timer = None
        if error is not None:
            if isinstance(error, UserError):
                self.notify(str(error), severity="warning")
                self.last_stop = str(error)
            else:
                self.report_crash(error)
            self.refresh_views()
            return
        self.after_stop(stop)
        then, self._stop_after_run = self._stop_after_run, None
        if then is not None:
            then(stop)

    # ------------------------------------------------------------------ actions: breakpoints
    def action_toggle_breakpoint(self) -> None:
        self._take_count()
        self.toggle_breakpoint_at(self.query_one(Listing).cursor)

    def toggle_breakpoint_at(self, index: int) -> None:
        try:
            bp = self.session.breakpoints.toggle_at(index)
        except UserError as err:
            self.notify(str(err), severity="warning")
            return
        self.query_one(Listing).refresh_breakpoints()
        self.notify(f"breakpoint {bp.describe(self.program)}" if bp else f"breakpoint at #{index} removed",
                    timeout=2)

    @on(Listing.GutterClicked)
    def _gutter_clicked(self, event: Listing.GutterClicked) -> None:
        self.toggle_breakpoint_at(event.index)

    @on(OutputPane.StepChosen)
    def _output_chosen(self, event: OutputPane.StepChosen) -> None:
        self.goto_step(event.step)

    @on(Listing.CursorMoved)
    def _cursor_moved(self, event: Listing.CursorMoved) -> None:
        if not self.running:
            self._refresh_explain()

    def action_breakpoints(self) -> None:
        from debugger.tui.widgets.breakpoint_list import BreakpointScreen

        self.push_screen(BreakpointScreen(self.session, self.program), lambda _: self._breakpoints_closed())

    def _breakpoints_closed(self) -> None:
        self.query_one(Listing).refresh_breakpoints()

    # ------------------------------------------------------------------ prompt, search, help
    def action_prompt(self) -> None:
        self._take_count()
        self.query_one(CommandLine).open(":", "command (help lists them)", self._prompt_done)

    def _prompt_done(self, text: str | None) -> None:
        if text:
            self.run_command(text)

    def run_command(self, text: str) -> None:
        try:
            message = self.commands.run(text)
        except (CommandError, UserError) as err:
            self.notify(str(err), severity="warning")
            self.last_message = str(err)
            return
        except Exception as err:
            self.report_crash(err)
            return
        if message:
            self.last_message = message
            self.notify(message, timeout=3)

    def action_search(self) -> None:
        self._take_count()
        hint = self.search_text or "mnemonic, label or value"
        self.query_one(CommandLine).open("/", hint, self._search_done)

    def _search_done(self, text: str | None) -> None:
        if text:
            self.search_text = text
            self.search(1)

    def action_search_next(self, direction: int) -> None:
        if not self.search_text:
            self.notify("no search yet: press / first", severity="warning")
            return
        self.search(direction)

    def search(self, direction: int) -> int | None:
        """Move the cursor to the next instruction whose text or label contains the search text."""
        listing = self.query_one(Listing)
        needle = self.search_text.lower().strip()
        try:
            number: int | None = int(needle.replace("_", ""), 0)
        except ValueError:
            number = None
        code = self.program.code
        count = len(code)
        labels = self.program.labels
        for offset in range(1, count + 1):
            index = (listing.cursor + direction * offset) % count
            label = labels.get(index, "")
            if (needle in label.lower() or needle in listing.line_text(index).lower()
                    or (number is not None and type(code[index].imm) is int and code[index].imm == number)):
                listing.match = index
                listing.cursor_to(index, center=True)
                self.last_message = f"/{self.search_text}: #{index}"
                self.update_status()
                return index
        self.notify(f"{self.search_text!r} not found", severity="warning")
        return None

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.help_markdown()))

    def keys_for(self, binding_id: str) -> str:
        keys = self.user_keymap.get(binding_id)
        if keys is None:
            spec = next(s for s in km.KEYS if s.id == binding_id)
            return spec.display or spec.keys
        return keys.replace(",", " ")

    def help_markdown(self) -> str:
        rows = ["# avm-debug keys", "", "Lower case goes forward, upper case goes back. "
                "A number before a key repeats it (`10s`, `250S`); before `g`/`G` it is a step number.", "",
                "| Keys | Action | Keymap id |", "|---|---|---|"]
        for spec in km.KEYS:
            rows.append(f"| `{self.keys_for(spec.id)}` | {spec.description} | `{spec.id}` |")
        rows += ["| `0`-`9` | count prefix | |", "| `ctrl+p` | command palette | |",
                 "| `ctrl+q` | quit at once | |", "| `tab` | next pane | |",
                 "| `enter`, click (Output tab) | go to the step of that output line | |", "",
                 f"Remap keys in `{self.config_dir / 'keymap.toml'}` (`[keys]` table, e.g. "
                 '`step = "s,j,down,f10"`).', "", "# Commands (`:`)", ""]
        rows += [f"- `{usage}`: {text}" for usage, text in self.commands.usage()]
        return "\n".join(rows)

    # ------------------------------------------------------------------ values
    @on(KeyValuePane.RowClicked)
    def _row_clicked(self, event: KeyValuePane.RowClicked) -> None:
        target = ROW_TARGETS.get(event.name)
        if target is not None:
            self.inspect(target)

    @on(StackView.Selected)
    def _stack_selected(self, event: StackView.Selected) -> None:
        prefix = "s" if event.view.id == "data-stack" else "a"
        self.show_in_tree(f"{prefix}{event.depth} at step {self.session.step:,}", event.value)

    def show_in_tree(self, title: str, value: Any) -> None:
        self.tree_source = (title, value)
        self.query_one(ValueTree).show_value(title, value)
        self.query_one(TabbedContent).active = "tab-tree"

    def _resolve_location(self, name: str) -> Any:
        m = self.session.machine
        if name == "register":
            return m.register
        if name == "static":
            return m.static
        if name in ("errcp", "err", "error"):
            return m.err_handler
        if name == "pc":
            return m.pc
        if name.startswith("inbox"):
            number = int(name[5:].strip() or m.inbox_count)
            return m.inbox[number]
        if name[:1] in "sa" and name[1:].isdigit():
            items = m.stack if name[0] == "s" else m.aux
            depth = int(name[1:])
            return items[-1 - depth]
        raise UserError(f"nothing called {name!r} (register, static, errcp, pc, sN, aN, inbox N)")

    def inspect(self, name: str) -> None:
        key = name.strip().replace(" ", "")
        try:
            value = self._resolve_location(key)
        except (IndexError, ValueError):
            raise UserError(f"{name!r} does not exist at this step") from None
        self.show_in_tree(key, value)

    def action_inspect_named(self, name: str) -> None:
        try:
            self.inspect(name)
        except UserError as err:
            self.notify(str(err), severity="warning")

    def action_tree_stacks(self) -> None:
        """Show the focused stack (data unless the aux stack has focus) as nested 2-tuples in the tree;
        pressed again, go back to what the tree showed before."""
        if self.tree_source is not None and self.tree_source[0].endswith("as 2-tuples"):
            previous, self._tree_before_stacks = self._tree_before_stacks, None
            if previous is not None:
                self.show_in_tree(*previous)
            else:
                self.tree_source = None
                self.query_one(ValueTree).clear_value()
            return
        self._tree_before_stacks = self.tree_source
        m = self.session.machine
        focused = self.focused
        if isinstance(focused, StackView) and focused.id == "aux-stack":
            self.show_in_tree("aux stack as 2-tuples", stack_as_tuples(m.aux))
        else:
            self.show_in_tree("data stack as 2-tuples", stack_as_tuples(m.stack))

    def selected_value(self) -> tuple[str, Any] | None:
        focused = self.focused
        if isinstance(focused, StackView) and focused.items:
            return f"{focused.title} slot {focused.cursor}", focused.value_at(focused.cursor)
        tree = self.query_one(ValueTree)
        node = tree.cursor_node
        if isinstance(focused, Tree) and node is not None and node.data is not None:
            return str(node.label.plain if hasattr(node.label, "plain") else node.label), node.data
        if self.tree_source is not None:
            return self.tree_source
        stack = self.session.machine.stack
        if stack:
            return "s0", stack[-1]
        return None

    def action_copy_value(self, form: str = "auto") -> None:
        chosen = self.selected_value()
        if chosen is None:
            self.notify("nothing selected to copy", severity="warning")
            return
        name, value = chosen
        text = copy_text(value, self.program, form)
        self.copy_to_clipboard(text)
        self.last_message = f"copied {name}: {text[:60]}"
        self.notify(self.last_message, timeout=2)

    # ------------------------------------------------------------------ heat
    def action_toggle_heat(self) -> None:
        self.heat_mode = None if self.heat_mode else "hits"
        self._apply_heat()

    def action_heat_off(self) -> None:
        self.heat_mode = None
        self._apply_heat()

    def action_gas_heat(self) -> None:
        self.heat_mode = "gas"
        self._apply_heat()

    def set_heat(self, mode: str | None) -> None:
        self.heat_mode = mode
        self._apply_heat()

    def _apply_heat(self) -> None:
        if self.heat_mode is None:
            self.query_one(Listing).set_heat(None)
        else:
            self._refresh_heat(force=True)

    def _refresh_heat(self, force: bool = False) -> None:
        """Heat from a replay of the history: on the UI thread when short, else in the run worker
        (only when asked for: long histories are not re-profiled after every step)."""
        mode = self.heat_mode or "hits"
        listing = self.query_one(Listing)
        if self.session.step <= HEAT_SYNC_LIMIT:
            listing.set_heat(self.session.instruction_counts(mode), mode)
        elif force and not self.running:
            self.start_run(f"profiling {mode}", lambda: self.session.instruction_counts(mode),
                           then=lambda counts: listing.set_heat(counts, mode))

    # ------------------------------------------------------------------ proofs
    def action_export_proof(self) -> None:
        from debugger.engine.proof_export import export_instruction_proof
        from debugger.tui.widgets.proof_view import ProofScreen

        self._take_count()
        listing = self.query_one(Listing)
        try:
            result = export_instruction_proof(self.session, listing.cursor, Path.cwd(), self.program_name)
        except UserError as err:
            self.notify(str(err), severity="warning")
            self.last_message = str(err)
            self.query_one(OutputPane).note(str(err))
            return
        message = f"proof of step {result.step:,} verified and written: {result.path}"
        heading = (f"Proof of {result.why}\nverified by avm.proofs.verifier, written to {result.path}\n"
                   "Fields marked 'hash only' are revealed only as a hash (the rest of a stack, the "
                   "error handler), the others in full.")
        if result.l1_warning:
            heading += "\n" + result.l1_warning
        self.last_proof = result.path
        self.last_message = message
        self.query_one(OutputPane).note(message)
        if result.l1_warning:
            self.query_one(OutputPane).note(result.l1_warning)
        self.notify(message, timeout=6)
        self.push_screen(ProofScreen(heading, result.proof_hex))

    def run_action_now(self, action: str) -> None:
        """Run an action string such as ``step(1)`` synchronously, honouring ``check_action``."""
        from textual.actions import parse

        _dest, name, params = parse(action)
        if self.check_action(name, params) is not True:
            raise UserError(f"{name.replace('_', ' ')} is not possible while a run is in progress")
        getattr(self, f"action_{name}")(*params)

    def breakpoints_changed(self) -> None:
        self.query_one(Listing).refresh_breakpoints()

    # ------------------------------------------------------------------ teaching screens
    def action_codepoint_chain(self) -> None:
        from debugger.tui.widgets.codepoint_chain import CodepointChainScreen

        self.push_screen(CodepointChainScreen(self.program, self.pc_index()))

    def action_dispute(self) -> None:
        self.open_dispute(None)

    def open_dispute(self, lie_at: int | None) -> None:
        from debugger.tui.widgets.dispute_view import DisputeScreen

        self.push_screen(DisputeScreen(self.program, list(self.session.inbox), lie_at=lie_at))

    def action_proof_inspector(self) -> None:
        self.open_proof_inspector(None)

    def open_proof_inspector(self, path: str | None) -> None:
        from debugger.tui.widgets.proof_inspector import ProofInspectorScreen

        source = path or (str(self.last_proof) if self.last_proof else None)
        if source is None:
            raise UserError("no proof exported yet: press p first, or give a file")
        if not Path(source).is_file():
            raise UserError("no such file", path=source)
        self.push_screen(ProofInspectorScreen(source))

    # ------------------------------------------------------------------ quitting
    def action_quit_app(self) -> None:
        if self.running:
            self.push_screen(ConfirmScreen("A run is in progress. Quit anyway?"), self._confirm_quit)
        else:
            self.exit(0)

    def _confirm_quit(self, yes: bool | None) -> None:
        if yes:
            self.session.interrupt()
            self.workers.cancel_group(self, "run")
            self.exit(0)

    def get_system_commands(self, screen: Screen) -> Any:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Proof", "Export the one-step proof at the cursor", self.action_export_proof)


# handlers that must never take the app down: a failure becomes a message in the Output pane
GUARDED = {"refresh_views", "on_resize", "_gutter_clicked", "_cursor_moved", "_stack_selected",
           "_prompt_done", "_search_done", "_run_finished", "_hashes_warmed", "_show_progress",
           "_breakpoints_closed", "_confirm_quit", "_row_clicked", "_output_chosen"}


def _guarded(method: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(method)
    def guarded(self: DebuggerApp, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except UserError as err:
            self.notify(str(err), severity="warning")
        except Exception as err:  # the TUI never dies from what a program (or a bug) does
            self.report_crash(err)
        return None

    return guarded


for _name, _value in list(vars(DebuggerApp).items()):
    if callable(_value) and (_name.startswith("action_") or _name in GUARDED):
        setattr(DebuggerApp, _name, _guarded(_value))


def _stop_is_final(stop: Any) -> bool:
    reason = str(getattr(stop, "reason", "")).lower()
    return any(word in reason for word in ("halt", "errorstop", "error_stop", "blocked", "interrupt", "start",
                                           "end"))


def describe_stop(stop: Any) -> str:
    """A short stop message for the one-line status bar: the detail alone when it already says what
    happened ("halted after 44 steps", "back 3 steps"), else ``reason: detail``."""
    reason = getattr(stop, "reason", None)
    name = getattr(reason, "value", None) or getattr(reason, "name", None) or str(reason)
    detail = str(getattr(stop, "detail", "") or "")
    text = str(name).replace("_", " ").lower()
    if text in ("step", "target", "start of history") and detail:
        return detail
    if text == "halted" and "halt" in detail:
        return detail
    if text == "interrupted" and detail:
        return f"interrupted {detail}"
    return f"{text}: {detail}" if detail else text


def copy_text(value: Any, program: Any, form: str = "auto") -> str:
    """Integers as hex; anything else as a .s literal (``form`` = ``hex`` or ``literal`` forces one)."""
    if form == "hex" or (form == "auto" and isinstance(value, int)):
        if isinstance(value, int):
            return hex(value)
        from avm.core.values import value_hash

        return "0x" + value_hash(value).hex()
    try:
        return literal(value, program)
    except ValueError:  # run-time code inside: the value hash identifies it instead
        from avm.core.values import value_hash

        return "0x" + value_hash(value).hex()
