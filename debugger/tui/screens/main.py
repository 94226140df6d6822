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
from textual.timer import Timer
from textual.widgets import Footer, Input, Static, TabbedContent, TabPane, Tree
from textual.worker import Worker, WorkerState

from avm.core.values import Value
from avm.errors import UserError
from debugger.engine.display import instruction_text, status_word
from debugger.engine.session import Session, Stop
from debugger.tui import registry
from debugger.tui.classroom import ClassroomActions
from debugger.tui.clipboard import copy_text
from debugger.tui.guard import guarded
from debugger.tui.locations import resolve_value
from debugger.tui.marks import Mark, breakpoint_marks
from debugger.tui.palette import DebuggerCommands
from debugger.tui.position import Position
from debugger.tui.run_control import Run, RunController
from debugger.tui.search import find_instruction
from debugger.tui.stops import describe_stop, stop_is_final
from debugger.tui.time_queries import TimeQueries
from debugger.tui.widgets.explain import ExplainPane
from debugger.tui.widgets.hashes import HashesPane, hash_rows
from debugger.tui.widgets.kv_pane import KeyValuePane
from debugger.tui.widgets.listing import Listing
from debugger.tui.widgets.notes import NotesPane, NoteStrip
from debugger.tui.widgets.origin_breadcrumbs import OriginBreadcrumbs
from debugger.tui.widgets.output import OutputPane
from debugger.tui.widgets.prompt import CommandLine
from debugger.tui.widgets.registers import RegistersPane, register_rows
from debugger.tui.widgets.source_pane import SourcePane
from debugger.tui.widgets.stack_view import StackView
from debugger.tui.widgets.timeline_strip import TimelineStrip
from debugger.tui.widgets.value_tree import ValueDetail, ValueTree, stack_as_tuples
from debugger.tui.widgets.variables import VariablesPane

if TYPE_CHECKING:
    from debugger.tui.app import DebuggerApp

# registers/hashes rows that open a value in the tree when clicked
ROW_TARGETS = {"register": "register", "reg hash": "register", "static": "static", "err cp": "errcp",
               "pc": "pc", "codepoint": "pc", "inbox": "inbox"}
PROGRESS_PERIOD = 1 / 20    # seconds between progress checks while running (interrupt repeated, end seen)
STATUS_PERIOD = 1 / 4       # seconds between status-line counters while running (a repaint costs the run)
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


class MainScreen(ClassroomActions, TimeQueries, Screen[None]):
    """Listing, stacks, registers, hashes, tree, output, explain, notes; the status line and prompt."""

    BINDINGS = _bindings()
    COMMANDS = {DebuggerCommands}

    running: reactive[bool] = reactive(False)   # no key depends on it: the footer stays as it is
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
        self.runs = RunController(session)
        self.search_text = ""
        self.last_proof: Path | None = None
        self.heat_mode: str | None = None
        self.tree_source: tuple[str, Value] | None = None
        self._tree_before_stacks: tuple[str, Value] | None = None
        self.reached: set[int] = set()
        self.last_message = ""
        self._marks_version = -1
        self._progress_timer: Timer | None = None
        self.hashes_ready = False
        self.source_mode = False
        self._tab_before_wide: str | None = None

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
                yield OriginBreadcrumbs(id="origin-crumbs")
                yield TimelineStrip(id="timeline").data_bind(MainScreen.position)
            yield SourcePane(self.session.source_map, self._source_breakpoint_lines,
                             id="source").data_bind(MainScreen.position)
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
                yield ValueDetail(id="tree-detail")
            with TabPane("Hashes", id="tab-hashes"):
                yield HashesPane(id="hashes").data_bind(MainScreen.position)
            with TabPane("Explain", id="tab-explain"):
                yield ExplainPane(id="explain").data_bind(MainScreen.position, MainScreen.highlighted)
            with TabPane("Notes", id="tab-notes"):
                yield NotesPane(id="notes").data_bind(MainScreen.position)
            with TabPane("Variables", id="tab-variables"):
                yield VariablesPane(self.program, id="variables").data_bind(MainScreen.position)
        yield Footer(compact=True)
        yield CommandLine(id="prompt")    # docked over the footer while open

    def on_mount(self) -> None:
        listing = self.query_one(Listing)
        listing.border_title = self.program_name
        self.query_one("#side-registers").border_title = "registers"
        self.query_one("#side-hashes").border_title = "hashes"
        self.query_one("#side-explain").border_title = "explain"
        listing.focus()
        if not self.program.globals:
            self.query_one(TabbedContent).hide_tab("tab-variables")
        self._apply_layout(self.app.size.width)  # also fills every pane
        self.call_after_refresh(self._warm_hashes)   # after the first frame: its thread takes the GIL

    def on_unmount(self) -> None:
        # the app is closing (however it was asked to): a run's thread would keep the process alive
        self.runs.wait_stopped(0.5)

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
            self._tab_before_wide = tabs.active or None   # given back when the terminal narrows again
            tabs.active = "tab-output"
        elif not wide and self._tab_before_wide is not None:
            if tabs.active == "tab-output":                # not moved by the user meanwhile
                tabs.active = self._tab_before_wide
            self._tab_before_wide = None
        if not self.running:
            self.refresh_views(mark_changes=False)

    @work(thread=True, group="warm", exit_on_error=False)
    def _warm_hashes(self) -> None:
        """Hash the code chain and the static value off the UI thread, after the first frame (150 ms
        for the 76,000 codepoints of contract.mexe). A step or a proof meanwhile hashes what it needs
        itself: hashes are written once and the same by whichever thread gets there first."""
        try:
            self.program.warm_hashes()
        finally:
            self.app.call_from_thread(self._hashes_warmed)

    @guarded
    def _hashes_warmed(self) -> None:
        """Only the rows that show hashes change: the rest of the stop, and the change marks of a step
        taken meanwhile, stay as they are (a run's stop shows them anyway)."""
        self.hashes_ready = True
        if self.running:
            return
        for pane in self.query(HashesPane):
            pane.set_rows(hash_rows(self.session), mark_changes=False)
        for registers in self.query(RegistersPane):
            registers.set_rows(register_rows(self.session), mark_changes=False)

    # ------------------------------------------------------------------ state -> panes
    @property
    def wide(self) -> bool:
        return self.has_class("wide")

    def pc_index(self) -> int | None:
        index = self.session.machine.pc.index
        return index if 0 <= index < len(self.program.code) else None

    def cursor_instruction(self) -> int:
        """The instruction under the listing cursor; while the listing follows code built at run time
        (the ▶ and the highlight on its synthetic entry), the current instruction (index -1)."""
        listing = self.query_one(Listing)
        if listing.runtime is not None and listing.follow:
            return self.session.machine.pc.index
        return listing.cursor

    @guarded
    def refresh_views(self, mark_changes: bool = True) -> None:
        """Bring every pane up to the session's current state (once per stop)."""
        pc = self.pc_index()
        if pc is not None:
            self.reached.add(pc)
        if self._marks_version != self.session.breakpoints.version:
            self.breakpoints_changed()
        self.pc = pc
        entry = self.session.runtime_entry() if pc is None and not self.running else None
        self.query_one(Listing).set_runtime(entry.text if entry is not None else None)
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
            entry = None if self.running else session.runtime_entry()
            where = f"▶ {entry.text}" if entry is not None else instruction_text(m.pc, 24)
        if self.source_mode and pc is not None:
            smap = session.source_map
            owner = smap.owner_line(pc)
            line = smap.where(pc) or (f"after {smap.where_line(owner)}" if owner >= 0 else f"#{pc}")
            where = f"{smap.function_of(pc) or '?'} {line}"
        parts = [f"step {session.step:,}/{session.history_end:,}", where, f"gas {m.gas_used:,} used"]
        status = status_word(m)
        if status != "running" and status not in self.last_stop:
            parts.append(status)     # "running" (the normal case) is the registers pane's business
        run = self.runs.run
        if run is not None:
            elapsed = max(1e-6, time.monotonic() - run.started)
            done = abs(self._live_steps(run.start_steps) - run.start_steps)
            if self.runs.stopping:
                parts = [f"{run.label}: stopping…"]
            elif done:
                parts = [f"{run.label}: {done:,} steps, {done / elapsed:,.0f} steps/s (Esc stops)"]
            else:  # a backward search replays on a copy of the machine: no step count to show
                parts = [f"{run.label}: working, {elapsed:,.1f} s (Esc stops)"]
            if self.runs.queue:
                full = " (full: Esc clears)" if self.runs.refused else ""
                parts.append("queued: " + " ".join(self._queued_text()) + full)
        else:
            parts.append(self.last_stop)
        if self.count_prefix:
            parts.append(f"count {self.count_prefix}")
        self.query_one("#status", Static).update(Content(" │ ".join(parts)), layout=False)

    def _live_steps(self, default: int = 0) -> int:
        try:
            return int(self.session.machine.steps)
        except Exception:  # the session may be swapping machines
            return default

    def _queued_text(self) -> list[str]:
        out = []
        for command_id, args in self.runs.queue:
            cmd = registry.BY_ID[command_id]
            out.append(args if command_id == "count" and args else
                       cmd.shown_keys.split()[0] if cmd.keys and args is None else f":{cmd.command_usage}")
        return out

    def _refresh_tree_source(self) -> None:
        if self.tree_source is None:
            return
        name, value = self.tree_source
        if name not in ("register", "static", "errcp"):
            return
        current = resolve_value(self.session.machine, name)
        if current is not None and current is not value:
            self.show_in_tree(name, current, name)

    # ------------------------------------------------------------------ the one dispatch
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # a text input owns its keys: `/` and `:` are priority bindings (so that the keys typed right
        # after them reach the prompt), which must not fire while typing a path in the `:` line; and no
        # key acts before the panes are there (keys typed while the app starts)
        return self.is_mounted and not (action == "command" and isinstance(self.focused, Input))

    def action_command(self, command_id: str, args: str | None = None) -> None:
        self.execute(command_id, args)

    @guarded
    def execute(self, command_id: str, args: str | None = None) -> None:
        """Run one registry command: its ``:`` handler when given arguments (``args`` not None, from the
        ``:`` line), else its action. A message it returns is shown."""
        cmd = registry.BY_ID[command_id]
        if self.runs.busy and not cmd.while_running:
            # kept for after the run, or refused when the queue is full: both shown in the status line
            # (not as notifications: a burst of keys would pile up toasts); Esc drops them
            self.runs.enqueue(command_id, args)
            self.update_status()
            return
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
        if self.source_mode:
            return self._source_step("into", direction)
        count = self._take_count()
        fn = self.session.step_forward if direction > 0 else self.session.step_back
        self.start_run("stepping" if direction > 0 else "stepping back", lambda: fn(count))

    def do_step_over(self, direction: int) -> None:
        if self.source_mode:
            return self._source_step("over", direction)
        self._repeat_in_worker("step over", self.session.step_over if direction > 0
                               else self.session.step_over_back)

    def do_step_out(self, direction: int) -> None:
        if self.source_mode:
            return self._source_step("out", direction)
        self._repeat_in_worker("step out", self.session.step_out if direction > 0
                               else self.session.step_out_back)

    # ------------------------------------------------------------------ source level
    def do_toggle_source_mode(self) -> None:
        self._take_count()
        if not self.source_mode and not self.session.source_map.has_locations:
            raise UserError("this program has no source locations (not compiled from mini)")
        self.source_mode = not self.source_mode
        self.set_class(self.source_mode, "source-mode")
        if self.source_mode and self.program.globals:
            self.query_one(TabbedContent).active = "tab-variables"
        warnings = self.session.source_map.warnings() if self.source_mode else []
        self.notify("; ".join(warnings) if warnings else
                    f"source mode {'on: the step keys step by line' if self.source_mode else 'off'}",
                    severity="warning" if warnings else "information", timeout=3)
        self.refresh_views(mark_changes=False)

    def _source_step(self, how: str, direction: int) -> None:
        label = {"into": "source step", "over": "source step over", "out": "source step out"}[how]
        backward = direction < 0
        self._repeat_in_worker(label + (" back" if backward else ""),
                               lambda: self.session.source_step(how, backward))

    def _source_breakpoint_lines(self, module: str) -> set[int]:
        smap = self.session.source_map
        lines = set()
        for bp in self.session.breakpoints.list():
            where = smap.line_of(bp.index) if bp.index is not None else None
            if where is not None and where[0] == module and bp.enabled:
                lines.add(where[1])
        return lines

    @on(SourcePane.BreakpointToggled)
    @guarded
    def _source_breakpoint(self, event: SourcePane.BreakpointToggled) -> None:
        smap = self.session.source_map
        spec = f"{event.module}:{event.line}"
        module, line, starts = smap.resolve(spec)
        existing = [bp for i in starts for bp in self.session.breakpoints.at_index(i)]
        if existing:
            for bp in existing:
                self.session.breakpoints.delete(bp.number)
            self.notify(f"breakpoint on {smap.display(module)}:{line} removed", timeout=2)
        else:
            bp = self.session.breakpoints.add(spec)
            self.notify(f"breakpoint {bp.describe(self.program)}", timeout=2)
        self.breakpoints_changed()
        self.query_one(SourcePane).refresh()

    @on(SourcePane.CursorMoved)
    @guarded
    def _source_cursor_moved(self, event: SourcePane.CursorMoved) -> None:
        starts = self.session.source_map.line_starts(event.module, event.line)
        if starts:
            self.query_one(Listing).cursor_to(starts[0], center=True, user=False)

    def do_continue(self, direction: int) -> None:
        self._repeat_in_worker("continue" if direction > 0 else "reverse continue",
                               self.session.continue_ if direction > 0 else self.session.reverse_continue)

    def _repeat_in_worker(self, label: str, fn: Callable[[], Stop]) -> None:
        count = self._take_count()
        runs = self.runs

        def repeat() -> Stop | None:
            stop = None
            for _ in range(count):
                stop = fn()
                if runs.stopping or stop_is_final(stop):
                    break
            return stop

        self.start_run(label, repeat)

    def do_run_to_cursor(self, direction: int = 1) -> None:
        """Forward to the next time the cursor's instruction runs, or back to the previous time."""
        self._take_count()
        target = self.query_one(Listing).cursor
        label = f"run to #{target}" if direction > 0 else f"run back to #{target}"
        self.start_run(label, lambda: self.session.run_to(target, direction))

    def do_history_start(self) -> None:
        self.goto_step(self._take_count(0))

    def do_history_end(self) -> None:
        count = self._take_count(0)
        self.goto_step(count if count else self.session.history_end)

    def goto_step(self, step: int, then: Callable[[Any], None] | None = None) -> None:
        """Go to ``step``; chosen during a run (a line of the output pane, a bookmark, a change in a
        place's history), it waits for the run like a typed ``:goto``."""
        if self.runs.busy and then is None:
            self.runs.enqueue("goto", str(step))
            self.update_status()
            return
        self.start_run(f"go to step {step:,}", lambda: self.session.goto(step), then=then)

    def do_interrupt(self) -> None:
        self.count_prefix = ""
        if self.runs.busy:
            self.runs.stop()
            self.update_status()
            return
        listing = self.query_one(Listing)
        pc = self.pc_index()
        listing.follow = True
        if pc is not None:
            listing.cursor_to(pc, center=True, user=False)
        self.update_status()

    def do_restart(self) -> None:
        self.reached.clear()
        self.start_run("restarting", self.session.restart)

    def after_stop(self, stop: Stop | None) -> None:
        """Show a stop: execution moved, so the listing follows the current instruction again."""
        self.query_one(Listing).follow = True
        if stop is not None:
            self.last_stop = describe_stop(stop)
            self.last_message = self.last_stop
        self.refresh_views()

    def start_run(self, label: str, fn: Callable[[], Any], then: Callable[[Any], None] | None = None) -> None:
        """Run ``fn`` in the worker (one run at a time: see :mod:`debugger.tui.run_control`). Asked for
        during a run by a path that does not queue (not a typed command), it is refused with a message."""
        if self.runs.run is not None:
            raise UserError(f"{self.runs.run.label} is running: Esc stops it")
        self.runs.begin(Run(label, fn, then, start_steps=self._live_steps()))
        self.running = True
        self.update_status()
        self._progress_timer = self.set_interval(PROGRESS_PERIOD, self._show_progress)
        worker = self.run_worker(self.runs.body, name=label, group="run", thread=True, exit_on_error=False)
        self.runs.attach(worker)

    @on(Worker.StateChanged)
    @guarded
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            self._run_ended(event.worker)

    @guarded
    def _show_progress(self) -> None:
        self.runs.tick()
        worker = self.runs.token
        if isinstance(worker, Worker) and worker.is_finished:   # its StateChanged is on its way
            self._run_ended(worker)
            return
        if self.runs.busy and self.runs.progress_due(STATUS_PERIOD):
            self.update_status()   # only the status line: the panes and the listing wait for the stop

    def _run_ended(self, worker: Worker[Any]) -> None:
        run = self.runs.finish(worker)
        if run is None:
            return
        self.running = False
        if self._progress_timer is not None:
            self._progress_timer.stop()
            self._progress_timer = None
        error = worker.error if worker.state is WorkerState.ERROR else None
        if worker.state is WorkerState.CANCELLED:
            self.last_stop = "interrupted"
            self.refresh_views()
        elif error is not None:
            if isinstance(error, UserError):
                self.warn(str(error))
                self.last_stop = str(error)
            else:
                self.report_crash(error)
            self.refresh_views()
        else:
            result = worker.result
            self.after_stop(result if isinstance(result, Stop) else None)
            if run.then is not None:
                run.then(result)
        # what was typed during the run, in order, until one of them starts a run again
        while (queued := self.runs.next_queued()) is not None:
            self.execute(*queued)

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
            if self.source_mode and not self.query_one(SourcePane).has_focus:
                where = self.session.source_map.line_of(event.index)
                if where is not None:
                    self.query_one(SourcePane).show_line(*where)

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
        self.app.push_screen(self.debugger.help_screen())   # the same installed screen every time

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
        self.show_in_tree(f"{prefix}{event.depth} at step {self.session.step:,}", event.value,
                          f"{'s' if prefix == 's' else 'aux'}{event.depth}")

    def show_in_tree(self, title: str, value: Value, place: str | None = None) -> None:
        """Show ``value`` in the tree; ``place``: where it is in the current state (for ``o`` and the
        new/shared marks of a value the last step wrote)."""
        from debugger.engine.touches import touches_at

        self.tree_source = (title, value)
        changes = None
        step = self.session.step
        written = self.position is not None and "w" in self.position.touched.get(place or "", "")
        if place is not None and written and step > self.session.history.start:
            changes = {c.path: c.status for c in touches_at(self.session, step - 1).diffs.get(place, [])}
        self.query_one(ValueTree).show_value(title, value, place, step if place else None, changes)
        self.query_one(TabbedContent).active = "tab-tree"

    def inspect(self, name: str) -> None:
        from debugger.engine.locations import parse_place

        place = parse_place(name, self.program)
        value = place.value(self.session.machine)
        where: str | None = None          # a place name for o and the new/shared marks
        if place.root in ("stack", "aux") and place.slot is not None and place.slot < 0:
            where = f"{'s' if place.root == 'stack' else 'aux'}{-1 - place.slot}"
        elif place.root in ("register", "static", "errcp"):
            where = place.root
        if where is not None and place.path:
            where += "".join(f"[{k}]" for k in place.path)
        self.show_in_tree(name.strip().replace(" ", ""), value, where)

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
        shown = f"{text[:60]}… ({len(text):,} characters)" if len(text) > 60 else text
        self.last_message = f"copied {name}: {shown}"
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
            self.query_one(SourcePane).set_heat(None)
        else:
            self._refresh_heat(force=True)

    def _refresh_heat(self, force: bool = False) -> None:
        """Heat from a replay of the history: on the UI thread when short, else in the run worker
        (only when asked for: long histories are not re-profiled after every step)."""
        mode = self.heat_mode or "hits"
        if self.session.step <= HEAT_SYNC_LIMIT:
            self._show_heat(self.session.instruction_counts(mode), mode)
        elif force and not self.running:
            self.start_run(f"profiling {mode}", lambda: self.session.instruction_counts(mode),
                           then=lambda counts: self._show_heat(counts, mode))

    def do_profile(self, by: str) -> None:
        from debugger.engine.source_map import session_profile

        self._take_count()
        self.start_run(f"profiling by {by}", lambda: session_profile(self.session, by),
                       then=lambda rows: self._show_profile(rows, by))

    def _show_profile(self, rows: list[tuple[str, int, int]] | None, by: str) -> None:
        from debugger.engine.source_map import profile_table

        if rows is None:
            return
        output = self.query_one(OutputPane)
        output.note(f"gas profile by {by}, steps 0..{self.session.step:,}:")
        for line in profile_table(rows, by):
            output.note(line)
        self.query_one(TabbedContent).active = "tab-output"

    def _show_heat(self, counts: list[int], mode: str) -> None:
        self.query_one(Listing).set_heat(counts, mode)
        smap = self.session.source_map
        if smap.has_locations:
            self.query_one(SourcePane).set_heat(smap.line_totals(counts))

    # ------------------------------------------------------------------ proofs
    def do_export_proof(self) -> None:
        from debugger.engine.proof_export import export_instruction_proof
        from debugger.tui.screens.proof import ProofScreen

        self._take_count()
        try:
            result = export_instruction_proof(self.session, self.cursor_instruction(), Path.cwd(),
                                              self.program_name)
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
        self.app.push_screen(ProofScreen(heading, result.proof_hex, result.buffer_proof_hex))

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

    def do_open_lesson(self, name: str | None) -> None:
        self.open_lesson(name)

    def open_lesson(self, name: str | None) -> None:
        from debugger.tui.screens.compare import open_from

        open_from(self, name)

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
            self.runs.stop()
            self.app.exit(0)
