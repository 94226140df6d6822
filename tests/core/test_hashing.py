"""keccak256 and the value hashes agree with an independent Keccak (pycryptodome), and the machine's
``hash``/``tset`` fast paths give what the general path gives."""

from __future__ import annotations

import random

from Crypto.Hash import keccak as reference_keccak
from machine_builders import run

from avm.core.buffer import EMPTY_BUFFER
from avm.core.keccak import EMPTY_TUPLE_HASH, int_hash, keccak256
from avm.core.opcodes import Op
from avm.core.values import NONE, Tuple, Value, error_codepoint, value_hash


def ref(data: bytes) -> bytes:
    return reference_keccak.new(digest_bits=256, data=data).digest()


def ref_value_hash(v: Value) -> bytes:
    """The value hash rules of avm-machine.md, written again on top of the reference Keccak."""
    if type(v) is int:
        return ref(v.to_bytes(32, "big"))
    if type(v) is Tuple:
        inner = ref(bytes((len(v.items),)) + b"".join(ref_value_hash(x) for x in v.items))
        return ref(b"\x03" + inner + v.size.to_bytes(32, "big"))
    return value_hash(v)  # buffers and codepoints: covered by their own tests


def test_keccak256_matches_an_independent_implementation() -> None:
    rng = random.Random(17)
    for n in [0, 1, 31, 32, 33, 135, 136, 137, 272, 1000]:
        data = rng.randbytes(n)
        assert keccak256(data) == ref(data), n
    assert keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"


def test_int_hash_small_and_large() -> None:
    for n in [0, 1, 255, (1 << 16) - 1, 1 << 16, (1 << 256) - 1]:
        assert int_hash(n) == ref(n.to_bytes(32, "big"))
        assert int_hash(n) == int_hash(n)  # memoized or not, the same answer


def test_tuple_hash_one_pass_and_nested() -> None:
    rng = random.Random(5)
    leaf = Tuple((1, 2, 1 << 200))
    nested = Tuple((leaf, Tuple((leaf, 7)), NONE, 3))
    assert value_hash(nested) == ref_value_hash(nested)           # children not hashed yet
    again = Tuple((leaf, rng.getrandbits(256), NONE))
    assert value_hash(again) == ref_value_hash(again)             # children hashed already
    assert value_hash(NONE) == EMPTY_TUPLE_HASH
    with_buffer = Tuple((EMPTY_BUFFER, error_codepoint()))
    assert value_hash(with_buffer) == ref(b"\x03" + ref(bytes((2,)) + value_hash(EMPTY_BUFFER)
                                                          + value_hash(error_codepoint()))
                                          + (3).to_bytes(32, "big"))


def test_hash_opcode_fast_path() -> None:
    big = (1 << 255) + 12345
    t = Tuple((1, Tuple((2, 3)), big))
    for v in [0, 5, big, t]:
        m = run((Op.HASH, v), steps=1)
        assert m.stack == [int.from_bytes(ref_value_hash(v), "big")]
        assert m.gas_used == 7


def test_tset_fast_path_and_its_errors() -> None:
    t = Tuple((1, 2, 3, 4))
    m = run((Op.NOP, 9), (Op.NOP, t), (Op.TSET, 2), steps=3)
    assert len(m.stack) == 1 and m.stack[0].items == (1, 2, 9, 4) and m.stack[0].size == 5
    assert m.gas_used == 1 + 1 + 40 and m.last_error is None
    assert value_hash(m.stack[0]) == ref_value_hash(Tuple((1, 2, 9, 4)))
    # out of range and not-a-tuple take the general path: an error, charged the full cost
    for operand, index in [(t, 4), (7, 0)]:
        m = run((Op.NOP, 9), (Op.NOP, operand), (Op.TSET, index), steps=3)
        assert m.last_error is not None and m.gas_used == 1 + 1 + 40


def test_stack_hash_cache_follows_every_change() -> None:
    """The per-depth pre-image cache is reused only up to the first slot that changed."""
    from avm.core.machine import Machine
    from avm.core.program import make_program

    def fresh_hash(stack: list[Value]) -> bytes:
        m = Machine.from_program(make_program([]))
        m.stack = list(stack)
        return m.data_stack_hash()

    m = Machine.from_program(make_program([]))
    m.stack = [Tuple((i, i + 1)) for i in range(50)]
    assert m.data_stack_hash() == fresh_hash(m.stack)
    for change in (lambda s: s.__setitem__(10, Tuple((7,))), lambda s: s.pop(), lambda s: s.append(3),
                   lambda s: s.__setitem__(0, 5), lambda s: s.clear()):
        change(m.stack)
        assert m.data_stack_hash() == fresh_hash(m.stack)
