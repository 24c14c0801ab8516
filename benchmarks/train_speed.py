"""latentgan's default training against the classic pytorch/examples DCGAN recipe, same data.

Prints two ratios measured in one run on mnist5k's train split:

- training throughput: real images per second of training, ours / reference;
- time to quality: the training time the reference needs to reach its best evaluator FD within
  ``--budget`` seconds, divided by the training time our default unconditional run
  (``latentgan train --dataset mnist5k``) needs to reach that FD.

FD is measured by the data set's evaluator on ``--samples`` generated images (the reference's
64×64 images are area-downsampled to 28×28), against the held-out split; scoring pauses the clock.

    python -m benchmarks.train_speed [--budget 240] [--every 10] [--our-every 0.5] [--samples 1000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import torch

from benchmarks.common import Checkpoint, cli_configs, time_limit, train_for
from benchmarks.reference_dcgan import NZ, ReferenceDCGAN
from latentgan.data import ImageDataset, load_dataset, split_dataset
from latentgan.evaluate import EVAL_SEED, generate_for_eval, score_images
from latentgan.evaluator import Evaluator, load_or_train_evaluator
from latentgan.latent import seeded_latents
from latentgan.models import Generator
from latentgan.train import train


def _fd_scorer(data: ImageDataset, evaluator: Evaluator) -> Callable[[torch.Tensor], float]:
    """FD of generated images against the held-out split."""

    def score(images: torch.Tensor) -> float:
        return score_images(images, None, data, evaluator).fd

    return score


def run_reference(
    train_split: ImageDataset,
    budget_s: float,
    every_s: float,
    score: Callable[[torch.Tensor], float],
    n: int,
) -> list[Checkpoint]:
    """The reference loop, paused every ``every_s`` of training time to be scored."""
    ref = ReferenceDCGAN(train_split)
    z = seeded_latents(EVAL_SEED, n, NZ)
    curve: list[Checkpoint] = []
    trained, images, next_score = 0.0, 0, every_s
    while trained < budget_s:
        start = time.perf_counter()
        images += ref.step()
        trained += time.perf_counter() - start
        if trained >= next_score or trained >= budget_s:
            curve.append(Checkpoint(trained, images, score(ref.sample(z))))
            print(
                f"  reference {trained:6.1f} s  {images:6d} images  FD {curve[-1].fd:8.2f}",
                flush=True,
            )
            next_score += every_s
    return curve


def main() -> None:
    """Run both, print the curves and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--budget", type=float, default=240.0, help="seconds of training each")
    parser.add_argument("--every", type=float, default=10.0, help="reference scoring interval")
    parser.add_argument(
        "--our-every",
        type=float,
        default=0.5,
        help="latentgan scoring interval (fine: it bounds our time to quality)",
    )
    parser.add_argument("--samples", type=int, default=1000, help="images per FD")
    parser.add_argument(
        "--throughput-seconds",
        type=float,
        default=30.0,
        help="length of latentgan's own throughput run",
    )
    args = parser.parse_args()

    data = load_dataset("mnist5k")
    train_split, _ = split_dataset(data)
    with tempfile.TemporaryDirectory() as tmp:
        evaluator = load_or_train_evaluator(data, Path(tmp) / "evaluators", progress=False)
        score = _fd_scorer(data, evaluator)
        print(f"evaluator held-out accuracy {evaluator.info.held_out_accuracy:.2%}")

        print(
            f"reference (pytorch/examples DCGAN, 64x64, batch 64, DataLoader), {args.budget:.0f} s:"
        )
        ref_curve = run_reference(train_split, args.budget, args.every, score, args.samples)
        best = min(ref_curve, key=lambda c: c.fd)

        model, cfg = cli_configs([], train_split)

        def score_generator(g: Generator) -> float:
            return score(generate_for_eval(g, args.samples)[0])

        print("latentgan default (latentgan train --dataset mnist5k), until it reaches that FD:")
        ours = train_for(
            train_split,
            model,
            cfg,
            Path(tmp) / "ours",
            budget_s=args.budget,
            every_s=args.our_every,
            score=score_generator,
            stop_at_fd=best.fd,
        )
        for c in ours:
            print(
                f"  latentgan {c.train_seconds:6.1f} s  {c.images_seen:6d} images  FD {c.fd:8.2f}"
            )
        throughput = train(
            train_split,
            model,
            cfg,
            Path(tmp) / "throughput",
            should_stop=time_limit(args.throughput_seconds),
        )

    ref_ips = ref_curve[-1].images_seen / ref_curve[-1].train_seconds
    our_ips = throughput.images_per_sec
    reached = next((c for c in ours if c.fd <= best.fd), None)
    print()
    print(
        f"training images/s: reference {ref_ips:.1f}, latentgan {our_ips:.0f} "
        f"(a {throughput.wall_s:.0f} s run of the default), "
        f"ratio {our_ips / ref_ips:.1f}x"
    )
    print(f"reference best FD {best.fd:.2f} after {best.train_seconds:.0f} s of training")
    if reached is None:
        print("latentgan did not reach that FD within the budget")
    else:
        print(
            f"latentgan reached FD {reached.fd:.2f} after {reached.train_seconds:.1f} s: "
            f"time to quality ratio {best.train_seconds / reached.train_seconds:.1f}x"
        )


if __name__ == "__main__":
    main()
