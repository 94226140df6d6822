"""``explain`` by EVM mnemonic gives the AVM way (issue 18, item 15) and every opcode's error list
follows from the opcode table (item 17: no "stack underflow" for an instruction that pops nothing)."""

from __future__ import annotations

import pytest

from avm.core import opcodes
from avm.formats.assembler import AssemblyError, assemble
from avm.teach import explain
from avm.teach.evm_ways import EVM_WAYS, evm_way
from debugger.cli.main import main

COMMON_EVM = ("STOP ADD MUL SUB DIV SDIV MOD SMOD ADDMOD MULMOD EXP SIGNEXTEND LT GT SLT SGT EQ ISZERO AND "
              "OR XOR NOT BYTE SHL SHR SAR KECCAK256 SHA3 ADDRESS BALANCE ORIGIN CALLER CALLVALUE "
              "CALLDATALOAD CALLDATASIZE CALLDATACOPY CODESIZE CODECOPY GASPRICE EXTCODESIZE EXTCODECOPY "
              "RETURNDATASIZE RETURNDATACOPY EXTCODEHASH BLOCKHASH COINBASE TIMESTAMP NUMBER PREVRANDAO "
              "GASLIMIT CHAINID SELFBALANCE BASEFEE POP MLOAD MSTORE MSTORE8 SLOAD SSTORE JUMP JUMPI PC "
              "MSIZE GAS JUMPDEST TLOAD TSTORE MCOPY PUSH0 PUSH1 PUSH32 DUP1 DUP16 SWAP1 SWAP16 LOG0 LOG4 "
              "CREATE CALL CALLCODE RETURN DELEGATECALL CREATE2 STATICCALL REVERT INVALID "
              "SELFDESTRUCT").split()


@pytest.mark.parametrize("name", COMMON_EVM)
def test_every_common_evm_mnemonic_is_explained(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", name]) == 0
    out = capsys.readouterr().out
    assert "did you mean" not in out
    if name.lower() not in opcodes.BY_NAME:
        assert f"{name} is an EVM instruction" in out and "AVM instructions to look at" in out


@pytest.mark.parametrize(("name", "words"), [
    ("SSTORE", ["register", "rset", "tuples", "ArbOS"]), ("sload", ["register", "ArbOS"]),
    ("JUMPDEST", ["codepoint", "label", "pcpush"]), ("MSTORE", ["tuples", "buffer"]),
    ("push7", ["any value"]), ("CALLER", ["inbox"]), ("revert", ["errset"])])
def test_the_story_names_the_avm_way(name: str, words: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", name]) == 0
    out = capsys.readouterr().out
    for word in words:
        assert word in out, (name, word)


def test_every_instruction_named_in_a_story_exists() -> None:
    for way in EVM_WAYS.values():
        assert way.see and all(name in opcodes.BY_NAME for name in way.see)
    assert evm_way("add") is None and evm_way("PUSH33") is None


def test_the_assembler_hint_comes_from_the_same_table() -> None:
    with pytest.raises(AssemblyError) as info:
        assemble("sstore\n", "e.s")
    assert evm_way("sstore").hint in str(info.value)                     # type: ignore[union-attr]


@pytest.mark.parametrize("name", sorted(opcodes.BY_NAME))
def test_error_lists_follow_the_opcode_table(name: str) -> None:
    entry = opcodes.BY_NAME[name]
    text = explain.describe(entry)
    errors = text.split("errors:\n", 1)[1].split("\n\n", 1)[0]
    assert ("  - stack underflow" in errors) == (entry.n_pops > 0), name
    assert ("aux stack underflow" in errors) == (entry.n_aux_pops > 0), name
    assert "out of gas" in errors


def test_inbox_and_pushgas_cannot_underflow(capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("inbox", "pushgas", "pcpush", "halt"):
        assert main(["explain", name]) == 0
        assert "underflow" not in capsys.readouterr().out
