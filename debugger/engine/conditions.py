"""The breakpoint condition language: a tiny, safe expression language over the machine state.

Parsed by our own tokenizer and recursive-descent parser into closures; nothing is ever ``eval``'d.

    expr  := or
    or    := and (("or" | "||") and)*
    and   := not (("and" | "&&") not)*
    not   := ("not" | "!") not | cmp
    cmp   := atom [("==" | "!=" | "<" | "<=" | ">" | ">=") atom]
    atom  := INT | NAME | "(" expr ")"

Names: ``step`` (steps executed), ``gas`` (gas left), ``gas_used``, ``depth`` (data stack depth),
``aux_depth``, ``top`` (top of the data stack), ``top_type`` (its type code), ``register``, ``pc``
(instruction index; -1 for code built at run time), and the constants ``int`` 0, ``codepoint`` 1,
``tuple`` 3, ``buffer`` 12, ``true``, ``false``. Integers are decimal or ``0x`` hex (``_`` allowed).

A name that has no value (``top`` on an empty stack) is *absent*: it equals nothing, and every ordering
comparison with it is false. Non-integer values (tuples, codepoints, buffers) compare by AVM equality
(``top == register``) and are never ordered. A bare atom is true when it is a non-zero integer or any
other present value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from avm.core.values import MAX_INT, type_code, values_equal
from avm.errors import UserError

Evaluator = Callable[[Any], Any]   # machine -> value (int, AVM value, bool or None for absent)

_TOKEN = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<num>[0-9][0-9A-Za-z_]*)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>==|!=|<=|>=|&&|\|\||[<>!()])"
    r"|(?P<bad>.)"
)
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


class _Tok:
    __slots__ = ("kind", "text", "col", "raw")

    def __init__(self, kind: str, text: str, col: int, raw: str | None = None) -> None:
        self.kind, self.text, self.col = kind, text, col
        self.raw = text if raw is None else raw   # as written (``and`` for the ``&&`` operator)


def _error(source: str, col: int, message: str) -> UserError:
    caret = " " * (col - 1) + "^"
    err = UserError(f"condition, column {col}: {message}\n  {source}\n  {caret}", column=col)
    return err


def tokenize(source: str) -> list[_Tok]:
    """Tokens with 1-based columns; an ``end`` token closes the list."""
    out: list[_Tok] = []
    for m in _TOKEN.finditer(source):
        kind = m.lastgroup or "bad"
        text = m.group()
        col = m.start() + 1
        if kind == "ws":
            continue
        if kind == "bad":
            hint = " (use == to compare)" if text == "=" else ""
            raise _error(source, col, f"unexpected character {text!r}{hint}")
        if kind == "name" and text in _KEYWORDS:
            out.append(_Tok("op", _KEYWORDS[text], col, text))
            continue
        out.append(_Tok(kind, text, col))
    out.append(_Tok("end", "", len(source) + 1))
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


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.toks = tokenize(source)
        self.i = 0

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def fail(self, tok: _Tok, message: str) -> UserError:
        return _error(self.source, tok.col, message)

    def parse(self) -> Evaluator:
        if self.peek().kind == "end":
            raise self.fail(self.peek(), "empty condition")
        fn = self.parse_or()
        tok = self.peek()
        if tok.kind != "end":
            raise self.fail(tok, f"unexpected {tok.raw!r} (expected and/or or the end)")
        return fn

    def parse_or(self) -> Evaluator:
        left = self.parse_and()
        while self.peek().kind == "op" and self.peek().text == "||":
            self.take()
            right = self.parse_and()
            left = (lambda a, b: lambda m: _truth(a(m)) or _truth(b(m)))(left, right)
        return left

    def parse_and(self) -> Evaluator:
        left = self.parse_not()
        while self.peek().kind == "op" and self.peek().text == "&&":
            self.take()
            right = self.parse_not()
            left = (lambda a, b: lambda m: _truth(a(m)) and _truth(b(m)))(left, right)
        return left

    def parse_not(self) -> Evaluator:
        tok = self.peek()
        if tok.kind == "op" and tok.text == "!":
            self.take()
            inner = self.parse_not()
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
            text = tok.text
            if _HEX.match(text):
                value = int(text[2:].replace("_", ""), 16)
            elif _DEC.match(text):
                value = int(text.replace("_", ""))
            else:
                raise self.fail(tok, f"bad integer {text!r} (decimal or 0x hex)")
            if value > MAX_INT:
                raise self.fail(tok, "integer does not fit in 256 bits")
            return lambda m: value
        if tok.kind == "name":
            if tok.text in VARIABLES:
                return VARIABLES[tok.text]
            if tok.text in CONSTANTS:
                const = CONSTANTS[tok.text]
                return lambda m: const
            names = ", ".join(sorted([*VARIABLES, *CONSTANTS]))
            raise self.fail(tok, f"unknown name {tok.text!r} (known: {names})")
        if tok.kind == "op" and tok.text == "(":
            inner = self.parse_or()
            close = self.take()
            if close.kind != "op" or close.text != ")":
                raise self.fail(close, "expected ')'")
            return inner
        if tok.kind == "end":
            raise self.fail(tok, "unexpected end of condition (expected a value)")
        raise self.fail(tok, f"unexpected {tok.raw!r} (expected a number, a name or '(')")


class Condition:
    """A compiled condition: ``cond(machine) -> bool``."""

    __slots__ = ("source", "_fn")

    def __init__(self, source: str) -> None:
        self.source = source.strip()
        self._fn = _Parser(self.source).parse()

    def __call__(self, machine: Any) -> bool:
        return _truth(self._fn(machine))

    def __repr__(self) -> str:
        return f"Condition({self.source!r})"


def parse_condition(source: str) -> Condition:
    """Compile ``source``; bad text raises :class:`UserError` with the 1-based column."""
    return Condition(source)
