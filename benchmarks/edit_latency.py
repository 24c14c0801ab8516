"""Edit against Sample through the same serving stack: does a direction cost anything?

Edit(n=1, 5 strengths) and Sample(n=5) make the same number of images in one forward pass; Edit
also has the api resolve the direction id against the version's stored sets and sends the
direction with the request. This starts ``latentgan serve --workers 1`` on a private Redis over a
store holding MODEL, then times both calls from one sequential client, interleaved (so machine
noise hits both alike), and prints their p50/p90/p99 and the ratio of the medians (goal ≤ 1.2×),
with the in-process forward pass of the same five images as the floor. Reports, never asserts.

    python -m benchmarks.edit_latency --data-dir DIR --model M [--calls 300] [--direction sefa:0]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from benchmarks.serving import loadavg, percentiles, serving, time_calls
from latentgan.artifacts import ArtifactStore
from latentgan.generate import sample
from latentgan_client import Client

STRENGTHS = (-3.0, -1.5, 0.0, 1.5, 3.0)


def main() -> None:
    """Start the stack, time Sample(n=5) and Edit(n=1, 5 strengths) interleaved, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="the store holding MODEL")
    parser.add_argument("--model", required=True)
    parser.add_argument("--direction", default="sefa:0")
    parser.add_argument("--calls", type=int, default=300, help="timed calls of each kind")
    args = parser.parse_args()
    env = {**os.environ, "LATENTGAN_DATA_DIR": str(args.data_dir), "LATENTGAN_OFFLINE": "1"}
    env.pop("LATENTGAN_REDIS_URL", None)
    print(loadavg())
    g = ArtifactStore(args.data_dir).load(args.model).generator
    raw = percentiles(time_calls(lambda i: sample(g, 5, seed=i), args.calls, 20), (50,))[0]
    sample_s: list[float] = []
    edit_s: list[float] = []
    with (
        tempfile.TemporaryDirectory(prefix="edit-bench-") as logs,
        serving(env, 1, args.model, Path(logs) / "serve.log") as stack,
        Client(stack.address, timeout=30.0) as client,
    ):
        for i in range(20):  # warm both paths: the model cache, the direction sets
            client.sample(args.model, n=5, seed=i)
            client.edit(args.model, args.direction, STRENGTHS, seed=i)
        began = time.perf_counter()
        for i in range(args.calls):
            start = time.perf_counter()
            client.sample(args.model, n=5, seed=i)
            sample_s.append(time.perf_counter() - start)
            start = time.perf_counter()
            client.edit(args.model, args.direction, STRENGTHS, seed=i)
            edit_s.append(time.perf_counter() - start)
        wall = time.perf_counter() - began
    qs = (50, 90, 99)
    s50, s90, s99 = percentiles(sample_s, qs)
    e50, e90, e99 = percentiles(edit_s, qs)
    print(f"\n{args.calls} calls of each, interleaved, one client, {wall:.1f} s; {loadavg()}\n")
    print("| call | p50 ms | p90 ms | p99 ms |\n|---|---|---|---|")
    print(f"| Sample(n=5) | {s50:.2f} | {s90:.2f} | {s99:.2f} |")
    print(f"| Edit(n=1, 5 strengths, `{args.direction}`) | {e50:.2f} | {e90:.2f} | {e99:.2f} |")
    print(f"| in-process `sample(g, 5)` (the floor) | {raw:.2f} | | |")
    print(f"\nEdit / Sample at the median: **{e50 / s50:.2f}×** (goal ≤ 1.2×)")


if __name__ == "__main__":
    main()
