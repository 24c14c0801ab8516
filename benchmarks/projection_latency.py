"""Project and Complete through the serving stack: latency at light load, against the core alone.

Starts ``latentgan serve --workers 1`` on a private Redis over a store holding MODEL, then from
one sequential client, interleaved so that machine noise hits both alike, times Project(1 held-out
digit, ``auto``) and Complete(1 held-out digit, ``left`` mask, k=4), and prints p50/p90/p99. The
baseline, measured in the same run, is the same work in-process (``latentgan.projection.requests``
on the version's kit, as a worker does it): the stack's share is the difference. It also prints
the encoder's share of the version's training time (from its manifest). Reports, never asserts.

    python -m benchmarks.projection_latency --data-dir DIR --model M [--calls 50]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.serving import loadavg, percentiles, serving, time_calls
from latentgan.artifacts import ArtifactStore
from latentgan.data import split_dataset
from latentgan.evaluate import training_data
from latentgan.projection.complete import preset_mask
from latentgan.projection.fit import fit_images
from latentgan.projection.requests import complete_request, prepare_projection, project_prepared
from latentgan.projection.versions import projection_kit
from latentgan.schemas.projection import CompleteParams, ProjectParams
from latentgan_client import Client


def main() -> None:
    """Start the stack, time Project and Complete interleaved and in-process, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="the store holding MODEL")
    parser.add_argument("--model", required=True)
    parser.add_argument("--calls", type=int, default=50, help="timed calls of each kind")
    args = parser.parse_args()
    env = {**os.environ, "LATENTGAN_DATA_DIR": str(args.data_dir), "LATENTGAN_OFFLINE": "1"}
    env.pop("LATENTGAN_REDIS_URL", None)
    print(loadavg())
    store = ArtifactStore(args.data_dir)
    kit = projection_kit(store, args.model)
    manifest = kit.model.manifest
    _, held_out = split_dataset(training_data(store, manifest))
    digits = [held_out.images[i].permute(1, 2, 0).numpy() for i in range(args.calls)]
    cfg = manifest.model_config
    known = preset_mask("left", cfg.image_size).astype(np.float32)

    def fitted(i: int) -> np.ndarray:
        return fit_images([digits[i % len(digits)]], cfg).numpy()

    def project_here(i: int) -> None:
        project_prepared(kit, [prepare_projection(kit, ProjectParams(fitted(i)))])

    def complete_here(i: int) -> None:
        complete_request(kit, CompleteParams(fitted(i), known, k=4))

    local_project = time_calls(project_here, args.calls, 3)
    local_complete = time_calls(complete_here, args.calls, 3)
    project_s: list[float] = []
    complete_s: list[float] = []
    with (
        tempfile.TemporaryDirectory(prefix="projection-bench-") as logs,
        serving(env, 1, args.model, Path(logs) / "serve.log") as stack,
        Client(stack.address, timeout=120.0) as client,
    ):
        for i in range(3):  # warm the worker's kit: evaluator, encoder, discriminator
            client.project(args.model, digits[i])
            client.complete(args.model, digits[i], "left", k=4)
        began = time.perf_counter()
        for i in range(args.calls):
            start = time.perf_counter()
            found = client.project(args.model, digits[i])
            project_s.append(time.perf_counter() - start)
            start = time.perf_counter()
            client.complete(args.model, digits[i], "left", k=4)
            complete_s.append(time.perf_counter() - start)
        wall = time.perf_counter() - began
    qs = (50, 90, 99)
    print(f"\n{args.calls} calls of each, interleaved, one client, {wall:.1f} s; {loadavg()}\n")
    print(f"model {manifest.ref}; Project ran `{found.method}`\n")
    print("| call | p50 ms | p90 ms | p99 ms | in-process p50 ms | stack's share at p50 |")
    print("|---|---|---|---|---|---|")
    for name, served, local in (
        ("Project(1 image, auto)", project_s, local_project),
        ("Complete(1 image, left, k=4)", complete_s, local_complete),
    ):
        p50, p90, p99 = percentiles(served, qs)
        (l50,) = percentiles(local, (50,))
        print(
            f"| {name} | {p50:.1f} | {p90:.1f} | {p99:.1f} | {l50:.1f} | {(p50 - l50) / p50:.0%} |"
        )
    training = manifest.training or {}
    encoder_s, wall_s = training.get("encoder_s"), training.get("wall_s")
    if encoder_s is not None and wall_s:
        share = encoder_s / (wall_s + encoder_s)
        print(
            f"\nencoder training: {encoder_s:.0f} s beside {wall_s:.0f} s of GAN training: "
            f"{share:.0%} of the two"
        )


if __name__ == "__main__":
    main()
