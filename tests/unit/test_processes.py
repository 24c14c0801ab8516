"""Tests for services/processes.py with real child processes (small ``python -c`` programs).

Each waits for a real condition (a line in the child's log, a process appearing) with a deadline.
"""

from __future__ import annotations

import signal
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from services.probe import wait_for
from services.processes import (
    Child,
    alive,
    children_of,
    cpu_seconds,
    first_exited,
    processes_with_env,
    spawn,
    stop,
)

# Prints a line once its SIGTERM handler is in place, then waits to be stopped.
STUBBORN = """
import signal, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
print("ready", flush=True)
time.sleep(600)
"""
POLITE = """
import time
print("ready", flush=True)
time.sleep(600)
"""
# Starts a grandchild, says its pid, and dies of SIGTERM without stopping it.
PARENT = """
import subprocess, sys, time
g = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
print(g.pid, flush=True)
time.sleep(600)
"""
# Leaves an orphan in its session (the shell that started it exits), says its pid, waits.
ORPHANER = """
import subprocess, time
shell = ["sh", "-c", "sleep 600 >/dev/null 2>&1 & echo $!"]
print(subprocess.run(shell, capture_output=True, text=True).stdout.strip(), flush=True)
time.sleep(600)
"""


@pytest.fixture
def started() -> Iterator[list[Child]]:
    """The children a test starts; whatever it leaves running is stopped afterwards."""
    children: list[Child] = []
    yield children
    stop(children, grace_s=0)


def _start(
    started: list[Child],
    code: str,
    log: Path,
    name: str | None = None,
    env: dict[str, str] | None = None,
    new_session: bool = False,
    restore_sigint: bool = False,
) -> Child:
    child = spawn(
        [sys.executable, "-c", code],
        env,
        name=name,
        log=log,
        new_session=new_session,
        restore_sigint=restore_sigint,
    )
    started.append(child)
    return child


def _first_line(child: Child) -> str:
    """The first line the child printed, once it has (or an AssertionError if it died first)."""
    log = child.log
    assert log is not None
    wait_for(
        lambda: child.poll() is not None or log.read_text().endswith("\n"), 20, f"{child.name}"
    )
    assert child.poll() is None, f"{child.name} exited {child.poll()}: {log.read_text()}"
    return log.read_text().splitlines()[0]


def test_a_child_ignoring_sigterm_is_killed_after_its_grace(
    started: list[Child], tmp_path: Path
) -> None:
    stubborn = _start(started, STUBBORN, tmp_path / "stubborn.log", name="stubborn")
    polite = _start(started, POLITE, tmp_path / "polite.log", name="polite")
    assert _first_line(stubborn) == _first_line(polite) == "ready"
    began = time.monotonic()
    reports = stop([stubborn, polite], grace_s=1.0)
    took = time.monotonic() - began
    assert [r.name for r in reports] == ["stubborn", "polite"]
    assert reports[0].killed and reports[0].returncode == -signal.SIGKILL
    assert not reports[1].killed and reports[1].returncode == -signal.SIGTERM
    assert 1.0 <= took < 1.9, "asked together, waited together: one grace, not two"


def test_stop_takes_the_whole_tree(started: list[Child], tmp_path: Path) -> None:
    parent = _start(started, PARENT, tmp_path / "parent.log")
    grandchild = psutil.Process(int(_first_line(parent)))
    assert grandchild in children_of(parent.pid), "the grandchild is in the parent's tree"
    assert children_of(parent.pid, recursive=False) == [grandchild]
    [report] = stop(parent)
    assert not report.killed and report.returncode == -signal.SIGTERM
    assert report.leftovers == [grandchild.pid], "it outlived its parent and was killed"
    assert not alive(grandchild)


def test_stop_takes_the_orphans_of_a_session(started: list[Child], tmp_path: Path) -> None:
    leader = _start(started, ORPHANER, tmp_path / "leader.log", new_session=True)
    orphan = psutil.Process(int(_first_line(leader)))
    assert alive(orphan) and orphan not in children_of(leader.pid), "out of the leader's tree"
    [report] = stop(leader)
    assert report.leftovers == [orphan.pid]
    assert not alive(orphan)


def test_a_child_is_found_by_its_environment_marker(started: list[Child], tmp_path: Path) -> None:
    marker = uuid.uuid4().hex
    env = {"PATH": "/usr/bin:/bin", "LATENTGAN_TEST_MARKER": marker}
    marked = _start(started, POLITE, tmp_path / "marked.log", env=env)
    other = _start(
        started, POLITE, tmp_path / "other.log", env={**env, "LATENTGAN_TEST_MARKER": "x"}
    )
    assert _first_line(marked) == _first_line(other) == "ready"
    assert [p.pid for p in processes_with_env("LATENTGAN_TEST_MARKER", marker)] == [marked.pid]
    stop(marked)
    assert processes_with_env("LATENTGAN_TEST_MARKER", marker) == []
    assert [p.pid for p in processes_with_env("LATENTGAN_TEST_MARKER", "x")] == [other.pid]


def test_a_dead_child_is_detected(started: list[Child], tmp_path: Path) -> None:
    running = _start(started, POLITE, tmp_path / "running.log")
    _first_line(running)
    assert first_exited([running]) is None
    dying = _start(started, "import sys; sys.exit(3)", tmp_path / "dying.log")
    wait_for(lambda: first_exited([running, dying]) is not None, 20, "a child to exit")
    assert first_exited([running, dying]) is dying and dying.poll() == 3


def test_restore_sigint_lets_sigint_reach_a_child_of_a_non_interactive_parent(
    started: list[Child], tmp_path: Path
) -> None:
    show = "import signal, time; print(signal.getsignal(signal.SIGINT) == signal.SIG_IGN, flush=True); time.sleep(600)"  # noqa: E501
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # as under a shell's `&`
    try:
        restored = _start(started, show, tmp_path / "restored.log", restore_sigint=True)
        inherited = _start(started, show, tmp_path / "inherited.log")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert _first_line(restored) == "False", "SIGINT is back to the default"
    assert _first_line(inherited) == "True", "SIGINT stays ignored"
    [report] = stop(restored, grace_s=10, sig=signal.SIGINT)
    assert not report.killed and report.returncode == -signal.SIGINT, "Ctrl-C stopped it"
    [report] = stop(inherited, grace_s=0.5, sig=signal.SIGINT)
    assert report.killed, "SIGINT did not reach it; it had to be killed"


def test_cpu_seconds_of_a_busy_child(started: list[Child], tmp_path: Path) -> None:
    busy = _start(started, "while True: pass", tmp_path / "busy.log")
    wait_for(lambda: cpu_seconds(busy.pid) > 0.3, 20, "CPU time to accrue")
    stop(busy)
    assert cpu_seconds(busy.pid) == 0.0, "gone: nothing to count"
