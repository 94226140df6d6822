"""Looping `.s` programs shared by the benchmarks and the tests (tests find this folder through
pytest's ``pythonpath``; a benchmark run as ``python bench/x.py`` has it on ``sys.path`` already)."""

from __future__ import annotations


def counted_loop_source(count: int) -> str:
    """A `.s` loop of about 11 steps per pass; the loop head comes from pcpush (immediates only name
    later code)."""
    return f"""
      push {count}
top:  pcpush
      auxpush
      push 1
      swap1
      sub
      dup0
      iszero
      push @done
      cjump
      auxpop
      jump
done: halt
"""


def register_loop_source(passes: int) -> str:
    """A `.s` loop of 8 instructions a pass whose register counts the passes (``rset`` every pass):
    the register changes at states 2 (to 0) and 8k - 2 (to k); the loop counter stays on the stack."""
    return f"""\
.static (@loop)
    push 0
    rset
    push {passes}
loop:
    rpush
    add 1
    rset
    add -1
    dup0
    spush
    tget 0
    cjump
    halt
"""

