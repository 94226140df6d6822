"""Values as DAGs (issue 11, F6): time and peak memory to assemble, disassemble and write a tower of
``.const`` tuples, each an 8-tuple of the previous one (8**levels leaves, ``levels`` distinct tuples).

    python bench/bench_dag.py            # levels 6, 8, 40 and 200

Before the fix ``repro/dag_8.s`` took over 60 s and 1.7 GB to assemble to a .mexe and 29 s / 1.4 GB to
disassemble; level 7 took 7.0 s / 566 MB (asm) and 2.6 s / 194 MB (disasm of the .s).
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from collections.abc import Callable

from avm.errors import UserError
from avm.formats.assembler import assemble
from avm.formats.disassembler import disassemble
from avm.formats.mexe_writer import dumps_mexe


def tower(levels: int) -> str:
    lines = [".const A0 = 1"]
    lines += [f".const A{k} = ({', '.join([f'A{k - 1}'] * 8)})" for k in range(1, levels + 1)]
    return "\n".join(lines + [f"push A{levels}", "halt"]) + "\n"


def _call(what: Callable[[], object]) -> object:
    try:
        return what()
    except UserError as err:
        return err


def measure(what: Callable[[], object]) -> tuple[float, float, object]:
    """(seconds, peak MB allocated, result): timed without tracemalloc, then run again under it."""
    t0 = time.perf_counter()
    result = _call(what)
    elapsed = time.perf_counter() - t0
    tracemalloc.start()
    _call(what)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return elapsed, peak / 1e6, result


def main() -> None:
    levels = [int(a) for a in sys.argv[1:]] or [6, 8, 40, 200]
    print(f"{'levels':>6} {'assemble':>16} {'disassemble':>16} {'write .mexe':>16}  result of writing")
    for n in levels:
        source = tower(n)
        t_asm, m_asm, program = measure(lambda s=source, k=n: assemble(s, f"tower{k}.s"))
        t_dis, m_dis, text = measure(lambda p=program: disassemble(p))
        t_mexe, m_mexe, mexe = measure(lambda p=program: dumps_mexe(p))
        outcome = (f"refused ({str(mexe).split(': ', 1)[1][:40]}...)" if isinstance(mexe, UserError)
                   else f"{len(mexe):,} bytes")  # type: ignore[arg-type]
        print(f"{n:>6} {t_asm * 1e3:>8.1f} ms {m_asm:>4.1f} MB {t_dis * 1e3:>8.1f} ms {m_dis:>4.1f} MB "
              f"{t_mexe * 1e3:>8.1f} ms {m_mexe:>4.1f} MB  {outcome}; .s text {len(text):,} chars")  # type: ignore


if __name__ == "__main__":
    main()
