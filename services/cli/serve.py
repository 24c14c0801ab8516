"""`latentgan serve` and `latentgan worker`: the api with its generation workers, one more worker.

Registered through the ``latentgan.commands`` entry-point group, so the core CLI stays free of
gRPC and Redis. Heavy imports happen inside the handlers.

    latentgan serve [--port 50051]     the api plus generation worker processes, on an embedded
                                       Redis unless LATENTGAN_REDIS_URL is set; a --host other
                                       than loopback needs a token or mutual TLS (or --insecure)
    latentgan worker                   one more generation worker on LATENTGAN_REDIS_URL
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from latentgan.errors import ConfigError
from services.settings import GENERATION_WORKERS, ServingSettings, get_serving_settings

if TYPE_CHECKING:
    from services.processes import Child

log = logging.getLogger("latentgan")


def add_serve(sub: Any) -> None:
    """`latentgan serve`."""
    p = sub.add_parser("serve", help="run the gRPC api and generation workers")
    p.add_argument("--port", type=int, help="api port (default $LATENTGAN_API_PORT or 50051)")
    p.add_argument("--host", help="api address (default $LATENTGAN_API_HOST or 127.0.0.1)")
    p.add_argument(
        "--workers",
        type=int,
        default=GENERATION_WORKERS,
        help=f"generation worker processes to start (default {GENERATION_WORKERS})",
    )
    p.add_argument("--metrics-port", type=int, help="serve Prometheus /metrics on this port")
    add_insecure_flag(p)
    p.set_defaults(handler=_cmd_serve)


def add_insecure_flag(p: argparse.ArgumentParser) -> None:
    """``--insecure``: allow a non-loopback --host with neither token nor mutual TLS (services/
    exposure.py); shared by `serve` and `up`, so both say it alike."""
    p.add_argument(
        "--insecure",
        action="store_true",
        default=None,  # unset: $LATENTGAN_INSECURE decides
        help="listen on a non-loopback --host without LATENTGAN_AUTH_TOKEN or mutual TLS "
        "(default $LATENTGAN_INSECURE or refuse)",
    )


def add_worker(sub: Any) -> None:
    """`latentgan worker`."""
    p = sub.add_parser("worker", help="run one generation worker on $LATENTGAN_REDIS_URL")
    p.add_argument("--name", help="consumer name in the Redis group (default host-pid)")
    p.set_defaults(handler=_cmd_worker)


def _setup_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")


WORKER_GRACE_S = 10.0  # the workers are asked together and waited for together


def _start_worker(env: dict[str, str], index: int) -> Child:
    """A generation worker; SIGINT restored for Ctrl-C (docs/architecture.md, "Processes")."""
    from services.processes import spawn

    name = f"serve-{os.getpid()}-{index}"
    argv = [sys.executable, "-m", "latentgan.cli", "worker", "--name", name]
    return spawn(argv, env, name=name, restore_sigint=True, grace_s=WORKER_GRACE_S)


@contextlib.contextmanager
def _redis_for(settings: ServingSettings) -> Iterator[str]:
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
    from services.exposure import check_exposure
    from services.processes import stop
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
            ("insecure", args.insecure),
        )
        if v is not None
    }
    settings = get_serving_settings().model_copy(update=overrides)
    # Refuse a bad setup before starting anything (workers would only crash-loop on it).
    server_credentials(settings)
    check_exposure(settings)  # the api warns of an --insecure exposure when it binds
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
            stop(workers)
    return 0


async def _serve(settings: ServingSettings, workers: list[Child], env: dict[str, str]) -> None:
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
        for i, worker in enumerate(workers):
            if worker.poll() is not None and not api.done():
                log.warning("generation worker %d exited (%s); restarting", i, worker.poll())
                workers[i] = _start_worker(env, i)
    with contextlib.suppress(asyncio.CancelledError):
        await api


def _cmd_worker(args: argparse.Namespace) -> int:
    import redis

    from services.worker import GenerationWorker

    _setup_logging()
    settings = get_serving_settings()
    if not settings.redis_url:
        raise ConfigError("set LATENTGAN_REDIS_URL to the Redis of the api", field="redis_url")
    if settings.worker_nice:
        os.nice(settings.worker_nice)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    client = redis.Redis.from_url(
        settings.redis_url, socket_connect_timeout=1.0, socket_timeout=5.0
    )
    worker = GenerationWorker(client, settings, args.name)
    worker.run(stop, on_ready=lambda: log.info("generation worker %s ready", worker.consumer.name))
    return 0
