"""Overload: ten times what the stack can serve, refused at once, admitted ones kept fast.

On `latentgan serve` with its default settings and the default conditional architecture (briefly
trained; its speed is what matters), in one run:

1. **Baseline**: Sample(n=1) latency from one sequential client at light load (p50, p99).
2. **Capacity**: images/s of Sample(n=256) under a closed loop of 8 clients.
3. **Overload**: an open loop offering ``--factor`` (10) times that capacity for ``--duration``
   seconds, Sample(n=256) spread over 16 clients (connections). For each status: how many, and
   latency p50/p99; RESOURCE_EXHAUSTED should come within 50 ms, admitted requests keep a
   bounded p99. The api's RSS and Redis's used memory are sampled throughout (peak against
   before).
4. **Recovery**: from the moment the load's last request has its answer (the admitted ones drain
   first; their latency is in the table), a probe Sample(n=1) every 20 ms; how long until five
   probes in a row are back within the p99 of the same probes before the load (goal: 2 s).
5. **Fairness**: one client floods (64 concurrent Sample(n=256) on one connection, no backoff)
   while a second asks Sample(n=1) one at a time: the second's p50/p99 against the baseline.

    python -m benchmarks.overload [--duration 10] [--factor 10] [--skip-train MODEL --data-dir DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

import grpc
import psutil

from benchmarks.serving import (
    Stack,
    bench_store,
    loadavg,
    parse_with_store,
    percentiles,
    serving,
    train_bench_model,
)
from latentgan_client import AsyncClient, Client
from latentgan_client.errors import LatentganError
from services.settings import GENERATION_WORKERS

N_LOAD = 256  # the largest Sample (max_samples): overload in images, not in calls
N_FLOOD = 256
LOAD_CLIENTS = 16
FLOOD_CONCURRENCY = 64
REFUSE_WITHIN_S = 0.05  # the goal for RESOURCE_EXHAUSTED


def sequential_latency(address: str, model: str, calls: int) -> list[float]:
    """Seconds of ``calls`` sequential Sample(n=1) calls from a new client (after 20 warm-up)."""
    with Client(address) as client:
        for i in range(20):
            client.sample(model, n=1, seed=i)
        times = []
        for i in range(calls):
            start = time.perf_counter()
            client.sample(model, n=1, seed=i)
            times.append(time.perf_counter() - start)
    return times


async def _closed_loop(address: str, model: str, clients: int, seconds: float) -> float:
    """Images/s of Sample(n=N_LOAD) from ``clients`` closed-loop clients over ``seconds``."""
    done = 0
    end = time.perf_counter() + seconds

    async def one(client: AsyncClient) -> None:
        nonlocal done
        while time.perf_counter() < end:
            await client.sample(model, n=N_LOAD)
            done += N_LOAD

    pool = [AsyncClient(address) for _ in range(clients)]
    start = time.perf_counter()
    try:
        await asyncio.gather(*(one(c) for c in pool))
    finally:
        for c in pool:
            await c.close()
    return done / (time.perf_counter() - start)


@dataclass
class Offered:
    """What an open loop's requests got: latencies by status name."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    def row(self, status: str) -> str:
        """A table row: status, count, p50 and p99 in ms, share answered within REFUSE_WITHIN_S."""
        got = self.latencies[status]
        p50, p99 = percentiles(got, (50, 99)) if got else (float("nan"),) * 2
        within = sum(t <= REFUSE_WITHIN_S for t in got) / max(len(got), 1)
        return f"| {status} | {len(got)} | {p50:.1f} | {p99:.1f} | {within:.1%} |"


async def _open_loop(address: str, model: str, rate: float, seconds: float) -> Offered:
    """Sample(n=N_LOAD) sent at ``rate`` per second for ``seconds``, whatever came back."""
    offered = Offered()
    pool = [AsyncClient(address, retries=0) for _ in range(LOAD_CLIENTS)]

    async def one(client: AsyncClient, seed: int) -> None:
        start = time.perf_counter()
        try:
            await client.sample(model, n=N_LOAD, seed=seed)
            status = "OK"
        except LatentganError as e:
            status = e.code.name if isinstance(e.code, grpc.StatusCode) else str(e.code)
        offered.latencies[status].append(time.perf_counter() - start)

    tasks = []
    start = time.perf_counter()
    i = 0
    try:
        while (now := time.perf_counter()) - start < seconds:
            due = start + i / rate
            if due > now:
                await asyncio.sleep(due - now)
            tasks.append(asyncio.create_task(one(pool[i % len(pool)], i)))
            i += 1
        await asyncio.gather(*tasks)
    finally:
        for c in pool:
            await c.close()
    return offered


@dataclass
class Peaks:
    """The peak memory of the api process and Redis while a block ran, sampled every 0.1 s."""

    api_pid: int
    redis_pid: int
    redis: object
    api_mib: list[float] = field(default_factory=list)
    redis_mib: list[float] = field(default_factory=list)

    def sample(self) -> None:
        """One sample of both."""
        self.api_mib.append(psutil.Process(self.api_pid).memory_info().rss / 2**20)
        info = self.redis.info("memory")  # type: ignore[attr-defined]
        self.redis_mib.append(float(info["used_memory"]) / 2**20)

    @contextlib.contextmanager
    def watching(self) -> Iterator[None]:
        """Sample in a thread for the block's duration."""
        stop = threading.Event()

        def loop() -> None:
            while not stop.wait(0.1):
                self.sample()

        thread = threading.Thread(target=loop, daemon=True)
        self.sample()
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()
            self.sample()


PROBE_GAP_S = 0.02


def probes(address: str, model: str, seconds: float, until_streak: float | None = None) -> float:
    """Sample(n=1) once every PROBE_GAP_S for ``seconds`` from a new client.

    Without ``until_streak``: the probes' p99 (s), the baseline a recovery is judged by (probes
    spaced out run slower than back-to-back calls: the processes sleep between them). With it:
    the seconds until five probes in a row took at most ``until_streak``; ``seconds`` if never.
    """
    start = time.perf_counter()
    streak = 0
    times: list[float] = []
    with Client(address) as client:
        client.sample(model, n=1)  # the connection, outside the figures
        while (now := time.perf_counter()) - start < seconds:
            t = time.perf_counter()
            try:
                client.sample(model, n=1)
                took = time.perf_counter() - t
            except LatentganError:
                took = float("inf")
            times.append(took)
            streak = streak + 1 if until_streak and took <= until_streak else 0
            if streak == 5:
                return now - start
            time.sleep(PROBE_GAP_S)
    return seconds if until_streak else percentiles(times, (99,))[0] / 1000


def fairness(address: str, model: str, seconds: float) -> tuple[list[float], dict[str, int]]:
    """The victim's Sample(n=1) latencies while a flooding client runs; the flood's statuses."""
    statuses: dict[str, int] = defaultdict(int)
    stop = threading.Event()

    async def flood() -> None:
        async with AsyncClient(address, retries=0) as client:

            async def loop() -> None:
                while not stop.is_set():
                    try:
                        await client.sample(model, n=N_FLOOD)
                        statuses["OK"] += 1
                    except LatentganError as e:
                        statuses[getattr(e.code, "name", str(e.code))] += 1

            await asyncio.gather(*(loop() for _ in range(FLOOD_CONCURRENCY)))

    thread = threading.Thread(target=lambda: asyncio.run(flood()), daemon=True)
    thread.start()
    time.sleep(1.0)  # the flood at full strength
    victim: list[float] = []
    end = time.perf_counter() + seconds
    with Client(address) as client:
        while time.perf_counter() < end:
            t = time.perf_counter()
            client.sample(model, n=1)
            victim.append(time.perf_counter() - t)
    stop.set()
    thread.join(30)
    return victim, dict(statuses)


def run(stack: Stack, model: str, args: argparse.Namespace) -> None:
    """The measurements of the module's docstring, printed as they come."""
    base = sequential_latency(stack.address, model, 300)
    base_p50, base_p99 = percentiles(base, (50, 99))
    print(f"1. baseline Sample(n=1): p50 {base_p50:.2f} ms, p99 {base_p99:.2f} ms ({loadavg()})")
    capacity = asyncio.run(_closed_loop(stack.address, model, 8, 5.0))
    rate = args.factor * capacity / N_LOAD
    probe_p99 = probes(stack.address, model, 3.0)
    print(f"   probes, one every {PROBE_GAP_S * 1000:.0f} ms: p99 {probe_p99 * 1000:.2f} ms")
    print(f"2. capacity: {capacity:.0f} images/s of Sample(n={N_LOAD}) (8 closed-loop clients)")
    peaks = Peaks(stack.serve.pid, stack.redis_pid, stack.redis)
    with peaks.watching():
        offered = asyncio.run(_open_loop(stack.address, model, rate, args.duration))
    back = probes(stack.address, model, 30.0, until_streak=probe_p99)
    sent = sum(len(v) for v in offered.latencies.values())
    print(
        f"3. overload: {rate:.0f} requests/s offered ({args.factor:g}× capacity) for "
        f"{args.duration:g} s, {sent} sent over {LOAD_CLIENTS} clients\n"
    )
    print("| status | requests | p50 (ms) | p99 (ms) | within 50 ms |\n|---|---|---|---|---|")
    for status in sorted(offered.latencies, key=lambda s: (s != "OK", s)):
        print(offered.row(status))
    print(
        f"\n   api RSS {peaks.api_mib[0]:.0f} MiB before, peak {max(peaks.api_mib):.0f} MiB; "
        f"Redis used memory {peaks.redis_mib[0]:.1f} MiB before, peak "
        f"{max(peaks.redis_mib):.1f} MiB"
    )
    print(f"4. recovery: probes back within their baseline p99 {back:.2f} s after the last answer")
    victim, flood = fairness(stack.address, model, args.duration)
    v50, v99 = percentiles(victim, (50, 99))
    print(
        f"5. fairness: while one client floods (Sample(n={N_FLOOD}) ×{FLOOD_CONCURRENCY} at once; "
        f"its answers: {flood}), a second one's Sample(n=1) p50 {v50:.2f} ms, p99 {v99:.2f} ms "
        f"({v99 / base_p99:.1f}× the baseline p99; {len(victim)} calls)"
    )


def main() -> None:
    """Train (or reuse) the model, start `latentgan serve` with its defaults, measure."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.overload", description=__doc__)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of each load")
    parser.add_argument("--factor", type=float, default=10.0, help="offered load / capacity")
    parser.add_argument(
        "--workers",
        type=int,
        default=GENERATION_WORKERS,
        help="generation workers (serve's default)",
    )
    args = parse_with_store(parser)
    with contextlib.ExitStack() as cleanup:
        data_dir, env = bench_store(args, cleanup, "latentgan-overload-")
        model = args.skip_train or "bench"
        if not args.skip_train:
            train_bench_model(env, model)
        log = data_dir / "serve-overload.log"
        with serving(env, args.workers, model, log) as stack:
            print(f"## Overload on `latentgan serve` ({stack.workers} generation workers)\n")
            run(stack, model, args)


if __name__ == "__main__":
    main()
