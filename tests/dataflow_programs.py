"""Random looping programs that move values around (stacks, aux, register, tuples), for property tests
of questions across time; and a machine whose stacks log every slot written (an independent oracle)."""

from __future__ import annotations

import random
from typing import Any

from loop_programs import register_loop_source  # noqa: F401 -- re-exported: shared with bench
from machine_builders import program

from avm.core.machine import Machine
from avm.core.program import Program
from avm.core.values import Tuple

_POOL: list[tuple[Any, ...]] = [
    ("dup0",), ("dup1",), ("dup2",), ("swap1",), ("swap2",), ("auxpush",), ("auxpop",), ("rset",),
    ("rpush",), ("spush",), ("pop",), ("add",), ("mul",), ("tset",), ("tlen",), ("inbox",),
    ("nop", "INT"), ("nop", "TUPLE"), ("tget", "IDX"), ("xget", "IDX"), ("xset", "IDX"), ("add", "INT"),
    ("dup0", "INT"), ("swap1", "INT"), ("stackempty",), ("auxstackempty",), ("iszero",), ("nop",),
]


def random_program(rng: random.Random, length: int = 30) -> Program:
    """``errset`` to the start (so errors loop back instead of stopping), ``length`` random
    instructions, then a jump back to the start (its codepoint comes from the static)."""
    ops: list[tuple[Any, ...]] = [("spush",), ("tget", 0), ("errset",)]
    for _ in range(length):
        op = rng.choice(_POOL)
        if len(op) == 2:
            kind = op[1]
            if kind == "INT":
                imm: Any = rng.choice([0, 1, 2, 7, 300, 1 << 200])
            elif kind == "IDX":
                imm = rng.randrange(3)
            else:
                imm = Tuple(tuple(rng.choice([0, 5, 1 << 100, Tuple((1, 2))]) for _ in range(3)))
            ops.append((op[0], imm))
        else:
            ops.append(op)
    ops += [("spush",), ("tget", 0), ("jump",)]
    inbox = [Tuple((k, k + 1, 1 << 90)) for k in range(50)]
    prog = program(*ops, inbox=inbox)
    prog.static = Tuple((prog.code[0], Tuple((3, 4, 5))))
    return prog


class WriteLog(list):
    """A stack list that records the last step that wrote each slot (bottom index)."""

    def __init__(self, items: list, clock: list[int], last: dict[int, int]) -> None:
        super().__init__(items)
        self.clock = clock
        self.last = last

    def append(self, v: Any) -> None:
        super().append(v)
        self.last[len(self) - 1] = self.clock[0]

    def __setitem__(self, k: Any, v: Any) -> None:
        super().__setitem__(k, v)
        if isinstance(k, int):
            self.last[k % len(self)] = self.clock[0]
        else:
            for i in range(*k.indices(len(self))):
                self.last[i] = self.clock[0]

    def extend(self, vs: Any) -> None:
        for v in vs:
            self.append(v)


def last_writes(prog: Program, steps: int) -> tuple[Machine, dict[int, int], dict[int, int]]:
    """Run ``steps`` steps one by one on logging stacks: (machine, data slot -> last writing step,
    aux slot -> last writing step)."""
    m = Machine.from_program(prog)
    clock = [0]
    data: dict[int, int] = {}
    aux: dict[int, int] = {}
    m.stack = WriteLog([], clock, data)
    m.aux = WriteLog([], clock, aux)
    while m.steps < steps:
        clock[0] = m.steps
        m.step()
    return m, data, aux
