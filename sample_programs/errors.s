; errors.s -- error handling with the error codepoint
;
; Shows: errset (install a handler codepoint), what an error does to the stack, explicit 'error',
; errpush (read the handler), '@error' (the program's error codepoint = "no handler").
; EVM contrast: REVERT (or an invalid operation) undoes all state changes of the call and returns
; data to the caller. An AVM error undoes NOTHING: the machine pops the failing instruction's
; operands and jumps to the handler codepoint, or stops in the ErrorStop state when none is set.
; Division by zero, which returns 0 on the EVM, is an AVM error.

;> Install a handler: any error from now on continues at 'div_failed'.
    errset @div_failed
    push 0
    push 10
;> 10 / 0 is an AVM error. The two operands are popped and execution jumps to the handler.
    div
    push 999                                ;> never runs
div_failed:
;> We are in the handler. The handler stays installed after use, so point it elsewhere first.
    errset @type_failed
;> 'tget' needs a tuple; an integer is a type error. Again the operands are consumed.
    push 5
    tget 0
    push 999                                ;> never runs
type_failed:
    push 1                                  ;> reached the second handler
    errset @explicit
;> 'error' raises an error on purpose -- the closest thing to REVERT, without any undo.
    error
explicit:
;> errpush pushes the current handler codepoint: here the codepoint of 'explicit'.
    errpush
    type                                    ;> 1: it is a codepoint
;> '@error' is the program's error codepoint, which means "no handler": an error now would stop
;> the machine in ErrorStop. We halt cleanly instead. Final stack: 1, 1.
    errset @error
    halt
