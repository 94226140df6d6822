"""Dispute simulator: the classic Arbitrum challenge game, played over one run's machine-hash timeline.

Two parties assert the end state of the same run. The honest one reports the real machine hash after
every step; the liar reports real hashes before step ``lie_at`` and made-up ones from ``lie_at`` on.
As in the classic ``Challenge`` contract, the parties move in turn, the challenger first: the party on
turn takes a segment of the opponent's last bisection whose start it agrees with and whose end it
disputes, and posts its own hashes at the cut points of that segment (``ways`` parts). When the chosen
segment is one step long, the party on turn submits a one-step proof of that step instead; the
verifier computes the after hash from the agreed before state, and the proof succeeds only if that
hash differs from the opponent's claim. A liar can never succeed there (the verifier computes the
honest hash), so it runs out of time.

Simplifications, stated to the user in the output: the contract measures segments in ArbGas used and
hashes whole assertions (gas used, machine hash, inbox, send and log accumulators); the simulator cuts
by steps and compares machine hashes.

Midpoint states come from :class:`debugger.engine.history.History` (checkpoints + deterministic replay), so a
round costs at most a checkpoint interval of re-execution per cut point.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from avm.core.keccak import keccak256
from avm.errors import UserError
from debugger.engine.display import short_hex
from debugger.resources import display_path

DEFAULT_MAX_STEPS = 1_000_000
HONEST, LIAR = "honest", "liar"


_HALTED, _ERRORSTOP = bytes(32), (1).to_bytes(32, "big")


def short(h: bytes) -> str:
    """A shortened hash; the two special machine hashes are named."""
    if h == _HALTED:
        return "0 (halted)"
    if h == _ERRORSTOP:
        return "1 (error stop)"
    return short_hex(h, 12)


# ---------------------------------------------------------------------------------------- timeline
class Timeline:
    """One run of a program, with the machine hash after any step available cheaply."""

    def __init__(self, program: Any, inbox: list | None = None, max_steps: int | None = None) -> None:
        from avm.core.machine import Machine
        from debugger.engine.history import History
        from debugger.engine.run_to_end import run_to_end

        self.program = program
        limit = DEFAULT_MAX_STEPS if max_steps is None else max_steps
        if limit < 1:
            raise UserError("the disputed run needs at least one step (--steps must be >= 1)")
        m = Machine.from_program(program, inbox if inbox is not None else program.inbox)
        self.history = History(m)
        run_to_end(m, limit, self.history)
        self.total: int = m.steps
        self.final = m
        self._hashes: dict[int, bytes] = {self.total: m.machine_hash()}

    def state_at(self, step: int) -> Any:
        """A fresh machine in the state after ``step`` steps."""
        if step == self.total:
            m = self.final.clone()
            m.on_event = None
            return m
        return self.history.state_at(step)

    def hash_at(self, step: int) -> bytes:
        h = self._hashes.get(step)
        if h is None:
            h = self._hashes[step] = self.state_at(step).machine_hash()
        return h


# ---------------------------------------------------------------------------------------- parties
@dataclass
class Party:
    name: str            # HONEST or LIAR
    role: str            # "asserter" or "challenger"
    timeline: Timeline
    lie_at: int | None   # None for the honest party

    def claim(self, step: int) -> bytes:
        """The machine hash this party claims for the state after ``step`` steps."""
        true = self.timeline.hash_at(step)
        if self.lie_at is None or step < self.lie_at:
            return true
        return keccak256(b"made-up state" + step.to_bytes(8, "big") + true)

    @property
    def title(self) -> str:
        return f"{self.role} ({self.name})"


# ---------------------------------------------------------------------------------------- game
@dataclass
class Cut:
    step: int
    mover_hash: bytes
    other_hash: bytes

    @property
    def agree(self) -> bool:
        return self.mover_hash == self.other_hash


@dataclass
class Round:
    number: int
    mover: str                  # party title of the one who moves (bisects) this round
    answerer: str               # who must answer next
    start: int                  # the disputed segment: start state agreed ...
    end: int                    # ... end state disputed
    cuts: list[Cut]             # start, inner cut points, end; hashes by the mover and the other party
    chosen: tuple[int, int] | None = None   # the segment the answerer picks next


@dataclass
class OneStepResult:
    step: int                   # the instruction run: from the state after step-1 to the state after step
    prover: str                 # title of the party on turn
    opponent: str
    instruction: str
    agreed_before: bytes
    proof_before: bytes         # before hash the verifier rebuilt from the proof
    verified_after: bytes       # after hash the verifier computed
    honest_after: bytes
    liar_after: bytes
    opponent_after: bytes
    proof_bytes: int
    buffer_proof_bytes: int
    entry: dict                 # the reference-format proof entry
    proof_accepted: bool        # the contract accepts it: before matches and after != opponent's claim
    winner: str


@dataclass
class Dispute:
    program_name: str
    total_steps: int
    lie_at: int
    ways: int
    honest: Party
    liar: Party
    initial_hash: bytes
    rounds: list[Round] = field(default_factory=list)
    one_step: OneStepResult | None = None

    @property
    def found_step(self) -> int | None:
        return self.one_step.step if self.one_step else None


def cut_points(start: int, length: int, ways: int) -> list[int]:
    """The classic contract's cuts: the first segment takes the remainder (``ChallengeLib``)."""
    n = min(length, ways)
    first = length // n + length % n
    other = length // n
    points = [start, start + first]
    for _ in range(n - 1):
        points.append(points[-1] + other)
    return points


def check_lie(timeline: Timeline, lie_at: int) -> None:
    """``UserError`` unless the run has steps and ``lie_at`` is one of them."""
    if timeline.total < 1:
        raise UserError("the program stops before running a single step: nothing to dispute")
    if not 1 <= lie_at <= timeline.total:
        raise UserError(f"--lie-at must be a step of the run, 1..{timeline.total}")


def simulate(timeline: Timeline, lie_at: int, ways: int = 2, liar_role: str = "asserter") -> Dispute:
    """Play the whole game; the result holds every round and the final one-step proof."""
    total = timeline.total
    check_lie(timeline, lie_at)
    if ways < 2:
        raise UserError("each round must split the segment into at least 2 parts (--ways >= 2)")
    if liar_role not in ("asserter", "challenger"):
        raise UserError("the liar is either the asserter or the challenger")
    honest_role = "challenger" if liar_role == "asserter" else "asserter"
    honest = Party(HONEST, honest_role, timeline, None)
    liar = Party(LIAR, liar_role, timeline, lie_at)
    by_role = {p.role: p for p in (honest, liar)}
    name = display_path(getattr(timeline.program, "path", None) or "program")
    dispute = Dispute(str(name), total, lie_at, ways, honest, liar, timeline.hash_at(0))

    mover, other = by_role["challenger"], by_role["asserter"]   # the challenger moves first
    start, end = 0, total
    number = 0
    while end - start > 1:
        number += 1
        points = cut_points(start, end - start, ways)
        cuts = [Cut(p, mover.claim(p), other.claim(p)) for p in points]
        rnd = Round(number, mover.title, other.title, start, end, cuts)
        # the answerer picks the first sub-segment whose start it agrees with and whose end it disputes
        for a, b in zip(cuts, cuts[1:], strict=False):
            if a.agree and not b.agree:
                rnd.chosen = (a.step, b.step)
                break
        dispute.rounds.append(rnd)
        if rnd.chosen is None:          # cannot happen while both follow their own claims
            raise AssertionError("no disputed sub-segment")
        start, end = rnd.chosen
        mover, other = other, mover
    dispute.one_step = _one_step(timeline, start, mover, other, honest, liar)
    return dispute


def _one_step(timeline: Timeline, before_step: int, prover: Party, opponent: Party, honest: Party,
              liar: Party) -> OneStepResult:
    from avm.proofs import verifier
    from avm.proofs.export import make_proof
    from debugger.engine.display import codepoint_label, instruction_text

    machine = timeline.state_at(before_step)
    instruction = f"{instruction_text(machine.pc, 40)} ({codepoint_label(timeline.program, machine.pc)})"
    step = before_step + 1
    entry = make_proof(machine, before_step)      # step N = the state the proved instruction runs from
    # the verifier sees only the proof bytes and the agreed before accumulators
    b = entry.before
    out = verifier.execute_step(entry.proof, entry.buffer_proof, b.send_acc, b.log_acc, b.inbox_count,
                                b.inbox_acc)
    agreed = timeline.hash_at(before_step)
    opponent_after = opponent.claim(step)
    # the contract: the proof must start from the agreed state and end elsewhere than the opponent
    accepted = out.before_hash == agreed and out.after_hash != opponent_after
    winner = prover.title if accepted else opponent.title
    return OneStepResult(
        step=step, prover=prover.title, opponent=opponent.title, instruction=instruction,
        agreed_before=agreed, proof_before=out.before_hash, verified_after=out.after_hash,
        honest_after=honest.claim(step), liar_after=liar.claim(step), opponent_after=opponent_after,
        proof_bytes=len(entry.proof), buffer_proof_bytes=len(entry.buffer_proof),
        entry=entry.to_json(), proof_accepted=accepted, winner=winner)


# ---------------------------------------------------------------------------------------- output
def render(d: Dispute) -> str:
    """The whole game as plain text (the CLI output; the TUI screen shows the same lines)."""
    return "\n".join(render_lines(d)) + "\n"


def render_lines(d: Dispute) -> list[str]:
    honest, liar = d.honest, d.liar
    asserter = honest if honest.role == "asserter" else liar
    challenger = liar if asserter is honest else honest
    out = [
        f"Dispute over {d.program_name}: a run of {d.total_steps:,} steps; the liar reports made-up "
        f"states from step {d.lie_at:,} on.",
        f"  asserter: {asserter.name}   challenger: {challenger.name}   "
        f"each round splits the disputed segment into {d.ways} parts",
        f"  step 0 (initial state): {short(d.initial_hash)}  (both agree)",
        f"  assertion: the {asserter.title} claims step {d.total_steps:,} ends in "
        f"{short(asserter.claim(d.total_steps))}; the {challenger.title} computes "
        f"{short(challenger.claim(d.total_steps))} and challenges",
        "",
    ]
    for r in d.rounds:
        out.append(f"round {r.number}: the {r.mover} bisects steps {r.start:,}..{r.end:,} "
                   f"({r.end - r.start:,} steps), posting its hashes:")
        honest_moves = r.mover.endswith(f"({HONEST})")
        for c in r.cuts[1:]:
            mark = "agree" if c.agree else "DISAGREE"
            h, lie = (c.mover_hash, c.other_hash) if honest_moves else (c.other_hash, c.mover_hash)
            out.append(f"    step {c.step:>9,}:  honest {short(h):<16}  liar {short(lie):<16}  {mark}")
        if r.chosen:
            out.append(f"  -> the {r.answerer} must answer: it agrees with the hash at step {r.chosen[0]:,} "
                       f"and disputes the one at step {r.chosen[1]:,}, so it takes segment "
                       f"{r.chosen[0]:,}..{r.chosen[1]:,}")
    o = d.one_step
    if o is not None:
        out += [
            "",
            f"one step left: {o.instruction} runs from the agreed state {o.step - 1:,} "
            f"({short(o.agreed_before)}) to the disputed state {o.step:,} (prove --step {o.step - 1:,}).",
            f"  the {o.prover} must answer with a one-step proof: Proof {o.proof_bytes} bytes, "
            f"BufferProof {o.buffer_proof_bytes} bytes",
            f"  verifier: before hash rebuilt from the proof {short(o.proof_before)} "
            + ("= the agreed state" if o.proof_before == o.agreed_before else "!= the agreed state"),
            f"  verifier: after hash {short(o.verified_after)}",
            f"    honest party claimed {short(o.honest_after)} "
            + ("= verifier" if o.honest_after == o.verified_after else "!= verifier"),
            f"    liar claimed         {short(o.liar_after)} "
            + ("= verifier" if o.liar_after == o.verified_after else "!= verifier"),
        ]
        if o.proof_accepted:
            out.append(f"  the proof shows the {o.opponent}'s hash for step {o.step:,} is wrong: "
                       f"the {o.winner} wins.")
        else:
            out.append(f"  the proof cannot show the {o.opponent} wrong (the verifier agrees with it), "
                       f"so the {o.prover} cannot move and times out: the {o.winner} wins.")
        out.append(f"  the lie was at step {d.lie_at:,}; the game found step {o.step:,}.")
    out += ["", "(The classic contract cuts segments by ArbGas used and hashes whole assertions: gas used, "
            "machine hash, inbox, send and log accumulators. This simulation cuts by steps and compares "
            "machine hashes.)"]
    return out


def render_cli(program_path: str, lie_at: int, steps: int | None = None, inbox_path: str | None = None,
               ways: int = 2, liar_role: str = "asserter") -> str:
    return render(simulate(load_timeline(program_path, steps, inbox_path), lie_at, ways, liar_role))


def load_timeline(program_path: str, steps: int | None = None, inbox_path: str | None = None) -> Timeline:
    """The run a CLI dispute is about: the program, its inbox (``--inbox`` or its own) and ``--steps``."""
    from debugger.engine.loading import load_program

    program = load_program(program_path)
    inbox = None
    if inbox_path:
        from avm.core.inbox import load_inbox

        inbox = load_inbox(inbox_path)
    return Timeline(program, inbox, steps)


def random_lie(total: int, rng: random.Random | None = None) -> int:
    """A random step to lie at (for demos and tests)."""
    return (rng or random.Random()).randint(1, total)
