"""Dispute screen: play the challenge game on the loaded program and show every round.

The run is recorded once (in a thread worker: a long program takes a moment), then each game is
cheap, so the user can type another lying step and replay. The game itself is
:mod:`debugger.engine.dispute`; this module only lays it out.
"""

from __future__ import annotations

import random
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static

from avm.errors import UserError
from debugger.engine import dispute
from debugger.tui.guard import DismissOnce, while_shown

TUI_MAX_STEPS = 200_000


def styled(lines: list[str]) -> Content:
    """The game's text with agreement, disagreement and the verdict coloured."""
    content = Content("\n".join(lines))
    for pattern, style in (
        (r"\bDISAGREE\b|!= verifier|!= the agreed state", "bold $text-error"),
        (r"\bagree\b|= verifier|= the agreed state", "$text-success"),
        (r"(?m)^round \d+:.*$", "bold"),
        (r"the (asserter|challenger) \((honest|liar)\) wins\.", "bold reverse"),
    ):
        content = content.highlight_regex(pattern, style=style)
    return content


class DisputeScreen(DismissOnce, Screen):
    """Runs :func:`debugger.engine.dispute.simulate` for ``program`` and shows the rounds."""

    DEFAULT_CSS = """
    DisputeScreen #dv-bar { height: 3; padding: 0 1; }
    DisputeScreen #dv-bar Label { padding: 1 1 0 0; }
    DisputeScreen #dv-lie { width: 20; }
    DisputeScreen #dv-ways { width: 10; }
    DisputeScreen #dv-status { height: auto; padding: 0 1; color: $text-muted; }
    DisputeScreen #dv-body { padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape,q", "dismiss", "Close"),
        Binding("ctrl+r", "random_lie", "Random lie"),
        Binding("ctrl+l", "swap_roles", "Liar asserts/challenges"),
    ]

    def __init__(self, program: Any, inbox: list | None = None, lie_at: int | None = None,
                 steps: int | None = None, ways: int = 2) -> None:
        super().__init__()
        self.program = program
        self.inbox = inbox
        self.lie_at = lie_at
        self.steps = steps if steps is not None else TUI_MAX_STEPS
        self.ways = ways
        self.liar_role = "asserter"
        self.timeline: dispute.Timeline | None = None
        self.result: dispute.Dispute | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="dv-bar"):
            yield Label("liar lies from step")
            yield Input(str(self.lie_at or ""), id="dv-lie", type="integer")
            yield Label("parts per round")
            yield Input(str(self.ways), id="dv-ways", type="integer")
        yield Static("recording the run…", id="dv-status")
        with VerticalScroll(id="dv-body"):
            yield Static(id="dv-text")
        yield Footer()

    @while_shown
    def on_mount(self) -> None:
        self.record()

    @work(thread=True, exclusive=True, group="dispute")
    def record(self) -> None:
        try:
            timeline = dispute.Timeline(self.program, self.inbox, self.steps)
        except UserError as exc:
            self.app.call_from_thread(self._status, f"cannot record the run: {exc}")
            return
        self.app.call_from_thread(self._recorded, timeline)

    def _status(self, message: str) -> None:
        self.query_one("#dv-status", Static).update(Content(message))

    def _recorded(self, timeline: dispute.Timeline) -> None:
        self.timeline = timeline
        if self.lie_at is None and timeline.total:
            self.lie_at = max(1, (timeline.total * 2) // 3)
            self.query_one("#dv-lie", Input).value = str(self.lie_at)
        self.play()

    def play(self) -> None:
        """Run the game with the current settings (the run is already recorded)."""
        timeline = self.timeline
        if timeline is None:
            return
        capped = " (capped)" if timeline.total >= self.steps else ""
        try:
            self.result = dispute.simulate(timeline, self.lie_at or 1, self.ways, self.liar_role)
        except UserError as exc:
            self._status(f"{exc}")
            return
        self._status(f"run of {timeline.total:,} steps{capped}; {len(self.result.rounds)} rounds; "
                     "enter a step and press enter to replay, ctrl+r: random lie, "
                     "ctrl+l: swap the liar's role")
        self.query_one("#dv-text", Static).update(styled(dispute.render_lines(self.result)))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        try:
            value = int(event.value)
        except ValueError:
            self._status(f"not a number: {event.value!r}")
            return
        if event.input.id == "dv-ways":
            self.ways = value
        else:
            self.lie_at = value
        self.play()

    def action_random_lie(self) -> None:
        if self.timeline is not None and self.timeline.total:
            self.lie_at = dispute.random_lie(self.timeline.total, random.Random())
            self.query_one("#dv-lie", Input).value = str(self.lie_at)
            self.play()

    def action_swap_roles(self) -> None:
        self.liar_role = "challenger" if self.liar_role == "asserter" else "asserter"
        self.play()
