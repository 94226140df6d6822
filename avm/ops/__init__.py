"""Opcode semantics, grouped by category."""
