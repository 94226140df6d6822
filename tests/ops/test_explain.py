"""The per-opcode teaching table and `avm-debug explain`."""

from __future__ import annotations

import re

import pytest

from avm.core import opcodes
from avm.core.machine import Machine
from avm.core.opcodes import Op
from avm.core.program import make_program
from avm.core.status import Status
from avm.core.values import Tuple
from avm.errors import UserError
from avm.formats.assembler import assemble
from avm.teach import explain
from debugger.cli.main import main


@pytest.mark.parametrize("code", sorted(opcodes.OPCODES))
def test_every_opcode_has_a_complete_entry(code: int) -> None:
    entry = opcodes.OPCODES[code]
    ex = explain.EXPLANATIONS[entry.code]
    assert ex.summary.strip() and ex.stack.strip() and ex.evm_note.strip() and ex.concept
    assert "--" in ex.stack
    # one operand name per popped item, and every name appears in the stack effect
    assert len(ex.operands) == entry.n_pops
    before = ex.stack.split("--")[0].split()
    assert list(reversed(before)) == list(ex.operands), "stack effect lists operands deepest first"
    if entry.n_aux_pops or entry.aux_push:
        assert ex.aux, "instructions that touch the aux stack describe the aux effect"


def test_no_entries_for_opcodes_the_machine_lacks() -> None:
    assert set(explain.EXPLANATIONS) == set(Op)


def test_gas_comes_from_the_opcode_table() -> None:
    # the gas column is rendered from avm.core.opcodes, never restated
    for row in explain.table_rows():
        entry = opcodes.BY_NAME[row[1]]
        assert row[2].split()[0] == str(entry.gas)
    text = explain.describe(opcodes.BY_NAME["tset"])
    assert f"gas {opcodes.BY_NAME['tset'].gas}" in text


def test_reference_facts() -> None:
    div = explain.EXPLANATIONS[Op.DIV]
    assert any("error" in e and "0" in e for e in div.errors)
    assert "0" in div.evm_note and "error" in div.evm_note
    for name in ("sdiv", "mod", "smod", "addmod", "mulmod"):
        assert any("0" in e for e in explain.EXPLANATIONS[Op[name.upper()]].errors), name
    assert explain.EXPLANATIONS[Op.SUB].stack == "b a -- a-b"          # s0 - s1
    assert "unchanged" in explain.EXPLANATIONS[Op.SIGNEXTEND].summary   # s0 >= 31 leaves s1
    assert explain.EXPLANATIONS[Op.EQ].errors == ()                     # eq never raises
    assert "most significant" in explain.EXPLANATIONS[Op.BYTE].summary
    # buffer opcodes: the offset is on top
    assert explain.EXPLANATIONS[Op.SETBUFFER8].operands[0] == "off"
    assert explain.EXPLANATIONS[Op.GETBUFFER256].operands == ("off", "buf")
    # ecadd pushes x on top
    assert explain.EXPLANATIONS[Op.ECADD].stack.endswith("y x")
    # concepts the EVM lacks are named
    for name in ("auxpush", "errset", "pushinsn", "tset", "inbox", "newbuffer", "sideload", "errcodepoint"):
        assert explain.EXPLANATIONS[Op[name.upper()]].evm_note


def test_resolve_by_name_and_number() -> None:
    assert explain.resolve("TSET").code == 0x51
    assert explain.resolve("0x51").mnemonic == "tset"
    assert explain.resolve("81").mnemonic == "tset"
    assert explain.resolve("0x71") is None        # inboxpeek: removed, invalid
    with pytest.raises(UserError, match="did you mean tset"):
        explain.resolve("tsett")
    with pytest.raises(UserError, match="out of range"):
        explain.resolve("0x100")


def test_cli_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "div"]) == 0
    out = capsys.readouterr().out
    assert "div  (opcode 0x04)" in out and "DIV" in out and "error" in out
    assert main(["explain", "0x00"]) == 0
    assert "invalid" in capsys.readouterr().out


def test_cli_unknown_opcode_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "swapp1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "did you mean" in err and "swap1" in err


def test_cli_list_has_every_opcode(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "--list"]) == 0
    out = capsys.readouterr().out
    for entry in opcodes.OPCODES.values():
        assert re.search(rf"^0x{entry.code:02x}\s+{entry.mnemonic}\s", out, re.M), entry.mnemonic
    assert "JUMPI" in out and "SIGNEXTEND" in out


# ------------------------------------------------------------------------------------- explain_step


def test_explain_step_shows_operands_and_error_outcome() -> None:
    prog = assemble("""
      push 0
      push 7
      ;> dividing by zero is an error in the AVM
      div
      halt
    """)
    m = Machine.from_program(prog)
    m.run(2)
    before = (m.machine_hash(), m.steps, m.gas_used)
    e = explain.explain_step(m)
    assert (m.machine_hash(), m.steps, m.gas_used) == before      # a dry run on a clone only
    assert e.mnemonic == "div" and e.index == 2
    got = [(o.name, o.position, o.text().split()[0]) for o in e.operands]
    assert got == [("a", "s0", "7"), ("b", "s1", "0")]
    text = e.render()
    assert "raises an AVM error" in text and "ErrorStop" in text
    assert "note: dividing by zero is an error in the AVM" in text
    assert "DIV" in text


def test_explain_step_immediate_is_s0_and_handler_jump() -> None:
    prog = assemble("""
      errset @h
      push (1, 2, 3)
      push 5
      tget
      halt
    h: halt
    """)
    m = Machine.from_program(prog)
    m.run(2)
    e = explain.explain_step(m)          # push 5 = nop with immediate 5
    assert e.operands[0].position == "s0, the immediate"
    assert any("immediate stays" in o for o in e.outcome)
    m.step()
    e = explain.explain_step(m)          # tget with index 5 on a 3-tuple
    assert e.operands[0].text().startswith("5") and e.operands[1].text().startswith("(3)")
    assert any("error handler at #5 <h>" in o for o in e.outcome)


XSET = """
      push (0, 0)
      auxpush
      push 7
      xset 1
      halt
"""


def test_operands_read_the_state_named_as_the_table_names_them(capsys: pytest.CaptureFixture[str]) -> None:
    m = Machine.from_program(assemble(XSET))
    m.run(3)                                       # xset 1 is next: s0 the immediate, s1 = 7, aux (0, 0)
    before = (m.machine_hash(), m.steps, m.gas_used)
    got = [(o.name, o.position, o.text()) for o in explain.operands(m)]
    assert (m.machine_hash(), m.steps, m.gas_used) == before          # reads the state, runs nothing
    assert got == [("i", "s0, the immediate", "1 (0x1)"), ("v", "s1", "7 (0x7)"),
                   ("x", "aux top", "(2) [0 (0x0), 0 (0x0)]")]
    # the same names in `avm-debug explain xset` and in the step explanation
    assert main(["explain", "xset"]) == 0
    assert "operands:  i = s0, v = s1, x = aux top" in capsys.readouterr().out
    assert [o.name for o in explain.explain_step(m).operands] == ["i", "v", "x"]
    # too short a stack: the missing operands are named and marked; a stopped machine runs nothing
    m.stack.clear()
    m.aux.clear()
    got = [(o.name, o.value, o.text()) for o in explain.operands(m)]
    assert got == [("i", 1, "1 (0x1)"), ("v", None, "(missing: stack underflow)"),
                   ("x", None, "(missing: aux underflow)")]
    m.run(5)
    assert m.status is Status.ERRORSTOP and m.pc.imm == 1            # stopped at xset 1: nothing runs,
    assert [(o.name, o.immediate) for o in explain.operands(m)] == [("i", True)]   # only its immediate


def test_explain_step_success_preview() -> None:
    prog = assemble("push (10, 20, 30)\npush 1\ntget\nhalt\n")
    m = Machine.from_program(prog)
    m.run(2)
    e = explain.explain_step(m)
    assert e.outcome[0].startswith("pushes 20")
    assert e.codepoint[0].startswith("codepoint hash")


@pytest.mark.parametrize("code", [*sorted(opcodes.OPCODES), 0x00, 0x71, 0xFF])
def test_explain_step_never_raises(code: int) -> None:
    # every opcode on a few awkward stacks: too short, wrong kinds, plausible
    for stack in ([], [Tuple((1, 2))], [Tuple(()), 0, 3, 2**256 - 1, 0, 1]):
        prog = make_program([(code, None), (0x74, None)])
        m = Machine.from_program(prog)
        m.stack.extend(stack)
        e = explain.explain_step(m)
        assert e.render() and e.outcome
