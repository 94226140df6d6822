"""One side of the side-by-side lesson screen, as Rich text: code around pc, stack, memory, storage,
gas, status, and the one-step proof of the next step. Values that changed since the last view shown are
highlighted."""

from __future__ import annotations

from rich.text import Text

from debugger.engine.display import instruction_text, short_hash
from debugger.evm.pairing import EVM, LessonRun, SideView

CODE_ROWS = 9
STACK_ROWS = 8
CHANGED = "bold yellow"
HEAD = "bold"
DIM = "dim"


def _section(text: Text, title: str) -> None:
    text.append(f"\n── {title} ", HEAD)
    text.append("─" * max(0, 30 - len(title)) + "\n", DIM)


def _code_rows(run: LessonRun, side: str) -> list[tuple[bool, str, str | None]]:
    """(is the next instruction, text, marker) for the code around the current instruction."""
    if side == EVM:
        pc = run.evm.state.pc
        insns = run.lesson.evm.instructions
        marks = run.lesson.evm.markers
        rows = [(i.offset == pc, f"{i.offset:04x}  {i.text}", marks.get(i.offset)) for i in insns]
    else:
        m = run.avm.machine
        here = -1 if m.status else m.pc.index
        program = run.lesson.avm
        rows = []
        for cp in program.code:
            label = program.labels.get(cp.index)
            name = f"{label}: " if label else ""
            text = f"{cp.index:>3} {short_hash(cp, 6)} {name}{instruction_text(cp, 30)}"
            rows.append((cp.index == here, text, run.lesson.avm_markers.get(cp.index)))
    current = next((k for k, r in enumerate(rows) if r[0]), len(rows))
    start = max(0, min(current - CODE_ROWS // 2, len(rows) - CODE_ROWS))
    return rows[start:start + CODE_ROWS]


def _changed(new: list[str], old: list[str] | None, bottom_aligned: bool = False) -> list[bool]:
    if old is None:
        return [False] * len(new)
    if bottom_aligned:      # stacks are listed top first: compare from the bottom
        n, o = len(new), len(old)
        return [(n - 1 - k) >= o or new[k] != old[o - n + k] for k in range(n)]
    return [k >= len(old) or line != old[k] for k, line in enumerate(new)]


def render_side(run: LessonRun, side: str, view: SideView, before: SideView | None, focused: bool) -> Text:
    machine = "EVM (py-evm)" if side == EVM else "AVM"
    t = Text()
    t.append(f"{machine}", "bold reverse" if focused else HEAD)
    t.append(f"  step {view.step:,}  {view.where}")
    if view.marker:
        t.append(f"  @{view.marker}", "bold green")
    t.append("\n")
    status_style = "bold red" if "error" in view.status or "fail" in view.status else ""
    t.append(view.status, status_style)
    gas_name = "gas" if side == EVM else "ArbGas"
    gas_style = CHANGED if before is not None and before.gas != view.gas else ""
    t.append(f"   {gas_name} ")
    t.append(view.gas, gas_style)
    if view.last:
        t.append(f"\nlast: {view.last}", DIM)
    _section(t, "code" if side == EVM else "code (codepoint hashes)")
    for here, line, marker in _code_rows(run, side):
        t.append("▶ " if here else "  ", "bold green" if here else "")
        t.append(line, "reverse" if here else "")
        if marker:
            t.append(f"  ;@ {marker}", "green")
        t.append("\n")
    _section(t, "stack (top first)")
    changed = _changed(view.stack, before.stack if before else None, bottom_aligned=True)
    for k, item in enumerate(view.stack[:STACK_ROWS]):
        t.append(f"{k:>3}: ", DIM)
        t.append(item + "\n", CHANGED if changed[k] else "")
    if len(view.stack) > STACK_ROWS:
        t.append(f"     ... {len(view.stack) - STACK_ROWS:,} more\n", DIM)
    if not view.stack:
        t.append("  (empty)\n", DIM)
    _section(t, "memory" if side == EVM else "tuples and buffers")
    _lines(t, view.memory, before.memory if before else None)
    _section(t, "storage" if side == EVM else "register and static")
    _lines(t, view.storage, before.storage if before else None)
    return t


def _lines(t: Text, lines: list[str], old: list[str] | None) -> None:
    for line, ch in zip(lines, _changed(lines, old), strict=True):
        t.append(f"  {line}\n", CHANGED if ch else "")


def render_proofs(evm: SideView, avm: SideView) -> Text:
    """The differences panel: what a one-step proof of each side's next step carries."""
    t = Text()
    t.append("One-step proof of the next step\n", HEAD)
    for name, view in (("EVM", evm), ("AVM", avm)):
        p = view.proof
        t.append(f"{name}: ", HEAD)
        if p is None:
            t.append("no step left\n", DIM)
            continue
        t.append(f"{p.total:,} bytes\n", "bold")
        for part, size in p.parts.items():
            if size:
                t.append(f"   {part:<8} {size:>6,} B\n")
        if p.detail:
            t.append(f"   {p.detail}\n", DIM)
    return t
