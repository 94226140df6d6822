"""``paused_gc``: loading pauses the cyclic collector and always gives its state back."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from avm.core.gc_pause import paused_gc
from avm.errors import UserError
from avm.formats.mexe import load_mexe


def test_the_collector_comes_back_as_it_was() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():                 # nested: the inner block does not switch it on early
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()         # off before, off after
    finally:
        gc.enable()


def test_a_bad_file_leaves_the_collector_on(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mexe"
    bad.write_text('{"code": [{"opcode": 999}], "static_val": {"Int": "0"}}')
    with pytest.raises(UserError, match=r"code\[0\]\.opcode"):
        load_mexe(bad)
    assert gc.isenabled()
