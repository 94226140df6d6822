"""Headless tests of the teaching screens, each pushed on its own in a minimal App."""

from __future__ import annotations

from machine_builders import counted_loop_source
from textual.app import App

from avm.core.keccak import ERRCP, keccak256
from avm.core.values import value_hash
from avm.formats.assembler import assemble
from debugger.tui.chain_hashes import preimage_parts, what_if
from debugger.tui.screens.codepoint_chain import CodepointChainScreen
from debugger.tui.widgets.codepoint_chain import ChainTable, CodepointChain

CHAIN_SRC = """
start: push 3
  push 4
  add
  push @end
  jump
  nop
end: halt
"""


class ScreenApp(App):
    def __init__(self, screen_factory) -> None:
        super().__init__()
        self._factory = screen_factory

    def on_mount(self) -> None:
        self.push_screen(self._factory())


def test_preimage_parts_rebuild_every_hash() -> None:
    prog = assemble(CHAIN_SRC)
    for cp in [*prog.code, prog.error_codepoint]:
        parts = preimage_parts(cp)
        data = b"".join(p for _, p in parts)
        assert len(data) == (66 if cp.imm is not None else 34)
        assert keccak256(data) == value_hash(cp)
    assert value_hash(prog.error_codepoint) == ERRCP


def test_what_if_changes_exactly_the_prefix() -> None:
    prog = assemble(CHAIN_SRC)
    change = what_if(prog, 4, 0x3B)            # jump -> nop
    assert sorted(change.hashes) == [0, 1, 2, 3, 4]
    for j in range(5):
        assert change.hashes[j] != value_hash(prog.code[j])
    # the rebuilt chain is a real chain: hashing it from scratch gives the same values
    assert change.entry_after == value_hash(change.codepoints[0]) != change.entry_before
    # row 3's immediate names row 6 (after the change): its hash is unchanged
    assert value_hash(change.codepoints[3].imm) == value_hash(prog.code[6])
    # a change at the last instruction changes every codepoint of the program
    assert len(what_if(prog, 6, 0x3B).hashes) == 7


def test_what_if_rebuilds_immediates_naming_changed_codepoints() -> None:
    prog = assemble("""
      push (1, @mid)
      nop
    mid: add
      halt
    """)
    change = what_if(prog, 2, 0x02)
    new_imm = change.codepoints[0].imm
    assert new_imm.items[1] is change.codepoints[2]
    assert value_hash(new_imm) != value_hash(prog.code[0].imm)


async def test_chain_screen_navigation_and_edit() -> None:
    prog = assemble(CHAIN_SRC)
    app = ScreenApp(lambda: CodepointChainScreen(prog, 0))
    async with app.run_test(size=(140, 32)) as pilot:
        await pilot.pause()
        chain = app.screen.query_one(CodepointChain)
        table = chain.query_one(ChainTable)
        text = chain.detail_text(0)
        assert "keccak256(66 bytes)" in text and "✓" in text
        assert value_hash(prog.code[0]).hex() in text
        await pilot.press("down", "down", "down")
        assert table.cursor == 3
        assert "row #6" in chain.detail_text(3)
        await pilot.press("enter")                # follow the jump target
        assert table.cursor == 6
        await pilot.press("up", "up")
        await pilot.press("e", *"nop", "enter")   # what if instruction 4 (jump) were nop?
        await pilot.pause()
        assert table.change is not None and sorted(table.change.hashes) == [0, 1, 2, 3, 4]
        detail = chain.detail_text(4)
        assert "opcode (nop)" in detail and "✓" in detail and "5 codepoint hashes change" in detail
        row = "".join(t for t, _ in table.row_text(2))
        assert "changed" in row
        assert "changed" not in "".join(t for t, _ in table.row_text(5))
        await pilot.press("x")
        assert table.change is None
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CodepointChainScreen)


async def test_chain_bad_opcode_is_reported_not_raised() -> None:
    prog = assemble(CHAIN_SRC)
    app = ScreenApp(lambda: CodepointChainScreen(prog))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(ChainTable)
        await pilot.press("e", *"bogus", "enter")
        await pilot.pause()
        assert table.change is None
        assert any("not an opcode" in n.message for n in app._notifications)


# ------------------------------------------------------------------------------------ proof inspector
async def test_proof_inspector_screen(conformance_dir) -> None:
    from textual.widgets import DataTable, Static

    from debugger.tui.screens.proof_inspector import ProofInspectorScreen

    path = conformance_dir / "proofs" / "opcodetestcode.mexe-proofs.json"
    app = ScreenApp(lambda: ProofInspectorScreen(str(path), start=4))
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProofInspectorScreen)
        entries = screen.query_one("#pi-entries", DataTable)
        rows = screen.query_one("#pi-rows", DataTable)
        assert entries.row_count == 6 and screen.current == 4
        fields = [str(rows.get_row_at(i)[3]).strip() for i in range(rows.row_count)]
        assert "stack[2] (s0, immediate)" in fields and "errHandlerHash" in fields
        hashes = str(screen.query_one("#pi-hash-text", Static).render())
        assert "c2038dc29f7ebdc0" in hashes and "✓ matches the file" in hashes
        await pilot.press("up")                       # entry 3
        await pilot.pause()
        assert screen.current == 3
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ProofInspectorScreen)


async def test_proof_inspector_in_memory_entry_and_bad_file(tmp_path) -> None:
    from textual.widgets import Static

    from avm.core.machine import Machine
    from avm.proofs.export import make_proof_entry
    from debugger.tui.screens.proof_inspector import ProofInspectorScreen

    m = Machine.from_program(assemble(CHAIN_SRC))
    m.run(2)
    entry = make_proof_entry(m)                      # the `add` step
    app = ScreenApp(lambda: ProofInspectorScreen([entry], title="step 3"))
    async with app.run_test(size=(150, 40)) as pilot:
        await pilot.pause()
        title = str(app.screen.query_one("#pi-title", Static).render())
        assert "step 3" in title and "add (0x01)" in title
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2")
    app = ScreenApp(lambda: ProofInspectorScreen(str(bad)))
    async with app.run_test(size=(150, 40)) as pilot:
        await pilot.pause()
        assert "not valid JSON" in str(app.screen.query_one("#pi-title", Static).render())


# ------------------------------------------------------------------------------------ dispute view
LOOP = counted_loop_source(300)


async def test_dispute_screen_runs_and_replays() -> None:
    from textual.widgets import Input, Static

    from debugger.tui.screens.dispute import DisputeScreen

    prog = assemble(LOOP, "loop.s")
    app = ScreenApp(lambda: DisputeScreen(prog, lie_at=1234))
    async with app.run_test(size=(150, 45)) as pilot:
        screen = app.screen
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(screen, DisputeScreen)
        assert screen.result is not None and screen.result.found_step == 1234
        text = str(screen.query_one("#dv-text", Static).render())
        assert "the game found step 1,234" in text and "round 1:" in text
        box = screen.query_one("#dv-lie", Input)
        box.focus()
        box.value = "77"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.result.found_step == 77
        await pilot.press("ctrl+l")                  # the liar becomes the challenger
        await pilot.pause()
        assert screen.result.liar.role == "challenger" and screen.result.found_step == 77
        box.value = "999999"
        await pilot.press("enter")
        await pilot.pause()
        assert "1..3300" in str(screen.query_one("#dv-status", Static).render())
        assert screen.result.found_step == 77        # the last good game stays on screen


async def test_chain_what_if_on_a_large_program_runs_in_the_background() -> None:
    from debugger.tui.widgets import codepoint_chain

    body = "\n".join(f"push {i}" for i in range(codepoint_chain.BACKGROUND_FROM + 10))
    prog = assemble(body + "\nhalt\n")
    app = ScreenApp(lambda: CodepointChainScreen(prog))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        chain = app.screen.query_one(CodepointChain)
        chain.apply_change(len(prog.code) - 1, 0x73)
        await app.workers.wait_for_complete()
        await pilot.pause()
        change = chain.table.change
        assert change is not None and len(change.hashes) == len(prog.code)
        assert change.entry_after == value_hash(change.codepoints[0])
