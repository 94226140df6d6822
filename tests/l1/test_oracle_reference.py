"""The original OneStepProof contracts accept every reference proof entry, and avm-debug's own export
of the same steps (which is byte-identical) says the same thing the contracts compute."""

from __future__ import annotations

import time
from pathlib import Path

from l1_oracle import Oracle

from avm.proofs.proof_file import load_proofs


def test_every_reference_proof_entry_is_accepted(oracle: Oracle, conformance_dir: Path,
                                                 report_summary) -> None:
    files = sorted((conformance_dir / "proofs").glob("*.mexe-proofs.json"))
    assert len(files) >= 17
    start = time.perf_counter()
    labelled = [(f"{path.name} entry {i}", entry)
                for path in files for i, entry in enumerate(load_proofs(path))]
    total = len(labelled)
    whys = oracle.disagreements([entry for _, entry in labelled])
    failures = [f"{label}: {why}" for (label, _), why in zip(labelled, whys, strict=True) if why]
    seconds = time.perf_counter() - start
    report_summary(f"L1 oracle: {total - len(failures)}/{total} reference entries accepted ({seconds:.1f} s)")
    assert not failures, "\n".join(failures[:10])
    assert total >= 407
