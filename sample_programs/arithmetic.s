; arithmetic.s -- integer and signed arithmetic on 256-bit words
;
; Shows: add, mul, sub, div, mod, exp, addmod, operand order (s0 op s1, the immediate is s0),
; negative literals as two's complement, signed sdiv/smod/slt/sar, signextend, byte and shifts.
; EVM contrast: the same 256-bit words and nearly the same opcodes, but (1) division or modulo by
; zero is an AVM *error* where the EVM returns 0 (see errors.s), and (2) with an immediate the
; immediate is the FIRST operand: 'sub 1' computes 1 - x, so count down with 'add -1'.
; Every result stays on the stack: the final stack is the answer sheet.

;> mul 6: the immediate 6 is s0, the 7 below is s1. 7 * 6 = 42.
    push 7
    mul 6
;> sub computes s0 - s1. Push the subtrahend first: 100 - 2 = 98.
    push 2
    push 100
    sub
;> Negative literals are 256-bit two's complement: -20 is 2**256 - 20.
;> sdiv reads both operands as signed and truncates toward zero: -20 / 7 = -2.
    push 7
    push -20
    sdiv
;> smod keeps the sign of the dividend: -20 smod 7 = -6.
    push 7
    push -20
    smod
;> Unsigned div and mod: 10 / 3 = 3, 10 mod 3 = 1.
    push 3
    push 10
    div
    push 3
    push 10
    mod
;> exp computes s0 ** s1 mod 2**256. 'exp 2' on 10 is 2 ** 10 = 1024.
    push 10
    exp 2
;> signextend: s0 = byte index, s1 = value. Byte 0 of 0xff has its top bit set, so the value is
;> extended to all ones: -1.
    push 0xff
    signextend 0
;> addmod computes (s0 + s1) mod s2 without overflow: (8 + 7) mod 10 = 5.
    push 10
    push 7
    push 8
    addmod
;> Comparisons: slt is signed (-1 < 1 is true), lt is unsigned (2**256-1 < 1 is false).
    push 1
    push -1
    slt
    push 1
    push -1
    lt
;> Shifts move s1 by s0 bits: 1 << 8 = 256; sar keeps the sign: -256 >> 4 = -16.
    push 1
    shl 8
    push -256
    sar 4
;> byte takes byte s0 of s1, counting from the most significant end: byte 31 of 0x1234 is 0x34.
    push 0x1234
    byte 31
    halt
