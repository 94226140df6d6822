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
``_exec``, which implements the steps above and calls the opcode's function from ``avm.ops``
(``SEMANTICS``, built from the ``Op``-keyed tables of each category). Operands are checked explicitly,
so no program makes ``run`` raise.

Why the fast paths are written out, one ``if`` each: CPython has no cheaper dispatch. A call per step
(even to a local function) costs more than the add itself, and a version with one shared gas check and
one shared exit measured 10-35% slower on ``bench/bench_machine.py``. Each fast path must earn its
place with a figure there (without the ``stackempty`` and ``pcpush`` ones, their loops ran 2.0x and
1.3x slower).
"""

from __future__ import annotations

from collections.abc import Callable, Container
from typing import Any

from avm.core.inbox import INITIAL_ACC, copy_inbox
from avm.core.keccak import EMPTY_TUPLE_INNER, ZERO32, int_hash, keccak256
from avm.core.opcodes import (
    ERROR_GAS,
    GAS,
    N_AUX_POPS,
    N_POPS,
    VALID,
)
from avm.core.program import Program
from avm.core.status import BLOCKED as _BLOCKED
from avm.core.status import ERROR as _ERROR
from avm.core.status import ERRORSTOP as _ERRORSTOP
from avm.core.status import LIMIT as _LIMIT
from avm.core.status import STOP_AT as _STOP_AT
from avm.core.status import Event, Status
from avm.core.values import (
    NONE,
    CodePoint,
    Tuple,
    Value,
    value_hash,
    value_size,
)
from avm.ops import SEMANTICS
from avm.ops.crypto import pairing_gas

MAX_GAS = (1 << 256) - 1
MASK = MAX_GAS
MAX64 = (1 << 64) - 1
_HALT_HASH = bytes(32)
_ERRORSTOP_HASH = (1).to_bytes(32, "big")


_SEMANTICS = SEMANTICS

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
            size = (1 + value_size(v) + size) & MASK     # 256-bit, wrapping (see values.Tuple)
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
            cost += pairing_gas(stack[-1])
        if self.gas < cost:
            self.gas_used += ERROR_GAS
            self.gas = MAX_GAS
            return self._error(cp, "out of gas", npops, naux)
        self.gas -= cost
        self.gas_used += cost
        if not VALID[op]:
            return self._error(cp, f"invalid opcode 0x{op:02x}", npops, naux)
        self.pc = cp.next  # type: ignore[assignment]  # an error codepoint is never valid
        result = _SEMANTICS[op](self, cp)  # type: ignore[misc]  # not None: the opcode is valid
        if result is None:
            return 0
        if isinstance(result, str):
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
        # ``pc`` is untyped on purpose: after a valid instruction ``cp.next`` is never None, and
        # proving that to the type checker at each of the fast paths below would cost the hot loop
        pc: Any = self.pc
        cp: CodePoint
        gas = g0 = self.gas
        n = 0
        last = 0        # events of the last general-path step
        last_n = -1     # step number of that step
        check_stop = bool(stop_at)
        exec_ = self._exec
        from_bytes = int.from_bytes
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
                elif op == 0x20:  # hash (never an error)
                    if stack and gas >= 7:
                        a = stack[-1]
                        stack[-1] = from_bytes(int_hash(a) if type(a) is int else value_hash(a), "big")
                        gas -= 7
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
            elif op == 0x51:  # tset
                if len(stack) >= 3 and gas >= 40:
                    i = stack[-1]
                    t = stack[-2]
                    if type(i) is int and type(t) is Tuple and i < len(t.items):
                        items = list(t.items)
                        items[i] = stack[-3]
                        del stack[-2:]
                        stack[-1] = Tuple(tuple(items))
                        gas -= 40
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

