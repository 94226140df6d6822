"""Per-opcode teaching table: what each AVM instruction does and how it differs from the EVM.

The numbers (opcode byte, gas, pop depths, push count) come from :mod:`avm.core.opcodes`; this module only
adds the words. Stack effects are written Forth-style, **top of stack on the right**, and the letters
are fixed by position: ``a`` is always the top item s0, ``b`` is s1, ``c`` is s2, ``d`` is s3. If an
instruction has an immediate, the machine pushes the immediate first, so the immediate is ``a``.

:func:`operands` names the values the instruction a machine is about to run will pop (reading the state
only: the debugger's explain pane and :func:`explain_step` both show them); :func:`explain_step` renders
the explanation of that instruction, with those operands and a preview of the outcome (computed by
running the step on a clone).
"""

from __future__ import annotations

import difflib
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from avm.core import opcodes
from avm.core.opcodes import Op
from avm.core.status import Event, Status
from avm.core.summary import DEFAULT_WIDTH, summarize
from avm.core.values import value_hash
from avm.errors import UserError
from avm.teach.evm_ways import EvmWay, evm_way

if TYPE_CHECKING:
    from avm.core.machine import Machine

OUT_OF_GAS = "out of gas: charged 5 gas and gas remaining is set to 2^256-1"


def table_errors(entry: opcodes.OpInfo) -> list[str]:
    """The errors that follow from the opcode table: underflow of what the instruction pops (only if it
    pops anything) and running out of gas (every instruction). The per-opcode ``errors`` add the rest."""
    out = []
    for n, which in ((entry.n_pops, "stack"), (entry.n_aux_pops, "aux stack")):
        if n:
            items = "item" if n == 1 else "items"
            immediate = "; an immediate counts as one" if which == "stack" else ""
            out.append(f"{which} underflow (fewer than {n} {items} on the {which}{immediate}): charged 5 gas")
    out.append(OUT_OF_GAS)
    return out

NOTATION = ("Stack effects list the items deepest first, so the top of the stack (s0) is on the right; "
            "a, b, c, d always name s0, s1, s2, s3. An immediate is pushed before the instruction "
            "runs, so it becomes s0.")


@dataclass(frozen=True)
class Explanation:
    """The teaching entry for one opcode (numbers come from :mod:`avm.core.opcodes`)."""

    name: str
    summary: str                  # plain-language description
    stack: str                    # data-stack effect, e.g. "b a -- a+b"
    errors: tuple[str, ...]       # errors specific to this opcode (see table_errors for the rest)
    evm: str                      # EVM counterpart mnemonic(s), or "" when the EVM has none
    evm_note: str                 # the difference, or why the EVM has no such instruction
    concept: str                  # teaching theme: arithmetic, tuples, aux stack, codepoints, ...
    aux: str = ""                 # aux-stack effect, when the instruction touches the aux stack
    operands: tuple[str, ...] = field(default=())   # names of s0, s1, ... as used in ``stack``


_DIV0 = "the divisor b is 0: an AVM error (the EVM would push 0)"
_INTS = "an operand is not an integer"


def _e(op: Op, summary: str, stack: str, errors: tuple[str, ...], evm: str, evm_note: str,
       concept: str, aux: str = "", operands: tuple[str, ...] = ()) -> Explanation:
    return Explanation(op.name.lower(), summary, stack, errors, evm, evm_note, concept, aux, operands)


_ENTRIES: list[Explanation] = [
    # ------------------------------------------------------------------ arithmetic
    _e(Op.ADD, "Adds the two top integers, wrapping modulo 2^256.", "b a -- a+b", (_INTS,),
       "ADD", "Same result. The AVM also checks the operand kinds: a tuple, codepoint or buffer is an error.",
       "arithmetic", operands=("a", "b")),
    _e(Op.MUL, "Multiplies the two top integers, wrapping modulo 2^256.", "b a -- a*b", (_INTS,),
       "MUL", "Same result; non-integer operands are an error.", "arithmetic", operands=("a", "b")),
    _e(Op.SUB, "Subtracts s1 from s0 (top minus the item below), wrapping modulo 2^256.", "b a -- a-b",
       (_INTS,), "SUB", "Same order as the EVM: the top item minus the one below it.", "arithmetic",
       operands=("a", "b")),
    _e(Op.DIV, "Unsigned integer division of s0 by s1, rounding down.", "b a -- a/b", (_INTS, _DIV0),
       "DIV", "The EVM pushes 0 when dividing by zero; the AVM raises an error instead.", "arithmetic",
       operands=("a", "b")),
    _e(Op.SDIV, "Signed (two's complement) division of s0 by s1, truncated toward zero; "
       "-2^255 / -1 wraps to -2^255.", "b a -- a/b", (_INTS, _DIV0),
       "SDIV", "Division by zero is an error instead of 0.", "arithmetic", operands=("a", "b")),
    _e(Op.MOD, "Unsigned remainder of s0 divided by s1.", "b a -- a%b", (_INTS, _DIV0),
       "MOD", "A zero modulus is an error instead of 0.", "arithmetic", operands=("a", "b")),
    _e(Op.SMOD, "Signed remainder of s0 divided by s1; the result has the sign of the dividend s0.",
       "b a -- a%b", (_INTS, _DIV0),
       "SMOD", "A zero modulus is an error instead of 0.", "arithmetic", operands=("a", "b")),
    _e(Op.ADDMOD, "(s0 + s1) mod s2, computed without the intermediate sum overflowing.",
       "c b a -- (a+b)%c", (_INTS, "the modulus c is 0: an AVM error (the EVM would push 0)"),
       "ADDMOD", "A zero modulus is an error instead of 0.", "arithmetic", operands=("a", "b", "c")),
    _e(Op.MULMOD, "(s0 * s1) mod s2, computed without the intermediate product overflowing.",
       "c b a -- (a*b)%c", (_INTS, "the modulus c is 0: an AVM error (the EVM would push 0)"),
       "MULMOD", "A zero modulus is an error instead of 0.", "arithmetic", operands=("a", "b", "c")),
    _e(Op.EXP, "s0 raised to the power s1, modulo 2^256.", "b a -- a**b", (_INTS,),
       "EXP", "Flat gas: the EVM charges extra per byte of the exponent, the AVM does not.",
       "arithmetic", operands=("a", "b")),
    _e(Op.SIGNEXTEND, "Sign-extends s1 from byte s0 (counting from the least significant byte): "
       "bit 8*s0+7 is copied into all higher bits. If s0 >= 31, s1 is pushed unchanged.",
       "b a -- signextend(b, a)", (_INTS,),
       "SIGNEXTEND", "Same operand order and the same result, including s0 >= 31 leaving s1 unchanged "
       "(the AVM spec wrongly says it pushes s0).", "arithmetic", operands=("a", "b")),
    # ------------------------------------------------------------------ comparison and bits
    _e(Op.LT, "Pushes 1 if s0 < s1 (unsigned), else 0.", "b a -- a<b", (_INTS,),
       "LT", "Same order: compares the top item against the one below.", "comparison", operands=("a", "b")),
    _e(Op.GT, "Pushes 1 if s0 > s1 (unsigned), else 0.", "b a -- a>b", (_INTS,),
       "GT", "Same order and result.", "comparison", operands=("a", "b")),
    _e(Op.SLT, "Pushes 1 if s0 < s1 as signed two's-complement numbers, else 0.", "b a -- a<b", (_INTS,),
       "SLT", "Same order and result.", "comparison", operands=("a", "b")),
    _e(Op.SGT, "Pushes 1 if s0 > s1 as signed two's-complement numbers, else 0.", "b a -- a>b", (_INTS,),
       "SGT", "Same order and result.", "comparison", operands=("a", "b")),
    _e(Op.EQ, "Pushes 1 if s0 and s1 are the same kind of value with the same hash, else 0. "
       "Works on any kinds: whole tuples are compared by hash in one step.", "b a -- a==b", (),
       "EQ", "The EVM compares two words. AVM values can be tuples, codepoints or buffers; eq compares "
       "them by hash, and values of different kinds are simply unequal (never an error).",
       "comparison", operands=("a", "b")),
    _e(Op.ISZERO, "Pushes 1 if s0 is the integer 0, else 0.", "a -- a==0", (_INTS,),
       "ISZERO", "Same; a non-integer is an error.", "comparison", operands=("a",)),
    _e(Op.AND, "Bitwise AND of s0 and s1.", "b a -- a&b", (_INTS,), "AND", "Same.", "bitwise",
       operands=("a", "b")),
    _e(Op.OR, "Bitwise OR of s0 and s1.", "b a -- a|b", (_INTS,), "OR", "Same.", "bitwise",
       operands=("a", "b")),
    _e(Op.XOR, "Bitwise XOR of s0 and s1.", "b a -- a^b", (_INTS,), "XOR", "Same.", "bitwise",
       operands=("a", "b")),
    _e(Op.NOT, "Bitwise complement of s0.", "a -- ~a", (_INTS,), "NOT", "Same.", "bitwise",
       operands=("a",)),
    _e(Op.BYTE, "Byte number s0 of s1, counting from the most significant byte (byte 0 is the top "
       "byte); 0 if s0 >= 32.", "b a -- byte(b, a)", (_INTS,),
       "BYTE", "Same operand order and byte numbering.", "bitwise", operands=("a", "b")),
    _e(Op.SHL, "Shifts s1 left by s0 bits; 0 if s0 >= 256.", "b a -- b<<a", (_INTS,),
       "SHL", "Same operand order: the shift amount is on top.", "bitwise", operands=("a", "b")),
    _e(Op.SHR, "Shifts s1 right by s0 bits, filling with zeros; 0 if s0 >= 256.", "b a -- b>>a", (_INTS,),
       "SHR", "Same operand order.", "bitwise", operands=("a", "b")),
    _e(Op.SAR, "Shifts s1 right by s0 bits, copying the sign bit; for s0 >= 256 the result is 0 or "
       "all ones depending on the sign of s1.", "b a -- b>>a", (_INTS,),
       "SAR", "Same operand order and result.", "bitwise", operands=("a", "b")),
    # ------------------------------------------------------------------ hashing
    _e(Op.HASH, "Replaces s0 (any kind) with its AVM value hash as an integer: an int hashes its 32 "
       "bytes, a tuple hashes its slots' hashes and its size, a codepoint its instruction and next "
       "hash, a buffer the number 123 and its Merkle root.", "a -- hash(a)", (),
       "KECCAK256", "The EVM hashes a byte range of memory. The AVM has no memory: it hashes a "
       "structured value, so the same tuple always gives the same hash however it was built.",
       "hashing", operands=("a",)),
    _e(Op.TYPE, "Pushes the kind of s0: 0 integer, 1 codepoint, 3 tuple, 12 buffer.", "a -- type(a)", (),
       "", "The EVM has a single type, the 256-bit word, so there is nothing to ask. AVM values carry "
       "their kind and instructions check it.", "values", operands=("a",)),
    _e(Op.ETHHASH2, "Keccak-256 of the 64 bytes be32(s0) || be32(s1), pushed as an integer: "
       "Solidity's keccak256(abi.encodePacked(a, b)).", "b a -- keccak(a||b)", (_INTS,),
       "KECCAK256", "The EVM needs both words stored in memory first (MSTORE, MSTORE, KECCAK256); "
       "the AVM has no memory, so this common two-word case is one instruction.",
       "hashing", operands=("a", "b")),
    _e(Op.KECCAKF, "Applies the Keccak-f[1600] permutation to a 25-lane state packed into a 7-tuple "
       "of integers (lanes little-endian inside each integer).", "state -- keccakf(state)",
       ("s0 is not a tuple of exactly 7 integers",),
       "", "The EVM hashes whole byte ranges with KECCAK256. The AVM exposes only the permutation; "
       "ArbOS builds Keccak-256 of buffers in software from it.", "hashing", operands=("state",)),
    _e(Op.SHA256F, "One SHA-256 compression: chaining value s0 (big-endian words) with the 64-byte "
       "block be32(s1) || be32(s2).", "c b a -- sha256f(a, b||c)", (_INTS,),
       "SHA256 precompile (0x02)", "The EVM precompile hashes a whole message; the AVM gives only "
       "the compression function and ArbOS does the padding and chaining.", "hashing",
       operands=("a", "b", "c")),
    # ------------------------------------------------------------------ stack, register, static
    _e(Op.POP, "Discards s0.", "a --", (), "POP", "Same, but the discarded value can be of any kind.",
       "stack", operands=("a",)),
    _e(Op.SPUSH, "Pushes the static value: a read-only value fixed when the program is loaded.",
       "-- static", (),
       "", "The EVM keeps constants in the code bytes (PUSHn, CODECOPY). The AVM's static is one "
       "structured value (often a tuple of tables and codepoints) that is part of the machine hash.",
       "register", operands=()),
    _e(Op.RPUSH, "Pushes the register: the machine's single mutable global value.", "-- register", (),
       "SLOAD / MLOAD", "The EVM has storage and memory, both addressed by number. The AVM has one "
       "register holding one value; ArbOS keeps its whole global state there as a tree of tuples.",
       "register", operands=()),
    _e(Op.RSET, "Replaces the register with s0.", "a --", (),
       "SSTORE / MSTORE", "One value replaces the whole register; updating one field of ArbOS state "
       "means rebuilding the tuples on the path to it (tset) and storing the new root.",
       "register", operands=("a",)),
    _e(Op.JUMP, "Continues execution at the codepoint s0.", "cp --", ("s0 is not a codepoint",),
       "JUMP", "An EVM jump target is an integer byte offset that must land on a JUMPDEST. An AVM "
       "target is a codepoint value, identified by its hash; integers are not addresses.",
       "codepoints", operands=("cp",)),
    _e(Op.CJUMP, "Jumps to the codepoint s0 if the integer s1 is not zero, else falls through to the "
       "next instruction.", "cond cp --", ("s0 is not a codepoint", "s1 is not an integer"),
       "JUMPI", "Same operand order (target on top, condition below), but the target is a codepoint "
       "value, not a byte offset.", "codepoints", operands=("cp", "cond")),
    _e(Op.STACKEMPTY, "Pushes 1 if the data stack is empty, else 0 (an immediate counts as an item, so "
       "with an immediate the answer is 0).", "-- flag", (),
       "", "EVM code cannot inspect the stack depth; its stack is a fixed scratch area per call. "
       "AVM code sometimes keeps a variable number of items on the stack.", "stack", operands=()),
    _e(Op.PCPUSH, "Pushes the current codepoint (this instruction) as a value.", "-- cp", (),
       "PC", "EVM PC pushes an integer offset. AVM pcpush pushes the codepoint itself, a value that "
       "can later be jumped to; loops are written this way, since an immediate can only name "
       "instructions later in the program.", "codepoints", operands=()),
    _e(Op.AUXPUSH, "Moves s0 from the data stack to the aux stack.", "a --", (),
       "", "The EVM has one stack. The AVM's second (aux) stack holds call frames: return codepoints "
       "and a tuple of local variables, since there is no memory to put them in.", "aux stack",
       aux="-- a", operands=("a",)),
    _e(Op.AUXPOP, "Moves the top of the aux stack to the data stack.", "-- x", (),
       "", "No aux stack in the EVM.", "aux stack", aux="x --", operands=()),
    _e(Op.AUXSTACKEMPTY, "Pushes 1 if the aux stack is empty, else 0.", "-- flag", (),
       "", "No aux stack in the EVM.", "aux stack", operands=()),
    _e(Op.NOP, "Does nothing (useful to carry an immediate: nop with an immediate just pushes it).",
       "--", (), "JUMPDEST / PUSHn",
       "The EVM has no plain no-op; JUMPDEST is the nearest. An AVM nop with an immediate is how "
       "constants get pushed: the AVM has no PUSHn, any instruction can carry an immediate value.",
       "stack", operands=()),
    _e(Op.ERRPUSH, "Pushes the current error-handler codepoint.", "-- handler", (),
       "", "The EVM has no error handlers: an error aborts the call frame. The AVM jumps to a "
       "handler codepoint instead, and errpush reads it (e.g. to save and restore it).",
       "error handling", operands=()),
    _e(Op.ERRSET, "Installs the codepoint s0 as the error handler: any later error jumps there.",
       "cp --", ("s0 is not a codepoint",),
       "", "No EVM equivalent: EVM errors revert the whole call. The AVM can catch its own errors; "
       "the handler stays installed after it is used.", "error handling", operands=("cp",)),
    _e(Op.DUP0, "Copies s0 onto the top.", "a -- a a", (),
       "DUP1", "EVM DUP1 (numbering starts at 1 there, at 0 here). The AVM has only dup0..dup2.",
       "stack", operands=("a",)),
    _e(Op.DUP1, "Copies s1 onto the top.", "b a -- b a b", (),
       "DUP2", "EVM DUP2; copying a tuple copies a reference, since tuples are immutable.",
       "stack", operands=("a", "b")),
    _e(Op.DUP2, "Copies s2 onto the top.", "c b a -- c b a c", (),
       "DUP3", "EVM DUP3. Deeper items are reached through the aux stack or tuples.",
       "stack", operands=("a", "b", "c")),
    _e(Op.SWAP1, "Exchanges s0 and s1.", "b a -- a b", (), "SWAP1", "Same (the AVM stops at swap2).",
       "stack", operands=("a", "b")),
    _e(Op.SWAP2, "Exchanges s0 and s2.", "c b a -- a b c", (), "SWAP2", "Same.", "stack",
       operands=("a", "b", "c")),
    # ------------------------------------------------------------------ tuples
    _e(Op.TGET, "Pushes slot s0 of the tuple s1.", "t i -- t[i]",
       ("s0 is not an integer, or is not less than the tuple's length", "s1 is not a tuple"),
       "MLOAD", "EVM memory is a flat mutable byte array read at an offset. AVM data lives in "
       "immutable tuples of up to 8 slots, nested into trees; tget reads one slot.", "tuples",
       operands=("i", "t")),
    _e(Op.TSET, "Pushes a copy of the tuple s1 whose slot s0 is replaced by s2. The original tuple is "
       "unchanged (other references to it still see the old value).", "v t i -- t'",
       ("s0 is not an integer, or is not less than the tuple's length", "s1 is not a tuple"),
       "MSTORE", "MSTORE overwrites memory in place. Tuples are immutable, so tset builds a new tuple "
       "that shares the other slots; this is why tset costs far more gas than tget.", "tuples",
       operands=("i", "t", "v")),
    _e(Op.TLEN, "Pushes the number of slots (0 to 8) of the tuple s0.", "t -- len(t)",
       ("s0 is not a tuple",), "", "EVM memory has no objects, so nothing has a length (MSIZE only "
       "reports how much memory was touched). An AVM tuple knows its slot count.", "tuples",
       operands=("t",)),
    _e(Op.XGET, "Pushes slot s0 of the tuple on top of the aux stack, which stays in place. This is "
       "how a function reads its local variables.", "i -- x[i]",
       ("s0 is not an integer, or is not less than the tuple's length",
        "the aux top is not a tuple"),
       "MLOAD", "Like reading a local variable in a stack frame; the frame is a tuple on the aux stack.",
       "aux stack", aux="x -- x", operands=("i",)),
    _e(Op.XSET, "Replaces the tuple on top of the aux stack with a copy whose slot s0 holds s1: "
       "writing a local variable.", "v i --",
       ("s0 is not an integer, or is not less than the tuple's length",
        "the aux top is not a tuple"),
       "MSTORE", "Like writing a local variable in a stack frame, but it builds a new tuple.",
       "aux stack", aux="x -- x'", operands=("i", "v")),
    # ------------------------------------------------------------------ output, input, control
    _e(Op.BREAKPOINT, "A no-op that a debugger or the emulator may stop at.", "--", (),
       "", "The EVM has no debugger hook. In proofs the AVM breakpoint is always a plain no-op.",
       "debugging", operands=()),
    _e(Op.LOG, "Emits s0 (any value) as a log entry: logAcc becomes H(logAcc || hash(s0)) and the log "
       "count grows by 1.", "a --", (),
       "LOG0..LOG4", "EVM logs carry memory bytes and topics. An AVM log is one value of any kind; "
       "only its hash enters the log accumulator that assertions commit to.", "output",
       operands=("a",)),
    _e(Op.SEND, "Sends the first s0 bytes of the buffer s1 as an outgoing message (to L1): sendAcc "
       "becomes H(sendAcc || H(message)).", "buf n --",
       ("s0 is not an integer below 2^64, is 0, or is above the 10,000-byte limit",
        "s1 is not a buffer, or has a non-zero byte at or after index s0"),
       "CALL (to L1)", "The EVM calls other contracts synchronously. The AVM has no calls: it emits "
       "messages that the chain delivers later; the send accumulator commits to them.", "output",
       operands=("n", "buf")),
    _e(Op.INBOX, "Reads the next inbox message and pushes it as an 8-tuple (kind, L1 block, timestamp, "
       "sender, sequence number, gas price, data length, data buffer). Blocks (does nothing, no step "
       "counted) while the inbox is empty.", "-- msg", (),
       "CALLDATA*, block context", "An EVM run starts with calldata and block fields ready. The AVM "
       "runs forever and pulls its input message by message; while no message is there, the machine "
       "waits.", "inbox", operands=()),
    _e(Op.ERROR, "Raises an error on purpose: jumps to the error handler, or stops the machine "
       "(ErrorStop) when no handler is installed.", "--", ("it runs: raising an error is its purpose",),
       "REVERT / INVALID", "An EVM error unwinds the call frame and reverts its state. An AVM error "
       "jumps to the error-handler codepoint; nothing is undone.", "error handling", operands=()),
    _e(Op.HALT, "Stops the machine for good (status Halted, machine hash 0).", "--", (),
       "STOP", "EVM STOP ends one call. AVM halt ends the whole machine; ArbOS never halts.",
       "control", operands=()),
    _e(Op.SETGAS, "Sets the remaining AVM gas to s0 (after this instruction's own cost).", "g --",
       (_INTS,), "", "EVM code cannot set its own gas. ArbOS uses setgas as a resource register: "
       "it gives each user transaction a gas budget and catches the out-of-gas error in its handler.",
       "gas", operands=("g",)),
    _e(Op.PUSHGAS, "Pushes the remaining AVM gas (after this instruction's own cost).", "-- gas", (),
       "GAS", "Same idea as GAS; together with setgas, ArbOS meters the code it runs.", "gas",
       operands=()),
    _e(Op.ERRCODEPOINT, "Pushes a fresh error codepoint (hash ERRCP): the end of a new code segment to "
       "build on with pushinsn.", "-- errcp", (),
       "", "EVM code is fixed bytes; there is nothing to build. AVM code is a chain of codepoint "
       "values, and programs can make new chains at run time.", "codepoints", operands=()),
    _e(Op.PUSHINSN, "Builds a new codepoint: opcode s0 (low 8 bits, not checked) with no immediate, "
       "followed by the codepoint s1. Jumping to it runs that opcode, then continues at s1.",
       "cp op -- cp'", ("s0 is not an integer", "s1 is not a codepoint"),
       "", "The EVM cannot create code in a running contract (only CREATE a new contract). AVM code "
       "is a hash chain built back to front, so a program can prepend instructions to make new code.",
       "codepoints", operands=("op", "cp")),
    _e(Op.PUSHINSNIMM, "Like pushinsn, with s1 (any value) as the new instruction's immediate and s2 as "
       "the next codepoint.", "cp imm op -- cp'", ("s0 is not an integer", "s2 is not a codepoint"),
       "", "No EVM counterpart: run-time code building, with an immediate.", "codepoints",
       operands=("op", "imm", "cp")),
    _e(Op.SIDELOAD, "Takes a block number s0 and pushes data the runtime supplies for it; in proofs and "
       "by default it pushes an empty tuple.", "blk -- ()", (_INTS,),
       "", "A hook for the node (e.g. tracing); the EVM has nothing like it. The verifier can only "
       "prove the plain behaviour (an empty tuple).", "inbox", operands=("blk",)),
    # ------------------------------------------------------------------ elliptic curves
    _e(Op.ECRECOVER, "Recovers the signer's address from signature r = s0, s = s1, recovery id s2 (0 or "
       "1) and message hash s3. Pushes 0 on any failure.", "h v s r -- addr", (_INTS,),
       "ECRECOVER precompile (0x01)", "Operands come from the stack instead of memory, the order is "
       "reversed (r on top) and the recovery id is 0/1 instead of 27/28.", "crypto",
       operands=("r", "s", "v", "h")),
    _e(Op.ECADD, "Adds the alt_bn128 points (s0, s1) and (s2, s3); (0, 0) is the point at infinity. "
       "Pushes y then x, so x ends on top.", "by bx ay ax -- y x",
       (_INTS, "a coordinate is >= the field prime, or a point is not on the curve"),
       "ECADD precompile (0x06)", "Same curve; operands on the stack, and an invalid point is an "
       "AVM error.", "crypto", operands=("ax", "ay", "bx", "by")),
    _e(Op.ECMUL, "Multiplies the alt_bn128 point (s0, s1) by the scalar s2; x ends on top.",
       "k y x -- y' x'", (_INTS, "a coordinate is >= the field prime, or the point is not on the curve"),
       "ECMUL precompile (0x07)", "Same curve; operands on the stack.", "crypto",
       operands=("x", "y", "k")),
    _e(Op.ECPAIRING, "Checks a product of pairings: s0 is a linked list of 2-tuples (item, rest) ending "
       "in an empty tuple, each item a 6-tuple of coordinates. Pushes 1 if the product is the "
       "identity, else 0. Gas grows with the number of pairs.", "list -- ok",
       ("the list is malformed, has more than 30 items, or an item is not a 6-tuple of integers",
        "a point is invalid"),
       "ECPAIRING precompile (0x08)", "Input is a tuple list instead of packed memory bytes, and "
       "the G2 coordinates are real part first.", "crypto", operands=("list",)),
    _e(Op.DEBUGPRINT, "Pops s0 and hands it to the debugger (shown in the output pane); otherwise "
       "like pop.", "a --", (), "", "The EVM has no print (Hardhat's console.log is a fake call). "
       "The verifier treats debugprint as pop.", "debugging", operands=("a",)),
    # ------------------------------------------------------------------ buffers
    _e(Op.NEWBUFFER, "Pushes an empty buffer: 2^64 bytes, all zero.", "-- buf", (),
       "MSIZE / memory", "EVM memory exists once per call, is mutable and costs more as it grows. An "
       "AVM buffer is a value: as many as you like, passed around and stored in tuples, hashed as a "
       "sparse Merkle tree, with no expansion cost.", "buffers", operands=()),
    _e(Op.GETBUFFER8, "Pushes byte s0 of the buffer s1 (0 beyond what was written).", "buf off -- byte",
       ("s0 is not an integer below 2^64", "s1 is not a buffer"),
       "MLOAD + BYTE", "The EVM has no single-byte load. Note the operand order: the offset is on "
       "top, the buffer below.", "buffers", operands=("off", "buf")),
    _e(Op.GETBUFFER64, "Pushes the 8 bytes at offset s0 of the buffer s1, read big-endian.",
       "buf off -- u64", ("s0 is not an integer below 2^64 - 7", "s1 is not a buffer"),
       "MLOAD", "No 8-byte load in the EVM.", "buffers", operands=("off", "buf")),
    _e(Op.GETBUFFER256, "Pushes the 32 bytes at offset s0 of the buffer s1, read big-endian.",
       "buf off -- u256", ("s0 is not an integer below 2^64 - 31", "s1 is not a buffer"),
       "MLOAD", "Like MLOAD, but from a buffer value, and reading never grows anything.", "buffers",
       operands=("off", "buf")),
    _e(Op.SETBUFFER8, "Pushes a copy of the buffer s2 with byte s0 set to s1. The old buffer is "
       "unchanged.", "buf v off -- buf'",
       ("s0 is not an integer below 2^64", "s1 is not an integer below 256", "s2 is not a buffer"),
       "MSTORE8", "MSTORE8 writes memory in place; setbuffer8 makes a new buffer value sharing the "
       "unchanged parts.", "buffers", operands=("off", "v", "buf")),
    _e(Op.SETBUFFER64, "Pushes a copy of the buffer s2 with the 8 bytes at offset s0 set to s1 "
       "(big-endian).", "buf v off -- buf'",
       ("s0 is not an integer below 2^64 - 7", "s1 is not an integer below 2^64", "s2 is not a buffer"),
       "", "No 8-byte store in the EVM.", "buffers", operands=("off", "v", "buf")),
    _e(Op.SETBUFFER256, "Pushes a copy of the buffer s2 with the 32 bytes at offset s0 set to s1 "
       "(big-endian).", "buf v off -- buf'",
       ("s0 is not an integer below 2^64 - 31", "s1 is not an integer", "s2 is not a buffer"),
       "MSTORE", "Like MSTORE, but it returns a new buffer value.", "buffers",
       operands=("off", "v", "buf")),
]

INVALID = Explanation(
    "invalid", "Not an instruction (this includes opcode 0, which ends every code chain: the error "
    "codepoint, and 0x71, the removed inboxpeek). Running it raises an error and charges 5 gas.",
    "--", ("it runs: no instruction has this opcode",), "INVALID (0xfe)",
    "The EVM has one designated invalid opcode; in the AVM every unassigned byte is invalid, and "
    "running off the end of a program lands on the error codepoint (opcode 0).", "error handling")

#: Op -> its teaching entry (every valid opcode has one; a test checks it).
EXPLANATIONS: dict[Op, Explanation] = {Op[e.name.upper()]: e for e in _ENTRIES}


# ---------------------------------------------------------------------------------------------- lookup
def explanation_for(code: int) -> Explanation:
    """The teaching entry for opcode byte ``code`` (the ``invalid`` entry for unassigned bytes)."""
    entry = opcodes.info(code)
    return EXPLANATIONS[entry.code] if entry else INVALID


def resolve(query: str) -> opcodes.OpInfo | None:
    """Find an opcode by mnemonic (any case) or number (``0x14``, ``20``); None for an unassigned byte.

    Raises :class:`avm.errors.UserError` naming the closest mnemonics when nothing matches.
    """
    text = query.strip().lower()
    entry = opcodes.by_mnemonic(text)
    if entry is not None:
        return entry
    try:
        code = int(text, 0)
    except ValueError:
        code = None
    if code is not None:
        entry = opcodes.info(code)
        if entry is not None:
            return entry
        if 0 <= code <= 0xFF:
            return None
        raise UserError(f"opcode {query!r} is out of range: opcodes are one byte (0..255)")
    close = difflib.get_close_matches(text, list(opcodes.BY_NAME), n=3, cutoff=0.75)
    hint = f"; did you mean {', '.join(close)}?" if close else " (see `avm-debug explain --list`)"
    raise UserError(f"unknown opcode {query!r}{hint}")


def _gas_text(entry: opcodes.OpInfo) -> str:
    if entry.mnemonic == "ecpairing":
        return f"{entry.gas} + {opcodes.EC_PAIRING_POINT_GAS} per pair"
    return str(entry.gas)


def describe_invalid(code: int) -> str:
    """Explanation of an unassigned opcode byte."""
    return "\n".join([
        f"{opcodes.INVALID_NAME}  (opcode {code:#04x})   gas {opcodes.ERROR_GAS}   [{INVALID.concept}]", "",
        INVALID.summary, "", f"EVM: {INVALID.evm}", f"  {INVALID.evm_note}"])


def describe_evm(query: str, way: EvmWay) -> str:
    """The AVM way to do what the EVM instruction ``query`` does (an EVM mnemonic the AVM lacks)."""
    lines = [f"{query.strip().upper()} is an EVM instruction; the AVM has none by that name.", ""]
    lines += textwrap.wrap(way.story, 100)
    lines += ["", "AVM instructions to look at: " + ", ".join(way.see)
              + f"  (avm-debug explain {way.see[0]})"]
    return "\n".join(lines)


def describe_query(query: str) -> str:
    """``describe`` for a mnemonic or number given by the user (see :func:`resolve`); an EVM mnemonic
    the AVM lacks gets the AVM way to do the same (:mod:`avm.teach.evm_ways`)."""
    if query.strip().lower() not in opcodes.BY_NAME:
        way = evm_way(query)
        if way is not None:
            return describe_evm(query, way)
    entry = resolve(query)
    return describe(entry) if entry is not None else describe_invalid(int(query.strip(), 0))


def describe(entry: opcodes.OpInfo) -> str:
    """Multi-line explanation of one opcode, for ``avm-debug explain OPCODE`` and the help pane."""
    ex = EXPLANATIONS[entry.code]
    lines = [
        f"{entry.mnemonic}  (opcode {entry.code:#04x})   gas {_gas_text(entry)}   [{ex.concept}]",
        "",
        ex.summary,
        "",
        f"stack:     {ex.stack}",
    ]
    if ex.aux:
        lines.append(f"aux stack: {ex.aux}")
    named = [f"{operand_name(entry.code, i)} = s{i}" for i in range(entry.n_pops)]
    named += [f"{aux_operand_name(entry.code)} = aux top"] if entry.n_aux_pops else []
    if named:
        lines.append(f"operands:  {', '.join(named)}")
    lines.append(f"pops {entry.n_pops} data item(s)"
                 + (f" and {entry.n_aux_pops} aux item(s)" if entry.n_aux_pops else "")
                 + f", pushes {entry.push}" + (f" (+{entry.aux_push} on aux)" if entry.aux_push else ""))
    lines += ["", "errors:"]
    lines += [f"  - {e}" for e in ex.errors]
    lines += [f"  - {e}" for e in table_errors(entry)]
    lines += ["", f"EVM: {ex.evm or '(none)'}", f"  {ex.evm_note}", "", NOTATION]
    return "\n".join(lines)


def table_rows() -> list[tuple[str, str, str, str, str, str]]:
    """(code, mnemonic, gas, stack effect, EVM counterpart, concept) for every valid opcode."""
    rows = []
    for code in sorted(opcodes.OPCODES):
        entry = opcodes.OPCODES[code]
        ex = EXPLANATIONS[entry.code]
        stack = ex.stack + (f"  aux: {ex.aux}" if ex.aux else "")
        rows.append((f"{code:#04x}", entry.mnemonic, _gas_text(entry), stack, ex.evm or "-", ex.concept))
    return rows


def render_table() -> str:
    """The ``--list`` table as aligned plain text."""
    header = ("op", "name", "gas", "stack effect", "EVM", "concept")
    rows = [header, *table_rows()]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    out = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(r)).rstrip() for r in rows]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out) + "\n\n" + NOTATION


# ---------------------------------------------------------------------------------------------- one step
@dataclass(frozen=True)
class Operand:
    """One value the instruction about to run will pop (or, on the aux stack, read), named as its stack
    effect in the explain table names it."""

    name: str                 # a, b, cp, t, ... (the table's names; ``imm`` / ``sN`` past them)
    slot: str                 # where it is now: "s0", "s1", ... or "aux top"
    value: object | None      # None: missing, the stack is too short (an underflow error)
    immediate: bool = False   # the instruction's immediate (pushed before it runs, so it is s0)

    @property
    def position(self) -> str:
        return f"{self.slot}, the immediate" if self.immediate else self.slot

    def text(self, width: int = DEFAULT_WIDTH) -> str:
        """The value in one line of at most ``width`` characters (or why it is missing)."""
        if self.value is None:
            return f"(missing: {'aux' if self.slot.startswith('aux') else 'stack'} underflow)"
        return summarize(self.value, width=max(4, width))


def operand_name(code: int, i: int, immediate: bool = False) -> str:
    """The name of s<i> for opcode ``code``, as its stack effect in the explain table names it (``imm``
    for an immediate the instruction does not pop, ``s<i>`` past the named ones)."""
    names = explanation_for(code).operands
    return names[i] if i < len(names) else "imm" if i == 0 and immediate else f"s{i}"


def aux_operand_name(code: int) -> str:
    """The name of the aux-stack item that opcode ``code`` pops or reads (its aux effect's name)."""
    before = explanation_for(code).aux.split("--")[0].split()
    return before[-1] if before else "x"


def operands(m: Machine) -> list[Operand]:
    """What the instruction ``m`` runs next will pop from the data stack (s0 first, its immediate
    counted as s0) and read from the aux stack, named as the explain table names them. Reads the state
    only (nothing runs); a stopped machine runs nothing, so only an immediate is listed."""
    cp = m.pc
    entry = opcodes.info(cp.op)
    items: list[tuple[object, bool]] = [(cp.imm, True)] if cp.imm is not None else []
    running = m.status == Status.EXTENSIVE
    pops = (entry.n_pops if entry else 0) if running else len(items)
    items += [(v, False) for v in m.stack[::-1][:max(0, pops - len(items))]]
    out = []
    for i in range(max(pops, len(items))):
        value, immediate = items[i] if i < len(items) else (None, False)
        out.append(Operand(operand_name(cp.op, i, cp.imm is not None), f"s{i}", value, immediate))
    if entry and entry.n_aux_pops and running:
        out.append(Operand(aux_operand_name(cp.op), "aux top", m.aux[-1] if m.aux else None))
    return out


@dataclass
class StepExplanation:
    """The explanation of the next instruction of a machine, with its actual operands."""

    index: int | None            # listing index of the instruction, None for run-time code
    label: str | None
    code: int
    mnemonic: str
    gas: str
    summary: str
    stack: str
    aux: str
    operands: list[Operand]
    outcome: list[str]           # what running it does, from a dry run on a clone
    evm: str
    evm_note: str
    note: str | None = None      # the program's lesson note (`;>` in .s) for this instruction
    codepoint: list[str] = field(default_factory=list)   # codepoint facts: hash, next

    def render(self) -> str:
        where = f"#{self.index}" if self.index is not None and self.index >= 0 else "run-time code"
        if self.label:
            where += f" <{self.label}>"
        lines = [f"{self.mnemonic} (0x{self.code:02x}) at {where}   gas {self.gas}", self.summary, ""]
        lines.append(f"stack: {self.stack}" + (f"   aux: {self.aux}" if self.aux else ""))
        for op in self.operands:
            lines.append(f"  {op.name:<5} = {op.text()}   [{op.position}]")
        if self.outcome:
            lines.append("")
            lines += [f"-> {o}" for o in self.outcome]
        lines += ["", f"EVM: {self.evm or '(none)'}: {self.evm_note}"]
        if self.codepoint:
            lines += ["", *self.codepoint]
        if self.note:
            lines += ["", f"note: {self.note}"]
        return "\n".join(lines)


def _where(program: object, cp: object) -> str:
    index = getattr(cp, "index", -1)
    labels = getattr(program, "labels", {}) or {}
    if index is None or index < 0:
        return "a codepoint built at run time"
    if getattr(cp, "next", 0) is None:
        return f"the error codepoint (#{index})"
    label = labels.get(index)
    return f"#{index}" + (f" <{label}>" if label else "")


def explain_step(machine: Machine) -> StepExplanation:
    """Explain the instruction ``machine`` runs next, with its operand values and outcome.

    The outcome comes from running the step on ``machine.clone()``, so it is exactly what the machine
    will do (including the error path); ``machine`` itself is not changed.
    """
    m = machine
    cp = m.pc
    code = cp.op
    entry = opcodes.info(code)
    ex = explanation_for(code)
    name = opcodes.mnemonic_or_invalid(code)
    outcome = _dry_run(m)
    program = m.program
    index = cp.index if cp.index is not None and cp.index >= 0 else None
    next_text = ("32 zero bytes (this is an error codepoint)" if cp.next is None
                 else f"{value_hash(cp.next).hex()[:16]}.. = {_where(program, cp.next)}")
    facts = [f"codepoint hash {value_hash(cp).hex()[:16]}.. = H(0x01, op 0x{code:02x}"
             + (", hash(immediate)" if cp.imm is not None else "") + ", next hash)",
             f"next hash {next_text}"]
    notes = getattr(program, "notes", {}) or {}
    return StepExplanation(
        index=index, label=(getattr(program, "labels", {}) or {}).get(index) if index is not None else None,
        code=code, mnemonic=name, gas=_gas_text(entry) if entry else str(opcodes.ERROR_GAS),
        summary=ex.summary, stack=ex.stack, aux=ex.aux, operands=operands(m), outcome=outcome,
        evm=ex.evm, evm_note=ex.evm_note, note=notes.get(index) if index is not None else None,
        codepoint=facts)


def _dry_run(m: Machine) -> list[str]:
    """Run one step on a clone and describe what happened."""
    if m.status != Status.EXTENSIVE:
        return ["the machine has stopped: nothing runs"]
    clone = m.clone()
    payloads: list[tuple[int, object]] = []
    clone.on_event = lambda ev, payload: payloads.append((ev, payload))
    ev = clone.step()
    program = m.program
    if ev & Event.BLOCKED:
        return ["blocks: the inbox is empty, so nothing changes and no step is counted"]
    gas = clone.gas_used - m.gas_used
    out: list[str] = []
    if ev & Event.ERROR:
        reason = next((str(p) for e, p in payloads if e & Event.ERROR and p), "")
        out.append("raises an AVM error" + (f": {reason}" if reason else "") + f" (charged {gas} gas)")
        if clone.status == Status.ERRORSTOP:
            out.append("no error handler is installed, so the machine stops (ErrorStop, hash 1)")
        else:
            out.append(f"jumps to the error handler at {_where(program, clone.pc)}")
        return out
    if clone.status == Status.HALTED:
        return [f"halts the machine (charged {gas} gas); the machine hash becomes 0"]
    entry = opcodes.info(m.pc.op)
    pushed = entry.push if entry else 0
    if pushed:
        tops = [summarize(v) for v in clone.stack[-1:-1 - pushed:-1]]
        out.append("pushes " + ", ".join(tops) + ("  (top first)" if pushed > 1 else ""))
    elif m.pc.imm is not None and entry is not None and not entry.n_pops:
        out.append(f"pops nothing, so its immediate stays on the stack: s0 = {summarize(clone.stack[-1])}")
    if entry and entry.aux_push and clone.aux:
        out.append(f"aux top becomes {summarize(clone.aux[-1])}")
    nxt = m.pc.next
    if clone.pc is not nxt:
        out.append(f"jumps to {_where(program, clone.pc)}")
    if clone.register is not m.register:
        out.append(f"register becomes {summarize(clone.register)}")
    if clone.err_handler is not m.err_handler:
        out.append(f"error handler becomes {_where(program, clone.err_handler)}")
    for e, p in payloads:
        if e & (Event.LOG | Event.SEND | Event.DEBUGPRINT):
            kind = "log" if e & Event.LOG else "send" if e & Event.SEND else "debugprint"
            out.append(f"{kind}: {summarize(p) if p is not None else ''}")
    out.append(f"charges {gas} gas")
    return out
