"""Keccak-256 (the Ethereum variant, not NIST SHA3) and the hash constants every part of the AVM shares."""

from __future__ import annotations

from Crypto.Hash import keccak as _keccak

_new = _keccak.new


def keccak256(data: bytes) -> bytes:
    """Keccak-256 digest of ``data`` (32 bytes)."""
    return _new(digest_bits=256, data=data).digest()


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
    return _new(digest_bits=256, data=n.to_bytes(32, "big")).digest()
