; calls.s -- calls and returns through the aux stack
;
; Shows: a calling convention (arguments on the data stack, the return codepoint on the aux stack),
; 'auxpush @label' to save a return address in one instruction, returning with 'auxpop' + 'jump',
; and recursion, where the function's own codepoint comes from the static value.
; EVM contrast: inside one contract the EVM has no call instruction either -- Solidity pushes a
; return JUMPDEST offset and JUMPs. The AVM does the same with codepoint values; because a codepoint
; can only name LATER code, functions live after their callers, and a recursive call (a jump back
; to the function's own start) takes the codepoint from the static value.

.static (@fact)

;> Call square(7): the argument goes on the data stack, the return address on the aux stack.
;> 'auxpush @ret1' pushes the codepoint of ret1 and moves it to the aux stack in one step.
    push 7
    auxpush @ret1
    jump @square
ret1:
;> Back with 49 on the stack. Call square(12) the same way.
    push 12
    auxpush @ret2
    jump @square
ret2:
    add                                     ;> 49 + 144 = 193
;> A recursive function: fact(5). Its entry comes from the static value (fact calls itself).
    push 5
    auxpush @ret3
    spush
    tget 0
    jump
ret3:
;> Final stack: 193, 120. Watch the call depth in the aux stack while stepping through fact.
    halt

square:                                     ; (x) -> (x * x)
    dup0
    mul
    auxpop                                  ;> the return address the caller left on the aux stack
    jump

fact:                                       ; (n) -> (n!)
    dup0
    iszero
    cjump @fact_base
    dup0
    add -1
;> Recursive call fact(n - 1): save where to come back, then jump to fact's own start.
    auxpush @fact_ret
    spush
    tget 0
    jump
fact_ret:
    mul                                     ;> n * fact(n - 1)
    auxpop
    jump
fact_base:
    pop
    push 1                                  ;> fact(0) = 1
    auxpop
    jump
