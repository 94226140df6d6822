"""The proof-size model: Merkle depths, real storage tries, and the AVM side's real proof bytes."""

from __future__ import annotations

import rlp
from eth_hash.auto import keccak
from trie import HexaryTrie

from avm.core.machine import Machine
from debugger.engine.session import Session
from debugger.evm.asm import assemble_evm
from debugger.evm.lesson import load_lesson
from debugger.evm.proofsize import (
    FRAME_BYTES,
    avm_step_proof,
    code_proof,
    evm_step_proof,
    growth_rows,
    memory_proof,
    storage_trie,
)
from debugger.evm.runner import run_bytecode
from debugger.resources import lesson_path


def test_code_proof_is_a_chunk_and_log2_siblings():
    assert code_proof(32, 0, 1) == 32                      # one chunk: no siblings
    assert code_proof(33, 0, 1) == 32 + 32                 # two chunks: one sibling
    assert code_proof(24_576, 100, 1) == 32 + 32 * 10      # 768 chunks -> depth 10
    assert code_proof(64, 31, 3) == 2 * (32 + 32)          # a PUSH2 across a chunk boundary


def test_memory_proof_counts_touched_words():
    assert memory_proof(0, []) == 0
    assert memory_proof(1024, [0]) == 32 + 32 * 5
    assert memory_proof(64, [0, 1]) == 2 * (32 + 32)


def test_storage_proof_is_a_real_trie_proof():
    slots = {i: i * 7 + 1 for i in range(50)}
    t = storage_trie(slots)
    key = keccak((3).to_bytes(32, "big"))
    proof = t.get_proof(key)
    assert HexaryTrie.get_from_proof(t.root_hash, key, proof) == rlp.encode(22)
    sizes = dict(growth_rows())["storage slots"]
    assert [n for n, _ in sizes] == [1, 10, 100, 1000]
    assert sizes[0][1] < sizes[1][1] < sizes[2][1] < sizes[3][1]


def test_evm_step_proof_parts():
    code = assemble_evm("PUSH1 5\nPUSH0\nSSTORE\nPUSH1 0x2a\nPUSH1 0x40\nMSTORE\nPUSH0\nSLOAD\n").code
    run = run_bytecode(code)
    store = evm_step_proof(code, run.steps[2], run.states[2], run.states[3])
    assert store.parts["frame"] == FRAME_BYTES
    assert store.parts["stack"] == 2 * 32 + 32
    assert store.parts["storage"] == 0 and store.parts["account"] > 0     # an empty trie: the root says it
    load = evm_step_proof(code, run.steps[7], run.states[7], run.states[8])
    assert load.parts["storage"] == len(rlp.encode(storage_trie({0: 5}).get_proof(keccak(bytes(32)))[0]))
    mstore = evm_step_proof(code, run.steps[5], run.states[5], run.states[6])
    assert mstore.parts["memory"] == 32 + 2 * 32 and "memory word 2" in mstore.detail
    assert store.total == sum(store.parts.values())


def test_avm_proof_size_is_the_exported_proof():
    lesson = load_lesson(str(lesson_path("memory.lesson")))
    session = Session(lesson.avm, [])
    for step in (0, 3, 8):
        session.goto(step)
        entry = session.proof_for_step(step)
        size = (len(entry["Proof"]) - 2) // 2 + (len(entry.get("BufferProof") or "0x") - 2) // 2
        assert avm_step_proof(session.machine).total == size
    m = Machine.from_program(lesson.avm, [])
    while not m.status:
        m.step()
    assert avm_step_proof(m) is None
