"""The AVM way to do what an EVM instruction does, for EVM mnemonics the AVM does not have.

``avm-debug explain SSTORE`` tells the story; the assembler gives the one-line hint when such a
mnemonic is typed in a ``.s`` file. EVM mnemonics that the AVM shares (``add``, ``jump``, ``pop``, ...)
are explained as AVM instructions, each entry with its EVM difference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class EvmWay:
    hint: str                  # one line, for an assembler error
    story: str                 # the AVM way, for ``explain``
    see: tuple[str, ...]       # AVM instructions to explain next


_STORAGE = ("The AVM has no contract storage and no storage instructions: a program keeps all its state "
            "in values. The register (rpush / rset) holds one value that survives every call - compiled "
            "programs keep their globals in a tuple there - and tuples (tget / tset, and xget / xset on "
            "the aux stack) hold structured data; a large key-value map is a tree of tuples. On Arbitrum, "
            "ArbOS (the AVM program that runs EVM contracts) implements SLOAD / SSTORE this way: each "
            "contract's storage is a map built from tuples inside ArbOS's own state.")
_MEMORY = ("The AVM has no byte-addressed memory. Small structured data lives in tuples (up to 8 slots, "
           "nested for more: tget / tset); byte arrays live in buffers (newbuffer, getbuffer8/64/256, "
           "setbuffer8/64/256), which grow as they are written and read as zero past their end. Values "
           "are immutable: tset and setbuffer push a new value, the old one is unchanged.")
_ENV = ("The AVM has no execution-environment instructions: it runs one program, not contracts with "
        "callers, balances or blocks. Information from outside arrives as inbox messages (inbox), and "
        "ArbOS, which runs EVM contracts on the AVM, reads the message sender, value, calldata and block "
        "data from those messages and answers the EVM instruction from its own state.")
_CALLS = ("The AVM has no contracts to call: a program is one codepoint chain. A function call is a jump "
          "with the return codepoint saved first (pcpush or a later label, kept on the aux stack with "
          "auxpush), and a return is auxpop followed by jump. ArbOS implements EVM calls between "
          "contracts inside its own state; results leave the AVM with send and log.")

EVM_WAYS: dict[str, EvmWay] = {
    "STOP": EvmWay("the AVM stops with 'halt'",
                   "The AVM stops with halt. An AVM program does not return data: results stay in its "
                   "state, or leave with log and send.", ("halt", "log", "send")),
    "RETURN": EvmWay("the AVM stops with 'halt'; results stay on the stack or go out with 'log' / 'send'",
                     "There is no return data. A program halts (halt); results go out with log (a value "
                     "for the log) or send (a buffer for the outbox). Returning from a function inside a "
                     "program is a jump to a saved codepoint. " + _CALLS, ("halt", "log", "send", "jump")),
    "REVERT": EvmWay("the AVM raises an error with 'error'; a handler set with 'errset' catches it",
                     "The AVM has no revert: a program raises an error (error, or any failing "
                     "instruction), which jumps to the error handler set with errset (errcodepoint reads "
                     "it). With no handler the machine stops in ErrorStop. State is not rolled back: "
                     "values are immutable, so a program undoes work by keeping the old value.",
                     ("error", "errset", "errcodepoint")),
    "INVALID": EvmWay("write an invalid opcode by number: op(0xfe)",
                      "Any unassigned opcode byte is an error on the AVM too; in .s write it by number, "
                      "e.g. op(0xfe). The AVM's own instruction for raising an error is error.", ("error",)),
    "SELFDESTRUCT": EvmWay("the AVM has no contracts to destroy; a program stops with 'halt'",
                           "There is no account to destroy: the AVM runs one program, which stops with "
                           "halt. " + _ENV, ("halt",)),
    "JUMPDEST": EvmWay("the AVM has no JUMPDEST: any codepoint is a jump target; write a label 'name:'",
                       "There is no JUMPDEST: a jump target is a codepoint, a value naming an instruction "
                       "(and, through its hash, everything after it). Any instruction can be a target; in "
                       ".s, a label 'name:' and @name give its codepoint, pcpush pushes the current one. "
                       "An immediate can only name a later instruction (the hash chain runs from the end "
                       "of the program), so loops save the loop head with pcpush at run time.",
                       ("jump", "cjump", "pcpush")),
    "JUMPI": EvmWay("the AVM's conditional jump is 'cjump' (target on top, condition below)",
                    "cjump takes the target codepoint on top and the condition below it, and jumps when "
                    "the condition is non-zero. The target is a codepoint value, not a byte offset.",
                    ("cjump", "jump", "pcpush")),
    "PC": EvmWay("the AVM's 'pcpush' pushes the current codepoint",
                 "pcpush pushes the codepoint of the current instruction (a value you can jump to), not a "
                 "byte offset.", ("pcpush", "jump")),
    "GAS": EvmWay("the AVM's 'pushgas' pushes the gas remaining",
                  "pushgas pushes the ArbGas remaining; setgas sets it. Running out of gas is an AVM error "
                  "that the error handler can catch.", ("pushgas", "setgas")),
    "SHA3": EvmWay("the AVM hashes a value with 'hash', two ints with 'ethhash2'",
                   "hash gives the AVM hash of any value (a tuple by its contents); ethhash2 is keccak256 "
                   "of two 32-byte integers, the EVM's KECCAK256 of 64 bytes of memory; keccakf is the "
                   "raw permutation for hashing longer data from a buffer.",
                   ("hash", "ethhash2", "keccakf")),
    "SLOAD": EvmWay("the AVM has no storage: keep state in the register ('rpush'/'rset') or tuples",
                    _STORAGE, ("rpush", "rset", "tget", "tset")),
    "SSTORE": EvmWay("the AVM has no storage: keep state in the register ('rpush'/'rset') or tuples",
                     _STORAGE, ("rset", "rpush", "tset", "tget")),
    "TLOAD": EvmWay("the AVM has no transient storage: keep values in tuples or on the aux stack",
                    _STORAGE, ("rpush", "tget", "auxpush")),
    "TSTORE": EvmWay("the AVM has no transient storage: keep values in tuples or on the aux stack",
                     _STORAGE, ("rset", "tset", "auxpush")),
    "MLOAD": EvmWay("the AVM has no memory: keep data in tuples ('tget'/'tset') or buffers ('getbuffer256')",
                    _MEMORY, ("tget", "getbuffer256", "newbuffer")),
    "MSTORE": EvmWay("the AVM has no memory: keep data in tuples ('tget'/'tset') or buffers ('setbuffer256')",
                     _MEMORY, ("tset", "setbuffer256", "newbuffer")),
    "MSTORE8": EvmWay("the AVM has no memory: write a byte of a buffer with 'setbuffer8'",
                      _MEMORY, ("setbuffer8", "getbuffer8", "newbuffer")),
    "MSIZE": EvmWay("the AVM has no memory; a buffer grows as it is written",
                    _MEMORY, ("newbuffer", "setbuffer8")),
    "MCOPY": EvmWay("the AVM has no memory: copy buffer bytes with getbuffer/setbuffer",
                    _MEMORY, ("getbuffer256", "setbuffer256")),
    "CALL": EvmWay("the AVM has no contract calls: jump to a codepoint, keep the return one on the aux stack",
                   _CALLS, ("jump", "pcpush", "auxpush", "auxpop")),
    "CREATE": EvmWay("the AVM does not create contracts; code can be built at run time with 'pushinsn'",
                     "The AVM runs one program and has no contract creation. Code can be built at run "
                     "time: pushinsn and pushinsnimm make a new codepoint in front of an existing one. "
                     + _CALLS, ("pushinsn", "pushinsnimm")),
    "CALLDATALOAD": EvmWay("the AVM has no calldata: input arrives as inbox messages ('inbox')",
                           _ENV, ("inbox", "getbuffer256")),
    "LOG": EvmWay("the AVM logs one value with 'log' (any value, no topics)",
                  "log pops one value of any kind and appends it to the log (its hash goes into the log "
                  "accumulator); there are no topics, put them in a tuple. send writes a buffer to the "
                  "outbox.", ("log", "send")),
    "PUSH": EvmWay("the AVM pushes any value with 'push' (no size suffix): push 0x1234",
                   "push takes any value as its immediate - an integer of any size, a tuple, a buffer, "
                   "a codepoint - so there is no PUSH1..PUSH32. Any instruction can carry an immediate, "
                   "pushed just before it runs: 'add 1' adds 1 to the top.", ("nop", "add")),
    "DUP": EvmWay("the AVM duplicates with dup0 (the top, EVM DUP1), dup1 (DUP2), dup2 (DUP3)",
                  "dup0 copies the top item (the EVM's DUP1), dup1 the item below it (DUP2), dup2 the "
                  "third (DUP3); deeper items are reached by moving items to the aux stack (auxpush) or "
                  "keeping them in a tuple.", ("dup0", "dup1", "dup2", "auxpush")),
    "SWAP": EvmWay("the AVM swaps with swap1 and swap2 (same numbering as the EVM)",
                   "swap1 and swap2 exchange the top item with the second and third (as SWAP1 and "
                   "SWAP2); deeper items are reached through the aux stack or a tuple.",
                   ("swap1", "swap2", "auxpush")),
}

_ENV_NAMES = ("ADDRESS", "BALANCE", "SELFBALANCE", "ORIGIN", "CALLER", "CALLVALUE", "CALLDATASIZE",
              "CALLDATACOPY", "CODESIZE", "CODECOPY", "EXTCODESIZE", "EXTCODECOPY", "EXTCODEHASH",
              "RETURNDATASIZE", "RETURNDATACOPY", "GASPRICE", "BLOCKHASH", "BLOBHASH", "COINBASE",
              "TIMESTAMP", "NUMBER", "DIFFICULTY", "PREVRANDAO", "GASLIMIT", "CHAINID", "BASEFEE",
              "BLOBBASEFEE")
for _name in _ENV_NAMES:
    EVM_WAYS[_name] = EvmWay("the AVM has no execution environment: such data arrives in inbox messages",
                             _ENV, ("inbox",))
for _name in ("CALLCODE", "DELEGATECALL", "STATICCALL"):
    EVM_WAYS[_name] = EVM_WAYS["CALL"]
EVM_WAYS["CREATE2"] = EVM_WAYS["CREATE"]
EVM_WAYS["KECCAK256"] = EVM_WAYS["SHA3"]

_FAMILIES = (("PUSH", re.compile(r"PUSH(0|[1-9]|[12][0-9]|3[0-2])")),
             ("DUP", re.compile(r"DUP([3-9]|1[0-6])")),
             ("SWAP", re.compile(r"SWAP([3-9]|1[0-6])")),
             ("LOG", re.compile(r"LOG[0-4]")))


def evm_way(mnemonic: str) -> EvmWay | None:
    """The AVM way for an EVM mnemonic the AVM lacks (any case; PUSH1..32, DUPn, SWAPn, LOGn too)."""
    name = mnemonic.strip().upper()
    way = EVM_WAYS.get(name)
    if way is not None:
        return way
    for family, pattern in _FAMILIES:
        if pattern.fullmatch(name):
            return EVM_WAYS[family]
    return None


__all__ = ["EVM_WAYS", "EvmWay", "evm_way"]
