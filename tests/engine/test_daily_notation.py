"""One notation for "instruction N" in every message: ``#N`` as in the listing and the header (issue 18,
QA leftover); the location language reads both ``#N`` and ``@N``."""

from __future__ import annotations

import re

from tui_helpers import make_session

from debugger.engine.display import instruction_ref
from debugger.engine.insight import call_stack

AT_INDEX = re.compile(r"@\d")

ERRORS = """\
    errset @handler
    push 1
    error
    halt
handler:
    halt
"""


def test_messages_name_instructions_as_in_the_listing() -> None:
    session = make_session()
    assert instruction_ref(13) == "#13"
    bp = session.breakpoints.add("@13")                      # both forms are read
    assert session.breakpoints.add("#9").index == 9
    stop = session.continue_()
    assert stop.detail == "#1 at #13" and bp.describe(session.program).startswith("#1 at #13")
    frames = call_stack(session.program, session.machine)
    assert [f.describe() for f in frames][0].startswith("#0 func at #13")
    texts = [stop.detail, *(f.describe() for f in frames)]
    session.breakpoints.clear()
    session.goto(5)
    texts.append(session.step_over().detail)
    assert texts[-1] == "stepped over the call at #5"
    session.goto(6)
    texts.append(session.step_over_back().detail)
    assert not [t for t in texts if AT_INDEX.search(t)], texts


def test_an_error_is_logged_at_its_instruction() -> None:
    session = make_session(ERRORS, "errors.s")
    session.continue_()
    errors = [e.detail for e in session.outputs if e.kind == "error"]
    assert errors and errors[0].startswith("#2: ")
