"""`latentgan up`, `latentgan deploy`, `latentgan train-worker`: the platform on one machine, and
the scale-out pieces of it.

Registered through the ``latentgan.commands`` entry-point group; the supervisor itself is
services/up.py. Heavy imports (Prefect, the flows) happen inside the handlers.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import time
from typing import Any, NoReturn

from latentgan.errors import ConfigError
from services.cli.serve import add_insecure_flag
from services.settings import GENERATION_WORKERS


def add_up(sub: Any) -> None:
    """`latentgan up`, `latentgan deploy`, `latentgan train-worker`."""
    p = sub.add_parser("up", help="run the whole platform on this machine (Ctrl-C stops it)")
    p.add_argument("--port", type=int, help="gRPC api port (default $LATENTGAN_API_PORT or 50051)")
    p.add_argument("--host", help="api address (default $LATENTGAN_API_HOST or 127.0.0.1)")
    p.add_argument("--prefect-port", type=int, default=4200, help="Prefect server and UI port")
    p.add_argument(
        "--workers",
        type=int,
        default=GENERATION_WORKERS,
        help=f"generation workers (default {GENERATION_WORKERS})",
    )
    p.add_argument("--gpu-slots", type=int, help="gpu pool concurrency (default: GPUs here)")
    add_insecure_flag(p)
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
    from services.exposure import check_exposure
    from services.settings import get_serving_settings
    from services.up import Platform, say

    if args.workers < 1:
        raise ConfigError(f"--workers must be >= 1, got {args.workers}", field="workers")
    settings = get_serving_settings()
    overrides = {
        k: v
        for k, v in (
            ("api_host", args.host),
            ("api_port", args.port or None),
            ("insecure", args.insecure),
        )
        if v is not None
    }
    settings = settings.model_copy(update=overrides)
    # Before any child starts: an exposed api without authentication is refused here, at once.
    if exposed := check_exposure(settings):
        say(f"warning: {exposed}")
    platform = Platform(
        settings,
        api_port=settings.api_port,
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
        say("stopping")
        platform.stop()
        say("stopped")
    return code


def _check_port_free(port: int, flag: str) -> None:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            raise ConfigError(f"port {port} is in use (choose another with {flag})") from None


def _cmd_deploy(args: argparse.Namespace) -> int:
    from prefect.settings import PREFECT_API_URL

    from flows.deploy import deploy_platform, gpu_count
    from services.up import prefect_healthy

    gpu_slots = gpu_count() if args.gpu_slots is None else args.gpu_slots
    api_url = PREFECT_API_URL.value()
    if not api_url:
        raise ConfigError("set PREFECT_API_URL to the Prefect API to deploy to")
    if args.wait:
        deadline = time.monotonic() + args.wait
        while not prefect_healthy(api_url):
            if time.monotonic() > deadline:
                raise ConfigError(f"the Prefect API at {api_url} did not answer in {args.wait} s")
            time.sleep(0.2)
    ids = deploy_platform(gpu_slots, args.cpu_slots, args.pool_type)
    for name, ident in ids.items():
        print(f"deployment {name}: {ident}")
    return 0


def _cmd_train_worker(args: argparse.Namespace) -> NoReturn:
    from services.up import BIN

    env = {**os.environ}
    env.setdefault("PREFECT_WORKER_QUERY_SECONDS", "1")
    argv = [str(BIN / "prefect"), "worker", "start", "--pool", args.pool, "--type", args.type]
    os.execve(argv[0], argv, env)  # becomes the worker: its signals, its exit status
