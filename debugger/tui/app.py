"""The avm-debug Textual app: a thin shell around :class:`~debugger.tui.screens.main.MainScreen`.

The app holds what outlives a screen: the session, the user's settings and keymap, and the themes.
Everything the user does happens on the main screen or on a screen pushed over it (``screens/``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.await_complete import AwaitComplete
from textual.command import CommandPalette
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme, ThemeProvider

from debugger.engine.session import Session
from debugger.tui import keymap as km
from debugger.tui.palette import GuardedCommandPalette
from debugger.tui.screens.help import HelpScreen, help_text
from debugger.tui.screens.main import MainScreen
from debugger.tui.themes import DEFAULT_THEME, listing_variables, load_bundled_themes

__all__ = ["DebuggerApp", "load_bundled_themes"]


class DebuggerApp(App[int]):
    """avm-debug: listing, stacks, registers, hashes, tree, output, explain, notes."""

    CSS_PATH = "app.tcss"
    TITLE = "avm-debug"

    def __init__(self, session: Session, *, theme: str | None = None, config_dir: Path | None = None,
                 program_name: str = "program", persist_theme: bool = True) -> None:
        super().__init__()
        self.session = session
        self.program_name = program_name
        self.config_dir = config_dir or km.config_dir()
        self.persist_theme = persist_theme
        self.settings = km.load_settings(self.config_dir)
        for bundled in load_bundled_themes():
            self.register_theme(bundled)
        chosen = theme or self.settings.get("theme") or DEFAULT_THEME
        self.theme = chosen if chosen in self.available_themes else DEFAULT_THEME
        self.user_keymap, self.keymap_problems = km.load_keymap(self.config_dir)
        self._help: HelpScreen | None = None
        self._palettes = 0
        if self.user_keymap:
            self.set_keymap(self.user_keymap)

    def get_default_screen(self) -> MainScreen:
        return MainScreen(self.session, self.program_name)

    @property
    def main(self) -> MainScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    def action_command_palette(self) -> None:
        """ctrl+p. Textual gives every palette the id ``--command-palette``; a ctrl+p that arrives
        while the previous palette is still being removed raised ``DuplicateIds`` (found by the key
        storm): each palette gets an id of its own, and one palette at a time."""
        if self.use_command_palette and not any(isinstance(s, CommandPalette) for s in self.screen_stack):
            self._palettes += 1
            self.push_screen(GuardedCommandPalette(id=f"command-palette-{self._palettes}"))

    def search_themes(self) -> None:
        """Textual's "Theme" command lists the themes in a palette of its own: here the guarded one (the
        plain palette ended the app on page up while its list refilled, found by the key storm)."""
        self.push_screen(GuardedCommandPalette(providers=[ThemeProvider], placeholder="Search for themes…"))

    def pop_screen(self) -> AwaitComplete:
        """Never pop the last screen. Textual 8.2.8's command palette, given two Enters ~10 ms apart,
        dismisses itself twice; the second pop found only the main screen left and raised
        ``ScreenStackError``, which ended the app."""
        if len(self.screen_stack) <= 1:
            self.log.warning("pop_screen with one screen left: ignored")
            return AwaitComplete(asyncio.sleep(0))
        return super().pop_screen()

    async def action_quit(self) -> None:
        """ctrl+q: quit at once (a run is stopped by :meth:`exit`)."""
        self.exit(0)

    def exit(self, result: int | None = None, return_code: int = 0, message: Any = None) -> None:
        """Every way out stops the run first: its worker thread would keep the process alive."""
        self.stop_runs()
        super().exit(result, return_code, message)

    def stop_runs(self, timeout: float = 0.0) -> bool:
        """Stop the main screen's run, waiting up to ``timeout`` seconds; False if it still runs."""
        screen = self.screen_stack[0] if self.screen_stack else None
        if not isinstance(screen, MainScreen):
            return True
        if timeout <= 0:
            screen.runs.stop()
            return not screen.runs.busy
        return screen.runs.wait_stopped(timeout)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Notifications are plain text by default: they quote what the user typed (``stack[N]``)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own commands, less its "Screenshot" (``:screenshot`` names the file after the
        program and step)."""
        for command in super().get_system_commands(screen):
            if command.title != "Screenshot":
                yield command

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self._theme_changed(self.current_theme)  # a --theme choice is remembered too
        for notice in self.session.notices:
            self.notify(notice, severity="warning", timeout=8)
        for problem in self.keymap_problems:
            self.notify(problem, title="keymap", severity="warning")

    # ------------------------------------------------------------------ settings and themes
    def get_theme_variable_defaults(self) -> dict[str, str]:
        return listing_variables(self.current_theme)

    def _theme_changed(self, theme: Theme) -> None:
        if self.persist_theme and self.settings.get("theme") != theme.name:
            self.settings["theme"] = theme.name
            km.save_settings(self.settings, self.config_dir)

    def help_screen(self) -> HelpScreen:
        """The help screen: built and installed once (the keymap does not change while the app runs),
        then pushed again each time (an installed screen is kept when it is closed)."""
        if self._help is None:
            self._help = HelpScreen(help_text(self.user_keymap, str(self.config_dir / "keymap.toml")))
            self.install_screen(self._help, name="help")
        return self._help
