"""A fuzzing campaign against avm-debug: mutated ``.mexe`` / ``.s`` / proof / inbox files, breakpoint
conditions, random programs (machine == exporter == verifier) and proof tampering (never accepted).

    python tools/fuzz_campaign.py --seed 1 --seconds 600 --out fuzz-findings/

Every case goes through the checks of ``tests/fuzz_oracles.py`` (the property tests in ``tests/fuzz/``
run the same checks, briefly, in the suite). A failing input is shrunk (lines, then byte ranges) while
it fails the same way and written to ``--out`` with a note of the command that shows it; the run ends
with the number of cases per target and of distinct findings. The same seed replays the same cases.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import importlib
import json
import os
import random
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "proofs")]

import fuzz_oracles as oracles  # type: ignore[import-not-found]  # noqa: E402
from fuzz_inputs import (  # type: ignore[import-not-found]  # noqa: E402
    S_TOKENS,
    mutate_assembly,
    mutate_json,
    random_condition,
)
from fuzz_oracles import Finding  # noqa: E402

PRELOAD = ["debugger.cli.main", "debugger.cli.run", "debugger.cli.proof", "debugger.cli.asm",
           "debugger.cli.teach", "debugger.engine.conditions", "debugger.engine.loading",
           "avm.proofs.inspect", "avm.formats.assembler", "avm.formats.disassembler",
           "avm.formats.mexe_writer", "random_programs", "test_differential"]
CASE_SECONDS = 30
SHRINK_SECONDS = 60


def conformance_dir() -> Path:
    return Path(os.environ.get("AVM_CONFORMANCE_DIR", ROOT.parent / "shared" / "conformance"))


# ------------------------------------------------------------------------------------------- targets
@dataclasses.dataclass
class Target:
    name: str
    ext: str
    make: Callable[[random.Random], bytes]
    check: Callable[[bytes, Path], None]
    repro: str


def build_targets(seeds_dir: Path) -> list[Target]:
    cdir = conformance_dir()
    mexes = [p.read_bytes() for p in sorted((cdir / "executables").glob("*.mexe"))
             if p.stat().st_size < 120_000 and "ec" not in p.name]
    samples = [p.read_text() for p in sorted(oracles.SAMPLES.glob("*.s"))]
    from avm.formats.assembler import assemble
    from avm.formats.mexe_writer import dumps_mexe

    mexes += [dumps_mexe(assemble(s, "s.s")).encode() for s in samples]
    proof_files = sorted((cdir / "proofs").glob("*-proofs.json"))
    proofs = []
    for p in proof_files:
        entries = json.loads(p.read_text())
        proofs.append(json.dumps(entries[:3]).encode())
    inboxes = [b"[1, 2, 3]", b'[{"Tuple": [{"Int": "1"}]}, "0x10", [1, [2, 3]]]', b"[]"]

    def text_case(rng: random.Random) -> bytes:
        if rng.random() < 0.15:
            return " ".join(rng.choice(S_TOKENS) for _ in range(rng.randrange(40))).encode()
        return mutate_assembly(rng, rng.choice(samples)).encode("utf-8", "surrogatepass")

    return [
        Target("mexe", ".mexe", lambda rng: mutate_json(rng, rng.choice(mexes)),
               lambda data, folder: oracles.check_mexe(data, folder), "avm-debug run/disasm FILE"),
        Target("assembly", ".s", text_case,
               lambda data, folder: oracles.check_assembly(data.decode("utf-8", "surrogatepass"), folder),
               "avm-debug asm FILE; run; disasm"),
        Target("proof-file", ".json", lambda rng: mutate_json(rng, rng.choice(proofs)),
               oracles.check_proof_file, "avm-debug verify FILE; avm-debug inspect FILE"),
        Target("inbox", ".json", lambda rng: mutate_json(rng, rng.choice(inboxes)), oracles.check_inbox_file,
               "avm-debug run sample_programs/inbox.s --inbox FILE"),
        Target("condition", ".txt", lambda rng: random_condition(rng).encode(),
               lambda data, folder: oracles.check_condition(data.decode()), ":break 0 if TEXT"),
    ]


class Tamper:
    """Flip a byte of a reference proof (Proof or BufferProof) or change one Assertion field."""

    def __init__(self) -> None:
        from avm.proofs.proof_file import load_proofs

        self.entries = [e for p in sorted((conformance_dir() / "proofs").glob("*-proofs.json"))
                        for e in load_proofs(p) if e.proof[0] not in (0x80, 0x81, 0x82, 0x83)]

    def run(self, rng: random.Random) -> None:
        from avm.proofs.verifier import verify_entry

        entry = rng.choice(self.entries)
        r = rng.random()
        if r < 0.7 or not entry.buffer_proof:
            field = "proof" if r < 0.6 or not entry.buffer_proof else "buffer_proof"
            raw = bytearray(getattr(entry, field))
            pos = rng.randrange(len(raw))
            raw[pos] ^= rng.randrange(1, 256)
            tampered = (dataclasses.replace(entry, proof=bytes(raw)) if field == "proof"
                        else dataclasses.replace(entry, buffer_proof=bytes(raw)))
            what = f"{field} byte {pos}"
        else:
            side = rng.choice(["before", "after"])
            state = getattr(entry, side)
            name = rng.choice([f.name for f in dataclasses.fields(state)])
            old = getattr(state, name)
            new = (old ^ (1 << rng.randrange(64))) if isinstance(old, int) else bytes(
                b ^ (1 if i == rng.randrange(32) else 0) for i, b in enumerate(old))
            if new == old:
                return
            tampered = dataclasses.replace(entry, **{side: dataclasses.replace(state, **{name: new})})
            what = f"{side}.{name}"
        if verify_entry(tampered).ok:
            raise Finding("tampered proof accepted", what)


def random_program(rng: random.Random) -> None:
    """A seeded random program (tests/random_programs.py), every step proved and verified."""
    import random_programs  # type: ignore[import-not-found]
    import test_differential  # type: ignore[import-not-found]

    seed = rng.randrange(1 << 30)
    prog, inbox = random_programs.rand_program(seed)
    try:
        test_differential.check_run(prog, inbox, max_steps=150)
    except AssertionError as exc:
        raise Finding("differential", f"random_programs.rand_program({seed}): {exc}") from None


# --------------------------------------------------------------------------------------- running
def _in_child(check: Callable[[], None]) -> Finding | None:
    try:
        check()
    except Finding as f:
        return f
    except Exception as exc:  # noqa: BLE001 -- the oracle itself broke: still a finding
        return Finding(f"harness {type(exc).__name__}", traceback.format_exc())
    return None


def run_case(check: Callable[[], None]) -> Finding | None:
    """Run one check in a forked child: a crash of the interpreter (segfault, C stack overflow) or a
    hang is a finding too, and no case can leave state behind for the next one."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:                                           # the child
        os.close(read_end)
        finding = _in_child(check)
        payload = b"" if finding is None else json.dumps([finding.kind, finding.detail]).encode()
        with os.fdopen(write_end, "wb") as fh:
            fh.write(payload)
        os._exit(0)
    os.close(write_end)
    try:
        return _wait_for(pid, read_end)
    except BaseException:                     # Ctrl-C or SIGTERM: take the running case down too
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise


def _wait_for(pid: int, read_end: int) -> Finding | None:
    deadline = time.monotonic() + CASE_SECONDS
    chunks: list[bytes] = []
    status = None
    with os.fdopen(read_end, "rb") as fh:
        os.set_blocking(fh.fileno(), False)
        while status is None:
            try:
                chunk = fh.read()
            except BlockingIOError:
                chunk = None
            if chunk:
                chunks.append(chunk)
            done, status_word = os.waitpid(pid, os.WNOHANG)
            if done:
                status = status_word
                rest = fh.read()
                if rest:
                    chunks.append(rest)
            elif time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return Finding("slow", f"more than {CASE_SECONDS} s")
            else:
                time.sleep(0.002)
    if os.WIFSIGNALED(status):
        return Finding("crash", f"the interpreter died: signal {os.WTERMSIG(status)}")
    payload = b"".join(chunks)
    if not payload:
        return None
    kind, detail = json.loads(payload)
    return Finding(kind, detail)


def shrink(data: bytes, fails: Callable[[bytes], bool]) -> bytes:
    """Remove lines, then byte ranges, while ``fails`` stays true (bounded by SHRINK_SECONDS)."""
    deadline = time.monotonic() + SHRINK_SECONDS
    for sep in (b"\n", None):
        parts: list[bytes] = data.split(b"\n") if sep else [data[i:i + 1] for i in range(len(data))]
        if sep is None and len(parts) > 4000:
            chunk = len(parts) // 64
        else:
            chunk = max(1, len(parts) // 2)
        join = (lambda ps: b"\n".join(ps)) if sep else (lambda ps: b"".join(ps))
        while chunk >= 1 and time.monotonic() < deadline:
            i, changed = 0, False
            while i < len(parts) and time.monotonic() < deadline:
                trial = parts[:i] + parts[i + chunk:]
                if trial and fails(join(trial)):
                    parts, changed = trial, True
                else:
                    i += chunk
            if not changed:
                chunk //= 2
        data = join(parts)
    return data


# ------------------------------------------------------------------------------------------ main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--out", default="fuzz-findings", help="folder for minimal reproductions")
    parser.add_argument("--only", help="comma-separated targets (mexe, assembly, proof-file, inbox, "
                                       "condition, program, tamper)")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="avm-fuzz-"))
    for module in PRELOAD:          # imported once here, shared by every forked case
        importlib.import_module(module)
    targets = build_targets(work)
    tamper = Tamper()
    kinds = [t.name for t in targets] + ["program", "tamper"]
    if args.only:
        kinds = [k for k in kinds if k in args.only.split(",")]
    weights = {"tamper": 6, "condition": 2, "program": 1}
    counts: Counter[str] = Counter()
    seen: dict[str, int] = {}
    found: Counter[str] = Counter()
    deadline = time.monotonic() + args.seconds
    by_name = {t.name: t for t in targets}
    signal.signal(signal.SIGTERM, _stop)
    try:
        _campaign(args, rng, kinds, weights, by_name, tamper, work, out, deadline, counts, seen, found)
    except KeyboardInterrupt:
        print("stopped early", flush=True)
    total = sum(counts.values())
    print(f"seed {args.seed}, {args.seconds:.0f} s: {total:,} cases "
          f"({', '.join(f'{k} {v:,}' for k, v in sorted(counts.items()))}); "
          f"{sum(found.values())} failing cases, {len(seen)} distinct findings", flush=True)
    return 1 if seen else 0


def _stop(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _campaign(args: argparse.Namespace, rng: random.Random, kinds: list[str], weights: dict[str, int],
              by_name: dict[str, Target], tamper: Tamper, work: Path, out: Path, deadline: float,
              counts: Counter[str], seen: dict[str, int], found: Counter[str]) -> None:
    while time.monotonic() < deadline:
        kind = rng.choices(kinds, [weights.get(k, 3) for k in kinds])[0]
        case_rng = random.Random(rng.randrange(1 << 62))
        counts[kind] += 1
        if kind == "tamper":
            finding = run_case(functools.partial(tamper.run, case_rng))
            data = b""
        elif kind == "program":
            finding = run_case(functools.partial(random_program, case_rng))
            data = b""
        else:
            target = by_name[kind]
            data = target.make(case_rng)
            finding = run_case(functools.partial(target.check, data, work))
        if finding is None:
            continue
        found[kind] += 1
        sig = f"{kind}: {finding.signature}"
        if sig in seen:
            seen[sig] += 1
            continue
        seen[sig] = 1
        number = len(seen)
        if data:
            target = by_name[kind]

            def fails(d: bytes, t: Target = target, s: str = sig, k: str = kind) -> bool:
                f = run_case(lambda: t.check(d, work))
                return f is not None and f"{k}: {f.signature}" == s

            data = shrink(data, fails)
            (out / f"{number:03d}-{kind}{target.ext}").write_bytes(data)
        with open(out / "findings.txt", "a", encoding="utf-8") as fh:
            fh.write(f"## {number:03d} {sig}\nseed {args.seed}, case {sum(counts.values())}; reproduce: "
                     f"{by_name[kind].repro if kind in by_name else kind}\n{finding.detail[-3000:]}\n\n")
        print(f"finding {number:03d}: {sig}", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
