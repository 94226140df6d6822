"""The location language: one way to name a place in the machine state, and one way to name an
instruction, for every command that asks for one.

**Places** (watches, breakpoint conditions, ``:inspect``, ``:dump``, provenance)::

    place := root path*            path := "[" INT "]"        (a slot of a tuple, 0-based)
    root  := "s" N | "stack" N     the data stack, N-th from the top (s0 = the top)
           | "stack[" I "]"        the data stack, I-th from the bottom (negative: from the top)
           | "a" N | "aux" N | "aux[" I "]"    the same for the aux stack
           | "register" | "reg" | "static"
           | "errcp" | "err" | "error" | "err_handler"     the error handler codepoint
           | "pc"                  the current codepoint
           | "inbox"               the next unread inbox message; "inbox[N]", "inbox N", "inboxN": message N
           | NAME                  a name added by a provider (see :func:`add_place_provider`)

A place that does not exist in a state (``s5`` on a short stack, ``s0[3]`` on an integer) is
*absent*: :meth:`Place.read` returns ``None``, :meth:`Place.value` raises a :class:`UserError`.

**Instruction locations** (``:break``, ``--break``, the breakpoint list, ``:until``, ``:proof``)::

    12 | 0x0c | #12 | @12          an instruction index
    NAME | @NAME                   a label of the program
    L47 | @L47 | L47_2             the disassembler's names for unlabelled instructions
    tset                           an opcode mnemonic: every instruction with that opcode

Bad text raises :class:`UserError` whose ``column`` (1-based) points into the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from avm.core.machine import Machine
from avm.core.opcodes import WRITERS, by_mnemonic
from avm.core.program import Program
from avm.core.values import Tuple, Value
from avm.errors import UserError

Reader = Callable[[Machine], "Value | None"]
PlaceProvider = Callable[[Program | None, str], "Reader | None"]
InstructionProvider = Callable[[Program, str], "InstructionLocation | None"]

MAX_INDEX_DIGITS = 12          # longer numbers are out of range anywhere (and cheap to reject)
_PROVIDERS: list[PlaceProvider] = []
_INSTRUCTION_PROVIDERS: list[InstructionProvider] = []

PLACE_HELP = "sN, aN, stack[N], aux[N], register, static, errcp, pc, inbox, inbox[N], with [i] paths"
INSTRUCTION_HELP = "an index (12, 0x0c, #12), a label, L47 / @L47, or an opcode such as tset"


def add_place_provider(provider: PlaceProvider) -> None:
    """Let another module name places: ``provider(program, name)`` returns a reader for ``name``
    (``machine -> value or None``) or None when it does not know the name. Built-in names win."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def add_instruction_provider(provider: InstructionProvider) -> None:
    """Let another module name instructions (``file.mini:122``): ``provider(program, text)`` returns an
    :class:`InstructionLocation`, None when the text is not its kind, or raises ``UserError``."""
    if provider not in _INSTRUCTION_PROVIDERS:
        _INSTRUCTION_PROVIDERS.append(provider)


def location_error(text: str, column: int, message: str) -> UserError:
    """A :class:`UserError` for ``text`` at 1-based ``column`` (one line, the column named)."""
    return UserError(f"{message} (column {column})", column=column)


# ---------------------------------------------------------------------- places
@dataclass(frozen=True)
class Place:
    """A parsed place: ``read(machine)`` gives its value there (None when absent)."""

    text: str                      # as written (stripped)
    root: str                      # stack | aux | register | static | errcp | pc | inbox | a provider name
    slot: int | None = None        # stack/aux: from the bottom (>= 0) or the top (< 0); inbox: message
    path: tuple[int, ...] = ()     # tuple slots below the root
    reader: Reader | None = None   # a provider's reader (root is then the name)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_read", self._compile())

    def read(self, m: Machine) -> Value | None:
        return self._read(m)  # type: ignore[attr-defined, no-any-return]

    @property
    def changed_by(self) -> frozenset[int] | None:
        """The opcodes whose step can change this place (from the opcode table's ``writes``); None when
        nearly any step can (stack slots, pc, names of providers)."""
        return root_changed_by(self.root, self.slot)

    def value(self, m: Machine) -> Value:
        """The value, or a :class:`UserError` saying that the place does not exist in this state."""
        value = self.read(m)
        if value is None:
            raise UserError(f"{self.text} does not exist at step {m.steps:,}")
        return value

    def _compile(self) -> Reader:
        """A reader for this place (watches and conditions read it after every step)."""
        root, slot = self.root, self.slot
        base: Reader
        if root in ("stack", "aux"):
            k = slot or 0
            if root == "stack":
                def base(m: Machine) -> Value | None:
                    items = m.stack
                    return items[k] if -len(items) <= k < len(items) else None
            else:
                def base(m: Machine) -> Value | None:
                    items = m.aux
                    return items[k] if -len(items) <= k < len(items) else None
        elif root == "register":
            base = _register
        elif root == "static":
            base = _static
        elif root == "errcp":
            base = _errcp
        elif root == "pc":
            base = _pc
        elif root == "inbox":
            def base(m: Machine) -> Value | None:
                n = m.inbox_count if slot is None else slot
                return m.inbox[n] if 0 <= n < len(m.inbox) else None
        else:
            base = self.reader if self.reader is not None else _absent
        path = self.path
        if not path:
            return base

        def read(m: Machine) -> Value | None:
            value = base(m)
            for i in path:
                if type(value) is not Tuple or not 0 <= i < len(value.items):
                    return None
                value = value.items[i]
            return value
        return read


NEVER: frozenset[int] = frozenset()
_STEADY = {"static": NEVER}      # no opcode writes it (an edit between runs is not a step)


def root_changed_by(root: str, slot: int | None = None) -> frozenset[int] | None:
    """The opcodes that can change a place with this root (see :attr:`Place.changed_by`): the table's
    writers of ``register`` and ``errcp``, ``inbox`` for the next message, none for ``static`` or a
    numbered message; None (any step) for the stacks, pc and providers' names."""
    if root == "inbox" and slot is not None:
        return NEVER
    return WRITERS.get(root, _STEADY.get(root))


def _register(m: Machine) -> Value | None:
    return m.register


def _static(m: Machine) -> Value | None:
    return m.static


def _errcp(m: Machine) -> Value | None:
    return m.err_handler


def _pc(m: Machine) -> Value | None:
    return m.pc


def _absent(m: Machine) -> Value | None:
    return None


_FIXED = {"register": "register", "reg": "register", "static": "static", "errcp": "errcp", "err": "errcp",
          "error": "errcp", "err_handler": "errcp", "errorcodepoint": "errcp", "pc": "pc", "inbox": "inbox"}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TOP_SLOT = re.compile(r"(s|a|stack|aux)([0-9]+)\Z")
_MESSAGE = re.compile(r"inbox([0-9]+)\Z")
_INT = re.compile(r"-?(?:0[xX][0-9a-fA-F]+|[0-9]+)")
_SPACE = re.compile(r"[ \t]*")
PLACE_START = re.compile(r"[A-Za-z_]")


def _int_at(text: str, pos: int, what: str) -> tuple[int, int]:
    """An integer (decimal or hex, maybe negative) at ``pos``: (value, end)."""
    m = _INT.match(text, pos)
    if m is None:
        raise location_error(text, pos + 1, f"expected {what}")
    digits = m.group().lstrip("-")
    if len(digits) > MAX_INDEX_DIGITS:
        raise location_error(text, pos + 1, f"{what} out of range")
    return int(m.group(), 0), m.end()


def scan_place(text: str, pos: int = 0, program: Program | None = None) -> tuple[Place, int]:
    """Parse the place starting at ``pos`` in ``text``; returns it and the position after it (so a
    larger language, such as conditions, can embed places)."""
    m = _NAME.match(text, pos)
    if m is None:
        raise location_error(text, pos + 1, f"expected a place ({PLACE_HELP})")
    name = m.group()
    end = m.end()
    slot: int | None = None
    reader: Reader | None = None
    top = _TOP_SLOT.match(name)
    message = _MESSAGE.match(name)
    if message:
        root = "inbox"
        digits = message.group(1)
        if len(digits) > MAX_INDEX_DIGITS:
            raise location_error(text, pos + 1, "inbox message number out of range")
        slot = int(digits)
    elif top:
        root = "stack" if top.group(1) in ("s", "stack") else "aux"
        digits = top.group(2)
        if len(digits) > MAX_INDEX_DIGITS:
            raise location_error(text, pos + 1, "stack slot out of range")
        slot = -1 - int(digits)
    elif name in ("stack", "aux") or name == "inbox":
        root = name
        if text.startswith("[", end):
            slot, end = _int_at(text, end + 1, "a slot number")
            if not text.startswith("]", end):
                raise location_error(text, end + 1, "expected ']'")
            end += 1
        elif name == "inbox":
            sp = _SPACE.match(text, end)
            after = sp.end() if sp else end
            if after < len(text) and text[after].isdigit():
                slot, end = _int_at(text, after, "a message number")
        else:
            raise location_error(text, end + 1, f"expected '[N]' after {name!r} (or {name[0]}N from the top)")
        if name == "inbox" and slot is not None and slot < 0:
            raise location_error(text, pos + 1, "inbox message numbers start at 0")
    elif name in _FIXED:
        root = _FIXED[name]
    else:
        for provider in _PROVIDERS:
            reader = provider(program, name)
            if reader is not None:
                break
        if reader is None:
            raise location_error(text, pos + 1, f"unknown place {name!r} ({PLACE_HELP})")
        root = name
    path: list[int] = []
    while text.startswith("[", end):
        i, after = _int_at(text, end + 1, "a tuple slot")
        if i < 0 or i > 7:
            raise location_error(text, end + 2, "tuple slots are 0..7")
        if not text.startswith("]", after):
            raise location_error(text, after + 1, "expected ']'")
        path.append(i)
        end = after + 1
    return Place(text[pos:end], root, slot, tuple(path), reader), end


def parse_place(text: str, program: Program | None = None) -> Place:
    """A whole text as one place (surrounding blanks allowed)."""
    lead = len(text) - len(text.lstrip())
    place, end = scan_place(text, lead, program)
    rest = text[end:]
    if rest.strip():
        col = end + len(rest) - len(rest.lstrip()) + 1
        raise location_error(text, col, f"unexpected {rest.strip()!r} after the place")
    return place


# ---------------------------------------------------------------------- instructions
@dataclass(frozen=True)
class InstructionLocation:
    """An instruction (``index``, maybe named by ``label``) or an opcode (every instruction with it)."""

    text: str
    index: int | None = None
    opcode: int | None = None
    label: str | None = None


_NUMBER = re.compile(r"(?:0[xX][0-9a-fA-F]+|[0-9]+)\Z")
_DERIVED = re.compile(r"L([0-9]+)(?:_[0-9]+)?\Z")


def parse_instruction(program: Program, text: str, *, opcodes: bool = True) -> InstructionLocation:
    """Resolve ``text`` (see the module doc) in ``program``; ``opcodes=False`` refuses mnemonics."""
    raw = text
    word = text.strip()
    col = len(text) - len(text.lstrip()) + 1
    if not word:
        raise location_error(raw, col, f"expected an instruction ({INSTRUCTION_HELP})")
    if " " in word:
        raise location_error(raw, col + word.index(" "), f"unexpected text after {word.split()[0]!r}")
    bare = word[1:] if word[:1] in ("@", "#") else word
    n = len(program.code)
    index: int | None = None
    label: str | None = None
    if _NUMBER.match(bare):
        if len(bare) > MAX_INDEX_DIGITS:
            raise location_error(raw, col, f"instruction index out of range (0..{n - 1})")
        index = int(bare, 0)
    elif bare in (labels := _label_index(program)):
        index, label = labels[bare], bare
    elif _DERIVED.match(bare):
        digits = _DERIVED.match(bare).group(1)  # type: ignore[union-attr]
        if len(digits) > MAX_INDEX_DIGITS:
            raise location_error(raw, col, f"instruction index out of range (0..{n - 1})")
        index = int(digits)
    elif word[:1] not in "#@" and (info := by_mnemonic(bare)) is not None:
        if not opcodes:
            raise location_error(raw, col, f"{bare!r} is an opcode: give one instruction here")
        return InstructionLocation(word, opcode=info.code)
    else:
        for provider in _INSTRUCTION_PROVIDERS:
            provided = provider(program, word)
            if provided is not None:
                return provided
        raise location_error(raw, col, f"no label or instruction {bare!r} (try 12, #12, L12, a label "
                                       "or an opcode)")
    if not 0 <= index < n:
        raise location_error(raw, col, f"instruction index {index} out of range (0..{n - 1})")
    return InstructionLocation(word, index=index, label=label)


def instruction_index(program: Program, text: str | int) -> int:
    """The instruction index that ``text`` names (an int is range-checked); no opcodes."""
    if isinstance(text, int):
        if not 0 <= text < len(program.code):
            raise UserError(f"instruction index {text} out of range (0..{len(program.code) - 1})")
        return text
    found = parse_instruction(program, text, opcodes=False)
    assert found.index is not None
    return found.index


def _label_index(program: Program) -> dict[str, int]:
    return {name: idx for idx, name in program.labels.items()}
