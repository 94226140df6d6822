"""What a ``.mexe`` or a ``.s`` file loads into: the code listing plus everything the debugger shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from avm.core.values import NONE, CodePoint, Value, error_codepoint, value_hash


@dataclass
class SourceLocation:
    file: str | None      # file name (from file_name_chart / the .s path)
    line: int             # 1-based
    column: int           # 1-based
    absolute: int | None = None   # the compiler's character offset into the file (checks the source)

    def __str__(self) -> str:
        return f"{self.file or '?'}:{self.line}:{self.column}"


@dataclass
class GlobalVar:
    """A global variable declared by the ArbOS compiler (kept for display)."""

    name: str
    offset: int | None          # slot in the globals tuple (None for compiler internals)
    type: str                   # the compiler's type, as text
    location: SourceLocation | None = None
    tipe: object = None          # the compiler's type, as parsed JSON (see debugger.engine.mini_types)


@dataclass
class Program:
    code: list[CodePoint]            # code[i].index == i; code[-1].next is error_codepoint
    error_codepoint: CodePoint        # op 0, next None, index len(code); hash ERRCP
    static: Value = NONE
    path: str | None = None           # where it was loaded from
    labels: dict[int, str] = field(default_factory=dict)
    locations: list[SourceLocation | None] = field(default_factory=list)
    compiled_breakpoints: set[int] = field(default_factory=set)
    notes: dict[int, str] = field(default_factory=dict)
    questions: dict[int, str] = field(default_factory=dict)   # ';?' quiz questions (.s lessons)
    inbox: list[Value] = field(default_factory=list)
    file_names: dict[int, str] = field(default_factory=dict)
    source_text: str | None = None
    globals: list[GlobalVar] = field(default_factory=list)   # compiler globals (name, register slot)
    type_tree: dict = field(default_factory=dict)   # compiler's named types: "path, id" -> [type, name]

    @property
    def entry(self) -> CodePoint:
        """The first instruction, or the error codepoint for an empty program."""
        return self.code[0] if self.code else self.error_codepoint

    def __len__(self) -> int:
        return len(self.code)

    def warm_hashes(self) -> None:
        """Hash every codepoint of the chain and the static value now, so that the first proof or
        machine hash does not (158 ms for the 75,754 instructions of contract.mexe). Idempotent and
        safe to run in a background thread while the machine runs: a hash is written once, and two
        threads computing the same one write the same bytes. Last instruction first, so each hash
        needs only its successor's."""
        for cp in reversed(self.code):
            if cp._hash is None:
                value_hash(cp)
        value_hash(self.static)


def link_code(ops: list[tuple[int, Value | None]]) -> tuple[list[CodePoint], CodePoint]:
    """Build the codepoint chain for ``(opcode, immediate)`` pairs: code[i].next = code[i+1], the last
    instruction's next is the program's error codepoint (index ``len(ops)``)."""
    err = error_codepoint(len(ops))
    code = [CodePoint(op, imm, None, i) for i, (op, imm) in enumerate(ops)]
    for i in range(len(code) - 1):
        code[i].next = code[i + 1]
    if code:
        code[-1].next = err
    return code, err


def make_program(ops: list[tuple[int, Value | None]], static: Value = NONE, **kwargs: object) -> Program:
    """A Program from ``(opcode, immediate)`` pairs (immediates must not reference the code itself;
    use ``link_code`` and fill immediates afterwards for that)."""
    code, err = link_code(ops)
    locations = kwargs.pop("locations", None) or [None] * len(code)
    return Program(code=code, error_codepoint=err, static=static, locations=locations, **kwargs)  # type: ignore[arg-type]
