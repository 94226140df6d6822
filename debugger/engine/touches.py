"""What one step touched: the data flow of every opcode, places read and written, tuple diffs.

The machine's opcode table gives the *counted* pops and pushes of each instruction (``dup0`` pops 1 and
pushes 2); this module describes what physically happens to the stack slots, which is what questions
across time need: ``dup0`` writes one new slot (a copy of the top), ``swap2`` rewrites the top and the
third slot only, ``tget`` puts a slot of a tuple on the stack, ``auxpop`` moves the top of the aux stack.

Slots are addressed from the *bottom* here (``("data", i)``, ``("aux", j)``): a slot keeps its bottom
index for as long as nothing pops down to it, so "the last step that wrote bottom slot i" is a well
defined question (top-relative names such as ``s0`` move with every push).

A step's *operand stack* is the data stack after its immediate (if any) was pushed: the immediate is
the operand-stack slot ``data_len`` (the old depth).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from avm.core.machine import Event, Status
from avm.core.opcodes import N_AUX_POPS, N_POPS, Op, info, mnemonic
from avm.core.values import CodePoint, Tuple, Value
from debugger.engine.display import instruction_text

if TYPE_CHECKING:
    from debugger.engine.session import Session

# A location in one state: ("data", i) / ("aux", j) bottom-indexed, ("register",), ("errcp",), ("static",)
Loc = tuple
# Where a written value came from (in the state before the step, operand stack for "data"):
#   ("move", loc)                  the value at loc, unchanged (dup, swap, auxpush/pop, rpush, spush ...)
#   ("tget", loc, k)               slot k of the tuple at loc (tget, xget)
#   ("tset", tuple_loc, k, value_loc)  a copy of the tuple at tuple_loc with slot k = the value at value_loc
#   ("imm",)                       the instruction's immediate
#   ("inbox", n)                   inbox message number n
#   ("computed", what)             a new value computed by the instruction
Source = tuple

_ERROR = int(Event.ERROR)
_RSET, _ERRSET = int(Op.RSET), int(Op.ERRSET)

# success data flow of the stack-shuffling opcodes: (physical data pops, sources of the pushed slots from
# bottom to top as top-relative operand positions ("d", k) / ("a", k) / named sources). swap2 rewrites its
# middle slot with itself (not counted as a write); every other opcode pushes computed values.
_SHUFFLE: dict[int, tuple[int, tuple[Any, ...]]] = {
    Op.POP: (1, ()),
    Op.SPUSH: (0, ("static",)),
    Op.RPUSH: (0, ("register",)),
    Op.RSET: (1, ()),
    Op.JUMP: (1, ()),
    Op.CJUMP: (2, ()),
    Op.AUXPUSH: (1, ()),
    Op.AUXPOP: (0, (("a", 0),)),
    Op.NOP: (0, ()),
    Op.ERRPUSH: (0, ("errcp",)),
    Op.ERRSET: (1, ()),
    Op.DUP0: (0, (("d", 0),)),
    Op.DUP1: (0, (("d", 1),)),
    Op.DUP2: (0, (("d", 2),)),
    Op.SWAP1: (2, (("d", 0), ("d", 1))),
    Op.SWAP2: (3, (("d", 0), ("d", 1), ("d", 2))),
    Op.TGET: (2, ("tget",)),
    Op.TSET: (3, ("tset",)),
    Op.XGET: (1, ("xget",)),
    Op.XSET: (2, ()),
    Op.BREAKPOINT: (0, ()),
    Op.LOG: (1, ()),
    Op.SEND: (2, ()),
    Op.INBOX: (0, ("inbox",)),
    Op.ERROR: (0, ()),
    Op.HALT: (0, ()),
    Op.SETGAS: (1, ()),
    Op.DEBUGPRINT: (1, ()),
}
# aux flow on success: (physical aux pops, sources pushed)
_AUX: dict[int, tuple[int, tuple[Any, ...]]] = {
    Op.AUXPUSH: (0, (("d", 0),)),
    Op.AUXPOP: (1, ()),
    Op.XSET: (1, ("xset",)),
}


def _success_shape(op: int) -> tuple[int, int, int, int]:
    """(data pops, data pushes, aux pops, aux pushes) physically done by a successful ``op``."""
    if op in _SHUFFLE:
        pops, outs = _SHUFFLE[op]
    else:
        entry = info(op)
        pops, outs = (entry.n_pops, (None,) * entry.push) if entry else (0, ())
    apops, aouts = _AUX.get(op, (0, ()))
    return pops, len(outs), apops, len(aouts)


_SHAPES = [_success_shape(op) for op in range(256)]


def data_write_range(op: int, has_imm: bool, data_len: int, errored: bool) -> tuple[int, int, bool]:
    """(lo, hi, imm_kept): the bottom slots lo..hi-1 written by the instruction, and whether the
    immediate (slot ``data_len``) survived as a written slot of its own (when below ``lo``)."""
    h = data_len + (1 if has_imm else 0)
    if errored:
        keep = h - min(N_POPS[op], h)
        return keep, keep, has_imm and keep > data_len
    pops, pushes, _, _ = _SHAPES[op]
    keep = h - pops
    return keep, keep + pushes, has_imm and keep > data_len


def aux_write_range(op: int, aux_len: int, errored: bool) -> tuple[int, int]:
    if errored:
        keep = aux_len - min(N_AUX_POPS[op], aux_len)
        return keep, keep
    _, _, apops, apushes = _SHAPES[op]
    keep = aux_len - apops
    return keep, keep + apushes


def writes_register(op: int, errored: bool) -> bool:
    return op == _RSET and not errored


def writes_err(op: int, errored: bool) -> bool:
    return op == _ERRSET and not errored


@dataclass
class Effect:
    """The data flow of one executed step (state ``step`` -> ``step + 1``)."""

    step: int
    cp: CodePoint
    errored: bool
    data_len: int                  # data depth before the step (without the immediate)
    aux_len: int
    data: dict[int, Source] = field(default_factory=dict)   # bottom index -> source
    aux: dict[int, Source] = field(default_factory=dict)
    register: Source | None = None
    err: Source | None = None
    data_keep: int = 0             # operand-stack slots below this were not popped
    aux_keep: int = 0

    def source_of(self, loc: Loc) -> Source | None:
        """How the step wrote ``loc`` (None: it did not write it)."""
        kind = loc[0]
        if kind == "data":
            return self.data.get(loc[1])
        if kind == "aux":
            return self.aux.get(loc[1])
        if kind == "register":
            return self.register
        if kind == "errcp":
            return self.err
        return None

    def reads(self) -> list[Loc]:
        """Operand locations the instruction consumed or inspected (pre-step, operand stack)."""
        op = self.cp.op
        h = self.data_len + (1 if self.cp.imm is not None else 0)
        out: list[Loc] = [("data", i) for i in range(max(0, h - N_POPS[op]), h)]
        if op in (Op.DUP0, Op.DUP1, Op.DUP2) and not self.errored:
            out = [("data", h - 1 - (op - Op.DUP0))]
        out += [("aux", j) for j in range(max(0, self.aux_len - N_AUX_POPS[op]), self.aux_len)]
        if op == Op.RPUSH:
            out.append(("register",))
        elif op == Op.SPUSH:
            out.append(("static",))
        elif op == Op.ERRPUSH:
            out.append(("errcp",))
        return out


def _operand(m: Any, cp: CodePoint, k: int) -> Value:
    """Top-relative operand k of the step about to run on ``m`` (the immediate is operand 0)."""
    if cp.imm is not None:
        if k == 0:
            return cp.imm
        k -= 1
    return m.stack[-1 - k]


def step_effect(m: Any, ev: int | None = None) -> Effect:
    """The data flow of the step about to run on machine ``m`` (not modified). ``ev``: the step's event
    bits if already known; otherwise the step is run on a clone to learn whether it errored."""
    cp = m.pc
    if ev is None:
        probe = m.clone()
        ev = int(probe.step())
    errored = bool(ev & _ERROR)
    op = cp.op
    has_imm = cp.imm is not None
    dl, al = len(m.stack), len(m.aux)
    h = dl + (1 if has_imm else 0)
    eff = Effect(m.steps, cp, errored, dl, al)

    def dloc(k: int) -> Source:
        i = h - 1 - k
        return ("imm",) if has_imm and i == dl else ("move", ("data", i))

    lo, hi, imm_kept = data_write_range(op, has_imm, dl, errored)
    eff.data_keep = lo
    alo, ahi = aux_write_range(op, al, errored)
    eff.aux_keep = alo
    if imm_kept:
        eff.data[dl] = ("imm",)
    if errored:
        return eff
    outs = _SHUFFLE[op][1] if op in _SHUFFLE else (None,) * (hi - lo)
    for pos, src in zip(range(lo, hi), outs, strict=True):
        eff.data[pos] = _resolve(src, m, cp, h, dl, al, dloc, mnemonic(op))
    if op in _AUX:
        for pos, src in zip(range(alo, ahi), _AUX[op][1], strict=True):
            if src == "xset":
                eff.aux[pos] = ("tset", ("aux", al - 1), _operand(m, cp, 0), _loc(dloc(1)))
            else:
                eff.aux[pos] = _resolve(src, m, cp, h, dl, al, dloc, mnemonic(op))
    if op == Op.RSET:
        eff.register = dloc(0)
    elif op == Op.ERRSET:
        eff.err = dloc(0)
    # a slot rewritten with itself (swap2's middle) is not a write
    for pos in [p for p, s in eff.data.items() if s == ("move", ("data", p))]:
        del eff.data[pos]
    return eff


def _loc(src: Source) -> Loc:
    """The location of a move source; the immediate as the pseudo location ("imm",)."""
    return src[1] if src[0] == "move" else ("imm",)


def _resolve(src: Any, m: Any, cp: CodePoint, h: int, dl: int, al: int, dloc: Any, what: str) -> Source:
    if src is None:
        return ("computed", what)
    if isinstance(src, tuple):
        kind, k = src
        return dloc(k) if kind == "d" else ("move", ("aux", al - 1 - k))
    if src in ("static", "register", "errcp"):
        return ("move", (src,))
    if src == "tget":
        return ("tget", _loc(dloc(1)), _operand(m, cp, 0))
    if src == "xget":
        return ("tget", ("aux", al - 1), _operand(m, cp, 0))
    if src == "tset":
        return ("tset", _loc(dloc(1)), _operand(m, cp, 0), _loc(dloc(2)))
    if src == "inbox":
        return ("inbox", m.inbox_count)
    raise AssertionError(src)


# ---------------------------------------------------------------------- structural diff of values
@dataclass(frozen=True)
class PathChange:
    path: tuple[int, ...]
    status: str          # "shared" (same object as before), "replaced" (a different value), "new" (a new
    #                      tuple whose slots are compared below), "added" (no value there before)


def tuple_diff(old: Value | None, new: Value | None, limit: int = 200) -> list[PathChange]:
    """An exact structural diff of two values: tuples are immutable, so a subtree that is the same
    object is shared; a tuple that is not shared is listed as "new" and its slots are compared in turn.
    At most ``limit`` entries (breadth first)."""
    out: list[PathChange] = []
    todo: list[tuple[tuple[int, ...], Value | None, Value | None]] = [((), old, new)]
    while todo and len(out) < limit:
        path, a, b = todo.pop(0)
        if a is b:
            out.append(PathChange(path, "shared"))
        elif a is None:
            out.append(PathChange(path, "added"))
        elif type(a) is Tuple and type(b) is Tuple:
            out.append(PathChange(path, "new"))
            for k, item in enumerate(b.items):  # type: ignore[union-attr]
                before = a.items[k] if k < len(a.items) else None  # type: ignore[union-attr]
                todo.append(((*path, k), before, item))
        elif type(a) is int and type(b) is int and a == b:
            out.append(PathChange(path, "shared"))      # an int is its value: equal means unchanged
        else:
            out.append(PathChange(path, "replaced"))
    return out


def read_loc(m: Any, loc: Loc, path: tuple[int, ...] = ()) -> Value | None:
    """The value at a bottom-indexed location (and path) of machine ``m``; None when absent."""
    kind = loc[0]
    if kind == "data":
        v: Any = m.stack[loc[1]] if 0 <= loc[1] < len(m.stack) else None
    elif kind == "aux":
        v = m.aux[loc[1]] if 0 <= loc[1] < len(m.aux) else None
    elif kind == "register":
        v = m.register
    elif kind == "errcp":
        v = m.err_handler
    elif kind == "static":
        v = m.static
    else:
        return None
    for k in path:
        if type(v) is not Tuple or not 0 <= k < len(v.items):
            return None
        v = v.items[k]
    return v


# ---------------------------------------------------------------------- what a step touched, by name
@dataclass
class Touches:
    """What the instruction run from state ``step`` read (places named as in state ``step``) and wrote
    (named as in state ``step + 1``), with an exact structural diff per written place."""

    step: int
    index: int
    instruction: str
    errored: bool
    reads: list[str]
    writes: list[str]
    popped: int                        # data slots gone after the step (net)
    diffs: dict[str, list[PathChange]]


def loc_name(loc: Loc, depth: int, aux_depth: int, path: tuple[int, ...] = ()) -> str:
    """The screen name of a bottom-indexed location in a state with these depths (``s0``, ``aux1``,
    ``register`` ..., the operand-stack slot above the data stack being the immediate)."""
    kind = loc[0]
    if kind == "data":
        base = f"s{depth - 1 - loc[1]}" if loc[1] < depth else "immediate"
    elif kind == "aux":
        base = f"aux{aux_depth - 1 - loc[1]}"
    elif kind == "imm":
        base = "immediate"
    else:
        base = kind
    return base + "".join(f"[{k}]" for k in path)


def step_touches(before: Any, after: Any, ev: int, labels: Any = None) -> Touches:
    """What the step from machine state ``before`` to ``after`` (its events ``ev``) touched."""
    eff = step_effect(before, ev)
    dl, al = eff.data_len, eff.aux_len
    da, aa = len(after.stack), len(after.aux)
    reads = [loc_name(loc, dl, al) for loc in eff.reads()]
    written: list[tuple[Loc, Source]] = [(("data", i), s) for i, s in sorted(eff.data.items())]
    written += [(("aux", j), s) for j, s in sorted(eff.aux.items())]
    if eff.register is not None:
        written.append((("register",), eff.register))
    if eff.err is not None:
        written.append((("errcp",), eff.err))
    writes: list[str] = []
    diffs: dict[str, list[PathChange]] = {}
    for loc, src in written:
        name = loc_name(loc, da, aa)
        writes.append(name)
        old = read_loc(before, src[1]) if src[0] == "tset" else read_loc(before, loc)
        diffs[name] = tuple_diff(old, read_loc(after, loc))
    return Touches(eff.step, eff.cp.index, instruction_text(eff.cp, 32, labels), eff.errored, reads, writes,
                   max(0, dl - da), diffs)


def touches_at(session: Session, step: int) -> Touches:
    """What the instruction run from state ``step`` touched (``step`` < the end of the history;
    the step about to run from the current state is probed on a copy)."""
    before = session.machine if step == session.step else session.state_at(step)
    after = before.clone()
    ev = int(after.step())
    return step_touches(before, after, ev, session.program.labels)


def _errored_from_depth(before: Any, after: Any) -> bool | None:
    """Whether the step from ``before`` to ``after`` raised an error, read off the data depth (None when
    success and error leave the same depth). Learning it without running the step again matters: the
    step may be an ``ecpairing`` of seconds, and the marks are drawn on the UI thread."""
    cp = before.pc
    h = len(before.stack) + (1 if cp.imm is not None else 0)
    pops, pushes, _, _ = _SHAPES[cp.op]
    success, error = h - pops + pushes, h - min(N_POPS[cp.op], h)
    if h < pops or success == error:
        return None
    return len(after.stack) != success


def _errored_from_pc(before: Any, after: Any) -> bool | None:
    """Whether the step from ``before`` to ``after`` raised an error, read off where it went: an error
    goes to the error handler (or error-stops), success to the next instruction (None for jumps, and
    when the handler is that next instruction)."""
    cp = before.pc
    if after.status == Status.ERRORSTOP:
        return True
    if after.status != Status.EXTENSIVE or cp.op in (Op.JUMP, Op.CJUMP):
        return None
    handler = before.err_handler
    if handler is cp.next:
        return None
    return True if after.pc is handler else False if after.pc is cp.next else None


def next_reads(m: Any) -> list[str]:
    """The places the instruction about to run on ``m`` reads, by screen name, without running it: only
    a ``dup`` reads differently when it errors (and it is cheap to probe)."""
    cp = m.pc
    errored = False
    if cp.op in (Op.DUP0, Op.DUP1, Op.DUP2):
        errored = bool(int(m.clone().step()) & _ERROR)
    eff = Effect(m.steps, cp, errored, len(m.stack), len(m.aux))
    return [loc_name(loc, eff.data_len, eff.aux_len) for loc in eff.reads()]


def last_step_writes(session: Session) -> list[str]:
    """The places the last step (to the current state) wrote, by screen name. The current state is that
    step's result, so the step runs again only when the depth does not tell whether it errored."""
    after = session.machine
    before = session.state_at(session.step - 1)
    errored = _errored_from_depth(before, after)
    if errored is None:
        errored = _errored_from_pc(before, after)
    if errored is None:
        return touches_at(session, session.step - 1).writes
    return step_touches(before, after, _ERROR if errored else 0).writes


def marks_at(session: Session) -> dict[str, str]:
    """For the current state: the places the last step wrote ("w") and the next instruction will
    read ("r"; "rw" for both), by screen name (``s0``, ``aux1``, ``register``, ``errcp``, ``static``).
    Neither runs an expensive instruction (the stack panes call this on the UI thread)."""
    out: dict[str, str] = {}
    if session.step > session.history.start:
        for name in last_step_writes(session):
            out[name] = "w"
    m = session.machine
    if m.status == Status.EXTENSIVE and not m.blocked:
        for name in next_reads(m):
            if name != "immediate":
                out[name] = "r" + out.get(name, "")
    return out
