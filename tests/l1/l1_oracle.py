"""The L1 oracle: the original Arbitrum classic OneStepProof contracts, run in an EVM (py-evm).

``arb-bridge-eth`` 0.7.8 and solcjs 0.6.11 are pinned npm dependencies of this folder (package.json and
package-lock.json; ``npm ci`` runs here when node_modules is missing or stale). The contracts are
compiled from the package's own sources with the settings of its hardhat config (optimizer on, 100
runs); the artefacts are cached in node_modules, keyed by the lock file, the driver and avm-debug's own
test contract. Their runtime code is put straight into a py-evm state (none of them has a constructor),
and ``executeStep`` is called with the proof bytes of a step, exactly as a challenge would.

Which contract proves which opcode follows the contracts' own ``opInfo``: hashing opcodes go to
OneStepProofHash, buffer opcodes and ``send`` to OneStepProof2, everything else to OneStepProof.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from avm.core.keccak import keccak256
from avm.proofs.l1_verdict import l1_prover
from avm.proofs.proof_file import ProofEntry

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
CONTRACTS = NODE_MODULES / "arb-bridge-eth" / "contracts"
OWN_CONTRACTS = HERE / "contracts"
ENTRY_POINTS = ("arch/OneStepProof.sol", "arch/OneStepProof2.sol", "arch/OneStepProofHash.sol")
SETTINGS = {"optimizer": {"enabled": True, "runs": 100},
            "outputSelection": {"*": {"*": ["abi", "evm.deployedBytecode.object"]}}}

EXECUTE_STEP = keccak256(b"executeStep(address[2],uint256,bytes32[2],bytes,bytes)")[:4]
SET_ACCS = keccak256(b"setAccs(bytes32[])")[:4]
ERROR_STRING = keccak256(b"Error(string)")[:4]
CALL_GAS = 100_000_000


class OracleUnavailable(Exception):
    """node/npm missing, or the install or compile failed: the tests skip (fail in CI) with this text."""


def _run(cmd: list[str], what: str) -> str:
    try:
        done = subprocess.run(cmd, cwd=HERE, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OracleUnavailable(f"{what} failed: {exc}") from exc
    if done.returncode != 0:
        raise OracleUnavailable(f"{what} failed (exit {done.returncode}): {done.stderr.strip()[-800:]}")
    return done.stdout


def _lock_hash() -> str:
    return hashlib.sha256((HERE / "package-lock.json").read_bytes()).hexdigest()


def ensure_node_modules() -> None:
    """``npm ci`` in tests/l1 unless node_modules already holds this lock file's packages."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise OracleUnavailable("node and npm are needed for the L1 oracle tests (not found on PATH)")
    stamp = NODE_MODULES / ".avm-debug-lock-hash"
    if stamp.is_file() and stamp.read_text() == _lock_hash() and CONTRACTS.is_dir():
        return
    _run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], "npm ci in tests/l1")
    stamp.write_text(_lock_hash())


def _sources() -> dict[str, dict[str, str]]:
    """The entry points and every file they import, by path under contracts/, plus our test bridge."""
    sources: dict[str, dict[str, str]] = {}
    todo = list(ENTRY_POINTS)
    while todo:
        name = todo.pop()
        if name in sources:
            continue
        text = (CONTRACTS / name).read_text()
        sources[name] = {"content": text}
        for imp in re.findall(r'^import\s+"([^"]+)";', text, re.M):
            todo.append(os.path.normpath(os.path.join(os.path.dirname(name), imp)))
    for path in sorted(OWN_CONTRACTS.glob("*.sol")):
        sources[f"avm-debug/{path.name}"] = {"content": path.read_text()}
    return sources


def compiled_code() -> dict[str, bytes]:
    """Runtime bytecode of every compiled contract by name (compiled once, then read from the cache)."""
    ensure_node_modules()
    sources = _sources()
    key = hashlib.sha256(json.dumps([_lock_hash(), (HERE / "compile.js").read_text(), sources, SETTINGS],
                                    sort_keys=True).encode()).hexdigest()[:24]
    cache = NODE_MODULES / ".avm-debug-cache" / f"{key}.json"
    if not cache.is_file():
        cache.parent.mkdir(parents=True, exist_ok=True)
        request = cache.with_suffix(".input.json")
        request.write_text(json.dumps({"language": "Solidity", "sources": sources, "settings": SETTINGS}))
        out = json.loads(_run(["node", str(HERE / "compile.js"), str(request)], "solcjs"))
        errors = [e["formattedMessage"] for e in out.get("errors", []) if e["severity"] == "error"]
        if errors:
            raise OracleUnavailable("solcjs: " + "\n".join(errors)[:2000])
        code = {name: c["evm"]["deployedBytecode"]["object"]
                for per_file in out["contracts"].values() for name, c in per_file.items()}
        cache.write_text(json.dumps(code))
    return {name: bytes.fromhex(h) for name, h in json.loads(cache.read_text()).items()}


def _word(x: int) -> bytes:
    return x.to_bytes(32, "big")


def _dynamic(b: bytes) -> bytes:
    return _word(len(b)) + b + bytes(-len(b) % 32)


def _address(n: int) -> bytes:
    return n.to_bytes(20, "big")


def revert_reason(output: bytes) -> str:
    """The ``require`` message of a revert (``Error(string)``), or the raw bytes in hex."""
    if output[:4] == ERROR_STRING and len(output) >= 68:
        n = int.from_bytes(output[36:68], "big")
        return output[68:68 + n].decode("utf-8", "replace")
    return "0x" + output.hex() if output else "(no reason)"


@dataclass
class StepResult:
    """What ``executeStep`` returned, or why it reverted."""

    reverted: str | None
    gas: int = 0
    messages_read: int = 0
    before_hash: bytes = b""
    after_hash: bytes = b""
    send_acc: bytes = b""
    log_acc: bytes = b""
    evm_gas: int = 0


class Oracle:
    """The three OneStepProof contracts and two test bridges in one py-evm state."""

    PROVERS = {"OneStepProof": _address(0x1001), "OneStepProof2": _address(0x1002),
               "OneStepProofHash": _address(0x1003)}
    SEQUENCER_BRIDGE = _address(0x2001)
    DELAYED_BRIDGE = _address(0x2002)

    def __init__(self) -> None:
        try:
            from eth.db.atomic import AtomicDB
            from eth.rlp.headers import BlockHeader
            from eth.vm.chain_context import ChainContext
            from eth.vm.forks.istanbul import IstanbulVM
            from eth.vm.message import Message
        except ImportError as exc:  # py-evm is in the test extra
            raise OracleUnavailable(f"py-evm is needed for the L1 oracle tests: {exc}") from exc
        code = compiled_code()
        header = BlockHeader(difficulty=1, block_number=1, gas_limit=CALL_GAS * 10, timestamp=1)
        self._message = Message
        self.state = IstanbulVM.build_state(AtomicDB(), header, ChainContext(1))
        for name, addr in self.PROVERS.items():
            self.state.set_code(addr, code[name])
        for addr in (self.SEQUENCER_BRIDGE, self.DELAYED_BRIDGE):
            self.state.set_code(addr, code["TestInboxAccs"])

    def _call(self, to: bytes, data: bytes):  # noqa: ANN202 -- a py-evm computation
        ctx = self.state.get_transaction_context_class()(gas_price=0, origin=_address(0xCA11))
        msg = self._message(gas=CALL_GAS, to=to, sender=_address(0xCA11), value=0, data=data,
                            code=self.state.get_code(to))
        return self.state.computation_class.apply_message(self.state, msg, ctx)

    def use_inbox(self, inbox: list) -> None:
        """Hold the accumulators of a machine inbox's L1 model in the bridges (none for raw values)."""
        l1 = getattr(inbox, "l1", None)
        self.set_inbox(l1.batch_accs if l1 else [], l1.delayed_accs if l1 else [])

    def set_inbox(self, sequencer_accs: list[bytes], delayed_accs: list[bytes]) -> None:
        """Store the batch accumulators of the sequencer inbox and the delayed inbox in the bridges."""
        for addr, accs in ((self.SEQUENCER_BRIDGE, sequencer_accs), (self.DELAYED_BRIDGE, delayed_accs)):
            data = SET_ACCS + _word(32) + _word(len(accs)) + b"".join(accs)
            comp = self._call(addr, data)
            if comp.is_error:
                raise RuntimeError(f"setAccs reverted: {revert_reason(comp.output)}")

    @classmethod
    def prover_for(cls, opcode: int) -> bytes:
        return cls.PROVERS[l1_prover(opcode)]

    def execute_step(self, messages_read: int, send_acc: bytes, log_acc: bytes, proof: bytes,
                     bproof: bytes) -> StepResult:
        """Call ``executeStep(bridges, initialMessagesRead, [sendAcc, logAcc], proof, bproof)``."""
        bridges = bytes(12) + self.SEQUENCER_BRIDGE + bytes(12) + self.DELAYED_BRIDGE
        head = bridges + _word(messages_read) + send_acc + log_acc
        first = _dynamic(proof)
        data = EXECUTE_STEP + head + _word(7 * 32) + _word(7 * 32 + len(first)) + first + _dynamic(bproof)
        comp = self._call(self.prover_for(proof[0]), data)
        if comp.is_error:
            return StepResult(reverted=revert_reason(comp.output) if comp.output else str(comp.error))
        o = comp.output
        words = [o[i:i + 32] for i in range(0, 192, 32)]
        return StepResult(None, int.from_bytes(words[0], "big"), int.from_bytes(words[1], "big"), words[2],
                          words[3], words[4], words[5], comp.get_gas_used())

    def check(self, entry: ProofEntry) -> StepResult:
        b = entry.before
        return self.execute_step(b.inbox_count, b.send_acc, b.log_acc, entry.proof, entry.buffer_proof)

    def disagreement(self, entry: ProofEntry) -> str | None:
        """Why the contracts disagree with what the proof entry claims (None when they accept it)."""
        res = self.check(entry)
        if res.reverted is not None:
            return f"reverted: {res.reverted}"
        b, a = entry.before, entry.after
        claims = {"before hash": (res.before_hash, b.machine_hash),
                  "after hash": (res.after_hash, a.machine_hash),
                  "gas": (res.gas, a.gas_used - b.gas_used),
                  "messages read": (res.messages_read, a.inbox_count),
                  "send acc": (res.send_acc, a.send_acc),
                  "log acc": (res.log_acc, a.log_acc)}
        bad = [f"{k}: contracts {_show(got)}, avm-debug {_show(want)}" for k, (got, want) in claims.items()
               if got != want]
        return "; ".join(bad) or None


    def disagreements(self, entries: list[ProofEntry], workers: int | None = None) -> list[str | None]:
        """``disagreement`` for each entry, checked by forked workers (one per core) when there are many:
        each worker is a copy of this oracle, inbox accumulators included."""
        global _FORKED
        workers = workers or os.cpu_count() or 1
        if workers < 2 or len(entries) < 40 or "fork" not in multiprocessing.get_all_start_methods():
            return [self.disagreement(e) for e in entries]
        _FORKED = self
        chunks = [entries[i::workers] for i in range(workers)]
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                results = pool.map(_check_chunk, chunks)
        finally:
            _FORKED = None
        out: list[str | None] = [None] * len(entries)
        for i, chunk in enumerate(results):
            out[i::workers] = chunk
        return out


_FORKED: Oracle | None = None


def _check_chunk(entries: list[ProofEntry]) -> list[str | None]:
    assert _FORKED is not None
    return [_FORKED.disagreement(e) for e in entries]


def _show(v: object) -> str:
    return "0x" + v.hex() if isinstance(v, bytes) else str(v)
