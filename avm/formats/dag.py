"""Values are DAGs: one tuple object may sit in many slots (``.const`` names, ``dup`` at run time).

The formats walk each *distinct* tuple once: the disassembler names the shared ones with ``.const``,
the ``.mexe`` writer reuses their JSON. Everything here is iterative and linear in distinct nodes.
"""

from __future__ import annotations

from collections.abc import Iterable

from avm.core.values import Tuple, Value


def distinct_tuples(roots: Iterable[Value]) -> tuple[list[Tuple], dict[int, int]]:
    """(every distinct tuple reachable from ``roots``, children before parents; id -> number of slots
    that hold it, counting each root as one)."""
    order: list[Tuple] = []
    uses: dict[int, int] = {}
    expanded: set[int] = set()
    for root in roots:
        if type(root) is not Tuple:
            continue
        uses[id(root)] = uses.get(id(root), 0) + 1
        work: list[tuple[Tuple, bool]] = [(root, False)]
        while work:
            node, children_done = work.pop()
            if children_done:
                order.append(node)
                continue
            if id(node) in expanded:
                continue
            expanded.add(id(node))
            work.append((node, True))
            for child in reversed(node.items):
                if type(child) is Tuple:
                    uses[id(child)] = uses.get(id(child), 0) + 1
                    if id(child) not in expanded:
                        work.append((child, False))
    return order, uses


def expanded_counts(order: list[Tuple], cap: int) -> dict[int, int]:
    """id -> number of value nodes of each tuple written out as a tree, capped at ``cap`` (``order`` as
    from :func:`distinct_tuples`)."""
    counts: dict[int, int] = {}
    for node in order:
        total = 1
        for child in node.items:
            total += counts[id(child)] if type(child) is Tuple else 1
        counts[id(node)] = min(total, cap)
    return counts


__all__ = ["distinct_tuples", "expanded_counts"]
