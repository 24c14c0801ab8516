"""Faults under load: the platform keeps answering right while its parts die, one at a time.

A whole platform (``services.up.Platform``: Prefect server, training workers, the api with two
generation workers) runs on a Redis of the benchmark's own, so that Redis too can be stopped.
``benchmarks.load.Clients`` — 32 SDK clients in a loop across Sample, Interpolate, Edit and
Project, every answer checked against the images taken before — run throughout, while one
fault after another is made:

1. a generation worker is SIGKILLed (`serve` starts a new one; the survivor reclaims its entries);
2. the api is SIGKILLed, with its workers, and started again (the clients' retry policy);
3. Redis is stopped for 5 s and started again, empty;
4. the Prefect server is stopped during a training job and started again 5 s later; the job must
   end registered exactly once.

For each fault it prints the requests sent, answered right, failed with a retryable status, lost
(neither: goal 0), answered with wrong images (goal 0), and the time to full recovery (from the
fault to the end of the last request that did not come back right), and the slowest request of
the fault's window (a request a killed worker held waits for the survivor to reclaim it).

    python -m benchmarks.faults [--clients 32] [--settle 5]
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.fuzzing import train_tiny_models
from benchmarks.load import Clients, Tally, Workload
from latentgan_client import Client
from latentgan_client.errors import LatentganError
from services.embedded_redis import EmbeddedRedis, free_port
from services.probe import health_status, wait_for
from services.processes import children_of, kill
from services.settings import ServingSettings
from services.up import Platform

SERVICE = "latentgan.v1.LatentGan"
RECOVERY_TIMEOUT_S = 120.0
TRAIN_STEPS = 400  # a tiny model: long enough to outlast the Prefect outage on 2 CPU cores
OUTAGE_S = 5.0


@dataclass
class Stack:
    """The faulted platform and the Redis it runs on."""

    platform: Platform
    redis: EmbeddedRedis

    @property
    def address(self) -> str:
        """The api's address."""
        return f"127.0.0.1:{self.platform.api_port}"

    def serving(self, timeout_s: float = 90.0) -> None:
        """Wait until the api says it can generate (SERVING with a live worker)."""
        wait_for(
            lambda: health_status(self.address, service=SERVICE) == "SERVING",
            timeout_s,
            "the api to serve",
        )


@contextmanager
def faulted_stack(data_dir: Path, generation_workers: int = 2) -> Iterator[Stack]:
    """A platform with ``generation_workers`` on its own Redis, for the block's duration."""
    redis = EmbeddedRedis().start()
    settings = ServingSettings(data_dir=data_dir, redis_url=redis.url)  # bundled data sets only
    platform = Platform(
        settings,
        api_port=free_port(),
        prefect_port=free_port(),
        generation_workers=generation_workers,
    )
    stack = Stack(platform, redis)
    try:
        platform.start()
        yield stack
    finally:
        platform.stop()
        stack.redis.stop()  # the one running now: restart_redis replaces it


# --- the faults: each makes one and returns when the platform has it ---------------------------


def kill_generation_worker(stack: Stack) -> None:
    """SIGKILL one generation worker of the api (its `serve` starts another)."""
    api = next(c for c in stack.platform.children if c.name == "api")
    workers = [p for p in children_of(api.pid, recursive=False) if "worker" in p.cmdline()]
    kill(workers[:1])


def restart_api(stack: Stack) -> None:
    """SIGKILL the api with its workers, and start it again at once."""
    stack.platform.restart("api", hard=True)
    stack.serving()


def restart_redis(stack: Stack) -> None:
    """Stop Redis, wait ``OUTAGE_S``, start it again empty on the same port."""
    port = stack.redis.port
    stack.redis.stop()
    time.sleep(OUTAGE_S)
    stack.redis = EmbeddedRedis(port=port).start()


@dataclass
class Training:
    """The training job the Prefect fault happens during, and how it ended."""

    name: str = "faulted"
    state: str = ""
    versions: int = 0


def restart_prefect_during_training(
    stack: Stack, training: Training, steps: int = TRAIN_STEPS
) -> Callable[[], None]:
    """Start a training job; once it runs, stop the Prefect server, start it again ``OUTAGE_S``
    later. Returns what waits for the job's end and records it in ``training``."""
    client = Client(stack.address, timeout=60)
    job = client.train(
        "mnist5k",
        training.name,
        steps=steps,
        latent_dim=16,
        g_width=8,
        d_width=8,
        no_eval=True,
        no_encoder=True,
        no_directions=True,
    )
    wait_for(lambda: job.refresh().step > 0, 300, "the training job to run")
    stack.platform.restart("prefect-server", pause_s=OUTAGE_S)

    def finish() -> None:
        with contextlib.suppress(LatentganError):  # a failed job is reported by its state
            job.wait(timeout=600)
        training.state = str(job.state)
        training.versions = sum(m.name == training.name for m in client.list_models())
        client.close()

    return finish


# --- the run ------------------------------------------------------------------------------------


@dataclass
class Row:
    """One fault's figures."""

    fault: str
    tally: Tally
    recovery_s: float
    recovered: bool


def under_faults(
    stack: Stack, clients: int, settle_s: float, train_steps: int = TRAIN_STEPS
) -> tuple[list[Row], Training]:
    """Run the clients and make each fault in turn, the platform settled between them."""
    workload = Workload.taken(stack.address, "tiny")
    training = Training()
    rows: list[Row] = []
    faults: list[tuple[str, Callable[[], object]]] = [
        ("generation worker SIGKILLed", lambda: kill_generation_worker(stack)),
        ("api SIGKILLed and restarted", lambda: restart_api(stack)),
        (f"Redis stopped {OUTAGE_S:.0f} s, restarted empty", lambda: restart_redis(stack)),
        (
            f"Prefect server stopped {OUTAGE_S:.0f} s during training",
            lambda: restart_prefect_during_training(stack, training, train_steps),
        ),
    ]
    with Clients(stack.address, workload, count=clients) as running:
        time.sleep(settle_s)
        for name, make in faults:
            print(f"fault: {name}", file=sys.stderr)
            start = time.monotonic()
            fault_at = time.monotonic()
            after = make()
            recovered = running.wait_all_right(fault_at, 2.0, RECOVERY_TIMEOUT_S)
            time.sleep(settle_s)
            end = time.monotonic()
            tally = running.between(start, end)
            rows.append(Row(name, tally, tally.recovery_s(fault_at), recovered))
            if callable(after):
                after()
    return rows, training


def print_rows(rows: Sequence[Row], training: Training) -> None:
    """The table of the faults, and how the training job ended."""
    print("| fault | sent | right | retryable | lost | wrong | recovery (s) | slowest (s) |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        t = r.tally
        recovery = f"{r.recovery_s:.1f}" if r.recovered else f"> {RECOVERY_TIMEOUT_S:.0f}"
        print(
            f"| {r.fault} | {t.sent} | {t.count('right')} | {t.count('retryable')} | "
            f"{t.count('lost')} | {t.count('wrong')} | {recovery} | {t.slowest_s():.1f} |"
        )
    print(
        f"\ntraining job during the Prefect outage: {training.state or 'not run'}, "
        f"registered {training.versions} time(s) (goal: once)"
    )
    for r in rows:
        for kind in ("lost", "wrong"):
            for line in r.tally.details(kind):
                print(f"  {r.fault}: {kind}: {line}")


def main(argv: Sequence[str] | None = None) -> int:
    """Train two tiny models, start a platform, fault it under load and print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.faults", description=__doc__)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--settle", type=float, default=5.0, help="seconds between faults")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        print("training two tiny models ...", file=sys.stderr)
        train_tiny_models(Path(tmp))
        with faulted_stack(Path(tmp)) as stack:
            rows, training = under_faults(stack, args.clients, args.settle)
    print(
        f"## Faults under load: {args.clients} SDK clients in a loop across Sample, "
        "Interpolate, Edit and Project\n"
    )
    print_rows(rows, training)
    bad = any(r.tally.count("lost") or r.tally.count("wrong") for r in rows)
    return 1 if bad or training.versions != 1 else 0


if __name__ == "__main__":
    raise SystemExit(main())
