"""Hypothesis strategies for AVM values in their ``.mexe`` JSON form (shared by the property tests)."""

from __future__ import annotations

from hypothesis import strategies as st

INTS = st.one_of(st.integers(0, 300), st.integers(0, (1 << 256) - 1),
                 st.sampled_from([(1 << 256) - 1, 1 << 255, (1 << 64) - 1, 1 << 64]))


def json_values(codepoints: int = 0, max_leaves: int = 25) -> st.SearchStrategy:
    """``{"Int": hex}`` / ``{"Tuple": [...]}`` / ``{"Buffer": hex}`` and, with ``codepoints`` > 0,
    ``{"CodePoint": {"Internal": i}}`` for i < codepoints."""
    leaves = [INTS.map(lambda n: {"Int": format(n, "x")}),
              st.binary(max_size=40).map(lambda b: {"Buffer": b.hex()})]
    if codepoints:
        leaves.append(st.integers(0, codepoints - 1).map(lambda i: {"CodePoint": {"Internal": i}}))
    return st.recursive(st.one_of(*leaves),
                        lambda inner: st.lists(inner, max_size=8).map(lambda xs: {"Tuple": xs}),
                        max_leaves=max_leaves)
