"""AVM values: plain ``int`` (0 <= n < 2**256), ``Tuple``, ``CodePoint`` and ``Buffer``.

Hashes follow the reference implementation:

* int: H(be32(n))
* tuple: H(3 || H(n || hash(v1) .. hash(vn)) || be32(size)), size = 1 + sum of slot sizes mod 2**256
* codepoint: H(1 || op || [hash(imm)] || next_hash); the error codepoint has next_hash = 32 zero bytes
* buffer: H(be32(123) || merkle root)

Every function here is iterative, so a tuple nested 100,000 levels deep (or a long codepoint chain)
hashes without ``RecursionError``. Codepoint hashes are cached; ``CodePoint`` equality and ``hash()``
stay identity-based, AVM equality is ``values_equal``.
"""

from __future__ import annotations

from avm.core.buffer import Buffer
from avm.core.keccak import (
    BUFFER_HASH_PREFIX,
    EMPTY_TUPLE_HASH,
    EMPTY_TUPLE_INNER,
    ERRCP,
    ZERO32,
    int_hash,
    keccak256,
)

_new_hash = keccak256

TYPE_INT = 0
TYPE_CODEPOINT = 1
TYPE_TUPLE = 3
TYPE_BUFFER = 12
MAX_TUPLE = 8
MAX_INT = (1 << 256) - 1


class Tuple:
    """An immutable tuple of 0..8 values."""

    __slots__ = ("items", "size", "_hash")

    def __init__(self, items: tuple = ()) -> None:
        self.items = items
        size = 1
        for v in items:
            t = type(v)
            size += v.size if (t is Tuple or t is HashPreImage) else 1
        # sizes are 256-bit and wrap, as in the reference emulator (intx uint256) and Value.sol
        # (Solidity 0.6 arithmetic): a DAG of shared tuples reaches 2**256 in a few hundred steps
        self.size = size if size <= MAX_INT else size & MAX_INT
        self._hash: bytes | None = EMPTY_TUPLE_HASH if not items else None

    def __len__(self) -> int:
        return len(self.items)

    def __repr__(self) -> str:
        from avm.core.summary import summarize

        return summarize(self)


class CodePoint:
    """An instruction: opcode, optional immediate and the following codepoint.

    ``next is None`` marks an error codepoint (next hash = 32 zero bytes). ``index`` is the position in
    the program listing, ``len(code)`` for the program's error codepoint, -1 for code built at run time.
    """

    __slots__ = ("op", "imm", "next", "index", "_hash")

    def __init__(self, op: int, imm: Value | None = None, next: CodePoint | None = None,
                 index: int = -1) -> None:
        self.op = op
        self.imm = imm
        self.next = next
        self.index = index
        self._hash: bytes | None = None

    @property
    def is_error(self) -> bool:
        """True for an error codepoint (hash ERRCP): the only real kind whose next hash is zero."""
        if self.op >= 0:
            return self.next is None
        return self._hash == ERRCP

    @property
    def is_stub(self) -> bool:
        """True for a codepoint known only by its hash (see ``codepoint_stub``)."""
        return self.op < 0

    def __repr__(self) -> str:
        from avm.core.summary import summarize

        return summarize(self)


def error_codepoint(index: int = -1) -> CodePoint:
    """A fresh error codepoint (opcode 0, no immediate, next hash zero): its hash is ERRCP."""
    return CodePoint(0, None, None, index)


def codepoint_stub(h: bytes) -> CodePoint:
    """A codepoint known only by its hash (op -1): used for proof ``nextHash`` fields and the verifier."""
    cp = CodePoint(-1, None, None, -2)
    cp._hash = h
    return cp


class HashPreImage:
    """A tuple known only by its hash pre-image (proof tag 2). ``type`` reports 3; size is carried."""

    __slots__ = ("inner", "size", "_hash")

    def __init__(self, inner: bytes, size: int) -> None:
        self.inner = inner
        self.size = size
        self._hash = keccak256(b"\x03" + inner + size.to_bytes(32, "big"))

    def __repr__(self) -> str:
        return f"HashPreImage(inner=0x{self.inner.hex()[:16]}.., size={self.size})"


class BufferRoot:
    """A buffer known only by its Merkle root (proof tag 12)."""

    __slots__ = ("root", "_hash")

    def __init__(self, root: bytes) -> None:
        self.root = root
        self._hash = keccak256(BUFFER_HASH_PREFIX + root)

    def __repr__(self) -> str:
        return f"BufferRoot(0x{self.root.hex()[:16]}..)"


Value = int | Tuple | CodePoint | Buffer
#: A value or one known only by its proof form (a tuple's pre-image, a buffer's root).
AnyValue = Value | HashPreImage | BufferRoot

#: The shared empty tuple.
NONE = Tuple(())


def _hash_ready(v: AnyValue) -> bool:
    t = type(v)
    if t is Tuple or t is CodePoint:
        return v._hash is not None  # type: ignore[union-attr]
    return True


def _known_hash(v: AnyValue) -> bytes:
    """Hash of a value whose children are hashed already (ints and buffers are hashed here)."""
    t = type(v)
    if t is int:
        return int_hash(v)  # type: ignore[arg-type]
    if t is Buffer:
        return v.hash()  # type: ignore[union-attr]
    return v._hash  # type: ignore[union-attr,return-value]


def _compute_own(v: Tuple | CodePoint) -> bytes:
    if type(v) is Tuple:
        items = v.items
        inner = _new_hash(bytes((len(items),)) + b"".join([_known_hash(x) for x in items]))
        return _new_hash(b"\x03" + inner + v.size.to_bytes(32, "big"))
    cp: CodePoint = v  # type: ignore[assignment]  # not a Tuple: a codepoint
    nxt = cp.next
    next_hash = ZERO32 if nxt is None else nxt._hash
    if cp.imm is None:
        return _new_hash(bytes((1, cp.op)) + next_hash)  # type: ignore[operator]
    return _new_hash(bytes((1, cp.op)) + _known_hash(cp.imm) + next_hash)  # type: ignore[operator]


def value_hash(v: Value) -> bytes:
    """The 32-byte AVM hash of any value (cached for tuples and codepoints)."""
    t = type(v)
    if t is int:
        return int_hash(v)  # type: ignore[arg-type]
    if t is Buffer:
        return v.hash()  # type: ignore[union-attr]
    h = v._hash  # type: ignore[union-attr]
    if h is not None:
        return h
    if t is Tuple:  # the common case first: a tuple whose slots are hashed already, in one pass
        parts = []
        for x in v.items:  # type: ignore[union-attr]
            tx = type(x)
            if tx is int:
                parts.append(int_hash(x))
            elif tx is Buffer:
                parts.append(x.hash())
            else:
                hx = x._hash
                if hx is None:
                    break
                parts.append(hx)
        else:
            inner = _new_hash(bytes((len(parts),)) + b"".join(parts))
            h = v._hash = _new_hash(b"\x03" + inner + v.size.to_bytes(32, "big"))  # type: ignore[union-attr]
            return h
    work: list = [v]
    while work:
        x = work[-1]
        if x._hash is not None:
            work.pop()
            continue
        pending = False
        if type(x) is Tuple:
            for c in x.items:
                if not _hash_ready(c):
                    work.append(c)
                    pending = True
        else:
            nxt = x.next
            if nxt is not None and nxt._hash is None:
                work.append(nxt)
                pending = True
            if x.imm is not None and not _hash_ready(x.imm):
                work.append(x.imm)
                pending = True
        if not pending:
            x._hash = _compute_own(x)
            work.pop()
    return v._hash  # type: ignore[union-attr,return-value]


def tuple_preimage(t: Tuple) -> tuple[bytes, int]:
    """(inner hash, size) of a tuple: the tag-2 proof form."""
    items = t.items
    if not items:
        return EMPTY_TUPLE_INNER, 1
    for x in items:
        if not _hash_ready(x):
            value_hash(x)
    return _new_hash(bytes((len(items),)) + b"".join([_known_hash(x) for x in items])), t.size


def value_size(v: Value) -> int:
    """1 for int, codepoint and buffer; 1 + sum of slot sizes for a tuple."""
    t = type(v)
    return v.size if (t is Tuple or t is HashPreImage) else 1  # type: ignore[union-attr]


def type_code(v: Value) -> int:
    """The ``type`` opcode's answer: 0 int, 1 codepoint, 3 tuple, 12 buffer."""
    t = type(v)
    if t is int:
        return TYPE_INT
    if t is Tuple:
        return TYPE_TUPLE
    if t is CodePoint:
        return TYPE_CODEPOINT
    if t is HashPreImage:
        return TYPE_TUPLE
    return TYPE_BUFFER


def values_equal(a: Value, b: Value) -> bool:
    """The ``eq`` rule: same kind and same hash (never an error)."""
    if a is b:
        return True
    ta = type(a)
    if ta is not type(b):
        if type_code(a) != type_code(b) or ta is int or type(b) is int:
            return False
        return value_hash(a) == value_hash(b)
    if ta is int:
        return a == b
    if ta is Tuple and (len(a.items) != len(b.items) or a.size != b.size):  # type: ignore[union-attr]
        return False
    return value_hash(a) == value_hash(b)


def is_value(v: object) -> bool:
    """True for the four value kinds (ints must be in range)."""
    t = type(v)
    if t is int:
        return 0 <= v <= MAX_INT  # type: ignore[operator]
    return t is Tuple or t is CodePoint or t is Buffer


__all__ = [
    "MAX_INT", "MAX_TUPLE", "NONE", "TYPE_BUFFER", "TYPE_CODEPOINT", "TYPE_INT", "TYPE_TUPLE",
    "AnyValue", "Buffer", "BufferRoot", "CodePoint", "HashPreImage", "Tuple", "Value",
    "codepoint_stub", "error_codepoint", "is_value", "tuple_preimage", "type_code",
    "value_hash", "value_size", "values_equal",
]
