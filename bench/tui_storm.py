"""A long random-key storm against the TUI (issue 11): ``python bench/tui_storm.py [--seed N] [--keys N]``.

The keys go in chunks of ``--chunk``; after each chunk Esc must bring any run back within a few seconds
(else it is a stuck run) and the app must still be alive (else a crash: its traceback is printed and a
fresh app takes the remaining keys). Commands that ended in an "internal error" are counted too. Prints
the keys sent, the wall time and those counts; writes the key log of every chunk that went wrong to
``--out``; exits 1 when anything went wrong."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))


@dataclass
class Tally:
    sent: int = 0
    crashes: int = 0
    stuck: int = 0
    internal_errors: int = 0
    apps: int = 0
    quits: int = 0              # quit commands the storm reached (recorded, not performed)
    reports: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.crashes or self.stuck or self.internal_errors)


def _keep(out: Path, seed: int, start: int, log: list[str], what: str) -> None:
    path = out / f"storm-seed{seed}-from{start}.keys"
    path.write_text(f"# {what}\n" + "\n".join(log) + "\n", encoding="utf-8")
    print(f"    key log: {path}", flush=True)


async def _one_app(seed: int, keys: int, chunk: int, tally: Tally, out: Path, started: float) -> None:
    """Storm one app until ``keys`` keys were sent in all, or it died or a run stuck."""
    from tui_helpers import make_app
    from tui_storm import calm_down, count_quits, record_crashes, storm

    work = Path(tempfile.mkdtemp(prefix="tui-storm-"))
    os.chdir(work)
    app = make_app(work)
    tally.apps += 1
    log: list[str] = []
    start = tally.sent
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            crashes = record_crashes(app)
            quits = count_quits(app)
            while tally.sent < keys:
                log, start = [], tally.sent
                tally.sent += await storm(app, pilot, seed + start, min(chunk, keys - start), log)
                problems = await calm_down(app, pilot)
                for trace in crashes:
                    tally.internal_errors += 1
                    tally.reports.append(trace)
                    print(f"    internal error after key {tally.sent:,}:\n{trace}", flush=True)
                if crashes:
                    _keep(out, seed, start, log, "internal error")
                crashes.clear()
                tally.quits += len(quits)
                quits.clear()
                print(f"  {tally.sent:,} keys, {time.monotonic() - started:,.0f} s, crashes {tally.crashes}, "
                      f"stuck runs {tally.stuck}, internal errors {tally.internal_errors}", flush=True)
                if problems and not problems[0].startswith("the app died"):
                    tally.stuck += 1
                    tally.reports.append(problems[0])
                    print(f"    {problems[0]}", flush=True)
                    _keep(out, seed, start, log, problems[0])
                    app.exit(1)
                    return
                if problems:            # the app died: its exception comes out of run_test
                    break
        if not app.is_running and app.return_code is not None and tally.sent < keys:
            tally.crashes += 1          # it ended without an exception: a storm must never quit it
            tally.reports.append(f"the app exited with code {app.return_code}")
            print(f"    the app exited (code {app.return_code}) after key {tally.sent:,}", flush=True)
            _keep(out, seed, start, log, "the app exited")
    except Exception as err:  # the app died: the crash to report
        trace = "".join(traceback.format_exception(type(err), err, err.__traceback__))
        tally.crashes += 1
        tally.reports.append(trace)
        print(f"    the app died after key {tally.sent:,}:\n{trace}", flush=True)
        _keep(out, seed, start, log, "the app died")


async def run(seed: int, keys: int, chunk: int, out: Path) -> Tally:
    tally = Tally()
    started = time.monotonic()
    while tally.sent < keys:
        before = tally.sent
        await _one_app(seed, keys, chunk, tally, out, started)
        if tally.sent == before:     # an app that dies before taking a key: do not loop on it
            break
    print(f"seed {seed}: {tally.sent:,} keys in {time.monotonic() - started:,.0f} s; "
          f"crashes {tally.crashes}, stuck runs {tally.stuck}, internal errors {tally.internal_errors} "
          f"({tally.apps} app(s) started; quit commands reached, not performed: {tally.quits})")
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keys", type=int, default=20_000)
    parser.add_argument("--chunk", type=int, default=1_000, help="keys between two Esc checks")
    parser.add_argument("--out", type=Path, default=None, help="folder for the key logs of failures")
    args = parser.parse_args()
    out = (args.out or Path(tempfile.mkdtemp(prefix="tui-storm-logs-"))).resolve()
    out.mkdir(parents=True, exist_ok=True)
    tally = asyncio.run(run(args.seed, args.keys, args.chunk, out))
    sys.exit(0 if tally.clean else 1)


if __name__ == "__main__":
    main()
