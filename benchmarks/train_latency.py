"""How fast a Train request becomes a running job and its first progress event, on `latentgan up`.

Starts the whole platform on free ports with a fresh data directory, then sends ``--jobs`` small
training jobs one after another (digits, an 8-wide conditional DCGAN, ``--steps`` steps) and polls
GetTrainJob every 20 ms to stamp, per job:

- Train RPC round trip (the job comes back queued: ``run_deployment(timeout=0)``);
- Train -> running (a Prefect worker picked the run and its process began the flow; goal <= 5 s);
- Train -> first progress event (the first 10 steps trained and published to Redis);
- Train -> succeeded.

Also measured in the same run, as the floor under "running": starting a bare Python that imports
Prefect (what the worker's flow-run process must do before it can report running). Prints the
median and the worst of each; nothing is asserted.

    python -m benchmarks.train_latency [--jobs 5] [--steps 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from typing import Any

from latentgan_client import Client
from services.embedded_redis import free_port
from services.up import running_platform

POLL_S = 0.02


@dataclass
class Timing:
    """Seconds from sending Train to each milestone of one job."""

    rpc: float
    running: float
    first_event: float
    succeeded: float
    job_id: str = ""
    picked_up: float = 0.0  # Prefect's own stamps: Scheduled -> Pending (a worker took it)
    started: float = 0.0  # and Pending -> Running (its process began the flow)


def prefect_stamps(api_url: str, timings: list[Timing]) -> None:
    """Fill in, from the runs' state history, when a worker took each job and when it ran."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with (
        temporary_settings(updates={PREFECT_API_URL: api_url}),
        get_client(sync_client=True) as client,
    ):
        for timing in timings:
            states = client.read_flow_run_states(uuid.UUID(timing.job_id))
            first: dict[str, Any] = {}
            for state in states:
                first.setdefault(state.type.value, state.timestamp)
            scheduled = first["SCHEDULED"]
            timing.picked_up = (first["PENDING"] - scheduled).total_seconds()
            timing.started = (first["RUNNING"] - first["PENDING"]).total_seconds()


def time_job(client: Client, steps: int, index: int) -> Timing:
    """Send one Train and stamp its milestones."""
    began = time.perf_counter()
    job = client.train(
        "digits",
        f"latency-{index}",
        conditional=True,
        steps=steps,
        g_width=8,
        d_width=8,
        batch_size=32,
        no_eval=True,
    )
    rpc = time.perf_counter() - began
    running = first_event = 0.0
    while True:
        job.refresh()
        now = time.perf_counter() - began
        if not running and job.state in ("running", "succeeded"):
            running = now
        if not first_event and job.step > 0:
            first_event = now
        if job.done:
            if job.state != "succeeded":
                raise SystemExit(f"job {job.id} ended {job.state}: {job.error}")
            return Timing(rpc, running, first_event or now, now, job.id)
        time.sleep(POLL_S)


def prefect_import_s() -> float:
    """Wall time of `python -c "import prefect"` in a fresh process."""
    began = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import prefect"], check=True)
    return time.perf_counter() - began


def main() -> None:
    """Run the measurement and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=5)
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="latentgan-bench-") as data_dir:
        os.environ["LATENTGAN_DATA_DIR"] = data_dir
        os.environ.setdefault("LATENTGAN_OFFLINE", "1")
        for inherited in ("LATENTGAN_REDIS_URL", "PREFECT_API_URL"):
            os.environ.pop(inherited, None)
        api_port, prefect_port = free_port(), free_port()
        started = time.perf_counter()
        with running_platform(api_port=api_port, prefect_port=prefect_port, gpu_slots=0):
            print(f"platform up in {time.perf_counter() - started:.1f} s", flush=True)
            with Client(f"127.0.0.1:{api_port}") as client:
                timings = [time_job(client, args.steps, i) for i in range(args.jobs)]
            prefect_stamps(f"http://127.0.0.1:{prefect_port}/api", timings)
            floor = statistics.median(prefect_import_s() for _ in range(3))
    print(f"\n{args.jobs} jobs of {args.steps} steps; seconds from sending Train:")
    print(f"{'milestone':<24}{'median':>8}{'worst':>8}")
    for field in ("rpc", "running", "first_event", "succeeded"):
        values = [getattr(t, field) for t in timings]
        print(f"{field:<24}{statistics.median(values):>8.2f}{max(values):>8.2f}")
    print("of which, by Prefect's state history:")
    for field, label in (("picked_up", "scheduled -> pending"), ("started", "pending -> running")):
        values = [getattr(t, field) for t in timings]
        print(f"  {label:<22}{statistics.median(values):>8.2f}{max(values):>8.2f}")
    print(f"{'python -c import prefect':<24}{floor:>8.2f}  (floor under 'running', same run)")


if __name__ == "__main__":
    main()
