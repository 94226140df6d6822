"""Fuzzers kept in the suite (issue 11): random and mutated ``.mexe``, ``.s``, proof and inbox files and
breakpoint conditions through avm-debug, checked by ``fuzz_oracles`` (no traceback, the documented exit
code, bad input named on one line, disassembly and assembly round trips, exported proofs verify).

Bounded: a few dozen examples each, derandomized (the same cases on every run). The long campaign
with the same checks is ``python tools/fuzz_campaign.py --seed N --seconds S``;
``AVM_FUZZ_EXAMPLES`` raises the count here.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from fuzz_inputs import CONDITION_TOKENS, S_TOKENS, mutate_assembly, mutate_json, random_condition
from fuzz_oracles import (
    SAMPLES,
    check_assembly,
    check_condition,
    check_inbox_file,
    check_mexe,
    check_proof_file,
    env_flag,
    json_bytes,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from value_strategies import json_values

from avm.core.opcodes import OPCODES

EXAMPLES = env_flag("AVM_FUZZ_EXAMPLES", 50)
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])
SAMPLE_TEXTS = [p.read_text() for p in sorted(SAMPLES.glob("*.s"))]
randoms = st.randoms(use_true_random=False)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _instruction(n: int) -> st.SearchStrategy:
    opcodes = st.one_of(st.sampled_from(sorted(OPCODES)), st.integers(-2, 300),
                        st.just({"AVMOpcode": 0x3B}), st.just("add"))
    immediates = st.one_of(st.none(), json_values(codepoints=n + 1, max_leaves=8))
    return st.fixed_dictionaries({"opcode": opcodes, "immediate": immediates})


mexe_docs = st.integers(1, 8).flatmap(lambda n: st.fixed_dictionaries(
    {"version": st.just(2), "code": st.lists(_instruction(n), min_size=n, max_size=n),
     "static_val": json_values(codepoints=n, max_leaves=10)}))


@FUZZ
@given(doc=mexe_docs, rng=randoms, mutate=st.booleans())
def test_fuzz_mexe_files(folder: Path, doc: dict, rng: random.Random, mutate: bool) -> None:
    data = json_bytes(doc)
    check_mexe(mutate_json(rng, data) if mutate else data, folder)


@FUZZ
@given(sample=st.sampled_from(SAMPLE_TEXTS), rng=randoms)
def test_fuzz_mutated_samples(folder: Path, sample: str, rng: random.Random) -> None:
    check_assembly(mutate_assembly(rng, sample), folder)


@FUZZ
@given(lines=st.lists(st.lists(st.sampled_from(S_TOKENS + ["\x0c", "\u2028", "(", ")", "1"]), max_size=5)
                      .map(" ".join), max_size=12))
def test_fuzz_random_assembly(folder: Path, lines: list[str]) -> None:
    check_assembly("\n".join(lines), folder)


@pytest.fixture(scope="module")
def proof_texts(conformance_dir: Path) -> list[bytes]:
    return [json.dumps(json.loads(p.read_text())[:2]).encode()
            for p in sorted((conformance_dir / "proofs").glob("*-proofs.json"))]


@FUZZ
@given(data=st.data(), rng=randoms)
def test_fuzz_proof_files(folder: Path, proof_texts: list[bytes], data: st.DataObject,
                          rng: random.Random) -> None:
    check_proof_file(mutate_json(rng, data.draw(st.sampled_from(proof_texts))), folder)


KEYS = st.sampled_from(["Int", "Tuple", "Buffer", "x"])
any_json = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(-(1 << 300), 1 << 300),
                                  st.floats(allow_nan=False), st.text(max_size=20)),
                        lambda kids: st.one_of(st.lists(kids, max_size=9),
                                               st.dictionaries(KEYS, kids, max_size=2)),
                        max_leaves=20)


@FUZZ
@given(doc=st.one_of(any_json, st.lists(json_values(max_leaves=6), max_size=4)))
def test_fuzz_inbox_files(folder: Path, doc: object) -> None:
    check_inbox_file(json_bytes(doc), folder)


@FUZZ
@given(text=st.one_of(st.builds(random_condition, randoms),
                      st.lists(st.sampled_from(CONDITION_TOKENS), max_size=10).map(" ".join),
                      st.text(max_size=30)))
def test_fuzz_breakpoint_conditions(text: str) -> None:
    check_condition(text)
