"""The hot path: Sample(n=1) at light load against its floor, and served throughput against the
fastest raw generator, measured in one run on one machine.

Prints, for the default conditional architecture (``latentgan train --dataset mnist5k
--conditional``, 40 steps without evaluation, directions or encoder; quality is irrelevant here):

1. the forward pass alone at n=1, p50 and p99: the generator module as it ran before
   ``latentgan.generate.InferenceGraph`` (eval mode, padded to MIN_ROWS rows) and the graph, at one
   torch thread (what a worker runs a pass of at most MIN_ROWS rows on) and at the machine's
   count, each timed call of one interleaved with the others'; beside them ``sample(g, n=1)``,
   the whole core call (seeded latent, forward, uint8);
2. for ``latentgan serve --workers N``, N = 1 and 2 (``--workers``): a bare gRPC round trip (the
   api's health Check) and Sample(n=1) from a new SDK client, interleaved, p50 and p99, with the
   CPU each process spent per Sample; derived: stack p50 − forward p50 − round trip p50 (goal
   <= 1.5 ms; the forward is the graph's at one thread, the one the worker runs) and p99 / p50
   (goal <= 3);
3. the raw generator's best images/s (``sample`` at batch 16, 64, 256 and 1024, at 1 and N
   torch threads: the fastest generator this code builds), and served images/s under
   ``--clients`` closed-loop SDK clients asking Sample(n=16) (benchmarks.serving's load) per
   worker count, as a ratio to it (goal >= 0.8); and the same with the largest requests
   (8 clients, Sample(n=256)), where the api's and the client's cost per call weighs least.

The load generator runs on the same cores as the stack it measures. Timings are reported, never
asserted; compare figures of one run.

    python -m benchmarks.hot_path [--calls 1000] [--forward-calls 2000] [--forward-seconds 10]
        [--workers 1 2] [--clients 32] [--warmup 2] [--duration 8] [--raw-seconds 1.5]
        [--skip-train MODEL --data-dir DIR]

About three minutes on 2 cores, training included.
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import grpc
import torch
from grpc_health.v1 import health_pb2, health_pb2_grpc

from benchmarks.serving import (
    REQUEST_N,
    Stack,
    Throughput,
    bench_store,
    describe,
    loadavg,
    log_problems,
    measure_throughput,
    parse_with_store,
    percentiles,
    print_rows,
    print_throughput,
    raw_generator,
    serving,
    train_bench_model,
)
from latentgan.artifacts import ArtifactStore
from latentgan.generate import MIN_ROWS, inference_graph, sample
from latentgan.latent import seeded_latents
from latentgan.models import Generator
from latentgan_client import Client
from services.queue import read_stats

BIG_CLIENTS, BIG_N = 8, 256  # the largest Sample, and clients enough to keep two workers busy

# --- the forward pass alone ---------------------------------------------------------------------


@dataclass
class Timing:
    """p50 and p99 of one measured call, in milliseconds."""

    p50: float
    p99: float
    samples_s: list[float]

    @classmethod
    def of(cls, samples_s: list[float]) -> Timing:
        p50, p99 = percentiles(samples_s, (50, 99))
        return cls(p50, p99, samples_s)

    def __str__(self) -> str:
        return f"p50 {self.p50:6.3f} ms  p99 {self.p99:6.3f} ms"


def forward_pass(g: Generator, threads: int, calls: int, budget_s: float) -> dict[str, Timing]:
    """n=1 at ``threads`` torch threads: the module (padded to MIN_ROWS), the graph, ``sample``;
    ``calls`` of each, or as many as ``budget_s`` allows (threads that wait for a core, on a busy
    machine, can make a pass take milliseconds)."""
    graph = inference_graph(g)
    z = seeded_latents(0, 1, g.cfg.latent_dim)
    e = g.class_embedding(torch.zeros(1, dtype=torch.long)).detach() if g.cfg.num_classes else None
    pad = MIN_ROWS - 1
    z4 = torch.cat([z, z.new_zeros(pad, z.shape[1])])
    e4 = None if e is None else torch.cat([e, e.new_zeros(pad, e.shape[1])])
    calls_of = {
        "module (eval, padded to MIN_ROWS)": lambda i: g(z4, None, e4)[:1],
        "InferenceGraph": (lambda i: graph(z, e)) if graph is not None else None,
        "sample(g, n=1): latent, forward, uint8": lambda i: sample(g, 1, seed=i + 50),
    }
    timed = {name: call for name, call in calls_of.items() if call is not None}
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    samples: dict[str, list[float]] = {name: [] for name in timed}
    until = time.perf_counter() + budget_s
    try:
        with torch.inference_mode():
            for i in range(-50, calls):  # the first 50 warm up
                for name, call in timed.items():
                    start = time.perf_counter()
                    call(i)
                    if i >= 0:
                        samples[name].append(time.perf_counter() - start)
                if i >= 10 and time.perf_counter() > until:
                    break
    finally:
        torch.set_num_threads(before)
    return {name: Timing.of(s) for name, s in samples.items()}


# --- through the stack --------------------------------------------------------------------------


@dataclass
class Latency:
    """Sample(n=1) and a bare round trip on one stack, and the CPU spent per Sample."""

    workers: int
    sample: Timing
    round_trip: Timing
    max_ms: float
    cpu_ms: dict[str, float]  # per Sample: client, api, workers, redis
    requests_per_batch: float


def stack_latency(stack: Stack, model: str, calls: int) -> Latency:
    """``calls`` Sample(n=1) from a new SDK client, each followed by a health Check."""
    with Client(stack.address) as client, grpc.insecure_channel(stack.address) as channel:
        check = health_pb2_grpc.HealthStub(channel).Check
        ask = health_pb2.HealthCheckRequest()
        for i in range(50):
            client.sample(model, n=1, seed=10**9 + i)
            check(ask)
        stats0 = read_stats(stack.redis)
        cpu0 = {"client": time.process_time(), **stack.cpu()}
        samples: list[float] = []
        trips: list[float] = []
        for i in range(calls):
            start = time.perf_counter()
            client.sample(model, n=1, seed=i)
            samples.append(time.perf_counter() - start)
            start = time.perf_counter()
            check(ask)
            trips.append(time.perf_counter() - start)
        cpu1 = {"client": time.process_time(), **stack.cpu()}
        stats1 = read_stats(stack.redis)
    batches = stats1.get("batches", 0) - stats0.get("batches", 0)
    served = stats1.get("served", 0) - stats0.get("served", 0)
    # The client's CPU includes its health Checks: a bare round trip's share of it.
    return Latency(
        workers=stack.workers,
        sample=Timing.of(samples),
        round_trip=Timing.of(trips),
        max_ms=max(samples) * 1000,
        cpu_ms={k: (cpu1[k] - cpu0[k]) / calls * 1000 for k in cpu0},
        requests_per_batch=served / max(batches, 1),
    )


def overhead_ms(latency: Latency, forward_p50: float) -> float:
    """Stack p50 − forward p50 − round trip p50: what queueing and Python add."""
    return latency.sample.p50 - forward_p50 - latency.round_trip.p50


def print_latency(latency: Latency, forward_p50: float) -> None:
    """One stack's latency figures."""
    tail = latency.sample.p99 / latency.sample.p50
    cpu = "  ".join(f"{k} {v:.2f}" for k, v in latency.cpu_ms.items())
    print(f"  Sample(n=1)       {latency.sample}  max {latency.max_ms:.1f} ms")
    print(f"  health Check      {latency.round_trip}  (a bare gRPC round trip)")
    print(
        f"  stack p50 - forward p50 - round trip p50 = {overhead_ms(latency, forward_p50):.2f} "
        f"ms (goal <= 1.5); p99 / p50 = {tail:.2f} (goal <= 3); "
        f"{latency.requests_per_batch:.2f} requests per batch"
    )
    print(f"  CPU ms per Sample (the client's includes its Checks): {cpu}")


# --- main --------------------------------------------------------------------------------------


def main() -> None:
    """Train (or reuse) a model, then measure forward, stack latency and throughput."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=1000, help="timed Sample(n=1) per stack")
    parser.add_argument("--forward-calls", type=int, default=2000, help="timed forward passes")
    parser.add_argument(
        "--forward-seconds", type=float, default=10.0, help="most time per forward thread count"
    )
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="serve --workers")
    parser.add_argument("--clients", type=int, default=32, help="throughput: concurrent clients")
    parser.add_argument("--warmup", type=float, default=2.0, help="load before a window (s)")
    parser.add_argument("--duration", type=float, default=8.0, help="throughput window (s)")
    parser.add_argument("--raw-seconds", type=float, default=1.5, help="per raw batch size")
    args = parse_with_store(parser)

    print(f"{loadavg()} at start; the load generator shares these cores with the stack")
    with contextlib.ExitStack() as cleanup:
        data_dir, env = bench_store(args, cleanup, "latentgan-hot-")
        logs_dir = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="serve-logs-")))
        run(args, data_dir, logs_dir, env)


def run(args: argparse.Namespace, data_dir: Path, logs_dir: Path, env: dict[str, str]) -> None:
    """The measurements (see the module docstring)."""
    began = time.perf_counter()
    model = args.skip_train or "bench"
    if args.skip_train:
        print(f"0. reusing {model} from {data_dir}")
    else:
        train_bench_model(env, model)

    cores = torch.get_num_threads()
    g = ArtifactStore(data_dir).load(model).generator.eval()
    print(f"1. the forward pass alone, n=1 ({loadavg()})")
    forwards: dict[int, dict[str, Timing]] = {}
    for threads in sorted({1, cores}):
        forwards[threads] = forward_pass(g, threads, args.forward_calls, args.forward_seconds)
        calls = len(next(iter(forwards[threads].values())).samples_s)
        for name, timing in forwards[threads].items():
            print(f"  {threads} thread(s)  {name:<40} {timing}  ({calls} calls)")
    one = forwards[1]
    graph_name = (
        "InferenceGraph" if "InferenceGraph" in one else "module (eval, padded to MIN_ROWS)"
    )
    forward_p50 = one[graph_name].p50

    print(f"2. the raw generator (the fastest this code builds; {loadavg()})")
    raws = raw_generator(data_dir, model, sorted({cores, 1}, reverse=True), args.raw_seconds)
    top = max(raws, key=lambda r: r.best[1])
    raw_batch, raw_best = top.best
    print(f"  best {raw_best:.0f} images/s (batch {raw_batch}, {top.threads} torch thread(s))")

    latencies: dict[int, Latency] = {}
    throughputs: dict[int, Throughput] = {}
    bigs: dict[int, Throughput] = {}
    logs: list[Path] = []
    for step, workers in enumerate(args.workers, start=3):
        log = logs_dir / f"serve-{workers}.log"
        logs.append(log)
        with serving(env, workers, model, log) as stack:
            print(f"{step}. serve --workers {workers} ({loadavg()})")
            describe(stack)
            latencies[workers] = stack_latency(stack, model, args.calls)
            print_latency(latencies[workers], forward_p50)
            throughputs[workers] = measure_throughput(
                stack, model, args.clients, "threads", args.warmup, args.duration
            )
            base = throughputs[1].images_per_s if 1 in throughputs and workers != 1 else None
            print_throughput(throughputs[workers], args.clients, raw_best, base)
            print(f"  the same in large requests: {BIG_CLIENTS} clients, Sample(n={BIG_N})")
            bigs[workers] = measure_throughput(
                stack, model, BIG_CLIENTS, "threads", args.warmup, args.duration, BIG_N
            )
            print_throughput(bigs[workers], BIG_CLIENTS, raw_best, None)

    problems = log_problems(logs)
    print(f"serve logs: {len(problems)} warning/error lines")
    for line in problems[:8]:
        print(f"  {line}")

    print()
    print(f"summary ({loadavg()} at end; {time.perf_counter() - began:.0f} s in all)")
    rows: list[tuple[str, str, str]] = []
    for threads, timings in forwards.items():
        for name, timing in timings.items():
            rows.append((f"forward n=1, {threads} thread(s): {name}", str(timing), ""))
    for workers, latency in latencies.items():
        tail = latency.sample.p99 / latency.sample.p50
        rows.append((f"serve --workers {workers}: Sample(n=1)", str(latency.sample), ""))
        rows.append((f"serve --workers {workers}: health Check", str(latency.round_trip), ""))
        rows.append(
            (
                f"serve --workers {workers}: stack - forward - round trip",
                f"{overhead_ms(latency, forward_p50):.2f} ms",
                "goal <= 1.5 ms",
            )
        )
        rows.append((f"serve --workers {workers}: p99 / p50", f"{tail:.2f}", "goal <= 3"))
    rows.append(
        (f"raw generator best (batch {raw_batch}, {top.threads} thr.)", f"{raw_best:.0f} img/s", "")
    )
    for workers, t in throughputs.items():
        for clients, n, window in (
            (args.clients, REQUEST_N, t),
            (BIG_CLIENTS, BIG_N, bigs[workers]),
        ):
            rows.append(
                (
                    f"serve --workers {workers}: {clients} clients, Sample(n={n})",
                    f"{window.images_per_s:.0f} img/s",
                    f"{window.images_per_s / raw_best:.2f}x raw best (goal >= 0.8)",
                )
            )
    print_rows(rows)


if __name__ == "__main__":
    main()
