"""EVM assembly: mnemonics through py-evm's table, labels, raw hex, errors with line and column."""

from __future__ import annotations

import pytest

from avm.errors import UserError
from debugger.evm.asm import assemble_evm, disassemble


def test_labels_offsets_markers():
    prog = assemble_evm("  PUSH1 0x06   ;@ six\nloop:\n  JUMPDEST ;@ loop\n  PUSH @loop\n  JUMP\n")
    assert prog.code == bytes.fromhex("6006" "5b" "610002" "56")
    assert [(i.offset, i.text) for i in prog.instructions] == [
        (0, "PUSH1 0x06"), (2, "JUMPDEST"), (3, "PUSH2 0x0002"), (6, "JUMP")]
    assert prog.labels == {"loop": 2} and prog.markers == {0: "six", 2: "loop"}
    assert prog.instructions[2].line == 4


def test_sizes_aliases_and_raw_hex():
    assert assemble_evm("PUSH 300\nKECCAK256\nINVALID\n").code == bytes.fromhex("61012c20fe")
    raw = assemble_evm("0x6003 6005\n01  ; add\n")
    assert raw.code == bytes.fromhex("6003600501")
    assert [i.text for i in raw.instructions] == ["PUSH1 0x03", "PUSH1 0x05", "ADD"]
    assert [i.text for i in disassemble(bytes.fromhex("61ff"))] == ["PUSH2 0xff"]   # cut short at the end


@pytest.mark.parametrize("src, where, text", [
    ("ADD\n  ADDD\n", "x.evm:2:3:", "unknown EVM mnemonic 'ADDD' (did you mean ADD"),
    ("PUSH1 0x100\n", "x.evm:1:7:", "does not fit"),
    ("PUSH2 @nowhere\n", "x.evm:1:7:", "unknown label 'nowhere'"),
    ("ADD 1\n", "x.evm:1:5:", "takes no immediate"),
    ("PUSH1\n", "x.evm:1:1:", "needs a value"),
    ("PUSH1 1 2\n", "x.evm:1:9:", "one instruction per line"),
    ("a:\na:\nSTOP\n", "x.evm:2:1:", "defined twice"),
    ("0x600\n", "x.evm:1:1:", "odd number of hex digits"),
    ("STOP\n;@ dangling\n", "x.evm:2:1:", "no instruction after it"),
])
def test_errors_name_file_line_column(src, where, text):
    with pytest.raises(UserError) as err:
        assemble_evm(src, "x.evm")
    assert str(err.value).startswith(where) and text in str(err.value)
