"""The source pane and the Variables pane on their own (Pilot): lines, highlights, markers, changes."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from textual.app import App, ComposeResult

from debugger.engine.session import Session
from debugger.tui.widgets.source_pane import SourcePane
from debugger.tui.widgets.variables import VariablesPane


class PaneHost(App[None]):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.toggled: list[tuple[str, int]] = []
        self.moved: list[tuple[str, int]] = []

    def compose(self) -> ComposeResult:
        s = self.session
        yield SourcePane(s.source_map, lambda module: {ln for m, ln in self.toggled if m == module},
                         id="source")
        yield VariablesPane(s.program, id="variables")

    def on_source_pane_breakpoint_toggled(self, event: SourcePane.BreakpointToggled) -> None:
        self.toggled.append((event.module, event.line))
        self.query_one(SourcePane).refresh()

    def on_source_pane_cursor_moved(self, event: SourcePane.CursorMoved) -> None:
        self.moved.append((event.module, event.line))


async def test_source_pane_follows_the_pc_and_marks_breakpoints(open_program: Callable[..., Session]) -> None:
    session = open_program("upgradetests_upgrade1_old")
    app = PaneHost(session)
    async with app.run_test(size=(80, 30)) as pilot:
        pane = app.query_one(SourcePane)
        session.source_step("into")
        session.source_step("into")                          # global1 = 5;
        pane.show_instruction(session.machine.pc.index)
        await pilot.pause()
        assert pane.border_title == "upgrade1_old.mini"
        assert pane.pc_line == 15 and pane.pc_columns == (5, 12)
        row = next(line for line in pane.text().splitlines() if "global1 = 5;" in line)
        assert row.startswith("  15▶ ")
        pane.focus()
        await pilot.press("b")
        await pilot.press("shift+down")
        await pilot.pause()
        assert app.toggled == [("upgrade1_old", 15)] and app.moved[-1] == ("upgrade1_old", 16)
        row = next(line for line in pane.text().splitlines() if "global1 = 5;" in line)
        assert row.startswith("● 15▶ ")


async def test_source_pane_says_when_the_file_is_missing(arbos_dir: Path, tmp_path: Path) -> None:
    shutil.copy(arbos_dir / "upgradetests_regcopy_old.mexe", tmp_path)      # no sources beside it
    session = Session.load(tmp_path / "upgradetests_regcopy_old.mexe")
    app = PaneHost(session)
    async with app.run_test(size=(100, 10)) as pilot:
        pane = app.query_one(SourcePane)
        session.source_step("into")
        pane.show_instruction(session.machine.pc.index)
        await pilot.pause()
        assert pane.border_title == "regcopy_old.mini (missing)"
        assert "source of regcopy_old (regcopy_old.mini) not found" in pane.text().splitlines()[0]


async def test_variables_pane_shows_typed_globals_and_changes(open_program: Callable[..., Session]) -> None:
    session = open_program("upgradetests_upgrade1_old")
    app = PaneHost(session)
    async with app.run_test(size=(80, 20)) as pilot:
        pane = app.query_one(VariablesPane)
        pane.show_register(session.machine.register)
        session.continue_()                                     # blocks on its inbox after 13 steps
        assert session.step == 13
        pane.show_register(session.machine.register)
        await pilot.pause()
        assert pane.text() == "global1 = 5\nglobal2 = Some(-3s)"
        labels = [str(n.label) for n in pane.global_nodes()]
        assert labels == ["*global1: uint = 5", "*global2: option<int> = Some(-3s)"]
        assert pane.changed == {"global1", "global2"}
        pane.global_nodes()[1].expand()
        pane.show_register(session.machine.register)            # same state: nothing changed
        await pilot.pause()
        assert pane.changed == set()
        assert pane.global_nodes()[1].is_expanded                # expansion survives the update
        assert [str(n.label) for n in pane.global_nodes()[1].children] == [" Some: int = -3s"]


async def test_source_heat_adds_up_lines(open_program: Callable[..., Session]) -> None:
    session = open_program("looptest_upgrade2_base")
    session.continue_()
    smap = session.source_map
    gas = session.instruction_counts("gas")
    totals = smap.line_totals(gas)
    assert sum(totals.values()) + sum(gas[i] for i in range(len(gas)) if smap.owner_line(i) < 0) == \
        session.machine.gas_used
    app = PaneHost(session)
    async with app.run_test(size=(80, 30)) as pilot:
        pane = app.query_one(SourcePane)
        pane.show_line("impl2", 13)
        pane.set_heat(totals)
        await pilot.pause()
        row = next(line for line in pane.text().splitlines() if "return (17, 39);" in line)
        assert row.split()[:2] == ["13", f"{totals[('impl2', 13)]:,}"]
