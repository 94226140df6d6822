; hashing.s -- hashes, codepoint hashes and code built at run time
;
; Shows: hash (any value), ethhash2 (two integers, like keccak256(abi.encodePacked(a, b))), type,
; pcpush, why a codepoint is (instruction, hash of the next codepoint), comparing codepoints with eq,
; errcodepoint and pushinsn (building code at run time).
; EVM contrast: EVM code is a byte array addressed by offsets, and KECCAK256 hashes memory bytes.
; AVM code is a hash chain: each codepoint's hash covers its instruction, its immediate and the hash
; of the next codepoint, so a codepoint's hash commits to ALL the code after it. That is what lets
; a one-step proof show "the next instruction" with just a few hashes.

;> hash replaces any value by its 256-bit keccak hash. For an integer: keccak256 of its 32 bytes.
    push 1
    hash
;> ethhash2 hashes two integers: keccak256(be32(s0) || be32(s1)) = keccak256(abi.encodePacked(1, 2)).
    push 2
    push 1
    ethhash2
;> A tuple's hash covers its slots and its size: (1, 2) and (2, 1) hash differently.
    push (1, 2)
    hash
;> type tells the kind of a value: 0 integer, 1 codepoint, 3 tuple, 12 buffer.
    push (1, 2)
    type
;> A codepoint is a value too. 'push @here' pushes the codepoint of the instruction labelled 'here'.
    push @here
here:
;> pcpush pushes the codepoint of the instruction now running -- the same codepoint as @here.
    pcpush
    eq                                      ;> 1: the same codepoint, same hash
;> Its hash is keccak256(1 || opcode || hash of the next codepoint). Change any later instruction and
;> this hash changes: that is why an immediate cannot name an earlier instruction.
    pcpush
    hash
    pop
;> Code can be built at run time. errcodepoint pushes a fresh error codepoint; pushinsn puts an
;> instruction in front of a codepoint. Here: a 'log' (0x61) whose next codepoint is 'resume'.
    push 42
    push @resume
    pushinsn 0x61
    jump                                    ;> runs the built 'log' (logging 42), then continues at resume
resume:
    errcodepoint
    type                                    ;> 1: an error codepoint is a codepoint
    halt
