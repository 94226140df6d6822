; loops.s -- loops with codepoints and jumps, both idioms
;
; Shows: why a jump back cannot use an immediate, idiom 1 (the loop head's codepoint kept in the
; static value) and idiom 2 (the codepoint saved at run time with pcpush, kept on the aux stack),
; cjump's operands (s0 = target, s1 = condition).
; EVM contrast: the EVM jumps to a byte offset (JUMP/JUMPI to a JUMPDEST) and a loop is just a
; backward offset. An AVM jump target is a codepoint VALUE -- (instruction, hash of the next
; codepoint) -- so a backward target cannot be written into earlier code: it would be circular.

.static (@sum_loop)

;> Idiom 1: sum 10 + 9 + ... + 1. The stack holds [sum, i] with i on top.
    push 0
    push 10
sum_loop:
;> Body: sum += i. dup0 copies i, swap2 exchanges s0 and s2, add, swap1 puts i back on top.
    dup0
    swap2
    add
    swap1
;> i -= 1 (the immediate is s0, so 'add -1' rather than 'sub 1').
    add -1
    dup0
;> The loop head's codepoint comes from the static value: it may name any instruction.
    spush
    tget 0
    cjump                                   ;> jump back while i != 0
    pop                                     ;> drop i = 0; the sum, 55, stays
;> Idiom 2: double 1 ten times. The stack holds [value, counter].
    push 1
    push 10
double_loop:
;> pcpush pushes the codepoint of the pcpush itself: jumping to it restarts the body here.
    pcpush
    auxpush                                 ;> park it on the aux stack while the body runs
    swap1
    mul 2
    swap1
    add -1
    dup0
;> Take the loop head back from the aux stack and jump to it while the counter is non-zero.
;> Each pass pushes and pops it exactly once, so the aux stack ends empty.
    auxpop
    cjump
    pop                                     ;> final stack: 55, 1024
    halt
