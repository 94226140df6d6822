"""The machine itself: values, hashing, the opcode table, state and the run loop."""
