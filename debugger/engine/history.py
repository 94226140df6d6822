"""Time travel: periodic checkpoints plus deterministic re-execution.

The machine is deterministic (same program, same inbox -> same steps), so the history of a run is
just a sparse list of machine snapshots (``Machine.clone()``, which shares the immutable values): the
state after any recorded step ``s`` is rebuilt by cloning the last checkpoint at or before ``s`` and
running forward. Costs:

* memory: one checkpoint per ``interval`` steps. A clone costs about ``CLONE_BASE_BYTES`` plus 8 bytes
  per stack slot, so the interval grows with the stack depth to keep checkpoints under
  ``bytes_per_step`` bytes per recorded step (and their copying under 5% of the run time);
* reverse stepping: at most ``interval`` replayed steps. The interval is sized from the measured
  speed (steps/s) so that this takes ``replay_budget`` seconds; a small LRU cache of finer
  checkpoints, taken while replaying, makes repeated step-backs in the same region cheaper still;
* recording: one clone per interval, i.e. well under 1% of the run time;
* cost: the interval counts steps, but steps differ a million-fold in cost (an ``ecpairing`` of 8
  pairs takes seconds). The recorder reports the time each stretch took (``extend(m, seconds)``);
  when that time since the last checkpoint exceeds the replay budget *and* is far more than those
  steps take at the usual speed (``COST_FACTOR`` times), a checkpoint is taken there. The session
  runs each expensive instruction as a chunk of its own and checkpoints the states just before and
  just after it, so a replay (a step back, a goto, the previous state the stop display diffs against)
  never re-executes one.

Branching (a restart with another inbox, or a change made after going back) calls ``truncate``:
everything after that step is dropped and recorded again when execution gets there.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict

from avm.core.machine import Machine

CLONE_BASE_BYTES = 600        # a Machine clone: the object, its list headers, bookkeeping fields
SLOT_BYTES = 8                # one list slot per stack entry (the values themselves are shared)
CLONE_BASE_SECONDS = 2e-6     # measured cost of clone() on a shallow machine
CLONE_SLOT_SECONDS = 3e-9     # ... plus this per stack slot (list copies)
MAX_CLONE_SHARE = 0.05        # checkpoints may cost at most this share of the run time
LONG_HISTORY = 1_000_000      # from here on, checkpoints get the strict memory budget
MIN_INTERVAL = 8
COST_FACTOR = 4.0             # a stretch this many times slower than usual is "expensive"
MAX_INTERVAL = 1 << 22


class History:
    """Checkpoints of one execution from ``start`` (its first state) up to ``end`` (the last step run)."""

    def __init__(self, first: Machine, replay_budget: float = 0.0015, bytes_per_step: float = 16.0,
                 cache_size: int = 48, interval: int | None = None) -> None:
        self.fixed_interval = interval          # tests: a fixed checkpoint interval
        self.replay_budget = replay_budget
        self.bytes_per_step = bytes_per_step
        self.cache_size = cache_size
        self._steps: list[int] = [first.steps]
        self._cps: list[Machine] = [self._snapshot(first)]
        self.end: int = first.steps
        self.rate: float = 300_000.0          # measured steps/s (updated by note_rate)
        self.interval: int = 1024
        self._cache: OrderedDict[int, Machine] = OrderedDict()
        self._cost = 0.0                          # run time recorded since the last checkpoint
        self._hash_donor: Machine = first            # the latest live state seen (see state_at)
        self._retune(first)

    # ------------------------------------------------------------------ facts
    @property
    def start(self) -> int:
        return self._steps[0]

    @property
    def checkpoint_count(self) -> int:
        return len(self._steps)

    def checkpoint_steps(self) -> list[int]:
        return list(self._steps)

    def due(self) -> int:
        """The step at which the next checkpoint is to be taken (recording at the frontier)."""
        return self._steps[-1] + self.interval

    # ------------------------------------------------------------------ recording
    @staticmethod
    def _snapshot(m: Machine) -> Machine:
        cp = m.clone()
        cp.on_event = None
        return cp

    def note_rate(self, steps: int, seconds: float) -> None:
        """Feed a measured run speed (large chunks only) into the interval choice."""
        if steps < 2000 or seconds <= 0:
            return
        self.rate = 0.7 * self.rate + 0.3 * (steps / seconds)

    def _retune(self, m: Machine) -> None:
        """Pick the checkpoint interval: replay of one interval takes ``replay_budget`` seconds, but
        checkpoints stay under ``bytes_per_step`` bytes per step (4x that while the history is short)
        and under ``MAX_CLONE_SHARE`` of the run time; both grow with the stack depth."""
        if self.fixed_interval is not None:
            self.interval = max(1, self.fixed_interval)
            return
        depth = len(m.stack) + len(m.aux)
        by_time = int(self.rate * self.replay_budget)
        budget = self.bytes_per_step * (1 if self.end - self.start >= LONG_HISTORY else 4)
        by_memory = int((CLONE_BASE_BYTES + SLOT_BYTES * depth) / budget)
        by_clone = int((CLONE_BASE_SECONDS + CLONE_SLOT_SECONDS * depth) * self.rate / MAX_CLONE_SHARE)
        self.interval = max(MIN_INTERVAL, min(MAX_INTERVAL, max(by_time, by_memory, by_clone)))

    def extend(self, m: Machine, seconds: float = 0.0, checkpoint: bool = False) -> None:
        """Called with the live machine whenever it is at or beyond the recorded end; ``seconds``:
        how long the steps since the previous call took to run (checkpoints by cost); ``checkpoint``:
        take one here in any case (the session's states around an expensive instruction)."""
        self._hash_donor = m
        s = m.steps
        if s > self.end:
            self.end = s
            self._cost += seconds
        last = self._steps[-1]
        if s >= last + self.interval or (s > last and (checkpoint or self._expensive(m, s - last))):
            self._steps.append(s)
            self._cps.append(self._snapshot(m))
            self._cost = 0.0
            self._retune(m)

    def _expensive(self, m: Machine, steps: int) -> bool:
        """Did the ``steps`` run since the last checkpoint cost enough for a checkpoint of their own:
        more than the replay budget, more than cloning is worth (see ``MAX_CLONE_SHARE``), and far
        more than such steps usually take?"""
        cost = self._cost
        if cost < self.replay_budget or cost < COST_FACTOR * steps / self.rate:
            return False
        depth = len(m.stack) + len(m.aux)
        return cost * MAX_CLONE_SHARE >= CLONE_BASE_SECONDS + CLONE_SLOT_SECONDS * depth

    def truncate(self, step: int) -> None:
        """Forget everything after ``step`` (the future of a branch point)."""
        if step >= self.end:
            return
        step = max(step, self.start)
        keep = bisect.bisect_right(self._steps, step)
        del self._steps[keep:]
        del self._cps[keep:]
        for s in [s for s in self._cache if s > step]:
            del self._cache[s]
        self.end = step

    def replace_state(self, m: Machine) -> None:
        """The state at ``m.steps`` was changed by the user: drop its future and re-anchor there."""
        self._hash_donor = m
        self.truncate(m.steps)
        s = m.steps
        for k in [k for k in self._cache if k >= s]:
            del self._cache[k]
        if self._steps[-1] == s:
            self._cps[-1] = self._snapshot(m)
        else:
            self._steps.append(s)
            self._cps.append(self._snapshot(m))
        self.end = s

    # ------------------------------------------------------------------ reconstruction
    def base_for(self, step: int) -> tuple[int, Machine]:
        """The latest snapshot (checkpoint or cached) at or before ``step``; the caller must clone it."""
        i = bisect.bisect_right(self._steps, step) - 1
        best_step, best = self._steps[i], self._cps[i]
        cache_hit = None
        for s in self._cache:
            if best_step < s <= step:
                best_step, cache_hit = s, s
        if cache_hit is not None:
            best = self._cache[cache_hit]
            self._cache.move_to_end(cache_hit)
        return best_step, best

    def segment_starts(self, before: int) -> list[int]:
        """Checkpoint steps at or before ``before``, latest first (for backward searches)."""
        i = bisect.bisect_right(self._steps, before)
        return self._steps[:i][::-1]

    def checkpoint_at(self, step: int) -> Machine:
        """The main checkpoint taken exactly at ``step`` (a step from ``segment_starts``)."""
        return self._cps[bisect.bisect_left(self._steps, step)]

    def hand_out(self, m: Machine) -> Machine:
        """``m`` adopts the stack-hash cache of the previous state handed out (or recorded), so a step
        back on a deep stack rehashes only the slots that differ (``Machine.adopt_hash_cache``)."""
        m.adopt_hash_cache(self._hash_donor)
        self._hash_donor = m
        return m

    def state_at(self, step: int, hand_out: bool = True) -> Machine:
        """A fresh machine in the state after ``step`` steps (``start <= step <= end``), handed out
        (see :meth:`hand_out`) unless ``hand_out`` is False (a state kept aside)."""
        if not self.start <= step <= self.end:
            raise ValueError(f"step {step} outside the recorded history {self.start}..{self.end}")
        base_step, base = self.base_for(step)
        m = base.clone()
        m.on_event = None
        distance = step - base_step
        fine = max(8, self.interval // 16)
        if distance > 2 * fine:
            # leave finer checkpoints behind for the step-backs that usually follow
            while step - m.steps > fine:
                m.run(fine)
                if m.steps >= step:
                    break
                self._cache[m.steps] = self._snapshot(m)
                self._cache.move_to_end(m.steps)
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        if m.steps < step:
            m.run(step - m.steps)
        return self.hand_out(m) if hand_out else m
