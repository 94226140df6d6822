"""Make docs/screenshot.svg with the app itself: the tour sample, a few steps in, wide layout.

    /work/venv/bin/python bench/make_screenshot.py [OUTPUT.svg]
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


async def shoot(output: Path) -> None:
    from debugger.cli.tui import prepare_session
    from debugger.tui.app import DebuggerApp

    session, name = prepare_session(None)
    session.breakpoints.add("countdown")
    app = DebuggerApp(session, program_name=name, config_dir=Path(tempfile.mkdtemp()), persist_theme=False)
    async with app.run_test(size=(150, 44)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("c")                      # run to the loop
        await app.workers.wait_for_complete()
        await pilot.press("colon", *"inspect static", "enter")   # the static value in the tree
        await pilot.pause()
        tree = app.query_one("#tree")
        tree.root.children[0].expand()                              # its codepoint slot
        await pilot.pause()
        app.save_screenshot(filename=output.name, path=str(output.parent))
    print(f"wrote {output}")


def main() -> None:
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshot.svg"
    asyncio.run(shoot(output.resolve()))


if __name__ == "__main__":
    main()
