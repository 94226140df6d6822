"""The lesson comparison as text: marker by marker, both sides and their one-step proof sizes."""

from __future__ import annotations

from avm.core.machine import Machine
from debugger.evm.lesson import Lesson
from debugger.evm.pairing import LessonRun, SideView
from debugger.evm.proofsize import ProofSize, avm_step_proof, evm_step_proof, growth_rows
from debugger.evm.runner import FORK

DEFAULT_MAX_ROWS = 40


def _stack(view: SideView, n: int = 3) -> str:
    top = ", ".join(v.split(" ")[0] for v in view.stack[:n])
    more = f" +{len(view.stack) - n}" if len(view.stack) > n else ""
    return (top + more) or "-"


def _proof(p: ProofSize | None) -> str:
    if p is None:
        return "-"
    nonzero = [v for v in p.parts.values() if v]
    return f"{p.total} B ({p.breakdown()})" if len(nonzero) > 1 else f"{p.total} B"


def side_line(tag: str, view: SideView, gas_name: str) -> str:
    where = f"{view.where:<9}"
    text = view.instruction or view.status
    insn = f"{text if len(text) <= 18 else text[:17] + '…':<18}"     # cut with a mark, never silently
    return (f"{tag}  step {view.step:<5} {where} {insn} stack {_stack(view):<18.18} "
            f"{gas_name} {view.gas:<10} proof {_proof(view.proof)}")


def comparison_rows(run: LessonRun, max_rows: int) -> tuple[list[list[str]], int]:
    """Text rows (two lines each) from the start to the end of both sides; (rows, rows left off)."""
    run.restart()
    rows: list[list[str]] = []
    skipped = 0
    while True:
        if len(rows) < max_rows:
            marker = "start" if run.at_start else run.evm_marker() or run.avm_marker() or "end"
            rows.append([f"@{marker}",
                         "  " + side_line("EVM", run.evm_view(), "gas   "),
                         "  " + side_line("AVM", run.avm_view(), "ArbGas")])
        else:
            skipped += 1
        if run.at_end:
            break
        run.forward()
    return rows, skipped


def max_proofs(run: LessonRun) -> tuple[int, int]:
    """The largest one-step proof over every step of each side (EVM model, AVM real bytes)."""
    states = run.evm_run.states
    evm = max((evm_step_proof(run.evm_run.code, s, states[i], states[i + 1]).total
               for i, s in enumerate(run.evm_run.steps)), default=0)
    avm = 0
    m = Machine.from_program(run.lesson.avm, [])
    while (p := avm_step_proof(m)) is not None:
        avm = max(avm, p.total)
        m.step()
    return evm, avm


def format_comparison(lesson: Lesson, max_rows: int = DEFAULT_MAX_ROWS) -> tuple[str, bool]:
    """The table, and whether both sides ended with the lesson's stated result."""
    run = LessonRun(lesson)
    out = [f"{lesson.title}  ({lesson.path})",
           f"EVM ({FORK}, py-evm): {len(lesson.evm.code)} bytes of code, gas limit {lesson.gas:,}, "
           f"{len(run.evm_run.steps)} steps",
           f"AVM: {len(lesson.avm.code)} instructions, {run.avm_stops[-1]} steps", ""]
    rows, skipped = comparison_rows(run, max_rows)
    for row in rows:
        out.extend(row)
    if skipped:
        out.append(f"... {skipped} more marker stops (--max-rows)")
    same = run.evm_outcome == run.avm_outcome
    out += ["", f"EVM result: {run.evm_outcome}"
            + (f"  ({run.evm_run.error})" if run.evm_run.error else "")
            + f", gas used {run.evm_run.gas_used:,}",
            f"AVM result: {run.avm_outcome}, ArbGas used {run.avm_final.gas_used:,}",
            f"expected:   {lesson.result}  -> {'same result' if same else 'DIFFERENT RESULTS'}"]
    return "\n".join(out), same and run.evm_outcome == lesson.result


def format_proof_table(lessons: list[Lesson]) -> str:
    """One line per lesson: code size and the largest one-step proof on each side."""
    head = f"{'lesson':<14} {'EVM code':>8} {'steps':>6} {'max EVM proof':>13} {'AVM insns':>9} " \
           f"{'steps':>6} {'max AVM proof':>13}"
    lines = [head, "-" * len(head)]
    sizes = []
    for lesson in lessons:
        run = LessonRun(lesson)
        evm, avm = max_proofs(run)
        sizes.append((lesson.name, evm, avm))
        lines.append(f"{lesson.name:<14} {len(lesson.evm.code):>7}B {len(run.evm_run.steps):>6} "
                     f"{evm:>12}B {len(lesson.avm.code):>9} {run.avm_stops[-1]:>6} {avm:>12}B")
    scale = max([1] + [max(e, a) for _, e, a in sizes])
    lines += ["", "largest one-step proof (E = EVM model, A = AVM real bytes)"]
    for name, evm, avm in sizes:
        lines.append(f"{name:<14} E {evm:>5} {bar(evm, scale, 40)}")
        lines.append(f"{'':<14} A {avm:>5} {bar(avm, scale, 40)}")
    return "\n".join(lines)


def bar(value: int, scale: int, width: int = 16) -> str:
    return "█" * max(1, round(width * value / scale)) if value else ""


def format_growth(width: int = 16) -> str:
    """A small bar chart: the EVM proof part for growing code, memory and storage (AVM: constant)."""
    rows = growth_rows()
    scale = max(proof for _, points in rows for _, proof in points)
    lines = ["How the EVM proof grows with size", "(AVM: next codepoint = one 32-byte hash, any code size)"]
    for what, points in rows:
        lines.append(f"{what}:")
        for size, proof in points:
            lines.append(f"  {size:>9,} {proof:>5} B {bar(proof, scale, width)}")
    return "\n".join(lines)
