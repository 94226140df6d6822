"""Replaying the reference proofs files step by step, and running every conformance executable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from avm.core.machine import Machine, Status
from avm.formats.mexe import load_mexe

FIELDS = ("machineHash", "gasUsed", "inboxCount", "sendAcc", "logAcc", "sendCount", "logCount")


def _state(m: Machine) -> dict:
    return {
        "machineHash": list(m.machine_hash()),
        "gasUsed": m.gas_used,
        "inboxCount": m.inbox_count,
        "sendAcc": list(m.send_acc),
        "logAcc": list(m.log_acc),
        "sendCount": m.send_count,
        "logCount": m.log_count,
    }


def _mismatch(want: dict, got: dict) -> str | None:
    for key in FIELDS:
        if want[key] != got[key]:
            return f"{key}: got {got[key]!r}, want {want[key]!r}"
    return None


def _proof_files(conformance_dir: Path) -> list[Path]:
    return sorted((conformance_dir / "proofs").glob("*.mexe-proofs.json"))


def test_every_proofs_file_replays_step_by_step(conformance_dir: Path, report_summary) -> None:
    files = _proof_files(conformance_dir)
    assert len(files) >= 17
    total = matched = 0
    failures = []
    for path in files:
        name = path.name[: -len("-proofs.json")]
        entries = json.loads(path.read_text())
        machine = Machine.from_program(load_mexe(conformance_dir / "executables" / name))
        total += len(entries)
        for i, entry in enumerate(entries):
            before = entry["Assertion"]["beforeState"]
            after = entry["Assertion"]["afterState"]
            bad = _mismatch(before, _state(machine))
            if bad is None:
                machine.step()
                bad = _mismatch(after, _state(machine))
            if bad is not None:
                failures.append(f"{name} step {i}: {bad}")
                break
            matched += 1
    report_summary(f"conformance: {matched}/{total} steps match (machine hash, gas, inbox, send and log)")
    assert failures == []
    assert matched == total


@pytest.mark.parametrize("folder", ["executables", "arbos-tests"])
def test_every_executable_runs_to_its_end_without_python_errors(conformance_dir: Path, folder: str) -> None:
    files = sorted((conformance_dir / folder).glob("*.mexe"))
    assert files
    for path in files:
        machine = Machine.from_program(load_mexe(path))
        for _ in range(100):
            machine.run(100_000)
            if machine.status != Status.EXTENSIVE or machine.blocked:
                break
        assert machine.status != Status.EXTENSIVE or machine.blocked, path.name
        assert len(machine.machine_hash()) == 32


def test_final_states_match_the_last_proof_entry(conformance_dir: Path) -> None:
    for path in _proof_files(conformance_dir):
        name = path.name[: -len("-proofs.json")]
        last = json.loads(path.read_text())[-1]["Assertion"]["afterState"]
        machine = Machine.from_program(load_mexe(conformance_dir / "executables" / name))
        while machine.status == Status.EXTENSIVE and not machine.blocked:
            machine.run(10_000)
        assert _mismatch(last, _state(machine)) is None, name
