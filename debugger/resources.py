"""Where the installed themes and sample programs live (package data, found with importlib.resources)."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable


def themes_dir() -> Traversable:
    return resources.files("debugger.themes")


def samples_dir() -> Traversable:
    return resources.files("debugger.sample_programs")


def sample_path(name: str) -> Traversable:
    """A shipped sample program by file name, e.g. ``sample_path("tour.s")``."""
    return samples_dir() / name


def sample_names() -> list[str]:
    return sorted(p.name for p in samples_dir().iterdir() if p.name.endswith(".s"))


def lessons_dir() -> Traversable:
    return resources.files("debugger.lessons")


def lesson_path(name: str) -> Traversable:
    """A shipped EVM-beside-AVM lesson by file name, e.g. ``lesson_path("push_add.lesson")``."""
    return lessons_dir() / name


def lesson_names() -> list[str]:
    return sorted(p.name for p in lessons_dir().iterdir() if p.name.endswith(".lesson"))
