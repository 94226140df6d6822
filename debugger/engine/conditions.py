"""The breakpoint condition language: a tiny, safe expression language over the machine state.

Parsed by our own tokenizer and a depth-bounded recursive-descent parser into closures; nothing is
ever ``eval``'d.

    expr  := or
    or    := and (("or" | "||") and)*
    and   := not (("and" | "&&") not)*
    not   := ("not" | "!") not | cmp
    cmp   := atom [("==" | "!=" | "<" | "<=" | ">" | ">=") atom]
    atom  := INT | NAME | PLACE | "(" expr ")"

Names: ``step`` (steps executed), ``gas`` (gas left), ``gas_used``, ``depth`` (data stack depth),
``aux_depth``, ``top`` (top of the data stack), ``top_type`` (its type code), ``register``, ``pc``
(instruction index; -1 for code built at run time), and the constants ``int`` 0, ``codepoint`` 1,
``tuple`` 3, ``buffer`` 12, ``true``, ``false``. Any other name is a place of the location language
(:mod:`debugger.engine.locations`: ``s0``, ``a1``, ``stack[2]``, ``static``, ``s1[2][0]``,
``register[3]``, ...). Integers are decimal or ``0x`` hex (``_`` allowed), below 2**256.

Nesting (parentheses and ``not``) is limited to ``MAX_NESTING`` levels, and ``and``/``or`` chains are
flat lists, so neither parsing nor evaluation can exhaust Python's stack.

A name that has no value (``top`` on an empty stack) is *absent*: it equals nothing, and every ordering
comparison with it is false. Non-integer values (tuples, codepoints, buffers) compare by AVM equality
(``top == register``) and are never ordered. A bare atom is true when it is a non-zero integer or any
other present value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from avm.core.program import Program
from avm.core.values import MAX_INT, type_code, values_equal
from avm.errors import UserError
from debugger.engine.locations import NEVER, root_changed_by, scan_place

Evaluator = Callable[[Any], Any]   # machine -> value (int, AVM value, bool or None for absent)

MAX_NESTING = 64                   # parentheses plus ``not`` around any part of a condition
_NUMBER = re.compile(r"[0-9][0-9A-Za-z_]*")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OP = re.compile(r"==|!=|<=|>=|&&|\|\||[<>!()]")
_HEX = re.compile(r"0[xX][0-9A-Fa-f](?:_?[0-9A-Fa-f])*\Z")
_DEC = re.compile(r"[0-9](?:_?[0-9])*\Z")
_KEYWORDS = {"and": "&&", "or": "||", "not": "!"}
_COMPARE = ("==", "!=", "<", "<=", ">", ">=")


def _top(m: Any) -> Any:
    s = m.stack
    return s[-1] if s else None


def _top_type(m: Any) -> Any:
    s = m.stack
    return type_code(s[-1]) if s else None


VARIABLES: dict[str, Evaluator] = {
    "step": lambda m: m.steps,
    "gas": lambda m: m.gas,
    "gas_used": lambda m: m.gas_used,
    "depth": lambda m: len(m.stack),
    "aux_depth": lambda m: len(m.aux),
    "top": _top,
    "top_type": _top_type,
    "register": lambda m: m.register,
    "pc": lambda m: m.pc.index,
}
CONSTANTS: dict[str, int] = {"int": 0, "codepoint": 1, "tuple": 3, "buffer": 12, "true": 1, "false": 0}


# the variables that read a place of the location language (the others change at nearly every step)
_VARIABLE_ROOTS = {"register": "register", "pc": "pc"}


class _Tok:
    __slots__ = ("kind", "text", "col", "raw", "fn", "changed_by")

    def __init__(self, kind: str, text: str, col: int, raw: str | None = None,
                 fn: Evaluator | None = None, changed_by: frozenset[int] | None = NEVER) -> None:
        self.kind, self.text, self.col = kind, text, col
        self.raw = text if raw is None else raw   # as written (``and`` for the ``&&`` operator)
        self.fn = fn                               # kind "place": its reader
        self.changed_by = changed_by               # the opcodes that can change its value (None: any)


def _error(source: str, col: int, message: str) -> UserError:
    return UserError(f"condition, column {col}: {message} (in {source!r})" if len(source) <= 60 else
                     f"condition, column {col}: {message}", column=col)


def tokenize(source: str, program: Program | None = None) -> list[_Tok]:
    """Tokens with 1-based columns; an ``end`` token closes the list. Places are read whole (with
    their ``[i]`` paths) by the location language."""
    out: list[_Tok] = []
    pos, n = 0, len(source)
    while pos < n:
        ch = source[pos]
        col = pos + 1
        if ch.isspace():
            pos += 1
            continue
        if m := _NUMBER.match(source, pos):
            out.append(_Tok("num", m.group(), col))
            pos = m.end()
            continue
        if m := _NAME.match(source, pos):
            name = m.group()
            if name in _KEYWORDS:
                out.append(_Tok("op", _KEYWORDS[name], col, name))
                pos = m.end()
            elif (name in VARIABLES or name in CONSTANTS) and not source.startswith("[", m.end()):
                changed_by = NEVER if name in CONSTANTS else (
                    root_changed_by(_VARIABLE_ROOTS[name]) if name in _VARIABLE_ROOTS else None)
                out.append(_Tok("name", name, col, changed_by=changed_by))
                pos = m.end()
            else:
                try:
                    place, end = scan_place(source, pos, program)
                except UserError as err:
                    where = err.column or col
                    names = ", ".join(sorted([*VARIABLES, *CONSTANTS]))
                    message = err.message.split(" (column")[0]
                    if message.startswith("unknown place"):
                        message = f"unknown name {name!r} (known: {names}, or a place such as s0, a1, " \
                                  f"stack[2], static, s1[2][0])"
                    raise _error(source, where, message) from None
                out.append(_Tok("place", place.text, col, fn=place.read, changed_by=place.changed_by))
                pos = end
            continue
        if m := _OP.match(source, pos):
            out.append(_Tok("op", m.group(), col))
            pos = m.end()
            continue
        hint = " (use == to compare)" if ch == "=" else ""
        raise _error(source, col, f"unexpected character {ch!r}{hint}")
    out.append(_Tok("end", "", n + 1))
    return out


def _truth(v: Any) -> bool:
    if v is None or v is False:
        return False
    if type(v) is int or type(v) is bool:
        return v != 0
    return True


def _compare(op: str, a: Any, b: Any) -> bool:
    if a is None or b is None:
        return (a is None and b is None) if op == "==" else (op == "!=" and (a is None) != (b is None))
    ta, tb = type(a), type(b)
    if ta is bool:
        a, ta = int(a), int
    if tb is bool:
        b, tb = int(b), int
    if ta is int and tb is int:
        if op == "==":
            return a == b
        if op == "!=":
            return a != b
        if op == "<":
            return a < b
        if op == "<=":
            return a <= b
        if op == ">":
            return a > b
        return a >= b
    if op == "==":
        return values_equal(a, b)
    if op == "!=":
        return not values_equal(a, b)
    return False


def _integer(text: str) -> int | None:
    """The value of a decimal or hex literal; None when it is not one. Never converts more than 80
    digits (Python refuses very long ones; anything that long is out of range anyway)."""
    if _HEX.match(text):
        digits = text[2:].replace("_", "").lstrip("0")
        return MAX_INT + 1 if len(digits) > 64 else int(digits or "0", 16)
    if _DEC.match(text):
        digits = text.replace("_", "").lstrip("0")
        return MAX_INT + 1 if len(digits) > 78 else int(digits or "0")
    return None


class _Parser:
    def __init__(self, source: str, program: Program | None) -> None:
        self.source = source
        self.toks = tokenize(source, program)
        self.i = 0
        self.depth = 0

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def fail(self, tok: _Tok, message: str) -> UserError:
        return _error(self.source, tok.col, message)

    def enter(self, tok: _Tok) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.fail(tok, f"nested too deeply (more than {MAX_NESTING} levels of parentheses "
                                 f"and 'not')")

    def parse(self) -> Evaluator:
        if self.peek().kind == "end":
            raise self.fail(self.peek(), "empty condition")
        fn = self.parse_or()
        tok = self.peek()
        if tok.kind != "end":
            raise self.fail(tok, f"unexpected {tok.raw!r} (expected and/or or the end)")
        return fn

    def _chain(self, op: str, part: Callable[[], Evaluator]) -> list[Evaluator]:
        parts = [part()]
        while self.peek().kind == "op" and self.peek().text == op:
            self.take()
            parts.append(part())
        return parts

    def parse_or(self) -> Evaluator:
        parts = self._chain("||", self.parse_and)
        if len(parts) == 1:
            return parts[0]
        return lambda m: any(_truth(p(m)) for p in parts)

    def parse_and(self) -> Evaluator:
        parts = self._chain("&&", self.parse_not)
        if len(parts) == 1:
            return parts[0]
        return lambda m: all(_truth(p(m)) for p in parts)

    def parse_not(self) -> Evaluator:
        tok = self.peek()
        if tok.kind == "op" and tok.text == "!":
            self.take()
            self.enter(tok)
            inner = self.parse_not()
            self.depth -= 1
            return lambda m: not _truth(inner(m))
        return self.parse_cmp()

    def parse_cmp(self) -> Evaluator:
        left = self.parse_atom()
        tok = self.peek()
        if tok.kind == "op" and tok.text in _COMPARE:
            self.take()
            right = self.parse_atom()
            op = tok.text
            after = self.peek()
            if after.kind == "op" and after.text in _COMPARE:
                raise self.fail(after, "comparisons do not chain; use 'and'")
            return lambda m: _compare(op, left(m), right(m))
        return left

    def parse_atom(self) -> Evaluator:
        tok = self.take()
        if tok.kind == "num":
            value = _integer(tok.text)
            if value is None:
                raise self.fail(tok, f"bad integer {tok.text[:40]!r} (decimal or 0x hex)")
            if value > MAX_INT:
                raise self.fail(tok, "integer does not fit in 256 bits")
            return lambda m: value
        if tok.kind == "name":
            if tok.text in VARIABLES:
                return VARIABLES[tok.text]
            const = CONSTANTS[tok.text]
            return lambda m: const
        if tok.kind == "place" and tok.fn is not None:
            return tok.fn
        if tok.kind == "op" and tok.text == "(":
            self.enter(tok)
            inner = self.parse_or()
            close = self.take()
            if close.kind != "op" or close.text != ")":
                raise self.fail(close, "expected ')'")
            self.depth -= 1
            return inner
        if tok.kind == "end":
            raise self.fail(tok, "unexpected end of condition (expected a value)")
        raise self.fail(tok, f"unexpected {tok.raw!r} (expected a number, a name or '(')")


class Condition:
    """A compiled condition: ``cond(machine) -> bool``. ``changed_by``: the opcodes whose step can
    change its value (``when register == 5``: rset), None when nearly any step can (``s0``, ``step``)."""

    __slots__ = ("source", "_fn", "changed_by")

    def __init__(self, source: str, program: Program | None = None) -> None:
        self.source = source.strip()
        parser = _Parser(self.source, program)
        self._fn = parser.parse()
        self.changed_by: frozenset[int] | None = NEVER
        for tok in parser.toks:
            if tok.changed_by is None:
                self.changed_by = None
                break
            self.changed_by |= tok.changed_by

    def __call__(self, machine: Any) -> bool:
        return _truth(self._fn(machine))

    def __repr__(self) -> str:
        return f"Condition({self.source!r})"


def parse_expression(source: str, program: Program | None = None) -> Evaluator:
    """Compile ``source`` as a value, not a truth: ``s0``, ``gas_used``, ``register[1]`` (the quiz
    shows the actual value of what a student predicted)."""
    return _Parser(source.strip(), program).parse()


def parse_condition(source: str, program: Program | None = None) -> Condition:
    """Compile ``source``; bad text raises :class:`UserError` with the 1-based column. ``program``
    lets places named by providers (see :mod:`debugger.engine.locations`) resolve."""
    return Condition(source, program)
