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

import fuzz_oracles as oracles  # noqa: E402
from fuzz_oracles import Finding  # noqa: E402

PRELOAD = ["debugger.cli.main", "debugger.cli.run", "debugger.cli.proof", "debugger.cli.asm",
           "debugger.cli.teach", "debugger.engine.conditions", "debugger.engine.loading",
           "avm.proofs.inspect", "avm.formats.assembler", "avm.formats.disassembler",
           "avm.formats.mexe_writer", "test_differential"]
CASE_SECONDS = 30
SHRINK_SECONDS = 60
BIG = ["9" * 80, "9" * 4301, str(1 << 256), str((1 << 256) - 1), str(1 << 64), "-1", "1e999", "-0", "0.5"]
ODD = ["\x0c", "\u2028", "\x1c", "\x85", "\r", "\r\n", "\t", "\x00", "\"", "'", "\\", "é", "\ud800"]


def conformance_dir() -> Path:
    return Path(os.environ.get("AVM_CONFORMANCE_DIR", ROOT.parent / "shared" / "conformance"))


# ------------------------------------------------------------------------------------------ mutators
def random_json(rng: random.Random, depth: int = 0) -> object:
    r = rng.random()
    if r < 0.2:
        return int(rng.choice(BIG[2:5])) if rng.random() < 0.3 else rng.randrange(-5, 300)
    if r < 0.3:
        return rng.choice(["", "0x", "zz", "0x" + "ff" * rng.randrange(40), "ab", "1" * 70, "Tuple"])
    if r < 0.4:
        return rng.choice([None, True, False, 1.5])
    if r < 0.6 or depth > 3:
        return {"Int": format(rng.choice([0, 1, rng.randrange(1 << 256)]), "x")}
    if r < 0.7:
        return {"Buffer": bytes(rng.randrange(256) for _ in range(rng.randrange(40))).hex()}
    if r < 0.8:
        return {"CodePoint": {"Internal": rng.choice([0, 1, 2, (1 << 64) - 1, 1 << 64, -1, "x"])}}
    return {"Tuple": [random_json(rng, depth + 1) for _ in range(rng.choice([0, 1, 2, 8, 9]))]}


def _nodes(doc: object) -> list[tuple[object, object]]:
    """(container, key) of every slot in a parsed JSON document (bounded walk)."""
    out: list[tuple[object, object]] = []
    work = [doc]
    while work and len(out) < 20_000:
        x = work.pop()
        items = x.items() if isinstance(x, dict) else enumerate(x) if isinstance(x, list) else ()
        for k, v in items:
            out.append((x, k))
            if isinstance(v, dict | list):
                work.append(v)
    return out


def mutate_json(rng: random.Random, raw: bytes) -> bytes:
    """A structural mutation (a slot replaced, deleted, deepened or duplicated) or a byte-level one."""
    if rng.random() < 0.25:
        return mutate_bytes(rng, raw)
    try:
        doc = json.loads(raw)
    except ValueError:
        return mutate_bytes(rng, raw)
    for _ in range(rng.choice([1, 1, 2, 3])):
        slots = _nodes(doc)
        if not slots:
            break
        parent, key = rng.choice(slots)
        r = rng.random()
        if r < 0.5:
            parent[key] = random_json(rng)  # type: ignore[index]
        elif r < 0.6 and isinstance(parent, dict):
            del parent[key]
        elif r < 0.7:
            value = parent[key]  # type: ignore[index]
            for _ in range(rng.choice([2, 50, 400])):
                value = {"Tuple": [value]} if rng.random() < 0.7 else [value]
            parent[key] = value  # type: ignore[index]
        elif r < 0.8 and isinstance(parent, list):
            parent.extend([parent[key]] * rng.randrange(1, 9))
        else:
            parent[key] = rng.choice([0, -1, 1 << 64, 1 << 256, "", [], {}])  # type: ignore[index]
    try:
        text = json.dumps(doc, separators=(",", ":")) if rng.random() < 0.8 else json.dumps(doc, indent=1)
    except RecursionError:
        return mutate_bytes(rng, raw)
    if rng.random() < 0.05:
        depth = rng.choice([1000, 100_000])
        text = text.replace("{", "[" * depth + "{", 1).replace("}", "}" + "]" * depth, 1)
    if rng.random() < 0.1:
        text = text.replace("0", rng.choice(BIG), 1)
    return text.encode()


def mutate_bytes(rng: random.Random, raw: bytes) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.choice([1, 2, 4, 8])):
        r = rng.random()
        pos = rng.randrange(len(data) + 1)
        if r < 0.3 and data:
            data[min(pos, len(data) - 1)] = rng.randrange(256)
        elif r < 0.5:
            data[pos:pos] = rng.choice(BIG + ODD + ["[", "]", "{", "}", ",", ":", "\"Tuple\":["]).encode(
                "utf-8", "surrogatepass")
        elif r < 0.7 and data:
            end = min(len(data), pos + rng.randrange(1, 64))
            del data[pos:end]
        elif r < 0.85:
            del data[pos:]
        else:
            start = rng.randrange(len(data) + 1)
            data[pos:pos] = data[start:start + rng.randrange(1, 200)]
    return bytes(data)


S_TOKENS = ["push", "add", "dup0", "halt", "error", "tset", "tget 9", "jump", "cjump", "rset", "rpush",
            "spush", "auxpush", "auxpop", "pcpush", "errset @error", "pushinsn", "pushinsnimm", "op(0x71)",
            "op(256)", ".static", ".inbox", ".const", ".break", "loop:", "@loop", "@nowhere", "@error", "(",
            ")", ",", "(1,2,3,4,5,6,7,8,9)", "[de ad", "[00]", "0x", "-0", "1_000", "0xg", ";", ";>", "=",
            ":", "A0", "inbox", "send", "log", "setgas 3", "ecpairing", "keccakf", "newbuffer", "xset 1"]


def mutate_assembly(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    for _ in range(rng.choice([1, 2, 3, 6])):
        r = rng.random()
        i = rng.randrange(len(lines) + 1)
        if r < 0.3:
            words = [rng.choice(S_TOKENS + BIG + ODD) for _ in range(rng.randrange(1, 5))]
            lines.insert(i, " ".join(words))
        elif r < 0.45 and lines:
            del lines[min(i, len(lines) - 1)]
        elif r < 0.55 and lines:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif r < 0.7 and lines:
            j = min(i, len(lines) - 1)
            k = rng.randrange(len(lines[j]) + 1)
            lines[j] = lines[j][:k] + rng.choice(ODD + S_TOKENS + BIG) + lines[j][k:]
        elif r < 0.8:
            depth = rng.choice([3, 100, 5000])
            lines.insert(i, "push " + "(" * depth + "1" + ")" * depth)
        elif r < 0.9:
            n = rng.randrange(2, 12)
            lines[i:i] = [".const Q0 = 1"] + [f".const Q{k} = ({', '.join([f'Q{k - 1}'] * 8)})"
                                               for k in range(1, n)] + [f"push Q{n - 1}", "halt"]
        else:
            lines.insert(i, "push [" + "ff" * rng.choice([1, 33, 5000]) + "]")
    return "\n".join(lines)


CONDITION_TOKENS = ["s0", "s1", "a0", "reg", "static", "gas", "step", "pc", "top", "==", "!=", "<", ">=",
                    "and", "or", "not", "!", "(", ")", "[", "]", "0", "1", "0x10", "-1", "'x'", "\"",
                    "s1[2][0]", "type(s0)", "len(s0)", "true", "9" * 90, "s99999999999999999999", "@", "&&"]


def random_condition(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.1:
        n = rng.choice([50, 300, 2000])
        return "(" * n + "s0 == 1" + ")" * n
    if r < 0.15:
        return "!" * rng.choice([10, 1000, 5000]) + "s0"
    return " ".join(rng.choice(CONDITION_TOKENS) for _ in range(rng.randrange(1, 12)))


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
            tampered = dataclasses.replace(entry, **{field: bytes(raw)})
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
    import test_differential as diff

    seed = rng.randrange(1 << 30)
    prog, inbox = diff._rand_program(seed)
    try:
        diff.check_run(prog, inbox, max_steps=150)
    except AssertionError as exc:
        raise Finding("differential", f"test_differential._rand_program({seed}): {exc}") from None


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
    while time.monotonic() < deadline:
        kind = rng.choices(kinds, [weights.get(k, 3) for k in kinds])[0]
        case_rng = random.Random(rng.randrange(1 << 62))
        counts[kind] += 1
        if kind == "tamper":
            finding = run_case(lambda r=case_rng: tamper.run(r))
            data = b""
        elif kind == "program":
            finding = run_case(lambda r=case_rng: random_program(r))
            data = b""
        else:
            target = by_name[kind]
            data = target.make(case_rng)
            finding = run_case(lambda t=target, d=data: t.check(d, work))
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
    total = sum(counts.values())
    print(f"seed {args.seed}, {args.seconds:.0f} s: {total:,} cases "
          f"({', '.join(f'{k} {v:,}' for k, v in sorted(counts.items()))}); "
          f"{sum(found.values())} failing cases, {len(seen)} distinct findings", flush=True)
    return 1 if seen else 0


if __name__ == "__main__":
    raise SystemExit(main())
