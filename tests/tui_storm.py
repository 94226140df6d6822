"""A random-key storm for the TUI (issue 11): keys, typed commands, the palette, prompts, resizes and
Esc during runs, sent as a terminal would send them (without waiting for each to be handled). Used by
tests/tui/test_tui_storm.py (a few thousand keys) and bench/tui_storm.py (as many as asked).

After a storm, :func:`calm_down` brings the app back to its main screen and tells what went wrong: the
app died, a run did not come back after Esc (stuck), or a command ended in an "internal error"."""

from __future__ import annotations

import asyncio
import random
import time
import traceback
import unicodedata
from collections.abc import Callable
from typing import Any

from textual import events

KEYS = ["s", "S", "j", "k", "n", "N", "f", "F", "c", "C", "t", "g", "G", "b", "h", "T", "y", "p", ".",
        ",", "escape", "escape", "tab", "shift+tab", "shift+down", "shift+up", "pagedown", "pageup", "home",
        "end", "enter", "1", "2", "0", "question_mark", "B", "a", "space", "d", "e", "m", "apostrophe",
        "o", "left_square_bracket", "right_square_bracket"]
TYPED = [":break 6", ":break tset", ":watch s0", ":goto 5", ":back 2", ":heat gas", ":stacks", ":inspect s0",
         ":delete all", ":cursor func", ":until after", ":chain", ":dump trace.jsonl", ":nonsense",
         "/add", "/0xdeadbeef", ":inspect-proof \"x", ":restart", ":theme avm-light", ":history s0",
         ":origin s0", ":nextchange s0", ":prevchange s0", ":mark a", ":jump a", ":note storm",
         ":profile", ":dispute", ":quiz", ":help"]
PALETTE = ["step", "continue", "restart", "heat", "gas", "theme", "proof", "help", "predict"]
SIZES = [(80, 24), (100, 30), (120, 36), (160, 48), (200, 60)]
STUCK_AFTER = 5.0   # seconds a run may take to come back after Esc before it counts as stuck


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
             "-": "minus", "'": "apostrophe"}
    return [names.get(ch, ch) for ch in text] + ["enter"]


def send_keys(app: Any, keys: list[str]) -> None:
    """Queue ``keys`` as the terminal driver would, all at once (a fast typist or a paste)."""
    for key in keys:
        event = _event(key)
        event.set_sender(app)
        app._driver.send_message(event)


async def storm(app: Any, pilot: Any, seed: int, count: int, log: list[str] | None = None) -> int:
    """Send ``count`` keys chosen with ``seed``; returns how many were sent. ``log`` gets every key
    (and ``resize WxH``) in the order sent, to replay a failure."""
    rng = random.Random(seed)
    sent = 0
    while sent < count and app.is_running:
        roll = rng.random()
        if roll < 0.06:
            keys = _text_keys(rng.choice(TYPED))
        elif roll < 0.08:
            keys = ["ctrl+p", *rng.choice(PALETTE), "enter", "enter"]
        elif roll < 0.09:
            size = rng.choice(SIZES)
            if log is not None:
                log.append(f"resize {size[0]}x{size[1]}")
            await pilot.resize_terminal(*size)
            keys = []
        else:
            keys = [rng.choice(KEYS) for _ in range(rng.randint(1, 6))]
        send_keys(app, keys)
        sent += len(keys)
        if log is not None:
            log.extend(keys)
        await asyncio.sleep(rng.choice((0, 0, 0, 0.002, 0.02)))
        if rng.random() < 0.02:
            await pilot.pause()
    return sent


def count_quits(app: Any) -> list[str]:
    """The storm does not test quitting (tests/tui/test_tui_runs.py does): ``q`` after a lost ``:``, or
    the palette's Quit chosen by an Enter, would rightly end the app and the storm with it. Each way to
    quit (the quit command, ctrl+q / the palette's Quit) is recorded in the list returned instead."""
    quits: list[str] = []
    app.main.do_quit = lambda: quits.append("quit command")
    app.action_quit = lambda: quits.append("ctrl+q / palette Quit")
    return quits


def record_crashes(app: Any) -> list[str]:
    """Keep the traceback of every "internal error" the main screen reports (the list returned)."""
    crashes: list[str] = []
    screen = app.main
    report = screen.report_crash

    def recording(err: BaseException) -> None:
        crashes.append("".join(traceback.format_exception(type(err), err, err.__traceback__)))
        report(err)

    screen.report_crash = recording
    return crashes


def died(app: Any) -> str:
    """What ended ``app`` (the traceback of the exception it died of)."""
    err = app._exception
    if err is None:
        return f"the app died (exit code {app.return_code})"
    return "the app died: " + "".join(traceback.format_exception(type(err), err, err.__traceback__))


async def wait_until(pilot: Any, condition: Callable[[], bool], timeout: float) -> bool:
    """Let the app work until ``condition()`` holds; False if it still does not after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            return False
        await pilot.pause(0.01)
    return True


async def calm_down(app: Any, pilot: Any, stuck_after: float = STUCK_AFTER) -> list[str]:
    """Close whatever the storm opened (popped, so that no question such as the editor's "discard
    changes?" opens again) and stop any run with Esc; back on the main screen, idle. Returns what went
    wrong: the app died, or a run did not come back within ``stuck_after`` seconds of Esc."""
    for _ in range(30):
        if not app.is_running:
            return [died(app)]
        if len(app.screen_stack) > 1:
            await app.pop_screen()
            await pilot.pause()
            continue
        await pilot.press("escape")
        if not await wait_until(pilot, lambda: not app.main.runs.busy, stuck_after):
            run = app.main.runs.run
            return [f"stuck: {run.label if run else '?'} did not stop {stuck_after:g} s after Esc"]
        await pilot.pause()
        if len(app.screen_stack) == 1 and not app.main.runs.busy:   # a queued command may open a screen
            return []
    return ["the app did not come back to its main screen"]
