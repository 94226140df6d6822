"""Origin breadcrumbs: the producer chain of a value (``o`` / ``:origin``), the link being shown
highlighted. ``[`` follows the chain further back, ``]`` comes forward again (to the state that was
asked about)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from debugger.engine.display import instruction_ref
from debugger.engine.provenance import Link, Origin


def crumb(link: Link) -> str:
    """``swap2 #3 step 4,998`` style text of one link."""
    if link.kind in ("initial", "static"):
        return f"{link.place}: {link.source}"
    where = instruction_ref(link.index) if link.index >= 0 else "run-time code"
    tail = f" ({link.source})" if link.terminal else ""
    return f"{link.instruction} {where} step {link.step:,} -> {link.place}{tail}"


class OriginBreadcrumbs(Static):
    DEFAULT_CSS = """
    OriginBreadcrumbs { height: auto; max-height: 4; background: $surface; padding: 0 1; display: none; }
    OriginBreadcrumbs.-shown { display: block; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.origin: Origin | None = None
        self.index = -1          # -1: the state asked about; k: links[k]
        self.plain = ""

    def show(self, origin: Origin, index: int = 0) -> None:
        self.origin = origin
        self.index = index
        self.set_class(True, "-shown")
        self._draw()

    def hide(self) -> None:
        self.origin = None
        self.set_class(False, "-shown")

    def move(self, delta: int) -> int | None:
        """Move along the chain (+1: further back); returns the state to show, None at either end."""
        origin = self.origin
        if origin is None:
            return None
        new = self.index + delta
        if not -1 <= new < len(origin.links):
            return None
        self.index = new
        self._draw()
        return origin.at if new == -1 else origin.links[new].after

    def _draw(self) -> None:
        origin = self.origin
        if origin is None:
            return
        parts = [Content.styled(f"origin of {origin.place} at step {origin.at:,}",
                                "bold $text-accent" if self.index == -1 else "bold")]
        texts = [parts[0].plain]
        for k, link in enumerate(origin.links):
            text = crumb(link)
            texts.append(text)
            parts.append(Content.styled(text, "reverse $text-accent" if k == self.index else ""))
        if not origin.complete:
            texts.append("… (stopped)")
            parts.append(Content.styled("… (stopped)", "$text-muted"))
        self.plain = " <- ".join(texts)
        self.update(Content(" <- ").join(parts))
