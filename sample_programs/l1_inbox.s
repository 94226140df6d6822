; l1_inbox.s -- reading a real L1 inbox: two sequencer batches, a delayed message, end-of-block messages
;
; Shows: the messages the classic contracts put in front of the machine, read with 'inbox' from the
; L1 inbox file next to this program (l1_inbox.inbox.json, loaded automatically): every message is the
; 8-tuple (kind, L1 block, L1 timestamp, sender, sequence number, gas price, data length, data). The
; delayed message's sequence number has bit 255 set; an end-of-block message (kind 6) has no data.
; Try: 'p' on an 'inbox' line exports a proof in the layout the L1 OneStepProof contract reads.
; EVM contrast: an EVM block's transactions come in one by one from the block; here the sequencer
; posts batches to L1, and messages sent to L1 directly (delayed) are slotted in between.

.const N = 6
.static (@loop)

;> Six messages: batch 0 holds "hello", "world", delayed message 0, its end-of-block; batch 1 holds
;> "bye" and an end-of-block message.
    push N
loop:
    inbox
;> Log the sequence number (slot 4) and the kind (slot 0) of the message.
    dup0
    tget 4
    log
    dup0
    tget 0
    log
;> Send its data back out (send pops a size and a buffer); an end-of-block message has none.
    dup0
    tget 6
    iszero
    cjump @empty
    dup0
    tget 7
    swap1
    tget 6
    send
    jump @next
empty:
    pop
next:
    add -1                                  ; one message fewer to read
    dup0
    spush
    tget 0
    cjump                                   ; back to loop while some are left
;> All six read: the counter is 0.
    pop
    halt
