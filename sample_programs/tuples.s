; tuples.s -- tuples as memory: arrays, a 64-slot grid, a lookup map, local variables
;
; Shows: tget/tset/tlen, nested tuples as a two-level array, a linked-list map walked in a loop,
; xget/xset on a tuple kept on the aux stack (a "stack frame" of local variables).
; EVM contrast: EVM memory is a flat byte array (MLOAD/MSTORE at offsets) and storage is a
; key-value map (SLOAD/SSTORE). The AVM has only values: an "update" builds a new tuple that shares
; every untouched slot with the old one, and nothing is ever overwritten in place.

.const ROW = (0, 0, 0, 0, 0, 0, 0, 0)
.const GRID = (ROW, ROW, ROW, ROW, ROW, ROW, ROW, ROW)          ; 64 slots as 8 rows of 8
.const MAP = ((1, 100), ((2, 200), ((3, 300), ())))            ; a list of (key, value) entries
.static (@find)

;> A tuple is at most 8 slots. 'tlen' tells how many.
    push ROW
    tlen
;> A 64-slot array is a tuple of 8 rows. Set grid[5][2] = 7, bottom-up:
;> keep the value, fetch row 5, build the new row, then build the new grid.
    push GRID
    push 7
    dup1
    tget 5                                  ;> row 5 of the grid
    tset 2                                  ;> a new row with slot 2 = 7 (s0 index, s1 tuple, s2 value)
    swap1
    tset 5                                  ;> a new grid with row 5 replaced; the other rows are shared
;> Read it back: grid[5][2].
    dup0
    tget 5
    tget 2
;> A map as a linked list: each node is (entry, rest) and each entry is (key, value).
;> Look up key 2: walk the list until an entry's key matches.
    push MAP
find:
    dup0
    tget 0
    tget 0                                  ;> the key of this node's entry
    eq 2
    cjump @found
    tget 1                                  ;> not this one: move to the rest of the list
    spush
    tget 0
    jump
found:
    tget 0
    tget 1                                  ;> the value stored under key 2: 200
;> Local variables: keep a tuple on the AUX stack and address its slots with xget/xset.
    auxpush (0, 0, 0)
    push 11
    xset 0                                  ;> locals[0] = 11 (s0 index, s1 value)
    xget 0
    add 1
    xset 1                                  ;> locals[1] = locals[0] + 1
    auxpop                                  ;> the frame: (11, 12, 0)
    halt
