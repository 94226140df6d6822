"""An unbalanced quote in a file name (``:dump "x``, ``:inspect-proof "x``) is a clear message, not an
internal error (issue 11, F5)."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import make_app, notifications


async def test_an_unbalanced_quote_is_reported(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        for line in ('dump "x', "inspect-proof 'x"):
            await pilot.press("colon", *line, "enter")
            await pilot.pause()
        messages = notifications(app)
        assert sum("a quote must be closed" in m for m in messages) == 2, messages
        assert not any("internal error" in m for m in messages), messages
