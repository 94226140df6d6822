"""What every benchmark script shares: where the data is, and honest timing (CPU and wall, medians with
min/max over interleaved rounds). Importable as ``measure`` when a script runs from ``bench/``."""

from __future__ import annotations

import os
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    """The ``shared`` folder: the parent of ``$AVM_CONFORMANCE_DIR`` if set, else the first ``shared``
    beside the repository or one of its parents (a CI clone has it beside; a worktree one level up)."""
    override = os.environ.get("AVM_CONFORMANCE_DIR")
    if override:
        return Path(override).resolve().parent
    for base in (REPO.parent, *REPO.parent.parents):
        if (base / "shared" / "bench").is_dir():
            return base / "shared"
    return REPO.parent / "shared"


def bench_dir() -> Path:
    return shared_dir() / "bench"


def conformance_dir() -> Path:
    return shared_dir() / "conformance"


@dataclass
class Timing:
    """CPU and wall seconds of repeated runs of one case, plus the work each run did."""

    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)
    work: list[float] = field(default_factory=list)

    def add(self, cpu: float, wall: float, work: float = 1.0) -> None:
        self.cpu.append(cpu)
        self.wall.append(wall)
        self.work.append(work)

    def rates(self, which: str) -> list[float]:
        """Work per second of each run (``which`` is ``cpu`` or ``wall``)."""
        secs = self.cpu if which == "cpu" else self.wall
        return [w / s if s > 0 else float("inf") for w, s in zip(self.work, secs, strict=True)]

    def rate_text(self, unit: float = 1e6, label: str = "M/s") -> str:
        """``median [min-max]`` of the rate, CPU then wall."""
        parts = []
        for which in ("cpu", "wall"):
            r = [x / unit for x in self.rates(which)]
            parts.append(f"{which} {statistics.median(r):7.3f} [{min(r):.3f}-{max(r):.3f}]")
        return f"{'  '.join(parts)} {label}"

    def time_text(self, unit: float = 1e-3, label: str = "ms") -> str:
        """``median [min-max]`` of the time per run, CPU then wall."""
        parts = []
        for which, secs in (("cpu", self.cpu), ("wall", self.wall)):
            r = [s / unit for s in secs]
            parts.append(f"{which} {statistics.median(r):8.3f} [{min(r):.3f}-{max(r):.3f}]")
        return f"{'  '.join(parts)} {label}"


def timed(fn: Callable[[], object]) -> tuple[float, float, float]:
    """(cpu seconds, wall seconds, work) of one call; ``fn`` returns its work as a number (anything
    else counts as 1)."""
    c0, w0 = time.process_time(), time.perf_counter()
    work = fn()
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    return cpu, wall, float(work) if isinstance(work, (int, float)) else 1.0


def interleaved(cases: Sequence[tuple[str, Callable[[], object]]], rounds: int) -> dict[str, Timing]:
    """Run every case once per round, ``rounds`` times, cases interleaved so that load on a shared
    machine falls on all of them alike."""
    out = {name: Timing() for name, _ in cases}
    for _ in range(rounds):
        for name, fn in cases:
            out[name].add(*timed(fn))
    return out


def rss_bytes() -> int:
    """Current resident set size of this process (Linux /proc; the peak elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # pragma: no cover - non-Linux
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


def header(title: str, stats: bool = True) -> None:
    """A section title; ``stats`` says its figures are medians [min-max] over interleaved rounds."""
    note = "  (median [min-max] over interleaved rounds; cpu = process CPU time)" if stats else ""
    print(f"\n== {title}{note}")
