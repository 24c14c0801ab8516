"""Serving throughput and latency: the gRPC stack (api, Redis queue, generation workers) against
the raw in-process generator, measured in one run on one machine.

Prints, for the default conditional architecture (``latentgan train --dataset mnist5k
--conditional``; 40 steps, quality is irrelevant here):

- raw generator images/s at batch 16, 64, 256 and 1024 (``latentgan.generate.sample``, in process);
- served images/s with ``latentgan serve --workers 1`` under ``--clients`` concurrent SDK clients
  each asking Sample(n=16) in a closed loop, as a ratio to the raw best (goal >= 0.8), with the
  mean batch the workers formed and where the CPU went (client, api, workers, Redis);
- Sample(n=1) latency from one sequential client at light load: p50, p90, p99 (goal p50 <= 3 ms,
  p99 <= 10 ms), beside the raw ``sample(g, n=1)`` p50 and a plain gRPC round trip;
- served images/s with 1, 2 and 4 generation workers, as ratios to 1 worker.

The load generator runs on the same cores as the stack it measures: its CPU share is printed.
Timings are reported, never asserted.

    python -m benchmarks.serving [--duration 15] [--warmup 3] [--clients 32]
        [--client-mode threads|async] [--latency-calls 500] [--scale-duration 10]
        [--skip-train MODEL --data-dir DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import grpc
import numpy as np
import redis
from grpc_health.v1 import health_pb2, health_pb2_grpc

from latentgan_client import AsyncClient, Client
from latentgan_client.errors import DeadlineExceeded, Unavailable
from services.embedded_redis import EmbeddedRedis, free_port
from services.probe import health_status, wait_for
from services.processes import Child, children_of, cpu_seconds, spawn, stop
from services.queue import read_stats

BATCHES = (16, 64, 256, 1024)  # up to the largest passes a worker makes under load
REQUEST_N = 16


def loadavg() -> str:
    """The 1, 5 and 15 minute load averages, for judging how busy the machine was."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"


def percentiles(samples_s: list[float], qs: tuple[float, ...]) -> list[float]:
    """Percentiles of durations in seconds, in milliseconds."""
    return [float(x) * 1000 for x in np.percentile(np.array(samples_s), qs)]


# --- processes ----------------------------------------------------------------------------------


def start_serve(args: list[str], env: dict[str, str], log: Path) -> Child:
    """``python -m latentgan.cli ARGS`` in a session of its own, output appended to ``log``.

    SIGINT is restored in the child (docs/architecture.md, "Processes": else it is ignored).
    """
    argv = [sys.executable, "-m", "latentgan.cli", *args]
    return spawn(argv, env, name="serve", log=log, new_session=True, restore_sigint=True)


def stop_serve(serve: Child, grace_s: float = 15.0) -> None:
    """Stop serve and its whole tree, saying what had to be killed."""
    [stopped] = stop(serve, grace_s)
    if stopped.killed:
        print(f"  ! pid {serve.pid} ignored SIGTERM for {grace_s:.0f} s; killing it")
    if stopped.leftovers:
        print(f"  ! processes {stopped.leftovers} outlived serve; killing them")


@dataclass
class Stack:
    """A running ``latentgan serve``: its address, its Redis, its process and log."""

    address: str
    redis: redis.Redis
    redis_pid: int
    serve: Child
    log: Path
    workers: int
    serving_s: float = 0.0  # from start to health SERVING
    startup_s: float = 0.0  # from start to the first Sample answered
    first_sample_failures: list[str] = field(default_factory=list)

    def cpu(self) -> dict[str, float]:
        """CPU seconds so far of the api process, the generation workers and Redis."""
        return {
            "api": cpu_seconds(self.serve.pid),
            "workers": sum(cpu_seconds(p.pid) for p in children_of(self.serve.pid)),
            "redis": cpu_seconds(self.redis_pid),
        }


def wait_serving(address: str, serve: Child, timeout_s: float) -> None:
    """Block until the api's health service answers SERVING."""
    wait_for(
        lambda: serve.poll() is not None or health_status(address) == "SERVING",
        timeout_s,
        f"serve to answer SERVING ({serve.log_hint})",
    )
    if serve.poll() is not None:
        raise RuntimeError(f"serve exited with {serve.poll()}; {serve.log_hint}")


def describe(stack: Stack) -> None:
    """How long the stack took to come up, and what failed while it did."""
    print(
        f"  serve --workers {stack.workers}: health SERVING after {stack.serving_s:.1f} s, "
        f"first Sample answered after {stack.startup_s:.1f} s"
    )
    if stack.first_sample_failures:
        first = stack.first_sample_failures[0]
        print(
            f"    ! {len(stack.first_sample_failures)} Sample attempt(s) failed after SERVING "
            f"before a worker answered, e.g. {first}"
        )


def first_sample(address: str, model: str, timeout_s: float) -> list[str]:
    """Sample(n=1) until one is answered (a worker is up with the model); the failures before."""
    failures: list[str] = []
    deadline = time.monotonic() + timeout_s
    with Client(address, timeout=60.0) as client:
        while True:
            try:
                client.sample(model, n=1)
                return failures
            except (Unavailable, DeadlineExceeded) as e:
                failures.append(f"{type(e).__name__}: {e}")
                if time.monotonic() > deadline:
                    raise


@contextlib.contextmanager
def serving(env: dict[str, str], workers: int, model: str, log: Path) -> Iterator[Stack]:
    """``latentgan serve --workers N`` on a private embedded Redis, ready to generate."""
    with EmbeddedRedis() as server:
        assert server.process is not None
        port = free_port()
        start = time.perf_counter()
        serve = start_serve(
            ["serve", "--port", str(port), "--workers", str(workers)],
            {**env, "LATENTGAN_REDIS_URL": server.url},
            log,
        )
        client = redis.Redis.from_url(server.url)
        try:
            address = f"127.0.0.1:{port}"
            wait_serving(address, serve, 60.0)
            stack = Stack(address, client, server.process.pid, serve, log, workers)
            stack.serving_s = time.perf_counter() - start
            stack.first_sample_failures = first_sample(address, model, 120.0)
            stack.startup_s = time.perf_counter() - start
        except BaseException:
            stop_serve(serve)
            client.close()
            tail = log.read_text().splitlines()[-15:] if log.exists() else []
            print("\n".join(["  serve log tail:", *(f"    {line}" for line in tail)]))
            raise
        try:
            yield stack
        finally:
            stop_serve(serve)
            client.close()


# --- the load ----------------------------------------------------------------------------------


@dataclass
class Load:
    """Closed-loop Sample(n=``n``) load from ``clients`` concurrent clients until ``stop``."""

    address: str
    model: str
    clients: int
    n: int = REQUEST_N
    stop: threading.Event = field(default_factory=threading.Event)
    images: list[int] = field(default_factory=list)
    calls: list[int] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.images = [0] * self.clients
        self.calls = [0] * self.clients

    def totals(self) -> tuple[int, int]:
        """(images, calls) completed so far."""
        return sum(self.images), sum(self.calls)

    def _error(self, e: Exception) -> None:
        self.errors[f"{type(e).__name__}: {str(e)[:120]}"] += 1

    def _thread(self, i: int) -> None:
        with Client(self.address) as client:
            k = 0
            while not self.stop.is_set():
                try:
                    got = client.sample(self.model, n=self.n, seed=i * 1_000_000 + k)
                    self.images[i] += len(got)
                    self.calls[i] += 1
                except Exception as e:
                    self._error(e)
                    time.sleep(0.01)
                k += 1

    async def _task(self, i: int) -> None:
        async with AsyncClient(self.address) as client:
            k = 0
            while not self.stop.is_set():
                try:
                    got = await client.sample(self.model, n=self.n, seed=i * 1_000_000 + k)
                    self.images[i] += len(got)
                    self.calls[i] += 1
                except Exception as e:
                    self._error(e)
                    await asyncio.sleep(0.01)
                k += 1

    async def _all_tasks(self) -> None:
        await asyncio.gather(*(self._task(i) for i in range(self.clients)))

    def start(self, mode: str) -> list[threading.Thread]:
        """Start the clients: one thread each, or one thread running an asyncio loop of them."""
        if mode == "threads":
            targets: list[Callable[[], None]] = [
                functools.partial(self._thread, i) for i in range(self.clients)
            ]
        else:
            targets = [lambda: asyncio.run(self._all_tasks())]
        threads = [threading.Thread(target=t, daemon=True) for t in targets]
        for t in threads:
            t.start()
        return threads


@dataclass
class Throughput:
    """What one timed window of load measured."""

    workers: int
    seconds: float
    images: int
    calls: int
    batches: int
    batch_images: int
    served: int
    cpu: dict[str, float]
    errors: Counter[str]
    stats: dict[str, int]

    @property
    def images_per_s(self) -> float:
        return self.images / self.seconds

    @property
    def mean_batch(self) -> float:
        return self.batch_images / self.batches if self.batches else 0.0

    @property
    def requests_per_batch(self) -> float:
        return self.served / self.batches if self.batches else 0.0


def measure_throughput(
    stack: Stack,
    model: str,
    clients: int,
    mode: str,
    warmup_s: float,
    duration_s: float,
    n: int = REQUEST_N,
) -> Throughput:
    """Images/s served during ``duration_s`` after ``warmup_s`` of the same load."""
    load = Load(stack.address, model, clients, n)
    threads = load.start(mode)
    try:
        time.sleep(warmup_s)
        images0, calls0 = load.totals()
        stats0 = read_stats(stack.redis)
        cpu0 = {"client": time.process_time(), **stack.cpu()}
        start = time.perf_counter()
        time.sleep(duration_s)
        images1, calls1 = load.totals()
        seconds = time.perf_counter() - start
        stats1 = read_stats(stack.redis)
        cpu1 = {"client": time.process_time(), **stack.cpu()}
    finally:
        load.stop.set()
        for t in threads:
            t.join(60)

    def delta(key: str) -> int:
        return stats1.get(key, 0) - stats0.get(key, 0)

    return Throughput(
        workers=stack.workers,
        seconds=seconds,
        images=images1 - images0,
        calls=calls1 - calls0,
        batches=delta("batches"),
        batch_images=delta("images"),
        served=delta("served"),
        cpu={k: (cpu1[k] - cpu0[k]) / seconds for k in cpu0},
        errors=load.errors,
        stats=stats1,
    )


def print_throughput(t: Throughput, clients: int, raw_best: float, base: float | None) -> None:
    """One window's figures."""
    ratio = f"{t.images_per_s / raw_best:.2f}x raw best"
    if base is not None:
        ratio += f", {t.images_per_s / base:.2f}x 1 worker"
    mean_call_ms = clients * t.seconds / t.calls * 1000 if t.calls else float("nan")
    print(
        f"  {t.workers} worker(s): {t.images_per_s:7.0f} images/s ({ratio}); "
        f"{t.calls / t.seconds:.0f} calls/s, mean call {mean_call_ms:.1f} ms; "
        f"mean batch {t.mean_batch:.1f} images = {t.requests_per_batch:.1f} requests"
    )
    cores = "  ".join(f"{k} {v:.2f}" for k, v in t.cpu.items())
    print(f"    CPU cores busy: {cores}  (total {sum(t.cpu.values()):.2f} of {os.cpu_count()})")
    if t.errors:
        for message, count in t.errors.most_common(5):
            print(f"    ! {count} x {message}")
    odd = {k: v for k, v in t.stats.items() if k.startswith(("dropped", "errors", "reclaimed"))}
    if odd:
        print(f"    ! queue counters: {odd}")


# --- latency -----------------------------------------------------------------------------------


def time_calls(call: Callable[[int], object], calls: int, warmup: int) -> list[float]:
    """Durations in seconds of ``calls`` sequential calls, after ``warmup`` untimed ones."""
    for i in range(warmup):
        call(10**9 + i)
    out = []
    for i in range(calls):
        start = time.perf_counter()
        call(i)
        out.append(time.perf_counter() - start)
    return out


# --- raw generator -----------------------------------------------------------------------------


@dataclass
class Raw:
    """The in-process generator at one torch thread count."""

    threads: int
    rates: dict[int, float]  # images/s per batch size
    n1_p50_ms: float

    @property
    def best(self) -> tuple[int, float]:
        """(batch, images/s) of the fastest batch size."""
        return max(self.rates.items(), key=lambda kv: kv[1])


def raw_generator(data_dir: Path, model: str, threads: list[int], seconds: float) -> list[Raw]:
    """In-process images/s of ``latentgan.generate.sample`` per batch size and sample(n=1) p50,
    at each torch intra-op thread count."""
    import torch

    from latentgan.artifacts import ArtifactStore
    from latentgan.generate import sample

    g = ArtifactStore(data_dir).load(model).generator.eval()
    default = torch.get_num_threads()
    out = []
    for n in threads:
        torch.set_num_threads(n)
        rates: dict[int, float] = {}
        for batch in BATCHES:
            for seed in range(2):
                sample(g, batch, seed=seed)
            images, start, seed = 0, time.perf_counter(), 10
            while time.perf_counter() - start < seconds:
                images += len(sample(g, batch, seed=seed))
                seed += 1
            rates[batch] = images / (time.perf_counter() - start)
        n1 = percentiles(time_calls(lambda i: sample(g, 1, seed=i), 500, 20), (50,))[0]
        out.append(Raw(n, rates, n1))
        each = ", ".join(f"batch {b} {r:.0f}" for b, r in rates.items())
        print(f"  torch threads {n}: images/s {each}; sample(g, n=1) p50 {n1:.2f} ms")
    torch.set_num_threads(default)
    return out


def log_problems(logs: list[Path]) -> list[str]:
    """Warning, error and traceback lines of the serve logs."""
    pattern = re.compile(r"WARNING|ERROR|Traceback|Exception|exited", re.IGNORECASE)
    lines = []
    for log in logs:
        if log.exists():
            lines += [
                f"{log.name}: {line}"
                for line in log.read_text().splitlines()
                if pattern.search(line)
            ]
    return lines


# --- main --------------------------------------------------------------------------------------


BENCH_TRAIN = ["--dataset", "mnist5k", "--conditional", "--steps", "40"]
BENCH_TRAIN += ["--no-eval", "--no-directions", "--no-encoder"]
"""The default conditional architecture, briefly trained: its speed is what is measured."""


def parse_with_store(parser: argparse.ArgumentParser) -> argparse.Namespace:
    """A serving benchmark's arguments, with the store ones each of them takes: ``--skip-train
    MODEL`` (reuse a trained model) and ``--data-dir DIR`` (the store that holds it)."""
    parser.add_argument("--skip-train", metavar="MODEL", help="use MODEL from --data-dir")
    parser.add_argument("--data-dir", type=Path, help="artifact store (default: a temp dir)")
    args = parser.parse_args()
    if args.skip_train and not args.data_dir:
        parser.error("--skip-train needs --data-dir (the store that holds the model)")
    return args


def bench_store(
    args: argparse.Namespace, cleanup: contextlib.ExitStack, prefix: str
) -> tuple[Path, dict[str, str]]:
    """A serving benchmark's artifact store (``--data-dir``, or a temporary one for the run) and
    the environment its processes run with: that store, offline, their own Redis, serve's own
    torch thread choice."""
    data_dir: Path = args.data_dir or Path(
        cleanup.enter_context(tempfile.TemporaryDirectory(prefix=prefix))
    )
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "LATENTGAN_DATA_DIR": str(data_dir), "LATENTGAN_OFFLINE": "1"}
    env.pop("LATENTGAN_REDIS_URL", None)
    env.pop("LATENTGAN_TORCH_THREADS", None)  # serve's own choice: cores // workers
    return data_dir, env


def train_bench_model(env: dict[str, str], name: str) -> float:
    """``latentgan train BENCH_TRAIN --name NAME`` in the store of ``env``; its wall seconds."""
    cmd = ["train", *BENCH_TRAIN, "--name", name]
    print(f"1. latentgan {' '.join(cmd)}")
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "latentgan.cli", *cmd], env=env, capture_output=True, text=True
    )
    train_s = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"training failed ({done.returncode}):\n{done.stderr}")
    print(f"  trained in {train_s:.1f} s (process wall time, start-up included)")
    return train_s


def main() -> None:
    """Train (or reuse) a model, then measure raw, served, latency and scaling in one run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=15.0, help="throughput window (s)")
    parser.add_argument("--warmup", type=float, default=3.0, help="load before each window (s)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent SDK clients")
    parser.add_argument(
        "--client-mode",
        choices=("threads", "async"),
        default="threads",
        help="one thread with a Client per client, or AsyncClients on one asyncio loop",
    )
    parser.add_argument("--latency-calls", type=int, default=500, help="timed Sample(n=1) calls")
    parser.add_argument(
        "--scale-duration", type=float, default=10.0, help="throughput window per worker count"
    )
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4], help="scaling")
    parser.add_argument("--raw-seconds", type=float, default=2.0, help="per raw batch size")
    parser.add_argument(
        "--torch-threads",
        type=int,
        help="LATENTGAN_TORCH_THREADS for the served workers (default: serve's own choice, "
        "cores // workers)",
    )
    args = parse_with_store(parser)

    print(f"{loadavg()} at start; torch and the load generator share these cores with the stack")
    with contextlib.ExitStack() as cleanup:
        data_dir, env = bench_store(args, cleanup, "latentgan-bench-")
        logs_dir = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="serve-logs-")))
        run(args, data_dir, logs_dir, env)


def run(args: argparse.Namespace, data_dir: Path, logs_dir: Path, env: dict[str, str]) -> None:
    """The measurements (see the module docstring)."""
    model = args.skip_train or "bench"
    train_s = None
    if not args.skip_train:
        train_s = train_bench_model(env, model)
    else:
        print(f"1. reusing {model} from {data_dir}")

    print(f"2. raw in-process generator ({loadavg()})")
    import torch

    worker_threads = args.torch_threads or torch.get_num_threads()
    raws = raw_generator(
        data_dir, model, sorted({worker_threads, 1}, reverse=True), args.raw_seconds
    )
    top = max(raws, key=lambda r: r.best[1])
    raw_batch, raw_best = top.best
    as_served = next(r for r in raws if r.threads == worker_threads)
    raw_n1 = as_served.n1_p50_ms
    print(
        f"  best {raw_best:.0f} images/s (torch threads {top.threads}, batch {raw_batch}); "
        f"one worker runs torch with {worker_threads} thread(s)"
    )

    serve_env = dict(env)
    if args.torch_threads:
        serve_env["LATENTGAN_TORCH_THREADS"] = str(args.torch_threads)
    logs: list[Path] = []
    scaling: dict[int, Throughput] = {}
    log = logs_dir / "serve-1.log"
    logs.append(log)
    with serving(serve_env, 1, model, log) as stack:
        print(f"3. throughput ({loadavg()})")
        describe(stack)
        print(
            f"  {args.clients} {args.client_mode} clients, Sample(n={REQUEST_N}) in a loop, "
            f"{args.warmup:.0f} s warm-up then {args.duration:.0f} s; clients run on the same cores"
        )
        main_t = measure_throughput(
            stack, model, args.clients, args.client_mode, args.warmup, args.duration
        )
        print_throughput(main_t, args.clients, raw_best, None)

        print(f"4. latency: one client, sequential Sample(n=1); {loadavg()}")
        stats0 = read_stats(stack.redis)
        with Client(stack.address) as client:
            lat = time_calls(lambda i: client.sample(model, n=1, seed=i), args.latency_calls, 50)
            lm = time_calls(lambda i: client.list_models(), 200, 10)
        stats1 = read_stats(stack.redis)
        with grpc.insecure_channel(stack.address) as channel:
            stub = health_pb2_grpc.HealthStub(channel)
            hc = time_calls(lambda i: stub.Check(health_pb2.HealthCheckRequest()), 500, 20)
        p50, p90, p99 = percentiles(lat, (50, 90, 99))
        batches = stats1.get("batches", 0) - stats0.get("batches", 0)
        served = stats1.get("served", 0) - stats0.get("served", 0)
        health_p50 = percentiles(hc, (50,))[0]
        list_p50 = percentiles(lm, (50,))[0]
        print(
            f"  Sample(n=1) p50 {p50:.2f} ms  p90 {p90:.2f} ms  p99 {p99:.2f} ms  "
            f"max {max(lat) * 1000:.1f} ms  ({len(lat)} calls, {served / max(batches, 1):.2f} "
            f"requests per batch)"
        )
        print(
            f"  context: raw sample(g, n=1) p50 {raw_n1:.2f} ms at {worker_threads} thread(s); "
            f"health Check p50 "
            f"{health_p50:.2f} ms; ListModels p50 {list_p50:.2f} ms"
        )

        print(f"5. scaling: {args.scale_duration:.0f} s windows; {os.cpu_count()} cores")
        if 1 in args.workers:
            scaling[1] = measure_throughput(
                stack, model, args.clients, args.client_mode, args.warmup, args.scale_duration
            )
            print_throughput(scaling[1], args.clients, raw_best, None)
    for n in [w for w in args.workers if w != 1]:
        log = logs_dir / f"serve-{n}.log"
        logs.append(log)
        with serving(serve_env, n, model, log) as stack:
            describe(stack)
            scaling[n] = measure_throughput(
                stack, model, args.clients, args.client_mode, args.warmup, args.scale_duration
            )
            base = scaling[1].images_per_s if 1 in scaling else None
            print_throughput(scaling[n], args.clients, raw_best, base)
    cores = os.cpu_count() or 1
    print(
        f"  {cores} cores: serve gives each of N workers cores // N torch threads, so the stack "
        f"shares one ~{cores}-core ceiling with the api and the load generator"
    )

    problems = log_problems(logs)
    print(f"serve logs: {len(problems)} warning/error lines")
    for line in problems[:8]:
        print(f"  {line}")

    print()
    print(f"summary ({loadavg()} at end)")
    rows: list[tuple[str, str, str]] = []
    if train_s is not None:
        rows.append(("train 40 steps (default cond.)", f"{train_s:.1f} s", ""))
    for r in raws:
        batch, rate = r.best
        rows.append(
            (
                f"raw generator, {r.threads} thread(s), batch {batch}",
                f"{rate:.0f} img/s",
                f"{rate / raw_best:.2f}x raw best",
            )
        )
    rows.append(
        (
            f"served, 1 worker, {args.clients} clients",
            f"{main_t.images_per_s:.0f} img/s",
            f"{main_t.images_per_s / raw_best:.2f}x raw (goal >= 0.80)",
        )
    )
    rows.append(("  mean batch", f"{main_t.mean_batch:.1f} images", ""))
    rows.append(
        (
            "Sample(n=1) p50 / p90 / p99",
            f"{p50:.2f} / {p90:.2f} / {p99:.2f} ms",
            "goal p50 <= 3, p99 <= 10",
        )
    )
    for r in raws:
        rows.append((f"raw sample(n=1) p50, {r.threads} thread(s)", f"{r.n1_p50_ms:.2f} ms", ""))
    rows.append(("health Check p50", f"{health_p50:.2f} ms", "gRPC round trip"))
    for n, t in sorted(scaling.items()):
        base = scaling[1].images_per_s if 1 in scaling else t.images_per_s
        rows.append(
            (
                f"scaling: {n} worker(s)",
                f"{t.images_per_s:.0f} img/s",
                f"{t.images_per_s / base:.2f}x 1 worker, {t.images_per_s / raw_best:.2f}x raw",
            )
        )
    print_rows(rows)


def print_rows(rows: list[tuple[str, str, str]]) -> None:
    """(name, value, note) rows as aligned lines: the summary table of a benchmark."""
    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    for name, value, note in rows:
        print(f"  {name:<{width}}  {value:>{vwidth}}  {note}")


if __name__ == "__main__":
    main()
