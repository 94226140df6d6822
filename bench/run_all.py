"""Every benchmark figure in one run (about 5 to 10 minutes on a 2-core machine): runs each script of
``bench/`` in its own process with sizes chosen to fit, and prints its output and how long it took.

    python bench/run_all.py [--only NAME]       # e.g. --only machine

The data comes from ``$AVM_CONFORMANCE_DIR`` (its parent holds ``bench/``) or the ``shared`` folder
beside the repository (see ``bench/measure.py``). See ``bench/README.md`` for what each figure means.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import conformance_dir  # noqa: E402

HERE = Path(__file__).resolve().parent
CONTRACT = str(conformance_dir() / "large" / "contract.mexe")

#: (script, arguments, time limit in seconds)
RUNS: list[tuple[str, list[str], int]] = [
    ("bench_machine.py", ["--rounds", "5", "--target", "0.1"], 150),
    ("bench_session.py", ["--steps", "10000000", "--per-program", "100000", "--evm-steps", "100000",
                          "--rounds", "5"], 180),
    ("bench_proof.py", ["--steps", "300000", "--rounds", "5", "--all-steps", "1000"], 150),
    ("bench_tui.py", [CONTRACT], 150),
    ("bench_tui.py", ["--help-screen"], 60),
    ("bench_tui_run.py", ["--seconds", "1.5", "--rounds", "5"], 150),
    ("bench_asm.py", [CONTRACT], 90),
    ("bench_source.py", [str(conformance_dir())], 90),
    ("bench_evm.py", [], 90),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="only the scripts whose name contains this")
    args = parser.parse_args(argv)
    env = dict(os.environ)
    env.setdefault("AVM_CONFORMANCE_DIR", str(conformance_dir()))
    start = time.perf_counter()
    failed = []
    for script, script_args, limit in RUNS:
        if args.only not in script or not (HERE / script).exists():
            continue
        print(f"\n######## {script} {' '.join(script_args)}", flush=True)
        t0 = time.perf_counter()
        try:
            rc = subprocess.run([sys.executable, str(HERE / script), *script_args], env=env,
                                timeout=limit).returncode
        except subprocess.TimeoutExpired:
            rc = -1
            print(f"(stopped after {limit} s)")
        print(f"######## {script}: {time.perf_counter() - t0:.1f} s{'' if rc == 0 else f', exit {rc}'}",
              flush=True)
        if rc:
            failed.append(script)
    print(f"\nall figures in {time.perf_counter() - start:.0f} s"
          + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
