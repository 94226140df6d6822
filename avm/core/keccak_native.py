"""The Keccak-f[1600] permutation in C, through pycryptodome's raw Keccak sponge (a dependency already).

pycryptodome exposes a sponge, not the bare permutation, so the permutation is obtained from it: a
sponge with capacity 0 has a rate of the whole 200-byte state. Absorbing a full block ``Y`` leaves the
state at ``f(Y)``; absorbing 199 more bytes ``Z`` and squeezing with padding byte ``b`` XORs
``Z || (b | 0x80)`` into it and permutes once more: ``f(f(Y) ^ (Z || b))`` when ``b`` has its top bit
set. For a state ``X`` we pick ``Y`` in {0, Y1} so that ``b = X[199] ^ f(Y)[199]`` has that bit, with
``Z = X[:199] ^ f(Y)[:199]``; the sponge after ``Y`` is kept and copied, so each call permutes once.

:func:`native_p1600` checks the result against the pure permutation on fixed states before it is used,
and gives None (the caller keeps the pure version) when the private API is missing or disagrees.
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Callable
from typing import Any

P1600 = Callable[[int], int]
_STATE_BYTES = 200
_TOP = 8 * (_STATE_BYTES - 1)            # bit offset of the last state byte in the int form
_LOW199 = (1 << _TOP) - 1
_ROUNDS = 24


def native_p1600(pure: P1600) -> P1600 | None:
    """The C permutation on the int form of the state (as :func:`avm.core.arith.keccak_p1600`), or
    None when pycryptodome's raw sponge is unavailable or does not agree with ``pure``."""
    try:
        fn = _build(pure)
    except Exception:          # a missing or changed private API: keep the pure permutation
        return None
    if any(fn(s) != pure(s) for s in _checks()):
        return None
    return fn


def _checks() -> list[int]:
    """States the native version must get right (about 1 ms each in pure Python): edges, top bytes
    that take either start, and random ones."""
    states = [0, (1 << 1600) - 1, 1, 1 << 1599, 0x80 << _TOP]
    states += [(i << _TOP) | (i * 0x0123456789ABCDEF) for i in range(0, 256, 17)]
    states += [int.from_bytes(os.urandom(_STATE_BYTES), "little") for _ in range(4)]
    return states


def _build(pure: P1600) -> P1600:
    # private parts of pycryptodome, typed loosely on purpose: the caller checks what they give
    raw: Any = importlib.import_module("Crypto.Util._raw_api")
    lib: Any = importlib.import_module("Crypto.Hash.keccak")._raw_keccak_lib
    VoidPointer, c_size_t, c_ubyte, c_uint8_ptr = raw.VoidPointer, raw.c_size_t, raw.c_ubyte, raw.c_uint8_ptr
    create_string_buffer, get_raw_buffer = raw.create_string_buffer, raw.get_raw_buffer

    def new_state() -> Any:
        state = VoidPointer()
        if lib.keccak_init(state.address_of(), c_size_t(0), c_ubyte(_ROUNDS)):
            raise RuntimeError("keccak_init failed")
        return state

    f0 = pure(0)
    y1 = next(y for y in range(1, 256) if (pure(y) ^ f0) >> (_TOP + 7) & 1)
    starts = []                     # (Y's f as an int, the sponge right after absorbing Y)
    for y in (0, y1):
        sponge = new_state()
        block = y.to_bytes(_STATE_BYTES, "little")
        if lib.keccak_absorb(sponge.get(), c_uint8_ptr(block), c_size_t(_STATE_BYTES)):
            raise RuntimeError("keccak_absorb failed")
        starts.append((pure(y), sponge))
    (fa, sponge_a), (fb, sponge_b) = starts
    copy, absorb, squeeze = lib.keccak_copy, lib.keccak_absorb, lib.keccak_squeeze
    n199, n200 = c_size_t(_STATE_BYTES - 1), c_size_t(_STATE_BYTES)
    local = threading.local()       # a scratch sponge per thread (the C calls release the GIL)

    def p1600(s: int) -> int:
        scratch = getattr(local, "scratch", None)
        if scratch is None:
            scratch = local.scratch = (new_state(), create_string_buffer(_STATE_BYTES))
        work, out = scratch
        x = s ^ fa
        sponge = sponge_a
        if not x >> (_TOP + 7) & 1:
            x = s ^ fb
            sponge = sponge_b
        copy(sponge.get(), work.get())
        absorb(work.get(), c_uint8_ptr((x & _LOW199).to_bytes(_STATE_BYTES - 1, "little")), n199)
        squeeze(work.get(), out, n200, c_ubyte(x >> _TOP))
        return int.from_bytes(get_raw_buffer(out), "little")

    return p1600
