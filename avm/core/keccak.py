"""Keccak-256 (the Ethereum variant, not NIST SHA3) and the hash constants every part of the AVM shares."""

from __future__ import annotations

import threading

from Crypto.Hash import keccak as _keccak

_new = _keccak.new


def _slow_keccak256(data: bytes) -> bytes:
    return _new(digest_bits=256, data=data).digest()


def _make_fast() -> object:
    """keccak256 through pycryptodome's raw C functions with one reusable state (about 4x faster than
    ``keccak.new`` per call). A lock keeps it thread-safe; a contended call uses the slow path."""
    from Crypto.Util._raw_api import VoidPointer, c_size_t, c_ubyte, create_string_buffer

    lib = _keccak._raw_keccak_lib
    state = VoidPointer()
    if lib.keccak_init(state.address_of(), c_size_t(64), c_ubyte(24)):
        raise RuntimeError("keccak_init failed")
    ptr = state.get()
    out = create_string_buffer(32)
    reset, absorb, squeeze = lib.keccak_reset, lib.keccak_absorb, lib.keccak_digest
    lock = threading.Lock()
    acquire, release = lock.acquire, lock.release
    slow = _slow_keccak256

    def fast_keccak256(data: bytes) -> bytes:
        if acquire(False):
            try:
                reset(ptr)
                absorb(ptr, data, len(data))
                squeeze(ptr, out, 32, 1)
                return out.raw
            finally:
                release()
        return slow(data)

    fast_keccak256._state = state  # type: ignore[attr-defined]  (keep the C state alive)
    for probe in (b"", b"abc", bytes(range(200))):
        if fast_keccak256(probe) != slow(probe):
            raise RuntimeError("fast keccak self-test failed")
    return fast_keccak256


try:
    keccak256 = _make_fast()
except Exception:  # pragma: no cover - depends on pycryptodome internals
    keccak256 = _slow_keccak256
keccak256.__doc__ = "Keccak-256 digest of ``data`` (32 bytes)."


def be32(n: int) -> bytes:
    """32-byte big-endian encoding of ``n`` modulo 2**256."""
    return (n & ((1 << 256) - 1)).to_bytes(32, "big")


ZERO32 = bytes(32)

#: Hash of the error codepoint: opcode 0, no immediate, next hash = 32 zero bytes.
ERRCP: bytes = keccak256(b"\x01\x00" + ZERO32)

#: Inner hash of the empty tuple, H(0x00), and its value hash H(3 || inner || be32(1)).
EMPTY_TUPLE_INNER: bytes = keccak256(b"\x00")
EMPTY_TUPLE_HASH: bytes = keccak256(b"\x03" + EMPTY_TUPLE_INNER + be32(1))

#: Prefix of a buffer's value hash: hash(buffer) = H(be32(123) || merkle root).
BUFFER_HASH_PREFIX: bytes = be32(123)

#: Zero-subtree hashes: Z[0] = H(32 zero bytes), Z[k+1] = H(Z[k] || Z[k]); index 0..64.
ZERO_HASHES: list[bytes] = [keccak256(ZERO32)]
for _ in range(64):
    ZERO_HASHES.append(keccak256(ZERO_HASHES[-1] + ZERO_HASHES[-1]))
del _

#: Hash of the empty buffer.
EMPTY_BUFFER_HASH: bytes = keccak256(BUFFER_HASH_PREFIX + ZERO_HASHES[0])


def int_hash(n: int) -> bytes:
    """Value hash of an integer: H(be32(n))."""
    return keccak256(n.to_bytes(32, "big"))
