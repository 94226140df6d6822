"""``keccakf`` (avm.core.arith): FIPS 202 vector, keccak256 built on it, and a plain reference."""

from __future__ import annotations

import random

import pytest
from Crypto.Hash import keccak as pycryptodome_keccak

from avm.core.arith import keccak_f1600, keccak_p1600, keccakf

M64 = (1 << 64) - 1

# Keccak-f[1600] applied to the all-zero state (Keccak team's KeccakF-1600-IntermediateValues), lanes x + 5y.
ZERO_STATE_PERMUTED = [
    0xF1258F7940E1DDE7, 0x84D5CCF933C0478A, 0xD598261EA65AA9EE, 0xBD1547306F80494D, 0x8B284E056253D057,
    0xFF97A42D7F8E6FD4, 0x90FEE5A0A44647C4, 0x8C5BDA0CD6192E76, 0xAD30A6F71B19059C, 0x30935AB7D08FFC64,
    0xEB5AA93F2317D635, 0xA9A6E6260D712103, 0x81A57C16DBCF555F, 0x43B831CD0347C826, 0x01F22F1A11A5569F,
    0x05E5635A21D9AE61, 0x64BEFEF28CC970F2, 0x613670957BC46611, 0xB87C5A554FD00ECB, 0x8C3EE88A1CCF32C8,
    0x940C7922AE3A2614, 0x1841F924A2C509E4, 0x16F53526E70465C2, 0x75F644E97F30A13B, 0xEAF1FF7B5CECA249,
]


def reference_keccak_f(lanes: list[int]) -> list[int]:
    """Textbook Keccak-f[1600] (FIPS 202 step mappings on A[x][y]), slow and obvious on purpose."""
    rc = []
    r = 1
    for _ in range(24):  # round constants from the LFSR x^8 + x^6 + x^5 + x^4 + 1
        c = 0
        for j in range(7):
            if r & 1:
                c |= 1 << ((1 << j) - 1)
            r = ((r << 1) ^ 0x171) if r & 0x80 else (r << 1)
        rc.append(c)
    offsets = [[0] * 5 for _ in range(5)]
    x, y = 1, 0
    for t in range(24):
        offsets[x][y] = ((t + 1) * (t + 2) // 2) % 64
        x, y = y, (2 * x + 3 * y) % 5

    def rot(v: int, n: int) -> int:
        return ((v << n) | (v >> (64 - n))) & M64 if n else v

    a = [[lanes[x + 5 * y] for y in range(5)] for x in range(5)]
    for rnd in range(24):
        c = [a[x][0] ^ a[x][1] ^ a[x][2] ^ a[x][3] ^ a[x][4] for x in range(5)]
        d = [c[(x - 1) % 5] ^ rot(c[(x + 1) % 5], 1) for x in range(5)]
        a = [[a[x][y] ^ d[x] for y in range(5)] for x in range(5)]
        b = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                b[y][(2 * x + 3 * y) % 5] = rot(a[x][y], offsets[x][y])
        a = [[b[x][y] ^ ((~b[(x + 1) % 5][y]) & b[(x + 2) % 5][y]) for y in range(5)] for x in range(5)]
        a[0][0] ^= rc[rnd]
    return [a[i % 5][i // 5] for i in range(25)]


def lanes_to_ints(lanes: list[int]) -> list[int]:
    """The AVM packing: I_j = lanes 4j..4j+3 with lane 4j lowest; I6 = lane 24."""
    out = [sum(lanes[4 * j + k] << (64 * k) for k in range(4)) for j in range(6)]
    return [*out, lanes[24]]


def test_reference_matches_fips202_vector() -> None:
    assert reference_keccak_f([0] * 25) == ZERO_STATE_PERMUTED


def test_zero_state_gives_the_fips202_vector() -> None:
    assert keccak_f1600([0] * 25) == ZERO_STATE_PERMUTED
    assert keccakf([0] * 7) == lanes_to_ints(ZERO_STATE_PERMUTED)
    assert keccakf([0] * 7)[0] & M64 == 0xF1258F7940E1DDE7


def test_state_int_is_the_little_endian_state_bytes() -> None:
    state = bytes(range(200))
    lanes = [int.from_bytes(state[8 * i:8 * i + 8], "little") for i in range(25)]
    out = keccak_p1600(int.from_bytes(state, "little")).to_bytes(200, "little")
    assert [int.from_bytes(out[8 * i:8 * i + 8], "little") for i in range(25)] == reference_keccak_f(lanes)


def sponge_keccak256(message: bytes) -> bytes:
    """Keccak-256 (Ethereum) as a sponge of rate 136 over our permutation, pad 0x01 ... 0x80."""
    rate = 136
    padded = bytearray(message + b"\x01" + bytes(-(len(message) + 1) % rate))
    padded[-1] |= 0x80
    lanes = [0] * 25
    for start in range(0, len(padded), rate):
        block = padded[start:start + rate]
        for i in range(rate // 8):
            lanes[i] ^= int.from_bytes(block[8 * i:8 * i + 8], "little")
        lanes = keccak_f1600(lanes)
    return b"".join(lane.to_bytes(8, "little") for lane in lanes[:4])


@pytest.mark.parametrize("length", [0, 1, 3, 32, 135, 136, 137, 271, 272, 500])
def test_sponge_on_our_permutation_is_keccak256(length: int) -> None:
    message = bytes((7 * i + length) & 0xFF for i in range(length))
    expected = pycryptodome_keccak.new(digest_bits=256, data=message).digest()
    assert sponge_keccak256(message) == expected


def test_agrees_with_reference_on_random_and_extreme_states() -> None:
    rng = random.Random(20261121)
    states = [[M64] * 25, [1 << 63] * 25, [i * 0x0101010101010101 for i in range(25)]]
    states += [[rng.getrandbits(64) for _ in range(25)] for _ in range(40)]
    states += [[rng.choice((0, M64, rng.getrandbits(64))) for _ in range(25)] for _ in range(20)]
    for lanes in states:
        expected = reference_keccak_f(lanes)
        assert keccak_f1600(lanes) == expected
        assert keccakf(lanes_to_ints(lanes)) == lanes_to_ints(expected)


def test_only_the_low_64_bits_of_the_last_int_count() -> None:
    rng = random.Random(5)
    ints = [rng.getrandbits(256) for _ in range(7)]
    low = [*ints[:6], ints[6] & M64]
    assert keccakf(ints) == keccakf(low)
    assert all(v < (1 << 256) for v in keccakf(ints)) and keccakf(ints)[6] <= M64
