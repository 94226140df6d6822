; gas.s -- AVM gas: setgas, pushgas and running out
;
; Shows: every instruction has a gas cost (see the instruction pane), 'pushgas' reads the gas left
; (after its own cost), 'setgas' sets it, and running out is an ordinary AVM error: the remaining
; gas is reset to the maximum (2**256-1) and the error handler runs.
; EVM contrast: EVM gas is a per-transaction budget, and running out reverts the whole call. AVM
; gas is a machine register the program itself can set and read; out of gas just raises an error,
; which a handler can catch -- this is how ArbOS meters the code it runs.

.static (@burn)

;> Gas starts at the maximum, 2**256-1. pushgas reports it after paying its own cost of 1.
    pushgas
    pop
    errset @out_of_gas
;> Give the machine a budget of 100: setgas pays its own cost first, then overwrites the gas.
    setgas 100
    pushgas                                 ;> 99: this pushgas cost 1
;> An endless loop: spush (1) + tget (2) + jump (4) = 7 gas per pass. Watch the gas drain.
burn:
    spush
    tget 0
    jump
out_of_gas:
;> Out of gas! The instruction that could not pay was charged 5, the remaining gas was reset to
;> the maximum and the handler runs. The stack kept the 99 from before the loop.
    pushgas                                 ;> 2**256-2: the maximum minus this pushgas
    halt
