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
