"""The codepoint chain as a full screen (``:chain``): why the AVM names instructions by hash instead of
by address.

Each row shows one codepoint beside its listing index (what an EVM would call the PC): the instruction,
its immediate, the hash of the next codepoint and its own hash. Selecting a row shows the keccak input
bytes of that codepoint and recomputes the hash in front of the user. The "what if" edit (``e``)
replaces one instruction's opcode and recomputes the chain: every codepoint before it (and every
immediate naming one of them) gets a new hash, the ones after it keep theirs.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

from debugger.tui.guard import DismissOnce
from debugger.tui.widgets.codepoint_chain import CodepointChain


class CodepointChainScreen(DismissOnce, Screen):
    """Full-screen codepoint chain; escape or q closes it."""

    BINDINGS = [Binding("escape,q", "dismiss", "Close")]

    def __init__(self, program: Any, pc_index: int | None = None) -> None:
        super().__init__()
        self.program = program
        self.pc_index = pc_index

    def compose(self) -> ComposeResult:
        yield CodepointChain(self.program, self.pc_index)
        yield Footer(compact=True)
