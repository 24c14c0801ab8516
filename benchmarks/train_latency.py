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
from dataclasses import dataclass

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
            return Timing(rpc, running, first_event or now, now)
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
        api_port = free_port()
        started = time.perf_counter()
        with running_platform(api_port=api_port, prefect_port=free_port(), gpu_slots=0):
            print(f"platform up in {time.perf_counter() - started:.1f} s", flush=True)
            with Client(f"127.0.0.1:{api_port}") as client:
                timings = [time_job(client, args.steps, i) for i in range(args.jobs)]
            floor = statistics.median(prefect_import_s() for _ in range(3))
    print(f"\n{args.jobs} jobs of {args.steps} steps; seconds from sending Train:")
    print(f"{'milestone':<24}{'median':>8}{'worst':>8}")
    for field in ("rpc", "running", "first_event", "succeeded"):
        values = [getattr(t, field) for t in timings]
        print(f"{field:<24}{statistics.median(values):>8.2f}{max(values):>8.2f}")
    print(f"{'python -c import prefect':<24}{floor:>8.2f}  (floor under 'running', same run)")


if __name__ == "__main__":
    main()
