"""Perceptual path length (PPL; Karras et al. 2019, "A Style-Based Generator Architecture ...").

PPL measures how smooth a generator's latent space is: how much the image changes, perceptually,
when the latent moves a very short way along an interpolation path. A space where equal steps give
equal, small changes scores low; one with sudden jumps (where an image flips from one digit to
another, or picks up artifacts on the way) scores high. Lower is smoother.

The recipe, per pair ``i`` of ``n``:

1. ``z0``, ``z1`` are the seeded latents of indices ``2i`` and ``2i + 1`` of ``PPL_SEED``
   (decision 3 of docs/architecture.md: the same on every machine), and ``t ~ U(0, 1)`` comes from
   ``numpy.random.default_rng(seed)``. A conditional generator gets label ``i mod K`` at both ends
   (``latentgan.latent.cycle_labels``): the path runs through z only.
2. ``za = slerp(z0, z1, t)`` and ``zb = slerp(z0, z1, t + eps)``, with the spherical interpolation
   of ``latentgan.latent.slerp`` (here batched). Unlike StyleGAN's, it does not project onto the
   unit sphere: StyleGAN's mapping network normalises z, this generator sees z as it is.
3. ``d_i = perceptual_distance(G(za), G(zb)) / eps**2``.

PPL is the mean of the ``d_i`` between their 1st and 99th percentiles (inclusive), which drops the
rare pairs whose step crosses a discontinuity and would otherwise dominate the mean.

The choices, as in StyleGAN's own metric where it applies:

- **z space, full paths** — t anywhere on the path, not only at its ends; this DCGAN family has no
  intermediate W space.
- **eps = 1e-4** — small enough to measure the local derivative, large enough for float32: the
  images are computed in float32 with TF32 turned off, because at this eps TF32's 10-bit mantissa
  would drown the difference between the two images in rounding.
- **percentile filter** — 1st and 99th, the kept values ``lo <= d <= hi`` (numpy's ``lower`` and
  ``higher`` percentiles, so both bounds are observed values).
- **the evaluator stands in for VGG-16** — as it stands in for Inception in the Fréchet distance
  (decision 6): no weights come from the internet. The distance is the "baseline" LPIPS (Zhang
  et al. 2018, no learned layer weights) on the evaluator's three conv blocks; see
  :func:`perceptual_distance` and ``latentgan.projection.losses.feature_distance``.

Because the distance is measured in the evaluator's feature space, a PPL is only comparable between
models scored by the same evaluator (the same data set and evaluator version): another evaluator
has other features, other scales per layer, and gives other numbers for the same generator. It is
not comparable with the PPL numbers of StyleGAN papers either.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import numpy as np
import torch
from torch import Tensor

from latentgan.evaluator import Evaluator
from latentgan.latent import cycle_labels, seeded_latents
from latentgan.models import Generator
from latentgan.projection.losses import feature_distance

PPL_SEED = 2**32 + 29  # PPL's latents and t: fixed, apart from users' seeds and EVAL_SEED
DEFAULT_PPL_SAMPLES = 2000
DEFAULT_EPSILON = 1e-4
BATCH_SIZE = 250  # pairs per forward pass (each pass generates 2× this many images)


@torch.no_grad()
def perceptual_distance(evaluator: Evaluator, a: Tensor, b: Tensor) -> np.ndarray:
    """The baseline-LPIPS distance of each pair (a[i], b[i]) of N×C×H×W images in [-1, 1]: (N,).

    ``latentgan.projection.losses.feature_distance`` (the recipe's one home: unit-normalised
    channels of the evaluator's three conv blocks, squared difference, spatial mean, summed over
    channels and layers) without gradients, as float64 numpy: 0 for identical images,
    symmetric, and at most 4 per layer.
    """
    result: np.ndarray = feature_distance(evaluator, a, b).cpu().numpy()
    return result


def batched_slerp(a: Tensor, b: Tensor, t: Tensor) -> Tensor:
    """Row-wise :func:`latentgan.latent.slerp`: row i of the result is slerp(a[i], b[i], t[i]).

    a, b: N×D; t: (N,). Computed in float64 and returned in a's dtype; rows whose ends are
    (anti)parallel fall back to straight-line interpolation, as ``slerp`` does.
    """
    a64, b64, t64 = a.double(), b.double(), t.double().unsqueeze(-1)
    norms = (a64.norm(dim=1) * b64.norm(dim=1)).clamp_min(1e-12)
    cos = (a64 * b64).sum(dim=1) / norms
    omega = torch.arccos(cos.clamp(-1.0, 1.0)).unsqueeze(-1)
    degenerate = (omega.abs() < 1e-6) | ((torch.pi - omega).abs() < 1e-6)
    s = torch.where(degenerate, torch.ones_like(omega), torch.sin(omega))
    spherical = (torch.sin((1 - t64) * omega) / s) * a64 + (torch.sin(t64 * omega) / s) * b64
    straight = a64 * (1 - t64) + b64 * t64
    return torch.where(degenerate, straight, spherical).to(a.dtype)


def path_lengths(
    g: Generator,
    evaluator: Evaluator,
    n: int = DEFAULT_PPL_SAMPLES,
    epsilon: float = DEFAULT_EPSILON,
    seed: int = PPL_SEED,
) -> np.ndarray:
    """The n unfiltered per-pair values ``d_i`` of the module's recipe, (n,) float64."""
    if n < 1:
        raise ValueError(f"PPL needs at least one pair, got n={n}")
    if not epsilon > 0:
        raise ValueError(f"epsilon must be > 0, got {epsilon}")
    was_training = g.training
    g.eval()
    device = next(g.parameters()).device
    dim, k = g.cfg.latent_dim, g.cfg.num_classes
    ends = seeded_latents(seed, 2 * n, dim)
    z0, z1 = ends[0::2], ends[1::2]
    t = torch.from_numpy(np.random.default_rng(seed).random(n))
    labels = cycle_labels(n, k) if k else None
    out = []
    try:
        with torch.no_grad(), _full_float32():
            for start in range(0, n, BATCH_SIZE):
                rows = slice(start, start + BATCH_SIZE)
                za = batched_slerp(z0[rows], z1[rows], t[rows])
                zb = batched_slerp(z0[rows], z1[rows], t[rows] + epsilon)
                y = None if labels is None else labels[rows].repeat(2).to(device)
                images = g(torch.cat([za, zb]).to(device), y).float()  # one pass for both ends
                half = len(za)
                out.append(perceptual_distance(evaluator, images[:half], images[half:]))
    finally:
        g.train(was_training)
    return np.concatenate(out) / epsilon**2


def perceptual_path_length(
    g: Generator,
    evaluator: Evaluator,
    n: int = DEFAULT_PPL_SAMPLES,
    epsilon: float = DEFAULT_EPSILON,
    seed: int = PPL_SEED,
) -> float:
    """z-space PPL of g over n full-path pairs, in the evaluator's feature space (lower: smoother).

    Deterministic for a given seed (and machine, up to float32 rounding); see the module's recipe.
    """
    return filtered_mean(path_lengths(g, evaluator, n, epsilon, seed))


def filtered_mean(values: np.ndarray) -> float:
    """The mean of the values between their 1st and 99th percentiles, both kept."""
    lo = np.percentile(values, 1, method="lower")
    hi = np.percentile(values, 99, method="higher")
    return float(values[(values >= lo) & (values <= hi)].mean())


@contextlib.contextmanager
def _full_float32() -> Iterator[None]:
    """TF32 off while PPL runs (eps-sized differences need float32's mantissa); then as it was."""
    matmul, cudnn = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    try:
        yield
    finally:
        torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = matmul, cudnn
