"""One-step proofs: export, file format, decoding, inspection and the independent verifier."""
