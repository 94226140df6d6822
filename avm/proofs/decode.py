"""Parse one-step proof bytes into named fields with byte offsets (used by the verifier and the inspector).

A ``Proof`` (the layout of the L1 ``OneStepProofCommon.initializeExecutionContext``) is::

    opcode(1) stackCount(1) auxCount(1) stack values... aux values... nextHash(32)
    dataBelow(inner 32, size 32) auxBelow(64) register(value) static(value) gas(32)
    errHandlerHash(32) immediateFlag(1) [extra data: send payload or inbox proof]

Values are in proof format: tag 0 int, 1 codepoint, 2 tuple pre-image, 3+n tuple of n slots, 12 buffer
root.  This module has its own small value model (``PValue``): the verifier only ever knows values as
they appear in a proof, so a tuple may be known only by its pre-image and a buffer only by its root.
Every value's hash and size are computed when it is built (children first), so nothing here recurses:
a proof nested 100,000 levels deep parses without ``RecursionError``.

Malformed bytes raise :class:`ProofDecodeError` (a ``UserError``) naming the offset; never ``IndexError``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from avm.core.keccak import EMPTY_TUPLE_HASH, be32, keccak256
from avm.core.opcodes import Op
from avm.errors import UserError

MAX_TUPLE = 8

# kind codes of the verifier's value model (the L1 Value.sol type codes)
INT, CODEPOINT, PREIMAGE, TUPLE, BUFFER, HASH_ONLY = 0, 1, 2, 3, 12, 100


class ProofDecodeError(UserError):
    """Proof bytes that do not parse (truncated, bad tag, trailing bytes, ...)."""


# ---------------------------------------------------------------------------------------------------
# the verifier-side value model


class PValue:
    """A value as known from a proof. ``hash`` (32 bytes) and ``size`` are always available."""

    __slots__ = ("hash", "size")
    hash: bytes
    size: int
    kind: int = -1
    in_full: bool = True
    # payloads, present on the subclasses that have them (declared here for type checkers)
    value: int                      # PInt
    items: tuple[PValue, ...]       # PTuple
    root: bytes                     # PBuffer

    def type_code(self) -> int:
        """What the ``type`` opcode pushes for this value in the L1 verifier."""
        return TUPLE if self.kind == PREIMAGE else self.kind

    def short(self) -> str:  # pragma: no cover - overridden
        return "?"


class PInt(PValue):
    __slots__ = ("value",)
    kind = INT

    def __init__(self, value: int) -> None:
        self.value = value
        self.size = 1
        self.hash = keccak256(be32(value))

    def short(self) -> str:
        return str(self.value) if self.value < 1 << 64 else hex(self.value)


class PCodePoint(PValue):
    __slots__ = ("op", "imm", "next_hash")
    kind = CODEPOINT

    def __init__(self, op: int, imm: PValue | None, next_hash: bytes) -> None:
        self.op = op
        self.imm = imm
        self.next_hash = next_hash
        self.size = 1
        if imm is None:
            self.hash = keccak256(b"\x01" + bytes((op,)) + next_hash)
        else:
            self.hash = keccak256(b"\x01" + bytes((op,)) + imm.hash + next_hash)

    def short(self) -> str:
        imm = "" if self.imm is None else f" imm={self.imm.short()}"
        return f"codepoint(op=0x{self.op:02x}{imm}, next={self.next_hash.hex()[:8]}..)"


def tuple_preimage_hash(inner: bytes, size: int) -> bytes:
    """Hash of a tuple from its pre-image: H(3 || inner || be32(size))."""
    return keccak256(b"\x03" + inner + be32(size))


class PTuple(PValue):
    __slots__ = ("items", "inner")
    kind = TUPLE

    def __init__(self, items: tuple[PValue, ...]) -> None:
        self.items = items
        self.size = 1 + sum(v.size for v in items)
        self.inner = keccak256(bytes((len(items),)) + b"".join(v.hash for v in items))
        self.hash = tuple_preimage_hash(self.inner, self.size)

    def short(self) -> str:
        return f"tuple[{len(self.items)}] (size {self.size})"


class PPreImage(PValue):
    """A tuple known only by its hash pre-image (tag 2)."""

    __slots__ = ("inner",)
    kind = PREIMAGE
    in_full = False

    def __init__(self, inner: bytes, size: int) -> None:
        self.inner = inner
        self.size = size
        self.hash = tuple_preimage_hash(inner, size)

    def short(self) -> str:
        if self.hash == EMPTY_TUPLE_HASH:
            return "() as pre-image"
        return f"tuple pre-image (inner {self.inner.hex()[:8]}.., size {self.size})"


class PBuffer(PValue):
    """A buffer known by its Merkle root (tag 12); its value hash is H(be32(123) || root)."""

    __slots__ = ("root",)
    kind = BUFFER
    in_full = False

    def __init__(self, root: bytes) -> None:
        self.root = root
        self.size = 1
        self.hash = keccak256(be32(123) + root)

    def short(self) -> str:
        return f"buffer(root {self.root.hex()[:8]}..)"


class PHashOnly(PValue):
    """A value known only by its hash, size 1 (what pcpush, errpush, errcodepoint push in the verifier)."""

    __slots__ = ()
    kind = HASH_ONLY
    in_full = False

    def __init__(self, value_hash: bytes) -> None:
        self.hash = value_hash
        self.size = 1

    def short(self) -> str:
        return f"hash-only {self.hash.hex()[:8]}.."


def stack_push(below: PPreImage, value: PValue) -> PPreImage:
    """Pre-image of the stack after pushing ``value`` on a stack known by pre-image ``below``."""
    inner = keccak256(b"\x02" + value.hash + below.hash)
    return PPreImage(inner, 1 + value.size + below.size)


EMPTY_STACK = PPreImage(keccak256(b"\x00"), 1)


# ---------------------------------------------------------------------------------------------------
# decoded structures


@dataclass
class ProofField:
    """One row of the proof layout: where a field sits and what it holds."""

    name: str
    offset: int
    length: int
    value: object          # int, bytes or PValue
    in_full: bool = True   # False when the field carries only a hash / pre-image / root
    depth: int = 0         # nesting level (0 = top-level field)
    note: str = ""


@dataclass
class DecodedProof:
    raw: bytes
    opcode: int
    stack_count: int
    aux_count: int
    stack_values: list[PValue]     # file order: deepest first; the immediate (if any) is last
    aux_values: list[PValue]       # deepest first
    next_hash: bytes
    data_below: PPreImage
    aux_below: PPreImage
    register: PValue
    static: PValue
    gas: int
    err_handler: bytes
    immediate_flag: int
    extra: bytes
    extra_offset: int
    fields: list[ProofField] = field(default_factory=list)

    @property
    def has_immediate(self) -> bool:
        return self.immediate_flag == 1

    @property
    def immediate(self) -> PValue | None:
        return self.stack_values[-1] if self.immediate_flag == 1 and self.stack_values else None


@dataclass
class BufferProofSections:
    raw: bytes
    header: bytes
    bounds: tuple[int, int, int, int, int]
    proof1: list[bytes]
    nproof1: list[bytes]
    proof2: list[bytes]
    nproof2: list[bytes]
    fields: list[ProofField] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------
# Proof parser


class _Reader:
    def __init__(self, data: bytes, what: str) -> None:
        self.data = data
        self.pos = 0
        self.what = what

    def take(self, n: int, name: str) -> bytes:
        end = self.pos + n
        if end > len(self.data):
            raise ProofDecodeError(
                f"{self.what} truncated: {name} needs {n} bytes at offset {self.pos}, "
                f"only {len(self.data) - self.pos} left")
        chunk = self.data[self.pos:end]
        self.pos = end
        return chunk

    def byte(self, name: str) -> int:
        return self.take(1, name)[0]


def parse_value(reader: _Reader, name: str, fields: list[ProofField] | None = None,
                depth: int = 0) -> PValue:
    """Parse one proof-format value at the reader's position (iteratively; any nesting depth)."""
    # frames: [kind, field_index, start, remaining_slots, children, op, name]
    frames: list[list] = []
    cur_name = name
    while True:
        start = reader.pos
        tag = reader.byte(f"the type tag of {cur_name}")
        level = depth + len(frames)
        value: PValue | None = None
        if tag == INT:
            value = PInt(int.from_bytes(reader.take(32, f"integer {cur_name}"), "big"))
        elif tag == PREIMAGE:
            inner = reader.take(32, f"pre-image {cur_name}")
            size = int.from_bytes(reader.take(32, f"size of pre-image {cur_name}"), "big")
            value = PPreImage(inner, size)
        elif tag == BUFFER:
            value = PBuffer(reader.take(32, f"buffer root {cur_name}"))
        elif TUPLE <= tag < BUFFER:
            n = tag - TUPLE
            if n == 0:
                value = PTuple(())
            else:
                idx = _reserve(fields, cur_name, start, level)
                frames.append(["tuple", idx, start, n, [], 0, cur_name])
                cur_name = _child_name(cur_name, "[0]", len(frames))
                continue
        elif tag == CODEPOINT:
            flag = reader.byte(f"immediate flag of codepoint {cur_name}")
            op = reader.byte(f"opcode of codepoint {cur_name}")
            if flag not in (0, 1):
                raise ProofDecodeError(
                    f"bad immediate flag {flag} in codepoint {cur_name} at offset {start + 1} (0 or 1)")
            if flag == 1:
                idx = _reserve(fields, cur_name, start, level)
                frames.append(["cp", idx, start, 1, [], op, cur_name])
                cur_name = _child_name(cur_name, ".imm", len(frames))
                continue
            value = PCodePoint(op, None, reader.take(32, f"next hash of codepoint {cur_name}"))
        else:
            raise ProofDecodeError(
                f"bad value tag {tag} for {cur_name} at offset {start} (valid: 0 int, 1 codepoint, "
                f"2 tuple pre-image, 3..11 tuple of 0..{MAX_TUPLE} slots, 12 buffer)")
        if fields is not None:
            fields.append(_value_field(cur_name, start, reader.pos - start, value, level))
        # complete as many enclosing frames as this value finishes
        while True:
            if not frames:
                return value
            frame = frames[-1]
            frame[4].append(value)
            if frame[0] == "cp":
                nxt = reader.take(32, f"next hash of codepoint {frame[6]}")
                frames.pop()
                value = PCodePoint(frame[5], frame[4][0], nxt)
            elif len(frame[4]) == frame[3]:
                frames.pop()
                value = PTuple(tuple(frame[4]))
            else:
                cur_name = _child_name(frame[6], f"[{len(frame[4])}]", len(frames))
                break
            if fields is not None:
                fields[frame[1]] = _value_field(frame[6], frame[2], reader.pos - frame[2], value,
                                                depth + len(frames))


def _child_name(parent: str, suffix: str, level: int) -> str:
    """Path names for the first levels; deeper ones are named by level (names stay short)."""
    if level <= 6:
        return parent + suffix
    root = parent.split("[", 1)[0].split(".", 1)[0].split("<", 1)[0]
    return f"{root}<level {level}>{suffix}"


def _reserve(fields: list[ProofField] | None, name: str, start: int, level: int) -> int:
    if fields is None:
        return -1
    fields.append(ProofField(name, start, 0, None, True, level))
    return len(fields) - 1


def _value_field(name: str, start: int, length: int, value: PValue, level: int) -> ProofField:
    kind = {INT: "int", CODEPOINT: "codepoint", PREIMAGE: "tuple pre-image", TUPLE: "tuple",
            BUFFER: "buffer root", HASH_ONLY: "hash"}[value.kind]
    return ProofField(name, start, length, value, value.in_full, level, kind)


def decode_proof(data: bytes) -> DecodedProof:
    """Parse ``Proof`` bytes. Raises :class:`ProofDecodeError` on anything malformed."""
    r = _Reader(bytes(data), "proof")
    fields: list[ProofField] = []

    def fixed(name: str, n: int, note: str = "", in_full: bool = True) -> bytes:
        start = r.pos
        chunk = r.take(n, name)
        value: object = chunk[0] if n == 1 else chunk
        fields.append(ProofField(name, start, n, value, in_full, 0, note))
        return chunk

    opcode = fixed("opcode", 1)[0]
    stack_count = fixed("stackCount", 1, "data values that follow, the immediate included")[0]
    aux_count = fixed("auxCount", 1, "aux values that follow")[0]
    stack_values = [parse_value(r, f"stack[{i}]", fields) for i in range(stack_count)]
    aux_values = [parse_value(r, f"aux[{i}]", fields) for i in range(aux_count)]
    next_hash = fixed("nextHash", 32, "hash of the following codepoint", in_full=False)
    data_below = _preimage(r, fields, "dataStackBelow", "data stack below the popped values")
    aux_below = _preimage(r, fields, "auxStackBelow", "aux stack below the popped values")
    register = parse_value(r, "register", fields)
    static = parse_value(r, "static", fields)
    gas = int.from_bytes(fixed("gasRemaining", 32, "AVM gas before the step"), "big")
    err_handler = fixed("errHandlerHash", 32, "error handler codepoint hash", in_full=False)
    flag_offset = r.pos
    flag = fixed("immediateFlag", 1, "1 if the last stack value is the immediate")[0]
    if flag not in (0, 1):
        raise ProofDecodeError(f"bad immediate flag {flag} at offset {flag_offset} (0 or 1)")
    if flag == 1 and stack_count == 0:
        raise ProofDecodeError("immediate flag is 1 but the proof carries no stack value for it")
    extra_offset = r.pos
    extra = bytes(r.data[r.pos:])
    if extra:
        if opcode not in (Op.SEND, Op.INBOX):
            raise ProofDecodeError(
                f"{len(extra)} trailing bytes after the immediate flag (offset {extra_offset}); "
                f"only send and inbox carry extra data")
        note = "send payload" if opcode == Op.SEND else "inbox message proof"
        fields.append(ProofField("extraData", extra_offset, len(extra), extra, True, 0, note))
    return DecodedProof(bytes(data), opcode, stack_count, aux_count, stack_values, aux_values, next_hash,
                        data_below, aux_below, register, static, gas, err_handler, flag, extra,
                        extra_offset, fields)


def _preimage(r: _Reader, fields: list[ProofField], name: str, note: str) -> PPreImage:
    start = r.pos
    inner = r.take(32, f"{name} inner hash")
    size = int.from_bytes(r.take(32, f"{name} size"), "big")
    value = PPreImage(inner, size)
    fields.append(ProofField(name, start, 64, value, False, 0, note + " (inner hash, size)"))
    return value


# ---------------------------------------------------------------------------------------------------
# BufferProof parser

SECTION_NAMES = ("proof1", "nproof1", "proof2", "nproof2")


def decode_buffer_proof(data: bytes) -> BufferProofSections | None:
    """Parse ``BufferProof`` bytes (``None`` when empty). Raises :class:`ProofDecodeError` if malformed.

    Stricter than the L1 contract: the header's first index must be 1, the sections must be in order,
    the header padding must be zero and no bytes may follow the last section.
    """
    data = bytes(data)
    if not data:
        return None
    if len(data) % 32:
        raise ProofDecodeError(f"buffer proof is {len(data)} bytes, not a whole number of 32-byte words")
    header = data[:32]
    b = (header[0], header[1], header[2], header[3], header[4])
    if b[0] != 1:
        raise ProofDecodeError(f"buffer proof header starts with {b[0]}, expected 1")
    if any(b[i] > b[i + 1] for i in range(4)):
        raise ProofDecodeError(f"buffer proof header indices {list(b)} are not in order")
    if any(header[5:]):
        raise ProofDecodeError("buffer proof header padding (bytes 5..31) is not zero")
    words = len(data) // 32
    if b[4] != words:
        raise ProofDecodeError(
            f"buffer proof header says {b[4]} words, the proof has {words}")
    fields = [ProofField("header", 0, 32, header, True, 0,
                         "word indices of the sections: " + " ".join(str(x) for x in b))]
    sections: list[list[bytes]] = []
    for i, name in enumerate(SECTION_NAMES):
        sec = [data[32 * w:32 * w + 32] for w in range(b[i], b[i + 1])]
        sections.append(sec)
        merkle = i in (0, 2)
        for j, word in enumerate(sec):
            fields.append(ProofField(f"{name}[{j}]", 32 * (b[i] + j), 32, word, merkle and j == 0, 0,
                                     _section_note(merkle, j)))
    proof1, nproof1, proof2, nproof2 = sections
    return BufferProofSections(data, header, b, proof1, nproof1, proof2, nproof2, fields=fields)


def _section_note(merkle: bool, j: int) -> str:
    if merkle:
        return "the chunk itself (raw bytes)" if j == 0 else f"sibling hash at level {j - 1}"
    notes = ("depth of the buffer after the write", "left subtree hash (the leaf hash at depth 0)",
             "right subtree hash (zero at depth 0)")
    return notes[j] if j < len(notes) else "unexpected extra word"


def decode_value(data: bytes, name: str = "value") -> PValue:
    """Parse exactly one proof-format value; trailing bytes are an error."""
    r = _Reader(bytes(data), name)
    value = parse_value(r, name)
    if r.pos != len(r.data):
        raise ProofDecodeError(f"{len(r.data) - r.pos} trailing bytes after {name} (offset {r.pos})")
    return value
