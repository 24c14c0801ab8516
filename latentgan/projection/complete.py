"""Completion (inpainting): fill the unknown pixels of an image from the generator's latent space.

Semantic Image Inpainting with Deep Generative Models (Yeh et al. 2017), on this generator:

1. **Context loss**, weighted: a known pixel counts by the share of unknown pixels in the
   ``WINDOW``×``WINDOW`` (7×7) window around it (the window clipped at the border), so the
   pixels next to the hole, which decide how the fill must join, weigh most, and known pixels
   far from it not at all; an unknown pixel weighs 0. The loss is the L1 norm of the weighted
   difference, summed over pixels and channels, in [-1, 1] units, as in the paper::

       context(z) = sum_{c,h,w} W[h, w] * |G(z)[c, h, w] - y[c, h, w]|

2. **Perceptual prior**, ``prior_weight`` times (λ = 0.003, the paper's):
   with a discriminator, ``softplus(-D(G(z)))`` — the non-saturating form of the paper's
   ``log(1 - D(G(z)))`` (``-log D`` with D the sigmoid of the logit), whose gradient does not
   vanish where D rejects the image; without one (versions registered before discriminators
   were stored have none), the latent prior of ``losses.latent_prior`` (zero while ``||z||²``
   is within 2 standard deviations of the prior's, quadratic outside), scaled by
   ``LATENT_PRIOR_SCALE`` so that the same λ holds the latent on the prior's shell.
3. ``starts`` candidates — the seeded latents ``(seed, 0 ..)`` of ``latentgan.latent``, and
   the caller's ``init`` (an encoder's guess) as one of them — optimised jointly as one batch
   by Adam (``LR``, β = 0.9, 0.999) for ``steps`` steps (the paper runs about 1,000; the
   default here is 200, enough for these small models); each keeps the best latent it saw, and
   the ``k`` candidates of lowest loss come back, best first.
4. **Blending**: known pixels are copied from the input exactly; unknown pixels are
   ``alpha · G(z) + (1 - alpha) · fill``, with ``alpha`` the unknown mask blurred by a
   ``FEATHER``×``FEATHER`` box (clipped at the border) — under 1 in the unknown pixels next
   to the seam, 1 deeper in, and 0 on every known pixel — and ``fill`` the mean of the known
   pixels in the 7×7 window around the pixel (a normalised convolution). This feathers the
   seam from the input's own values into the generator's in place of the paper's Poisson
   blending, and never changes a known pixel.

Masks are boolean H×W arrays, True where a pixel is known; :func:`preset_mask` makes the usual
ones. Deterministic for a seed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from latentgan.errors import ConfigError, shown
from latentgan.generate import MIN_ROWS
from latentgan.images import to_uint8
from latentgan.latent import seeded_latent, seeded_latents
from latentgan.models import Discriminator, Generator
from latentgan.projection.losses import latent_prior
from latentgan.projection.optimize import (
    CHUNK,
    _frozen,
    _Rows,
    generate_padded,
)

MASKS = ("center", "left", "right", "top", "bottom")  # the unknown region; plus "random:P"
WINDOW = 7  # the context weights' window (Yeh et al.)
FEATHER = 5  # the blend's box blur of the unknown mask
LR = 0.05
DEFAULT_STEPS = 200
LATENT_PRIOR_SCALE = 100.0  # the latent prior's weight per unit of prior_weight (no D)


@dataclass(frozen=True)
class Completion:
    """The k best completions of one image, best first."""

    images: np.ndarray  # k×H×W×C uint8: known pixels exactly the input's, the seam blended
    losses: np.ndarray  # k float64, ascending: each latent's context loss plus prior term
    latents: np.ndarray  # k×latent_dim float32

    def __len__(self) -> int:
        return len(self.latents)


def preset_mask(name: str, size: int, seed: int = 0) -> np.ndarray:
    """A size×size known-pixel mask (bool, True = known) by name; the name says what is unknown.

    ``center``: the central square of side ``size // 2``; ``left``, ``right``, ``top``,
    ``bottom``: that half of the image; ``random:P``: a share P in (0, 1) of the pixels
    (``round(P · size²)`` of them, at least one and one fewer than all), chosen by ``seed``
    machine-independently: the pixels whose entries of the seeded latent ``(seed, 0)`` of
    dimension size² are smallest. ConfigError naming ``mask`` for an unknown name or a bad P.
    """
    if isinstance(size, bool) or not isinstance(size, int) or size < 2:
        raise ConfigError(f"a mask needs a size of at least 2, got {size!r}", field="mask")
    unknown = np.zeros((size, size), dtype=bool)
    half, quarter = size // 2, size // 4
    if name == "center":
        unknown[quarter : quarter + half, quarter : quarter + half] = True
    elif name == "left":
        unknown[:, :half] = True
    elif name == "right":
        unknown[:, half:] = True
    elif name == "top":
        unknown[:half] = True
    elif name == "bottom":
        unknown[half:] = True
    elif isinstance(name, str) and name.startswith("random:"):
        share = _share(name)
        count = min(max(round(share * size * size), 1), size * size - 1)
        order = np.argsort(seeded_latent(seed, 0, size * size), kind="stable")
        unknown.reshape(-1)[order[:count]] = True
    else:
        names = ", ".join([*MASKS, "random:P"])
        raise ConfigError(f"unknown mask {shown(name)}: use one of {names}", field="mask")
    return ~unknown


def _share(name: str) -> float:
    text = name.removeprefix("random:")
    try:
        share = float(text)
    except ValueError:
        share = math.nan
    if not 0.0 < share < 1.0:  # NaN fails too
        raise ConfigError(
            f"random:P needs a share P of unknown pixels in (0, 1), got {shown(text)}", field="mask"
        )
    return share


def complete(
    g: Generator,
    target: Tensor,
    known: np.ndarray,
    *,
    k: int = 4,
    steps: int = DEFAULT_STEPS,
    starts: int = 16,
    discriminator: Discriminator | None = None,
    init: Tensor | np.ndarray | None = None,
    label: int | None = None,
    prior_weight: float = 0.003,
    seed: int = 0,
) -> Completion:
    """The k best completions of ``target`` (1×C×H×W in [-1, 1], at the model's shape) where
    ``known`` (bool H×W) is False, by the module's recipe; ``label`` is required for a
    conditional G. ConfigError naming the field for inputs that do not fit."""
    c = g.cfg
    shape = (1, c.channels, c.image_size, c.image_size)
    if not isinstance(target, Tensor) or tuple(target.shape) != shape:
        got = tuple(target.shape) if isinstance(target, Tensor) else type(target).__name__
        raise ConfigError(
            f"the target must be {'×'.join(map(str, shape))} for this model, got {got}",
            field="target",
        )
    mask = _check_mask(known, c.image_size)
    y = _check_label(g, label)
    for field, value, low in (("steps", steps, 0), ("starts", starts, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ConfigError(f"{field} must be an integer >= {low}, got {value!r}", field=field)
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= starts:
        raise ConfigError(f"k must be in [1, starts={starts}], got {k!r}", field="k")
    if not math.isfinite(prior_weight) or prior_weight < 0:
        raise ConfigError(f"prior_weight must be >= 0, got {prior_weight!r}", field="prior_weight")
    guess = None if init is None else _check_guess(init, c.latent_dim)
    seeded = seeded_latents(seed, starts - (guess is not None), c.latent_dim)
    z0 = seeded if guess is None else torch.cat([guess, seeded])
    modules = [g] if discriminator is None else [g, discriminator]
    with _frozen(*modules):
        device = next(g.parameters()).device
        x = target.detach().float().to(device)
        m = torch.from_numpy(mask).to(device, torch.float32)[None, None]  # 1×1×H×W, 1 = known
        loss_of = _ContextLoss(g, discriminator, x, m, y, prior_weight)
        rows = _Rows(z0.to(device), torch.zeros(len(z0), dtype=torch.long))
        everyone = torch.arange(len(z0))
        for step in range(steps + 1):
            loss, grad = loss_of(rows.z, grad=step < steps)
            rows.observe(everyone, loss)
            if grad is None:
                break
            rows.adam_step(everyone.to(device), grad, LR)
        order = torch.argsort(rows.best, stable=True)[:k]
        best = rows.best_z[order.to(device)]
        with torch.no_grad():
            fake = torch.cat(
                [
                    generate_padded(g, best[i : i + CHUNK], _repeat(y, len(best[i : i + CHUNK])))
                    for i in range(0, len(best), CHUNK)
                ]
            )
        images = blend(fake, x, m)
    return Completion(
        images=images,
        losses=rows.best[order].numpy().astype(np.float64),
        latents=best.cpu().numpy().astype(np.float32),
    )


def context_weights(known: Tensor, window: int = WINDOW) -> Tensor:
    """Yeh et al.'s weights (N×1×H×W) for a known mask (N×1×H×W, 1 = known): each known pixel's
    share of unknown pixels in the window around it (clipped at the border), 0 where unknown."""
    unknown_share = F.avg_pool2d(
        1.0 - known, window, stride=1, padding=window // 2, count_include_pad=False
    )
    return known * unknown_share


def blend(fake: Tensor, target: Tensor, known: Tensor) -> np.ndarray:
    """The completed images (uint8 N×H×W×C): ``target``'s pixels where known (exactly its
    uint8 levels), the generated ``fake`` feathered into the hole (see the module)."""
    unknown = 1.0 - known
    pad = FEATHER // 2
    alpha = unknown * F.avg_pool2d(unknown, FEATHER, 1, pad, count_include_pad=False)
    near = F.avg_pool2d(known, WINDOW, 1, WINDOW // 2, count_include_pad=False)
    local = F.avg_pool2d(target * known, WINDOW, 1, WINDOW // 2, count_include_pad=False)
    fill = torch.where(near > 0, local / near.clamp_min(1e-12), fake)
    mixed = alpha * fake + (1.0 - alpha) * fill
    out = to_uint8(mixed)
    original = to_uint8(target)  # 1×H×W×C
    keep = known[0, 0].bool().cpu().numpy()
    out[:, keep] = original[0][keep]
    return out


class _ContextLoss:
    """Context loss plus prior of each candidate latent, with its gradient in z."""

    def __init__(
        self,
        g: Generator,
        discriminator: Discriminator | None,
        target: Tensor,
        known: Tensor,
        label: Tensor | None,
        prior_weight: float,
    ) -> None:
        self.g, self.d = g, discriminator
        self.target, self.label = target, label
        self.weights = context_weights(known)  # 1×1×H×W
        self.prior_weight = prior_weight

    def __call__(self, z: Tensor, grad: bool) -> tuple[Tensor, Tensor | None]:
        losses, grads = [], []
        for i in range(0, len(z), CHUNK):
            zc = z[i : i + CHUNK].detach().requires_grad_(grad)
            with torch.set_grad_enabled(grad):
                labels = _repeat(self.label, len(zc))
                fake = generate_padded(self.g, zc, labels)
                diff = (fake - self.target).abs() * self.weights
                total = diff.flatten(1).sum(dim=1).double()
                if self.prior_weight:
                    total = total + self.prior_weight * self._prior(zc, fake, labels).double()
            if grad:
                (gz,) = torch.autograd.grad(total.sum(), zc)
                grads.append(gz)
            losses.append(total.detach())
        return torch.cat(losses), torch.cat(grads) if grad else None

    def _prior(self, z: Tensor, fake: Tensor, labels: Tensor | None) -> Tensor:
        if self.d is None:
            return LATENT_PRIOR_SCALE * latent_prior(z)
        return F.softplus(-self._logits(fake, labels))

    def _logits(self, images: Tensor, labels: Tensor | None) -> Tensor:
        """D's logits, each image scored alone: padded to MIN_ROWS, or one at a time when D
        compares the images of its batch (minibatch standard deviation, which would otherwise
        mix the candidates, and the padding, into each score)."""
        assert self.d is not None
        n = len(images)
        if self.d.minibatch_std:
            parts = [
                self.d(images[i : i + 1], None if labels is None else labels[i : i + 1]).logits
                for i in range(n)
            ]
            return torch.cat(parts)
        if n < MIN_ROWS:
            images = torch.cat([images, images.new_zeros((MIN_ROWS - n, *images.shape[1:]))])
            if labels is not None:
                labels = torch.cat([labels, labels.new_zeros(MIN_ROWS - n)])
        logits: Tensor = self.d(images, labels).logits
        return logits[:n]


def _repeat(label: Tensor | None, n: int) -> Tensor | None:
    return None if label is None else label.expand(n)


def _check_mask(known: np.ndarray, size: int) -> np.ndarray:
    mask = np.asarray(known)
    if mask.shape != (size, size):
        raise ConfigError(
            f"the mask must be {size}×{size} like the image, got {mask.shape}", field="mask"
        )
    if mask.dtype != np.bool_:
        raise ConfigError(
            f"the mask must be boolean (True = known), got {mask.dtype}", field="mask"
        )
    if not mask.any():
        raise ConfigError("the mask has no known pixel: nothing to complete from", field="mask")
    if mask.all():
        raise ConfigError("the mask has no unknown pixel: nothing to complete", field="mask")
    return mask.copy()


def _check_label(g: Generator, label: int | None) -> Tensor | None:
    k = g.cfg.num_classes
    if k == 0:
        if label is not None:
            raise ConfigError("this model is unconditional: it takes no label", field="labels")
        return None
    if label is None:
        raise ConfigError("a conditional model needs the image's label", field="labels")
    if isinstance(label, bool) or not isinstance(label, int | np.integer) or not 0 <= label < k:
        raise ConfigError(
            f"label must be in 0..{k - 1} for this model, got {label!r}", field="labels"
        )
    device = next(g.parameters()).device
    return torch.tensor([int(label)], dtype=torch.long, device=device)


def _check_guess(init: Tensor | np.ndarray, dim: int) -> Tensor:
    z = torch.tensor(np.asarray(init, dtype=np.float32)) if isinstance(init, np.ndarray) else init
    z = z.detach().float().cpu().reshape(1, -1) if z.numel() == dim else z
    if tuple(z.shape) != (1, dim) or not bool(torch.isfinite(z).all()):
        raise ConfigError(
            f"init must be one finite latent of {dim} values, got {tuple(z.shape)}", field="init"
        )
    return z
