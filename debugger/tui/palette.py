"""Command-palette entries (``ctrl+p``): every registry command that the palette lists."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual import work
from textual.await_complete import AwaitComplete
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.css.query import NoMatches
from textual.events import Mount

from debugger.tui import registry
from debugger.tui.guard import DismissOnce, while_shown


class DebuggerCommands(Provider):
    """The main screen's commands, by title, with their keys."""

    def _entries(self) -> list[tuple[str, str, str]]:
        keymap: dict[str, str] = getattr(self.app, "user_keymap", {})
        out = []
        for cmd in registry.COMMANDS:
            if cmd.palette and cmd.action:
                help_text = f"keys: {registry.keys_for(cmd, keymap)}" if cmd.keys else cmd.command_help
                out.append((cmd.description, cmd.id, help_text))
        return out

    def _run(self, command_id: str, args: str | None = None) -> None:
        execute = getattr(self.screen, "execute", None)
        if execute is not None:
            execute(command_id, args)

    def _bookmarks(self) -> list[tuple[str, str]]:
        """(title, letter) of the session's bookmarks: each is a palette entry that goes there."""
        session = getattr(self.screen, "session", None)
        marks = session.annotations.bookmarks if session is not None else {}
        return [(f"Go to bookmark '{k} (step {v:,})", k) for k, v in sorted(marks.items())]

    async def discover(self) -> Hits:
        for title, command_id, help_text in self._entries():
            yield DiscoveryHit(title, partial(self._run, command_id), help=help_text)
        for title, letter in self._bookmarks():
            yield DiscoveryHit(title, partial(self._run, "jump_mark", letter))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, command_id, help_text in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self._run, command_id), help=help_text)
        for title, letter in self._bookmarks():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self._run, "jump_mark", letter))


_TEXTUAL_GATHER = CommandPalette._gather_commands.__wrapped__  # type: ignore[attr-defined]


class GuardedCommandPalette(DismissOnce, CommandPalette):
    """Textual's command palette, guarded where Textual 8.2.8 ends the app (both found by the key
    storm): page up/down while the list is being refilled raised ``KeyError`` in
    ``OptionList._move_page``; the search worker finishing after the palette was dismissed raised
    ``NoMatches`` when it showed the list or its busy sign, and so did the "no matches" countdown
    firing while the palette was being removed. The countdown is stopped when the palette is
    dismissed; the rest is ignored."""

    def dismiss(self, result: Any = None) -> AwaitComplete:
        self._stop_no_matches_countdown()
        return super().dismiss(result)

    def _watch__list_visible(self) -> None:
        try:
            super()._watch__list_visible()
        except NoMatches:   # the palette is being removed
            pass

    async def _watch__show_busy(self) -> None:
        try:
            await super()._watch__show_busy()
        except NoMatches:   # the palette is being removed
            pass

    @work(exclusive=True, group=CommandPalette._GATHER_COMMANDS_GROUP)
    async def _gather_commands(self, search_value: str) -> None:
        """Textual's search worker, which starts by looking up the result list: started by a key typed
        just before the palette was dismissed, it found none (``NoMatches``; the failed worker ended the
        app). A palette that has gone has nothing to fill; on a palette still shown it is raised."""
        try:
            await _TEXTUAL_GATHER(self, search_value)
        except NoMatches:
            if self.is_attached and self.app.screen is self:
                raise

    def _action_command_list(self, action: str) -> None:
        try:
            super()._action_command_list(action)
        except (KeyError, IndexError):
            pass

    def _on_mount(self, event: Mount) -> None:
        """Textual 8.2.8 sets the palette up from the screen under it (``screen_stack[-2]``): a palette
        popped before its mount (a key burst, closing screens) raised ``IndexError`` and ended the app.
        Such a palette is not set up at all (no handler of Textual's or ours runs)."""
        if self not in self.app.screen_stack:
            event.prevent_default()

    @while_shown
    def on_mount(self) -> None:
        """The result list's own page keys (when it has the focus) hit the same ``_move_page`` race:
        its two page actions are wrapped for this instance (Textual builds the list in its compose)."""
        results = self.query_one(CommandList)
        for name in ("action_page_down", "action_page_up"):
            setattr(results, name, _ignoring_refill(getattr(results, name)))


def _ignoring_refill(action: Callable[[], None]) -> Callable[[], None]:
    def guarded() -> None:
        try:
            action()
        except (KeyError, IndexError):   # the list is being refilled: nothing to page through yet
            pass
    return guarded
