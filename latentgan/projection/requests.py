"""Serving projection and completion requests: the queued schemas in, the core's results out.

A generation worker hands this module a version's ``ProjectionKit`` and the requests for it
(``latentgan.schemas.projection``). ``prepare_projection`` checks one Project request against
the version (image shape, labels, whether it has an encoder) and settles its labels, so that a
request that cannot be served fails alone; ``project_prepared`` then serves the rest, merging the
requests that ask for the same method, steps and seed into one optimisation. That merge changes
no image's result (decision 3): every loss is per image, every Adam state per latent, early
stopping per image, and the networks are in eval mode with padded forward passes.

A Complete request is one image, served alone (its k × starts candidates already make a batch).
Its label, for a conditional model, is the one given or else the evaluator's prediction for the
masked input — the unknown pixels set to black (-1), so that pixels declared unknown never choose
the class — and the encoder's first guess is made from the same masked input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

import numpy as np
import torch
from torch import Tensor

from latentgan.errors import ConfigError
from latentgan.projection.complete import DEFAULT_STEPS, Completion, complete
from latentgan.projection.encoder import encode
from latentgan.projection.optimize import Projection
from latentgan.projection.project import ProjectionRun, project, projection_labels
from latentgan.projection.versions import ProjectionKit
from latentgan.schemas.projection import CompleteParams, ProjectParams


@dataclass(frozen=True)
class PreparedProjection:
    """A Project request that fits its version, with one label per image (None: unconditional)."""

    params: ProjectParams
    targets: Tensor  # N×C×H×W float32
    labels: tuple[int, ...] | None

    @property
    def group(self) -> tuple[str, int | None, int]:
        """What requests must share to be optimised together: method, steps, seed."""
        return (self.params.method, self.params.steps, self.params.seed)


def _check_shape(kit: ProjectionKit, images: np.ndarray, field: str) -> Tensor:
    cfg = kit.model.manifest.model_config
    shape = (cfg.channels, cfg.image_size, cfg.image_size)
    if tuple(images.shape[1:]) != shape:
        raise ConfigError(
            f"{field} must be fitted to the model's {'×'.join(map(str, shape))}, "
            f"got {'×'.join(map(str, images.shape[1:]))}",
            field=field,
        )
    return torch.from_numpy(np.array(images, np.float32))  # a writable copy of the queued array


def prepare_projection(kit: ProjectionKit, params: ProjectParams) -> PreparedProjection:
    """``params`` checked against the version, its labels settled; ConfigError naming the field
    (``images``, ``labels``, ``method``) when it does not fit."""
    targets = _check_shape(kit, params.targets, "images")
    if params.method == "encoder" and kit.encoder is None:
        raise ConfigError(
            f"{kit.model.manifest.ref} has no encoder: train one with `latentgan encoder "
            "--model M`, or use method optimize",
            field="method",
        )
    g = kit.model.generator
    labels = projection_labels(g, kit.evaluator, targets, params.labels or None)
    chosen = None if labels is None else tuple(int(y) for y in labels.tolist())
    return PreparedProjection(params, targets, chosen)


def project_prepared(
    kit: ProjectionKit, prepared: Sequence[PreparedProjection]
) -> list[ProjectionRun]:
    """Each prepared request's projection, in order; requests of one group share one run."""
    runs: dict[int, ProjectionRun] = {}
    order = sorted(range(len(prepared)), key=lambda i: repr(prepared[i].group))
    for _, members in groupby(order, key=lambda i: repr(prepared[i].group)):
        indices = list(members)
        first = prepared[indices[0]].params
        targets = torch.cat([prepared[i].targets for i in indices])
        labels = [y for i in indices for y in (prepared[i].labels or ())]
        run = project(
            kit.model.generator,
            kit.evaluator,
            targets,
            labels=labels or None,
            method=first.method,
            steps=first.steps,
            encoder=kit.encoder,
            seed=first.seed,
        )
        start = 0
        for i in indices:
            n = len(prepared[i].targets)
            runs[i] = ProjectionRun(_rows(run, start, n), run.method)
            start += n
    return [runs[i] for i in range(len(prepared))]


def _rows(run: ProjectionRun, start: int, n: int) -> Projection:
    p = run.projection
    rows = slice(start, start + n)
    return Projection(
        latents=p.latents[rows],
        labels=None if p.labels is None else p.labels[rows],
        images=p.images[rows],
        pixel_distance=p.pixel_distance[rows],
        feature_distance=p.feature_distance[rows],
        steps=p.steps[rows],
    )


def masked_input(target: Tensor, known: np.ndarray) -> Tensor:
    """The target with its unknown pixels black (-1): all that Complete may look at."""
    return torch.where(torch.from_numpy(known)[None, None], target, torch.full_like(target, -1))


def completion_label(kit: ProjectionKit, target: Tensor, known: np.ndarray) -> int | None:
    """The class to complete with when none is given: the evaluator's prediction for the masked
    input (unknown pixels black); None for an unconditional model."""
    if kit.model.manifest.model_config.num_classes == 0:
        return None
    return int(kit.evaluator.logits(masked_input(target, known)).argmax(axis=1)[0])


def complete_request(kit: ProjectionKit, params: CompleteParams) -> tuple[Completion, int | None]:
    """The request's completions and the label they were made with."""
    target = _check_shape(kit, params.target, "image")
    size = kit.model.manifest.model_config.image_size
    if params.known.shape != (size, size):
        raise ConfigError(
            f"the mask must be fitted to the model's {size}×{size}, got {params.known.shape}",
            field="mask",
        )
    known = params.known >= 0.5
    label = params.label
    if label is None:
        label = completion_label(kit, target, known)
    masked = masked_input(target, known)
    guess = None if kit.encoder is None else encode(kit.encoder, masked)  # never sees the hole
    done = complete(
        kit.model.generator,
        target,
        known,
        k=params.k,
        steps=DEFAULT_STEPS if params.steps is None else params.steps,
        starts=max(16, params.k),
        discriminator=kit.discriminator,
        init=guess,
        label=label,
        seed=params.seed,
    )
    return done, label
