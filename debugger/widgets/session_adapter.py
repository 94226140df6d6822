"""Thin adapters between the TUI and the session engine for things the session has no single call for:
finding the latest step that ran an instruction, per-instruction heat, proof export with verification,
trace dumps. No Textual here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from avm.errors import UserError


def last_step_at(session: Any, index: int, before: int) -> int | None:
    """The latest state ``s < before`` whose next instruction is ``program.code[index]`` (replays the
    recorded history backwards, one checkpoint segment at a time)."""
    target = session.program.code[index]
    history = session.history
    hi = min(before, history.end + 1)  # exclusive bound on the state number
    if hi <= history.start:
        return None
    for lo in history.segment_starts(hi - 1):
        m = history.checkpoint_at(lo).clone()
        m.on_event = None
        found = lo if m.pc is target else None
        while m.steps < hi - 1:
            before_steps = m.steps
            m.run(hi - 1 - m.steps, stop_at=(target,))
            if m.steps == before_steps:
                break  # blocked or stopped: nothing further in this segment
            if m.pc is target and m.steps < hi:
                found = m.steps
            if m.status != 0:
                break
        if found is not None:
            return found
        hi = lo
    return None


@dataclass
class ProofExport:
    step: int
    path: Path
    proof_hex: str
    message: str
    heading: str


def proof_step_for_cursor(session: Any, cursor: int) -> tuple[int, str]:
    """Which step to prove for a cursor line, and a sentence saying why."""
    pc_index = session.machine.pc.index
    if cursor == pc_index:
        return session.step, f"the step about to run (step {session.step:,}, instruction #{cursor})"
    found = last_step_at(session, cursor, session.step)
    if found is not None:
        return found, f"the latest step that ran instruction #{cursor}: step {found:,}"
    later = last_step_at(session, cursor, session.history_end)
    if later is not None and later > session.step:
        return later, f"instruction #{cursor} ran later in the recorded history, at step {later:,}"
    raise UserError(f"instruction #{cursor} has not run in the recorded history: no proof to export")


def proof_entry(session: Any, step: int, program_name: str) -> dict:
    """The reference-format proof entry of ``step`` through the session (with a direct fallback while
    the session's ``proof_for_step`` cannot reach the proof module)."""
    from avm import proof

    state = session.history.state_at(step)
    reason = proof.can_prove(state)
    if reason:
        raise UserError(f"step {step:,} cannot be proved: {reason}")
    try:
        return session.proof_for_step(step)
    except (ImportError, AttributeError):
        return proof.make_proof_entry(state, step, session.program.path or program_name)


def export_proof(session: Any, step: int, directory: Path, program_name: str) -> tuple[Path, str]:
    """Write the reference-format proof of ``step`` into ``directory``, verified first with the
    independent verifier; returns the path and the Proof hex. ``UserError`` if it cannot be done."""
    from avm import proof_format, verifier

    entry = proof_entry(session, step, program_name)
    stem = Path(program_name).stem or "program"
    path = directory / f"{stem}-step{step}.proof.json"
    proof_format.write_proofs(path, [entry])
    # verify what is on disk, exactly as `avm-debug verify` will read it
    loaded = proof_format.load_proofs(path)
    result = verifier.verify_entry(loaded[0]) if len(loaded) == 1 else None
    if result is None or not result.ok:
        path.unlink(missing_ok=True)
        reason = result.reason if result is not None else "the file did not read back as one entry"
        raise UserError(f"the proof of step {step:,} did not verify (not written): {reason}")
    return path, str(entry["Proof"])


def export_proof_at_cursor(app: Any, cursor: int) -> ProofExport:
    session = app.session
    step, why = proof_step_for_cursor(session, cursor)
    path, proof_hex = export_proof(session, step, Path.cwd(), app.program_name)
    message = f"proof of step {step:,} verified and written: {path}"
    heading = (f"Proof of {why}\nverified by avm.verifier, written to {path}\n"
               "Fields marked 'hash only' are revealed only as a hash (the rest of a stack, the "
               "error handler), the others in full.")
    return ProofExport(step, path, proof_hex, message, heading)


HEAT_SYNC_LIMIT = 200_000  # above this many steps, profiles are built in the run worker


def heat_counts(session: Any, mode: str) -> list[int]:
    """Per-instruction executions (``hits``) or gas charged (``gas``) over steps 0..current."""
    profile = session.gas_profile()
    source = profile.gas if mode == "gas" else profile.counts
    counts = [0] * len(session.program.code)
    for index, value in source.items():
        if 0 <= index < len(counts):
            counts[index] = value
    return counts


def executed_instructions(session: Any) -> set[int]:
    """Instruction indices executed from the start to the current step (for lesson notes)."""
    return set(session.gas_profile().counts)


def dump_trace(session: Any, path: str) -> str:
    target = Path(path)
    try:
        with target.open("w", encoding="utf-8") as out:
            count = session.export_trace(out)
    except OSError as err:
        raise UserError(f"cannot write {path}: {err.strerror or err}") from None
    return f"trace of {count:,} steps written to {target}"


def share_hash_cache(donor: Any, machine: Any) -> None:
    """Give ``machine`` the stack-hash cache of ``donor`` (another state of the same run).

    The machine caches stack pre-images per depth and checks every entry by value identity, so a
    cache from a neighbouring state is safe to reuse; without it, every step back (a fresh clone of a
    checkpoint) would rehash the whole stack: ~35 ms for 5,000 values.
    """
    if donor is None or donor is machine:
        return
    for name in ("_dcache", "_acache"):
        mine, theirs = getattr(machine, name, None), getattr(donor, name, None)
        if isinstance(mine, list) and isinstance(theirs, list) and len(theirs) > len(mine):
            setattr(machine, name, theirs.copy())
