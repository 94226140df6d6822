"""Seconds per L1 oracle check: one ``executeStep`` call of the original OneStepProof contracts in
py-evm (tests/l1), for every reference proof entry, grouped by prover contract (prints figures).

Usage: python bench/bench_oracle.py [path/to/conformance]   (default: ../shared/conformance)
Needs node/npm (the first run installs and compiles the contracts into tests/l1/node_modules) and py-evm.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "l1"))

from l1_oracle import Oracle  # noqa: E402

from avm.proofs.proof_file import load_proofs  # noqa: E402


def main() -> None:
    default = Path(os.environ.get("AVM_CONFORMANCE_DIR", Path(__file__).resolve().parents[2] / "shared"
                                  / "conformance"))
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    start = time.perf_counter()
    oracle = Oracle()
    print(f"{'contracts ready (install/compile cache, deploy)':<48} {time.perf_counter() - start:8.2f} s")
    by_prover: dict[str, list[float]] = {}
    evm_gas: dict[str, int] = {}
    names = {addr: name for name, addr in Oracle.PROVERS.items()}
    rejected = 0
    for path in sorted((root / "proofs").glob("*.mexe-proofs.json")):
        for entry in load_proofs(path):
            name = names[Oracle.prover_for(entry.proof[0])]
            t = time.perf_counter()
            res = oracle.check(entry)
            by_prover.setdefault(name, []).append(time.perf_counter() - t)
            evm_gas[name] = evm_gas.get(name, 0) + res.evm_gas
            rejected += res.reverted is not None
    every = [s for times in by_prover.values() for s in times]
    for name, times in sorted(by_prover.items()):
        print(f"{name:<20} {len(times):5d} checks  {sum(times) / len(times) * 1000:8.1f} ms/check  "
              f"{evm_gas[name] // len(times):9,d} EVM gas/check")
    print(f"{'all':<20} {len(every):5d} checks  {sum(every) / len(every) * 1000:8.1f} ms/check  "
          f"(total {sum(every):.1f} s, {rejected} rejected)")


if __name__ == "__main__":
    main()
