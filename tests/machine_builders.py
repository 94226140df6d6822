"""Programs for machine and session tests: tiny ones built directly from (opcode, immediate) pairs, and
`.s` loops (the counted loop is shared with the benchmarks: bench/loop_programs.py)."""

from __future__ import annotations

from loop_programs import counted_loop_source  # noqa: F401 -- re-exported: one loop for tests and bench

from avm.core.machine import Machine
from avm.core.opcodes import BY_NAME
from avm.core.program import Program, link_code
from avm.core.values import NONE


def program(*ops: tuple, static=NONE, inbox=None) -> Program:
    """ops: (mnemonic or opcode number, immediate or None); an immediate "@k" is code[k], "@err" the
    error codepoint."""
    code, err = link_code([(BY_NAME[o].code if isinstance(o, str) else o, None) for o, *_ in ops])
    for cp, (_, *rest) in zip(code, ops, strict=True):
        imm = rest[0] if rest else None
        if isinstance(imm, str) and imm.startswith("@"):
            imm = err if imm == "@err" else code[int(imm[1:])]
        cp.imm = imm
    return Program(code=code, error_codepoint=err, static=static, locations=[None] * len(code),
                   inbox=list(inbox or []))


def run(*ops: tuple, steps: int = 100, **kw) -> Machine:
    m = Machine.from_program(program(*ops, **kw))
    m.run(steps)
    return m


def machine_at(prog: Program, step: int, inbox: list | None = None) -> Machine:
    """A fresh machine run from the start to state ``step`` (the independent answer for time travel)."""
    m = Machine.from_program(prog, inbox)
    m.run(step)
    assert m.steps == step
    return m


# Counts forever, the count also in the register (a backward jump through the static value): for
# interrupts, and for conditions on the register that never hold.
COUNT_FOREVER = """
.static (@loop)
    push 0
loop:
    add 1
    dup0
    rset
    spush
    tget 0
    jump
"""

# Twelve passes of an ecmul (an expensive instruction) between cheap ones: for checkpoints by cost.
EC_PASSES = 12
EC_PASS = "    push 7\n    push 2\n    push 1\n    ecmul\n    pop\n    pop\n"
EC_LOOP = EC_PASS * EC_PASSES + "    halt\n"
