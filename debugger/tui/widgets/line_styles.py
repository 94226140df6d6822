"""Component-class styles for the Line-API panes (listing, stacks), cached until the theme changes."""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget


def component_style(widget: Widget, name: str, partial: bool) -> Style:
    """A component class's style. ``partial`` styles (for text laid over a line background) keep the
    *blended* colour: Textual's partial styles drop alpha, which turns muted text into full colour."""
    if name == "base":
        return widget.rich_style
    if not partial:
        return widget.get_component_rich_style(name, partial=False)
    full = widget.get_component_rich_style(name, partial=False)
    return widget.get_component_rich_style(name, partial=True) + Style(color=full.color)


class StyleCache:
    """``cache(name, partial)`` is :func:`component_style`, looked up once per theme (look-ups walk the
    DOM); the widget calls :meth:`clear` from ``notify_style_update``."""

    def __init__(self, widget: Widget) -> None:
        self.widget = widget
        self._styles: dict[tuple[str, bool], Style] = {}

    def __call__(self, name: str, partial: bool = False) -> Style:
        key = (name, partial)
        style = self._styles.get(key)
        if style is None:
            style = self._styles[key] = component_style(self.widget, name, partial)
        return style

    def clear(self) -> None:
        self._styles.clear()
