"""Random and fixed AVM programs for the property tests (the differential test and the L1 oracle tests).

Hypothesis strategies (``programs()``) build small random programs: valid and invalid opcodes,
immediates of every kind (edge integers, nested tuples, codepoints pointing at later instructions,
sparse buffers), a random static, a few inbox messages, random ``setgas`` to provoke out-of-gas.
``rand_program(seed)`` is a plain seeded generator that adds breadth (every opcode with operands of the
right kinds, long runs). The EC opcodes are slow in pure Python (py_ecc), so the random programs leave
them out and ``EC_PROGRAMS`` exercises them instead; ``FIXED_PROGRAMS`` holds edge cases by name.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from hypothesis import strategies as st

from avm.core.buffer import Buffer
from avm.core.machine import MAX_GAS, Machine, Status
from avm.core.opcodes import OPCODES
from avm.core.program import Program, link_code
from avm.core.values import NONE, CodePoint, Tuple
from avm.proofs.export import prove_and_step
from avm.proofs.proof_file import ProofEntry

MASK = MAX_GAS
TOP64 = (1 << 64) - 1

EC_OPS = {0x80, 0x81, 0x82, 0x83}
VALID_OPS = sorted(c for c in OPCODES if c not in EC_OPS)
INVALID_OPS = [0x00, 0x0C, 0x1E, 0x25, 0x3E, 0x45, 0x55, 0x62, 0x71, 0x7A, 0x7C, 0x84, 0x91, 0xA7, 0xFF]
EDGE_INTS = [0, 1, 2, 3, 5, 7, 8, 31, 32, 33, 63, 64, 255, 256, 9_999, 10_000, 10_001,
             TOP64 - 31, TOP64 - 30, TOP64 - 7, TOP64 - 6, TOP64, TOP64 + 1,
             (1 << 255) - 1, 1 << 255, MASK - 1, MASK]


class Ref:
    """A codepoint immediate to be resolved after linking: ``k`` instructions after its owner."""

    __slots__ = ("k",)

    def __init__(self, k: int) -> None:
        self.k = k


ints = st.one_of(st.sampled_from(EDGE_INTS), st.integers(0, 300), st.integers(0, MASK))


@st.composite
def buffers(draw: st.DrawFn) -> Buffer:
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return Buffer.empty()
    if kind == 1:
        return Buffer.from_bytes(draw(st.binary(max_size=80)))
    buf = Buffer.empty()
    for _ in range(draw(st.integers(1, 3))):
        off = draw(st.one_of(st.integers(0, 200), st.sampled_from([TOP64, TOP64 - 40, 1 << 40])))
        buf = buf.set(off, draw(st.integers(0, 255)))
    return buf


leaves = st.one_of(ints, buffers(), st.builds(Ref, st.integers(0, 6)))
values = st.recursive(leaves, lambda kids: st.lists(kids, max_size=8).map(lambda xs: Tuple(tuple(xs))),
                      max_leaves=12)


def _resolve(v: object, code: list[CodePoint], err: CodePoint, owner: int) -> object:
    """Replace Refs by codepoints after ``owner`` (so immediates only point forward, like .mexe)."""
    if type(v) is Ref:
        j = owner + 1 + v.k
        return code[j] if j < len(code) else err
    if type(v) is Tuple:
        return Tuple(tuple(_resolve(x, code, err, owner) for x in v.items))
    return v


def _plain(v: object) -> object:
    """The same value with Refs replaced by the empty tuple (for static and inbox messages)."""
    if type(v) is Ref:
        return NONE
    if type(v) is Tuple:
        return Tuple(tuple(_plain(x) for x in v.items))
    return v


offsets = st.one_of(st.integers(0, 100), st.sampled_from(EDGE_INTS))
small_tuples = st.lists(values, max_size=8).map(lambda xs: Tuple(tuple(xs)))


@st.composite
def instructions(draw: st.DrawFn) -> list[tuple[int, object]]:
    """One random instruction (any opcode, random immediate)."""
    r = draw(st.integers(0, 19))
    if r <= 14:
        op = draw(st.sampled_from(VALID_OPS))
    elif r == 15:
        op = draw(st.sampled_from(INVALID_OPS))
    elif r == 16:                                   # setgas: provokes out-of-gas
        return [(0x75, draw(st.one_of(st.integers(0, 120), st.sampled_from([MASK, NONE]))))]
    else:                                           # jump, cjump, errset: usually a codepoint
        return [(draw(st.sampled_from([0x34, 0x35, 0x3D])), draw(st.one_of(st.builds(Ref, st.integers(0, 6)),
                                                                           values)))]
    return [(op, draw(values) if draw(st.booleans()) else None)]


@st.composite
def recipes(draw: st.DrawFn) -> list[tuple[int, object]]:
    """A short sequence that gives one opcode family operands of the right kinds (mostly)."""
    k = draw(st.integers(0, 8))
    push = 0x3B   # nop with an immediate pushes it
    if k == 0:
        return [(push, draw(buffers())), (draw(st.sampled_from([0xA1, 0xA2, 0xA3])), draw(offsets))]
    if k == 1:
        return [(push, draw(buffers())), (push, draw(ints)),
                (draw(st.sampled_from([0xA4, 0xA5, 0xA6])), draw(offsets))]
    if k == 2:
        return [(push, draw(buffers())), (0x70, draw(st.one_of(offsets, st.integers(1, 10_001))))]
    if k == 3:
        return [(push, draw(small_tuples)), (0x50, draw(st.integers(0, 9)))]
    if k == 4:
        return [(push, draw(values)), (push, draw(small_tuples)), (0x51, draw(st.integers(0, 9)))]
    if k == 5:
        return [(push, draw(small_tuples)), (0x38, None), (push, draw(values)),
                (draw(st.sampled_from([0x53, 0x54])), draw(st.integers(0, 9)))]
    if k == 6:
        new_op = draw(st.sampled_from([0x74, 0x3B, 0x01, 0x00, 0x1FF]))
        if draw(st.booleans()):
            return [(0x77, None), (0x78, new_op), (0x34, None)]
        return [(0x77, None), (push, draw(values)), (0x79, new_op)]
    if k == 7:
        return [(0x72, draw(st.one_of(st.none(), ints)))]
    return [(push, draw(ints)), (push, draw(ints)),
            (draw(st.sampled_from([c for c in VALID_OPS if c < 0x25])), draw(st.one_of(st.none(), ints)))]


@st.composite
def programs(draw: st.DrawFn) -> tuple[Program, list]:
    # a few values on both stacks first, so that not every instruction underflows
    ops: list[tuple[int, object]] = [(0x3B, v) for v in draw(st.lists(values, max_size=4))]
    if draw(st.booleans()):
        ops.append((0x38, None))
    for chunk in draw(st.lists(st.one_of(recipes(), instructions()), min_size=2, max_size=12)):
        if draw(st.integers(0, 2)):   # usually a handler just past the chunk: an error skips ahead
            ops.append((0x3D, Ref(len(chunk))))
        ops.extend(chunk)
    code, err = link_code([(op, None) for op, _ in ops])
    for i, (cp, (_, imm)) in enumerate(zip(code, ops, strict=True)):
        cp.imm = None if imm is None else _resolve(imm, code, err, i)
    static = _plain(draw(values))
    inbox = [_plain(v) for v in draw(st.lists(values, max_size=3))]
    prog = Program(code=code, error_codepoint=err, static=static, locations=[None] * len(code))
    return prog, inbox


# ---------------------------------------------------------------------------------------------------
# Seeded programs: hypothesis favours small, simple examples, so a plain seeded generator adds breadth
# (every opcode with operands of the right kinds, long runs). A failure names its seed.

def _rand_value(rng: random.Random, depth: int = 0) -> object:
    r = rng.random()
    if r < 0.55 or depth > 2:
        return rng.choice([rng.choice(EDGE_INTS), rng.randrange(300), rng.randrange(1 << 256)])
    if r < 0.75:
        buf = Buffer.empty()
        for _ in range(rng.randrange(4)):
            buf = buf.set(rng.choice([rng.randrange(140), TOP64 - rng.randrange(70)]), rng.randrange(1, 256))
        return buf
    return Tuple(tuple(_rand_value(rng, depth + 1) for _ in range(rng.randrange(9))))


def _rand_chunk(rng: random.Random) -> list[tuple[int, object]]:
    push = 0x3B
    v = _rand_value
    off = rng.choice([rng.randrange(100), rng.choice(EDGE_INTS)])
    k = rng.randrange(12)
    if k == 0:
        return [(push, v(rng)), (push, v(rng)), (rng.choice([c for c in VALID_OPS if c < 0x25]), None)]
    if k == 1:
        arith_op = rng.choice([c for c in VALID_OPS if c < 0x25])
        return [(push, rng.choice(EDGE_INTS)), (arith_op, rng.randrange(300))]
    if k == 2:
        return [(rng.choice(VALID_OPS + INVALID_OPS), v(rng) if rng.random() < 0.5 else None)]
    if k == 3:
        return [(push, Buffer.empty().set(rng.randrange(100), 1)), (push, v(rng)),
                (rng.choice([0xA4, 0xA5, 0xA6]), off), (rng.choice([0xA1, 0xA2, 0xA3]), off)]
    if k == 4:
        return [(push, v(rng)), (0x70, rng.choice([rng.randrange(1, 200), 10_000, 10_001]))]
    if k == 5:
        t = Tuple(tuple(v(rng) for _ in range(rng.randrange(1, 9))))
        if rng.random() < 0.3:
            return [(0x52, t), (0x23, Tuple(tuple(rng.randrange(1 << 256) for _ in range(7))))]
        return [(push, v(rng)), (push, t), (rng.choice([0x50, 0x51]), rng.randrange(10))]
    if k == 6:
        t = Tuple(tuple(v(rng) for _ in range(rng.randrange(1, 9))))
        return [(push, t), (0x38, None), (push, v(rng)), (rng.choice([0x53, 0x54]), rng.randrange(10)),
                (rng.choice([0x39, 0x3A, 0x3B]), None)]
    if k == 7:
        new_op = rng.choice([0x74, 0x3B, 0x00, 0x1FF])
        if rng.random() < 0.5:
            return [(0x77, None), (0x78, new_op), (0x34, None)]
        return [(0x77, None), (push, v(rng)), (0x79, new_op), (0x21, None)]
    if k == 8:
        if rng.random() < 0.4:   # cjump forward over one instruction, or error
            return [(push, rng.choice([0, 1, NONE])), (0x35, Ref(1)), (0x73, None)]
        return [(0x72, None if rng.random() < 0.5 else v(rng))]
    if k == 9:
        return [(0x75, rng.choice([0, 3, 30, 99, 150, MASK])), (rng.choice(VALID_OPS), v(rng))]
    if k == 10:
        return [(rng.choice([0x31, 0x32, 0x33, 0x36, 0x37, 0x3C, 0x40, 0x41, 0x42, 0x43, 0x44, 0x30]),
                 v(rng) if rng.random() < 0.3 else None) for _ in range(3)]
    return [(rng.choice([0x61, 0x90, 0x60, 0x7B, 0x76, 0xA0, 0x20, 0x21, 0x23]), v(rng) if rng.random() < 0.5
             else None)]


def rand_program(seed: int) -> tuple[Program, list]:
    rng = random.Random(seed)
    ops: list[tuple[int, object]] = [(0x3B, _rand_value(rng)) for _ in range(rng.randrange(5))]
    for _ in range(rng.randrange(3, 16)):
        chunk = _rand_chunk(rng)
        if rng.random() < 0.8:
            ops.append((0x3D, Ref(len(chunk))))
        ops.extend(chunk)
    if rng.random() < 0.2:   # a loop built at run time (immediates can only point forward)
        ops[rng.randrange(len(ops) + 1):0] = [(0x37, None), (0x40, None), (0x34, None)]
    code, err = link_code([(op, None) for op, _ in ops])
    for i, (cp, (_, imm)) in enumerate(zip(code, ops, strict=True)):
        cp.imm = None if imm is None else _resolve(imm, code, err, i)
    prog = Program(code=code, error_codepoint=err, static=_rand_value(rng), locations=[None] * len(code))
    return prog, [_rand_value(rng) for _ in range(rng.randrange(4))]


def linked_program(*ops: tuple) -> Program:
    code, err = link_code([(op, imm) for op, imm in ops])
    return Program(code=code, error_codepoint=err, static=NONE, locations=[None] * len(code))


_ZERO6 = Tuple((0,) * 6)
_PAIR_LIST = Tuple((_ZERO6, Tuple((_ZERO6, NONE))))
#: Fixed programs for the EC opcodes (too slow in pure Python for the random programs).
EC_PROGRAMS = [
    # ecrecover: a valid signature, and a bad recovery id (pushes 0)
    [(0x3B, 1), (0x3B, 0), (0x3B, 0x0C90D2EF8522C346EDB5C5B0879F9D40070B95CF7311604C37AADF547AE45317),
     (0x80, 0x0A2BE5612EA783911CD9DB44D7A05EEB2B2EF23757EE114EF261D453576A025D), (0x74, None)],
    [(0x3B, 1), (0x3B, 5), (0x3B, 2), (0x80, 3), (0x74, None)],
    # ecadd G + G, ecmul G * 2, an off-curve point (error)
    [(0x3B, 2), (0x3B, 1), (0x3B, 2), (0x81, 1), (0x82, 2), (0x74, None)],
    [(0x3B, 2), (0x3B, 1), (0x3B, 3), (0x81, 1)],
    # ecpairing: empty list, two infinity pairs, malformed, out of gas on the variable part
    [(0x83, NONE), (0x83, _PAIR_LIST), (0x83, Tuple((1, 2))), (0x74, None)],
    [(0x75, 400_000), (0x83, _PAIR_LIST)],
]


_FAR = Buffer.empty().set(TOP64, 0x5A).set(40, 7)
#: Fixed edge programs: name -> instructions.
FIXED_PROGRAMS = {
    "send payload, padded": [(0x3B, Buffer.from_bytes(b"\x01\x02")), (0x70, 40), (0x74, None)],
    "send of a too long buffer": [(0x3B, Buffer.from_bytes(bytes(50) + b"\x01")), (0x70, 50)],
    "send size over 2^64": [(0x3B, Buffer.empty()), (0x70, (1 << 64) + 5)],
    "getbuffer at the top of a huge buffer": [
        (0x3B, _FAR), (0xA3, TOP64 - 31), (0x3B, _FAR), (0xA2, TOP64 - 7), (0x3B, _FAR), (0xA1, TOP64),
        (0x74, None)],
    "getbuffer past the end of the offsets": [(0x3B, _FAR), (0xA2, TOP64 - 6)],
    "setbuffer256 across chunks, then zeros shrink it back": [
        (0x3B, Buffer.empty()), (0x3B, MASK), (0xA6, 50), (0x3B, 0), (0xA6, 50), (0x74, None)],
    "setbuffer64 offset out of range": [(0x3B, _FAR), (0x3B, 1), (0xA5, TOP64 - 6)],
    "setbuffer8 at 2^64-1 then back to zero": [(0x3B, _FAR), (0x3B, 0), (0xA4, TOP64), (0x3B, 0), (0xA4, 40),
                                               (0x74, None)],
    "inbox with an immediate": [(0x72, 3), (0x72, None), (0x74, None)],
    "inbox out of gas with a message waiting": [(0x75, 10), (0x72, None)],
    "errcodepoint handler stops": [(0x77, None), (0x3D, None), (0x73, None)],
    "xset and xget on the aux stack": [
        (0x3B, Tuple((1, Tuple((2, 3)), 4))), (0x38, None), (0x3B, 9), (0x54, 1), (0x53, 1), (0x39, None),
        (0x74, None)],
}


def proved_steps(m: Machine, max_steps: int, loops: bool = False) -> Iterator[tuple[int, ProofEntry]]:
    """Prove and run the steps of ``m`` one by one, yielding (step number, proof entry), until it stops,
    blocks, reaches ``max_steps`` or, unless ``loops``, loops (a codepoint run a fourth time: often an
    error handler that errs again, nothing new to learn)."""
    n = 0
    visits: dict[int, int] = {}
    while n < max_steps and m.status == Status.EXTENSIVE and not m.blocked:
        seen = visits[id(m.pc)] = visits.get(id(m.pc), 0) + 1
        if seen > 3 and not loops:
            break
        yield n, prove_and_step(m, step=n)
        n += 1
