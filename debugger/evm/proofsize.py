"""What a one-step proof of the current instruction has to carry, in bytes, on each side.

AVM: the actual bytes of the project's one-step proof (``avm.proofs.export.proof_bytes``): the
instruction's operands, the *hash* of the next codepoint and of the rest of each stack, the register,
static and handler -- its size does not depend on how large the code is.

EVM (a model of a Merkle-proof based step, as in fraud-proof designs that prove one EVM opcode):

* code: the 32-byte chunk(s) holding the instruction at pc, each with ``ceil(log2(chunks))`` sibling
  hashes of a binary Merkle tree over the code's chunks;
* stack: the items the step reads (32 bytes each) plus the hash of the rest;
* memory: every 32-byte word the step touches, with ``ceil(log2(words))`` siblings each (an upper
  bound: shared siblings are not merged);
* storage (SLOAD/SSTORE): the Merkle Patricia proof of the slot in the account's real storage trie
  (``trie.HexaryTrie``, keys keccak(slot), values RLP) plus the account's proof in a state trie;
* frame: the roots and counters every step needs (code, memory and state roots, pc, gas, memory
  size): ``FRAME_BYTES``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil, log2

import rlp  # type: ignore[import-untyped]
from eth_hash.auto import keccak
from trie import HexaryTrie

from avm.core.machine import Machine
from avm.proofs.export import can_prove, proof_bytes
from debugger.evm.runner import CONTRACT, EvmState, EvmStep

WORD = 32
HASH = 32
FRAME_BYTES = 3 * HASH + 3 * 8

# which stack arguments (0 = top) of a memory instruction are (offset, size) of the range it touches
_MEMORY_ARGS: dict[str, list[tuple[int, int | None]]] = {
    "MLOAD": [(0, None)], "MSTORE": [(0, None)], "MSTORE8": [(0, -1)],
    "SHA3": [(0, 1)], "RETURN": [(0, 1)], "REVERT": [(0, 1)],
    "CALLDATACOPY": [(0, 2)], "CODECOPY": [(0, 2)], "RETURNDATACOPY": [(0, 2)],
    "MCOPY": [(0, 2), (1, 2)],
    **{f"LOG{n}": [(0, 1)] for n in range(5)},
}


@dataclass
class ProofSize:
    total: int
    parts: dict[str, int] = field(default_factory=dict)
    detail: str = ""

    def breakdown(self) -> str:
        return " + ".join(f"{k} {v}" for k, v in self.parts.items() if v)


def merkle_depth(leaves: int) -> int:
    return ceil(log2(leaves)) if leaves > 1 else 0


def code_proof(code_len: int, pc: int, size: int) -> int:
    chunks = max(1, ceil(code_len / WORD))
    first, last = pc // WORD, min((pc + size - 1) // WORD, chunks - 1)
    covered = max(1, last - first + 1)
    return covered * (WORD + HASH * merkle_depth(chunks))


def stack_reads(step: EvmStep, before: tuple[int, ...], after: tuple[int, ...] | None) -> int:
    """How many stack items the step read: DUPn n, SWAPn n+1, else the part below which the stack is
    unchanged (from the captured states, not from a table)."""
    name = step.mnemonic
    if name.startswith("DUP"):
        return int(name[3:])
    if name.startswith("SWAP"):
        return int(name[4:]) + 1
    if after is None:
        return 0
    same = 0
    for a, b in zip(before, after, strict=False):
        if a != b:
            break
        same += 1
    return len(before) - same


def memory_words(step: EvmStep, stack: tuple[int, ...]) -> list[int]:
    """Indices of the 32-byte memory words the step touches."""
    words: set[int] = set()
    for off_arg, size_arg in _MEMORY_ARGS.get(step.mnemonic, []):
        if off_arg >= len(stack):
            continue
        offset = stack[-1 - off_arg]
        if size_arg is None:
            size = WORD
        elif size_arg == -1:
            size = 1
        elif size_arg < len(stack):
            size = stack[-1 - size_arg]
        else:
            continue
        if size == 0 or offset + size > 1 << 32:
            continue
        words.update(range(offset // WORD, (offset + size - 1) // WORD + 1))
    return sorted(words)


def memory_proof(msize: int, words: list[int]) -> int:
    if not words:
        return 0
    leaves = max(ceil(msize / WORD), words[-1] + 1)
    return len(words) * (WORD + HASH * merkle_depth(leaves))


def storage_trie(storage: dict[int, int]) -> HexaryTrie:
    t = HexaryTrie({})
    for slot, value in storage.items():
        t[keccak(slot.to_bytes(32, "big"))] = rlp.encode(value)
    return t


def trie_proof_size(t: HexaryTrie, key: bytes) -> int:
    return sum(len(rlp.encode(node)) for node in t.get_proof(key))


def storage_proof(storage: dict[int, int], slot: int, code: bytes) -> tuple[int, int]:
    """(storage proof bytes, account proof bytes) for ``slot`` of the contract's storage."""
    st = storage_trie(storage)
    slot_bytes = trie_proof_size(st, keccak(slot.to_bytes(32, "big")))
    account = rlp.encode([1, 0, st.root_hash, keccak(code)])
    world = HexaryTrie({})
    world[keccak(CONTRACT)] = account
    return slot_bytes, trie_proof_size(world, keccak(CONTRACT))


def evm_step_proof(code: bytes, step: EvmStep, before: EvmState, after: EvmState | None) -> ProofSize:
    parts = {"frame": FRAME_BYTES,
             "code": code_proof(len(code), step.pc, 1 + len(step.push_data)) if step.pc < len(code) else 0}
    reads = stack_reads(step, before.stack, after.stack if after is not None else None)
    parts["stack"] = reads * WORD + HASH
    words = memory_words(step, before.stack)
    parts["memory"] = memory_proof(len(before.memory), words)
    detail = f"{reads} stack item(s)"
    if words:
        detail += f", memory words {words[0]}..{words[-1]}" if len(words) > 1 else f", memory word {words[0]}"
    if step.mnemonic in ("SLOAD", "SSTORE") and before.stack:
        slot = before.stack[-1]
        slot_bytes, account_bytes = storage_proof(before.storage, slot, code)
        parts["storage"] = slot_bytes
        parts["account"] = account_bytes
        detail += f", slot {slot} in a trie of {len(before.storage)} slot(s)"
    return ProofSize(sum(parts.values()), parts, detail)


def avm_step_proof(m: Machine) -> ProofSize | None:
    """The size of the project's real one-step proof of the machine's next step (None: no step)."""
    if can_prove(m):
        return None
    proof, buffer_proof = proof_bytes(m)
    parts = {"proof": len(proof), "buffer": len(buffer_proof)}
    return ProofSize(len(proof) + len(buffer_proof), parts, "next codepoint by hash (32 bytes)")


def growth_rows() -> list[tuple[str, list[tuple[int, int]]]]:
    """How the EVM proof parts grow: (what, [(size, proof bytes)]). Storage uses real tries."""
    code = [(n, code_proof(n, 0, 1)) for n in (32, 256, 2048, 24576)]
    memory = [(n, memory_proof(n, [0])) for n in (32, 1024, 32768, 1 << 20)]
    storage = []
    for n in (1, 10, 100, 1000):
        slots = {i: i + 1 for i in range(n)}
        storage.append((n, storage_proof(slots, 0, b"")[0]))
    return [("code bytes", code), ("memory bytes", memory), ("storage slots", storage)]
