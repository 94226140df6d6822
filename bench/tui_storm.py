"""A long random-key storm against the TUI (issue 11): ``python bench/tui_storm.py [--seed N]
[--keys N]``. Prints the keys sent, the time taken, and whether the app survived (no crash, no
internal error, no stuck run); exits 1 if it did not."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))


async def run(seed: int, keys: int) -> bool:
    from tui_helpers import make_app, notifications
    from tui_storm import calm_down, storm

    from debugger.tui.run_control import RunState

    work = Path(tempfile.mkdtemp())
    os.chdir(work)
    app = make_app(work)
    start = time.monotonic()
    async with app.run_test(size=(120, 36)) as pilot:
        sent = 0
        while sent < keys:
            sent += await storm(app, pilot, seed + sent, min(1000, keys - sent))
            print(f"  {sent:,} keys, {time.monotonic() - start:,.0f} s", flush=True)
        await calm_down(app, pilot)
        errors = [m for m in notifications(app) if "internal error" in m]
        ok = (app.is_running and len(app.screen_stack) == 1 and app.main.runs.state is RunState.IDLE
              and not errors)
        print(f"seed {seed}: {sent:,} keys in {time.monotonic() - start:,.0f} s; alive={app.is_running} "
              f"screens={len(app.screen_stack)} run={app.main.runs.state.value} "
              f"internal errors={len(errors)}")
        for message in errors[:5]:
            print("  ", message)
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keys", type=int, default=20_000)
    args = parser.parse_args()
    sys.exit(0 if asyncio.run(run(args.seed, args.keys)) else 1)


if __name__ == "__main__":
    main()
