"""The C Keccak-f[1600] (``avm.core.keccak_native``, pycryptodome's sponge): equal to the pure
permutation on any state, used by the ``keccakf`` opcode, and refused when it disagrees or is missing."""

from __future__ import annotations

import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from avm.core import arith
from avm.core.arith import keccak_p1600
from avm.core.keccak_native import native_p1600

NATIVE = native_p1600(keccak_p1600)
STATES = st.integers(min_value=0, max_value=(1 << 1600) - 1)


def test_pycryptodome_gives_a_native_permutation() -> None:
    assert NATIVE is not None


@settings(max_examples=300, deadline=None)
@given(STATES)
def test_native_equals_pure(state: int) -> None:
    assert NATIVE is not None
    assert NATIVE(state) == keccak_p1600(state)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=(1 << 256) - 1), min_size=7, max_size=7))
def test_keccakf_opcode_uses_an_equal_permutation(ints: list[int]) -> None:
    arith.keccakf([0] * 7)                           # the first call chooses the permutation
    assert arith._p1600 is not keccak_p1600          # the native one here
    lanes = (ints[0] | ints[1] << 256 | ints[2] << 512 | ints[3] << 768 | ints[4] << 1024
             | ints[5] << 1280 | (ints[6] & ((1 << 64) - 1)) << 1536)
    s = keccak_p1600(lanes)
    expected = [(s >> (256 * j)) & ((1 << 256) - 1) for j in range(6)] + [s >> 1536]
    assert arith.keccakf(ints) == expected


def test_a_disagreeing_native_is_refused() -> None:
    def wrong(s: int) -> int:
        return keccak_p1600(s) ^ (1 if s == 0 else 0)

    assert native_p1600(wrong) is None


def test_a_missing_private_api_is_refused(monkeypatch) -> None:
    import Crypto.Hash.keccak as module

    monkeypatch.delattr(module, "_raw_keccak_lib")
    assert native_p1600(keccak_p1600) is None
    assert "Crypto.Hash.keccak" in sys.modules
