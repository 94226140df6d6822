"""The challenge game as the classic contracts play it (``challenge/Challenge.sol``, ``ChallengeLib``).

The simple teaching mode (:mod:`debugger.engine.dispute`) cuts by steps and compares machine hashes.
This mode follows the contracts:

* segments are ranges of **ArbGas used**; the state at gas cut ``g`` is the first state of the run whose
  gas used is at least ``g`` (a step is never split; past the end, the final state);
* each cut is an **assertion hash**, ``keccak(gasUsed || keccak(messagesRead || machineHash || sendAcc ||
  sendCount || logAcc || logCount))``, and each segment a chunk hash ``keccak(start || length ||
  startHash || endHash)``; the challenge state is the Merkle root of the last bisection's chunks
  (``MerkleLib.generateRoot``) and a move proves its segment with a Merkle path;
* the bisection degree is ``min(segment length, 400)`` (``challengeExecutionBisectionDegree`` of the
  classic rollup), the first segment taking the remainder;
* a segment whose start state's next step reaches its end is settled by ``oneStepProveExecution``
  (``executeStep`` of a prover contract, then the after assertion must differ from the opponent's
  claim); a segment whose start state is already past its end by ``proveContinuedExecution``.

Per round the output gives what the party posts to L1 and the ABI calldata size of that call.
"""

from __future__ import annotations

import bisect
from array import array
from dataclasses import dataclass, field
from typing import Any

from avm.core.keccak import be32, keccak256
from avm.core.machine import Machine, Status
from avm.errors import UserError
from avm.proofs.l1_verdict import l1_prover
from debugger.engine.dispute import HONEST, LIAR, Timeline, check_lie, cut_points, load_timeline, short

DEGREE = 400
#: ABI calldata of the Challenge calls: selector + head words (+ dynamic tails, added per call)
_BISECT_HEAD_WORDS = 8
_ONE_STEP_HEAD_WORDS = 15
_CONTINUED_HEAD_WORDS = 7


def assertion_hash(m: Machine) -> bytes:
    """``ChallengeLib.assertionHash(gasUsed, assertionRestHash(...))`` of a machine state."""
    rest = keccak256(be32(m.inbox_count) + m.machine_hash() + m.send_acc + be32(m.send_count) + m.log_acc
                     + be32(m.log_count))
    return keccak256(be32(m.gas_used) + rest)


def chunk_hash(start: int, length: int, start_hash: bytes, end_hash: bytes) -> bytes:
    """``ChallengeLib.bisectionChunkHash``."""
    return keccak256(be32(start) + be32(length) + start_hash + end_hash)


def merkle_root(leaves: list[bytes]) -> bytes:
    """``MerkleLib.generateRoot``: pairs hashed level by level, an odd last node promoted."""
    layer = list(leaves)
    while len(layer) > 1:
        layer = [keccak256(layer[i] + layer[i + 1]) if i + 1 < len(layer) else layer[i]
                 for i in range(0, len(layer), 2)]
    return layer[0]


def merkle_path(leaves: list[bytes], index: int) -> tuple[list[bytes], int]:
    """The nodes and route that ``MerkleLib.calculateRoot`` takes to rebuild the root from leaf ``index``."""
    nodes: list[bytes] = []
    route = 0
    bit = 0
    layer = list(leaves)
    i = index
    while len(layer) > 1:
        sibling = i ^ 1
        if sibling < len(layer):
            nodes.append(layer[sibling])
            if i % 2 == 0:          # the item is the left child: calculateRoot hashes (h, node)
                route |= 1 << bit
            bit += 1
        layer = [keccak256(layer[k] + layer[k + 1]) if k + 1 < len(layer) else layer[k]
                 for k in range(0, len(layer), 2)]
        i //= 2
    return nodes, route


def calculate_root(nodes: list[bytes], route: int, item: bytes) -> bytes:
    """``MerkleLib.calculateRoot``."""
    h = item
    for node in nodes:
        h = keccak256(node + h) if route % 2 == 0 else keccak256(h + node)
        route //= 2
    return h


class GasTimeline:
    """A run with the gas used after every step, and the states at gas cuts."""

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        m = timeline.state_at(0)
        gas = array("Q")
        while m.steps < timeline.total and m.status == Status.EXTENSIVE and not m.blocked:
            m.step()
            gas.append(m.gas_used)
        self.gas_after = gas                 # gas_after[i]: gas used after i + 1 steps
        self.total_gas = gas[-1] if gas else 0
        self._hashes: dict[int, bytes] = {}

    def gas_at(self, step: int) -> int:
        return self.gas_after[step - 1] if step else 0

    def step_at_gas(self, g: int) -> int:
        """The first state (a step count) whose gas used is at least ``g``; the last state past the end."""
        if g <= 0:
            return 0
        return min(bisect.bisect_left(self.gas_after, g) + 1, self.timeline.total)

    def assertion_at(self, step: int) -> bytes:
        h = self._hashes.get(step)
        if h is None:
            h = self._hashes[step] = assertion_hash(self.timeline.state_at(step))
        return h


@dataclass
class Side:
    name: str                # HONEST or LIAR
    role: str                # asserter or challenger
    lie_at: int | None       # the liar misreports every state from this step on

    @property
    def title(self) -> str:
        return f"{self.role} ({self.name})"

    def claim(self, run: GasTimeline, step: int) -> bytes:
        true = run.assertion_at(step)
        if self.lie_at is None or step < self.lie_at:
            return true
        return keccak256(b"made-up assertion" + be32(step) + true)


@dataclass
class Move:
    number: int
    mover: str
    call: str                         # the Challenge function called
    start: int                        # the segment (ArbGas) the move answers ...
    length: int
    steps: tuple[int, int]            # ... and the states at its ends (step counts)
    degree: int = 0                   # bisection: parts posted
    cuts: list[int] = field(default_factory=list)        # gas cut points (start .. end)
    chain: list[bytes] = field(default_factory=list)     # the mover's assertion hashes at the cuts
    merkle_nodes: int = 0
    calldata: int = 0                 # ABI calldata bytes of the call
    chosen: int | None = None         # which part the opponent takes next


@dataclass
class OneStep:
    prover: str
    before_step: int
    gas_before: int
    step_gas: int
    entry: Any                        # the ProofEntry (avm.proofs.export)
    prover_contract: str
    agreed_before: bytes              # the chain hash both agree on
    proof_before: bytes               # oneStepProofExecutionBefore from the proof's fields
    proof_after: bytes                # oneStepProofExecutionAfter
    opponent_end: bytes
    accepted: bool
    reason: str


@dataclass
class ClassicDispute:
    program_name: str
    total_steps: int
    total_gas: int
    lie_at: int
    degree: int
    asserter: Side
    challenger: Side
    execution_hash: bytes
    moves: list[Move] = field(default_factory=list)
    one_step: OneStep | None = None
    winner: str = ""
    end: str = ""


def _calldata(head_words: int, *dynamic: int) -> int:
    """Selector + head + each dynamic tail (a length word and its data padded to words)."""
    return 4 + 32 * head_words + sum(32 + (n + 31) // 32 * 32 for n in dynamic)


def simulate_classic(timeline: Timeline, lie_at: int, liar_role: str = "asserter",
                     degree: int = DEGREE) -> ClassicDispute:
    """Play the classic game over ``timeline``; the liar misreports every state from ``lie_at`` on."""
    total = timeline.total
    check_lie(timeline, lie_at)
    if degree < 2:
        raise UserError("the bisection degree must be at least 2")
    run = GasTimeline(timeline)
    honest_role = "challenger" if liar_role == "asserter" else "asserter"
    sides = {honest_role: Side(HONEST, honest_role, None), liar_role: Side(LIAR, liar_role, lie_at)}
    asserter, challenger = sides["asserter"], sides["challenger"]
    name = str(getattr(timeline.program, "path", None) or "program")
    start, length = 0, run.total_gas
    end_claim = asserter.claim(run, total)
    start_hash = asserter.claim(run, 0)
    d = ClassicDispute(name, total, run.total_gas, lie_at, degree, asserter, challenger,
                       chunk_hash(start, length, start_hash, end_claim))
    leaves = [d.execution_hash]
    index = 0
    mover, other = challenger, asserter
    number = 0
    while True:
        number += 1
        s0, s1 = run.step_at_gas(start), run.step_at_gas(start + length)
        nodes, _route = merkle_path(leaves, index)
        mover_start = mover.claim(run, s0)
        if run.gas_at(s0) >= start + length:     # the start state already covers the segment
            move = Move(number, mover.title, "proveContinuedExecution", start, length, (s0, s1),
                        merkle_nodes=len(nodes), calldata=_calldata(_CONTINUED_HEAD_WORDS, 32 * len(nodes)))
            d.moves.append(move)
            ok = mover_start != end_claim
            d.winner, d.end = (mover.title, "continued execution proven") if ok \
                else (other.title, f"the {mover.title} cannot move and times out")
            return d
        step_gas = run.gas_at(s0 + 1) - run.gas_at(s0)
        if run.gas_at(s0) + step_gas >= start + length:          # one step covers it
            d.one_step = _one_step(run, mover, start, length, s0, end_claim, nodes)
            move = Move(number, mover.title, "oneStepProveExecution", start, length, (s0, s1),
                        merkle_nodes=len(nodes),
                        calldata=_calldata(_ONE_STEP_HEAD_WORDS, 32 * len(nodes), len(d.one_step.entry.proof),
                                           len(d.one_step.entry.buffer_proof)))
            d.moves.append(move)
            if d.one_step.accepted:
                d.winner, d.end = mover.title, "one-step proof accepted"
            else:
                d.winner, d.end = other.title, f"the {mover.title} cannot prove its claim and times out"
            return d
        n = min(length, degree)
        cuts = cut_points(start, length, n)
        steps = [run.step_at_gas(g) for g in cuts]
        chain = [mover.claim(run, s) for s in steps]
        chain[0] = mover_start
        move = Move(number, mover.title, "bisectExecution", start, length, (s0, s1), n, cuts, chain,
                    len(nodes), _calldata(_BISECT_HEAD_WORDS, 32 * len(nodes), 32 * len(chain)))
        leaves = [chunk_hash(cuts[i], cuts[i + 1] - cuts[i], chain[i], chain[i + 1]) for i in range(n)]
        # the opponent takes the first part whose start it agrees with and whose end it disputes
        pick = None
        for i in range(n):
            if other.claim(run, steps[i]) == chain[i] and other.claim(run, steps[i + 1]) != chain[i + 1]:
                pick = i
                break
        d.moves.append(move)
        if pick is None:   # the opponent agrees with every cut: it has nothing to dispute
            d.winner, d.end = mover.title, f"the {other.title} agrees with every cut and times out"
            return d
        move.chosen = pick
        index = pick
        start, length, end_claim = cuts[pick], cuts[pick + 1] - cuts[pick], chain[pick + 1]
        mover, other = other, mover


def _one_step(run: GasTimeline, prover: Side, start: int, length: int, before_step: int, opponent_end: bytes,
              nodes: list[bytes]) -> OneStep:
    """``oneStepProveExecution`` for the step from state ``before_step``, checked as the contract does
    with avm-debug's verifier standing in for ``executeStep`` (the tests run the real contracts)."""
    from avm.proofs import verifier
    from avm.proofs.export import make_proof

    m = run.timeline.state_at(before_step)
    entry = make_proof(m, before_step)
    b = entry.before
    out = verifier.execute_step(entry.proof, entry.buffer_proof, b.send_acc, b.log_acc, b.inbox_count,
                                b.inbox_acc)
    before_rest = keccak256(be32(b.inbox_count) + out.before_hash + b.send_acc + be32(b.send_count)
                            + b.log_acc + be32(b.log_count))
    before_hash = keccak256(be32(b.gas_used) + before_rest)
    sends = b.send_count + (0 if out.send_acc == b.send_acc else 1)
    logs = b.log_count + (0 if out.log_acc == b.log_acc else 1)
    after_hash = keccak256(be32(b.gas_used + out.gas) + keccak256(
        be32(out.messages_read) + out.after_hash + out.send_acc + be32(sends) + out.log_acc + be32(logs)))
    agreed = run.assertion_at(before_step)
    checks = [
        (b.gas_used < start + length, "OSP_CONT: the step starts inside the segment"),
        (b.gas_used + out.gas >= start + length, "OSP_SHORT: the step reaches the segment's end"),
        (after_hash != opponent_end, "WRONG_END: the proven end differs from the opponent's claim"),
        (before_hash == agreed, "BIS_PREV: the proof starts from the agreed cut"),
    ]
    failed = [text for ok, text in checks if not ok]
    return OneStep(prover.title, before_step, b.gas_used, out.gas, entry, l1_prover(entry.proof[0]),
                   agreed, before_hash, after_hash, opponent_end, not failed,
                   "; ".join(failed) if failed else "every check of oneStepProveExecution passes")


def render_classic(d: ClassicDispute) -> list[str]:
    """The classic game as plain text lines."""
    out = [
        f"Classic challenge over {d.program_name}: {d.total_steps:,} steps, {d.total_gas:,} ArbGas; "
        f"the liar misreports every state from step {d.lie_at:,} on.",
        f"  asserter: {d.asserter.name}   challenger: {d.challenger.name}   bisection degree "
        f"min(segment, {d.degree})",
        f"  execution hash (challenge root at the start): {short(d.execution_hash)}",
        "",
    ]
    total_calldata = 0
    for mv in d.moves:
        total_calldata += mv.calldata
        where = f"ArbGas {mv.start:,}..{mv.start + mv.length:,} (steps {mv.steps[0]:,}..{mv.steps[1]:,})"
        if mv is d.moves[-1] and d.one_step is not None and not d.one_step.accepted:
            out.append(f"round {mv.number}: the {mv.mover} is left with one step on {where}; "
                       f"{mv.call} would revert ({mv.calldata:,} bytes of calldata)")
            continue
        out.append(f"round {mv.number}: the {mv.mover} calls {mv.call} on {where}: "
                   f"{mv.calldata:,} bytes of calldata")
        if mv.call == "bisectExecution":
            out.append(f"    posts {len(mv.chain)} assertion hashes ({mv.degree} parts, Merkle proof of "
                       f"{mv.merkle_nodes} nodes for the segment)")
            if mv.chosen is not None:
                a, b = mv.cuts[mv.chosen], mv.cuts[mv.chosen + 1]
                out.append(f"    -> the opponent disputes part {mv.chosen}: ArbGas {a:,}..{b:,}")
    o = d.one_step
    if o is not None:
        out += [
            "",
            f"one step: from step {o.before_step:,} (ArbGas {o.gas_before:,}, the step costs {o.step_gas}), "
            f"proved by {o.prover_contract}.executeStep: Proof {len(o.entry.proof)} bytes, BufferProof "
            f"{len(o.entry.buffer_proof)} bytes",
            f"  before assertion {short(o.proof_before)} "
            + ("= the agreed cut" if o.proof_before == o.agreed_before else "!= the agreed cut"),
            f"  after assertion  {short(o.proof_after)}; the opponent claimed {short(o.opponent_end)}",
            f"  {o.reason}",
        ]
    out += ["", f"{d.end}: the {d.winner} wins. Calldata posted in all: {total_calldata:,} bytes."]
    return out


def render_classic_cli(program_path: str, lie_at: int, steps: int | None = None,
                       inbox_path: str | None = None, liar_role: str = "asserter") -> str:
    d = simulate_classic(load_timeline(program_path, steps, inbox_path), lie_at, liar_role)
    return "\n".join(render_classic(d)) + "\n"
