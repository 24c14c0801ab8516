"""How good is projection? Recovery, real digits against StyleGAN2's projector, and completion.

For each model (default: the two mnist5k defaults, ``latentgan train --dataset mnist5k
[--conditional]``, registered as ``mnist5k`` and ``mnist5k-cond``; they need the encoder and
discriminator stored with a version) this loads the version's projection kit
(``latentgan.projection.versions.projection_kit``, what ``latentgan project`` and ``complete``
use) and prints Markdown tables:

- **recovery**: generated images G(z*) of seeded latents z* (seed ``RECOVERY_SEED``, distinct
  from the projection's starts, seed 0; a conditional model gets seeded random labels, given to
  ``project``), projected by each method (``encoder``, ``optimize``, ``auto``): the pixel
  distance of the reconstruction, the distance of the found latent to z* (absolute and as a
  share of ||z*||), the steps run, the rows through G's forward pass (every start's, every
  step's: the work the step count hides) and the time per image;
- **real digits**: ``--images`` digits of the data set's held-out split (the split the
  version's encoder never saw), fixed: its first digit of each class, then its second of each,
  and so on (``class_by_class``): pixel and feature distance, the share of reconstructions
  the data set's evaluator gives the original's class (``project.same_class_share``), steps and
  time per image, for each method and for the baseline measured in the same run —
  ``optimize.mean_latent_baseline``, StyleGAN2's projector (1,000 steps from the mean latent);
  then auto's steps and distances as ratios to the baseline's. A conditional model's labels are
  the evaluator's predictions (``project`` chooses them when given none), the baseline's too;
- **what closes the gap**: on the first ``--ablation-images`` of those digits, auto's recipe
  (``optimize_latents`` from the encoder's guess) with and without seeded starts beside the
  guess, with and without the latent prior, at 20, 100 and 200 steps, and the baseline at
  fewer steps, each as a ratio to the 1,000-step baseline's distances;
- **completion**: the first ``--complete-images`` of those digits with the ``center`` and
  ``left`` masks (``complete.preset_mask``): the evaluator's accuracy against the data set's
  label on the best of the k = 4 completions (and on any of them), on the masked input (the
  unknown pixels black, -1) and on the original, with the mean squared error in the unknown
  pixels and the time per image. ``complete`` gets only the masked input, the encoder's guess
  for the masked input as a start, and the version's discriminator; a conditional model's label
  is the evaluator's prediction on the masked input;
- the encoder's share of the training job (``encoder_s`` beside ``wall_s`` in the manifest);
- with ``--figures DIR``, the README's pictures: ``DIR/projection-NAME.png`` (held-out digits
  over their ``auto`` reconstructions) and ``DIR/completion-NAME.png`` (a row per held-out digit
  and mask: the masked input, the k completions best first, the original).

It reports, never asserts. Everything runs on the CPU and is deterministic for the seeds; times
are per image, in wall time and in this process's CPU time (which other work on the machine
moves less), after an untimed warm-up. The store is ``--data-dir`` (default:
``LATENTGAN_DATA_DIR``).

    python -m benchmarks.projection [--data-dir DIR] [--models mnist5k mnist5k-cond]
        [--images 64] [--complete-images 32] [--ablation-images 16] [--baseline-steps 1000]
        [--figures DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import Tensor

from latentgan.artifacts import ArtifactStore
from latentgan.data import split_dataset
from latentgan.evaluate import training_data
from latentgan.evaluator import Evaluator, as_model_input
from latentgan.images import grid, save_png, to_uint8
from latentgan.latent import seeded_latents
from latentgan.models import Generator
from latentgan.projection.complete import Completion, complete, preset_mask
from latentgan.projection.encoder import encode
from latentgan.projection.optimize import (
    CHUNK,
    DEFAULT_PRIOR_WEIGHT,
    Projection,
    generate_padded,
    mean_latent_baseline,
    optimize_latents,
)
from latentgan.projection.project import (
    AUTO_PRIOR_WEIGHT,
    AUTO_STARTS,
    AUTO_STEPS,
    OPTIMIZE_STEPS,
    ProjectionMethod,
    project,
    projection_labels,
    same_class_share,
)
from latentgan.projection.versions import ProjectionKit, projection_kit
from latentgan.settings import Settings

RECOVERY_SEED = 11  # z* of the recovery table; the projection's starts are seed 0's
LABEL_SEED = 12  # the recovery table's labels for a conditional model
PROJECTION_SEED = 0
MASK_NAMES = ("center", "left")
K = 4  # completions per image
FIGURE_DIGITS = 8  # columns of the projection figure
FIGURE_ROWS = 4  # digits per mask in the completion figure
METHOD_ORDER: tuple[ProjectionMethod, ...] = ("encoder", "optimize", "auto")


@dataclass
class Measured:
    """One method's projection of a batch, and its wall time."""

    label: str
    projection: Projection
    seconds: float  # wall time
    cpu_seconds: float  # this process's CPU time: less moved by other work on the machine
    g_rows: int  # rows through G's forward pass: the work that steps alone do not show


@contextlib.contextmanager
def _counting(g: Generator) -> Iterator[list[int]]:
    """Counts the rows of every forward pass through ``g`` (padding included) while open."""
    seen = [0]

    def hook(module: torch.nn.Module, inputs: object, output: Tensor) -> None:
        seen[0] += len(output)

    handle = g.register_forward_hook(hook)
    try:
        yield seen
    finally:
        handle.remove()


def _timed(g: Generator, label: str, run: Callable[[], Projection]) -> Measured:
    with _counting(g) as rows:
        start, cpu = time.perf_counter(), time.process_time()
        found = run()
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return Measured(label, found, wall, cpu, rows[0])


def _per_image_ms(m: Measured) -> str:
    n = len(m.projection)
    return f"{m.g_rows / n:.0f} | {1000.0 * m.seconds / n:.0f} | {1000.0 * m.cpu_seconds / n:.0f}"


def _images_tensor(images: np.ndarray) -> Tensor:
    """uint8 N×H×W×C -> the model's input N×C×H×W in [-1, 1]."""
    return as_model_input(torch.from_numpy(np.ascontiguousarray(images)).permute(0, 3, 1, 2))


def _predict(evaluator: Evaluator, images: Tensor) -> np.ndarray:
    return np.asarray(evaluator.logits(images).argmax(axis=1))


def _methods(kit: ProjectionKit) -> tuple[ProjectionMethod, ...]:
    return METHOD_ORDER if kit.encoder is not None else ("optimize", "auto")


def _project(
    kit: ProjectionKit, targets: Tensor, labels: list[int] | None, method: ProjectionMethod
) -> Measured:
    g = kit.model.generator

    def run() -> Projection:
        found = project(
            g,
            kit.evaluator,
            targets,
            labels=labels,
            method=method,
            encoder=kit.encoder,
            seed=PROJECTION_SEED,
        )
        return found.projection

    return _timed(g, method, run)


def recovery(kit: ProjectionKit, n: int) -> None:
    """Project G(z*) for seeded z*: how close each method comes to z* and to the image."""
    g = kit.model.generator
    cfg = g.cfg
    z_true = seeded_latents(RECOVERY_SEED, n, cfg.latent_dim)
    labels = None
    if cfg.num_classes:
        drawn = np.random.Generator(np.random.Philox(LABEL_SEED)).integers(cfg.num_classes, size=n)
        labels = [int(y) for y in drawn]
    y = None if labels is None else torch.tensor(labels)
    with torch.no_grad():
        targets = torch.cat(
            [
                generate_padded(g, z_true[i : i + CHUNK], None if y is None else y[i : i + CHUNK])
                for i in range(0, n, CHUNK)
            ]
        )
    given = "seeded random labels, given to `project`" if labels else "unconditional"
    print(f"\n#### Recovery: {n} generated images G(z*), z* of seed {RECOVERY_SEED} ({given})\n")
    print(
        "| method | pixel MSE | ‖z − z*‖ | ‖z − z*‖ / ‖z*‖ | steps (mean) | G rows / image "
        "| ms / image | CPU ms / image |"
    )
    print("|---|---|---|---|---|---|---|---|")
    norm = z_true.norm(dim=1)
    rows = [_project(kit, targets, labels, method) for method in _methods(kit)]
    for m in rows:
        found = m.projection
        gap = (torch.from_numpy(found.latents) - z_true).norm(dim=1)
        print(
            f"| {m.label} | {found.pixel_distance.mean():.4f} | {gap.mean():.3f} | "
            f"{(gap / norm).mean():.1%} | {found.steps.mean():.1f} | {_per_image_ms(m)} |"
        )
    print(f"\n(‖z*‖ mean {norm.mean():.2f}; latent_dim {cfg.latent_dim})")


def real_digits(kit: ProjectionKit, targets: Tensor, baseline_steps: int) -> dict[str, Measured]:
    """Held-out digits: every method and the StyleGAN2-style baseline, with auto's ratios."""
    g, evaluator = kit.model.generator, kit.evaluator
    n = len(targets)
    conditional = bool(g.cfg.num_classes)
    labels_note = (
        "labels: the evaluator's prediction on each digit, chosen by `project` (the baseline "
        "gets the same)"
        if conditional
        else "unconditional"
    )
    print(f"\n#### Real digits: {n} of the held-out split, class by class ({labels_note})\n")
    rows: dict[str, Measured] = {m: _project(kit, targets, None, m) for m in _methods(kit)}
    y = projection_labels(g, evaluator, targets, None)
    rows["baseline"] = _timed(
        g,
        f"StyleGAN2 projector ({baseline_steps} steps, mean latent)",
        lambda: mean_latent_baseline(
            g, evaluator, targets, y, steps=baseline_steps, seed=PROJECTION_SEED
        ),
    )
    print(
        "| method | pixel MSE | feature dist. | same class | ‖z‖ / √d | steps (mean) "
        "| G rows / image | ms / image | CPU ms / image |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for m in rows.values():
        found = m.projection
        print(
            f"| {m.label} | {found.pixel_distance.mean():.4f} | "
            f"{found.feature_distance.mean():.4f} | "
            f"{same_class_share(evaluator, targets, found):.0%} | {_radius(found):.2f} | "
            f"{found.steps.mean():.1f} | {_per_image_ms(m)} |"
        )
    base = rows["baseline"].projection
    print()
    for method in ("auto", "optimize"):
        found = rows[method].projection
        steps = found.steps.mean()
        print(
            f"- {method} against the baseline: steps **{steps / base.steps.mean():.3f}×**"
            f" ({steps:.1f} / {base.steps.mean():.0f}), pixel MSE "
            f"**{found.pixel_distance.mean() / base.pixel_distance.mean():.2f}×**, feature "
            f"distance **{found.feature_distance.mean() / base.feature_distance.mean():.2f}×**, "
            f"G rows **{rows[method].g_rows / rows['baseline'].g_rows:.3f}×**, "
            f"CPU time **{rows[method].cpu_seconds / rows['baseline'].cpu_seconds:.3f}×**"
        )
    auto = rows["auto"].projection
    wins = float((auto.pixel_distance <= base.pixel_distance).mean())
    wins_f = float((auto.feature_distance <= base.feature_distance).mean())
    print(
        f"- auto at or below the baseline, per digit: pixel MSE {wins:.0%}, feature distance "
        f"{wins_f:.0%} (defaults: auto {AUTO_STEPS} refinement steps, optimize at most "
        f"{OPTIMIZE_STEPS})"
    )
    return rows


def _radius(found: Projection) -> float:
    """The mean ‖z‖ / √d of the latents found (a prior latent's is 1 ± 1/√(2d))."""
    d = found.latents.shape[1]
    return float((np.linalg.norm(found.latents, axis=1) / np.sqrt(d)).mean())


def _first(m: Measured, n: int, label: str) -> Measured:
    """The first n images of a measured batch (each image's projection is the one it gets
    alone: batch invariance), with its costs scaled to them."""
    p, share = m.projection, n / len(m.projection)
    part = Projection(
        latents=p.latents[:n],
        labels=None if p.labels is None else p.labels[:n],
        images=p.images[:n],
        pixel_distance=p.pixel_distance[:n],
        feature_distance=p.feature_distance[:n],
        steps=p.steps[:n],
    )
    return Measured(label, part, m.seconds * share, m.cpu_seconds * share, round(m.g_rows * share))


def what_closes_the_gap(
    kit: ProjectionKit, targets: Tensor, rows: dict[str, Measured], n: int
) -> None:
    """Variants of auto (``optimize_latents`` from the encoder's guess, with other parameters)
    and the baseline at fewer steps, on the first n digits of the real-digit table."""
    if kit.encoder is None or n <= 0:
        return
    g, evaluator = kit.model.generator, kit.evaluator
    x = targets[:n]
    y = projection_labels(g, evaluator, x, None)
    guess = encode(kit.encoder, x)

    def auto(steps: int, starts: int, prior: float, lr: float = 0.05) -> Measured:
        seeded = f"guess + {starts - 1} seeded starts" if starts > 1 else "guess only"
        label = f"{seeded}, {steps} steps, prior {prior:g}" + (f", lr {lr:g}" if lr != 0.05 else "")
        return _timed(
            g,
            label,
            lambda: optimize_latents(
                g,
                evaluator,
                x,
                y,
                init=guess,
                steps=steps,
                starts=starts,
                prior_weight=prior,
                lr=lr,
                seed=PROJECTION_SEED,
            ),
        )

    def baseline(steps: int) -> Measured:
        return _timed(
            g,
            f"baseline, {steps} steps",
            lambda: mean_latent_baseline(g, evaluator, x, y, steps=steps, seed=PROJECTION_SEED),
        )

    w = DEFAULT_PRIOR_WEIGHT
    starts = f"{AUTO_STARTS} start" + ("s" if AUTO_STARTS != 1 else "")
    current = f"{AUTO_STEPS} steps, {starts}, prior {AUTO_PRIOR_WEIGHT:g}"
    variants = [
        _first(rows["auto"], n, f"**auto as `project` runs it** ({current})"),
        auto(20, 8, w),  # the first recipe: In-Domain GAN Inversion's guess among seeded starts
        auto(20, 1, w),
        auto(20, 8, 0.0),
        auto(20, 1, 0.0),
        auto(100, 8, w),
        auto(100, 1, w),
        auto(100, 8, 0.0),
        auto(100, 1, 0.0),
        auto(100, 1, 0.0, lr=0.1),
        auto(200, 1, 0.0),
        baseline(20),
        baseline(100),
        baseline(200),
        _first(rows["baseline"], n, f"baseline, {rows['baseline'].projection.steps.max()} steps"),
    ]
    base = variants[-1].projection
    print(f"\n#### What closes the gap: the first {n} of those digits\n")
    print(
        "| variant | pixel MSE | × baseline | feature dist. | × baseline | ‖z‖ / √d "
        "| steps (mean) | G rows / image | ms / image | CPU ms / image |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for m in variants:
        found = m.projection
        pixel, feature = found.pixel_distance.mean(), found.feature_distance.mean()
        print(
            f"| {m.label} | {pixel:.4f} | {pixel / base.pixel_distance.mean():.2f} | "
            f"{feature:.4f} | {feature / base.feature_distance.mean():.2f} | "
            f"{_radius(found):.2f} | {found.steps.mean():.1f} | {_per_image_ms(m)} |"
        )


@dataclass
class MaskResult:
    """The completions of every digit under one mask."""

    name: str
    masked: np.ndarray  # N×H×W×C uint8, unknown pixels black
    completions: list[Completion]


def completion(
    kit: ProjectionKit, originals: Tensor, true_labels: np.ndarray, steps: int
) -> list[MaskResult]:
    """Complete held-out digits under each mask: the evaluator's accuracy on the best fill."""
    g, evaluator = kit.model.generator, kit.evaluator
    cfg = g.cfg
    n = len(originals)
    conditional = bool(cfg.num_classes)
    notes = [f"k = {K}, {steps} steps, 16 starts", "accuracy against the data set's labels"]
    notes.append(
        "the encoder's guess of the masked input as a start" if kit.encoder else "no encoder"
    )
    notes.append("the discriminator as prior" if kit.discriminator else "no discriminator")
    if conditional:
        notes.append("label: the evaluator's prediction on the masked input")
    print(f"\n#### Completion: {n} held-out digits, class by class ({'; '.join(notes)})\n")
    print(
        "| mask | accuracy: original | masked input | best completion | any of k | "
        "hole MSE: masked | best completion | G rows / image | ms / image | CPU ms / image |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    original_acc = float((_predict(evaluator, originals) == true_labels).mean())
    results = []
    for name in MASK_NAMES:
        known = preset_mask(name, cfg.image_size)
        hole = torch.from_numpy(~known)
        masked = torch.where(hole, torch.tensor(-1.0), originals)
        masked_pred = _predict(evaluator, masked)
        guesses = None if kit.encoder is None else encode(kit.encoder, masked)
        done = []
        with _counting(g) as g_rows:
            start, cpu = time.perf_counter(), time.process_time()
            for i in range(n):
                done.append(
                    complete(
                        g,
                        masked[i : i + 1],
                        known,
                        k=K,
                        steps=steps,
                        discriminator=kit.discriminator,
                        init=None if guesses is None else guesses[i : i + 1],
                        label=int(masked_pred[i]) if conditional else None,
                        seed=PROJECTION_SEED,
                    )
                )
            seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
        filled = _images_tensor(np.concatenate([c.images for c in done]))  # (n·k)×C×H×W
        preds = _predict(evaluator, filled).reshape(n, K)
        best_acc = float((preds[:, 0] == true_labels).mean())
        any_acc = float((preds == true_labels[:, None]).any(axis=1).mean())
        best = filled.reshape(n, K, *filled.shape[1:])[:, 0]

        def hole_mse(images: Tensor, hole: Tensor = hole) -> float:
            return float((images - originals).square()[..., hole].mean())

        masked_acc = float((masked_pred == true_labels).mean())
        print(
            f"| {name} | {original_acc:.0%} | {masked_acc:.0%} | {best_acc:.0%} | "
            f"{any_acc:.0%} | {hole_mse(masked):.3f} | {hole_mse(best):.3f} | "
            f"{g_rows[0] / n:.0f} | {1000 * seconds / n:.0f} | {1000 * cpu_seconds / n:.0f} |"
        )
        results.append(MaskResult(name, to_uint8(masked), done))
    return results


def encoder_share(kit: ProjectionKit) -> None:
    training = kit.model.manifest.training
    if "encoder_s" not in training:
        print("\nNo encoder_s in the manifest: no encoder was trained at registration.")
        return
    share = training["encoder_s"] / max(training["wall_s"], 1e-9)
    print(
        f"\nEncoder at registration: {training['encoder_s']:.1f} s beside "
        f"{training['wall_s']:.0f} s of training ({share:.1%})."
    )


def write_figures(
    name: str,
    originals: Tensor,
    auto: Projection,
    masks: list[MaskResult],
    originals_c: Tensor,
    folder: Path,
) -> None:
    """The README's pictures, 3× larger with the pixels kept (as ``benchmarks.directions``)."""
    folder.mkdir(parents=True, exist_ok=True)
    shown = to_uint8(originals[:FIGURE_DIGITS])
    picture = grid(np.concatenate([shown, auto.images[:FIGURE_DIGITS]]), columns=len(shown))
    path = folder / f"projection-{name}.png"
    save_png(picture.repeat(3, axis=0).repeat(3, axis=1), path)
    print(f"wrote {path}")
    rows = []
    whole = to_uint8(originals_c)
    for result in masks:
        for i in range(min(FIGURE_ROWS, len(result.completions))):
            rows += [result.masked[i], *result.completions[i].images, whole[i]]
    picture = grid(np.stack(rows), columns=K + 2)
    path = folder / f"completion-{name}.png"
    save_png(picture.repeat(3, axis=0).repeat(3, axis=1), path)
    print(f"wrote {path}")


def class_by_class(labels: np.ndarray) -> np.ndarray:
    """The held-out split's indices taken a class at a time in turn (the first digit of each
    class, then the second of each, ...): the split keeps the data set's order, which for
    mnist5k is sorted by class, so its first 64 digits would all be zeros."""
    members = [list(np.flatnonzero(labels == c)) for c in np.unique(labels)]
    width = max(len(m) for m in members)
    return np.array([m[i] for i in range(width) for m in members if i < len(m)], dtype=np.int64)


def warm_up(kit: ProjectionKit, targets: Tensor) -> None:
    """One untimed short projection and completion, so that no timed row pays for first calls."""
    g = kit.model.generator
    project(g, kit.evaluator, targets[:2], method="auto", steps=2, encoder=kit.encoder)
    label = 0 if g.cfg.num_classes else None
    known = preset_mask("center", g.cfg.image_size)
    complete(g, targets[:1], known, steps=2, discriminator=kit.discriminator, label=label)
    mean_latent_baseline(
        g,
        kit.evaluator,
        targets[:2],
        projection_labels(g, kit.evaluator, targets[:2], None),
        steps=2,
    )


def report(
    store: ArtifactStore,
    ref: str,
    n: int,
    n_complete: int,
    n_ablation: int,
    baseline_steps: int,
    complete_steps: int,
    figures: Path | None,
) -> None:
    """The tables for one model."""
    began = time.perf_counter()
    kit = projection_kit(store, ref)
    manifest = kit.model.manifest
    g = kit.model.generator
    kind = "conditional" if g.cfg.num_classes else "unconditional"
    parts = [
        "encoder" if kit.encoder else "no encoder",
        "discriminator" if kit.discriminator else "no discriminator",
    ]
    print(f"\n### {manifest.ref} ({kind}; {', '.join(parts)})")
    _, held = split_dataset(training_data(store, manifest))  # the encoder trained on the other
    assert held.labels is not None
    order = class_by_class(held.labels.numpy())
    targets = as_model_input(held.images[order[:n]])
    warm_up(kit, targets)
    recovery(kit, n)
    rows = real_digits(kit, targets, baseline_steps)
    what_closes_the_gap(kit, targets, rows, n_ablation)
    originals_c = as_model_input(held.images[order[:n_complete]])
    true_c = held.labels[order[:n_complete]].numpy()
    masks = completion(kit, originals_c, true_c, complete_steps)
    encoder_share(kit)
    if figures is not None:
        write_figures(manifest.name, targets, rows["auto"].projection, masks, originals_c, figures)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\n({manifest.ref} in {time.perf_counter() - began:.0f} s; {len(held)} held out; "
        f"load average at the end {load} on {os.cpu_count()} CPUs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="the store (default: LATENTGAN_DATA_DIR)")
    parser.add_argument("--models", nargs="+", default=["mnist5k", "mnist5k-cond"])
    parser.add_argument("--images", type=int, default=64, help="images projected per table")
    parser.add_argument("--complete-images", type=int, default=32, help="digits completed")
    parser.add_argument(
        "--ablation-images", type=int, default=16, help="digits of the variants' table (0: none)"
    )
    parser.add_argument("--baseline-steps", type=int, default=1000)
    parser.add_argument("--complete-steps", type=int, default=200)
    parser.add_argument("--figures", type=Path, help="also write the pictures here")
    args = parser.parse_args()
    settings = Settings()
    store = ArtifactStore(args.data_dir or settings.data_dir, settings.offline)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, CPU")
    began = time.perf_counter()
    for ref in args.models:
        report(
            store,
            ref,
            args.images,
            args.complete_images,
            args.ablation_images,
            args.baseline_steps,
            args.complete_steps,
            args.figures,
        )
    print(f"\n(all in {time.perf_counter() - began:.0f} s)")


if __name__ == "__main__":
    main()
