"""The serving subcommands of ``latentgan``: serve, worker, and remote sample|interpolate|models.

Registered through the ``latentgan.commands`` entry-point group, so the core CLI stays free of
gRPC and Redis. Heavy imports happen inside the handlers: `latentgan train` does not pay for them.

    latentgan serve [--port 50051]     the api plus generation worker processes, on an embedded
                                       Redis unless LATENTGAN_REDIS_URL is set
    latentgan worker                   one more generation worker on LATENTGAN_REDIS_URL
    latentgan remote sample ...        the client side of `sample`, `interpolate` and `models`
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from latentgan.cli import (
    add_interpolate_arguments,
    add_sample_arguments,
    interpolate_options,
    print_models,
    sample_options,
)
from latentgan.errors import ConfigError, LatentganError
from latentgan.settings import Settings, get_settings

log = logging.getLogger("latentgan")
DEFAULT_ADDRESS = "127.0.0.1:50051"


def add_serve(sub: Any) -> None:
    """`latentgan serve`."""
    p = sub.add_parser("serve", help="run the gRPC api and generation workers")
    p.add_argument("--port", type=int, help="api port (default $LATENTGAN_API_PORT or 50051)")
    p.add_argument("--host", help="api address (default $LATENTGAN_API_HOST or 127.0.0.1)")
    p.add_argument(
        "--workers", type=int, default=1, help="generation worker processes to start (default 1)"
    )
    p.add_argument("--metrics-port", type=int, help="serve Prometheus /metrics on this port")
    p.set_defaults(handler=_cmd_serve)


def add_worker(sub: Any) -> None:
    """`latentgan worker`."""
    p = sub.add_parser("worker", help="run one generation worker on $LATENTGAN_REDIS_URL")
    p.add_argument("--name", help="consumer name in the Redis group (default host-pid)")
    p.set_defaults(handler=_cmd_worker)


def add_remote(sub: Any) -> None:
    """`latentgan remote sample|interpolate|models`."""
    p = sub.add_parser("remote", help="sample, interpolate or list models through a latentgan api")
    remote = p.add_subparsers(dest="remote_command", required=True, parser_class=type(p))
    for name, adder, handler, text in (
        ("sample", add_sample_arguments, _cmd_remote_sample, "generate images"),
        ("interpolate", add_interpolate_arguments, _cmd_remote_interpolate, "walk between points"),
        ("models", None, _cmd_remote_models, "list the server's models"),
    ):
        q = remote.add_parser(name, help=text)
        q.add_argument(
            "--address", type=_address, default=DEFAULT_ADDRESS, help="HOST:PORT of the api"
        )
        q.add_argument("--token", help="bearer token (default $LATENTGAN_AUTH_TOKEN)")
        q.add_argument("--tls", action="store_true", help="use TLS with the system's CA roots")
        q.add_argument("--ca-cert", type=Path, help="use TLS trusting this PEM CA certificate")
        q.add_argument("--timeout", type=float, default=60.0, help="seconds per call (default 60)")
        if adder:
            adder(q, local=False)
        else:
            q.add_argument("--json", action="store_true", help="print JSON")
        q.set_defaults(handler=handler)


def _address(text: str) -> str:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {text!r}")
    return text


_address.__name__ = "address"


def _setup_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")


# --- serve and worker ---------------------------------------------------------------------------


def _start_worker(env: dict[str, str], index: int) -> subprocess.Popen[bytes]:
    """A generation worker process; SIGINT restored so Ctrl-C reaches it (DESIGN.md)."""
    return subprocess.Popen(
        [sys.executable, "-m", "latentgan.cli", "worker", "--name", f"serve-{os.getpid()}-{index}"],
        env=env,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for proc in processes:
        if proc.poll() is None:
            proc.terminate()
    for proc in processes:
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def _redis_for(settings: Settings) -> Iterator[str]:
    """settings.redis_url, or the URL of an embedded Redis running for the block's duration."""
    if settings.redis_url:
        yield settings.redis_url
        return
    from services.embedded_redis import EmbeddedRedis

    with EmbeddedRedis() as server:
        log.info("embedded redis at %s", server.url)
        yield server.url


def _cmd_serve(args: argparse.Namespace) -> int:
    from latentgan.train import resolve_device
    from services.server import server_credentials

    _setup_logging()
    if args.workers < 0:
        raise ConfigError(f"--workers must be >= 0, got {args.workers}", field="workers")
    overrides = {
        k: v
        for k, v in (
            ("api_port", args.port),
            ("api_host", args.host),
            ("metrics_port", args.metrics_port),
        )
        if v is not None
    }
    settings = get_settings().model_copy(update=overrides)
    # Refuse a bad setup before starting anything (workers would only crash-loop on it).
    server_credentials(settings)
    if args.workers:
        resolve_device(settings.device)
    with _redis_for(settings) as url:
        settings = settings.model_copy(update={"redis_url": url})
        env = {
            **os.environ,
            "LATENTGAN_REDIS_URL": url,
            "LATENTGAN_DATA_DIR": str(settings.data_dir),
            # Share the cores: each of N workers gets cores // N torch threads (measured: two
            # one-thread workers beat one two-thread worker on 2 cores; README, Measured).
            "LATENTGAN_TORCH_THREADS": str(
                settings.torch_threads or max(1, (os.cpu_count() or 1) // max(1, args.workers))
            ),
        }
        workers = [_start_worker(env, i) for i in range(args.workers)]
        try:
            asyncio.run(_serve(settings, workers, env))
        finally:
            _stop(workers)
    return 0


async def _serve(
    settings: Settings, workers: list[subprocess.Popen[bytes]], env: dict[str, str]
) -> None:
    """Run the api until SIGTERM or SIGINT, restarting any worker that dies."""
    from services.server import run_api

    loop = asyncio.get_running_loop()
    api = asyncio.create_task(
        run_api(
            settings,
            on_ready=lambda port: print(
                f"latentgan api on {settings.api_host}:{port} "
                f"({len(workers)} generation worker(s), redis {settings.redis_url})",
                flush=True,
            ),
        )
    )
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, api.cancel)
    while not api.done():
        await asyncio.wait([api], timeout=1.0)
        for i, proc in enumerate(workers):
            if proc.poll() is not None and not api.done():
                log.warning("generation worker %d exited (%s); restarting", i, proc.returncode)
                workers[i] = _start_worker(env, i)
    with contextlib.suppress(asyncio.CancelledError):
        await api


def _cmd_worker(args: argparse.Namespace) -> int:
    import redis

    from services.worker import GenerationWorker

    _setup_logging()
    settings = get_settings()
    if not settings.redis_url:
        raise ConfigError("set LATENTGAN_REDIS_URL to the Redis of the api", field="redis_url")
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    client = redis.Redis.from_url(
        settings.redis_url, socket_connect_timeout=1.0, socket_timeout=5.0
    )
    worker = GenerationWorker(client, settings, args.name)
    worker.run(stop, on_ready=lambda: log.info("generation worker %s ready", worker.consumer.name))
    return 0


# --- remote -------------------------------------------------------------------------------------


@contextlib.contextmanager
def _client(args: argparse.Namespace) -> Iterator[Any]:
    """An SDK client from the flags; SDK errors become one-line CLI errors."""
    from latentgan_client import Client
    from latentgan_client.errors import LatentganError as ClientError

    token = args.token or get_settings().auth_token
    tls: bool | Path | None = args.ca_cert or (True if args.tls else None)
    try:
        with Client(args.address, token=token, tls=tls, timeout=args.timeout) as client:
            yield client
    except ClientError as e:
        raise LatentganError(str(e), field=e.field) from e


def _cmd_remote_sample(args: argparse.Namespace) -> int:
    from latentgan.images import IMAGE_SUFFIXES, check_output, write_samples

    check_output(args.out, IMAGE_SUFFIXES)
    with _client(args) as client:
        images = client.sample(args.model, **sample_options(args))
    write_samples(images, args.out)
    print(f"wrote {len(images)} images from {args.model} at {args.address} to {args.out}")
    return 0


def _cmd_remote_interpolate(args: argparse.Namespace) -> int:
    from latentgan.images import ANIMATION_SUFFIXES, check_output, write_frames

    check_output(args.out, ANIMATION_SUFFIXES)
    with _client(args) as client:
        frames = client.interpolate(args.model, **interpolate_options(args))
    write_frames(frames, args.out)
    print(f"wrote {len(frames)} frames from {args.model} at {args.address} to {args.out}")
    return 0


def _cmd_remote_models(args: argparse.Namespace) -> int:
    from latentgan.artifacts import Manifest

    with _client(args) as client:
        infos = client.list_models()
    where = Path(args.address)
    manifests = [Manifest.from_json(json.dumps(info.manifest), where) for info in infos]
    print_models(manifests, args.json)
    return 0
