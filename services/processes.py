"""Child process trees: start them, watch them, find them, stop them — the one home of it all.

`latentgan up`, `latentgan serve`, the benchmarks and the integration tests all start real
processes that start processes of their own; stopping one must never leave a straggler behind.
The facts learned the hard way live here, once:

- Children of a non-interactive parent (a shell's background job, `make`, CI) start with SIGINT
  ignored, and Python keeps it ignored: ``restore_sigint`` puts it back to the default in the
  child, so Ctrl-C (or a SIGINT sent to it) reaches it.
- A child in a session of its own (``new_session``) does not get the terminal's Ctrl-C: its
  parent passes the stop on, in its own order.
- Stopping asks the child (SIGTERM, so it can stop its own children in order), waits its grace,
  then SIGKILLs it and every process of its tree, and of its session when it has one, that is
  still there. The tree is taken while the child still lives: once it dies, its orphans are
  re-parented and no longer look like its descendants.
- A process that escaped into a session of its own (Prefect starts each flow run that way) is
  still found by a marker variable in its environment: ``processes_with_env``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from services.probe import wait_for

DEFAULT_GRACE_S = 10.0
KILL_WAIT_S = 5.0  # how long SIGKILLed processes may take to go


@dataclass
class Child:
    """A child process we started: its name, how long it may take to stop, where its output goes."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path | None = None
    grace_s: float = DEFAULT_GRACE_S  # between SIGTERM and SIGKILL
    own_session: bool = False  # started as the leader of a session (and process group) of its own

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self.process.pid

    @property
    def log_hint(self) -> str:
        """Where to read what went wrong."""
        return f"see {self.log}" if self.log else "see its output above"

    def poll(self) -> int | None:
        """Its exit status if it has exited (negative: the signal that ended it), else None."""
        return self.process.poll()


@dataclass
class Stopped:
    """How one child stopped: in how long, whether it had to be killed, what it left behind."""

    name: str
    seconds: float
    returncode: int
    killed: bool  # it outlived its grace and was SIGKILLed
    leftovers: list[int] = field(default_factory=list)  # pids of its tree SIGKILLed after it


def _restore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def spawn(
    argv: Sequence[str],
    env: Mapping[str, str] | None = None,
    *,
    name: str | None = None,
    log: Path | None = None,
    new_session: bool = False,
    restore_sigint: bool = False,
    grace_s: float = DEFAULT_GRACE_S,
) -> Child:
    """Start ``argv`` as a child to be watched and stopped with this module's functions.

    ``log``: append its stdout and stderr there (stdin is then closed); otherwise it shares
    ours. ``new_session``: it leads a session of its own, out of reach of our terminal's Ctrl-C.
    ``restore_sigint``: SIGINT back to the default in the child (see the module docstring).
    """
    with contextlib.ExitStack() as files:
        out = files.enter_context(log.open("ab")) if log is not None else None
        process = subprocess.Popen(
            list(argv),
            env=None if env is None else dict(env),
            stdout=out,
            stderr=subprocess.STDOUT if out is not None else None,
            stdin=subprocess.DEVNULL if out is not None else None,
            start_new_session=new_session,
            preexec_fn=_restore_sigint if restore_sigint else None,
        )
    return Child(name or Path(argv[0]).name, process, log, grace_s, new_session)


def alive(process: psutil.Process) -> bool:
    """Whether ``process`` (the very one, not a later one with its pid) runs and is no zombie."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def children_of(pid: int, recursive: bool = True) -> list[psutil.Process]:
    """The live processes below ``pid``: its whole tree, or only its direct children."""
    try:
        found = psutil.Process(pid).children(recursive=recursive)
    except psutil.Error:
        return []
    return [p for p in found if alive(p)]


def group_members(pgid: int) -> list[psutil.Process]:
    """The live processes of process group ``pgid`` (a session's leader's pid names its group)."""
    found = []
    for process in psutil.process_iter():
        with contextlib.suppress(OSError, psutil.Error):
            if os.getpgid(process.pid) == pgid and alive(process):
                found.append(process)
    return found


def first_exited(children: Iterable[Child]) -> Child | None:
    """The first of ``children`` that has exited, or None while all run (a supervisor's check)."""
    return next((child for child in children if child.poll() is not None), None)


def processes_with_env(variable: str, value: str) -> list[psutil.Process]:
    """Other live processes whose environment has variable=value, wherever they were started."""
    found = []
    for process in psutil.process_iter():
        if process.pid == os.getpid():
            continue
        with contextlib.suppress(psutil.Error):  # gone, a zombie, or not ours to read
            if process.environ().get(variable) == value:
                found.append(process)
    return found


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds of one process so far (0 once it is gone)."""
    try:
        times = psutil.Process(pid).cpu_times()
    except psutil.Error:
        return 0.0
    return float(times.user + times.system)


def kill(processes: Iterable[psutil.Process], timeout_s: float = KILL_WAIT_S) -> list[int]:
    """SIGKILL those of ``processes`` still alive and wait for them to go; their pids.

    Gone means dead, not reaped: an orphan's zombie waits for whoever reaps orphans here.
    """
    killed = []
    for process in processes:
        if alive(process):
            with contextlib.suppress(psutil.Error):
                process.kill()
                killed.append(process)
    with contextlib.suppress(TimeoutError):  # reported by the caller's own checks, if ever
        wait_for(lambda: not any(alive(p) for p in killed), timeout_s, "killed processes")
    return [p.pid for p in killed]


def stop(
    targets: Child | Sequence[Child],
    grace_s: float | None = None,
    sig: signal.Signals = signal.SIGTERM,
) -> list[Stopped]:
    """Stop each child's whole tree: ``sig`` (SIGTERM), wait its grace, then SIGKILL what is left.

    The children of a list are asked together and waited for together (``grace_s``, else each
    child's own grace); to stop them one after another, in an order, call this once per child.
    """
    children = [targets] if isinstance(targets, Child) else list(targets)
    began = time.monotonic()
    trees: dict[int, list[psutil.Process]] = {}
    for child in children:
        trees[child.pid] = children_of(child.pid) if child.poll() is None else []
        if child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                child.process.send_signal(sig)  # the child stops its own children, in order
    reports = []
    for child in children:
        grace = child.grace_s if grace_s is None else grace_s
        killed = False
        try:
            child.process.wait(max(0.0, began + grace - time.monotonic()))
        except subprocess.TimeoutExpired:
            trees[child.pid] += children_of(child.pid)  # and what it started meanwhile
            child.process.kill()
            child.process.wait()
            killed = True
        left = dict.fromkeys(trees[child.pid])
        if child.own_session:  # orphans of its session are no longer in its tree
            left.update(dict.fromkeys(group_members(child.pid)))
        leftovers = kill(left)
        if child.own_session:  # and whatever forked since the look
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child.pid, signal.SIGKILL)
        reports.append(
            Stopped(
                child.name, time.monotonic() - began, child.process.returncode, killed, leftovers
            )
        )
    return reports
