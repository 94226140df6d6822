"""Pygments lexer for mini, the language ArbOS is written in (``.mini``), registered as the ``mini`` entry
point. The source pane lexes a whole file at once, so block comments may span lines."""

from __future__ import annotations

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Text, Whitespace

DECLARATIONS = ("use", "type", "struct", "func", "var", "let", "const", "impl", "closure")
QUALIFIERS = ("public", "view", "write", "throw", "safe", "sensitive", "impure", "noreturn")
CONTROL = ("if", "else", "while", "loop", "return", "error", "asm", "with", "xloop", "set", "panic",
           "debug", "unsafecast", "cast", "covariant_cast", "newfixedarray", "newarray", "newmap",
           "newbuffer", "hash", "len")
TYPES = ("uint", "int", "bool", "bytes32", "address", "buffer", "any", "option", "map", "void", "every")
CONSTANTS = ("true", "false", "None", "Some", "null")


class MiniLexer(RegexLexer):
    name = "Mini"
    aliases = ["mini"]
    filenames = ["*.mini"]

    tokens = {
        "root": [
            (r"\s+", Whitespace),
            (r"//[^\n]*", Comment.Single),
            (r"/\*", Comment.Multiline, "comment"),
            (r'"(\\\\|\\"|[^"\n])*"', String),
            (r"0x[0-9a-fA-F_]+s?\b", Number.Hex),
            (r"[0-9][0-9_]*s?\b", Number.Integer),
            (words(DECLARATIONS, suffix=r"\b"), Keyword.Declaration),
            (words(QUALIFIERS, suffix=r"\b"), Keyword.Reserved),
            (words(CONTROL, suffix=r"\b"), Keyword),
            (words(TYPES, suffix=r"\b"), Keyword.Type),
            (words(CONSTANTS, suffix=r"\b"), Name.Builtin),
            (r"(std|core|const)(::)", bygroups(Name.Namespace, Operator)),
            (r"[A-Za-z_][A-Za-z0-9_]*(?=\s*\()", Name.Function),
            (r"[A-Za-z_][A-Za-z0-9_]*", Name),
            (r"::|->|=>|==|!=|<=|>=|&&|\|\||<<|>>|[-+*/%&|^!~<>=]", Operator),
            (r"[{}()\[\],;:.?]", Punctuation),
            (r".", Text),
        ],
        "comment": [
            (r"[^*]+", Comment.Multiline),
            (r"\*/", Comment.Multiline, "#pop"),
            (r"\*", Comment.Multiline),
        ],
    }
