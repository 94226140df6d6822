"""Independent one-step proof verifier: what the L1 ``OneStepProof*`` contracts check, in Python.

From the ``Proof`` and ``BufferProof`` bytes and the before-state accumulators only, it rebuilds the
before machine hash, runs the one instruction on the partial state the proof reveals, and computes the
after machine hash, the gas charged, the messages read and the send/log accumulators. It never sees a
``Program`` or a ``Machine``: it uses its own value model (``avm.proofs.decode``), its own opcode table
(pop counts and gas as the contracts have them) and only pure helpers (keccak, ``avm.core.arith``).

Where the contracts ignore bytes, this verifier is *stricter*, so that a proof with any byte changed is
rejected (every rule below holds for what the reference emulator emits):

* no trailing bytes after the ``Proof`` fields (except a send payload or an inbox proof), and a
  ``BufferProof`` only for buffer opcodes and ``send``, laid out exactly as the reference emits it
  (sections present or absent by opcode, header padding zero);
* every Merkle section is checked against its root even where the contract does not read it (the
  second proof of an unaligned-free ``getbuffer64/256``, the sections of an instruction that errors);
* normalization proofs are checked against the new root and depth even when the write does not shrink
  the buffer, and the "right subtree is not zero" test uses the right depth (the contract's has no
  effect, see ``OneStepProof2.set``).

``inbox``: an L1 inbox message is read from ``incrementInbox``'s layout (``avm.core.l1_inbox``): the
sequence-number checks are made here, the batch accumulator is the L1 contracts' to check (the oracle
tests run them). A raw-value message uses avm-debug's own convention: the ``Proof`` is followed by that
message in proof format (nothing when it runs out of gas) and the inbox accumulator becomes
H(acc || hash(message)), the rule of ``avm.core.inbox``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from avm.core import arith
from avm.core.keccak import EMPTY_TUPLE_HASH, ERRCP, ZERO32, ZERO_HASHES, be32, keccak256
from avm.core.l1_inbox import InboxProofTail, bytes_buffer_hash, parse_proof_tail
from avm.core.opcodes import Op
from avm.errors import UserError
from avm.proofs.decode import (
    BUFFER,
    CODEPOINT,
    INT,
    TUPLE,
    BufferProofSections,
    DecodedProof,
    PBuffer,
    PCodePoint,
    PHashOnly,
    PInt,
    PTuple,
    PValue,
    decode_buffer_proof,
    decode_proof,
    decode_value,
    stack_push,
)
from avm.proofs.proof_file import ProofEntry

MAX_UINT = (1 << 256) - 1
MASK64 = (1 << 64) - 1
ERROR_GAS = 5
SEND_SIZE_LIMIT = 10_000
EC_PAIRING_BASE_GAS = 1000
EC_PAIRING_POINT_GAS = 500_000
EC_PAIRING_MAX = 30

EXTENSIVE, ERRORSTOP, HALTED = 0, 1, 2
_STATUS_NAMES = {EXTENSIVE: "extensive", ERRORSTOP: "errorstop", HALTED: "halted"}


class ProofRejected(Exception):
    """The proof is invalid (the L1 contract would revert, or a strict check failed)."""


# ---------------------------------------------------------------------------------------------------
# results


@dataclass
class StepOutcome:
    """What one verified step does (the values the L1 ``executeStep`` returns, plus detail)."""

    opcode: int
    before_hash: bytes
    after_hash: bytes
    gas: int                 # gas charged by the step (== after.gasUsed - before.gasUsed)
    messages_read: int       # total messages read after the step
    send_acc: bytes
    log_acc: bytes
    inbox_acc: bytes | None  # None: not known from the proof alone (an L1 delayed message)
    sends: int               # 0 or 1
    logs: int                # 0 or 1
    status: str              # "extensive", "halted" or "errorstop"
    error: bool              # the instruction raised an AVM error
    note: str = ""           # e.g. "data stack underflow", "out of gas"


@dataclass
class VerifyResult:
    ok: bool
    reason: str = ""                       # empty when ok; else what differs (expected vs got)
    outcome: StepOutcome | None = None
    mismatches: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------
# the partial machine and the execution context


class _Machine:
    __slots__ = ("cp_hash", "data", "aux", "register", "static", "gas", "handler", "status")

    def __init__(self, d: DecodedProof) -> None:
        self.cp_hash = d.next_hash
        self.data = d.data_below
        self.aux = d.aux_below
        self.register = d.register
        self.static = d.static
        self.gas = d.gas
        self.handler = d.err_handler
        self.status = EXTENSIVE

    def copy(self) -> _Machine:
        m = object.__new__(_Machine)
        for name in _Machine.__slots__:
            setattr(m, name, getattr(self, name))
        return m

    def hash(self) -> bytes:
        if self.status == HALTED:
            return ZERO32
        if self.status == ERRORSTOP:
            return be32(1)
        return keccak256(self.cp_hash + self.data.hash + self.aux.hash + self.register.hash
                         + self.static.hash + be32(self.gas) + self.handler)


class _Ctx:
    def __init__(self, d: DecodedProof, bproof: BufferProofSections | None, send_acc: bytes,
                 log_acc: bytes, messages_read: int, inbox_acc: bytes) -> None:
        self.d = d
        self.opcode = d.opcode
        self.bproof = bproof
        self.start = _Machine(d)
        self.after = self.start.copy()
        self.stack: list[PValue] = list(d.stack_values)
        self.auxstack: list[PValue] = list(d.aux_values)
        self.had_imm = d.immediate_flag == 1
        self.gas = 0
        self.error = False
        self.note = ""
        self.send_acc = send_acc
        self.log_acc = log_acc
        self.inbox_acc = inbox_acc
        self.messages_read = messages_read
        self.sends = 0
        self.logs = 0
        self.bproof_checked = False
        self.message: PValue | None = None

    # ---- helpers mirroring OneStepProofCommon
    def pop(self) -> PValue:
        return self.stack.pop()

    def push(self, v: PValue) -> None:
        self.stack.append(v)

    def fail(self, note: str) -> None:
        self.error = True
        if not self.note:
            self.note = note

    def deduct(self, amount: int) -> bool:
        """Charge gas; True when out of gas (then 5 is charged and remaining becomes MAX)."""
        if self.after.gas < amount:
            self.gas += ERROR_GAS
            self.after.gas = MAX_UINT
            return True
        self.gas += amount
        self.after.gas -= amount
        return False


def _is_int64(v: PValue) -> bool:
    return v.kind == INT and v.value < 1 << 64


def _ints(*vals: PValue) -> bool:
    return all(v.kind == INT for v in vals)


def _b(flag: bool) -> PInt:
    return PInt(1 if flag else 0)


# ---------------------------------------------------------------------------------------------------
# opcode implementations (the contracts' executeXxxInsn, on the proof's values)

_BINARY: dict[int, Callable[[int, int], int]] = {
    Op.ADD: lambda a, b: (a + b) & MAX_UINT,
    Op.MUL: lambda a, b: (a * b) & MAX_UINT,
    Op.SUB: lambda a, b: (a - b) & MAX_UINT,
    Op.EXP: arith.exp,
    Op.SIGNEXTEND: arith.signextend,
    Op.LT: lambda a, b: int(a < b),
    Op.GT: lambda a, b: int(a > b),
    Op.SLT: arith.slt,
    Op.SGT: arith.sgt,
    Op.AND: lambda a, b: a & b,
    Op.OR: lambda a, b: a | b,
    Op.XOR: lambda a, b: a ^ b,
    Op.BYTE: arith.byte_of,
    Op.SHL: arith.shl,
    Op.SHR: arith.shr,
    Op.SAR: arith.sar,
    Op.ETHHASH2: arith.ethhash2,
}

_DIVLIKE: dict[int, Callable[[int, int], int]] = {
    Op.DIV: lambda a, b: a // b,
    Op.SDIV: arith.sdiv,
    Op.MOD: lambda a, b: a % b,
    Op.SMOD: arith.smod,
}


def _op_binary(c: _Ctx) -> None:
    a, b = c.pop(), c.pop()
    if not _ints(a, b):
        return c.fail("operand is not an integer")
    c.push(PInt(_BINARY[c.opcode](a.value, b.value)))


def _op_divlike(c: _Ctx) -> None:
    a, b = c.pop(), c.pop()
    if not _ints(a, b) or b.value == 0:
        return c.fail("operand is not an integer, or division by zero")
    c.push(PInt(_DIVLIKE[c.opcode](a.value, b.value)))


def _op_modop(c: _Ctx) -> None:
    a, b, m = c.pop(), c.pop(), c.pop()
    if not _ints(a, b, m) or m.value == 0:
        return c.fail("operand is not an integer, or modulus zero")
    x, y, n = a.value, b.value, m.value
    c.push(PInt((x + y) % n if c.opcode == Op.ADDMOD else (x * y) % n))


def _op_eq(c: _Ctx) -> None:
    a, b = c.pop(), c.pop()
    c.push(_b(a.hash == b.hash))


def _op_iszero(c: _Ctx) -> None:
    a = c.pop()
    if a.kind != INT:
        return c.fail("operand is not an integer")
    c.push(_b(a.value == 0))


def _op_not(c: _Ctx) -> None:
    a = c.pop()
    if a.kind != INT:
        return c.fail("operand is not an integer")
    c.push(PInt(MAX_UINT ^ a.value))


def _op_hash(c: _Ctx) -> None:
    c.push(PInt(int.from_bytes(c.pop().hash, "big")))


def _op_type(c: _Ctx) -> None:
    c.push(PInt(c.pop().type_code()))


def _op_keccakf(c: _Ctx) -> None:
    t = c.pop()
    if t.kind != TUPLE or len(t.items) != 7 or not _ints(*t.items):
        return c.fail("keccakf needs a 7-tuple of integers")
    out = arith.keccakf([v.value for v in t.items])
    c.push(PTuple(tuple(PInt(x) for x in out)))


def _op_sha256f(c: _Ctx) -> None:
    a, b, d = c.pop(), c.pop(), c.pop()
    if not _ints(a, b, d):
        return c.fail("operand is not an integer")
    c.push(PInt(arith.sha256f(a.value, b.value, d.value)))


def _op_pop(c: _Ctx) -> None:
    c.pop()


def _op_spush(c: _Ctx) -> None:
    c.push(c.after.static)


def _op_rpush(c: _Ctx) -> None:
    c.push(c.after.register)


def _op_rset(c: _Ctx) -> None:
    c.after.register = c.pop()


def _op_jump(c: _Ctx) -> None:
    v = c.pop()
    if v.kind != CODEPOINT:
        return c.fail("jump target is not a codepoint")
    c.after.cp_hash = v.hash


def _op_cjump(c: _Ctx) -> None:
    target, cond = c.pop(), c.pop()
    if target.kind != CODEPOINT or cond.kind != INT:
        return c.fail("cjump needs a codepoint and an integer")
    if cond.value != 0:
        c.after.cp_hash = target.hash


def _op_stackempty(c: _Ctx) -> None:
    c.push(_b(not c.stack and c.after.data.hash == EMPTY_TUPLE_HASH))


def _op_pcpush(c: _Ctx) -> None:
    c.push(PHashOnly(c.start.cp_hash))


def _op_auxpush(c: _Ctx) -> None:
    c.auxstack.append(c.pop())


def _op_auxpop(c: _Ctx) -> None:
    c.push(c.auxstack.pop())


def _op_auxstackempty(c: _Ctx) -> None:
    c.push(_b(not c.auxstack and c.after.aux.hash == EMPTY_TUPLE_HASH))


def _op_nop(c: _Ctx) -> None:
    return None


def _op_errpush(c: _Ctx) -> None:
    c.push(PHashOnly(c.after.handler))


def _op_errset(c: _Ctx) -> None:
    v = c.pop()
    if v.kind != CODEPOINT:
        return c.fail("errset operand is not a codepoint")
    c.after.handler = v.hash


def _op_dup0(c: _Ctx) -> None:
    v = c.pop()
    c.push(v)
    c.push(v)


def _op_dup1(c: _Ctx) -> None:
    a, b = c.pop(), c.pop()
    c.stack += [b, a, b]


def _op_dup2(c: _Ctx) -> None:
    a, b, d = c.pop(), c.pop(), c.pop()
    c.stack += [d, b, a, d]


def _op_swap1(c: _Ctx) -> None:
    a, b = c.pop(), c.pop()
    c.stack += [a, b]


def _op_swap2(c: _Ctx) -> None:
    a, b, d = c.pop(), c.pop(), c.pop()
    c.stack += [a, b, d]


def _bad_index(i: PValue, t: PValue) -> bool:
    return i.kind != INT or t.kind != TUPLE or i.value >= len(t.items)


def _op_tget(c: _Ctx) -> None:
    i, t = c.pop(), c.pop()
    if _bad_index(i, t):
        return c.fail("tget: bad index or not a tuple")
    c.push(t.items[i.value])


def _op_tset(c: _Ctx) -> None:
    i, t, v = c.pop(), c.pop(), c.pop()
    if _bad_index(i, t):
        return c.fail("tset: bad index or not a tuple")
    items = list(t.items)
    items[i.value] = v
    c.push(PTuple(tuple(items)))


def _op_tlen(c: _Ctx) -> None:
    t = c.pop()
    if t.kind != TUPLE:
        return c.fail("tlen operand is not a tuple")
    c.push(PInt(len(t.items)))


def _op_xget(c: _Ctx) -> None:
    i, t = c.pop(), c.auxstack.pop()
    if _bad_index(i, t):
        return c.fail("xget: bad index or aux top not a tuple")
    c.auxstack.append(t)
    c.push(t.items[i.value])


def _op_xset(c: _Ctx) -> None:
    i, v, t = c.pop(), c.pop(), c.auxstack.pop()
    if _bad_index(i, t):
        return c.fail("xset: bad index or aux top not a tuple")
    items = list(t.items)
    items[i.value] = v
    c.auxstack.append(PTuple(tuple(items)))


def _op_log(c: _Ctx) -> None:
    c.log_acc = keccak256(c.log_acc + c.pop().hash)
    c.logs += 1


def _op_inbox(c: _Ctx) -> None:
    tail = parse_proof_tail(c.d.extra) if c.d.extra else None
    if tail is not None:
        return _op_inbox_l1(c, tail)
    msg = c.message = _parse_message(c.d.extra)
    c.inbox_acc = keccak256(c.inbox_acc + msg.hash)
    c.messages_read += 1
    c.push(msg)


def _op_inbox_l1(c: _Ctx, tail: InboxProofTail) -> None:
    """An L1 inbox message (``incrementInbox``): the sequence number checks the contract makes; the
    batch accumulator check needs the L1 inbox contracts and is left to them."""
    m = tail.message
    item = tail.delayed_item
    if item is None and m.seq_num != c.messages_read:
        raise ProofRejected(f"WRONG_SEQUENCER_MSG_SEQ_NUM: message {m.seq_num}, {c.messages_read} read")
    if item is not None:
        if not item.start <= m.seq_num < item.end:
            raise ProofRejected(f"DELAYED_START/END: delayed message {m.seq_num} not in "
                                f"[{item.start}, {item.end})")
        if m.seq_num - item.start + item.first_seq_num != c.messages_read:
            raise ProofRejected("WRONG_DELAYED_MSG_SEQ_NUM")
    acc = tail.acc_after_item()
    if acc is None:
        c.note = "the inbox accumulator after a delayed message needs the delayed inbox (not checked)"
    c.inbox_acc = acc  # type: ignore[assignment]
    fields = (m.kind, m.block, m.timestamp, m.sender, m.read_seq_num(), m.gas_price, len(m.data))
    msg = c.message = PTuple(tuple(PInt(x) for x in fields) + (PHashOnly(bytes_buffer_hash(m.data)),))
    c.messages_read += 1
    c.push(msg)


def _parse_message(extra: bytes) -> PValue:
    """avm-debug's inbox proof: the message, in proof format, right after the immediate flag."""
    if not extra:
        raise ProofRejected("inbox proof missing: the message must follow the immediate flag")
    try:
        return decode_value(extra, "inbox message")
    except UserError as exc:
        raise ProofRejected(f"inbox message does not parse: {exc}") from None


def _op_error(c: _Ctx) -> None:
    c.fail("error opcode" if c.opcode == Op.ERROR else f"invalid opcode 0x{c.opcode:02x}")


def _op_halt(c: _Ctx) -> None:
    c.after.status = HALTED


def _op_setgas(c: _Ctx) -> None:
    v = c.pop()
    if v.kind != INT:
        return c.fail("setgas operand is not an integer")
    c.after.gas = v.value


def _op_pushgas(c: _Ctx) -> None:
    c.push(PInt(c.after.gas))


def _op_errcodepoint(c: _Ctx) -> None:
    c.push(PHashOnly(ERRCP))


def _op_pushinsn(c: _Ctx) -> None:
    op, cp = c.pop(), c.pop()
    if op.kind != INT or cp.kind != CODEPOINT:
        return c.fail("pushinsn needs an integer and a codepoint")
    c.push(PCodePoint(op.value & 0xFF, None, cp.hash))


def _op_pushinsnimm(c: _Ctx) -> None:
    op, imm, cp = c.pop(), c.pop(), c.pop()
    if op.kind != INT or cp.kind != CODEPOINT:
        return c.fail("pushinsnimm needs an integer and a codepoint")
    c.push(PCodePoint(op.value & 0xFF, imm, cp.hash))


def _op_sideload(c: _Ctx) -> None:
    v = c.pop()
    if v.kind != INT:
        return c.fail("sideload operand is not an integer")
    c.push(PTuple(()))


def _op_ecrecover(c: _Ctx) -> None:
    r, s, v, h = c.pop(), c.pop(), c.pop(), c.pop()
    if not _ints(r, s, v, h):
        return c.fail("operand is not an integer")
    rid = v.value
    if rid not in (0, 1):
        c.push(PInt(0))
        return None
    c.push(PInt(arith.ecrecover(r.value, s.value, rid, h.value)))


def _op_ecadd(c: _Ctx) -> None:
    a, b, d, e = c.pop(), c.pop(), c.pop(), c.pop()
    if not _ints(a, b, d, e):
        return c.fail("operand is not an integer")
    res = arith.ecadd(a.value, b.value, d.value, e.value)
    if res is None:
        return c.fail("invalid curve point")
    c.push(PInt(res[1]))
    c.push(PInt(res[0]))


def _op_ecmul(c: _Ctx) -> None:
    a, b, k = c.pop(), c.pop(), c.pop()
    if not _ints(a, b, k):
        return c.fail("operand is not an integer")
    res = arith.ecmul(a.value, b.value, k.value)
    if res is None:
        return c.fail("invalid curve point")
    c.push(PInt(res[1]))
    c.push(PInt(res[0]))


def _op_ecpairing(c: _Ctx) -> None:
    val = c.pop()
    items: list[PValue] = []
    post_gas_error = False
    for _ in range(EC_PAIRING_MAX):
        if val.kind != TUPLE:
            post_gas_error = True
            break
        slots = val.items
        if not slots:
            break
        if len(slots) != 2:
            post_gas_error = True
            break
        items.append(slots[0])
        val = slots[1]
    if c.deduct(EC_PAIRING_POINT_GAS * len(items)):
        # the contract charges only error + gas-set: back out the base cost already charged
        c.gas -= EC_PAIRING_BASE_GAS
        return c.fail("out of gas")
    if post_gas_error or val.kind != TUPLE or val.items:
        return c.fail("ecpairing operand is not a list of at most 30 items")
    pairs = []
    for item in items:
        if item.kind != TUPLE or len(item.items) != 6 or not _ints(*item.items):
            return c.fail("ecpairing item is not a 6-tuple of integers")
        pairs.append(tuple(v.value for v in item.items))
    res = arith.ecpairing(pairs)  # type: ignore[arg-type]
    if res is None:
        return c.fail("invalid curve point")
    c.push(_b(res != 0))


def _op_newbuffer(c: _Ctx) -> None:
    c.push(PBuffer(ZERO_HASHES[0]))


# ---------------------------------------------------------------------------------------------------
# buffers (OneStepProof2): Merkle proofs over 32-byte chunks


MAX_PROOF_WORDS = 65   # a leaf and up to 64 siblings


def _check_length(proof: list[bytes], what: str) -> None:
    if not proof:
        raise ProofRejected(f"{what}: empty Merkle proof")
    if len(proof) > MAX_PROOF_WORDS:
        raise ProofRejected(f"{what}: Merkle proof of {len(proof)} words (at most {MAX_PROOF_WORDS})")


def _mp_get(root: bytes, loc: int, proof: list[bytes], what: str) -> bytes:
    """The chunk ``loc`` of the buffer with Merkle root ``root`` (zeros outside the tree)."""
    _check_length(proof, what)
    acc = keccak256(proof[0])
    for word in proof[1:]:
        acc = keccak256(word + acc) if loc & 1 else keccak256(acc + word)
        loc >>= 1
    if acc != root:
        raise ProofRejected(f"{what}: Merkle proof does not match the buffer root "
                            f"(root 0x{root.hex()[:16]}.., proof gives 0x{acc.hex()[:16]}..)")
    return ZERO32 if loc > 0 else proof[0]


def _mp_check_size(root: bytes, loc: int, proof: list[bytes], what: str) -> bool:
    """The contract's ``checkSize``: True when everything after chunk ``loc`` is zero."""
    _check_length(proof, what)
    acc = keccak256(proof[0])
    check = True
    for i, word in enumerate(proof[1:], start=1):
        if loc & 1:
            acc = keccak256(word + acc)
        else:
            acc = keccak256(acc + word)
            check = check and word == ZERO_HASHES[i - 1]
        loc >>= 1
    if acc != root:
        raise ProofRejected(f"{what}: Merkle proof does not match the buffer root")
    return True if loc > 0 else check


def _check_normalization(nproof: list[bytes], root: bytes, depth: int, what: str) -> None:
    """Strict: the normalization proof must describe the new buffer exactly (as the reference emits)."""
    if int.from_bytes(nproof[0], "big") != depth:
        raise ProofRejected(f"{what}: normalization proof gives depth {int.from_bytes(nproof[0], 'big')}, "
                            f"the new buffer has depth {depth}")
    if depth == 0:
        if nproof[1] != root or nproof[2] != ZERO32:
            raise ProofRejected(f"{what}: normalization proof does not match the new leaf")
    elif keccak256(nproof[1] + nproof[2]) != root or nproof[2] == ZERO_HASHES[depth - 1]:
        raise ProofRejected(f"{what}: normalization proof does not match the new buffer root")


def _mp_set(root: bytes, loc: int, word: bytes, proof: list[bytes], nproof: list[bytes], what: str) -> bytes:
    """The contract's ``set``: the new root after writing chunk ``loc`` := ``word``."""
    if len(nproof) != 3:
        raise ProofRejected(f"{what}: BAD_NORMALIZATION_PROOF (needs 3 words, has {len(nproof)})")
    _mp_get(root, loc, proof, what)
    depth = len(proof) - 1
    acc = keccak256(word)
    if loc >= 1 << depth:  # outside the tree: extend it (a zero write changes nothing)
        if word == ZERO32:
            _check_normalization(nproof, root, depth, what)
            return root
        height = loc.bit_length() + 1
        left = root
        for i in range(len(proof), height - 1):
            left = keccak256(left + ZERO_HASHES[i - 1])
        for i in range(1, height - 1):
            acc = keccak256(ZERO_HASHES[i - 1] + acc) if loc & 1 else keccak256(acc + ZERO_HASHES[i - 1])
            loc >>= 1
        new = keccak256(left + acc)
        _check_normalization(nproof, new, height - 1, what)
        return new
    for sibling in proof[1:]:
        acc = keccak256(sibling + acc) if loc & 1 else keccak256(acc + sibling)
        loc >>= 1
    if word != ZERO32:
        _check_normalization(nproof, acc, depth, what)
        return acc
    # a zero write may shrink the tree: the normalization proof gives the new (smaller) tree
    nh = int.from_bytes(nproof[0], "big")
    if nh > depth:
        raise ProofRejected(f"{what}: normalization depth {nh} is above the tree depth {depth}")
    if nh == 0:
        res = nproof[1]
    else:
        if nproof[2] == ZERO_HASHES[nh]:
            raise ProofRejected(f"{what}: right subtree cannot be zero")
        res = keccak256(nproof[1] + nproof[2])
    acc2 = res
    for i in range(nh, depth):
        acc2 = keccak256(acc2 + ZERO_HASHES[i])
    if acc2 != acc:
        raise ProofRejected(f"{what}: normalization proof does not match (expected match)")
    _check_normalization(nproof, res, nh, what)
    return res


def _sections(c: _Ctx, expect: tuple[bool, bool, bool, bool]) -> BufferProofSections:
    """The BufferProof, with exactly the sections the reference emits (``expect``) present."""
    bp = c.bproof
    c.bproof_checked = True
    if bp is None:
        raise ProofRejected("buffer proof missing")
    present = tuple(bool(s) for s in (bp.proof1, bp.nproof1, bp.proof2, bp.nproof2))
    if present != expect:
        names = ("proof1", "nproof1", "proof2", "nproof2")
        want = [n for n, e in zip(names, expect, strict=True) if e] or ["none"]
        got = [n for n, p in zip(names, present, strict=True) if p] or ["none"]
        raise ProofRejected(f"buffer proof sections: expected {'+'.join(want)}, got {'+'.join(got)}")
    return bp


def _header_only(c: _Ctx) -> None:
    _sections(c, (False, False, False, False))


def _buffer_operands(c: _Ctx, setter: bool) -> tuple[PValue, PValue, PValue | None]:
    offset = c.pop()
    value = c.pop() if setter else None
    buf = c.pop()
    return offset, buf, value


_GET_WIDTH: dict[int, int] = {Op.GETBUFFER8: 1, Op.GETBUFFER64: 8, Op.GETBUFFER256: 32}
_SET_WIDTH: dict[int, int] = {Op.SETBUFFER8: 1, Op.SETBUFFER64: 8, Op.SETBUFFER256: 32}


def _op_getbuffer(c: _Ctx) -> None:
    width = _GET_WIDTH[c.opcode]
    offset, buf, _ = _buffer_operands(c, False)
    if buf.kind != BUFFER or offset.kind != INT or offset.value > MASK64:
        _header_only(c)
        return c.fail("getbuffer needs a buffer and an offset below 2**64")
    loc = offset.value
    root = buf.root
    bp = _sections(c, (True, False, width > 1, False))
    word1 = _mp_get(root, loc // 32, bp.proof1, "proof1")
    last = (loc + width - 1) & MASK64
    word2 = _mp_get(root, last // 32, bp.proof2, "proof2") if width > 1 else word1
    if loc >= (1 << 64) - (width - 1):
        return c.fail("getbuffer offset out of range")
    start = loc % 32
    if start + width <= 32:
        data = word1[start:start + width]
    else:
        data = word1[start:] + word2[:start + width - 32]
    c.push(PInt(int.from_bytes(data, "big")))


def _op_setbuffer(c: _Ctx) -> None:
    width = _SET_WIDTH[c.opcode]
    offset, buf, value = _buffer_operands(c, True)
    assert value is not None
    if (buf.kind != BUFFER or offset.kind != INT or offset.value > MASK64
            or value.kind != INT):
        _header_only(c)
        return c.fail("setbuffer needs a buffer, an offset below 2**64 and an integer")
    loc = offset.value
    val = value.value
    data = (val & ((1 << (8 * width)) - 1)).to_bytes(width, "big")  # what the reference writes
    start = loc % 32
    aligned = start + width <= 32
    bp = _sections(c, (True, True, not aligned, not aligned))
    root = buf.root
    chunk1 = _mp_get(root, loc // 32, bp.proof1, "proof1")
    first = data[:32 - start]
    new_root = _mp_set(root, loc // 32, chunk1[:start] + first + chunk1[start + len(first):],
                       bp.proof1, bp.nproof1, "proof1")
    if not aligned:
        rest = data[len(first):]
        index2 = ((loc + width - 1) & MASK64) // 32
        chunk2 = _mp_get(new_root, index2, bp.proof2, "proof2")
        new_root = _mp_set(new_root, index2, rest + chunk2[len(rest):], bp.proof2, bp.nproof2, "proof2")
    limit_ok = loc < (1 << 64) - (width - 1)
    if not limit_ok or (width < 32 and val >= 1 << (8 * width)):
        return c.fail("setbuffer offset or value out of range")
    c.push(PBuffer(new_root))


def _bytes_root(data: bytes) -> bytes:
    """Merkle root of ``data`` as a buffer (the contract's ``merkleRoot`` with packing)."""
    length = 1
    while length < len(data):
        length *= 2

    def root(start: int, size: int) -> tuple[bytes, bool]:
        # iterative over levels would be longer; sizes are at most 16 KiB here (depth <= 9)
        if size <= 32:
            chunk = data[start:start + 32].ljust(32, b"\x00") if start < len(data) else ZERO32
            h = keccak256(chunk)
            return h, h == ZERO_HASHES[0]
        right, zero_right = root(start + size // 2, size // 2)
        left, zero_left = root(start, size // 2)
        return keccak256(left + right), zero_left and zero_right

    def packed(start: int, size: int) -> bytes:
        while size > 32:
            _, zero_right = root(start + size // 2, size // 2)
            if not zero_right:
                break
            size //= 2
        return root(start, size)[0]

    return packed(0, length)


def _op_send(c: _Ctx) -> None:
    size, buf = c.pop(), c.pop()
    extra = c.d.extra
    # what the reference attaches (strict): nothing, the payload, or a Merkle proof
    attach = buf.kind == BUFFER and size.kind == INT and (size.value & MASK64) <= SEND_SIZE_LIMIT
    if not attach:
        if extra or c.bproof is not None:
            raise ProofRejected("send: no payload or buffer proof expected for these operands")
        c.bproof_checked = True
        return c.fail("send needs a buffer and a size from 1 to 10000")
    loc = size.value & MASK64
    root = buf.root
    c.bproof_checked = True
    if c.bproof is not None:
        if extra:
            raise ProofRejected("send: both a payload and a buffer proof")
        bp = _sections(c, (True, False, False, False))
        # the buffer must be longer than the size: a non-zero byte at or after it
        word = _mp_get(root, loc // 32, bp.proof1, "proof1")
        fits = not any(word[loc % 32:]) and _mp_check_size(root, loc // 32, bp.proof1, "proof1")
        if fits:
            raise ProofRejected("BUF_LENGTH: the buffer proof shows the buffer fits in the size")
        return c.fail("send: buffer longer than the size")
    if len(extra) != loc:
        raise ProofRejected(f"send payload is {len(extra)} bytes, the size operand is {loc}")
    if keccak256(be32(123) + _bytes_root(extra)) != buf.hash:
        raise ProofRejected("WRONG_SEND: the payload is not the buffer's contents")
    if size.value == 0 or size.value > SEND_SIZE_LIMIT:
        return c.fail("send size must be from 1 to 10000")
    c.send_acc = keccak256(c.send_acc + keccak256(extra))
    c.sends += 1


# ---------------------------------------------------------------------------------------------------
# the opcode table of the contracts: (data pops, aux pops, gas, implementation)

_Impl = Callable[[_Ctx], None]
#: the verifier's own table, typed independently of avm.core.opcodes (a test checks they agree)
VERIFIER_OPS: dict[int, tuple[int, int, int, _Impl]] = {}
for _code in (Op.ADD, Op.MUL, Op.SUB):
    VERIFIER_OPS[_code] = (2, 0, 3, _op_binary)
VERIFIER_OPS.update({
    Op.DIV: (2, 0, 4, _op_divlike), Op.MOD: (2, 0, 4, _op_divlike),
    Op.SDIV: (2, 0, 7, _op_divlike), Op.SMOD: (2, 0, 7, _op_divlike),
    Op.ADDMOD: (3, 0, 4, _op_modop), Op.MULMOD: (3, 0, 4, _op_modop),
    Op.EXP: (2, 0, 25, _op_binary), Op.SIGNEXTEND: (2, 0, 7, _op_binary),
})
for _code in (Op.LT, Op.GT, Op.SLT, Op.SGT, Op.AND, Op.OR, Op.XOR):
    VERIFIER_OPS[_code] = (2, 0, 2, _op_binary)
for _code in (Op.BYTE, Op.SHL, Op.SHR, Op.SAR):
    VERIFIER_OPS[_code] = (2, 0, 4, _op_binary)
VERIFIER_OPS.update({
    Op.EQ: (2, 0, 2, _op_eq), Op.ISZERO: (1, 0, 1, _op_iszero), Op.NOT: (1, 0, 1, _op_not),
    Op.HASH: (1, 0, 7, _op_hash), Op.TYPE: (1, 0, 3, _op_type), Op.ETHHASH2: (2, 0, 8, _op_binary),
    Op.KECCAKF: (1, 0, 600, _op_keccakf), Op.SHA256F: (3, 0, 250, _op_sha256f), Op.POP: (1, 0, 1, _op_pop),
    Op.SPUSH: (0, 0, 1, _op_spush), Op.RPUSH: (0, 0, 1, _op_rpush), Op.RSET: (1, 0, 2, _op_rset),
    Op.JUMP: (1, 0, 4, _op_jump), Op.CJUMP: (2, 0, 4, _op_cjump), Op.STACKEMPTY: (0, 0, 2, _op_stackempty),
    Op.PCPUSH: (0, 0, 1, _op_pcpush), Op.AUXPUSH: (1, 0, 1, _op_auxpush), Op.AUXPOP: (0, 1, 1, _op_auxpop),
    Op.AUXSTACKEMPTY: (0, 0, 2, _op_auxstackempty), Op.NOP: (0, 0, 1, _op_nop),
    Op.ERRPUSH: (0, 0, 1, _op_errpush), Op.ERRSET: (1, 0, 1, _op_errset), Op.DUP0: (1, 0, 1, _op_dup0),
    Op.DUP1: (2, 0, 1, _op_dup1), Op.DUP2: (3, 0, 1, _op_dup2), Op.SWAP1: (2, 0, 1, _op_swap1),
    Op.SWAP2: (3, 0, 1, _op_swap2), Op.TGET: (2, 0, 2, _op_tget), Op.TSET: (3, 0, 40, _op_tset),
    Op.TLEN: (1, 0, 2, _op_tlen), Op.XGET: (1, 1, 3, _op_xget), Op.XSET: (2, 1, 41, _op_xset),
    Op.BREAKPOINT: (0, 0, 100, _op_nop), Op.LOG: (1, 0, 100, _op_log), Op.SEND: (2, 0, 100, _op_send),
    Op.INBOX: (0, 0, 40, _op_inbox), Op.ERROR: (0, 0, ERROR_GAS, _op_error), Op.HALT: (0, 0, 10, _op_halt),
    Op.SETGAS: (1, 0, 1, _op_setgas), Op.PUSHGAS: (0, 0, 1, _op_pushgas),
    Op.ERRCODEPOINT: (0, 0, 25, _op_errcodepoint), Op.PUSHINSN: (2, 0, 25, _op_pushinsn),
    Op.PUSHINSNIMM: (3, 0, 25, _op_pushinsnimm), Op.SIDELOAD: (1, 0, 10, _op_sideload),
    Op.ECRECOVER: (4, 0, 20000, _op_ecrecover), Op.ECADD: (4, 0, 3500, _op_ecadd),
    Op.ECMUL: (3, 0, 82000, _op_ecmul), Op.ECPAIRING: (1, 0, EC_PAIRING_BASE_GAS, _op_ecpairing),
    Op.DEBUGPRINT: (1, 0, 1, _op_pop), Op.NEWBUFFER: (0, 0, 1, _op_newbuffer),
    Op.GETBUFFER8: (2, 0, 10, _op_getbuffer), Op.GETBUFFER64: (2, 0, 10, _op_getbuffer),
    Op.GETBUFFER256: (2, 0, 10, _op_getbuffer), Op.SETBUFFER8: (3, 0, 100, _op_setbuffer),
    Op.SETBUFFER64: (3, 0, 100, _op_setbuffer), Op.SETBUFFER256: (3, 0, 100, _op_setbuffer),
})
del _code
_INVALID: tuple[int, int, int, _Impl] = (0, 0, ERROR_GAS, _op_error)
_BUFFER_OPS = frozenset((Op.SEND, Op.GETBUFFER8, Op.GETBUFFER64, Op.GETBUFFER256,
                         Op.SETBUFFER8, Op.SETBUFFER64, Op.SETBUFFER256))


# ---------------------------------------------------------------------------------------------------
# executeStep


def execute_step(proof: bytes, buffer_proof: bytes, send_acc: bytes, log_acc: bytes,
                 messages_read: int = 0, inbox_acc: bytes = ZERO32) -> StepOutcome:
    """Run one proof like the L1 ``executeStep``. Raises ProofRejected (or ProofDecodeError)."""
    d = decode_proof(proof)
    bp = decode_buffer_proof(buffer_proof)
    if bp is not None and d.opcode not in _BUFFER_OPS:
        raise ProofRejected(f"a buffer proof was given for opcode 0x{d.opcode:02x}, which takes none")
    c = _Ctx(d, bp, send_acc, log_acc, messages_read, inbox_acc)
    # the start machine: the current codepoint (with its immediate) and the popped values pushed back
    imm = d.stack_values[-1] if c.had_imm else None
    c.start.cp_hash = PCodePoint(d.opcode, imm, d.next_hash).hash
    data = d.data_below
    for v in d.stack_values[:d.stack_count - d.immediate_flag]:
        data = stack_push(data, v)
    aux = d.aux_below
    for v in d.aux_values:
        aux = stack_push(aux, v)
    c.start.data, c.start.aux = data, aux

    pops, aux_pops, cost, impl = VERIFIER_OPS.get(d.opcode, _INVALID)
    n = len(c.stack)
    if not (((pops > 0 or not c.had_imm) and n <= pops) or (c.had_imm and pops == 0 and n == 1)):
        raise ProofRejected(f"STACK_MANY: {n} data values supplied, opcode 0x{d.opcode:02x} pops {pops}")
    if len(c.auxstack) > aux_pops:
        raise ProofRejected(f"AUX_MANY: {len(c.auxstack)} aux values supplied, "
                            f"opcode 0x{d.opcode:02x} pops {aux_pops}")
    underflow = False
    if n < pops:
        if c.after.data.hash != EMPTY_TUPLE_HASH:
            raise ProofRejected(f"STACK_MISSING: {n} data values supplied for {pops} pops, "
                                f"but the stack below is not empty")
        underflow = True
        c.deduct(ERROR_GAS)
        c.fail("data stack underflow")
    elif len(c.auxstack) < aux_pops:
        if c.after.aux.hash != EMPTY_TUPLE_HASH:
            raise ProofRejected(f"AUX_MISSING: {len(c.auxstack)} aux values supplied for {aux_pops} "
                                f"pops, but the aux stack below is not empty")
        underflow = True
        c.deduct(ERROR_GAS)
        c.fail("aux stack underflow")
    elif c.deduct(cost):
        c.fail("out of gas")
    else:
        impl(c)
    if d.opcode in _BUFFER_OPS and not c.bproof_checked:
        # underflow or out of gas: the reference attaches buffer data only when nothing underflowed
        if underflow:
            if bp is not None or d.extra:
                raise ProofRejected("buffer proof or send payload given for an underflowing step")
        else:
            _check_unused_buffer_proof(c, d)
    if d.opcode == Op.INBOX and d.extra and c.message is None:
        raise ProofRejected("an inbox message was given but the step does not read it (out of gas)")

    if c.error:
        if c.after.handler == ERRCP:
            c.after.status = ERRORSTOP
        else:
            c.after.cp_hash = c.after.handler
            if not (c.had_imm and pops == 0):
                c.stack.clear()
            c.auxstack.clear()
    data, aux = c.after.data, c.after.aux
    for v in c.stack:
        data = stack_push(data, v)
    for v in c.auxstack:
        aux = stack_push(aux, v)
    c.after.data, c.after.aux = data, aux
    return StepOutcome(d.opcode, c.start.hash(), c.after.hash(), c.gas, c.messages_read, c.send_acc,
                       c.log_acc, c.inbox_acc, c.sends, c.logs, _STATUS_NAMES[c.after.status], c.error,
                       c.note)


def _check_unused_buffer_proof(c: _Ctx, d: DecodedProof) -> None:
    """Out of gas on a buffer opcode or send: the reference still attaches its buffer proof or send
    payload; run the opcode on a scratch context only to check them (strict)."""
    scratch = _Ctx(d, c.bproof, c.send_acc, c.log_acc, c.messages_read, c.inbox_acc)
    VERIFIER_OPS[d.opcode][3](scratch)


# ---------------------------------------------------------------------------------------------------
# checking an Assertion


def verify_entry(entry: ProofEntry) -> VerifyResult:
    """Check one proof entry (a ``proof_format.ProofEntry``) against its Assertion. Never raises."""
    try:
        return _verify(entry)
    except (ProofRejected, UserError) as exc:
        return VerifyResult(False, f"proof rejected: {exc}")
    except Exception as exc:  # noqa: BLE001 - a verifier must answer, whatever the bytes
        return VerifyResult(False, f"proof rejected: internal check failed ({type(exc).__name__}: {exc})")


def _hx(b: bytes) -> str:
    return "0x" + b.hex()


def _verify(entry: ProofEntry) -> VerifyResult:
    before = entry.before
    after = entry.after
    out = execute_step(entry.proof, entry.buffer_proof, before.send_acc, before.log_acc,
                       before.inbox_count, before.inbox_acc)
    problems: list[str] = []

    def check(name: str, expected: object, got: object) -> None:
        if expected != got:
            e = _hx(expected) if isinstance(expected, bytes) else str(expected)
            g = _hx(got) if isinstance(got, bytes) else str(got)
            problems.append(f"{name}: assertion has {e}, proof gives {g}")

    check("beforeState.machineHash", before.machine_hash, out.before_hash)
    check("afterState.machineHash", after.machine_hash, out.after_hash)
    check("gasUsed delta", after.gas_used - before.gas_used, out.gas)
    check("afterState.inboxCount", after.inbox_count, out.messages_read)
    if out.inbox_acc is not None:
        check("afterState.inboxAcc", after.inbox_acc, out.inbox_acc)
    check("afterState.sendAcc", after.send_acc, out.send_acc)
    check("afterState.sendCount", after.send_count, before.send_count + out.sends)
    check("afterState.logAcc", after.log_acc, out.log_acc)
    check("afterState.logCount", after.log_count, before.log_count + out.logs)
    if problems:
        return VerifyResult(False, "; ".join(problems), out, problems)
    return VerifyResult(True, "", out)
