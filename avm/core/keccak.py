"""Keccak-256 (the Ethereum variant, not NIST SHA3) and the hash constants every part of the AVM shares."""

from __future__ import annotations

from sha3 import keccak_256 as _keccak_256  # safe-pysha3: a C extension (eth-hash uses it too)


def keccak256(data: bytes) -> bytes:
    """Keccak-256 digest of ``data`` (32 bytes): the Ethereum variant (pad 0x01), not NIST SHA3-256."""
    return _keccak_256(data).digest()


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


# Python ints cannot carry a cached hash. Small integers (indices, flags, counters, opcodes) come back
# all the time, so their hashes are kept; a large integer rarely recurs (a hash chain never does), and
# memoizing it cost more than it saved (bench/bench_machine.py: int_hash of a fresh integer).
_SMALL_INT = 1 << 16
_SMALL_HASHES: dict[int, bytes] = {}


def int_hash(n: int) -> bytes:
    """Value hash of an integer: H(be32(n)); remembered for integers below 2**16."""
    if n < _SMALL_INT:
        h = _SMALL_HASHES.get(n)
        if h is None:
            h = _SMALL_HASHES[n] = _keccak_256(n.to_bytes(32, "big")).digest()
        return h
    return _keccak_256(n.to_bytes(32, "big")).digest()
