; tour.s -- a ten-minute tour of the classic Arbitrum Virtual Machine (AVM)
;
; The program avm-debug opens when started without a file. Step through it one instruction at a
; time and read the lesson notes: they appear when execution reaches the instruction they describe.
;
; Shows: the data stack, immediates, operand order, tuples instead of memory, codepoints and jumps,
; the static value, the aux stack, the register, logs, halt.
; EVM contrast: the EVM has a byte-addressed program counter (JUMP to a JUMPDEST offset), a
; byte-addressed memory and a key-value storage. The AVM has none of these: code is a hash chain of
; codepoints, and all data lives in immutable values (256-bit integers, tuples of up to 8 values,
; buffers) held on two stacks, in a register and in a read-only static value.

.const GREETING = 0x48656c6c6f              ; "Hello" read as an integer
.static (@countdown, 3)                     ; read-only: a codepoint and a loop count

;> Welcome! The AVM is a stack machine. 'push 2' puts the integer 2 on the data stack.
;> Step once and watch the Stack pane.
    push 2
;> An instruction can carry an IMMEDIATE value, pushed just before the instruction runs.
;> 'add 40' is 'push 40' then 'add': 40 lands on top of 2, and add replaces both with 42.
    add 40
;> Operands are read from the top: s0 is the top item, s1 the one below. 'sub' computes s0 - s1,
;> and an immediate is always s0, so 'sub 50' computes 50 - 42 = 8.
    sub 50
;> Integers are 256 bits wide; negative literals are two's complement. 'add -8' subtracts 8.
    add -8
;> 8 - 8 = 0, and 'iszero' turns 0 into 1 (true); any other integer becomes 0 (false).
    iszero
;> The AVM has no memory. Data lives in TUPLES: immutable values of 0 to 8 slots, nested at will.
    push (10, 20, (30, 40))
;> 'tget 1' reads slot 1 of the tuple under the immediate: 20 replaces the tuple.
    tget 1
;> Tuples never change. 'tset' builds a NEW tuple with one slot replaced:
;> s0 = slot index (the immediate 2), s1 = the tuple, s2 = the new value (our 20).
    push (0, 0, 0)
    tset 2
;> 'log' hands a value to the outside world (see the Output pane): here the new tuple (0, 0, 20).
    log
;> Now a loop. Code is a chain of CODEPOINTS: each is (instruction, hash of the next codepoint),
;> and a jump needs a codepoint VALUE. 'spush' pushes the static value, which holds one.
    spush
    tget 1                                  ;> the loop count, 3, from slot 1 of the static value
countdown:
;> Each pass logs the counter and counts down. Watch the Output pane.
    dup0
    log
    add -1
    dup0
;> 'cjump' pops a target codepoint (s0, here the immediate @done) and a condition (s1):
;> it jumps when the condition is non-zero. @done is a LATER instruction, so it can be an immediate.
    iszero
    cjump @done
;> Jumping BACK is different: an immediate '@countdown' here would need this instruction's own hash
;> before it exists (the chain would be circular). So the codepoint comes from the static value.
    spush
    tget 0
    jump
done:
    pop                                     ;> drop the spent counter (0)
;> The AUX stack is a second stack for temporaries and return addresses (see calls.s).
    push GREETING
    auxpush
    auxpop
;> The REGISTER is one mutable slot, None -- the empty tuple () -- at the start. 'rset' stores a value.
    rset
    rpush
    log                                     ;> logs 0x48656c6c6f, "Hello"
;> 'halt' stops the machine. The 1 from 'iszero' is still on the stack. Try stepping BACK now!
    halt
