"""Questions across time on the main screen (mixed into :class:`~debugger.tui.screens.main.MainScreen`):
``o`` / ``:origin`` (with ``[`` / ``]`` along the producer chain), ``:history PLACE``,
``:prevchange`` / ``:nextchange PLACE [== X]``, and clicks on the timeline strip.

The searches run in the main screen's run worker (busy status, Esc interrupts them); only their
results are shown on the UI thread.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Tree

from avm.errors import UserError
from debugger.engine.locations import parse_place
from debugger.engine.place_history import Change, Interrupted, continue_until_change, iter_changes
from debugger.engine.provenance import Origin, origin
from debugger.tui.guard import guarded
from debugger.tui.widgets.origin_breadcrumbs import OriginBreadcrumbs, crumb
from debugger.tui.widgets.stack_view import StackView
from debugger.tui.widgets.timeline_strip import TimelineStrip
from debugger.tui.widgets.value_tree import ValueTree

HISTORY_ROWS = 5_000      # :history lists at most this many changes



class TimeQueries:
    """Mixed into the main screen, which provides these (typed loosely here to avoid an import cycle)."""

    session: Any
    program: Any
    running: Any
    last_stop: Any
    focused: Any
    app: Any
    query_one: Any
    start_run: Any
    goto_step: Any
    move_cursor: Any
    update_status: Any
    warn: Any

    def selected_place(self) -> tuple[str, int]:
        """The place of the selected value (focused stack slot, value tree node) and its step."""
        focused = self.focused
        if isinstance(focused, StackView) and focused.items:
            return f"{'aux' if focused.aux else 's'}{focused.cursor}", self.session.step
        tree = self.query_one(ValueTree)
        if tree.place is not None and tree.at is not None:
            node = tree.cursor_node if isinstance(focused, Tree) else None
            path = tree.path_of(node) if node is not None else ()
            if path is None:
                raise UserError("no origin for a part of a codepoint: select a tuple slot or the value")
            return tree.place + "".join(f"[{k}]" for k in path), tree.at
        return "s0", self.session.step

    # ------------------------------------------------------------------ origin
    def do_origin(self) -> None:
        self.show_origin(None)

    def show_origin(self, place_text: str | None) -> None:
        if place_text is None:
            place_text, at = self.selected_place()
        else:
            at = self.session.step
        place = parse_place(place_text, self.program)
        if place.read(self.session.state_at(at) if at != self.session.step else self.session.machine) is None:
            raise UserError(f"{place.text} does not exist at step {at:,}")
        session = self.session
        self.start_run(f"origin of {place.text}", lambda: origin(session, place, at), then=self._origin_found)

    @guarded
    def _origin_found(self, result: Any) -> None:
        if not isinstance(result, Origin):
            return
        if not result.links:
            self.warn(f"origin of {result.place}: search interrupted")
            return
        self.query_one(OriginBreadcrumbs).show(result, 0)
        self._go_to_link(0)

    def do_origin_step(self, delta: int) -> None:
        crumbs = self.query_one(OriginBreadcrumbs)
        if crumbs.origin is None:
            raise UserError("no origin yet: select a value and press o")
        step = crumbs.move(delta)
        if step is None:
            raise UserError("that is the source of the value" if delta > 0 else
                            "back at the value asked about")
        self._go_to_link(crumbs.index)

    def _go_to_link(self, index: int) -> None:
        result = self.query_one(OriginBreadcrumbs).origin
        assert result is not None
        if index < 0:
            step, cursor = result.at, None
            message = f"origin of {result.place}: the value asked about, step {result.at:,}"
        else:
            link = result.links[index]
            step, cursor = link.after, (link.index if link.index >= 0 else None)
            message = f"origin {index + 1}/{len(result.links)}: {crumb(link)}"
        session = self.session
        self.start_run(f"go to step {step:,}", lambda: session.goto(step),
                       then=lambda _stop: self._at_link(message, cursor))

    @guarded
    def _at_link(self, message: str, cursor: int | None) -> None:
        self.last_stop = message
        if cursor is not None:
            self.move_cursor(cursor)
        self.update_status()

    # ------------------------------------------------------------------ history of a place
    def show_history(self, place_text: str) -> None:
        place = parse_place(place_text, self.program)
        session = self.session

        def collect() -> tuple[list[Change], str]:
            changes: list[Change] = []
            try:
                for change in iter_changes(session, place):
                    changes.append(change)
                    if len(changes) >= HISTORY_ROWS:
                        return changes, f" (the first {HISTORY_ROWS:,})"
            except Interrupted:
                return changes, " (interrupted: the changes found so far)"
            return changes, ""

        self.start_run(f"history of {place.text}", collect,
                       then=lambda found: self._history_found(place.text, found))

    @guarded
    def _history_found(self, place: str, found: Any) -> None:
        from debugger.tui.screens.place_history import PlaceHistoryScreen

        if not isinstance(found, tuple):
            return
        changes, note = found
        screen = PlaceHistoryScreen(place, changes, self.program.labels, note, current=self.session.step)
        self.app.push_screen(screen, self._history_chosen)

    @guarded
    def _history_chosen(self, step: int | None) -> None:
        if step is not None:
            self.goto_step(step)

    def find_change(self, place_text: str, backward: bool, equals: int | None) -> None:
        place = parse_place(place_text, self.program)
        session = self.session
        label = f"{'back to the last' if backward else 'on to the next'} change of {place.text}"
        self.start_run(label, lambda: continue_until_change(session, place, backward=backward, equals=equals))

    # ------------------------------------------------------------------ timeline
    @guarded
    def on_timeline_strip_step_chosen(self, event: TimelineStrip.StepChosen) -> None:
        if not self.running:
            self.goto_step(event.step)
