"""The real inbox: ``inbox`` steps of an L1 inbox are proved in ``incrementInbox``'s layout and the
original contracts accept them, with test bridges holding that inbox's accumulators: sequencer messages
(first, in the middle and last in a batch), delayed messages, end-of-block messages, several batches."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from l1_oracle import Oracle
from random_programs import proved_steps

from avm.core.inbox import messages_from_json
from avm.core.l1_inbox import DELAYED_BIT, KIND_END_OF_BLOCK, KIND_L2_MESSAGE, L1Messages
from avm.core.machine import Machine
from avm.formats.assembler import assemble
from avm.proofs.export import make_proof
from avm.proofs.l1_verdict import l1_rejection
from avm.proofs.verifier import verify_entry
from debugger.engine.loading import load_program
from debugger.resources import sample_path

READ_ALL = """
    inbox
    inbox
    inbox
    inbox
    inbox
    inbox
    inbox
    inbox
    halt
"""

#: three batches: a delayed range of two in the middle of batch 0, a batch of one end-of-block message,
#: a batch that starts with a delayed message and ends with sequencer messages
INBOX = {
    "delayed": [
        {"kind": 9, "sender": "0x1234", "block": 5, "timestamp": 50, "gas_price": 7, "data": "0x0102"},
        {"kind": 12, "sender": "0x5678", "block": 6, "timestamp": 60, "text": ""},
        {"sender": "0x9abc", "block": 7, "timestamp": 70, "data": "0x" + "ff" * 70},
    ],
    "batches": [
        {"block": 10, "timestamp": 100, "items": [{"text": "a"}, {"delayed": 2}, {"data": "0x00"}]},
        {"block": 11, "timestamp": 110, "items": [{"end_of_block": True}]},
        {"block": 12, "timestamp": 120, "items": [{"delayed": 3, "block": 11}, {"text": "z" * 40}]},
    ],
}


def l1_machine(source: str, doc: dict) -> Machine:
    inbox = messages_from_json(doc)
    assert isinstance(inbox, L1Messages)
    return Machine.from_program(assemble(source, "read.s"), inbox)


def test_the_inbox_model_numbers_messages_like_the_contracts() -> None:
    l1 = messages_from_json(INBOX).l1
    kinds = [(m.kind, m.read_seq_num(), m.batch) for m in l1.messages]
    assert kinds == [(KIND_L2_MESSAGE, 0, 0), (9, DELAYED_BIT | 0, 0), (12, DELAYED_BIT | 1, 0),
                     (KIND_END_OF_BLOCK, 3, 0), (KIND_L2_MESSAGE, 4, 0), (KIND_END_OF_BLOCK, 5, 1),
                     (3, DELAYED_BIT | 2, 2), (KIND_END_OF_BLOCK, 7, 2), (KIND_L2_MESSAGE, 8, 2)]
    assert len(l1.batch_accs) == 3 and len(l1.delayed_accs) == 3


def test_every_inbox_step_is_accepted_by_the_contracts(oracle: Oracle) -> None:
    m = l1_machine(READ_ALL + "\n", INBOX)
    oracle.use_inbox(m.inbox)
    reads = 0
    for n, entry in proved_steps(m, 20):
        assert verify_entry(entry).ok, n
        assert oracle.disagreement(entry) is None, f"step {n}: {oracle.disagreement(entry)}"
        reads += entry.after.inbox_count - entry.before.inbox_count
    assert reads == 8 and m.stack[-1].items[4] == 7


def test_the_sample_reads_two_batches_and_a_delayed_message(oracle: Oracle) -> None:
    m = Machine.from_program(load_program(str(sample_path("l1_inbox.s"))))
    oracle.use_inbox(m.inbox)
    inbox_steps = 0
    for _, entry in proved_steps(m, 1000, loops=True):
        if entry.proof[0] == 0x72:
            inbox_steps += 1
            assert oracle.disagreement(entry) is None
    assert inbox_steps == 6 and m.status.name == "HALTED"


def test_a_wrong_batch_or_raw_message_is_rejected(oracle: Oracle) -> None:
    m = l1_machine(READ_ALL, INBOX)
    oracle.use_inbox(m.inbox)
    entry = make_proof(m)
    assert oracle.disagreement(entry) is None
    oracle.set_inbox([bytes(32)] * 3, m.inbox.l1.delayed_accs)     # L1 holds other batches
    assert "WRONG_BATCH_ACC" in (oracle.disagreement(entry) or "")
    raw = Machine.from_program(assemble(READ_ALL, "read.s"), [7])
    assert l1_rejection(raw) is not None
    assert oracle.disagreement(make_proof(raw)) is not None


@pytest.mark.parametrize("doc, message", [
    ({"batches": [{"block": 1, "timestamp": 1, "items": []}]}, "non-empty"),
    ({"batches": [{"block": 1, "timestamp": 1, "items": [{"delayed": 1}]}]}, "at most 0"),
    ({"batches": [{"block": 1, "items": [{"text": "x"}]}]}, "missing 'timestamp'"),
    ({"batches": [{"block": 1, "timestamp": 1, "items": [{"data": "0xzz"}]}]}, "not hex"),
    ({"batches": [{"block": 1, "timestamp": 1, "items": [{"text": ""}]}]}, "needs data"),
    ({"batches": [], "extra": 1}, "unknown key 'extra'"),
    ({"delayed": [{"sender": "0x1", "block": 1, "timestamp": 1, "kind": 256}], "batches": []}, "kind"),
])
def test_bad_inbox_files_are_user_errors(doc: dict, message: str) -> None:
    from avm.errors import UserError

    with pytest.raises(UserError, match=message):
        messages_from_json(doc, "inbox.json")


def test_registers_and_value_tree_name_the_l1_message() -> None:
    from debugger.engine.session import Session
    from debugger.tui.widgets.registers import register_rows
    from debugger.tui.widgets.value_tree import _children

    session = Session(load_program(str(sample_path("l1_inbox.s"))))
    rows = dict(register_rows(session))
    assert rows["L1 inbox"] == "next: batch 0, sequence number 0, kind 3"
    session.step_forward(2)                                  # push N, inbox
    assert dict(register_rows(session))["L1 inbox"] == "next: batch 0, sequence number 1, kind 3"
    names = [name for name, _ in _children(session.machine.stack[-1])]
    assert names[0] == "[0] kind" and names[4] == "[4] sequence number" and names[7] == "[7] data"
    session.continue_()
    assert dict(register_rows(session))["L1 inbox"] == "all 6 L1 messages read (2 batches)"
    assert "L1 inbox" not in dict(register_rows(Session(assemble("halt\n", "h.s"))))


# ---------------------------------------------------------------------------------------------------
# random L1 inboxes: any mix of sequencer messages, end-of-block messages and delayed inclusions

@st.composite
def l1_inboxes(draw: st.DrawFn) -> dict:
    n_delayed = draw(st.integers(0, 4))
    delayed = [{"kind": draw(st.integers(0, 255)), "sender": draw(st.integers(0, (1 << 160) - 1)),
                "block": draw(st.integers(0, 1 << 64)), "timestamp": draw(st.integers(0, 1 << 40)),
                "gas_price": draw(st.integers(0, 1 << 70)), "data": "0x" + draw(st.binary(max_size=70)).hex()}
               for _ in range(n_delayed)]
    included = 0
    batches = []
    for b in range(draw(st.integers(1, 3))):
        items: list[dict] = []
        for _ in range(draw(st.integers(1, 4))):
            r = draw(st.integers(0, 3))
            if r == 0 and included < n_delayed:
                included = draw(st.integers(included + 1, n_delayed))
                items.append({"delayed": included})
            elif r == 1:
                items.append({"end_of_block": True})
            else:
                items.append({"data": "0x" + draw(st.binary(min_size=1, max_size=100)).hex()})
        batches.append({"block": 100 + b, "timestamp": 1000 + b, "items": items})
    return {"sequencer": draw(st.integers(0, (1 << 160) - 1)), "delayed": delayed, "batches": batches}


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(l1_inboxes(), st.booleans())
def test_random_l1_inboxes_are_accepted_message_by_message(oracle: Oracle, doc: dict, starve: bool) -> None:
    inbox = messages_from_json(doc)
    # read every message; optionally first an inbox step that runs out of gas (reads nothing)
    starved = "    errset @go\n    setgas 39\n    inbox\ngo:\n" if starve else ""
    source = starved + "    inbox\n" * len(inbox) + "    halt\n"
    m = Machine.from_program(assemble(source, "read.s"), inbox)
    oracle.use_inbox(m.inbox)
    for n, entry in proved_steps(m, 200, loops=True):
        assert verify_entry(entry).ok, n
        why = oracle.disagreement(entry)
        assert why is None, f"step {n} ({entry.extras['opcode']}): {why}"
    assert m.inbox_count == len(inbox)
