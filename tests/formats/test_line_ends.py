"""Only ``\\n`` and ``\\r\\n`` end a ``.s`` line (issue 11, F7): a form feed, U+2028, \\x1c-\\x1e or \\x85
inside a comment stays in the comment, and line numbers match an editor's."""

from __future__ import annotations

import pytest

from avm.formats.assembler import AssemblyError, assemble, source_lines

ODD_BREAKS = ["\x0c", "\x0b", "\u2028", "\u2029", "\x1c", "\x1d", "\x1e", "\x85"]


@pytest.mark.parametrize("brk", ODD_BREAKS)
def test_an_odd_line_break_inside_a_comment_stays_in_the_comment(brk: str) -> None:
    program = assemble(f"; comment{brk} halt\nadd 1\n", "c.s")
    assert len(program.code) == 1
    assert program.locations[0].line == 2


@pytest.mark.parametrize("brk", ODD_BREAKS)
def test_error_lines_count_only_newlines(brk: str) -> None:
    with pytest.raises(AssemblyError) as info:
        assemble(f"nop ; a{brk}b\r\nnop\nbogus\n", "e.s")
    err = info.value
    assert (err.line, err.column) == (3, 1)
    assert "    3 | bogus" in str(err)


def test_source_lines() -> None:
    assert source_lines("a\r\nb\x0cc\nd") == ["a", "b\x0cc", "d"]
    assert source_lines("a\n") == ["a"]
    assert source_lines("") == []
    assert source_lines("\n\n") == ["", ""]


def test_the_listing_uses_the_same_lines() -> None:
    from debugger.engine.display import ListingText

    program = assemble("; x\x0c y\npush 7\nhalt\n", "l.s")
    assert ListingText(program)[0].strip() == "push 7"
