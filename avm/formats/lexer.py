"""Pygments lexer for AVM assembly (``.s``), registered as the ``avm`` entry point.

Mnemonics get one token subtype per opcode-table category (see ``CATEGORY_TOKENS``), so a theme can
colour arithmetic, stack, control flow, tuple, system, hash/crypto, elliptic-curve and buffer
instructions differently. Every rule matches within one line: the TUI lexes each visible line on its
own (``stripnl=False, ensurenl=False``) and gets the same tokens as lexing the whole file.
"""

from __future__ import annotations

import re

from pygments.lexer import RegexLexer
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Whitespace,
    _TokenType,
)

from avm.core.opcodes import OPCODES

#: opcode-table category -> token type of its mnemonics
CATEGORY_TOKENS: dict[str, _TokenType] = {
    "arithmetic": Keyword.Arithmetic,
    "comparison/logic": Keyword.Logic,
    "hash/crypto": Keyword.Crypto,
    "ec": Keyword.Crypto.Curve,
    "stack": Keyword.Stack,
    "control": Keyword.Control,
    "tuple": Keyword.Tuple,
    "system": Keyword.System,
    "buffer": Keyword.Buffer,
}

# Token types of the other syntax elements (importable by the TUI's theme mapping).
LABEL = Name.Label                    # ``loop:``
CODEPOINT_REF = Name.Function         # ``@loop``
ERROR_CODEPOINT = Name.Builtin        # ``@error``
CONSTANT = Name.Constant              # a ``.const`` name
DIRECTIVE = Comment.Preproc           # ``.static`` ``.inbox`` ``.const`` ``.break``
LESSON_NOTE = Comment.Special         # ``;> narration``
COMMENT = Comment.Single              # ``; comment``
BUFFER = String                       # ``[de ad be ef]``
RAW_OPCODE = Keyword.Pseudo           # ``op(0x71)``


def _category_token(category: str) -> _TokenType:
    known = CATEGORY_TOKENS.get(category)
    if known is not None:
        return known
    # a category added to the opcode table later still gets its own subtype
    return getattr(Keyword, "".join(p.capitalize() for p in re.split(r"[^A-Za-z0-9]+", category) if p))


def _mnemonic_tokens() -> dict[str, _TokenType]:
    table = {info.mnemonic: _category_token(info.category) for info in OPCODES.values()}
    table["push"] = CATEGORY_TOKENS["stack"]     # push X = nop with an immediate
    return table


MNEMONIC_TOKENS: dict[str, _TokenType] = _mnemonic_tokens()
_RAW_OP_FOLLOWS = re.compile(r"[ \t]*\(")


def _word(lexer: RegexLexer, match: re.Match):
    """An identifier: a label definition (``name:``), a mnemonic, ``op`` of ``op(N)``, or a constant."""
    text = match.group()
    start = match.start()
    if text.endswith(":"):
        name = text[:-1].rstrip()
        yield start, LABEL, name
        if len(name) < len(text) - 1:
            yield start + len(name), Whitespace, text[len(name):-1]
        yield match.end() - 1, Punctuation, ":"
        return
    lower = text.lower()
    token = MNEMONIC_TOKENS.get(lower)
    if token is None:
        if lower == "op" and _RAW_OP_FOLLOWS.match(match.string, match.end()):
            token = RAW_OPCODE
        else:
            token = CONSTANT
    yield start, token, text


def mnemonic_token(mnemonic: str) -> _TokenType:
    """The token type the lexer gives ``mnemonic`` (e.g. for a legend or the instruction pane)."""
    return MNEMONIC_TOKENS.get(mnemonic.lower(), Error)


_AVM_DIRECTIVE = re.compile(r"^[ \t]*(?:[A-Za-z_]\w*:[ \t]*)?\.(?:static|inbox|const)\b|^[ \t]*;>", re.M)
_AVM_MNEMONIC = re.compile(r"^[ \t]*(?:tget|tset|cjump|auxpush|auxpop|spush|rpush|rset|xget|xset|errset|"
                           r"pcpush|halt)\b", re.M | re.I)


class AvmLexer(RegexLexer):
    """Classic Arbitrum AVM assembly, as read by ``avm.formats.assembler``."""

    name = "AVM"
    aliases = ["avm", "avm-asm"]
    filenames = ["*.s"]
    mimetypes = ["text/x-avm-asm"]
    url = "https://github.com/OffchainLabs/arbitrum-classic"
    flags = re.IGNORECASE | re.MULTILINE

    def analyse_text(text: str) -> float:  # type: ignore[misc]  # pygments wraps it as a staticmethod
        """Tell AVM assembly from other ``*.s`` dialects: AVM directives and mnemonics are distinctive."""
        if _AVM_DIRECTIVE.search(text):
            return 0.9
        if _AVM_MNEMONIC.search(text):
            return 0.5
        return 0.0

    tokens = {
        "root": [
            (r"\s+", Whitespace),
            (r"[a-z_]\w*(?:[ \t]*:)?", _word),
            (r"[(),]", Punctuation),
            (r"-?0x[0-9a-f](?:_?[0-9a-f])*\b", Number.Hex),
            (r"-?[0-9](?:_?[0-9])*\b", Number.Integer),
            (r"-?[0-9]\w*", Error),                       # malformed number, e.g. 12ab
            (r"@error\b", ERROR_CODEPOINT),
            (r"@[a-z_]\w*", CODEPOINT_REF),
            (r";>[^\n]*", LESSON_NOTE),
            (r";[^\n]*", COMMENT),
            (r"\.[a-z_]\w*", DIRECTIVE),
            (r"\[[0-9a-f_ \t]*\]", BUFFER),
            (r"\[[^\]\n]*\]?", Error),                    # bad or unterminated buffer literal
            (r"=", Operator),
            (r"[^\n]", Error),
        ],
    }


__all__ = ["AvmLexer", "CATEGORY_TOKENS", "MNEMONIC_TOKENS", "mnemonic_token"]
