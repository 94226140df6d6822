"""The installed ``avm-debug`` in a real terminal: a tmux server on a private socket, driven by keys
(shared by the end-to-end tests)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("avm-debug")


def need_tmux() -> str:
    tmux = shutil.which("tmux")
    if tmux is None or not SCRIPT.exists():
        message = "tmux and the installed avm-debug console script are needed for the end-to-end test"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    return tmux


class Terminal:
    """The installed ``avm-debug`` in a tmux server of its own (a private socket, so nothing else
    using tmux on the machine can disturb the test, and the test disturbs nothing)."""

    def __init__(self, tmux: str, tmp_path: Path, program: str) -> None:
        self.tmux = tmux
        self.socket = f"avm-e2e-{uuid.uuid4().hex[:8]}"
        self.name = "main"
        (tmp_path / "config").mkdir(exist_ok=True)
        command = (f"cd {tmp_path} && XDG_CONFIG_HOME={tmp_path / 'config'} COLORTERM=truecolor "
                   f"{SCRIPT} {program}; echo EXIT=$?; sleep 30")
        self.run("-f", "/dev/null", "new-session", "-d", "-s", self.name, "-x", "100", "-y", "30", command)
        self.run("set", "-s", "-t", self.name, "escape-time", "0")

    def run(self, *args: str) -> str:
        return subprocess.run([self.tmux, "-L", self.socket, *args], capture_output=True, text=True,
                              check=True).stdout

    def close(self) -> None:
        subprocess.run([self.tmux, "-L", self.socket, "kill-server"], capture_output=True)

    def screen(self) -> str:
        return self.run("capture-pane", "-t", self.name, "-p")

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", self.name, *(["-l"] if literal else []), *keys)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} did not appear; the screen shows:\n{screen}")
            time.sleep(0.1)
