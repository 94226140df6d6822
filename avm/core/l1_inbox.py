"""An L1 inbox as the classic Arbitrum contracts keep it: a delayed inbox (the Bridge) and sequencer
batches (the SequencerInbox), with sequence numbers, message tuples and accumulators computed exactly as
the contracts compute them, and the ``inbox`` step proof tail that ``OneStepProof.incrementInbox`` reads.

The contracts' rules, restated:

* delayed inbox: ``delayedAcc[i] = keccak(delayedAcc[i-1] (0 for i = 0) || messageHash_i)`` where
  ``messageHash = keccak(kind:u8 || sender:addr || block || timestamp || i || gasPrice || keccak(data))``;
* a sequencer batch continues the running accumulator of the batch before it (0 for the first). A
  sequencer message (kind 3, an L2 message, or kind 6, end of block, when its data is empty; sender the
  sequencer; gas price 0) at sequence number ``n`` does ``acc = keccak(acc || n || keccak(sender ||
  block || timestamp) || keccak(data))``. Including the delayed messages ``[start, end)`` does ``acc =
  keccak("Delayed messages:" || acc || n || start || end || delayedAcc[end-1])``, gives them the next
  ``end - start`` sequence numbers, then adds an end-of-block message (sender 0) the same way as a
  sequencer message; ``inboxAccs[batch]`` is the accumulator at the end of the batch;
* the machine reads every sequence number in order as the 8-tuple ``(kind, block, timestamp, sender,
  seqNum, gasPrice, dataLength, Buffer(data))``; for a delayed message ``seqNum`` is its delayed-inbox
  index with bit 255 set.

The machine's inbox count is the number of messages read; its inbox accumulator after a message is the
sequencer accumulator right after the item holding it (a delayed message: after its whole
"Delayed messages:" item). The C++ node keeps a differently hashed per-item accumulator that the
contracts never see (docs/l1-differences.md).

File format (JSON, an object)::

    {"sequencer": "0x…address",                       (optional)
     "delayed": [{"kind": 3, "sender": "0x…", "block": 9, "timestamp": 1700000000,
                  "gas_price": 0, "data": "0x…" | "text": "…"}, …],
     "batches": [{"block": 10, "timestamp": 1700000012,
                  "items": [{"data": "0x…"} | {"text": "…"} | {"end_of_block": true}
                            | {"delayed": N}, …]}, …]}

``{"delayed": N}`` includes the delayed messages up to N in total (N greater than before). An item may
override the batch's ``block`` and ``timestamp``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from avm.core.keccak import ZERO32, ZERO_HASHES, be32, keccak256
from avm.errors import UserError

if TYPE_CHECKING:
    from avm.core.values import Tuple, Value

KIND_L2_MESSAGE = 3
KIND_END_OF_BLOCK = 6
DELAYED_BIT = 1 << 255
DEFAULT_SEQUENCER = 0xA4B000000000000000000073657175656E636572
MAX_ADDRESS = (1 << 160) - 1
MAX_UINT = (1 << 256) - 1
DELAYED_PREFIX = b"Delayed messages:"
#: markers of the items that follow the message in an ``inbox`` proof
SEQ_ITEM, DELAYED_ITEM, END_OF_BATCH = 0, 1, 2


def message_hash(kind: int, sender: int, block: int, timestamp: int, seq_num: int, gas_price: int,
                 data_hash: bytes) -> bytes:
    """``Messages.messageHash``."""
    return keccak256(bytes((kind,)) + sender.to_bytes(20, "big") + be32(block) + be32(timestamp)
                     + be32(seq_num) + be32(gas_price) + data_hash)


def bytes_buffer_hash(data: bytes) -> bytes:
    """The value hash of a buffer holding ``data``, as ``Hashing.bytesToBufferHash`` computes it from
    the bytes alone (a packed Merkle tree of 32-byte chunks; trailing zero halves are dropped)."""
    n = len(data)

    def root(start: int, length: int, pack: bool) -> tuple[bytes, bool]:
        if length <= 32:
            if start >= n:
                return ZERO_HASHES[0], True
            h = keccak256(data[start:start + 32].ljust(32, b"\0"))
            return h, h == ZERO_HASHES[0]
        half = length // 2
        h2, zero2 = root(start + half, half, False)
        if zero2 and pack:
            return root(start, half, pack)
        h1, zero1 = root(start, half, False)
        return keccak256(h1 + h2), zero1 and zero2

    size = 1
    while size < n:
        size *= 2
    return keccak256(be32(123) + root(0, size, True)[0])


def prefix_hash(sender: int, block: int, timestamp: int) -> bytes:
    return keccak256(sender.to_bytes(20, "big") + be32(block) + be32(timestamp))


@dataclass(frozen=True)
class L1Message:
    """One message as the machine reads it, with where it sits in the L1 inbox."""

    kind: int
    sender: int
    block: int
    timestamp: int
    gas_price: int
    data: bytes
    seq_num: int          # the field as hashed on L1: the sequence number, or the delayed-inbox index
    delayed: bool = False
    batch: int = 0        # the sequencer batch that holds it
    item: int = 0         # the accumulator item of that batch that holds it

    def read_seq_num(self) -> int:
        """The sequence number field of the tuple the machine reads (bit 255 set for a delayed one)."""
        return self.seq_num | DELAYED_BIT if self.delayed else self.seq_num

    def value(self) -> Tuple:
        """The 8-tuple the ``inbox`` instruction pushes."""
        from avm.core.buffer import Buffer
        from avm.core.values import Tuple

        return Tuple((self.kind, self.block, self.timestamp, self.sender, self.read_seq_num(),
                      self.gas_price, len(self.data), Buffer.from_bytes(self.data)))

    def hash(self) -> bytes:
        return message_hash(self.kind, self.sender, self.block, self.timestamp, self.seq_num,
                            self.gas_price, keccak256(self.data))

    def proof_fields(self) -> bytes:
        """The message as ``incrementInbox`` reads it."""
        return (bytes((self.kind,)) + self.sender.to_bytes(20, "big") + be32(self.block)
                + be32(self.timestamp) + be32(self.seq_num) + be32(self.gas_price) + be32(len(self.data))
                + self.data)


@dataclass(frozen=True)
class SeqItem:
    """A sequencer message's part of a batch accumulator."""

    seq_num: int
    prefix: bytes
    data_hash: bytes

    def fold(self, acc: bytes, delayed_accs: list[bytes]) -> bytes:
        return keccak256(acc + be32(self.seq_num) + self.prefix + self.data_hash)

    def proof_bytes(self) -> bytes:
        return bytes((SEQ_ITEM,)) + self.prefix + self.data_hash


@dataclass(frozen=True)
class DelayedItem:
    """The inclusion of delayed messages ``[start, end)`` at sequence number ``first_seq_num``."""

    first_seq_num: int
    start: int
    end: int

    def fold(self, acc: bytes, delayed_accs: list[bytes]) -> bytes:
        return keccak256(DELAYED_PREFIX + acc + be32(self.first_seq_num) + be32(self.start)
                         + be32(self.end) + delayed_accs[self.end - 1])

    def proof_bytes(self) -> bytes:
        return bytes((DELAYED_ITEM,)) + be32(self.start) + be32(self.end)


@dataclass
class L1Inbox:
    """A whole L1 inbox: delayed messages, sequencer batches, and what the machine reads."""

    sequencer: int = DEFAULT_SEQUENCER
    delayed: list[L1Message] = field(default_factory=list)
    delayed_accs: list[bytes] = field(default_factory=list)
    batch_items: list[list[SeqItem | DelayedItem]] = field(default_factory=list)
    batch_accs: list[bytes] = field(default_factory=list)
    item_accs: list[list[bytes]] = field(default_factory=list)   # accumulator after each item
    messages: list[L1Message] = field(default_factory=list)       # by sequence number

    def add_delayed(self, kind: int, sender: int, block: int, timestamp: int, gas_price: int,
                    data: bytes) -> None:
        i = len(self.delayed)
        msg = L1Message(kind, sender, block, timestamp, gas_price, data, i, delayed=True)
        self.delayed.append(msg)
        prev = self.delayed_accs[-1] if self.delayed_accs else ZERO32
        self.delayed_accs.append(keccak256(prev + msg.hash()))

    def _add_item(self, item: SeqItem | DelayedItem) -> int:
        items, accs = self.batch_items[-1], self.item_accs[-1]
        prev = accs[-1] if accs else (self.batch_accs[-1] if self.batch_accs else ZERO32)
        items.append(item)
        accs.append(item.fold(prev, self.delayed_accs))
        return len(items) - 1

    def start_batch(self) -> None:
        self.batch_items.append([])
        self.item_accs.append([])

    def end_batch(self) -> None:
        self.batch_accs.append(self.item_accs[-1][-1])

    def add_sequencer_message(self, block: int, timestamp: int, data: bytes,
                              sender: int | None = None) -> None:
        """A sequencer message (an L2 message; with empty data an end-of-block message)."""
        sender = self.sequencer if sender is None else sender
        n = len(self.messages)
        item = self._add_item(SeqItem(n, prefix_hash(sender, block, timestamp), keccak256(data)))
        kind = KIND_L2_MESSAGE if data else KIND_END_OF_BLOCK
        self.messages.append(L1Message(kind, sender, block, timestamp, 0, data, n,
                                       batch=len(self.batch_items) - 1, item=item))

    def include_delayed(self, total: int, block: int, timestamp: int) -> None:
        """Include the delayed messages up to ``total``, then the end-of-block message that follows."""
        start = self.delayed_read()
        item = self._add_item(DelayedItem(len(self.messages), start, total))
        batch = len(self.batch_items) - 1
        for msg in self.delayed[start:total]:
            self.messages.append(L1Message(msg.kind, msg.sender, msg.block, msg.timestamp, msg.gas_price,
                                           msg.data, msg.seq_num, True, batch, item))
        self.add_sequencer_message(block, timestamp, b"", sender=0)

    def delayed_read(self) -> int:
        """How many delayed messages the batches so far include."""
        return max((it.end for items in self.batch_items for it in items if isinstance(it, DelayedItem)),
                   default=0)

    def acc_after(self, index: int) -> bytes:
        """The machine's inbox accumulator after reading message ``index``."""
        msg = self.messages[index]
        return self.item_accs[msg.batch][msg.item]

    def proof_tail(self, index: int) -> bytes:
        """What follows the machine part of the proof of the step that reads message ``index``: the
        message, its batch number, the delayed flag, the accumulator before its item (and, for a
        delayed message, the item's fields), the rest of the batch, and the end marker."""
        msg = self.messages[index]
        accs = self.item_accs[msg.batch]
        before = accs[msg.item - 1] if msg.item else (self.batch_accs[msg.batch - 1] if msg.batch else ZERO32)
        item = self.batch_items[msg.batch][msg.item]
        out = [msg.proof_fields(), be32(msg.batch), bytes((1 if msg.delayed else 0,)), before]
        if isinstance(item, DelayedItem):
            out.append(be32(item.first_seq_num) + be32(item.start) + be32(item.end))
        out.extend(it.proof_bytes() for it in self.batch_items[msg.batch][msg.item + 1:])
        out.append(bytes((END_OF_BATCH,)))
        return b"".join(out)

    def describe(self, index: int) -> str:
        """Where message ``index`` comes from, in words (batch, sequence number, delayed or not)."""
        msg = self.messages[index]
        where = f"delayed message {msg.seq_num}" if msg.delayed else f"sequence number {msg.seq_num}"
        return f"batch {msg.batch}, {where}, kind {msg.kind}"


@dataclass
class InboxProofTail:
    """An ``inbox`` proof tail, parsed (``L1Inbox.proof_tail`` builds it)."""

    message: L1Message
    batch: int
    acc_before: bytes
    delayed_item: DelayedItem | None
    rest: list[SeqItem | DelayedItem]

    def acc_after_item(self, delayed_accs: list[bytes] | None = None) -> bytes | None:
        """The accumulator after the message's item, as the contract folds it: a sequencer message
        whose kind or gas price is not a sequencer one contributes zero hashes; a delayed item needs
        the delayed inbox's accumulators (None without them)."""
        m = self.message
        if self.delayed_item is not None:
            if delayed_accs is None or len(delayed_accs) < self.delayed_item.end:
                return None
            return self.delayed_item.fold(self.acc_before, delayed_accs)
        expected = KIND_L2_MESSAGE if m.data else KIND_END_OF_BLOCK
        ok = m.kind == expected and m.gas_price == 0
        item = SeqItem(m.seq_num, prefix_hash(m.sender, m.block, m.timestamp) if ok else ZERO32,
                       keccak256(m.data) if ok else ZERO32)
        return item.fold(self.acc_before, [])


def parse_proof_tail(data: bytes) -> InboxProofTail | None:
    """The proof tail in ``incrementInbox``'s layout, None unless ``data`` is exactly one."""
    pos = 0

    def take(n: int) -> bytes:
        nonlocal pos
        if pos + n > len(data):
            raise ValueError("short")
        pos += n
        return data[pos - n:pos]

    def word() -> int:
        return int.from_bytes(take(32), "big")

    try:
        kind = take(1)[0]
        sender = int.from_bytes(take(20), "big")
        block, timestamp, seq_num, gas_price, length = word(), word(), word(), word(), word()
        payload = take(length)
        batch = word()
        flag = take(1)[0]
        if flag > 1:
            return None
        acc = take(32)
        delayed_item = DelayedItem(word(), word(), word()) if flag else None
        rest: list[SeqItem | DelayedItem] = []
        seq = (delayed_item.first_seq_num + delayed_item.end - delayed_item.start) if delayed_item \
            else seq_num + 1
        while True:
            marker = take(1)[0]
            if marker == END_OF_BATCH:
                break
            if marker == SEQ_ITEM:
                rest.append(SeqItem(seq, take(32), take(32)))
                seq += 1
            elif marker == DELAYED_ITEM:
                start, end = word(), word()
                rest.append(DelayedItem(seq, start, end))
                seq += end - start
            else:
                return None
    except ValueError:
        return None
    if pos != len(data):
        return None
    msg = L1Message(kind, sender, block, timestamp, gas_price, payload, seq_num, bool(flag), batch)
    return InboxProofTail(msg, batch, acc, delayed_item, rest)


class L1Messages(list):
    """The machine's inbox when it comes from an L1 inbox: the message values, plus the L1 model for
    accumulators and proofs (messages appended later by hand are raw values)."""

    def __init__(self, values: Any, l1: L1Inbox) -> None:
        super().__init__(values)
        self.l1 = l1


# ---------------------------------------------------------------------------------------------------
# the file format

def _int(obj: Any, where: str, source: str | None, limit: int = MAX_UINT) -> int:
    if type(obj) is int:
        n = obj
    elif type(obj) is str:
        text = obj.strip()
        try:
            n = int(text, 16) if text.lower().startswith("0x") else int(text, 10)
        except ValueError:
            raise UserError(f"{where}: bad integer {obj!r} (use 0x-hex or decimal)", source) from None
    else:
        raise UserError(f"{where}: expected an integer", source)
    if not 0 <= n <= limit:
        raise UserError(f"{where}: out of range (0 to {limit:#x})", source)
    return n


def _data(obj: dict, where: str, source: str | None) -> bytes:
    if "data" in obj and "text" in obj:
        raise UserError(f"{where}: give data or text, not both", source)
    if "text" in obj:
        if type(obj["text"]) is not str:
            raise UserError(f"{where}.text: expected a string", source)
        return obj["text"].encode("utf-8")
    raw = obj.get("data", "")
    if type(raw) is not str:
        raise UserError(f"{where}.data: expected a hex string", source)
    text = raw[2:] if raw.lower().startswith("0x") else raw
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise UserError(f"{where}.data: not hex bytes", source) from None


def _object(obj: Any, where: str, source: str | None, keys: set[str]) -> dict:
    if type(obj) is not dict:
        raise UserError(f"{where}: expected an object", source)
    unknown = sorted(set(obj) - keys)
    if unknown:
        raise UserError(f"{where}: unknown key {unknown[0]!r} (expected: {', '.join(sorted(keys))})", source)
    return obj


def is_l1_inbox_document(doc: Any) -> bool:
    return type(doc) is dict and "batches" in doc


def l1_inbox_from_json(doc: Any, source: str | None = None) -> L1Inbox:
    """An L1 inbox from a parsed JSON document (see the module doc); ``UserError`` names the item."""
    doc = _object(doc, "inbox", source, {"sequencer", "delayed", "batches"})
    inbox = L1Inbox()
    if "sequencer" in doc:
        inbox.sequencer = _int(doc["sequencer"], "sequencer", source, MAX_ADDRESS)
    delayed = doc.get("delayed", [])
    if type(delayed) is not list:
        raise UserError("delayed: expected a list of messages", source)
    for i, item in enumerate(delayed):
        w = f"delayed[{i}]"
        obj = _object(item, w, source, {"kind", "sender", "block", "timestamp", "gas_price", "data", "text"})
        for key in ("sender", "block", "timestamp"):
            if key not in obj:
                raise UserError(f"{w}: missing {key!r}", source)
        inbox.add_delayed(_int(obj.get("kind", KIND_L2_MESSAGE), f"{w}.kind", source, 255),
                          _int(obj["sender"], f"{w}.sender", source, MAX_ADDRESS),
                          _int(obj["block"], f"{w}.block", source),
                          _int(obj["timestamp"], f"{w}.timestamp", source),
                          _int(obj.get("gas_price", 0), f"{w}.gas_price", source), _data(obj, w, source))
    batches = doc["batches"]
    if type(batches) is not list:
        raise UserError("batches: expected a list of batches", source)
    for b, batch in enumerate(batches):
        w = f"batches[{b}]"
        obj = _object(batch, w, source, {"block", "timestamp", "items"})
        for key in ("block", "timestamp", "items"):
            if key not in obj:
                raise UserError(f"{w}: missing {key!r}", source)
        block = _int(obj["block"], f"{w}.block", source)
        timestamp = _int(obj["timestamp"], f"{w}.timestamp", source)
        items = obj["items"]
        if type(items) is not list or not items:
            raise UserError(f"{w}.items: expected a non-empty list (the contract rejects an empty batch)",
                            source)
        inbox.start_batch()
        for k, item in enumerate(items):
            wi = f"{w}.items[{k}]"
            it = _object(item, wi, source, {"data", "text", "end_of_block", "delayed", "block", "timestamp"})
            ib = _int(it.get("block", block), f"{wi}.block", source)
            its = _int(it.get("timestamp", timestamp), f"{wi}.timestamp", source)
            if "delayed" in it:
                total = _int(it["delayed"], f"{wi}.delayed", source)
                if not inbox.delayed_read() < total <= len(inbox.delayed):
                    raise UserError(f"{wi}.delayed: must be more than the {inbox.delayed_read()} delayed "
                                    f"messages already included and at most {len(inbox.delayed)}", source)
                inbox.include_delayed(total, ib, its)
            elif it.get("end_of_block") is True:
                inbox.add_sequencer_message(ib, its, b"")
            else:
                data = _data(it, wi, source)
                if not data:
                    raise UserError(f"{wi}: a sequencer message needs data (or use end_of_block)", source)
                inbox.add_sequencer_message(ib, its, data)
        inbox.end_batch()
    return inbox


def machine_inbox(inbox: L1Inbox) -> L1Messages:
    """The machine's inbox for an L1 inbox."""
    return L1Messages([m.value() for m in inbox.messages], inbox)


def copy_inbox(messages: list[Value]) -> list[Value]:
    """A private copy of a machine inbox that keeps its L1 model."""
    if isinstance(messages, L1Messages):
        return L1Messages(messages, messages.l1)
    return list(messages)


def l1_model(messages: list[Value], index: int) -> L1Inbox | None:
    """The L1 model of message ``index`` of a machine inbox, None for a raw value."""
    if isinstance(messages, L1Messages) and index < len(messages.l1.messages):
        return messages.l1
    return None


#: The fields of the message tuple the ``inbox`` instruction pushes, by position.
MESSAGE_FIELDS = ("kind", "L1 block", "L1 timestamp", "sender", "sequence number", "L1 gas price",
                  "data length", "data")


def looks_like_message(value: Any) -> bool:
    """True for an 8-tuple shaped like an inbox message (ints, then a buffer no longer than the length
    field): the value tree names its fields."""
    from avm.core.buffer import Buffer
    from avm.core.values import Tuple

    if type(value) is not Tuple or len(value.items) != 8:
        return False
    *ints, data = value.items
    return (all(type(x) is int for x in ints) and type(data) is Buffer and ints[0] <= 255
            and ints[3] <= MAX_ADDRESS and data.data_length() <= ints[6])


def inbox_position(messages: list, count: int) -> str | None:
    """Where the next message of an L1 inbox comes from (for the registers pane), None for raw values."""
    if not isinstance(messages, L1Messages):
        return None
    if count >= len(messages.l1.messages):
        return f"all {len(messages.l1.messages)} L1 messages read ({len(messages.l1.batch_accs)} batches)"
    return "next: " + messages.l1.describe(count)
