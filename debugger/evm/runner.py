"""Run EVM bytecode on py-evm (the newest fork it ships) and record every executed opcode.

The capture hooks py-evm's own dispatch: the computation class's ``opcodes`` table is copied with each
entry wrapped, so names, static gas and semantics are py-evm's. The run happens in a throwaway
in-memory chain state holding one contract account; state changes are undone on failure by py-evm
itself (``apply_message``), exactly as a call would be.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eth.consensus.context import ConsensusContext
from eth.db.atomic import AtomicDB
from eth.db.chain import ChainDB
from eth.exceptions import Halt, VMError
from eth.vm.chain_context import ChainContext
from eth.vm.forks.prague import PragueVM
from eth.vm.message import Message
from eth_typing import Address

from avm.errors import UserError

VM_CLASS = PragueVM
FORK = VM_CLASS.fork
CONTRACT = Address(b"\xc0" + b"\x00" * 18 + b"\x01")
CALLER = Address(b"\xca" + b"\x00" * 18 + b"\x02")
DEFAULT_GAS = 100_000
#: The recorded trace holds at most this many steps (each keeps its stack and, when it changed, its
#: memory): a run that would go further is refused with a UserError asking for less gas.
MAX_STEPS = 200_000


def opcode_table() -> dict[int, Any]:
    """py-evm's opcode table of the fork we run: byte -> opcode (``.mnemonic``, ``.gas_cost``)."""
    return dict(VM_CLASS.get_state_class().computation_class.opcodes)


def opcode_name(fn: Any) -> str:
    """py-evm's mnemonic of an opcode (some are decorated functions wrapping the opcode object)."""
    return str(getattr(fn, "mnemonic", None) or fn.__wrapped__.mnemonic)


def static_gas(fn: Any) -> int:
    cost = getattr(fn, "gas_cost", None)
    if cost is None:
        cost = getattr(getattr(fn, "__wrapped__", None), "gas_cost", 0)
    return int(cost or 0)


def push_size(mnemonic: str) -> int:
    """Immediate bytes after a PUSHn (from the mnemonic py-evm gives it)."""
    if mnemonic.startswith("PUSH") and mnemonic[4:].isdigit():
        return int(mnemonic[4:])
    return 0


#: A recorded stack is a chain of cells (value, cell below), shared between consecutive states: an
#: instruction changes only the top few items, so a step costs O(items changed), not O(depth).
StackCell = tuple[int, "StackCell | None"]


@dataclass
class EvmState:
    """The machine before one instruction (or at the end of the run)."""

    pc: int | None            # byte offset of the next instruction (None at the end)
    top: StackCell | None     # the stack's top cell
    memory: bytes
    gas: int                  # gas left
    storage: dict[int, int]   # the contract's storage (non-zero slots)

    @property
    def stack(self) -> tuple[int, ...]:
        """The stack, bottom first."""
        out: list[int] = []
        cell = self.top
        while cell is not None:
            out.append(cell[0])
            cell = cell[1]
        return tuple(reversed(out))


@dataclass
class EvmStep:
    """One executed instruction."""

    pc: int
    opcode: int
    mnemonic: str
    push_data: bytes
    gas_before: int
    cost: int = 0              # gas actually charged (all that was left when it failed)
    static_cost: int = 0       # the fork's constant part; cost - static_cost is the dynamic part
    storage_read: tuple[int, int] | None = None    # SLOAD (slot, value)
    storage_write: tuple[int, int] | None = None   # SSTORE (slot, value)
    error: str | None = None

    @property
    def dynamic_cost(self) -> int:
        return self.cost - self.static_cost

    @property
    def text(self) -> str:
        return f"{self.mnemonic} 0x{self.push_data.hex()}" if self.push_data else self.mnemonic


@dataclass
class EvmRun:
    code: bytes
    gas_limit: int
    states: list[EvmState] = field(default_factory=list)   # len(steps) + 1
    steps: list[EvmStep] = field(default_factory=list)
    success: bool = False
    output: bytes = b""       # RETURN or REVERT data
    error: str | None = None  # why the call failed
    gas_used: int = 0

    @property
    def final(self) -> EvmState:
        return self.states[-1]

    @property
    def outcome(self) -> str:
        """``halt N`` (the 32-byte return value, else the top of the stack) or ``error``."""
        if not self.success:
            return "error"
        if len(self.output) == 32:
            return f"halt {int.from_bytes(self.output, 'big')}"
        if self.final.stack:
            return f"halt {self.final.stack[-1]}"
        return "halt"


class _TooLong(Exception):
    pass


def _as_int(v: int | bytes) -> int:
    return v if isinstance(v, int) else int.from_bytes(v, "big")


def _error_text(exc: BaseException) -> str:
    detail = str(exc)
    name = type(exc).__name__
    if name == "Revert":
        return "REVERT"
    if name == "OutOfGas":
        return "out of gas: " + detail.removeprefix("Out of gas: ").split(" - Reason")[0]
    return f"{name}: {detail}" if detail else name


class _Recorder:
    def __init__(self, run: EvmRun) -> None:
        self.run = run
        self.storage: dict[int, int] = {}
        self.memory = b""
        self.raw: list[int | bytes] = []              # py-evm's stack items at the last snapshot
        self.cells: list[StackCell] = []              # cells[i]: the cell of item i (bottom = 0)

    def _stack_top(self, raw: list[int | bytes]) -> StackCell | None:
        prev, cells = self.raw, self.cells
        keep = min(len(prev), len(raw))
        low = max(0, keep - 18)                       # DUP16/SWAP16 reach 17 items deep
        while keep > low and prev[:keep] != raw[:keep]:
            keep -= 1
        if keep == low and prev[:keep] != raw[:keep]:
            keep = 0
        del cells[keep:]
        for v in raw[keep:]:
            cells.append((_as_int(v), cells[-1] if cells else None))
        self.raw = list(raw)
        return cells[-1] if cells else None

    def snapshot(self, computation: Any, pc: int | None) -> EvmState:
        mem = computation._memory._bytes
        if len(mem) != len(self.memory) or mem != self.memory:
            self.memory = bytes(mem)
        top = self._stack_top(computation._stack.values)
        return EvmState(pc, top, self.memory, computation.get_gas_remaining(), self.storage)

    def wrap(self, opcode: int, fn: Any) -> Callable[..., None]:
        mnemonic = opcode_name(fn)
        n_push = push_size(mnemonic)
        static = static_gas(fn)
        run = self.run

        def captured(computation: Any) -> None:
            if len(run.steps) >= MAX_STEPS:
                raise _TooLong
            pc = computation.code.program_counter - 1
            code = run.code
            if pc >= len(code) or code[pc] != opcode:
                pc = len(code)              # the implicit STOP after the last byte
            state = self.snapshot(computation, pc)
            step = EvmStep(pc, opcode, mnemonic, code[pc + 1:pc + 1 + n_push], state.gas, static_cost=static)
            run.states.append(state)
            run.steps.append(step)
            stack = computation._stack.values
            slot = _as_int(stack[-1]) if stack else None
            try:
                fn(computation=computation)
            except Halt:
                step.cost = state.gas - computation.get_gas_remaining()
                raise
            except VMError as exc:
                step.error = _error_text(exc)
                step.cost = state.gas - computation.get_gas_remaining()
                if type(exc).__name__ != "Revert":
                    step.cost = state.gas        # an exceptional halt consumes all gas left
                raise
            step.cost = state.gas - computation.get_gas_remaining()
            if opcode == 0x54 and slot is not None:
                step.storage_read = (slot, _as_int(stack[-1]))
            elif opcode == 0x55 and slot is not None and state.top is not None and state.top[1] is not None:
                value = state.top[1][0]
                step.storage_write = (slot, value)
                self.storage = {k: v for k, v in self.storage.items() if k != slot}
                if value:
                    self.storage[slot] = value

        captured.mnemonic = mnemonic  # type: ignore[attr-defined]
        captured.gas_cost = static    # type: ignore[attr-defined]
        return captured


def _fresh_state() -> Any:
    db = AtomicDB()
    header = VM_CLASS.create_genesis_header(difficulty=0, gas_limit=30_000_000, timestamp=0)
    vm = VM_CLASS(header, ChainDB(db), ChainContext(1), ConsensusContext(db))
    return vm.state


def run_bytecode(code: bytes, gas: int = DEFAULT_GAS, calldata: bytes = b"") -> EvmRun:
    """Call a contract holding ``code`` with ``gas`` and record the run (raises UserError when the
    trace would exceed MAX_STEPS)."""
    run = EvmRun(code, gas)
    recorder = _Recorder(run)
    state = _fresh_state()
    state.set_code(CONTRACT, code)
    base = state.computation_class
    table = {op: recorder.wrap(op, fn) for op, fn in base.opcodes.items()}
    capturing = base.configure(__name__="CapturingComputation", opcodes=table)
    context = state.get_transaction_context_class()(gas_price=1, origin=CALLER)
    message = Message(to=CONTRACT, sender=CALLER, value=0, data=calldata, code=code, gas=gas)
    try:
        computation = capturing.apply_message(state, message, context)
    except _TooLong:
        raise UserError(f"the EVM run passed {MAX_STEPS:,} steps; give it less gas") from None
    run.success = computation.is_success
    run.output = bytes(computation.output)
    if computation.is_error:
        run.error = _error_text(computation.error)
        if run.steps and run.steps[-1].error is None:
            run.steps[-1].error = run.error
    run.gas_used = computation.get_gas_used()
    final = recorder.snapshot(computation, None)
    if not run.success:
        final.storage = {}       # py-evm reverted the account's state
    run.states.append(final)
    return run


def direct_run(code: bytes, gas: int = DEFAULT_GAS) -> tuple[Any, Any]:
    """py-evm alone, no capture: (computation, state) -- what the tests compare the recorded run to."""
    state = _fresh_state()
    state.set_code(CONTRACT, code)
    context = state.get_transaction_context_class()(gas_price=1, origin=CALLER)
    message = Message(to=CONTRACT, sender=CALLER, value=0, data=b"", code=code, gas=gas)
    return state.computation_class.apply_message(state, message, context), state
