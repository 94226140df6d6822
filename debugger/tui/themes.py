"""The bundled themes (``themes/*.toml``) and the theme variables the listing adds to every theme."""

from __future__ import annotations

from textual.color import Color
from textual.theme import Theme

from debugger.resources import themes_dir
from debugger.tui.keymap import parse_toml

DEFAULT_THEME = "avm-dark"


def load_bundled_themes() -> list[Theme]:
    """Themes shipped as ``themes/*.toml`` (package data ``debugger.themes``)."""
    out = []
    for entry in sorted(themes_dir().iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".toml"):
            out.append(Theme(**parse_toml(entry.read_text(encoding="utf-8"))))
    return out


def listing_variables(theme: Theme) -> dict[str, str]:
    """``$listing-pc-background`` and ``$listing-cursor-background``, blended from the theme's colours."""
    primary = Color.parse(theme.primary)
    background = Color.parse(theme.surface or theme.background or ("#000000" if theme.dark else "#ffffff"))
    return {
        "listing-pc-background": background.blend(primary, 0.45).hex,
        "listing-cursor-background": background.blend(Color.parse(theme.foreground or "#888888"), 0.15).hex,
    }
