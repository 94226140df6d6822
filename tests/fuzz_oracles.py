"""What every input must do, whatever its bytes: the checks shared by the property tests in
``tests/fuzz/`` and the long campaign ``tools/fuzz_campaign.py`` (issue 11).

Each ``check_*`` function feeds one input to avm-debug and raises :class:`Finding` when the answer
breaks a rule: a Python exception escapes, an exit code is not the documented one, a bad-input line
is not one line naming the file, a disassembly does not re-assemble to the same program, an
assembled ``.s`` and its ``.mexe`` disagree, or a proof the exporter wrote does not verify.
"""

from __future__ import annotations

import io
import json
import os
import traceback
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from avm.core.values import value_hash
from avm.errors import UserError

SAMPLES = Path(__file__).resolve().parent.parent / "sample_programs"
MAX_STEPS = "400"


class Finding(Exception):
    """A broken rule. ``kind`` groups findings (one reproduction is kept per kind and place)."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail

    @property
    def signature(self) -> str:
        """Kind plus the innermost frame of a traceback: what makes two findings the same bug."""
        frames = [line.strip() for line in self.detail.splitlines() if line.strip().startswith("File ")]
        return self.kind + (" @ " + frames[-1] if frames else "")


def cli(args: list[str], names: Path | None = None,
        codes: tuple[int, ...] = (0, 1, 2)) -> tuple[int, str, str]:
    """Run ``avm-debug ARGS`` in-process. Exit 2 must be one stderr line naming ``names``."""
    from debugger.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = main(args)
    except SystemExit as exc:       # argparse usage errors
        code = exc.code if isinstance(exc.code, int) else 2
    except RecursionError:
        raise Finding("RecursionError", " ".join(args[:1]) + "\n" + traceback.format_exc()) from None
    except Exception as exc:  # noqa: BLE001 -- any escaping exception is the finding
        raise Finding(type(exc).__name__, f"avm-debug {args[0]}\n{traceback.format_exc()}") from None
    text = err.getvalue()
    if code not in codes:
        raise Finding("exit code", f"avm-debug {' '.join(args)} -> {code}\n{text[:500]}")
    if code == 2:
        first = text.split("\n", 1)[0]
        # one line; the assembler's report of every error of a file (caret lines, hints) starts with
        # file:line:col and ends with "N errors in FILE"
        report = names is not None and first.startswith(f"avm-debug: error: {names}:") and \
            text.rstrip("\n").endswith(f" in {names}")
        if "Traceback" in text or (text.count("\n") != 1 and not report):
            raise Finding("not one line", f"avm-debug {args[0]}: {text[:800]!r}")
        if names is not None and str(names) not in first:
            raise Finding("file not named", f"avm-debug {args[0]}: {text[:300]!r}")
    return code, out.getvalue(), text


def _same_program(a, b, what: str) -> None:
    if ([value_hash(cp) for cp in a.code] != [value_hash(cp) for cp in b.code]
            or value_hash(a.static) != value_hash(b.static)):
        raise Finding("round trip", what)


def check_mexe(data: bytes, folder: Path) -> None:
    """A ``.mexe`` file: run, disassemble (and re-assemble to the same program), prove two steps."""
    from avm.formats.assembler import assemble
    from debugger.engine.loading import load_program

    path = folder / "prog.mexe"
    path.write_bytes(data)
    cli(["run", str(path), "--max-steps", MAX_STEPS], path)
    code, text, _ = cli(["disasm", str(path)], path, codes=(0, 2))
    if code == 0:
        try:
            again = assemble(text, "again.s")
        except UserError as err:
            raise Finding("disassembly does not assemble", str(err)[:800]) from None
        _same_program(load_program(path), again, "disasm of a .mexe")
        check_proofs_of(path, folder)


def check_proofs_of(program: Path, folder: Path, steps: str = "12") -> None:
    """``prove --all`` then ``verify`` of what it wrote: every entry passes."""
    out = folder / "proofs.json"
    code, _, _ = cli(["prove", str(program), "--all", "--max-steps", steps, "-o", str(out)], program)
    if code == 0:
        code, text, _ = cli(["verify", str(out)], out, codes=(0,))


def check_assembly(text: str, folder: Path) -> None:
    """A ``.s`` file: assemble; the ``.mexe`` written runs like the source and disassembles back."""
    source = folder / "prog.s"
    source.write_bytes(text.encode("utf-8", "surrogatepass"))
    mexe = folder / "prog.mexe"
    if mexe.exists():
        mexe.unlink()
    code, _, _ = cli(["asm", str(source), "-o", str(mexe)], source, codes=(0, 2))
    if code != 0:
        return
    a = cli(["run", str(source), "--max-steps", MAX_STEPS, "--json"], source)
    b = cli(["run", str(mexe), "--max-steps", MAX_STEPS, "--json"], mexe)
    from debugger.engine.loading import load_program

    if a[:2] != b[:2] and not load_program(source).inbox:     # .inbox messages are not part of a .mexe
        raise Finding(".s and .mexe disagree", f"{a[:2]} vs {b[:2]}")
    code, listing, _ = cli(["disasm", str(source)], source, codes=(0, 2))
    if code == 0:
        from avm.formats.assembler import assemble
        from debugger.engine.loading import load_program

        _same_program(load_program(source), assemble(listing, "again.s"), "disasm of a .s")


def check_proof_file(data: bytes, folder: Path) -> None:
    path = folder / "proofs.json"
    path.write_bytes(data)
    cli(["verify", str(path)], path)
    cli(["inspect", str(path)], path, codes=(0, 2))


def check_inbox_file(data: bytes, folder: Path) -> None:
    path = folder / "inbox.json"
    path.write_bytes(data)
    cli(["run", str(SAMPLES / "inbox.s"), "--inbox", str(path), "--max-steps", MAX_STEPS], path)


def check_condition(text: str) -> None:
    """A breakpoint condition: compiles or is a UserError; a compiled one evaluates or is a UserError."""
    from avm.core.machine import Machine
    from avm.formats.assembler import assemble
    from debugger.engine.conditions import parse_condition

    try:
        cond = parse_condition(text)
    except UserError:       # a message with the column and a caret line under the culprit
        return
    except Exception as exc:  # noqa: BLE001
        raise Finding(f"condition {type(exc).__name__}",
                      f"{text[:200]!r}\n{traceback.format_exc()}") from None
    machine = Machine.from_program(assemble("push (1, (2, 3))\npush 5\nauxpush\nhalt\n", "c.s"))
    for _ in range(3):
        try:
            cond(machine)
        except UserError:
            pass
        except Exception as exc:  # noqa: BLE001
            raise Finding(f"condition eval {type(exc).__name__}",
                          f"{text[:200]!r}\n{traceback.format_exc()}") from None
        machine.run(1)


def json_bytes(doc: object) -> bytes:
    return json.dumps(doc, separators=(",", ":")).encode()


def env_flag(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default
