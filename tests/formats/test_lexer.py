"""The Pygments lexer for .s files: token categories, per-line lexing, entry point."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from pygments.lexers import get_lexer_by_name, guess_lexer_for_filename
from pygments.token import Comment, Error, Keyword, Name, Number, Punctuation, String

from avm.core.opcodes import CATEGORIES, OPCODES
from avm.formats.lexer import CATEGORY_TOKENS, MNEMONIC_TOKENS, AvmLexer, mnemonic_token
from debugger.resources import sample_names, sample_path


def tokens(line: str) -> list[tuple[object, str]]:
    lexer = AvmLexer(stripnl=False, ensurenl=False)
    return [(t, v) for t, v in lexer.get_tokens(line) if v.strip()]


def test_entry_point_finds_the_lexer() -> None:
    lexer = get_lexer_by_name("avm")
    assert isinstance(lexer, AvmLexer)
    assert lexer.name == "AVM" and "*.s" in lexer.filenames
    text = sample_path("loops.s").read_text()
    assert isinstance(guess_lexer_for_filename("loops.s", text), AvmLexer)


def test_mnemonics_by_category() -> None:
    assert tokens("add") == [(Keyword.Arithmetic, "add")]
    assert tokens("SDIV") == [(Keyword.Arithmetic, "SDIV")]
    assert tokens("eq") == [(Keyword.Logic, "eq")]
    assert tokens("dup0") == [(Keyword.Stack, "dup0")]
    assert tokens("push 1")[0] == (Keyword.Stack, "push")
    assert tokens("cjump") == [(Keyword.Control, "cjump")]
    assert tokens("tset") == [(Keyword.Tuple, "tset")]
    assert tokens("log") == [(Keyword.System, "log")]
    assert tokens("keccakf") == [(Keyword.Crypto, "keccakf")]
    assert tokens("ecpairing") == [(Keyword.Crypto.Curve, "ecpairing")]
    assert tokens("setbuffer256") == [(Keyword.Buffer, "setbuffer256")]
    assert tokens("op(0x71)")[0] == (Keyword.Pseudo, "op")
    # every category of the opcode table has its own subtype, and every mnemonic is covered
    assert set(CATEGORIES) <= set(CATEGORY_TOKENS)
    assert len(set(CATEGORY_TOKENS.values())) == len(CATEGORY_TOKENS)
    for info in OPCODES.values():
        assert MNEMONIC_TOKENS[info.mnemonic] is CATEGORY_TOKENS[info.category]
        assert mnemonic_token(info.mnemonic.upper()) is CATEGORY_TOKENS[info.category]
    assert mnemonic_token("nosuch") is Error


def test_other_elements() -> None:
    assert tokens("loop: add 0x10 ; c") == [
        (Name.Label, "loop"), (Punctuation, ":"), (Keyword.Arithmetic, "add"), (Number.Hex, "0x10"),
        (Comment.Single, "; c")]
    assert tokens("  push (1, @end, @error, [de ad], -5, N) ;> note") == [
        (Keyword.Stack, "push"), (Punctuation, "("), (Number.Integer, "1"), (Punctuation, ","),
        (Name.Function, "@end"), (Punctuation, ","), (Name.Builtin, "@error"), (Punctuation, ","),
        (String, "[de ad]"), (Punctuation, ","), (Number.Integer, "-5"), (Punctuation, ","),
        (Name.Constant, "N"), (Punctuation, ")"), (Comment.Special, ";> note")]
    assert tokens(".const N = 10")[:2] == [(Comment.Preproc, ".const"), (Name.Constant, "N")]
    assert tokens(".static (@main)")[0] == (Comment.Preproc, ".static")
    assert tokens(";> a lesson") == [(Comment.Special, ";> a lesson")]


def test_malformed_input_is_error_tokens() -> None:
    assert (Error, "12ab") in tokens("push 12ab")
    assert (Error, "[abc") in tokens("push [abc")
    assert (Error, "$") in tokens("push $")


def test_line_by_line_matches_whole_file_for_every_sample() -> None:
    whole_lexer = AvmLexer()
    line_lexer = AvmLexer(stripnl=False, ensurenl=False)
    for name in sample_names():
        text = sample_path(name).read_text()
        whole = [(t, v) for t, v in whole_lexer.get_tokens(text) if v.strip()]
        per_line = [(t, v) for line in text.splitlines() for t, v in line_lexer.get_tokens(line)
                    if v.strip()]
        assert per_line == whole, name
        assert not [v for t, v in whole if t is Error], name
        # the text is reproduced exactly, so the TUI can slice lines by token lengths
        for line in text.splitlines():
            assert "".join(v for _, v in line_lexer.get_tokens(line)) == line


def test_pygmentize_command_highlights_with_the_installed_plugin(tmp_path) -> None:
    """`pygmentize -l avm` finds the lexer through the package's entry point (needs an install)."""
    exe = Path(sys.executable).with_name("pygmentize")
    command = [str(exe)] if exe.exists() else [shutil.which("pygmentize") or "pygmentize"]
    source = tmp_path / "p.s"
    source.write_text("loop: add 1 ; note\n    cjump @loop\n", encoding="utf-8")
    out = subprocess.run([*command, "-l", "avm", "-f", "raw", str(source)], capture_output=True,
                         text=True, check=True)
    assert "Token.Name.Label" in out.stdout
    assert "Token.Keyword.Arithmetic" in out.stdout
    assert "Token.Comment" in out.stdout
