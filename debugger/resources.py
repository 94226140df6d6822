"""Where the installed themes and sample programs live (package data, found with importlib.resources)."""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:  # Python 3.10
    from importlib.abc import Traversable


def themes_dir() -> Traversable:
    return resources.files("debugger.themes")


def samples_dir() -> Traversable:
    return resources.files("debugger.sample_programs")


def sample_path(name: str) -> Traversable:
    """A shipped sample program by file name, e.g. ``sample_path("tour.s")``."""
    return samples_dir() / name


def sample_names() -> list[str]:
    return sorted(p.name for p in samples_dir().iterdir() if p.name.endswith(".s"))


def sample_summary(name: str) -> str:
    """The one-line description a sample starts with (``; loops.s -- counted loops ...``)."""
    first = sample_path(name).read_text(encoding="utf-8").split("\n", 1)[0]
    return first.split("--", 1)[1].strip() if "--" in first else ""


def resolve_program(name: str) -> str:
    """A program argument as a path: the file itself when it exists; else, for a bare name (no folder),
    the shipped sample of that name (``loops.s`` or ``loops``), so samples open from any folder."""
    if os.path.exists(name) or os.path.dirname(name):
        return name
    for candidate in (name, name + ".s"):
        if candidate in sample_names():
            return str(sample_path(candidate))
    return name


def display_path(path: str) -> str:
    """``path`` as shown to the user: a shipped sample by its bare name (never the site-packages
    folder it is installed in), any other path as given."""
    try:
        if Path(path).resolve().parent == Path(str(samples_dir())).resolve():
            return Path(path).name
    except (OSError, ValueError, ModuleNotFoundError):  # no installed samples (a source tree on sys.path)
        pass
    return path


def lessons_dir() -> Traversable:
    return resources.files("debugger.lessons")


def lesson_path(name: str) -> Traversable:
    """A shipped EVM-beside-AVM lesson by file name, e.g. ``lesson_path("push_add.lesson")``."""
    return lessons_dir() / name


def lesson_names() -> list[str]:
    return sorted(p.name for p in lessons_dir().iterdir() if p.name.endswith(".lesson"))
