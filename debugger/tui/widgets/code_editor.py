"""A `TextArea` that highlights with a Pygments lexer (our `avm` lexer for `.s`), without tree-sitter.

Textual's `TextArea` highlights through tree-sitter grammars; the AVM assembly language has none, so
this subclass fills the same per-line highlight map from Pygments tokens (re-lexed on each edit, which
is cheap for lesson-sized files) and marks assembler errors.
"""

from __future__ import annotations

from dataclasses import replace

from pygments.lexer import Lexer
from pygments.token import Token, _TokenType
from rich.style import Style
from textual.widgets import TextArea
from textual.widgets.text_area import TextAreaTheme

from avm.formats.lexer import AvmLexer

# Pygments token type -> a highlight name that TextArea themes style
_NAMES: list[tuple[_TokenType, str]] = [
    (Token.Comment, "comment"),
    (Token.Keyword, "keyword"),
    (Token.Name.Function, "function"),
    (Token.Name.Label, "function"),
    (Token.Name.Builtin, "type.builtin"),
    (Token.Name.Constant, "constant.builtin"),
    (Token.Name.Tag, "tag"),
    (Token.Literal.String, "string"),
    (Token.Literal.Number, "number"),
    (Token.Operator, "operator"),
    (Token.Punctuation, "punctuation.bracket"),
    (Token.Name, "variable.builtin"),
]


def highlight_name(token: _TokenType) -> str | None:
    for kind, name in _NAMES:
        if token in kind:
            return name
    return None


ERROR = "avm.error"          # the highlight name of an assembler error's range


def _theme(dark: bool) -> TextAreaTheme:
    base = TextAreaTheme.get_builtin_theme("monokai" if dark else "github_light")
    assert base is not None
    styles = dict(base.syntax_styles)
    styles[ERROR] = Style(color="white", bgcolor="red", bold=True)
    return replace(base, name="avm-dark" if dark else "avm-light", syntax_styles=styles)


class CodeEditor(TextArea):
    """An editor for program text, highlighted by ``lexer`` (the AVM assembly lexer by default).
    :meth:`mark_error` underlines an assembler error's range until the next edit."""

    def __init__(self, text: str = "", *, lexer: Lexer | None = None, dark: bool = True,
                 **kwargs: object) -> None:
        self._lexer = lexer or AvmLexer()
        self._error: tuple[int, int, int] | None = None      # row, first and last column (0-based)
        super().__init__(text, show_line_numbers=True, tab_behavior="indent", **kwargs)  # type: ignore[arg-type]
        for theme in (_theme(True), _theme(False)):
            self.register_theme(theme)
        self.theme = "avm-dark" if dark else "avm-light"

    def mark_error(self, line: int, column: int, width: int = 1) -> None:
        """Highlight the 1-based ``line``/``column`` (``width`` characters) and put the cursor there."""
        row = max(0, min(line - 1, self.document.line_count - 1))
        col = max(0, column - 1)
        self._error = (row, col, col + max(1, width))
        self._build_highlight_map()
        self.move_cursor((row, col), center=True)
        self.refresh()

    def edit(self, edit):  # type: ignore[no-untyped-def]
        self._error = None               # an edit invalidates the error's position
        return super().edit(edit)

    def _build_highlight_map(self) -> None:
        self._line_cache.clear()
        highlights = self._highlights
        highlights.clear()
        row = col = 0                    # col counts UTF-8 bytes, as TextArea's highlight map does
        for token, value in self._lexer.get_tokens(self.text):
            name = highlight_name(token)
            for i, part in enumerate(value.split("\n")):
                if i:
                    row += 1
                    col = 0
                size = len(part.encode("utf-8"))
                if part and name:
                    highlights[row].append((col, col + size, name))
                col += size
        if self._error is not None:
            err_row, first, last = self._error
            line = self.document.get_line(err_row) if err_row < self.document.line_count else ""
            start = len(line[:first].encode("utf-8"))
            end = len(line[:last].encode("utf-8")) if last <= len(line) else None
            highlights[err_row].append((start, end or None, ERROR))
