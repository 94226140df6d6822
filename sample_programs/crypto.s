; crypto.s -- the cryptographic opcodes
;
; Shows: sha256f (one SHA-256 compression), keccakf (the Keccak-f[1600] permutation), ecrecover,
; ecadd and ecmul on alt_bn128, ecpairing.
; EVM contrast: the EVM offers SHA256, ECRECOVER, BN256ADD, BN256MUL and BN256PAIRING as precompiled
; contracts at addresses 0x01..0x08, called with CALL and memory buffers. The AVM has them as
; instructions on stack values; sha256f and keccakf are the raw building blocks, so a full hash is
; a loop in AVM code (ArbOS does exactly that).

.const SHA256_IV = 0x6a09e667bb67ae853c6ef372a54ff53a510e527f9b05688c1f83d9ab5be0cd19
.const P = 21888242871839275222246405745257275088696311157297823662689037894645226208583

;> sha256f: s0 = chaining state, then the 64-byte block as two integers (s1 = first 32 bytes).
;> One compression of the padded message "abc" from the standard IV gives SHA-256("abc").
    push 0x18                               ; block bytes 32..63: zeros, then the bit length 24
    push 0x6162638000000000000000000000000000000000000000000000000000000000
    push SHA256_IV
    sha256f
    eq 0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
;> keccakf permutes the 1600-bit Keccak state, given as a tuple of 7 integers (lanes little-endian).
    push (0, 0, 0, 0, 0, 0, 0)
    keccakf
    tget 0                                  ;> the first 4 lanes of Keccak-f applied to zeros
;> ecrecover: s0 = r, s1 = s, s2 = recovery id (0 or 1), s3 = message hash. It pushes the signer's
;> address (0 on failure). The message is keccak256("hello, AVM").
    push 0x44cb3d99193daf44e633a5e6b6b132cfe57bc89cb75d8730958b31347b618afc
    push 1
    push 0x433d842ce83cecbbc71c67dabad13d317829f1db8c066bb8a86c0879261d26b8
    push 0x9e7422dce7cee813252c69b66dba6cb1d5a0cd455c83a46ed58b2a4204faf6f3
    ecrecover
    eq 0x60601c3cebe4a57003080d2daaead59742e833c8
;> ecadd adds two alt_bn128 points (s0, s1) + (s2, s3) and pushes y then x (x on top).
;> G + G with the generator G = (1, 2).
    push 2
    push 1
    push 2
    push 1
    ecadd
;> ecmul: (s0, s1) * s2. 2 * G must be the same point.
    push 2
    push 2
    push 1
    ecmul
;> Compare the two points: [yA, xA, yM, xM] -> [yA, yM, xM, xA], then x with x, y with y.
    swap1
    swap2
    eq                                      ;> the x coordinates agree
    swap2
    eq                                      ;> and so do the y coordinates
;> ecpairing: a list of (G1 point, G2 point) pairs as (item, rest) links; pushes 1 when the product
;> of the pairings is 1. e(G, H) * e(-G, H) = 1, with -G = (1, P - 2) and H the G2 generator.
    push ((1, 2, 10857046999023057135944570762232829481370756359578518086990519993285655852781, 11559732032986387107991004021392285783925812861821192530917403151452391805634, 8495653923123431417604973247489272438418190587263600148770280649306958101930, 4082367875863433681332203403145435568316851327593401208105741076214120093531), ((1, 21888242871839275222246405745257275088696311157297823662689037894645226208581, 10857046999023057135944570762232829481370756359578518086990519993285655852781, 11559732032986387107991004021392285783925812861821192530917403151452391805634, 8495653923123431417604973247489272438418190587263600148770280649306958101930, 4082367875863433681332203403145435568316851327593401208105741076214120093531), ()))
    ecpairing
;> Final stack: 1 (sha256), the keccakf lanes, 1 (ecrecover), 1, 1 (ecadd = ecmul), 1 (pairing).
    halt
