"""Timelines: gas used, stack depths and the machine hash across a whole history, sampled for display.

Nothing is stored per step: each sample is rebuilt from the nearest checkpoint at or before it (a
private clone, so the history's own step-back cache is left alone), which costs at most one
checkpoint interval of replay per sample: 200 samples of a 10M-step history replay about 200
intervals, not 10M steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from avm.core.machine import Status

if TYPE_CHECKING:
    from debugger.engine.session import Session

BARS = "▁▂▃▄▅▆▇█"


@dataclass
class Timeline:
    steps: list[int] = field(default_factory=list)
    gas_used: list[int] = field(default_factory=list)
    depth: list[int] = field(default_factory=list)
    aux_depth: list[int] = field(default_factory=list)
    hashes: list[str] = field(default_factory=list)      # "0x..." when asked for

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"steps": self.steps, "gas_used": self.gas_used, "depth": self.depth,
                               "aux_depth": self.aux_depth}
        if self.hashes:
            out["machine_hash"] = self.hashes
        return out


def sample_steps(start: int, end: int, samples: int) -> list[int]:
    """``samples`` states spread evenly over start..end (both included), without repeats."""
    if end <= start or samples <= 1:
        return [end]
    n = min(samples, end - start + 1)
    return sorted({start + (end - start) * k // (n - 1) for k in range(n)})


def sample_timeline(session: Session, samples: int = 120, start: int | None = None, end: int | None = None,
                    hashes: bool = False) -> Timeline:
    """Sample the recorded history (default: all of it) at ``samples`` evenly spread states. Bounded
    (one checkpoint interval of replay per sample, about 0.1 s for 200 samples), so it does not look
    at the session's interrupt flag: it may run beside a command that does."""
    history = session.history
    start = history.start if start is None else max(start, history.start)
    end = history.end if end is None else min(end, history.end)
    out = Timeline()
    m = None
    for s in sample_steps(start, end, samples):
        lo = history.segment_starts(s)[0]
        if m is None or m.steps > s or m.steps < lo:
            m = history.checkpoint_at(lo).clone()
        while m.steps < s and m.status == Status.EXTENSIVE:
            was = m.steps
            m.run(s - m.steps)
            if m.steps == was:
                break
        out.steps.append(m.steps)
        out.gas_used.append(m.gas_used)
        out.depth.append(len(m.stack))
        out.aux_depth.append(len(m.aux))
        if hashes:
            out.hashes.append("0x" + m.machine_hash().hex())
    return out


def sparkline(values: list[int], width: int | None = None) -> str:
    """One bar per value (or per ``width`` buckets, each showing its largest value), scaled from the
    smallest to the largest value."""
    if not values:
        return ""
    if width is not None and 0 < width < len(values):
        values = [max(values[len(values) * k // width: max(len(values) * (k + 1) // width,
                                                            len(values) * k // width + 1)])
                  for k in range(width)]
    lo, hi = min(values), max(values)
    if hi == lo:
        return BARS[0] * len(values)
    top = len(BARS) - 1
    return "".join(BARS[(v - lo) * top // (hi - lo)] for v in values)


def step_at_column(timeline: Timeline, column: int, width: int) -> int:
    """The sampled step under ``column`` of a strip ``width`` columns wide (for clicks)."""
    if not timeline.steps:
        return 0
    k = min(len(timeline.steps) - 1, max(0, column) * len(timeline.steps) // max(1, width))
    return timeline.steps[k]
