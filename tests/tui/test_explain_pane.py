"""The explain pane shows the operands of the instruction about to run as avm.teach.explain names them
(the names `avm-debug explain` prints), read from the state without running the step."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import make_app, settle

from avm.core.machine import Machine
from avm.formats.assembler import assemble
from avm.teach.explain import operands
from debugger.tui.explain_text import explain_lines
from debugger.tui.widgets.explain import ExplainPane

XSET = """\
    push (0, 0)
    auxpush
    push 7
    xset 1
    halt
"""


async def test_explain_pane_names_operands_as_the_explain_table(tmp_path: Path) -> None:
    app = make_app(tmp_path, XSET)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3", "s")
        await settle(app, pilot)
        session = app.session
        pane = app.query_one("#explain", ExplainPane)
        assert session.step == 3 and pane.plain.startswith("about to run #3")
        hash_before = session.machine.machine_hash()
        lines = [line.strip() for line in pane.plain.splitlines()]
        assert "i   = s0 1 (0x1)" in lines
        assert "v   = s1 7 (0x7)" in lines
        assert any(line.startswith("x   = aux top (2)") for line in lines)
        shown = [line.split("=")[0].strip() for line in lines if "= s" in line or "= aux" in line]
        assert shown == [o.name for o in operands(session.machine)] == ["i", "v", "x"]
        assert session.machine.machine_hash() == hash_before and session.step == 3


def test_explain_text_names_missing_operands() -> None:
    m = Machine.from_program(assemble("    push 1\n    add\n    halt\n"))
    m.run(1)                                       # add with one item on the stack
    text = [line for line, _ in explain_lines(m.pc, m, width=60)]
    assert "  a   = s0 1 (0x1)" in text and "  b   = s1 (missing: stack underflow)" in text
    assert "  underflow: this step will raise an error (5 gas)" in text
    # a highlighted instruction (no machine): its immediate only, no operands
    text = [line for line, _ in explain_lines(m.program.code[0], None, width=60)]
    assert "  immediate 1 (0x1)" in text and not any("= s0" in line for line in text)
