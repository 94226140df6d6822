"""A live resize lays the screen out exactly as a fresh start at that size (issue 18 #7)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from dataflow_programs import register_loop_source
from tui_helpers import make_app, screen_text, settle

SEQUENCES = [
    [(120, 36), (200, 60)],
    [(120, 36), (80, 24), (170, 48), (120, 36)],
    [(200, 60), (80, 24), (200, 60)],
    [(170, 48), (80, 24)],
]


def layout(app: Any) -> dict[str, tuple[bool, Any]]:
    """Every named widget of the main screen: whether it is shown, and where."""
    out = {}
    for widget in app.screen.query("*"):
        if widget.id:
            out[widget.id] = (widget.display and widget.visible, widget.region)
    return out


async def state_at(app: Any, pilot: Any, sizes: list[tuple[int, int]],
                   keys: tuple[str, ...] = ("4", "s")) -> tuple[dict[str, Any], str]:
    await pilot.press(*keys)                     # (4s: s1 is marked changed (*), s0 is read next (r))
    await settle(app, pilot)
    first = screen_text(app)
    for size in sizes[1:]:
        await pilot.resize_terminal(*size)
        await settle(app, pilot)
    await pilot.wait_for_scheduled_animations()
    await settle(app, pilot)
    if sizes[0] == sizes[-1]:        # back at the first size: the very same screen (change marks too)
        assert screen_text(app) == first
    return layout(app), screen_text(app)


@pytest.mark.parametrize("sizes", SEQUENCES, ids=lambda s: "-".join(f"{w}x{h}" for w, h in s))
async def test_resize_equals_a_fresh_start(tmp_path: Path, sizes: list[tuple[int, int]]) -> None:
    resized = make_app(tmp_path)
    async with resized.run_test(size=sizes[0]) as pilot:
        after_resize = await state_at(resized, pilot, sizes)
    fresh = make_app(tmp_path)
    async with fresh.run_test(size=sizes[-1]) as pilot:
        fresh_state = await state_at(fresh, pilot, sizes[-1:])
    assert after_resize[0] == fresh_state[0]
    assert after_resize[1] == fresh_state[1]


async def test_resize_on_a_compiled_program(tmp_path: Path, conformance_dir: Path) -> None:
    """Long register and hash values (a compiled ArbOS-style program) do not wrap after a resize."""
    from debugger.engine.loading import load_program
    from debugger.engine.session import Session

    path = conformance_dir / "executables" / "buffer_test.mexe"
    states = []
    for sizes in ([(120, 36), (200, 60)], [(200, 60)]):
        app = make_app(tmp_path, session=Session(load_program(path)), name=path.name)
        async with app.run_test(size=sizes[0]) as pilot:
            await pilot.press("5", "0", "0", "G")
            await settle(app, pilot)
            states.append(await state_at(app, pilot, sizes))
    assert states[0][0] == states[1][0]
    assert states[0][1] == states[1][1]


async def test_resize_resamples_the_timeline_strip(tmp_path: Path) -> None:
    """The depth and gas sparklines are sampled at the strip's width: after a resize they are sampled
    again at the new width (they were downsampled from the old, finer samples: another picture)."""
    sizes = [(120, 36), (200, 60), (80, 24), (120, 36)]
    screens = []
    for run in (sizes, sizes[-1:]):
        app = make_app(tmp_path, register_loop_source(750), name="loop.s")
        async with app.run_test(size=run[0]) as pilot:
            await pilot.press("G")                      # the whole history: 6,000 steps, the strip shows
            await settle(app, pilot)
            await pilot.press("2", "7", "0", "0", "G")
            await settle(app, pilot)
            strip = app.screen.query_one("#timeline")
            assert strip.display and strip.timeline is not None
            screens.append(await state_at(app, pilot, run, keys=()))
    assert screens[0] == screens[1]
