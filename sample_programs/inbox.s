; inbox.s -- inbox messages in, logs and sends out
;
; Shows: '.inbox' messages queued for the program, 'inbox' to read the next one, the reference
; message layout, 'log' and 'send' (the two ways out of the machine).
; EVM contrast: an EVM transaction arrives as calldata and answers with return data and event logs.
; An AVM machine (ArbOS) reads L1 messages one at a time with 'inbox' -- blocking when there is
; none -- and emits results with 'send' (a buffer, folded into the send accumulator) and 'log'.

.const ALICE = 0xa11ce
.const BOB = 0xb0b
; message layout: (kind, L1 block, L1 timestamp, sender, sequence number, gas price, length, data)
.inbox (3, 100, 1700000000, ALICE, 0, 0, 5, [68 65 6c 6c 6f])       ; "hello"
.inbox (3, 101, 1700000012, BOB, 1, 0, 3, [62 79 65])                ; "bye"

;> Read the first message. With no message left, 'inbox' would block (the debugger shows it).
    inbox
;> Log the sender: slot 3 of the message.
    dup0
    tget 3
    log
;> Send the message data back out: send pops a size (s0) and a buffer (s1).
    dup0
    tget 7                                  ;> the data buffer
    swap1
    tget 6                                  ;> its length, 5
    send
;> The second message, the same way.
    inbox
    dup0
    tget 3
    log
    dup0
    tget 7
    swap1
    tget 6
    send
;> Two logs (the senders) and two sends ("hello", "bye"); the stack is empty.
    halt
