; registers.s -- the register and the static value
;
; Shows: the register (one mutable value, None at start, rset/rpush), using it as a record of
; global variables, and the static value (read-only, loaded with the program, spush).
; EVM contrast: EVM state lives in storage slots (SSTORE/SLOAD), and constants are baked into the
; bytecode with PUSH. The AVM keeps global state in a single register value -- usually a tuple --
; and read-only data (tables, codepoints) in the static value, which is part of the machine hash.

.static (100, (1, 2, 3))

;> The register starts as None, the empty tuple ().
    rpush
    pop
;> Store a record (counter, total) in the register. 'rset' with an immediate stores it directly.
    rset (0, 0)
;> counter += 1, three times: read the register, update one slot, write it back.
    rpush
    tget 0
    add 1
    rpush
    tset 0
    rset
    rpush
    tget 0
    add 1
    rpush
    tset 0
    rset
    rpush
    tget 0
    add 1
    rpush
    tset 0
    rset
;> total = static[0] * counter. The static value is read with 'spush'; it never changes.
    spush
    tget 0
    rpush
    tget 0
    mul
    rpush
    tset 1
    rset
;> Final stack: the register, (3, 300), and slot 2 of the table in the static value, 3.
    rpush
    spush
    tget 1
    tget 2
    halt
