"""The AVM machine: state, machine hash, and one-step execution faithful to the reference emulator.

One step (reference ``MachineState::runOne``):

1. nothing happens unless the status is Extensive;
2. the immediate, if any, is pushed first (it is s0 from then on);
3. underflow (data or aux) is checked before gas: charge 5 (remaining becomes MAX if below 5);
4. out of gas: charge 5 to gas used and set remaining to MAX; otherwise deduct the cost;
5. an invalid opcode is an error (already charged 5);
6. the instruction runs; a semantic error keeps the full cost charged; a blocked ``inbox`` refunds the
   cost, pops the immediate again and counts no step;
7. on any error, pop the instruction's pop counts (clamped) from both stacks, then jump to the error
   handler, or stop with ErrorStop when no handler is installed (handler hash == ERRCP). The handler is
   never cleared, so an error inside the handler loops back to it.

``run`` is the only execution loop; ``step`` is ``run(1)``. The hottest instructions are inlined in
``run`` and handle only their fast, error-free case; anything else (and every error) goes through
``_exec``, which implements the steps above with one small function per opcode (``_OPS``). Operands
are checked explicitly, so no program makes ``run`` raise.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from enum import IntEnum, IntFlag

from avm.core import arith
from avm.core.buffer import EMPTY_BUFFER, Buffer
from avm.core.inbox import INITIAL_ACC, acc_after_read, copy_inbox
from avm.core.keccak import EMPTY_TUPLE_INNER, ZERO32, keccak256
from avm.core.opcodes import (
    EC_PAIRING_MAX_POINTS,
    EC_PAIRING_POINT_GAS,
    ERROR_GAS,
    GAS,
    N_AUX_POPS,
    N_POPS,
    SEND_SIZE_LIMIT,
    VALID,
)
from avm.core.program import Program
from avm.core.values import (
    NONE,
    CodePoint,
    Tuple,
    Value,
    error_codepoint,
    type_code,
    value_hash,
    value_size,
    values_equal,
)

MAX_GAS = (1 << 256) - 1
MASK = MAX_GAS
MAX64 = (1 << 64) - 1
_HALT_HASH = bytes(32)
_ERRORSTOP_HASH = (1).to_bytes(32, "big")


class Status(IntEnum):
    EXTENSIVE = 0
    HALTED = 1
    ERRORSTOP = 2


class Event(IntFlag):
    NONE = 0
    ERROR = 1          # the instruction raised an AVM error (payload: reason string)
    HALT = 2           # halt ran
    ERRORSTOP = 4      # an error with no handler stopped the machine
    LOG = 8            # payload: the logged value
    SEND = 16          # payload: the message bytes
    DEBUGPRINT = 32    # payload: the value
    BREAKPOINT = 64    # the breakpoint opcode ran (payload: its codepoint)
    INBOX = 128        # a message was read (payload: the message)
    BLOCKED = 256      # inbox empty: nothing changed, no step counted
    SIDELOAD = 512     # sideload ran (payload: the block number operand)
    LIMIT = 1024       # run stopped at max_steps
    STOP_AT = 2048     # run stopped because the pc is in stop_at


# plain-int copies for the step loop
_ERROR = int(Event.ERROR)
_HALT = int(Event.HALT)
_ERRORSTOP = int(Event.ERRORSTOP)
_LOG = int(Event.LOG)
_SEND = int(Event.SEND)
_DEBUGPRINT = int(Event.DEBUGPRINT)
_BREAKPOINT = int(Event.BREAKPOINT)
_INBOX = int(Event.INBOX)
_BLOCKED = int(Event.BLOCKED)
_SIDELOAD = int(Event.SIDELOAD)
_LIMIT = int(Event.LIMIT)
_STOP_AT = int(Event.STOP_AT)

EventCallback = Callable[[int, object], None]
_EVENTS: dict[int, Event] = {}   # cache: building an IntFlag costs about a microsecond


class Machine:
    """The complete AVM state plus bookkeeping (see docs/architecture.md)."""

    __slots__ = ("program", "pc", "stack", "aux", "register", "static", "gas", "err_handler", "status",
                 "steps", "gas_used", "send_acc", "send_count", "log_acc", "log_count", "inbox_acc",
                 "inbox_count", "inbox", "on_event", "last_error", "_dcache", "_acache", "_static_hash")

    def __init__(self, program: Program, inbox: list[Value] | None = None) -> None:
        self.program = program
        self.pc: CodePoint = program.entry
        self.stack: list[Value] = []
        self.aux: list[Value] = []
        self.register: Value = NONE
        self.static: Value = program.static
        self.gas: int = MAX_GAS
        self.err_handler: CodePoint = program.error_codepoint
        self.status: Status = Status.EXTENSIVE
        self.steps = 0
        self.gas_used = 0
        self.send_acc = ZERO32
        self.send_count = 0
        self.log_acc = ZERO32
        self.log_count = 0
        self.inbox_acc = INITIAL_ACC
        self.inbox_count = 0
        self.inbox: list[Value] = copy_inbox(inbox if inbox is not None else program.inbox)
        self.on_event: EventCallback | None = None
        self.last_error: str | None = None   # reason of the most recent AVM error
        self._dcache: list[tuple[Value, bytes, int]] = []
        self._acache: list[tuple[Value, bytes, int]] = []
        self._static_hash: bytes | None = None

    @classmethod
    def from_program(cls, program: Program, inbox: list[Value] | None = None) -> Machine:
        """A fresh machine at the program's entry point (inbox defaults to the program's)."""
        return cls(program, inbox)

    def clone(self) -> Machine:
        """A cheap snapshot: copies the two stacks (and hash caches), shares the immutable values.
        The inbox list is shared too (treat it as append-only). ``on_event`` is not copied."""
        m = object.__new__(Machine)
        m.program = self.program
        m.pc = self.pc
        m.stack = self.stack.copy()
        m.aux = self.aux.copy()
        m.register = self.register
        m.static = self.static
        m.gas = self.gas
        m.err_handler = self.err_handler
        m.status = self.status
        m.steps = self.steps
        m.gas_used = self.gas_used
        m.send_acc = self.send_acc
        m.send_count = self.send_count
        m.log_acc = self.log_acc
        m.log_count = self.log_count
        m.inbox_acc = self.inbox_acc
        m.inbox_count = self.inbox_count
        m.inbox = self.inbox
        m.on_event = None
        m.last_error = self.last_error
        m._dcache = self._dcache.copy()
        m._acache = self._acache.copy()
        m._static_hash = self._static_hash
        return m

    # ------------------------------------------------------------------ hashing
    @staticmethod
    def _preimage(items: list[Value], cache: list[tuple[Value, bytes, int]], upto: int) -> tuple[bytes, int]:
        """(inner, size) of the stack made of items[:upto]; reuses the per-depth cache."""
        k = 0
        limit = min(len(cache), upto)
        while k < limit and cache[k][0] is items[k]:
            k += 1
        if k < limit:  # the stack changed at depth k: everything cached above is stale
            del cache[k:]
        if k:
            _, inner, size = cache[k - 1]
        else:
            inner, size = EMPTY_TUPLE_INNER, 1
        for i in range(k, upto):
            v = items[i]
            below = keccak256(b"\x03" + inner + size.to_bytes(32, "big"))
            inner = keccak256(b"\x02" + value_hash(v) + below)
            size = 1 + value_size(v) + size
            if i == len(cache):
                cache.append((v, inner, size))
        return inner, size

    def data_stack_preimage(self, popped: int = 0) -> tuple[bytes, int]:
        """Pre-image (inner, size) of the data stack without its top ``popped`` items."""
        return self._preimage(self.stack, self._dcache, max(0, len(self.stack) - popped))

    def aux_stack_preimage(self, popped: int = 0) -> tuple[bytes, int]:
        """Pre-image (inner, size) of the aux stack without its top ``popped`` items."""
        return self._preimage(self.aux, self._acache, max(0, len(self.aux) - popped))

    @staticmethod
    def preimage_hash(preimage: tuple[bytes, int]) -> bytes:
        """Hash of a stack given its pre-image: H(3 || inner || be32(size))."""
        inner, size = preimage
        return keccak256(b"\x03" + inner + size.to_bytes(32, "big"))

    def data_stack_hash(self) -> bytes:
        return self.preimage_hash(self.data_stack_preimage())

    def aux_stack_hash(self) -> bytes:
        return self.preimage_hash(self.aux_stack_preimage())

    def static_hash(self) -> bytes:
        h = self._static_hash
        if h is None:
            h = self._static_hash = value_hash(self.static)
        return h

    def machine_hash(self) -> bytes:
        """0 when halted, 1 on ErrorStop, else H(pc, data stack, aux stack, register, static, gas,
        handler)."""
        if self.status == Status.HALTED:
            return _HALT_HASH
        if self.status == Status.ERRORSTOP:
            return _ERRORSTOP_HASH
        return keccak256(value_hash(self.pc) + self.data_stack_hash() + self.aux_stack_hash()
                         + value_hash(self.register) + self.static_hash() + self.gas.to_bytes(32, "big")
                         + value_hash(self.err_handler))

    # ------------------------------------------------------------------ execution
    @property
    def blocked(self) -> bool:
        """True when the next step would block: the instruction is ``inbox``, no message is left and
        the gas covers its cost (below that the step is an out-of-gas error, as in ``runOne``)."""
        return (self.status == Status.EXTENSIVE and self.pc.op == 0x72
                and self.inbox_count >= len(self.inbox) and self.gas >= GAS[0x72])

    def step(self) -> int:
        """Run one instruction (same code as ``run``); returns its Event bits."""
        return self.run(1)

    def _emit(self, event: int, payload: object) -> None:
        cb = self.on_event
        if cb is not None:
            cb(event, payload)

    def _error(self, cp: CodePoint, reason: str, npops: int, naux: int) -> int:
        stack = self.stack
        if npops:
            del stack[max(0, len(stack) - npops):]
        if naux:
            aux = self.aux
            del aux[max(0, len(aux) - naux):]
        self.last_error = reason
        handler = self.err_handler
        self._emit(_ERROR, reason)
        if handler.next is None:  # error codepoint: no handler installed
            self.status = Status.ERRORSTOP
            self.pc = cp
            return _ERROR | _ERRORSTOP
        self.pc = handler
        return _ERROR

    def _exec(self, cp: CodePoint) -> int:
        """The general step after the immediate was pushed. Returns the step's event bits."""
        op = cp.op
        stack = self.stack
        npops = N_POPS[op]
        naux = N_AUX_POPS[op]
        if npops > len(stack) or naux > len(self.aux):
            gas = self.gas
            self.gas = MAX_GAS if gas < ERROR_GAS else gas - ERROR_GAS
            self.gas_used += ERROR_GAS
            which = "data" if npops > len(stack) else "aux"
            return self._error(cp, f"{which} stack underflow", npops, naux)
        cost = GAS[op]
        if op == 0x83:
            cost += _pairing_gas(stack[-1])
        if self.gas < cost:
            self.gas_used += ERROR_GAS
            self.gas = MAX_GAS
            return self._error(cp, "out of gas", npops, naux)
        self.gas -= cost
        self.gas_used += cost
        if not VALID[op]:
            return self._error(cp, f"invalid opcode 0x{op:02x}", npops, naux)
        self.pc = cp.next  # type: ignore[assignment]  (an error codepoint is never valid)
        result = _OPS[op](self, cp)
        if result is None:
            return 0
        if type(result) is str:
            return self._error(cp, result, npops, naux)
        if result & _BLOCKED:
            self.gas += cost
            self.gas_used -= cost
            if cp.imm is not None:
                stack.pop()
            self.pc = cp
        return result

    def run(self, max_steps: int, stop_at: Container[CodePoint] = frozenset(), stop_events: int = 0) -> int:
        """Run until ``max_steps`` instructions ran, the machine stops or blocks, the pc is in
        ``stop_at`` (checked before every instruction but the first) or a step's events intersect
        ``stop_events``. Returns the last step's events plus LIMIT / BLOCKED / STOP_AT; Event.NONE if
        the machine had already stopped."""
        if self.status:
            return Event.NONE
        stack = self.stack
        aux = self.aux
        push = stack.append
        pop = stack.pop
        pc = self.pc
        gas = g0 = self.gas
        n = 0
        last = 0        # events of the last general-path step
        last_n = -1     # step number of that step
        check_stop = bool(stop_at)
        exec_ = self._exec
        result = 0
        while True:
            if n >= max_steps:
                result = _LIMIT
                break
            cp = pc
            if check_stop and n and cp in stop_at:
                result = _STOP_AT
                break
            imm = cp.imm
            if imm is not None:
                push(imm)
            op = cp.op
            # ---------------------------------------------------------------- fast paths
            if op == 0x3B:  # nop
                if gas >= 1:
                    gas -= 1
                    pc = cp.next
                    n += 1
                    continue
            elif op == 0x30:  # pop
                if stack and gas >= 1:
                    pop()
                    gas -= 1
                    pc = cp.next
                    n += 1
                    continue
            elif op < 0x20:
                if len(stack) >= 2 and op != 0x15 and op != 0x19:
                    a = stack[-1]
                    b = stack[-2]
                    if type(a) is int and type(b) is int:
                        if op == 0x01:
                            if gas >= 3:
                                pop()
                                stack[-1] = (a + b) & MASK
                                gas -= 3
                                pc = cp.next
                                n += 1
                                continue
                        elif op == 0x03:
                            if gas >= 3:
                                pop()
                                stack[-1] = (a - b) & MASK
                                gas -= 3
                                pc = cp.next
                                n += 1
                                continue
                        elif op == 0x02:
                            if gas >= 3:
                                pop()
                                stack[-1] = (a * b) & MASK
                                gas -= 3
                                pc = cp.next
                                n += 1
                                continue
                        elif op == 0x14 or op == 0x10 or op == 0x11 or op == 0x16 or op == 0x17 or op == 0x18:
                            if gas >= 2:
                                pop()
                                if op == 0x14:
                                    stack[-1] = 1 if a == b else 0
                                elif op == 0x10:
                                    stack[-1] = 1 if a < b else 0
                                elif op == 0x11:
                                    stack[-1] = 1 if a > b else 0
                                elif op == 0x16:
                                    stack[-1] = a & b
                                elif op == 0x17:
                                    stack[-1] = a | b
                                else:
                                    stack[-1] = a ^ b
                                gas -= 2
                                pc = cp.next
                                n += 1
                                continue
                elif op == 0x15 and stack and gas >= 1:  # iszero
                    a = stack[-1]
                    if type(a) is int:
                        stack[-1] = 0 if a else 1
                        gas -= 1
                        pc = cp.next
                        n += 1
                        continue
            elif op < 0x40:
                if op == 0x35:  # cjump
                    if len(stack) >= 2 and gas >= 4:
                        t = stack[-1]
                        c = stack[-2]
                        if type(t) is CodePoint and type(c) is int:
                            del stack[-2:]
                            pc = t if c else cp.next
                            gas -= 4
                            n += 1
                            continue
                elif op == 0x34:  # jump
                    if stack and gas >= 4:
                        t = stack[-1]
                        if type(t) is CodePoint:
                            pop()
                            pc = t
                            gas -= 4
                            n += 1
                            continue
                elif op == 0x38:  # auxpush
                    if stack and gas >= 1:
                        aux.append(pop())
                        gas -= 1
                        pc = cp.next
                        n += 1
                        continue
                elif op == 0x39:  # auxpop
                    if aux and gas >= 1:
                        push(aux.pop())
                        gas -= 1
                        pc = cp.next
                        n += 1
                        continue
                elif op == 0x32:  # rpush
                    if gas >= 1:
                        push(self.register)
                        gas -= 1
                        pc = cp.next
                        n += 1
                        continue
                elif op == 0x33:  # rset
                    if stack and gas >= 2:
                        self.register = pop()
                        gas -= 2
                        pc = cp.next
                        n += 1
                        continue
                elif op == 0x31:  # spush
                    if gas >= 1:
                        push(self.static)
                        gas -= 1
                        pc = cp.next
                        n += 1
                        continue
                elif op == 0x37:  # pcpush
                    if gas >= 1:
                        push(cp)
                        gas -= 1
                        pc = cp.next
                        n += 1
                        continue
                elif op == 0x36:  # stackempty
                    if gas >= 2:
                        push(0 if stack else 1)
                        gas -= 2
                        pc = cp.next
                        n += 1
                        continue
            elif op < 0x50:
                if gas >= 1:
                    if op == 0x40:  # dup0
                        if stack:
                            push(stack[-1])
                            gas -= 1
                            pc = cp.next
                            n += 1
                            continue
                    elif op == 0x41:  # dup1
                        if len(stack) >= 2:
                            push(stack[-2])
                            gas -= 1
                            pc = cp.next
                            n += 1
                            continue
                    elif op == 0x43:  # swap1
                        if len(stack) >= 2:
                            stack[-1], stack[-2] = stack[-2], stack[-1]
                            gas -= 1
                            pc = cp.next
                            n += 1
                            continue
                    elif op == 0x42:  # dup2
                        if len(stack) >= 3:
                            push(stack[-3])
                            gas -= 1
                            pc = cp.next
                            n += 1
                            continue
                    elif op == 0x44:  # swap2
                        if len(stack) >= 3:
                            stack[-1], stack[-3] = stack[-3], stack[-1]
                            gas -= 1
                            pc = cp.next
                            n += 1
                            continue
            elif op == 0x50:  # tget
                if len(stack) >= 2 and gas >= 2:
                    i = stack[-1]
                    t = stack[-2]
                    if type(i) is int and type(t) is Tuple and i < len(t.items):
                        pop()
                        stack[-1] = t.items[i]
                        gas -= 2
                        pc = cp.next
                        n += 1
                        continue
            elif op == 0x53:  # xget
                if stack and aux and gas >= 3:
                    i = stack[-1]
                    t = aux[-1]
                    if type(i) is int and type(t) is Tuple and i < len(t.items):
                        stack[-1] = t.items[i]
                        gas -= 3
                        pc = cp.next
                        n += 1
                        continue
            # ---------------------------------------------------------------- general path
            self.gas_used += g0 - gas
            self.gas = gas
            self.pc = cp
            ev = exec_(cp)
            pc = self.pc
            gas = g0 = self.gas
            if ev & _BLOCKED:
                result = _BLOCKED
                break
            n += 1
            last = ev
            last_n = n
            if ev and (self.status != Status.EXTENSIVE or ev & stop_events):
                break
        self.steps += n
        self.gas_used += g0 - gas
        self.gas = gas
        self.pc = pc
        if last_n == n:
            result |= last
        ev_obj = _EVENTS.get(result)
        if ev_obj is None:
            ev_obj = _EVENTS[result] = Event(result)
        return ev_obj

    def adopt_hash_cache(self, other: Machine) -> None:
        """Take over ``other``'s stack-hash caches where they are longer than this machine's own.

        Safe for any other machine, typically another state of the same run: every cached pre-image is
        checked against the stack by value identity before it is used, and the first mismatch drops the
        rest. A restored state (a fresh checkpoint clone) that adopts the cache of the state it replaces
        then rehashes only what differs, not a whole 5,000-deep stack.
        """
        if other is self:
            return
        if len(other._dcache) > len(self._dcache):
            self._dcache = other._dcache.copy()
        if len(other._acache) > len(self._acache):
            self._acache = other._acache.copy()


def _pairing_gas(top: Value) -> int:
    """Variable part of ecpairing's gas: 500,000 per 2-tuple link, at most 30, stopping early."""
    cost = 0
    v = top
    for _ in range(EC_PAIRING_MAX_POINTS):
        if type(v) is not Tuple or len(v.items) != 2:
            break
        v = v.items[1]
        cost += EC_PAIRING_POINT_GAS
    return cost


# ====================================================================== opcode implementations
# Each takes (machine, codepoint) with the immediate already pushed, the gas charged and machine.pc
# already set to the next codepoint. Returns None (done), a str (AVM error: nothing was changed), or
# event bits. Operands are s0 = stack[-1], s1 = stack[-2], ...

_NOT_INT = "operand is not an integer"


def _ints(stack: list[Value], k: int) -> bool:
    for i in range(1, k + 1):
        if type(stack[-i]) is not int:
            return False
    return True


def _binary(fn: Callable[[int, int], int]) -> Callable[[Machine, CodePoint], str | None]:
    def op(m: Machine, cp: CodePoint) -> str | None:
        s = m.stack
        a = s[-1]
        b = s[-2]
        if type(a) is not int or type(b) is not int:
            return _NOT_INT
        s.pop()
        s[-1] = fn(a, b)
        return None

    return op


def _divlike(fn: Callable[[int, int], int]) -> Callable[[Machine, CodePoint], str | None]:
    def op(m: Machine, cp: CodePoint) -> str | None:
        s = m.stack
        a = s[-1]
        b = s[-2]
        if type(a) is not int or type(b) is not int:
            return _NOT_INT
        if b == 0:
            return "division by zero"
        s.pop()
        s[-1] = fn(a, b)
        return None

    return op


def _modop(fn: Callable[[int, int, int], int]) -> Callable[[Machine, CodePoint], str | None]:
    def op(m: Machine, cp: CodePoint) -> str | None:
        s = m.stack
        if not _ints(s, 3):
            return _NOT_INT
        a, b, c = s[-1], s[-2], s[-3]
        if c == 0:
            return "division by zero"
        del s[-2:]
        s[-1] = fn(a, b, c)  # type: ignore[arg-type]
        return None

    return op


def _unary(fn: Callable[[int], int]) -> Callable[[Machine, CodePoint], str | None]:
    def op(m: Machine, cp: CodePoint) -> str | None:
        s = m.stack
        a = s[-1]
        if type(a) is not int:
            return _NOT_INT
        s[-1] = fn(a)
        return None

    return op


def _op_eq(m: Machine, cp: CodePoint) -> None:
    s = m.stack
    a = s.pop()
    s[-1] = 1 if values_equal(a, s[-1]) else 0


def _op_hash(m: Machine, cp: CodePoint) -> None:
    s = m.stack
    s[-1] = int.from_bytes(value_hash(s[-1]), "big")


def _op_type(m: Machine, cp: CodePoint) -> None:
    s = m.stack
    s[-1] = type_code(s[-1])


def _op_keccakf(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    t = s[-1]
    if type(t) is not Tuple or len(t.items) != 7:
        return "keccakf needs a tuple of 7 integers"
    if any(type(x) is not int for x in t.items):
        return "keccakf needs a tuple of 7 integers"
    s[-1] = Tuple(tuple(arith.keccakf(list(t.items))))  # type: ignore[arg-type]
    return None


def _op_sha256f(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    if not _ints(s, 3):
        return _NOT_INT
    digest, first, second = s[-1], s[-2], s[-3]
    del s[-2:]
    s[-1] = arith.sha256f(digest, first, second)  # type: ignore[arg-type]
    return None


def _op_pop(m: Machine, cp: CodePoint) -> None:
    m.stack.pop()


def _op_spush(m: Machine, cp: CodePoint) -> None:
    m.stack.append(m.static)


def _op_rpush(m: Machine, cp: CodePoint) -> None:
    m.stack.append(m.register)


def _op_rset(m: Machine, cp: CodePoint) -> None:
    m.register = m.stack.pop()


_NOT_CP = "jump target is not a codepoint"


def _op_jump(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    t = s[-1]
    if type(t) is not CodePoint:
        return _NOT_CP
    s.pop()
    m.pc = t
    return None


def _op_cjump(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    t = s[-1]
    c = s[-2]
    if type(t) is not CodePoint:
        return _NOT_CP
    if type(c) is not int:
        return "cjump condition is not an integer"
    del s[-2:]
    if c:
        m.pc = t
    return None


def _op_stackempty(m: Machine, cp: CodePoint) -> None:
    s = m.stack
    s.append(0 if s else 1)


def _op_pcpush(m: Machine, cp: CodePoint) -> None:
    m.stack.append(cp)


def _op_auxpush(m: Machine, cp: CodePoint) -> None:
    m.aux.append(m.stack.pop())


def _op_auxpop(m: Machine, cp: CodePoint) -> None:
    m.stack.append(m.aux.pop())


def _op_auxstackempty(m: Machine, cp: CodePoint) -> None:
    m.stack.append(0 if m.aux else 1)


def _op_nop(m: Machine, cp: CodePoint) -> None:
    return None


def _op_errpush(m: Machine, cp: CodePoint) -> None:
    m.stack.append(m.err_handler)


def _op_errset(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    t = s[-1]
    if type(t) is not CodePoint:
        return "errset operand is not a codepoint"
    s.pop()
    m.err_handler = t
    return None


def _op_dup0(m: Machine, cp: CodePoint) -> None:
    s = m.stack
    s.append(s[-1])


def _op_dup1(m: Machine, cp: CodePoint) -> None:
    s = m.stack
    s.append(s[-2])


def _op_dup2(m: Machine, cp: CodePoint) -> None:
    s = m.stack
    s.append(s[-3])


def _op_swap1(m: Machine, cp: CodePoint) -> None:
    s = m.stack
    s[-1], s[-2] = s[-2], s[-1]


def _op_swap2(m: Machine, cp: CodePoint) -> None:
    s = m.stack
    s[-1], s[-3] = s[-3], s[-1]


def _index_error(i: Value, t: Value) -> str | None:
    if type(i) is not int:
        return "tuple index is not an integer"
    if i > MAX64:
        return "tuple index out of range"
    if type(t) is not Tuple:
        return "operand is not a tuple"
    if i >= len(t.items):
        return f"tuple index {i} out of range (tuple has {len(t.items)} slots)"
    return None


def _op_tget(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    i, t = s[-1], s[-2]
    err = _index_error(i, t)
    if err:
        return err
    s.pop()
    s[-1] = t.items[i]  # type: ignore[union-attr,index]
    return None


def _replace(t: Tuple, i: int, v: Value) -> Tuple:
    items = list(t.items)
    items[i] = v
    return Tuple(tuple(items))


def _op_tset(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    i, t = s[-1], s[-2]
    err = _index_error(i, t)
    if err:
        return err
    v = s[-3]
    del s[-2:]
    s[-1] = _replace(t, i, v)  # type: ignore[arg-type]
    return None


def _op_tlen(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    t = s[-1]
    if type(t) is not Tuple:
        return "operand is not a tuple"
    s[-1] = len(t.items)
    return None


def _op_xget(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    i, t = s[-1], m.aux[-1]
    err = _index_error(i, t)
    if err:
        return err
    s[-1] = t.items[i]  # type: ignore[union-attr,index]
    return None


def _op_xset(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    i, t = s[-1], m.aux[-1]
    err = _index_error(i, t)
    if err:
        return err
    v = s[-2]
    del s[-2:]
    m.aux[-1] = _replace(t, i, v)  # type: ignore[arg-type]
    return None


def _op_breakpoint(m: Machine, cp: CodePoint) -> int:
    m._emit(_BREAKPOINT, cp)
    return _BREAKPOINT


def _op_log(m: Machine, cp: CodePoint) -> int:
    v = m.stack.pop()
    m.log_acc = keccak256(m.log_acc + value_hash(v))
    m.log_count += 1
    m._emit(_LOG, v)
    return _LOG


def _op_send(m: Machine, cp: CodePoint) -> str | int:
    s = m.stack
    size, buf = s[-1], s[-2]
    if type(size) is not int or size > MAX64:
        return "send size is not a 64-bit integer"
    if type(buf) is not Buffer:
        return "send operand is not a buffer"
    if size > SEND_SIZE_LIMIT or size == 0 or buf.last_index() >= size:
        return "send size out of range (0 < size <= 10000, buffer must fit)"
    data = buf.get_bytes(0, size)
    del s[-2:]
    m.send_acc = keccak256(m.send_acc + keccak256(data))
    m.send_count += 1
    m._emit(_SEND, data)
    return _SEND


def _op_inbox(m: Machine, cp: CodePoint) -> int:
    if m.inbox_count >= len(m.inbox):
        return _BLOCKED
    msg = m.inbox[m.inbox_count]
    m.inbox_count += 1
    m.inbox_acc = acc_after_read(m.inbox, m.inbox_count - 1, m.inbox_acc, msg)
    m.stack.append(msg)
    m._emit(_INBOX, msg)
    return _INBOX


def _op_error(m: Machine, cp: CodePoint) -> str:
    return "error instruction"


def _op_halt(m: Machine, cp: CodePoint) -> int:
    m.status = Status.HALTED
    m.pc = cp
    return _HALT


def _op_setgas(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    g = s[-1]
    if type(g) is not int:
        return _NOT_INT
    s.pop()
    m.gas = g
    return None


def _op_pushgas(m: Machine, cp: CodePoint) -> None:
    m.stack.append(m.gas)


def _op_errcodepoint(m: Machine, cp: CodePoint) -> None:
    m.stack.append(error_codepoint())


def _op_pushinsn(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    op, target = s[-1], s[-2]
    if type(target) is not CodePoint:
        return "pushinsn target is not a codepoint"
    if type(op) is not int:
        return _NOT_INT
    s.pop()
    s[-1] = CodePoint(op & 0xFF, None, target)
    return None


def _op_pushinsnimm(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    op, imm, target = s[-1], s[-2], s[-3]
    if type(target) is not CodePoint:
        return "pushinsnimm target is not a codepoint"
    if type(op) is not int:
        return _NOT_INT
    del s[-2:]
    s[-1] = CodePoint(op & 0xFF, imm, target)
    return None


def _op_sideload(m: Machine, cp: CodePoint) -> str | int:
    s = m.stack
    block = s[-1]
    if type(block) is not int:
        return _NOT_INT
    s[-1] = NONE
    m._emit(_SIDELOAD, block)
    return _SIDELOAD


def _op_ecrecover(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    if not _ints(s, 4):
        return _NOT_INT
    r, sig_s, rec, msg = s[-1], s[-2], s[-3], s[-4]
    del s[-3:]
    s[-1] = arith.ecrecover(r, sig_s, rec, msg)  # type: ignore[arg-type]
    return None


def _op_ecadd(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    if not _ints(s, 4):
        return _NOT_INT
    res = arith.ecadd(s[-1], s[-2], s[-3], s[-4])  # type: ignore[arg-type]
    if res is None:
        return "invalid alt_bn128 point"
    del s[-2:]
    s[-1] = res[0]
    s[-2] = res[1]
    return None


def _op_ecmul(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    if not _ints(s, 3):
        return _NOT_INT
    res = arith.ecmul(s[-1], s[-2], s[-3])  # type: ignore[arg-type]
    if res is None:
        return "invalid alt_bn128 point"
    s.pop()
    s[-1] = res[0]
    s[-2] = res[1]
    return None


def _op_ecpairing(m: Machine, cp: CodePoint) -> str | None:
    s = m.stack
    v = s[-1]
    pairs = []
    bad = "ecpairing needs a list of (g1x, g1y, g2x0, g2x1, g2y0, g2y1) integer tuples"
    for _ in range(EC_PAIRING_MAX_POINTS):
        if type(v) is not Tuple:
            return bad
        if not v.items:
            break
        if len(v.items) != 2:
            return bad
        item, v = v.items
        if type(item) is not Tuple or len(item.items) != 6 or any(type(x) is not int for x in item.items):
            return bad
        pairs.append(item.items)
    if type(v) is not Tuple or v.items:
        return bad
    res = arith.ecpairing(pairs)  # type: ignore[arg-type]
    if res is None:
        return "invalid alt_bn128 point"
    s[-1] = res
    return None


def _op_debugprint(m: Machine, cp: CodePoint) -> int:
    v = m.stack.pop()
    m._emit(_DEBUGPRINT, v)
    return _DEBUGPRINT


def _op_newbuffer(m: Machine, cp: CodePoint) -> None:
    m.stack.append(EMPTY_BUFFER)


def _buf_args(s: list[Value], width: int) -> str | tuple[int, Buffer]:
    off, buf = s[-1], s[-2]
    if type(off) is not int or off > MAX64:
        return "buffer offset is not a 64-bit integer"
    if off + width - 1 > MAX64:
        return "buffer access runs past offset 2^64-1"
    if type(buf) is not Buffer:
        return "operand is not a buffer"
    return off, buf


def _getbuffer(width: int) -> Callable[[Machine, CodePoint], str | None]:
    def op(m: Machine, cp: CodePoint) -> str | None:
        s = m.stack
        args = _buf_args(s, width)
        if type(args) is str:
            return args
        off, buf = args  # type: ignore[misc]
        value = buf.get(off) if width == 1 else int.from_bytes(buf.get_bytes(off, width), "big")
        s.pop()
        s[-1] = value
        return None

    return op


def _setbuffer(width: int) -> Callable[[Machine, CodePoint], str | None]:
    limit = (1 << (8 * width)) - 1

    def op(m: Machine, cp: CodePoint) -> str | None:
        s = m.stack
        off, val, buf = s[-1], s[-2], s[-3]
        if type(off) is not int or off > MAX64:
            return "buffer offset is not a 64-bit integer"
        if type(val) is not int:
            return _NOT_INT
        if val > limit:
            return f"value does not fit in {width} byte{'s' if width > 1 else ''}"
        if off + width - 1 > MAX64:
            return "buffer access runs past offset 2^64-1"
        if type(buf) is not Buffer:
            return "operand is not a buffer"
        new = buf.set(off, val) if width == 1 else buf.set_bytes(off, val.to_bytes(width, "big"))
        del s[-2:]
        s[-1] = new
        return None

    return op


_OPS: list[Callable[[Machine, CodePoint], object]] = [None] * 256  # type: ignore[list-item]
for _code, _fn in {
    0x01: _binary(lambda a, b: (a + b) & MASK),
    0x02: _binary(lambda a, b: (a * b) & MASK),
    0x03: _binary(lambda a, b: (a - b) & MASK),
    0x04: _divlike(lambda a, b: a // b),
    0x05: _divlike(arith.sdiv),
    0x06: _divlike(lambda a, b: a % b),
    0x07: _divlike(arith.smod),
    0x08: _modop(lambda a, b, c: (a + b) % c),
    0x09: _modop(lambda a, b, c: (a * b) % c),
    0x0A: _binary(arith.exp),
    0x0B: _binary(arith.signextend),
    0x10: _binary(lambda a, b: 1 if a < b else 0),
    0x11: _binary(lambda a, b: 1 if a > b else 0),
    0x12: _binary(arith.slt),
    0x13: _binary(arith.sgt),
    0x14: _op_eq,
    0x15: _unary(lambda a: 0 if a else 1),
    0x16: _binary(lambda a, b: a & b),
    0x17: _binary(lambda a, b: a | b),
    0x18: _binary(lambda a, b: a ^ b),
    0x19: _unary(lambda a: a ^ MASK),
    0x1A: _binary(arith.byte_of),
    0x1B: _binary(arith.shl),
    0x1C: _binary(arith.shr),
    0x1D: _binary(arith.sar),
    0x20: _op_hash,
    0x21: _op_type,
    0x22: _binary(arith.ethhash2),
    0x23: _op_keccakf,
    0x24: _op_sha256f,
    0x30: _op_pop,
    0x31: _op_spush,
    0x32: _op_rpush,
    0x33: _op_rset,
    0x34: _op_jump,
    0x35: _op_cjump,
    0x36: _op_stackempty,
    0x37: _op_pcpush,
    0x38: _op_auxpush,
    0x39: _op_auxpop,
    0x3A: _op_auxstackempty,
    0x3B: _op_nop,
    0x3C: _op_errpush,
    0x3D: _op_errset,
    0x40: _op_dup0,
    0x41: _op_dup1,
    0x42: _op_dup2,
    0x43: _op_swap1,
    0x44: _op_swap2,
    0x50: _op_tget,
    0x51: _op_tset,
    0x52: _op_tlen,
    0x53: _op_xget,
    0x54: _op_xset,
    0x60: _op_breakpoint,
    0x61: _op_log,
    0x70: _op_send,
    0x72: _op_inbox,
    0x73: _op_error,
    0x74: _op_halt,
    0x75: _op_setgas,
    0x76: _op_pushgas,
    0x77: _op_errcodepoint,
    0x78: _op_pushinsn,
    0x79: _op_pushinsnimm,
    0x7B: _op_sideload,
    0x80: _op_ecrecover,
    0x81: _op_ecadd,
    0x82: _op_ecmul,
    0x83: _op_ecpairing,
    0x90: _op_debugprint,
    0xA0: _op_newbuffer,
    0xA1: _getbuffer(1),
    0xA2: _getbuffer(8),
    0xA3: _getbuffer(32),
    0xA4: _setbuffer(1),
    0xA5: _setbuffer(8),
    0xA6: _setbuffer(32),
}.items():
    _OPS[_code] = _fn
assert all((_OPS[c] is not None) == VALID[c] for c in range(256)), "opcode table and machine disagree"
del _code, _fn
