"""The serving subcommands of ``latentgan``: serve, worker, and the ``remote`` client commands.

Registered through the ``latentgan.commands`` entry-point group, so the core CLI stays free of
gRPC and Redis. Heavy imports happen inside the handlers: `latentgan train` does not pay for them.

    latentgan serve [--port 50051]     the api plus generation worker processes, on an embedded
                                       Redis unless LATENTGAN_REDIS_URL is set
    latentgan worker                   one more generation worker on LATENTGAN_REDIS_URL
    latentgan remote sample ...        the client side of `sample`, `interpolate` and `models`
    latentgan remote train ...         start a training job on the platform (--watch: follow it)
    latentgan remote jobs|job|cancel   list recent training jobs, show one, ask one to stop
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
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from latentgan.cli import (
    add_interpolate_arguments,
    add_sample_arguments,
    add_train_arguments,
    interpolate_options,
    print_models,
    sample_options,
    train_request_options,
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
    """`latentgan remote sample|interpolate|models|train|jobs|job|cancel`."""
    p = sub.add_parser(
        "remote", help="train, follow jobs, sample, interpolate or list models through an api"
    )
    remote = p.add_subparsers(dest="remote_command", required=True, parser_class=type(p))
    commands: tuple[tuple[str, Callable[[argparse.ArgumentParser], None], Any, str], ...] = (
        ("sample", _add_remote_sample, _cmd_remote_sample, "generate images"),
        ("interpolate", _add_remote_interpolate, _cmd_remote_interpolate, "walk between points"),
        ("models", _add_json, _cmd_remote_models, "list the server's models"),
        (
            "train",
            _add_remote_train,
            _cmd_remote_train,
            "start a training job (--watch follows it)",
        ),
        ("jobs", _add_remote_jobs, _cmd_remote_jobs, "list recent training jobs, newest first"),
        ("job", _add_job_id, _cmd_remote_job, "show one training job"),
        ("cancel", _add_job_id, _cmd_remote_cancel, "ask a training job to stop"),
    )
    for name, adder, handler, text in commands:
        q = remote.add_parser(name, help=text)
        q.add_argument(
            "--address", type=_address, default=DEFAULT_ADDRESS, help="HOST:PORT of the api"
        )
        q.add_argument("--token", help="bearer token (default $LATENTGAN_AUTH_TOKEN)")
        q.add_argument("--tls", action="store_true", help="use TLS with the system's CA roots")
        q.add_argument("--ca-cert", type=Path, help="use TLS trusting this PEM CA certificate")
        q.add_argument("--timeout", type=float, default=60.0, help="seconds per call (default 60)")
        adder(q)
        q.set_defaults(handler=handler)


def _add_remote_sample(p: argparse.ArgumentParser) -> None:
    add_sample_arguments(p, local=False)


def _add_remote_interpolate(p: argparse.ArgumentParser) -> None:
    add_interpolate_arguments(p, local=False)


def _add_json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON")


def _add_remote_train(p: argparse.ArgumentParser) -> None:
    """`train`'s flags less the local-only ones, plus --request-id and --watch."""
    add_train_arguments(p, local=False)
    for action in p._actions:
        if action.dest == "epochs":  # a Train request carries whole epochs (uint32)
            action.type = _whole_epochs
    p.add_argument(
        "--request-id",
        metavar="ID",
        help="idempotency key: repeating the command with the same ID gives the same job",
    )
    p.add_argument(
        "--watch",
        action="store_true",
        help="follow the job until it finishes (Ctrl-C stops watching, not the job)",
    )


def _add_remote_jobs(p: argparse.ArgumentParser) -> None:
    p.add_argument("--name", help="only jobs that register under this model name")
    p.add_argument(
        "--limit",
        type=_job_limit,
        default=20,
        help=f"how many of the newest jobs (default 20, at most {MAX_JOB_LIMIT})",
    )
    _add_json(p)


def _add_job_id(p: argparse.ArgumentParser) -> None:
    p.add_argument("job_id", metavar="JOB_ID", help="the job's id (from `remote train` or `jobs`)")
    _add_json(p)


def _address(text: str) -> str:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {text!r}")
    return text


_address.__name__ = "address"

MAX_JOB_LIMIT = 200  # the most jobs one ListTrainJobs call returns (the proto's limit)


def _whole_epochs(text: str) -> int:
    value = float(text)
    if not value.is_integer() or value < 0:
        raise argparse.ArgumentTypeError(
            f"a training job takes a whole number of epochs (or use --steps), got {text}"
        )
    return int(value)


def _job_limit(text: str) -> int:
    value = int(text)
    if not 1 <= value <= MAX_JOB_LIMIT:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_JOB_LIMIT}, got {value}")
    return value


_whole_epochs.__name__ = "epoch count"
_job_limit.__name__ = "job count"


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


# --- remote training jobs -----------------------------------------------------------------------

EXIT_INTERRUPTED = 130
_LOG_EVERY_S = 10.0  # without a terminal: a progress line at most this often (and at each grid)
_RETRY_PAUSE_S = 2.0  # while watching: the pause before looking again after a broken stream
_METRIC_LABELS = (
    ("fd", "FD (lower is better)", "{:.2f}"),
    ("kl_to_prior", "KL to class prior", "{:.4f}"),
    ("precision", "precision", "{:.3f}"),
    ("recall", "recall", "{:.3f}"),
    ("conditional_accuracy", "conditional accuracy", "{:.2%}"),
    ("evaluator_accuracy", "evaluator accuracy", "{:.2%}"),
)


def remote_train_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of Client.train that `remote train` ARGS give: the Train request's
    own fields, and every other non-default `train` flag as an option string."""
    return {
        "dataset": args.dataset,
        "name": args.name or "",  # empty: the server names it after the data set
        "conditional": args.conditional,
        "epochs": args.epochs,
        "steps": args.steps,
        "latent_dim": args.latent_dim,
        "loss": args.loss,
        "request_id": args.request_id,
        **train_request_options(args),
    }


def one_line(text: str) -> str:
    """TEXT with every run of whitespace (newlines included) as one space."""
    return " ".join(text.split())


def _when(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%SZ") if moment else "-"


def _steps(job: Any) -> str:
    return f"{job.step}/{job.total_steps}" if job.total_steps else f"{job.step}/?"


def format_jobs(jobs: Sequence[Any]) -> list[str]:
    """The `remote jobs` table of these jobs (JobInfo): a header, then one row per job."""
    header = ("ID", "STATE", "NAME", "DATASET", "STEP", "MODEL", "CREATED")
    rows = [
        (j.id, j.state, j.name or "-", j.dataset, _steps(j), j.model or "-", _when(j.created))
        for j in jobs
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in (header, *rows)
    ]


def format_metrics(metrics: Mapping[str, float]) -> list[str]:
    """Quality metrics as indented `label value` lines: the evaluator's in the order and form of
    `latentgan train`, then any others by name."""
    rows: list[tuple[str, str]] = []
    rest = dict(metrics)
    for key, label, form in _METRIC_LABELS:
        if key == "kl_to_prior" and "classes_covered" in rest:  # after FD, as `latentgan train`
            covered, total = rest.pop("classes_covered"), rest.pop("num_classes", None)
            of = f"/{total:.0f}" if total is not None else ""
            rows.append(("classes covered", f"{covered:.0f}{of}"))
        if key in rest:
            rows.append((label, form.format(rest.pop(key))))
    rows += [(key, f"{value:.4g}") for key, value in sorted(rest.items())]
    return [f"  {label:<22} {value}" for label, value in rows]


def format_job(job: Any) -> list[str]:
    """One job (JobInfo) as `key value` lines, for `remote job` and `remote cancel`."""
    progress = _steps(job)
    if job.total_steps:
        progress += f" steps ({job.step / job.total_steps:.0%})"
    lines = [
        f"job        {job.id}",
        f"state      {job.state}",
        f"name       {job.name or '-'}",
        f"dataset    {job.dataset}",
        f"progress   {progress}",
        f"created    {_when(job.created)}",
        f"started    {_when(job.started)}",
        f"finished   {_when(job.finished)}",
    ]
    if job.model:
        lines.append(f"model      {job.model}")
    if job.error:
        lines.append(f"error      {one_line(job.error)}")
    if job.request_id:
        lines.append(f"request    {job.request_id}")
    if job.metrics:
        lines += ["metrics", *format_metrics(job.metrics)]
    return lines


def job_json(job: Any) -> dict[str, Any]:
    """A job (JobInfo) as a JSON object: its fields, times as ISO 8601 (null while unset)."""
    from latentgan_client import JobInfo

    out: dict[str, Any] = {}
    for field in fields(JobInfo):
        value = getattr(job, field.name)
        out[field.name] = value.isoformat() if isinstance(value, datetime) else value
    return out


def _print_job(job: Any, as_json: bool) -> None:
    print(json.dumps(job_json(job), indent=2) if as_json else "\n".join(format_job(job)))


def _remote_flags(args: argparse.Namespace) -> str:
    """The connection flags to repeat in a suggested command (never the token)."""
    flags = [] if args.address == DEFAULT_ADDRESS else [f"--address {args.address}"]
    flags += [f"--ca-cert {args.ca_cert}"] if args.ca_cert else ["--tls"] if args.tls else []
    return "".join(f" {flag}" for flag in flags)


class TrainProgress:
    """What `remote train --watch` shows of each progress event: a tqdm bar on a terminal
    (steps, losses and images/s), plain log lines on stderr otherwise (like `latentgan train`)."""

    def __init__(self, state: str = "", log_lines: bool | None = None) -> None:
        self.log_lines = not sys.stderr.isatty() if log_lines is None else log_lines
        self._bar: Any = None
        self._state = state  # the state already shown: each change is reported
        self._logged_at = -float("inf")

    def __call__(self, event: Any) -> None:
        if event.state != self._state:
            self._state = event.state
            self._status(f"job {event.job.id} {event.state}")
        if event.state == "queued":
            return
        losses = {k: f"{v:.3f}" for k, v in sorted(event.losses.items())}  # a map: no order
        speed = f"{event.images_per_second:.0f}"
        if self.log_lines:
            now = time.monotonic()
            if event.sample_grid is not None or now - self._logged_at >= _LOG_EVERY_S:
                self._logged_at = now
                shown = " ".join(f"{k}={v}" for k, v in losses.items())
                print(
                    f"step {event.step}/{event.total_steps} {shown} {speed} img/s",
                    file=sys.stderr,
                    flush=True,
                )
            return
        from tqdm import tqdm

        if self._bar is None:
            self._bar = tqdm(total=event.total_steps or None, desc="train", unit="step")
        if event.total_steps and self._bar.total != event.total_steps:
            self._bar.total = event.total_steps
        self._bar.n = event.step
        if losses:  # a state change or an evaluation carries none: keep the last ones shown
            self._bar.set_postfix(losses | ({"img/s": speed} if event.images_per_second else {}))
        else:
            self._bar.refresh()

    def _status(self, message: str) -> None:
        if self._bar is not None:
            self._bar.write(message, file=sys.stderr)
        else:
            print(message, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def follow(job: Any, on_event: Callable[[Any], None], pause: float | None = None) -> None:
    """Feed JOB's progress events to ON_EVENT until it finishes. A stream that breaks (the api
    restarted, a backend is briefly down) or ends early is followed by a fresh look and a new
    watch; a lasting outage keeps trying, so Ctrl-C is the way out."""
    from latentgan_client.errors import DeadlineExceeded, Unavailable

    pause = _RETRY_PAUSE_S if pause is None else pause
    reported = False
    while not job.done:
        try:
            for event in job.watch():
                reported = False
                on_event(event)
            if not job.done:
                job.refresh()
        except (Unavailable, DeadlineExceeded) as e:
            if not reported:
                message = f"lost the job's progress stream ({one_line(str(e))}); trying again"
                print(message, file=sys.stderr, flush=True)
                reported = True
        if not job.done:
            time.sleep(pause)


def _outcome(job: Any) -> int:
    """Print a finished job's outcome: 0 with its model and metrics if it succeeded; otherwise
    a LatentganError, one line (exit 1)."""
    if job.state == "succeeded":
        print(f"job {job.id} succeeded: registered {job.model}")
        for line in format_metrics(job.metrics):
            print(line)
        return 0
    if job.state == "failed":
        raise LatentganError(f"job {job.id} failed: {one_line(job.error) or 'no reason given'}")
    raise LatentganError(f"job {job.id} was {job.state}")


def _cmd_remote_train(args: argparse.Namespace) -> int:
    with _client(args) as client:
        job = client.train(**remote_train_arguments(args))
        print(f"job {job.id} {job.state}", flush=True)
        if not args.watch:
            return 0
        progress = TrainProgress(job.state)
        try:
            follow(job, progress)
        except KeyboardInterrupt:
            progress.close()
            flags = _remote_flags(args)
            print(
                f"stopped watching; job {job.id} goes on ({job.state}). Follow it with "
                f"`latentgan remote job {job.id}{flags}`, stop it with "
                f"`latentgan remote cancel {job.id}{flags}`",
                file=sys.stderr,
            )
            return EXIT_INTERRUPTED
        finally:
            progress.close()
    return _outcome(job)


def _cmd_remote_jobs(args: argparse.Namespace) -> int:
    with _client(args) as client:
        jobs = client.list_jobs(args.name, limit=args.limit)
    if args.json:
        print(json.dumps([job_json(job) for job in jobs], indent=2))
    elif not jobs:
        of = f" of {args.name}" if args.name else ""
        print(f"no training jobs{of}: start one with `latentgan remote train --dataset mnist5k`")
    else:
        print("\n".join(format_jobs(jobs)))
    return 0


def _cmd_remote_job(args: argparse.Namespace) -> int:
    with _client(args) as client:
        job = client.get_job(args.job_id)
    _print_job(job, args.json)
    return 0


def _cmd_remote_cancel(args: argparse.Namespace) -> int:
    with _client(args) as client:
        job = client.cancel(args.job_id)
    _print_job(job, args.json)
    return 0
