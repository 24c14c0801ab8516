"""Projection by optimisation: the latent whose image is closest to a target, found by Adam on z.

The recipe, per target image ``x`` (N×C×H×W in [-1, 1], at the model's shape):

1. **Starts.** ``starts`` candidate latents: the seeded latents ``(seed, 0) .. (seed, S - 1)``
   of ``latentgan.latent`` (the same on every machine, decision 3, and the same for every image
   of the call, so an image's candidates do not depend on its position), with ``S = starts``,
   or ``starts - 1`` and the caller's ``init`` (an encoder's guess, In-Domain GAN Inversion's
   recipe) as one more.
2. **Loss**, per image::

       loss(z) = pixel_distance(G(z), x) + feature_weight * feature_distance(G(z), x)
                 + prior_weight * latent_prior(z)

   pixel distance: mean squared error in [-1, 1] units; feature distance: the baseline LPIPS on
   the data set's evaluator (``projection.losses``); the prior term ``max(0, |s| - 2)²``, with
   s the squared norm of z in standard deviations of its chi-square distribution, is zero for
   the 95 % of prior latents and grows as z leaves the shell where N(0, I) has its mass
   (``losses.latent_prior`` says why this form, rather than the Gaussian's log-density, which
   pulls towards the mean image, or ``(||z||²/d - 1)²``, which biases every latent towards the
   shell's middle). Measured on a 16-d model and real digits that G cannot reproduce,
   300 steps without it let ``||z||²/d`` drift to 2 .. 17 (and fitted worse: saturated
   images); with the default weight 0.05 it stays at 1.7 (the band's edge is 1.71).
3. **Best of several starts.** All candidates take ``WARMUP_STEPS`` Adam steps together, then
   each image keeps the candidate with the lowest loss at that evaluation, with its Adam state,
   and drops the others. (Measured on a 16-d digits model, 16 generated targets, 100 steps:
   mean final loss 0.035 from one start, 0.020 from 8 chosen at their first evaluation, 0.019
   after 10 warm-up steps, 0.017 after 20; 10 is the compromise, since the warm-up costs
   ``starts`` times a step.) With fewer than ``WARMUP_STEPS`` steps the choice is made at the
   last evaluation; with ``steps=0`` at the first, and no step is taken.
4. **Adam** (β = 0.9, 0.999; constant ``lr``) on the kept latent, **early-stopped** per image:
   an image whose loss has not improved by a relative ``1e-3`` (fallen 0.1 % below the loss of
   its last improvement) for ``patience`` consecutive evaluations is frozen and no longer
   updated. Each image reports the Adam steps its latent took (warm-up included), and the
   **best latent seen**, not the last.

Batch invariance (decision 3): the loss is a sum of per-image losses and Adam is elementwise, so
each image's gradient and steps are those it would get alone; G and the evaluator run in eval
mode, every forward pass in fixed chunks of ``CHUNK`` rows padded to ``generate.MIN_ROWS``, so
an image's projection does not depend on what shared its batch. Deterministic for a seed. The
generator's weights get no gradients: only z is differentiated (``torch.autograd.grad``), with
G's parameters frozen for the call (and their flags and mode restored after).

:func:`mean_latent_baseline` is StyleGAN2's projector (Karras et al. 2020, ``projector.py`` of
stylegan2-ada-pytorch) on this z space, the baseline the recipe above is read against.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor, nn

from latentgan.errors import ConfigError
from latentgan.evaluator import Evaluator
from latentgan.generate import MIN_ROWS, render
from latentgan.latent import seeded_latents
from latentgan.models import Generator
from latentgan.projection.losses import (
    latent_prior,
    pixel_distance,
    unit_feature_maps,
    unit_map_distance,
)

DEFAULT_PRIOR_WEIGHT = 0.05
WARMUP_STEPS = 10  # steps every start takes before each image keeps its best one
RELATIVE_IMPROVEMENT = 1e-3  # what early stopping counts as progress
CHUNK = 256  # rows per forward pass
BETAS = (0.9, 0.999)
ADAM_EPS = 1e-8

# StyleGAN2's projector.py schedule, as fractions of the steps
BASELINE_LR = 0.1
BASELINE_NOISE = 0.05  # initial latent noise, times the prior's spread
BASELINE_RAMP_UP = 0.05
BASELINE_RAMP_DOWN = 0.25
BASELINE_NOISE_RAMP = 0.75


@dataclass(frozen=True)
class Projection:
    """The result of projecting N images; every array is over the N images, in order."""

    latents: np.ndarray  # N×latent_dim float32
    labels: np.ndarray | None  # N int64 (conditional models) or None
    images: np.ndarray  # N×H×W×C uint8 reconstructions (generate.render: batch-invariant)
    pixel_distance: np.ndarray  # N float64: G(z) (in float, as optimised) to the target, MSE
    feature_distance: np.ndarray  # N float64: the same pair's feature distance
    steps: np.ndarray  # N int64: the optimiser steps each image's latent took (0: none)

    def __len__(self) -> int:
        return len(self.latents)


def optimize_latents(
    g: Generator,
    evaluator: Evaluator,
    targets: Tensor,
    labels: Tensor | None = None,
    *,
    init: Tensor | np.ndarray | None = None,
    steps: int = 100,
    starts: int = 8,
    lr: float = 0.05,
    feature_weight: float = 1.0,
    prior_weight: float = DEFAULT_PRIOR_WEIGHT,
    patience: int = 20,
    seed: int = 0,
) -> Projection:
    """Latents reproducing ``targets`` by the module's recipe; ``labels`` (N) for a conditional
    G, ``init`` (N×latent_dim) one more start per image. ConfigError naming the field for
    inputs that do not fit the model or parameters out of range."""
    dim = g.cfg.latent_dim
    x = _check_targets(g, targets)
    y = _check_labels(g, labels, len(x))
    _check_int("steps", steps, 0)
    _check_int("starts", starts, 1)
    _check_int("patience", patience, 1)
    _check_positive("lr", lr)
    _check_weight("feature_weight", feature_weight)
    _check_weight("prior_weight", prior_weight)
    guess = None if init is None else _check_init(init, len(x), dim)
    n, s = len(x), starts
    seeded = seeded_latents(seed, s - (guess is not None), dim)
    with _frozen(g, evaluator.net):
        device = _device(g)
        objective = _Objective(g, evaluator, x.to(device), y, feature_weight, prior_weight)
        # image i's candidates are rows i*s .. i*s + s - 1: its guess (if any), then the seeded
        candidates = seeded.to(device).expand(n, *seeded.shape)
        if guess is not None:
            candidates = torch.cat([guess.to(device)[:, None], candidates], dim=1)
        rows = _Rows(candidates.reshape(n * s, dim), torch.arange(n).repeat_interleave(s))
        select_at = min(WARMUP_STEPS, steps)
        selected = s == 1
        for step in range(steps + 1):
            active = (~rows.frozen).nonzero().squeeze(1)
            if len(active) == 0:
                break  # every image stopped early; each one's last latent was already scored
            final = step == steps
            loss, grad = objective.loss(rows.z[active], rows.image[active], grad=not final)
            rows.observe(active, loss)
            if not selected and (step == select_at or final):
                keep = _best_per_image(rows.current, rows.image, n)  # nothing frozen yet
                rows = rows.take(keep)
                grad = None if grad is None else grad[keep]
                active, selected = torch.arange(n), True
            if final:
                break
            assert grad is not None
            if selected:
                moving = rows.stale[active] < patience
                rows.frozen[active[~moving]] = True
                active, grad = active[moving], grad[moving]
            rows.adam_step(active.to(device), grad, lr)
        best = rows.best_z.cpu()
        return projection_of(g, evaluator, targets, best, y, rows.steps.cpu().numpy())


def mean_latent_baseline(
    g: Generator,
    evaluator: Evaluator,
    targets: Tensor,
    labels: Tensor | None = None,
    steps: int = 1000,
    seed: int = 0,
) -> Projection:
    """StyleGAN2's projector on z: the baseline that ``optimize_latents`` is read against.

    As ``projector.py`` of stylegan2-ada-pytorch: one start at the mean latent — exactly z = 0
    for this N(0, I) prior, where StyleGAN estimates W's mean from 10,000 samples — then Adam
    (β = 0.9, 0.999) for ``steps`` steps with the learning rate ramped up over the first 5 %
    of the steps and down (cosine) over the last 25 % from 0.1, and Gaussian noise added to the
    latent the loss sees, of scale ``0.05 · σ · max(0, 1 - t / 0.75)²`` at progress t, with σ
    the prior's spread ``sqrt(d)`` (StyleGAN's ``w_std``, the root of the summed variance). The
    loss is pixel plus feature distance (``projector.py`` uses LPIPS on VGG alone); no prior
    term, no restarts, no early stopping, and it returns the last latent, as the projector
    does. The noise of step t is the seeded latent ``(seed, t)``, the same for every image, so
    an image's projection does not depend on what shares its batch.
    """
    dim = g.cfg.latent_dim
    x = _check_targets(g, targets)
    y = _check_labels(g, labels, len(x))
    _check_int("steps", steps, 0)
    noise = seeded_latents(seed, steps, dim)
    with _frozen(g, evaluator.net):
        device = _device(g)
        objective = _Objective(g, evaluator, x.to(device), y, 1.0, 0.0)
        rows = _Rows(torch.zeros(len(x), dim, device=device), torch.arange(len(x)))
        everyone = torch.arange(len(x), device=device)
        spread = math.sqrt(dim)
        for step in range(steps):
            t = step / steps
            ramp = min(1.0, (1.0 - t) / BASELINE_RAMP_DOWN)
            ramp = (0.5 - 0.5 * math.cos(ramp * math.pi)) * min(1.0, t / BASELINE_RAMP_UP)
            scale = spread * BASELINE_NOISE * max(0.0, 1.0 - t / BASELINE_NOISE_RAMP) ** 2
            seen = rows.z + scale * noise[step].to(device)
            _, grad = objective.loss(seen, rows.image, grad=True)
            assert grad is not None
            rows.adam_step(everyone, grad, BASELINE_LR * ramp)
        return projection_of(g, evaluator, targets, rows.z.cpu(), y, rows.steps.cpu().numpy())


def projection_of(
    g: Generator,
    evaluator: Evaluator,
    targets: Tensor,
    latents: Tensor | np.ndarray,
    labels: Tensor | None,
    steps: int | np.ndarray = 0,
) -> Projection:
    """The Projection of given latents: their reconstructions (``generate.render``) and the
    distances of G(z), in float, to ``targets``; ``steps`` is reported as given (one number for
    every image, or one each)."""
    x = _check_targets(g, targets)
    y = _check_labels(g, labels, len(x))
    z = _check_init(latents, len(x), g.cfg.latent_dim, field="latents")
    with _frozen(g, evaluator.net):
        device = _device(g)
        scorer = _Objective(g, evaluator, x.to(device), y, 1.0, 0.0)
        pixel, feature = scorer.distances(z.to(device))
        images = render(g, z, y)
    counts = np.broadcast_to(np.asarray(steps, dtype=np.int64), (len(x),)).copy()
    return Projection(
        latents=z.numpy().astype(np.float32, copy=False),
        labels=None if y is None else y.numpy().astype(np.int64),
        images=images,
        pixel_distance=pixel.cpu().numpy().astype(np.float64),
        feature_distance=feature.cpu().numpy().astype(np.float64),
        steps=counts,
    )


# --- the machinery, shared with projection.complete ---------------------------------------


class _Objective:
    """The per-image loss of the module's recipe, with its gradient in z, chunk by chunk."""

    def __init__(
        self,
        g: Generator,
        evaluator: Evaluator,
        targets: Tensor,
        labels: Tensor | None,
        feature_weight: float,
        prior_weight: float,
    ) -> None:
        self.g, self.evaluator = g, evaluator
        self.targets, self.labels = targets, labels
        self.feature_weight, self.prior_weight = feature_weight, prior_weight
        with torch.no_grad():
            maps = [
                unit_feature_maps(evaluator, targets[i : i + CHUNK])
                for i in range(0, len(targets), CHUNK)
            ]
        self.target_maps = [torch.cat(layer) for layer in zip(*maps, strict=True)]

    def loss(self, z: Tensor, image: Tensor, grad: bool) -> tuple[Tensor, Tensor | None]:
        """(loss (R,) float64, d loss / d z (R×d) or None) for rows z of images ``image``."""
        losses, grads = [], []
        for i in range(0, len(z), CHUNK):
            zc = z[i : i + CHUNK].detach().requires_grad_(grad)
            with torch.set_grad_enabled(grad):
                pixel, feature = self._distances(zc, image[i : i + CHUNK])
                total = pixel.double() + self.feature_weight * feature.to(pixel.device)
                if self.prior_weight:
                    total = total + self.prior_weight * latent_prior(zc).double()
            if grad:
                (g,) = torch.autograd.grad(total.sum(), zc)
                grads.append(g)
            losses.append(total.detach())
        return torch.cat(losses), torch.cat(grads) if grad else None

    @torch.no_grad()
    def distances(self, z: Tensor) -> tuple[Tensor, Tensor]:
        """(pixel, feature) distances (N,) of G(z[i]) to target i."""
        parts = [
            self._distances(z[i : i + CHUNK], torch.arange(i, min(i + CHUNK, len(z))))
            for i in range(0, len(z), CHUNK)
        ]
        return torch.cat([p for p, _ in parts]), torch.cat([f for _, f in parts])

    def _distances(self, z: Tensor, image: Tensor) -> tuple[Tensor, Tensor]:
        y = None if self.labels is None else self.labels[image].to(z.device)
        fake = generate_padded(self.g, z, y)
        target = self.targets[image.to(self.targets.device)]
        maps = unit_feature_maps(self.evaluator, fake)
        wanted = [m[image.to(m.device)] for m in self.target_maps]
        return pixel_distance(fake, target), unit_map_distance(maps, wanted)


def generate_padded(g: Generator, z: Tensor, labels: Tensor | None = None) -> Tensor:
    """G(z) (float, N×C×H×W) with the pass padded to ``MIN_ROWS`` rows (decision 3), with
    gradients if z has them; ``z`` and ``labels`` on G's device."""
    n = len(z)
    if n < MIN_ROWS:
        z = torch.cat([z, z.new_zeros((MIN_ROWS - n, z.shape[1]))])
        if labels is not None:
            labels = torch.cat([labels, labels.new_zeros(MIN_ROWS - n)])
    out: Tensor = g(z, labels)
    return out[:n]


class _Rows:
    """Candidate latents with their Adam state and their best so far."""

    def __init__(self, z: Tensor, image: Tensor) -> None:
        r = len(z)
        self.z = z.clone()
        self.image = image  # which target each row belongs to (CPU)
        self.m = torch.zeros_like(self.z)
        self.v = torch.zeros_like(self.z)
        self.steps = torch.zeros(r, dtype=torch.int64)
        self.best_z = self.z.clone()
        self.best = torch.full((r,), math.inf, dtype=torch.float64)
        self.current = torch.full((r,), math.inf, dtype=torch.float64)
        self.reference = torch.full((r,), math.inf, dtype=torch.float64)  # early stopping's
        self.stale = torch.zeros(r, dtype=torch.int64)  # evaluations since the last progress
        self.frozen = torch.zeros(r, dtype=torch.bool)

    def observe(self, rows: Tensor, loss: Tensor) -> None:
        """Record the losses of ``rows`` at their current latents."""
        loss = loss.cpu()
        self.current[rows] = loss
        better = loss < self.best[rows]
        self.best[rows[better]] = loss[better]
        self.best_z[rows[better].to(self.z.device)] = self.z[rows[better].to(self.z.device)]
        progress = loss < self.reference[rows] * (1.0 - RELATIVE_IMPROVEMENT)
        self.reference[rows[progress]] = loss[progress]
        self.stale[rows] = torch.where(progress, 0, self.stale[rows] + 1)

    def adam_step(self, rows: Tensor, grad: Tensor, lr: float) -> None:
        """One Adam step (elementwise: each row as if alone) on ``rows`` with gradients ``grad``."""
        b1, b2 = BETAS
        on = rows.to(self.z.device)
        self.steps[rows.cpu()] += 1
        t = self.steps[rows.cpu()].to(self.z.device, torch.float64)[:, None]
        m = self.m[on] * b1 + grad * (1 - b1)
        v = self.v[on] * b2 + grad.square() * (1 - b2)
        self.m[on], self.v[on] = m, v
        m_hat = m / (1 - b1**t).to(m.dtype)
        v_hat = v / (1 - b2**t).to(v.dtype)
        self.z[on] = self.z[on] - lr * m_hat / (v_hat.sqrt() + ADAM_EPS)

    def take(self, rows: Tensor) -> _Rows:
        """The rows ``rows`` alone, with their state."""
        out = _Rows.__new__(_Rows)
        on = rows.to(self.z.device)
        for name, value in vars(self).items():
            setattr(out, name, value[on] if value.device == self.z.device else value[rows])
        return out


def _best_per_image(loss: Tensor, image: Tensor, n: int) -> Tensor:
    """For each image 0..n-1, the row of the lowest loss (the first on a tie)."""
    best = []
    for i in range(n):
        mine = (image == i).nonzero().squeeze(1)
        best.append(mine[torch.argmin(loss[mine])])
    return torch.stack(best)


@contextlib.contextmanager
def _frozen(*modules: nn.Module) -> Iterator[None]:
    """Modules in eval mode with their parameters frozen; restored as they were afterwards."""
    saved = [(m, m.training, [p.requires_grad for p in m.parameters()]) for m in modules]
    for m in modules:
        m.eval().requires_grad_(False)
    try:
        yield
    finally:
        for m, training, flags in saved:
            m.train(training)
            for p, flag in zip(m.parameters(), flags, strict=True):
                p.requires_grad_(flag)


def _device(g: Generator) -> torch.device:
    return next(g.parameters()).device


def _check_targets(g: Generator, targets: Tensor) -> Tensor:
    c = g.cfg
    shape = (c.channels, c.image_size, c.image_size)
    if not isinstance(targets, Tensor) or targets.ndim != 4 or tuple(targets.shape[1:]) != shape:
        got = tuple(targets.shape) if isinstance(targets, Tensor) else type(targets).__name__
        raise ConfigError(
            f"targets must be N×{'×'.join(map(str, shape))} for this model, got {got}",
            field="targets",
        )
    if len(targets) == 0:
        raise ConfigError("no targets: give at least one image", field="targets")
    return targets.detach().float()


def _check_labels(g: Generator, labels: Tensor | None, n: int) -> Tensor | None:
    k = g.cfg.num_classes
    if k == 0:
        if labels is not None:
            raise ConfigError("this model is unconditional: it takes no labels", field="labels")
        return None
    if labels is None:
        raise ConfigError("a conditional model needs a label for each image", field="labels")
    y = torch.as_tensor(labels).reshape(-1).long().cpu()
    if len(y) != n:
        raise ConfigError(f"got {len(y)} labels for {n} images", field="labels")
    if len(y) and not bool(((y >= 0) & (y < k)).all()):
        raise ConfigError(f"labels must be in 0..{k - 1} for this model", field="labels")
    return y


def _check_init(latents: Tensor | np.ndarray, n: int, dim: int, field: str = "init") -> Tensor:
    if isinstance(latents, np.ndarray):
        z = torch.tensor(np.asarray(latents, dtype=np.float32))  # a copy: it may be read-only
    else:
        z = latents.detach().float().cpu()
    if z.shape != (n, dim):
        raise ConfigError(
            f"{field} must be {n}×{dim} (one latent per image), got {tuple(z.shape)}", field=field
        )
    if not bool(torch.isfinite(z).all()):
        raise ConfigError(f"{field} must be finite", field=field)
    return z


def _check_int(field: str, value: int, low: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ConfigError(f"{field} must be an integer >= {low}, got {value!r}", field=field)


def _check_positive(field: str, value: float) -> None:
    if not math.isfinite(value) or value <= 0:
        raise ConfigError(f"{field} must be > 0, got {value!r}", field=field)


def _check_weight(field: str, value: float) -> None:
    if not math.isfinite(value) or value < 0:
        raise ConfigError(f"{field} must be >= 0, got {value!r}", field=field)
