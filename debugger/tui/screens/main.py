"""The main screen: the panes over a :class:`~debugger.engine.session.Session`, and the commands.

It owns the main key bindings (generated from :mod:`debugger.tui.registry`), so they are simply not
active while another screen is on top. Every command, from a key, the ``:`` line or the palette, goes
through :meth:`MainScreen.execute` (one guarded dispatch). The current stop flows down: ``position``
(a new :class:`~debugger.tui.position.Position` per stop), ``pc`` and ``marks`` are reactives that the
panes bind to in :meth:`compose`.

Short moves (a step, a few hundred steps) run on the UI thread; anything that can run long (continue,
run to cursor, go to step, step over/out, big counts) runs in one thread worker while a 20 Hz timer
shows progress.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.actions import parse as parse_action
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Resize
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Static, TabbedContent, TabPane, Tree
from textual.worker import get_current_worker

from avm.core.values import Value
from avm.errors import UserError
from debugger.engine.display import instruction_text
from debugger.engine.session import Session, Stop
from debugger.tui import registry
from debugger.tui.classroom import ClassroomActions
from debugger.tui.clipboard import copy_text
from debugger.tui.guard import guarded
from debugger.tui.locations import resolve_value
from debugger.tui.marks import Mark, breakpoint_marks
from debugger.tui.palette import DebuggerCommands
from debugger.tui.position import Position
from debugger.tui.search import find_instruction
from debugger.tui.stops import describe_stop, stop_is_final
from debugger.tui.widgets.explain import ExplainPane
from debugger.tui.widgets.hashes import HashesPane
from debugger.tui.widgets.kv_pane import KeyValuePane
from debugger.tui.widgets.listing import Listing
from debugger.tui.widgets.notes import NotesPane, NoteStrip
from debugger.tui.widgets.output import OutputPane
from debugger.tui.widgets.prompt import CommandLine
from debugger.tui.widgets.registers import RegistersPane
from debugger.tui.widgets.stack_view import StackView
from debugger.tui.widgets.value_tree import ValueTree, stack_as_tuples

if TYPE_CHECKING:
    from debugger.tui.app import DebuggerApp

# registers/hashes rows that open a value in the tree when clicked
ROW_TARGETS = {"register": "register", "reg hash": "register", "static": "static", "err cp": "errcp",
               "pc": "pc", "codepoint": "pc", "inbox": "inbox"}
SYNC_STEP_LIMIT = 2_000     # counts above this run in the worker
PROGRESS_PERIOD = 1 / 20    # seconds between progress refreshes while running
WIDE_WIDTH = 140            # from this width the registers/hashes/explain column is shown
HEAT_SYNC_LIMIT = 200_000   # above this many steps, profiles (heat, notes reached) are built in the worker
NARROW_ONLY_TABS = ("tab-registers", "tab-hashes", "tab-explain")   # in the side column when wide


def _bindings() -> list[BindingType]:
    """The main keys, from the registry; footer keys show their first key only, in FOOTER_ORDER, so
    that help and quit fit in 80 columns."""
    order = registry.FOOTER_ORDER

    def rank(cmd: registry.Command) -> int:
        return order.index(cmd.id) if cmd.id in order else len(order)

    out: list[BindingType] = [
        Binding(cmd.keys, f"command('{cmd.id}')", cmd.description, show=cmd.footer, id=cmd.id,
                key_display=cmd.shown_keys.split()[0] if cmd.footer else cmd.display or None,
                priority=cmd.priority)
        for cmd in sorted(registry.KEYED, key=rank)]
    return out + [Binding(d, f"command('count', '{d}')", "count", show=False) for d in registry.COUNT_DIGITS]


class MainScreen(ClassroomActions, Screen[None]):
    """Listing, stacks, registers, hashes, tree, output, explain, notes; the status line and prompt."""

    BINDINGS = _bindings()
    COMMANDS = {DebuggerCommands}

    running: reactive[bool] = reactive(False, bindings=True)
    position: reactive[Position | None] = reactive(None, init=False, always_update=True)
    pc: reactive[int | None] = reactive(None, init=False, always_update=True)
    marks: reactive[dict[int, Mark]] = reactive(dict, init=False, always_update=True)
    highlighted: reactive[int | None] = reactive(None, init=False)

    def __init__(self, session: Session, program_name: str = "program") -> None:
        super().__init__()
        self._reset(session, program_name)

    def _reset(self, session: Session, program_name: str) -> None:
        """The state of a screen over ``session`` before anything happened on it."""
        self.session = session
        self.program = session.program
        self.program_name = program_name
        self.count_prefix = ""
        self.last_stop = "ready"
        self.run_label = ""
        self.run_started = 0.0
        self.run_start_steps = 0
        self.search_text = ""
        self.last_proof: Path | None = None
        self.heat_mode: str | None = None
        self.tree_source: tuple[str, Value] | None = None
        self._tree_before_stacks: tuple[str, Value] | None = None
        self.reached: set[int] = set()
        self.last_message = ""
        self._marks_version = -1
        self._progress_timer: Any = None
        self.hashes_ready = False
        self._stop_after_run: Callable[[Any], None] | None = None

    async def adopt(self, session: Session, program_name: str) -> None:
        """Continue on another session (an edited program): this screen, recomposed over it."""
        self._reset(session, program_name)
        await self.recompose()
        self.on_mount()

    @property
    def debugger(self) -> DebuggerApp:
        from debugger.tui.app import DebuggerApp

        assert isinstance(self.app, DebuggerApp)
        return self.app

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Static("", id="status", markup=False)
        with Horizontal(id="main"):
            with Vertical(id="code"):
                yield Listing(self.program, id="listing").data_bind(MainScreen.pc, MainScreen.marks)
                yield NoteStrip(id="note-strip").data_bind(MainScreen.position)
            with Vertical(id="stacks"):
                yield StackView("data stack", id="data-stack").data_bind(MainScreen.position)
                yield StackView("aux stack", aux=True, id="aux-stack").data_bind(MainScreen.position)
            with Vertical(id="side"):
                yield RegistersPane(id="side-registers", classes="pane").data_bind(MainScreen.position)
                yield HashesPane(id="side-hashes", classes="pane").data_bind(MainScreen.position)
                yield ExplainPane(id="side-explain", classes="pane").data_bind(MainScreen.position,
                                                                               MainScreen.highlighted)
        with TabbedContent(id="tabs", initial="tab-registers"):
            with TabPane("Registers", id="tab-registers"):
                yield RegistersPane(id="registers").data_bind(MainScreen.position)
            with TabPane("Output", id="tab-output"):
                yield OutputPane(id="output").data_bind(MainScreen.position)
            with TabPane("Tree", id="tab-tree"):
                yield ValueTree(id="tree")
            with TabPane("Hashes", id="tab-hashes"):
                yield HashesPane(id="hashes").data_bind(MainScreen.position)
            with TabPane("Explain", id="tab-explain"):
                yield ExplainPane(id="explain").data_bind(MainScreen.position, MainScreen.highlighted)
            with TabPane("Notes", id="tab-notes"):
                yield NotesPane(id="notes").data_bind(MainScreen.position)
        yield Footer(compact=True)
        yield CommandLine(id="prompt")    # docked over the footer while open

    def on_mount(self) -> None:
        listing = self.query_one(Listing)
        listing.border_title = self.program_name
        self.query_one("#side-registers").border_title = "registers"
        self.query_one("#side-hashes").border_title = "hashes"
        self.query_one("#side-explain").border_title = "explain"
        listing.focus()
        self._warm_hashes()
        self._apply_layout(self.app.size.width)  # also fills every pane

    @guarded
    def on_resize(self, event: Resize) -> None:
        self._apply_layout(event.size.width)

    def _apply_layout(self, width: int) -> None:
        """Wide terminals get a column for registers, hashes and explain; narrow ones put them in tabs."""
        wide = width >= WIDE_WIDTH
        self.set_class(wide, "wide")
        tabs = self.query_one(TabbedContent)
        for pane in NARROW_ONLY_TABS:
            (tabs.hide_tab if wide else tabs.show_tab)(pane)
        if wide and tabs.active in (*NARROW_ONLY_TABS, ""):
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
            self.app.call_from_thread(self._hashes_warmed)

    @guarded
    def _hashes_warmed(self) -> None:
        self.hashes_ready = True
        if not self.running:
            self.refresh_views(mark_changes=False)

    # ------------------------------------------------------------------ state -> panes
    @property
    def wide(self) -> bool:
        return self.has_class("wide")

    def pc_index(self) -> int | None:
        index = self.session.machine.pc.index
        return index if 0 <= index < len(self.program.code) else None

    @guarded
    def refresh_views(self, mark_changes: bool = True) -> None:
        """Bring every pane up to the session's current state (once per stop)."""
        pc = self.pc_index()
        if pc is not None:
            self.reached.add(pc)
        if self._marks_version != self.session.breakpoints.version:
            self.breakpoints_changed()
        self.pc = pc
        cursor = self.query_one(Listing).cursor
        self.highlighted = cursor if cursor != pc else None
        self.position = Position(self.session, pc, self.hashes_ready, mark_changes, self._notes_reached())
        if self.heat_mode:
            self._refresh_heat()
        self._refresh_tree_source()
        self.update_status()

    def breakpoints_changed(self) -> None:
        self._marks_version = self.session.breakpoints.version
        self.marks = breakpoint_marks(self.session.breakpoints, self.program)

    def _notes_reached(self) -> set[int]:
        """Instructions whose lesson notes have been reached (all executed ones, for short runs)."""
        if not self.program.notes:
            return set()
        if self.session.step <= HEAT_SYNC_LIMIT:
            self.reached |= self.session.executed_instructions()
        return self.reached

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
        if name not in ("register", "static", "errcp"):
            return
        current = resolve_value(self.session.machine, name)
        if current is not None and current is not value:
            self.show_in_tree(name, current)

    # ------------------------------------------------------------------ the one dispatch
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "command" and self.running:
            cmd = registry.BY_ID.get(str(parameters[0])) if parameters else None
            if cmd is not None and not cmd.while_running:
                return None
        return True

    def action_command(self, command_id: str, args: str | None = None) -> None:
        self.execute(command_id, args)

    @guarded
    def execute(self, command_id: str, args: str | None = None) -> None:
        """Run one registry command: its ``:`` handler when given arguments (``args`` not None, from the
        ``:`` line), else its action. A message it returns is shown."""
        cmd = registry.BY_ID[command_id]
        if self.running and not cmd.while_running:
            raise UserError(f"{cmd.description.lower()} is not possible while a run is in progress")
        if cmd.handler is not None and (args is not None or not cmd.action):
            message = cmd.handler(self, args or "")
        else:
            self.perform(cmd.action)
            message = None
        if message:
            self.last_message = message
            self.notify(message, timeout=3)
        if command_id == "count":
            self.update_status()

    def perform(self, action: str) -> None:
        """Run an action string such as ``step(1)``: the ``do_step(1)`` method of this screen."""
        _dest, name, params = parse_action(action)
        getattr(self, f"do_{name}")(*params)

    @guarded
    def run_command(self, text: str) -> None:
        """One ``:`` line."""
        parsed = registry.parse_line(text)
        if parsed is not None:
            self.execute(parsed[0].id, parsed[1])

    def warn(self, message: str) -> None:
        self.last_message = message
        self.notify(message, severity="warning")

    def report_crash(self, err: BaseException) -> None:
        detail = "".join(traceback.format_exception_only(type(err), err)).strip()
        self.log.error("".join(traceback.format_exception(type(err), err, err.__traceback__)))
        try:
            self.query_one(OutputPane).note(f"internal error: {detail}")
        except Exception:  # the output pane may not exist yet (or any more)
            pass
        self.notify(f"internal error: {detail}", severity="error")

    # ------------------------------------------------------------------ running
    def _take_count(self, default: int = 1) -> int:
        text, self.count_prefix = self.count_prefix, ""
        return int(text) if text else default

    def do_step(self, direction: int) -> None:
        count = self._take_count()
        fn = self.session.step_forward if direction > 0 else self.session.step_back
        if count > SYNC_STEP_LIMIT:
            self.start_run("stepping" if direction > 0 else "stepping back", lambda: fn(count))
            return
        self.do_now(lambda: fn(count))

    def do_step_over(self, direction: int) -> None:
        self._repeat_in_worker("step over", self.session.step_over if direction > 0
                               else self.session.step_over_back)

    def do_step_out(self, direction: int) -> None:
        self._repeat_in_worker("step out", self.session.step_out if direction > 0
                               else self.session.step_out_back)

    def do_continue(self, direction: int) -> None:
        self._repeat_in_worker("continue" if direction > 0 else "reverse continue",
                               self.session.continue_ if direction > 0 else self.session.reverse_continue)

    def _repeat_in_worker(self, label: str, fn: Callable[[], Stop]) -> None:
        count = self._take_count()

        def repeat() -> Stop | None:
            stop = None
            for _ in range(count):
                stop = fn()
                if get_current_worker().is_cancelled or stop_is_final(stop):
                    break
            return stop

        self.start_run(label, repeat)

    def do_run_to_cursor(self) -> None:
        self._take_count()
        target = self.query_one(Listing).cursor
        self.start_run(f"run to #{target}", lambda: self.session.run_to(target))

    def do_history_start(self) -> None:
        self.goto_step(self._take_count(0))

    def do_history_end(self) -> None:
        count = self._take_count(0)
        self.goto_step(count if count else self.session.history_end)

    def goto_step(self, step: int) -> None:
        if step <= self.session.history_end:
            # a replay of at most one checkpoint interval (as a step back): done at once, so that keys
            # typed right after `g` are not dropped as "a run is in progress"
            self.do_now(lambda: self.session.goto(step))
            return
        self.start_run(f"go to step {step:,}", lambda: self.session.goto(step))

    def do_interrupt(self) -> None:
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

    def do_restart(self) -> None:
        self.do_now(self.session.restart)
        self.reached.clear()

    def do_now(self, fn: Callable[[], Stop]) -> None:
        """Run a short session call on the UI thread and refresh."""
        self.after_stop(fn())

    def after_stop(self, stop: Stop | None) -> None:
        if stop is not None:
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
        self.app.call_from_thread(self._run_finished, result, error)

    @guarded
    def _show_progress(self) -> None:
        if self.running:
            self.update_status()
            self.pc = self.pc_index()

    @guarded
    def _run_finished(self, stop: Any, error: BaseException | None) -> None:
        self.running = False
        if self._progress_timer is not None:
            self._progress_timer.stop()
            self._progress_timer = None
        if error is not None:
            if isinstance(error, UserError):
                self.warn(str(error))
                self.last_stop = str(error)
            else:
                self.report_crash(error)
            self.refresh_views()
            return
        self.after_stop(stop if isinstance(stop, Stop) else None)
        then, self._stop_after_run = self._stop_after_run, None
        if then is not None:
            then(stop)

    # ------------------------------------------------------------------ breakpoints
    def do_toggle_breakpoint(self) -> None:
        self._take_count()
        self.toggle_breakpoint_at(self.query_one(Listing).cursor)

    def toggle_breakpoint_at(self, index: int) -> None:
        bp = self.session.breakpoints.toggle_at(index)
        self.breakpoints_changed()
        self.notify(f"breakpoint {bp.describe(self.program)}" if bp else f"breakpoint at #{index} removed",
                    timeout=2)

    @on(Listing.GutterClicked)
    @guarded
    def _gutter_clicked(self, event: Listing.GutterClicked) -> None:
        self.toggle_breakpoint_at(event.index)

    @on(OutputPane.StepChosen)
    @guarded
    def _output_chosen(self, event: OutputPane.StepChosen) -> None:
        self.goto_step(event.step)

    @on(Listing.CursorMoved)
    @guarded
    def _cursor_moved(self, event: Listing.CursorMoved) -> None:
        if not self.running:
            self.highlighted = event.index if event.index != self.pc_index() else None

    def do_breakpoints(self) -> None:
        from debugger.tui.screens.breakpoints import BreakpointScreen

        self.app.push_screen(BreakpointScreen(self.session), lambda _: self._breakpoints_closed())

    @guarded
    def _breakpoints_closed(self) -> None:
        self.breakpoints_changed()

    # ------------------------------------------------------------------ prompt, search, help
    def do_prompt(self) -> None:
        self._take_count()
        self.query_one(CommandLine).open(":", "command (help lists them)", self._prompt_done)

    @guarded
    def _prompt_done(self, text: str | None) -> None:
        if text:
            self.run_command(text)

    def do_search(self) -> None:
        self._take_count()
        hint = self.search_text or "mnemonic, label or value"
        self.query_one(CommandLine).open("/", hint, self._search_done)

    @guarded
    def _search_done(self, text: str | None) -> None:
        if text:
            self.search_for(text)

    def do_search_next(self, direction: int) -> None:
        if not self.search_text:
            raise UserError("no search yet: press / first")
        self.search(direction)

    def search_for(self, text: str) -> int | None:
        self.search_text = text
        return self.search(1)

    def search(self, direction: int) -> int | None:
        """Move the cursor to the next instruction whose text or label contains the search text."""
        listing = self.query_one(Listing)
        index = find_instruction(self.program, listing.line_text, self.search_text, listing.cursor, direction)
        if index is None:
            self.notify(f"{self.search_text!r} not found", severity="warning")
            return None
        listing.match = index
        listing.cursor_to(index, center=True)
        self.last_message = f"/{self.search_text}: #{index}"
        self.update_status()
        return index

    def move_cursor(self, index: int) -> None:
        self.query_one(Listing).cursor_to(index, center=True)

    def do_help(self) -> None:
        from debugger.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.debugger.help_markdown()))

    # ------------------------------------------------------------------ values
    @on(KeyValuePane.RowClicked)
    @guarded
    def _row_clicked(self, event: KeyValuePane.RowClicked) -> None:
        target = ROW_TARGETS.get(event.name)
        if target is not None:
            self.inspect(target)

    @on(StackView.Selected)
    @guarded
    def _stack_selected(self, event: StackView.Selected) -> None:
        prefix = "s" if event.view.id == "data-stack" else "a"
        self.show_in_tree(f"{prefix}{event.depth} at step {self.session.step:,}", event.value)

    def show_in_tree(self, title: str, value: Value) -> None:
        self.tree_source = (title, value)
        self.query_one(ValueTree).show_value(title, value)
        self.query_one(TabbedContent).active = "tab-tree"

    def inspect(self, name: str) -> None:
        self.show_in_tree(name.strip().replace(" ", ""), resolve_value(self.session.machine, name))

    def do_inspect_named(self, name: str) -> None:
        self.inspect(name)

    def do_tree_stacks(self) -> None:
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

    def selected_value(self) -> tuple[str, Value] | None:
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

    def do_copy_value(self, form: str = "auto") -> None:
        self.copy_value(form)

    def copy_value(self, form: str) -> None:
        chosen = self.selected_value()
        if chosen is None:
            raise UserError("nothing selected to copy")
        name, value = chosen
        text = copy_text(value, self.program, form)
        self.app.copy_to_clipboard(text)
        self.last_message = f"copied {name}: {text[:60]}"
        self.notify(self.last_message, timeout=2)

    # ------------------------------------------------------------------ heat
    def do_toggle_heat(self) -> None:
        self.set_heat(None if self.heat_mode else "hits")

    def do_set_heat(self, mode: str | None) -> None:
        self.set_heat(mode)

    def set_heat(self, mode: str | None) -> None:
        self.heat_mode = mode
        if mode is None:
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
    def do_export_proof(self) -> None:
        from debugger.engine.proof_export import export_instruction_proof
        from debugger.tui.screens.proof import ProofScreen

        self._take_count()
        listing = self.query_one(Listing)
        try:
            result = export_instruction_proof(self.session, listing.cursor, Path.cwd(), self.program_name)
        except UserError as err:
            self.query_one(OutputPane).note(str(err))
            raise
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
        self.app.push_screen(ProofScreen(heading, result.proof_hex))

    # ------------------------------------------------------------------ teaching screens
    def do_codepoint_chain(self) -> None:
        from debugger.tui.screens.codepoint_chain import CodepointChainScreen

        self.app.push_screen(CodepointChainScreen(self.program, self.pc_index()))

    def do_open_dispute(self, lie_at: int | None) -> None:
        self.open_dispute(lie_at)

    def open_dispute(self, lie_at: int | None) -> None:
        from debugger.tui.screens.dispute import DisputeScreen

        self.app.push_screen(DisputeScreen(self.program, list(self.session.inbox), lie_at=lie_at))

    def do_open_proof_inspector(self, path: str | None) -> None:
        self.open_proof_inspector(path)

    def open_proof_inspector(self, path: str | None) -> None:
        from debugger.tui.screens.proof_inspector import ProofInspectorScreen

        source = path or (str(self.last_proof) if self.last_proof else None)
        if source is None:
            raise UserError("no proof exported yet: press p first, or give a file")
        if not Path(source).is_file():
            raise UserError("no such file", path=source)
        self.app.push_screen(ProofInspectorScreen(source))

    # ------------------------------------------------------------------ themes, quitting
    def theme_names(self) -> list[str]:
        return list(self.app.available_themes)

    def set_theme(self, name: str) -> None:
        self.app.theme = name

    def do_quit(self) -> None:
        from debugger.tui.screens.confirm import ConfirmScreen

        if self.running:
            self.app.push_screen(ConfirmScreen("A run is in progress. Quit anyway?"), self._confirm_quit)
        else:
            self.app.exit(0)

    @guarded
    def _confirm_quit(self, yes: bool | None) -> None:
        if yes:
            self.session.interrupt()
            self.workers.cancel_group(self, "run")
            self.app.exit(0)
