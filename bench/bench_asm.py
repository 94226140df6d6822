"""Assembler / disassembler / lexer speed on the 76k-instruction corpus contract (prints figures).

Usage: python bench/bench_asm.py [path/to/contract.mexe]   (default: ../shared/conformance/large/)
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from avm.core.values import value_hash
from avm.formats.assembler import assemble
from avm.formats.disassembler import disassemble
from avm.formats.lexer import AvmLexer
from avm.formats.mexe import load_mexe


def _timed(label: str, fn, repeat: int = 3):
    best = float("inf")
    result = None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    print(f"{label:<40} {best * 1000:9.1f} ms")
    return result


def main() -> None:
    default = Path(os.environ.get("AVM_CONFORMANCE_DIR", Path(__file__).resolve().parents[2] / "shared"
                                  / "conformance")) / "large" / "contract.mexe"
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    program = _timed("load_mexe", lambda: load_mexe(path), 1)
    print(f"{len(program.code)} instructions")
    text = _timed("disassemble", lambda: disassemble(program))
    print(f"{len(text):,} characters, {text.count(chr(10)):,} lines")
    rebuilt = _timed("assemble (the disassembly)", lambda: assemble(text, "contract.s"))
    same = value_hash(rebuilt.code[0]) == value_hash(program.code[0])
    print(f"round trip identical entry hash: {same}")
    lines = text.splitlines()[:20000]
    lexer = AvmLexer(stripnl=False, ensurenl=False)
    t = time.perf_counter()
    for line in lines:
        for _ in lexer.get_tokens(line):
            pass
    per_line = (time.perf_counter() - t) / len(lines) * 1e6
    print(f"{'lex one line (first 20k lines)':<40} {per_line:9.1f} us/line")


if __name__ == "__main__":
    main()
