; buffers.s -- buffers: 2**64 sparse bytes in one value
;
; Shows: newbuffer, buffer literals, setbuffer8/64/256 and getbuffer8/64/256 (offset on top, then
; value, then buffer), writes far apart, buffer hashing.
; EVM contrast: EVM memory is one byte array per call that costs more gas as it grows. An AVM
; buffer is a VALUE: 2**64 bytes, all zero until written, stored as a Merkle tree. Each write returns
; a new buffer sharing the untouched parts, and a write at offset 123456789 costs the same as one at
; offset 0.

;> newbuffer pushes an empty buffer (all zeros).
    newbuffer
;> setbuffer8: s0 = offset (the immediate), s1 = byte value, s2 = buffer. Write 0x41 at offset 0.
    push 0x41
    setbuffer8 0
;> setbuffer64 writes 8 bytes big-endian, setbuffer256 writes 32.
    push 0x0102030405060708
    setbuffer64 8
    push -1
    setbuffer256 32                         ;> bytes 32..63 become 0xff
;> Far away writes are cheap: the tree only grows along one path.
    push 0x7b
    setbuffer8 123456789
;> Reads: getbuffer8 pops an offset (s0) and a buffer (s1). Keep a copy of the buffer with dup0.
    dup0
    getbuffer8 9                            ;> 0x02
    swap1
    dup0
    getbuffer64 8                           ;> 0x0102030405060708
    swap1
    dup0
    getbuffer8 123456789                    ;> 0x7b
    swap1
    dup0
    getbuffer8 1000                         ;> never written: 0
    swap1
;> A buffer literal in the source: [de ad be ef]. getbuffer256 reads 32 bytes big-endian.
    push [de ad be ef]
    getbuffer256 0                          ;> 0xdeadbeef followed by 28 zero bytes
    swap1
;> The buffer's hash is a Merkle root wrapped as H(123 || root); trailing zeros never matter.
    hash
    pop
    halt
