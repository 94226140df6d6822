"""The machine's status and the event bits a step reports (shared by the machine and ``avm.ops``)."""

from __future__ import annotations

from enum import IntEnum, IntFlag


class Status(IntEnum):
    EXTENSIVE = 0
    HALTED = 1
    ERRORSTOP = 2


class Event(IntFlag):
    NONE = 0
    ERROR = 1          # the instruction raised an AVM error (payload: reason string)
    HALT = 2           # halt ran
    ERRORSTOP = 4      # an error with no handler stopped the machine
    LOG = 8            # payload: the logged value
    SEND = 16          # payload: the message bytes
    DEBUGPRINT = 32    # payload: the value
    BREAKPOINT = 64    # the breakpoint opcode ran (payload: its codepoint)
    INBOX = 128        # a message was read (payload: the message)
    BLOCKED = 256      # inbox empty: nothing changed, no step counted
    SIDELOAD = 512     # sideload ran (payload: the block number operand)
    LIMIT = 1024       # run stopped at max_steps
    STOP_AT = 2048     # run stopped because the pc is in stop_at


# plain-int copies for the step loop and the opcode functions (an IntFlag operation costs about 1 us)
ERROR = int(Event.ERROR)
HALT = int(Event.HALT)
ERRORSTOP = int(Event.ERRORSTOP)
LOG = int(Event.LOG)
SEND = int(Event.SEND)
DEBUGPRINT = int(Event.DEBUGPRINT)
BREAKPOINT = int(Event.BREAKPOINT)
INBOX = int(Event.INBOX)
BLOCKED = int(Event.BLOCKED)
SIDELOAD = int(Event.SIDELOAD)
LIMIT = int(Event.LIMIT)
STOP_AT = int(Event.STOP_AT)
