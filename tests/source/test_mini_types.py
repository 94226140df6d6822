"""Globals decoded from the register with their mini types."""

from __future__ import annotations

from collections.abc import Callable

from avm.core.values import Tuple
from debugger.engine.mini_types import decode, decode_globals, tree_paths, type_text
from debugger.engine.session import Session, StopReason

MINUS_3 = (1 << 256) - 3


def shown(session: Session) -> list[tuple[str, str, str]]:
    return [(d.name, d.type, d.text) for d in decode_globals(session.program, session.machine.register)]


def test_upgrade1_old_blocks_with_its_globals_set(open_program: Callable[..., Session]) -> None:
    session = open_program("upgradetests_upgrade1_old")
    assert shown(session) == [("global1", "uint", "(not set)"), ("global2", "option<int>", "(not set)")]
    stop = session.continue_()
    assert stop.reason is StopReason.BLOCKED and session.step == 13
    assert shown(session) == [("global1", "uint", "5"), ("global2", "option<int>", "Some(-3s)")]
    g2 = decode_globals(session.program, session.machine.register)[1]
    assert [(c.name, c.type, c.text) for c in g2.children] == [("Some", "int", "-3s")]


def test_the_new_programs_copy_the_old_globals(open_program: Callable[..., Session]) -> None:
    session = open_program("looptest_upgrade2_base")
    session.continue_()
    assert shown(session) == [("newGlobal1", "option<int>", "Some(-3s)"), ("newGlobal2", "uint", "5"),
                              ("newGlobal3", "(uint, uint)", "(17, 39)")]
    session = open_program("upgradetests_upgrade1_new")
    session.continue_()
    assert shown(session) == [("newGlobal1", "option<int>", "Some(-3s)"), ("newGlobal2", "uint", "5")]
    session = open_program("upgradetests_regcopy_old")
    session.continue_()
    assert shown(session) == [("global1", "uint", "5"), ("global2", "option<int>", "Some(-3s)")]


def test_tuple_tree_layout() -> None:
    assert tree_paths(1) == [()]
    assert tree_paths(3) == [(0,), (1,), (2,)]
    assert tree_paths(10) == [(0,), (1,), (2,), (3,), (4,), (5,), (6,), (7, 0), (7, 1), (7, 2)]
    paths = tree_paths(70)
    # seven full 8-slots, then the last slot splits its 14 leaves again: 7 singles and a 7-tuple
    assert len(set(paths)) == 70 and paths[0] == (0, 0) and paths[56] == (7, 0) and paths[-1] == (7, 7, 6)


def test_types_and_layouts() -> None:
    tree = {"m, 1": [{"Struct": [{"name": "a", "tipe": "Bool"}, {"name": "b", "tipe": "Int"}]}, "Pair"]}
    pair = {"Nominal": [["m"], 1, []]}
    assert type_text(pair, tree) == "Pair"
    assert decode(Tuple((1, MINUS_3)), pair, tree).text == "{a: true, b: -3s}"
    assert decode(Tuple((0,)), {"Option": "Uint"}).text == "None"
    assert type_text({"Map": ["Uint", {"Array": "Bytes32"}]}) == "map<uint, []bytes32>"
    # []uint of 3: (size, topstep, 8-block)
    arr = Tuple((3, 1, Tuple((10, 11, 12, 0, 0, 0, 0, 0))))
    assert decode(arr, {"Array": "Uint"}).text == "[10, 11, 12]"
    # map with one cell at the root and one below an 8-node
    cell = Tuple((7, Tuple((1, 70))))
    node = Tuple((0, Tuple((8, Tuple((1, 80)))), 0, 0, 0, 0, 0, 0))
    assert decode(Tuple((cell, 1)), {"Map": ["Uint", "Uint"]}).text == "{7: 70}"
    assert decode(Tuple((node, 1)), {"Map": ["Uint", "Uint"]}).text == "{8: 80}"
    # a value that does not fit its type is shown raw, marked
    assert decode(Tuple((5,)), "Uint").text == "(5) !"
