"""The Pygments lexer for mini sources."""

from __future__ import annotations

from pathlib import Path

from pygments.lexers import get_lexer_by_name
from pygments.token import Comment, Error, Keyword, Name, Number

from avm.formats.mini_lexer import MiniLexer


def test_entry_point_and_round_trip(source_dir: Path) -> None:
    assert isinstance(get_lexer_by_name("mini"), MiniLexer)
    for path in sorted(source_dir.rglob("*.mini")):
        text = path.read_text()
        tokens = list(MiniLexer(stripnl=False, ensurenl=False).get_tokens(text))
        assert "".join(v for _, v in tokens) == text
        assert not any(t in Error for t, _ in tokens)


def test_token_kinds() -> None:
    toks = [(t, v) for t, v in MiniLexer().get_tokens("view func f(x: int) { /* c */ let y = -3s; } // e")
            if v.strip()]
    kinds = dict((v, t) for t, v in toks)
    assert kinds["func"] in Keyword and kinds["int"] in Keyword.Type and kinds["view"] in Keyword
    assert kinds["f"] in Name.Function and kinds["3s"] in Number
    assert kinds["/*"] in Comment and kinds[" c "] in Comment and kinds["// e"] in Comment
