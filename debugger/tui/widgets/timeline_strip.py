"""The timeline strip under the listing: stack depth and gas used across the whole history as
sparklines, the current step marked; a click goes to the step under the mouse. Shown once the history
is long enough for a timeline to say something (``MIN_STEPS``).

Sampling (:func:`debugger.engine.timeline.sample_timeline`) replays one checkpoint interval per
sample; it runs in a thread worker of this widget whenever the recorded history grew.
"""

from __future__ import annotations

from typing import Any

from textual import events, work
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from debugger.engine.timeline import Timeline, sample_timeline, sparkline, step_at_column
from debugger.tui.position import Position

LABEL = "depth "      # the label column (both rows use the same width)
MAX_SAMPLES = 400
MIN_STEPS = 1_000     # shorter histories get no strip


class TimelineStrip(Static):
    DEFAULT_CSS = """
    TimelineStrip { height: 2; background: $surface; color: $text-muted; }
    """

    class StepChosen(Message):
        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    position: reactive[Position | None] = reactive(None, init=False, always_update=True)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.timeline: Timeline | None = None
        self.current = 0
        self._sampled_end = -1
        self._sampled_for = 0       # the sample count asked for (from the strip's width then)
        self._session: Any = None

    def watch_position(self, p: Position | None) -> None:
        if p is None:
            return
        shown_before = self.display
        self.display = p.session.history_end >= MIN_STEPS
        if self.display and not shown_before:   # laid out only after this refresh: then it has a width
            self.call_after_refresh(self.follow, p.session)
        elif self.display:
            self.follow(p.session)

    @property
    def bar_width(self) -> int:
        return max(1, self.size.width - len(LABEL))

    def follow(self, session: Any) -> None:
        """Show ``session``'s position; resample when its history grew (or shrank) since last time, or
        when the strip's width changed."""
        self.current = session.step
        self._session = session
        if session.history_end != self._sampled_end or self._wanted() != self._sampled_for:
            self._sample(session)
        self._draw()

    def _wanted(self) -> int:
        return min(MAX_SAMPLES, max(2, self.bar_width))

    def _sample(self, session: Any) -> None:
        self._sampled_end, self._sampled_for = session.history_end, self._wanted()
        self._resample(session, self._sampled_for, session.history_end)

    @work(thread=True, exclusive=True, group="timeline", exit_on_error=False)
    def _resample(self, session: Any, samples: int, end: int) -> None:
        timeline = sample_timeline(session, samples, end=end)
        self.app.call_from_thread(self._sampled, timeline)

    def _sampled(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self._draw()

    def on_resize(self, event: events.Resize) -> None:
        """Sampled again at the new width: downsampling the old samples draws another picture than a
        fresh start at this size (the layout after a resize equals a fresh start's)."""
        if self._session is not None and self._wanted() != self._sampled_for:
            self._sample(self._session)
        self._draw()

    def marker_column(self) -> int | None:
        """The column (in the bar area) of the sample at or just before the current step."""
        tl = self.timeline
        if tl is None or not tl.steps:
            return None
        k = max(0, sum(1 for s in tl.steps if s <= self.current) - 1)
        width = min(self.bar_width, len(tl.steps))
        return k * width // len(tl.steps)

    def _draw(self) -> None:
        tl = self.timeline
        if tl is None or not tl.steps:
            self.update(Content.styled(f"{LABEL}(no history yet)", "$text-muted"))
            return
        width = min(self.bar_width, len(tl.steps))
        mark = self.marker_column()
        rows = []
        for label, values in ((LABEL, tl.depth), ("gas".ljust(len(LABEL)), tl.gas_used)):
            bars = sparkline(values, width)
            if mark is not None and mark < len(bars):
                row = Content.assemble(label, bars[:mark], (bars[mark], "reverse $text-accent"),
                                       bars[mark + 1:])
            else:
                row = Content(label + bars)
            rows.append(row)
        self.update(Content("\n").join(rows))

    def on_click(self, event: events.Click) -> None:
        tl = self.timeline
        column = event.x - len(LABEL)
        if tl is None or column < 0:
            return
        width = min(self.bar_width, len(tl.steps))
        if column < width:
            self.post_message(self.StepChosen(step_at_column(tl, column, width)))
