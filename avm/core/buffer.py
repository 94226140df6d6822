"""Persistent sparse Merkle buffer: 2**64 bytes, all zero until written.

A buffer is a complete binary tree of 32-byte leaves. Every write returns a new ``Buffer`` that shares
all untouched subtrees with the old one. All-zero subtrees are the shared nodes ``ZERO_NODES[d]``, so
writing byte 2**64-1 of an empty buffer creates about 120 small nodes.

The tree is always kept at its *canonical depth* (the smallest depth whose left half is not enough to
hold the last non-zero byte), exactly like the reference: after every write it grows as needed and then
drops all-zero right halves. The Merkle root is therefore the one the reference hashes, and
``hash() = H(be32(123) || root)`` is the value hash.

Proof helpers (for the one-step proof exporter, following the reference ``Buffer::makeProof`` and
``makeNormalizationProof``):

* ``merkle_proof(loc) -> (chunk, siblings)``: the raw 32-byte chunk holding byte ``loc`` (taken modulo
  the tree size when ``loc`` lies outside the tree) and the sibling hashes from the leaf level up to the
  root's children; ``proof_bytes(loc)`` is the same, concatenated (``depth + 1`` words).
* ``normalization()`` -> ``(depth, left, right)``: the depth, the left-subtree hash (the leaf hash for a
  depth-0 buffer) and the right-subtree hash (32 zero bytes for a leaf); ``normalization_bytes()`` is
  the 96-byte encoding.
"""

from __future__ import annotations

from avm.core.keccak import BUFFER_HASH_PREFIX, ZERO32, ZERO_HASHES, keccak256

LEAF_SIZE = 32
MAX_OFFSET = (1 << 64) - 1
MAX_DEPTH = 59  # 2**59 leaves of 32 bytes = 2**64 bytes


class Buffer:
    """One node of the tree; the root node is the buffer value. Immutable."""

    __slots__ = ("depth", "leaf", "left", "right", "_root", "_packed", "_hash")

    def __init__(self, depth: int, leaf: bytes | None, left: Buffer | None, right: Buffer | None) -> None:
        self.depth = depth
        self.leaf = leaf          # 32 bytes for a leaf (depth 0), else None
        self.left = left
        self.right = right
        self._root: bytes | None = None
        self._packed: int | None = None
        self._hash: bytes | None = None

    # ----------------------------------------------------------------- construction
    @staticmethod
    def empty() -> Buffer:
        """The empty buffer (a single zero leaf)."""
        return EMPTY_BUFFER

    @staticmethod
    def from_bytes(data: bytes) -> Buffer:
        """A buffer whose first ``len(data)`` bytes are ``data``."""
        end = len(data)
        while end and data[end - 1] == 0:
            end -= 1
        if end == 0:
            return EMPTY_BUFFER
        chunks = (end + LEAF_SIZE - 1) // LEAF_SIZE
        depth = (chunks - 1).bit_length()
        level: list[Buffer] = []
        for i in range(chunks):
            piece = data[i * LEAF_SIZE:(i + 1) * LEAF_SIZE]
            if len(piece) < LEAF_SIZE:
                piece = piece + bytes(LEAF_SIZE - len(piece))
            level.append(_leaf(piece))
        d = 0
        while d < depth:
            if len(level) % 2:
                level.append(ZERO_NODES[d])
            level = [Buffer(d + 1, None, level[i], level[i + 1]) for i in range(0, len(level), 2)]
            d += 1
        return level[0]

    # ----------------------------------------------------------------- sizes
    def capacity(self) -> int:
        """Bytes covered by this tree (32 << depth)."""
        return LEAF_SIZE << self.depth

    def data_length(self) -> int:
        """Index of the last non-zero byte + 1 (0 for an all-zero buffer)."""
        packed = self._packed
        if packed is None:
            if self.leaf is not None:
                packed = len(self.leaf.rstrip(b"\x00"))
            else:
                right = self.right.data_length()  # type: ignore[union-attr]
                if right == 0:
                    packed = self.left.data_length()  # type: ignore[union-attr]
                else:
                    packed = (LEAF_SIZE << (self.depth - 1)) + right
            self._packed = packed
        return packed

    def last_index(self) -> int:
        """The reference's ``lastIndex``: data_length - 1, or 0 for an all-zero buffer."""
        n = self.data_length()
        return n - 1 if n else 0

    # ----------------------------------------------------------------- hashing
    def root(self) -> bytes:
        """Merkle root of the tree (the tag-12 payload in proofs)."""
        r = self._root
        if r is None:
            if self.leaf is not None:
                r = keccak256(self.leaf)
            else:
                r = keccak256(self.left.root() + self.right.root())  # type: ignore[union-attr]
            self._root = r
        return r

    def hash(self) -> bytes:
        """Value hash: H(be32(123) || root)."""
        h = self._hash
        if h is None:
            h = self._hash = keccak256(BUFFER_HASH_PREFIX + self.root())
        return h

    # ----------------------------------------------------------------- reads
    def get(self, offset: int) -> int:
        """The byte at ``offset`` (0 beyond the tree)."""
        node = self
        if offset >= (LEAF_SIZE << node.depth):
            return 0
        while node.leaf is None:
            half = LEAF_SIZE << (node.depth - 1)
            if offset >= half:
                offset -= half
                node = node.right  # type: ignore[assignment]
            else:
                node = node.left  # type: ignore[assignment]
        return node.leaf[offset]

    def chunk(self, index: int) -> bytes:
        """The raw 32-byte chunk number ``index`` (zeros beyond the tree)."""
        node = self
        if index >= (1 << node.depth):
            return ZERO32
        while node.leaf is None:
            half = 1 << (node.depth - 1)
            if index >= half:
                index -= half
                node = node.right  # type: ignore[assignment]
            else:
                node = node.left  # type: ignore[assignment]
        return node.leaf

    def get_bytes(self, offset: int, length: int) -> bytes:
        """``length`` bytes starting at ``offset`` (may span chunks; zeros beyond the tree)."""
        out = bytearray()
        while length > 0:
            idx, pos = divmod(offset, LEAF_SIZE)
            take = min(LEAF_SIZE - pos, length)
            out += self.chunk(idx)[pos:pos + take]
            offset += take
            length -= take
        return bytes(out)

    def to_bytes(self) -> bytes:
        """The contents up to the last non-zero byte."""
        return self.get_bytes(0, self.data_length())

    # ----------------------------------------------------------------- writes
    def set(self, offset: int, value: int) -> Buffer:
        """A new buffer with byte ``offset`` set to ``value`` (0..255)."""
        return self.set_bytes(offset, bytes((value,)))

    def set_bytes(self, offset: int, data: bytes) -> Buffer:
        """A new buffer with ``data`` written at ``offset`` (may span chunks). Offsets end below 2**64."""
        node = self
        pos = 0
        n = len(data)
        while pos < n:
            idx, inner = divmod(offset + pos, LEAF_SIZE)
            take = min(LEAF_SIZE - inner, n - pos)
            node = node._set_in_chunk(idx, inner, data[pos:pos + take])
            pos += take
        return node

    def _set_in_chunk(self, index: int, inner: int, data: bytes) -> Buffer:
        node = self
        # grow until chunk `index` is inside the tree
        while index >= (1 << node.depth):
            node = Buffer(node.depth + 1, None, node, ZERO_NODES[node.depth])
        # walk down, remembering the path
        path: list[tuple[Buffer, bool]] = []
        while node.leaf is None:
            half = 1 << (node.depth - 1)
            if index >= half:
                index -= half
                path.append((node, True))
                node = node.right  # type: ignore[assignment]
            else:
                path.append((node, False))
                node = node.left  # type: ignore[assignment]
        leaf = node.leaf
        new_leaf = leaf[:inner] + data + leaf[inner + len(data):]
        if new_leaf == leaf:
            new: Buffer = node
        elif new_leaf == ZERO32:
            new = ZERO_NODES[0]
        else:
            new = _leaf(new_leaf)
        for parent, went_right in reversed(path):
            if went_right:
                if new is parent.right:
                    new = parent
                    continue
                new = Buffer(parent.depth, None, parent.left, new)
            else:
                if new is parent.left:
                    new = parent
                    continue
                new = Buffer(parent.depth, None, new, parent.right)
        return new._trim()

    def _trim(self) -> Buffer:
        node = self
        while node.leaf is None and node.right.data_length() == 0:  # type: ignore[union-attr]
            node = node.left  # type: ignore[assignment]
        return node

    # ----------------------------------------------------------------- proofs
    def merkle_proof(self, loc: int) -> tuple[bytes, list[bytes]]:
        """Raw chunk holding byte ``loc`` (mod the tree size) and sibling hashes, leaf level first."""
        size = LEAF_SIZE << self.depth
        if loc >= size:
            loc %= size
        node = self
        siblings: list[bytes] = []
        while node.leaf is None:
            half = LEAF_SIZE << (node.depth - 1)
            if loc >= half:
                loc -= half
                siblings.append(node.left.root())  # type: ignore[union-attr]
                node = node.right  # type: ignore[assignment]
            else:
                siblings.append(node.right.root())  # type: ignore[union-attr]
                node = node.left  # type: ignore[assignment]
        siblings.reverse()
        return node.leaf, siblings  # type: ignore[return-value]

    def proof_bytes(self, loc: int) -> bytes:
        """``merkle_proof`` as the reference encodes it: chunk, then siblings (depth + 1 words)."""
        chunk, siblings = self.merkle_proof(loc)
        return chunk + b"".join(siblings)

    def normalization(self) -> tuple[int, bytes, bytes]:
        """(depth, left hash, right hash); for a leaf: (0, leaf hash, 32 zero bytes)."""
        if self.leaf is not None:
            return 0, self.root(), ZERO32
        return self.depth, self.left.root(), self.right.root()  # type: ignore[union-attr]

    def normalization_bytes(self) -> bytes:
        """``normalization()`` as three 32-byte words."""
        depth, left, right = self.normalization()
        return depth.to_bytes(32, "big") + left + right

    def __repr__(self) -> str:
        return f"Buffer(length={self.data_length()})"


def _leaf(data: bytes) -> Buffer:
    return Buffer(0, data, None, None)


def _zero_nodes() -> list[Buffer]:
    nodes = [Buffer(0, ZERO32, None, None)]
    for d in range(1, 65):
        nodes.append(Buffer(d, None, nodes[-1], nodes[-1]))
    for d, node in enumerate(nodes):
        node._root = ZERO_HASHES[d]
        node._packed = 0
    return nodes


#: ZERO_NODES[d] is the all-zero tree of depth d (shared; hashes precomputed).
ZERO_NODES: list[Buffer] = _zero_nodes()
EMPTY_BUFFER: Buffer = ZERO_NODES[0]
