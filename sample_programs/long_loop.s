; long_loop.s -- a counted loop of about 360,000 steps (for time travel and the dispute simulator)
;
; Shows: a long but simple run: the sum 1 + 2 + ... + 40000, nine instructions per pass.
; Try: run to the end, then step back, jump to any step, or bisect a dispute over it.
; EVM contrast: the same loop in the EVM would JUMPI back to a JUMPDEST offset; here the loop head's
; codepoint comes from the static value (a backward immediate would make the hash chain circular).

.const N = 40000
.static (@loop)

;> [sum, i] with i on top: sum = 0, i = N.
    push 0
    push N
loop:
    dup0
    swap2
    add                                     ; sum += i
    swap1
    add -1                                  ; i -= 1
    dup0
    spush
    tget 0
    cjump                                   ; back to loop while i != 0
;> Done: the sum, N * (N + 1) / 2 = 800020000, is under the spent counter.
    pop
    halt
