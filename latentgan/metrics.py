"""Quality and mode-collapse metrics on evaluator features and predictions (pure numpy).

- Fréchet distance (Heusel et al. 2017) between Gaussians fitted to two feature sets: FID's formula,
  on the data set's own evaluator instead of Inception (docs/architecture.md, decision 6).
- Class coverage and KL(generated class histogram || class prior): the mode-collapse check.
- Conditional accuracy: the share of images the evaluator assigns to the class they were asked for.
- k-NN precision and recall (Kynkäänniemi et al. 2019): how much of the generated set falls in the
  real manifold, and how much of the real manifold the generated set reaches.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.floating]
Ints = npt.NDArray[np.integer]
COVERAGE_FRACTION = 0.1  # a class counts as covered at >= 10% of its prior share


def frechet_distance(a: Floats, b: Floats) -> float:
    """||mu_a - mu_b||^2 + Tr(S_a + S_b - 2 (S_a S_b)^1/2) for feature rows a and b."""
    a64, b64 = np.asarray(a, np.float64), np.asarray(b, np.float64)
    mu_a, mu_b = a64.mean(0), b64.mean(0)
    cov_a, cov_b = np.cov(a64, rowvar=False), np.cov(b64, rowvar=False)
    # Tr((S_a S_b)^1/2) = sum of sqrt(eigenvalues of S_a^1/2 S_b S_a^1/2), a symmetric PSD matrix.
    root_a = _psd_sqrt(cov_a)
    middle = root_a @ cov_b @ root_a
    trace_root = np.sqrt(np.clip(np.linalg.eigvalsh((middle + middle.T) / 2), 0, None)).sum()
    diff = mu_a - mu_b
    return float(diff @ diff + np.trace(cov_a) + np.trace(cov_b) - 2 * trace_root)


def _psd_sqrt(matrix: Floats) -> Floats:
    values, vectors = np.linalg.eigh((matrix + matrix.T) / 2)
    root: Floats = (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T
    return root


def class_histogram(predictions: Ints, num_classes: int) -> Floats:
    """The share of predictions in each class (sums to 1)."""
    counts = np.bincount(np.asarray(predictions), minlength=num_classes)[:num_classes]
    hist: Floats = counts / max(1, counts.sum())
    return hist


def classes_covered(histogram: Floats, prior: Floats) -> int:
    """Classes whose generated share reaches COVERAGE_FRACTION of their prior share."""
    return int(np.sum((prior > 0) & (histogram >= COVERAGE_FRACTION * prior)))


def kl_divergence(p: Floats, q: Floats, eps: float = 1e-6) -> float:
    """KL(p || q) in nats, with ``eps`` smoothing so that an empty class costs a finite amount."""
    p_s = (np.asarray(p, np.float64) + eps) / (1 + eps * len(p))
    q_s = (np.asarray(q, np.float64) + eps) / (1 + eps * len(q))
    return float(np.sum(p_s * np.log(p_s / q_s)))


def conditional_accuracy(predictions: Ints, requested: Ints) -> float:
    """Share of images classified as the class they were generated for."""
    return float(np.mean(np.asarray(predictions) == np.asarray(requested)))


def precision_recall(real: Floats, fake: Floats, k: int = 3) -> tuple[float, float]:
    """k-NN precision (fakes inside the real manifold) and recall (reals inside the fake one)."""
    real64, fake64 = np.asarray(real, np.float64), np.asarray(fake, np.float64)
    if min(len(real64), len(fake64)) <= k:
        raise ValueError(f"precision/recall with k={k} needs more than {k} points in each set")
    return _coverage_of(real64, fake64, k), _coverage_of(fake64, real64, k)


def _coverage_of(manifold: Floats, queries: Floats, k: int) -> float:
    """Share of queries within the k-th-neighbour radius of at least one manifold point."""
    radii = np.sort(_distances(manifold, manifold), axis=1)[:, k]  # column 0 is the point itself
    inside = _distances(queries, manifold) <= radii[None, :]
    return float(np.mean(inside.any(axis=1)))


def _distances(a: Floats, b: Floats) -> Floats:
    sq = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2 * a @ b.T
    dist: Floats = np.sqrt(np.clip(sq, 0, None))
    return dist
