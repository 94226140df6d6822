"""A random-key storm for the TUI (issue 11): keys, typed commands, the palette, prompts, resizes and
Esc during runs, sent as a terminal would send them (without waiting for each to be handled). Used by
tests/tui/test_tui_storm.py (a few thousand keys) and bench/tui_storm.py (as many as asked)."""

from __future__ import annotations

import asyncio
import random
import unicodedata
from typing import Any

from textual import events

KEYS = ["s", "S", "j", "k", "n", "N", "f", "F", "c", "C", "t", "g", "G", "b", "h", "T", "y", "p", ".",
        ",", "escape", "escape", "tab", "shift+tab", "shift+down", "shift+up", "pagedown", "pageup", "home",
        "end", "enter", "1", "2", "0", "question_mark", "B", "a", "space", "d"]
TYPED = [":break 6", ":break tset", ":watch s0", ":goto 5", ":back 2", ":heat gas", ":stacks", ":inspect s0",
         ":delete all", ":cursor func", ":until after", ":chain", ":dump trace.jsonl", ":nonsense",
         "/add", "/0xdeadbeef", ":inspect-proof \"x", ":restart", ":theme avm-light"]
PALETTE = ["step", "continue", "restart", "heat", "gas", "theme"]
SIZES = [(80, 24), (100, 30), (120, 36), (160, 48), (200, 60)]


def _event(key: str) -> events.Key:
    try:
        char: str | None = unicodedata.lookup(key.upper().replace("_", " "))
    except KeyError:
        char = key if len(key) == 1 else None
    if key in ("enter",):
        char = "\r"
    return events.Key(key, char)


def _text_keys(text: str) -> list[str]:
    names = {":": "colon", "/": "slash", " ": "space", '"': "quotation_mark", ".": "full_stop",
             "-": "minus"}
    return [names.get(ch, ch) for ch in text] + ["enter"]


async def storm(app: Any, pilot: Any, seed: int, count: int) -> int:
    """Send ``count`` keys chosen with ``seed``; returns how many were sent."""
    rng = random.Random(seed)
    driver = app._driver
    sent = 0
    while sent < count:
        roll = rng.random()
        if roll < 0.06:
            keys = _text_keys(rng.choice(TYPED))
        elif roll < 0.08:
            keys = ["ctrl+p", *rng.choice(PALETTE), "enter", "enter"]
        elif roll < 0.09:
            await pilot.resize_terminal(*rng.choice(SIZES))
            keys = []
        else:
            keys = [rng.choice(KEYS) for _ in range(rng.randint(1, 6))]
        for key in keys:
            event = _event(key)
            event.set_sender(app)
            driver.send_message(event)
            sent += 1
        await asyncio.sleep(rng.choice((0, 0, 0, 0.002, 0.02)))
        if rng.random() < 0.02:
            await pilot.pause()
    return sent


async def calm_down(app: Any, pilot: Any) -> None:
    """Stop any run and close whatever the storm opened (some screens, such as the editor's "discard
    changes?" question, do not close on Esc alone); back on the main screen."""
    for _ in range(10):
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        if len(app.screen_stack) > 1:
            await app.pop_screen()
            await pilot.pause()
        if len(app.screen_stack) == 1 and not app.main.running:
            break
