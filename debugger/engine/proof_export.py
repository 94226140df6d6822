"""Exporting the one-step proof of a recorded step to a file, verified before it is kept.

Plain Python (no Textual): the TUI's ``p`` key and ``:proof`` command call
:func:`export_instruction_proof`; tests call it directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from avm.errors import UserError
from avm.proofs import proof_file as proof_format
from avm.proofs import verifier
from avm.proofs.l1_verdict import l1_rejection
from debugger.engine.session import Session


@dataclass
class ProofExport:
    step: int          # the state the proof starts from
    why: str           # which step this is, in words (see Session.proof_step_for)
    path: Path         # the file written
    proof_hex: str     # the Proof bytes, as in the file ("0x…")
    l1_warning: str | None = None   # why the L1 contracts would not accept it (avm.proofs.l1_verdict)
    buffer_proof_hex: str = ""      # the BufferProof bytes, as in the file ("0x…", "0x" when none)


def proof_file_name(program_name: str, step: int) -> str:
    """``<program stem>-step<N>.proof.json``."""
    stem = Path(program_name).stem or "program"
    return f"{stem}-step{step}.proof.json"


def export_step_proof(session: Session, step: int, directory: Path, program_name: str,
                      path: Path | None = None) -> tuple[Path, dict]:
    """Write the reference-format proof of ``step`` into ``directory`` (or to ``path``) after the
    independent verifier accepted the file as written (a rejected file is removed). Returns the path and
    the entry written; ``UserError`` when the step cannot be proved or the proof does not verify."""
    entry = session.proof_for_step(step)
    path = path or directory / proof_file_name(program_name, step)
    proof_format.write_proofs(path, [entry])
    # verify what is on disk, exactly as `avm-debug verify` will read it
    loaded = proof_format.load_proofs(path)
    result = verifier.verify_entry(loaded[0]) if len(loaded) == 1 else None
    if result is None or not result.ok:
        path.unlink(missing_ok=True)
        reason = result.reason if result is not None else "the file did not read back as one entry"
        raise UserError(f"the proof of step {step:,} did not verify (not written): {reason}")
    return path, entry


def export_instruction_proof(session: Session, index: int, directory: Path, program_name: str) -> ProofExport:
    """The verified proof of the step that runs instruction ``index`` (chosen by
    :meth:`Session.proof_step_for`), written into ``directory``."""
    step, why = session.proof_step_for(index)
    path, entry = export_step_proof(session, step, directory, program_name)
    return ProofExport(step, why, path, str(entry["Proof"]), l1_rejection(session.state_at(step)),
                       str(entry.get("BufferProof", "")))
