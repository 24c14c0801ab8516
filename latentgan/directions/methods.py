"""The ways to find directions in a generator's latent space: each returns unit vectors in z.

- ``sefa`` — closed-form factorization (Shen & Zhou 2021, genforce/sefa): the directions that
  change the first layer's output most are the top eigenvectors of AᵀA, where A is the first
  layer's weight over the z inputs. Here A is the z columns of ``Generator.project``'s Linear
  (a conditional generator's label-embedding columns are left out: they are not in z) with the
  eval-mode BatchNorm after it folded in — row i scaled by γᵢ/√(running varᵢ + ε), since that is
  the linear map z actually goes through before the first ReLU. The value of each direction is
  its eigenvalue's share of the sum of all eigenvalues.
- ``pca`` — GANSpace (Härkönen et al. 2020, harskish/ganspace), for a generator with no style
  mapping: PCA of the first block's activations (``Generator.project``'s output, after its ReLU)
  over many seeded latents, then each principal component is carried back to z by least squares
  (z ≈ X·U for the samples' PCA coordinates X; row i of U is direction i), as GANSpace does for
  BigGAN. The value is the component's share of the activations' variance.
- ``boundary`` — InterFaceGAN (Shen et al. 2020, genforce/interfacegan): a linear SVM separating
  the latents whose images score highest on an attribute from those that score lowest; the
  boundary's unit normal points towards higher scores. The value is the SVM's accuracy on the
  latents held out from its fit.
- ``random_directions`` — seeded random unit vectors: the baseline every score is compared with.
- ``orthogonalize`` — conditional manipulation (InterFaceGAN's ``project_boundary``): remove from
  a direction its components along others, e.g. thickness with the class held.

Eigenvectors, principal components and SVM normals are defined up to sign; every direction is
signed so that its largest-magnitude entry is positive (``sefa``, ``pca``) or so that it increases
the attribute (``boundary``), which makes the results the same on every machine.
"""

from __future__ import annotations

import numpy as np
import torch
from sklearn.decomposition import PCA
from sklearn.svm import LinearSVC

from latentgan.errors import ConfigError
from latentgan.latent import cycle_labels, seeded_latents
from latentgan.models import Generator

Floats = np.ndarray
BOUNDARY_SHARE = 0.3  # InterFaceGAN's extremes: the top and bottom 30% of the samples
HELD_OUT_SHARE = 0.3  # of those, kept out of the SVM's fit to measure its accuracy


def _unit_rows(vectors: Floats) -> Floats:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    if np.any(norms < 1e-12):
        raise ConfigError("a direction came out as the zero vector", field="method")
    out: Floats = (vectors / norms).astype(np.float32)
    return out


def _sign_fixed(vectors: Floats) -> Floats:
    """Each row flipped so that its largest-magnitude entry is positive."""
    rows = np.arange(len(vectors))
    signs = np.sign(vectors[rows, np.abs(vectors).argmax(axis=1)])
    out: Floats = vectors * np.where(signs == 0, 1.0, signs)[:, None]
    return out


def first_layer_z_weight(g: Generator) -> Floats:
    """The linear map from z to the first layer's pre-activation (out × latent_dim, float64),
    with the eval-mode BatchNorm folded in (see the module's docstring)."""
    linear, norm = g.project[0], g.project[1]
    assert isinstance(linear, torch.nn.Linear) and isinstance(norm, torch.nn.BatchNorm1d)
    weight = linear.weight.detach().double().cpu()[:, : g.cfg.latent_dim]
    assert norm.running_var is not None
    scale = norm.weight.detach().double().cpu() / torch.sqrt(
        norm.running_var.detach().double().cpu() + norm.eps
    )
    out: Floats = (weight * scale[:, None]).numpy()
    return out


def sefa(g: Generator, k: int) -> tuple[Floats, Floats]:
    """The top-k SeFa directions (k × latent_dim) and each one's share of all eigenvalues."""
    a = first_layer_z_weight(g)
    values, vectors = np.linalg.eigh(a.T @ a)  # ascending
    order = np.argsort(values)[::-1][:k]
    values = np.clip(values, 0.0, None)
    shares = values[order] / max(values.sum(), 1e-300)
    return _unit_rows(_sign_fixed(vectors[:, order].T)), shares


@torch.inference_mode()
def first_block_activations(g: Generator, z: torch.Tensor, batch_size: int = 500) -> Floats:
    """``Generator.project``'s output (N × features, float32) for latents z, labels cycling."""
    g.eval()
    device = next(g.parameters()).device
    labels = cycle_labels(len(z), g.cfg.num_classes) if g.cfg.num_classes else None
    out = []
    for start in range(0, len(z), batch_size):
        zb = z[start : start + batch_size].to(device)
        if labels is not None:
            emb = g.class_embedding(labels[start : start + batch_size].to(device))
            zb = torch.cat([zb, emb.to(zb.dtype)], dim=1)
        out.append(g.project(zb).float().cpu().numpy())
    return np.concatenate(out)


def pca(g: Generator, k: int, samples: int, seed: int) -> tuple[Floats, Floats]:
    """The top-k GANSpace directions (k × latent_dim) and each component's variance share."""
    z = seeded_latents(seed, samples, g.cfg.latent_dim)
    activations = first_block_activations(g, z)
    k = min(k, samples - 1, activations.shape[1])
    fit = PCA(n_components=k, svd_solver="randomized", random_state=seed % 2**32)
    coordinates = fit.fit_transform(activations)  # samples × k
    u, *_ = np.linalg.lstsq(coordinates.astype(np.float64), z.double().numpy(), rcond=None)
    return _unit_rows(_sign_fixed(u)), np.asarray(fit.explained_variance_ratio_, np.float64)


def boundary(latents: Floats, scores: Floats, seed: int) -> tuple[Floats, float]:
    """InterFaceGAN's boundary for an attribute: (unit normal in z, held-out accuracy).

    ``latents`` (N × d) and ``scores`` (N,, NaN for an image the attribute is undefined on).
    """
    keep = np.isfinite(scores)
    z, s = latents[keep], scores[keep]
    m = int(len(s) * BOUNDARY_SHARE)
    if m < 10:
        raise ConfigError(
            f"only {len(s)} samples have this attribute: too few for a boundary", field="samples"
        )
    order = np.argsort(s, kind="stable")
    x = np.concatenate([z[order[-m:]], z[order[:m]]])
    y = np.concatenate([np.ones(m), np.zeros(m)])
    shuffle = np.random.default_rng(seed).permutation(len(y))
    x, y = x[shuffle], y[shuffle]
    held = int(len(y) * HELD_OUT_SHARE)
    svm = LinearSVC(C=1.0, dual="auto", random_state=seed % 2**32, max_iter=10_000)
    svm.fit(x[held:], y[held:])
    accuracy = float(svm.score(x[:held], y[:held])) if held else float("nan")
    return _unit_rows(svm.coef_.astype(np.float64))[0], accuracy


def random_directions(dim: int, k: int, seed: int) -> Floats:
    """k seeded random unit vectors in z (k × dim): isotropic, like the prior."""
    return _unit_rows(np.random.default_rng(seed).standard_normal((k, dim)))


def orthogonalize(vectors: Floats, others: Floats) -> Floats:
    """Each row of ``vectors`` with its components along the span of ``others`` removed, unit
    length again (InterFaceGAN's conditional manipulation)."""
    if len(others) == 0:
        return vectors
    basis, _ = np.linalg.qr(np.asarray(others, np.float64).T)  # d × m, orthonormal columns
    rest = np.asarray(vectors, np.float64)
    rest = rest - (rest @ basis) @ basis.T
    return _unit_rows(rest)
