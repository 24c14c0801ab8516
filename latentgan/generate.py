"""Images from a generator: seeded or explicit latents, labels, truncation, interpolation.

Each request kind's parameters are a class of ``latentgan.schemas.generation``; this module turns
them into generator inputs (``generation_inputs``), checking what depends on the model, and the
inputs of one or many requests into images (``generate``, ``render_many``). ``sample`` and
``interpolate_images`` build the parameters from keyword arguments, for the CLI and the library.

Batch invariance (docs/architecture.md, decision 3): images must not depend on what shares their
forward pass. Eval mode makes every row independent mathematically; numerically, CPU kernels take
another code path for batches under 4 rows (measured on 1 and 2 threads), so every forward pass
here has at least MIN_ROWS rows (padding with zeros), and larger batches are split into fixed
chunks of at most ``batch_size``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import assert_never

import numpy as np
import torch
from torch import Tensor

from latentgan.errors import ConfigError
from latentgan.images import to_uint8
from latentgan.latent import (
    InterpolationMethod,
    arithmetic,
    cycle_labels,
    interpolate,
    seeded_latents,
    truncate,
)
from latentgan.models import Generator
from latentgan.schemas.generation import (
    EditParams,
    GenerationParams,
    InterpolateParams,
    SampleParams,
)

MIN_ROWS = 4
DEFAULT_BATCH = 256


def check_labels(labels: Sequence[int] | None, n: int, num_classes: int) -> Tensor | None:
    """Labels as a tensor, or a ConfigError saying what is wrong with them."""
    if num_classes == 0:
        if labels:
            raise ConfigError("this model is unconditional: it takes no labels", field="labels")
        return None
    if not labels:
        return cycle_labels(n, num_classes)
    if len(labels) == 1:
        labels = list(labels) * n  # one label for every image
    if len(labels) != n:
        raise ConfigError(f"got {len(labels)} labels for {n} images: give 1 or {n}", field="labels")
    bad = [y for y in labels if not 0 <= y < num_classes]
    if bad:
        raise ConfigError(
            f"label {bad[0]} out of range: this model has classes 0..{num_classes - 1}",
            field="labels",
        )
    return torch.tensor(list(labels), dtype=torch.long)


@torch.inference_mode()
def render(
    g: Generator,
    z: Tensor,
    labels: Tensor | None = None,
    class_embedding: Tensor | None = None,
    batch_size: int = DEFAULT_BATCH,
) -> np.ndarray:
    """uint8 N×H×W×C images for latents z (and labels or class embeddings), batch-invariantly."""
    g.eval()
    device = next(g.parameters()).device
    out = []
    for start in range(0, len(z), batch_size):
        rows = slice(start, start + batch_size)
        zb = _pad(z[rows]).to(device)
        yb = _pad(labels[rows]).to(device) if labels is not None else None
        eb = _pad(class_embedding[rows]).to(device) if class_embedding is not None else None
        n = len(z[rows])
        out.append(to_uint8(g(zb, yb, eb)[:n]))
    if not out:
        c = g.cfg
        return np.zeros((0, c.image_size, c.image_size, c.channels), np.uint8)
    return np.concatenate(out)


def _pad(t: Tensor) -> Tensor:
    if len(t) >= MIN_ROWS:
        return t
    return torch.cat([t, t.new_zeros((MIN_ROWS - len(t), *t.shape[1:]))])


def latents_for(g: Generator, n: int, seed: int, latents: np.ndarray | Tensor | None) -> Tensor:
    """Explicit latents (their shape checked against the model) or the seeded ones for 0..n-1."""
    dim = g.cfg.latent_dim
    if latents is None:
        return seeded_latents(seed, n, dim)
    z = torch.as_tensor(np.asarray(latents, dtype=np.float32))
    if z.ndim != 2 or z.shape[1] != dim:
        raise ConfigError(
            f"latents must be n×{dim} for this model, got {tuple(z.shape)}", field="latents"
        )
    return z


@dataclass(frozen=True)
class GenerationInputs:
    """What one request feeds the generator: latents, plus class embeddings for a conditional G.

    Requests for the same model can be concatenated into one forward pass (``render_many``);
    batch invariance makes each request's images the same as if it had run alone.
    """

    z: Tensor
    class_embedding: Tensor | None = None
    labels: Tensor | None = None  # the class of each sampled image (None for a walk)

    def __len__(self) -> int:
        return len(self.z)


def sample_inputs(g: Generator, params: SampleParams) -> GenerationInputs:
    """The generator inputs of a Sample request: image i is latent (seed, i), or row i of
    ``latents``; ConfigError if the latents or labels do not fit the model."""
    z = truncate(latents_for(g, params.n, params.seed, params.latents), params.truncation)
    y = check_labels(params.labels, len(z), g.cfg.num_classes)
    return GenerationInputs(z, None if y is None else _embed(g, y), y)


def interpolation_inputs(g: Generator, params: InterpolateParams) -> GenerationInputs:
    """The generator inputs of an Interpolate request (see ``InterpolateParams``); ConfigError if
    an endpoint does not fit the model."""
    a, b = params.latent_a, params.latent_b
    z_a = latents_for(g, 1, params.seed_a, None if a is None else np.reshape(a, (1, -1)))[0]
    z_b = latents_for(g, 1, params.seed_b, None if b is None else np.reshape(b, (1, -1)))[0]
    path = truncate(interpolate(z_a, z_b, params.steps, params.method), params.truncation)
    k = g.cfg.num_classes
    if k == 0:
        if params.label_a is not None or params.label_b is not None:
            raise ConfigError("this model is unconditional: it takes no labels", field="label_a")
        return GenerationInputs(path)
    label_a = params.label_a if params.label_a is not None else 0
    label_b = params.label_b if params.label_b is not None else label_a
    ends = check_labels([label_a, label_b], 2, k)
    assert ends is not None
    e_a, e_b = _embed(g, ends)
    return GenerationInputs(path, interpolate(e_a, e_b, params.steps, "lerp"))


def edit_inputs(g: Generator, params: EditParams) -> GenerationInputs:
    """The generator inputs of an Edit request (see ``EditParams``), row-major: row r's latent
    plus each strength times the direction; ConfigError if the latents, the direction or the
    labels do not fit the model."""
    dim = g.cfg.latent_dim
    if params.arithmetic is not None:
        a, b, c = (seeded_latents(seed, 1, dim) for seed in params.arithmetic)
        rows = arithmetic(a, b, c)
    else:
        rows = latents_for(g, params.n, params.seed, params.latents)
    rows = truncate(rows, params.truncation)
    if params.direction.shape != (dim,):
        raise ConfigError(
            f"the direction must have {dim} values for this model, got {params.direction.size}",
            field="direction",
        )
    direction = torch.tensor(params.direction, dtype=torch.float32)  # a copy: may be read-only
    strengths = torch.tensor(params.strengths, dtype=torch.float32)
    # rows × strengths × dim; strength 0 adds exactly zero, so it is the plain sample, bit for bit
    z = rows[:, None, :] + strengths[None, :, None] * direction
    y = check_labels(params.labels, len(rows), g.cfg.num_classes)
    if y is None:
        return GenerationInputs(z.reshape(-1, dim))
    y = y.repeat_interleave(len(params.strengths))
    return GenerationInputs(z.reshape(-1, dim), _embed(g, y), y)


def generation_inputs(g: Generator, params: GenerationParams) -> GenerationInputs:
    """The generator inputs of any generation request: what a worker computes per request."""
    if isinstance(params, SampleParams):
        return sample_inputs(g, params)
    if isinstance(params, InterpolateParams):
        return interpolation_inputs(g, params)
    if isinstance(params, EditParams):
        return edit_inputs(g, params)
    assert_never(params)


def generate(g: Generator, params: GenerationParams) -> np.ndarray:
    """The images (uint8 N×H×W×C) of one generation request, as a worker would serve it."""
    return render_many(g, [generation_inputs(g, params)])[0]


def sample(
    g: Generator,
    n: int = 1,
    seed: int = 0,
    labels: Sequence[int] | None = None,
    truncation: float = 1.0,
    latents: np.ndarray | Tensor | None = None,
) -> np.ndarray:
    """n images (uint8 N×H×W×C): image i is latent (seed, i), or row i of ``latents``.

    The library's and the CLI's way to say ``SampleParams``.
    """
    rows = None if latents is None else np.asarray(latents, dtype=np.float32)
    return generate(g, SampleParams(n, seed, tuple(labels or ()), truncation, rows))


def interpolate_images(
    g: Generator,
    seed_a: int = 0,
    seed_b: int = 1,
    steps: int = 8,
    method: InterpolationMethod = "slerp",
    label_a: int | None = None,
    label_b: int | None = None,
    truncation: float = 1.0,
    latent_a: np.ndarray | Tensor | None = None,
    latent_b: np.ndarray | Tensor | None = None,
) -> np.ndarray:
    """Frames (uint8 steps×H×W×C) walking from endpoint a to endpoint b (see InterpolateParams).

    The library's and the CLI's way to say ``InterpolateParams``: an endpoint is latent
    (seed, 0), the image ``sample(n=1, seed=...)`` gives, or an explicit latent; equal seeds and
    different labels morph one digit style across classes.
    """
    ends = [None if z is None else np.asarray(z, dtype=np.float32) for z in (latent_a, latent_b)]
    params = InterpolateParams(
        steps, method, seed_a, seed_b, ends[0], ends[1], label_a, label_b, truncation
    )
    return generate(g, params)


def edit(
    g: Generator,
    direction: np.ndarray | Tensor,
    strengths: Sequence[float] = (-3.0, -1.5, 0.0, 1.5, 3.0),
    n: int = 1,
    seed: int = 0,
    labels: Sequence[int] | None = None,
    truncation: float = 1.0,
    latents: np.ndarray | Tensor | None = None,
) -> np.ndarray:
    """An edit grid (uint8 rows×strengths×H×W×C): latent r moved by each strength along
    ``direction`` (see ``EditParams``). The library's and the CLI's way to say ``EditParams``."""
    rows = None if latents is None else np.asarray(latents, dtype=np.float32)
    params = EditParams(
        np.asarray(direction, dtype=np.float32),
        tuple(float(s) for s in strengths),
        n,
        seed,
        tuple(labels or ()),
        truncation,
        rows,
    )
    images = generate(g, params)
    return images.reshape(params.rows, len(params.strengths), *images.shape[1:])


def _embed(g: Generator, labels: Tensor) -> Tensor:
    device = next(g.parameters()).device
    return g.class_embedding(labels.to(device)).detach().cpu()


def render_many(g: Generator, requests: Sequence[GenerationInputs]) -> list[np.ndarray]:
    """Images for several requests in shared forward passes, split back per request.

    Each request's images are those it would get alone (batch invariance): a generation worker
    merges whatever is queued for one model into one call of this.
    """
    if not requests:
        return []
    z = torch.cat([r.z for r in requests])
    embeddings = [r.class_embedding for r in requests]
    if any(e is None for e in embeddings) and g.cfg.num_classes:
        raise ConfigError("a conditional model needs class embeddings for every request")
    e = torch.cat([x for x in embeddings if x is not None]) if g.cfg.num_classes else None
    images = render(g, z, class_embedding=e)
    bounds = np.cumsum([len(r) for r in requests])[:-1]
    return list(np.split(images, bounds))
