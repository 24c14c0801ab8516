"""Distances between images that an optimiser can follow: pixels, the evaluator's features, and a
prior on latents.

- :func:`pixel_distance` — the mean squared error per image, in the generator's [-1, 1] units.
- :func:`feature_distance` — the "baseline" LPIPS (Zhang et al. 2018: no learned layer weights)
  on the data set's evaluator, which stands in for VGG-16 as it stands in for Inception
  (docs/architecture.md, decision 6). This is the one home of the recipe: the perceptual path
  length (``latentgan.ppl.perceptual_distance``) is this distance without gradients.
- :func:`latent_prior` — how far a latent's squared norm is outside where N(0, I) puts its mass.

Every function is per image: row i of the result depends on row i of the inputs only, so a sum
of them over a batch has, for each image, the gradient that image would get alone. The
evaluator's passes are padded to ``generate.MIN_ROWS`` rows for the same reason as the
generator's (decision 3): CPU kernels take another code path below it.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

from latentgan.evaluator import Evaluator
from latentgan.generate import MIN_ROWS

_NORM_EPS = 1e-10
PRIOR_BAND = 2.0  # latent_prior's free band, in standard deviations of ||z||²


def pixel_distance(a: Tensor, b: Tensor) -> Tensor:
    """The mean squared error of each pair (a[i], b[i]) of N×C×H×W images in [-1, 1]: (N,).

    Differentiable in both; in the inputs' dtype. Identical images give 0, black against white 4.
    """
    _same_shape(a, b)
    return (a - b).square().flatten(1).mean(dim=1)


def feature_distance(evaluator: Evaluator, a: Tensor, b: Tensor) -> Tensor:
    """The baseline-LPIPS distance of each pair (a[i], b[i]) of N×C×H×W images in [-1, 1]: (N,).

    With ``f_l`` the evaluator's feature map after conv block ``l`` (``Evaluator.feature_maps``)
    and ``u_l = f_l / (||f_l||_c + 1e-10)`` its unit-normalised form (the L2 norm taken over the
    channels at each position)::

        d(a, b) = sum_l sum_c mean_hw (u_l(a)[c, h, w] - u_l(b)[c, h, w])**2

    A float64 tensor on the evaluator's device, differentiable with respect to a and b (the
    evaluator's weights are frozen); 0 for identical images, symmetric, and at most 4 per layer
    (two unit vectors are at most 2 apart). Both sides go through one evaluator pass, so they
    are computed alike.
    """
    _same_shape(a, b)
    maps = unit_feature_maps(evaluator, torch.cat([a, b]))
    n = len(a)
    return unit_map_distance([u[:n] for u in maps], [u[n:] for u in maps])


def unit_feature_maps(evaluator: Evaluator, images: Tensor) -> list[Tensor]:
    """The unit-normalised feature maps ``u_l`` of :func:`feature_distance` (float32, on the
    evaluator's device), differentiable; computed once for a fixed target, then compared with
    :func:`unit_map_distance` at every step."""
    n = len(images)
    if n < MIN_ROWS:
        images = torch.cat([images, images.new_zeros((MIN_ROWS - n, *images.shape[1:]))])
    maps = evaluator.differentiable_feature_maps(images)
    return [(f / (f.norm(dim=1, keepdim=True) + _NORM_EPS))[:n] for f in maps]


def unit_map_distance(a: list[Tensor], b: list[Tensor]) -> Tensor:
    """:func:`feature_distance` between two images' unit feature maps: (N,) float64."""
    total = torch.zeros(len(a[0]), dtype=torch.float64, device=a[0].device)
    for u, v in zip(a, b, strict=True):
        total = total + (u - v).double().square().mean(dim=(2, 3)).sum(dim=1)
    return total


def latent_prior(z: Tensor, band: float = PRIOR_BAND) -> Tensor:
    """How far each row of z (N×d) is outside the shell where N(0, I) has its mass: (N,).

    With ``s = (||z||² - d) / sqrt(2d)`` the squared norm in standard deviations of its
    chi-square distribution (a prior latent has ``||z||² / d = 1 ± sqrt(2 / d)``), the term is
    ``max(0, |s| - band)²``: zero for the 95 % of prior latents within ``band = 2`` standard
    deviations, quadratic outside.

    Why this form: almost all of a high-dimensional Gaussian's mass lies on a thin shell, not at
    its mode, and the generator was trained on latents from that shell; a latent pulled far
    inside it (towards the mean image) or far outside (where G extrapolates) leaves the domain G
    knows. The Gaussian's negative log-density, ``||z||² / 2``, would pull every latent towards
    the origin; the plain ``(||z||² / d - 1)²`` pulls every latent to the shell's middle, a bias
    that grows as d shrinks (measured on a 16-d model: it moved recovered latents 0.55 away
    from the true one, against 0.06 without a prior) and a scale that changes with d. Measuring
    in standard deviations makes one weight mean the same for any latent_dim, and the band
    leaves latents the prior could have drawn untouched: only drifting off the shell costs.
    """
    d = z.shape[1]
    s = (z.square().sum(dim=1) - d) / math.sqrt(2 * d)
    return (s.abs() - band).clamp_min(0).square()


def _same_shape(a: Tensor, b: Tensor) -> None:
    if a.shape != b.shape:
        raise ValueError(f"image batches differ in shape: {tuple(a.shape)} and {tuple(b.shape)}")
