"""Direction sets for a model version: what to compute, how to score it, computed at most once.

A ``DirectionRequest`` names a method and its parameters; ``compute_sets`` finds the directions
(``latentgan.directions.methods``) and scores each one (``score_directions``) on fixed seeded
latents; ``ensure_direction_set`` does that for a stored version unless the set is stored already,
and stores it beside the version (``latentgan.directions.store``). Everything is seeded, so the
same request on the same version gives the same set on any machine.

Scores (what "a good direction" means here, measured, never assumed): the images of SCORE_SAMPLES
seeded latents are edited at SCORE_STRENGTHS (in σ of the prior) and measured by an
``AttributeMeter`` — the morphology of ``latentgan.attributes`` for single-channel images, and
the data set's evaluator's logit for each class (``class:K``). Per attribute, the least-squares
slope of the attribute against the strength (its units per σ), its R², and the slope in standard
deviations of the attribute over the unedited samples. A direction's ``top_attribute`` is the one
it moves most (standardized); its entanglement is the RMS standardized slope of the *other*
morphology attributes (other than its target attribute, or its top one); ``class_kept`` is the
share of samples the evaluator gives the same class at −2σ and +2σ as at 0.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np
import torch

from latentgan.artifacts import ArtifactStore, LoadedModel, Manifest, load_model_dir, now_iso
from latentgan.attributes import MORPHOLOGY, measure
from latentgan.config import ModelConfig
from latentgan.directions import methods
from latentgan.directions.store import (
    AttributeChange,
    Direction,
    DirectionScore,
    DirectionSet,
    all_directions,
    find_direction,
    find_set,
    list_sets,
    write_set,
)
from latentgan.errors import ConfigError, shown
from latentgan.evaluate import training_data
from latentgan.evaluator import Evaluator, as_model_input, load_or_train_evaluator
from latentgan.generate import edit, sample
from latentgan.latent import seeded_latents
from latentgan.models import Generator
from latentgan.schemas.directions import (
    DEFAULT_K,
    RANKED,
    VALUE_NAMES,
    DirectionRequest,
    request_for_key,
    set_key_of,
)

SCORE_SEED = 2**32 + 29  # scoring latents: fixed, apart from the seeds users pick
SCORE_SAMPLES = 128
SCORE_STRENGTHS = (-2.0, -1.0, 0.0, 1.0, 2.0)
CLASS_PREFIX = "class:"

Say = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


class AttributeMeter:
    """Measures attributes of generated images: the morphology of single-channel images, and,
    with the data set's evaluator, each class's logit (``class:K``)."""

    def __init__(self, channels: int, evaluator: Evaluator | None) -> None:
        self.evaluator = evaluator
        self.morphology = MORPHOLOGY if channels == 1 else ()
        classes = evaluator.info.num_classes if evaluator is not None else 0
        self.names = (*self.morphology, *(f"{CLASS_PREFIX}{k}" for k in range(classes)))

    def check(self, attribute: str) -> None:
        """ConfigError naming ``attribute`` unless this meter can measure it."""
        if attribute not in self.names:
            known = ", ".join(self.names) or "none (not a single-channel, labelled data set)"
            raise ConfigError(
                f"attribute {shown(attribute)} cannot be measured for this model "
                f"(attributes: {known})",
                field="attribute",
            )

    def measure(self, images: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray | None]:
        """Every attribute of uint8 N×H×W×C images, and the evaluator's class of each (or None)."""
        values = measure(images, self.morphology) if self.morphology else {}
        if self.evaluator is None:
            return values, None
        x = as_model_input(torch.from_numpy(np.ascontiguousarray(images)).permute(0, 3, 1, 2))
        logits = self.evaluator.logits(x)
        for k in range(logits.shape[1]):
            values[f"{CLASS_PREFIX}{k}"] = logits[:, k].astype(np.float64)
        return values, logits.argmax(axis=1)


def _fit(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(slope, R²) of the least-squares line y ≈ a + slope·x, NaNs left out."""
    keep = np.isfinite(y)
    x, y = x[keep], y[keep]
    if len(y) < 3 or np.ptp(x) == 0:
        return float("nan"), float("nan")
    slope, intercept = np.polyfit(x, y, 1)
    total = float(((y - y.mean()) ** 2).sum())
    residual = float(((y - (intercept + slope * x)) ** 2).sum())
    return float(slope), (1.0 - residual / total) if total > 0 else 0.0


def _magnitude(change: AttributeChange) -> float:
    """How much a change counts when ranking attributes (0 for one that could not be fitted)."""
    return abs(change.standardized) if np.isfinite(change.standardized) else 0.0


def score_directions(
    g: Generator,
    vectors: np.ndarray,
    meter: AttributeMeter,
    targets: Sequence[str | None],
    samples: int = SCORE_SAMPLES,
) -> list[DirectionScore]:
    """The scores of each direction (rows of ``vectors``), see the module's docstring.

    The unedited samples (strength 0) are the same for every direction: they are made and
    measured once, and each direction only renders and measures its non-zero strengths.
    """
    strengths = np.asarray(SCORE_STRENGTHS)
    moved = strengths != 0
    ends = np.flatnonzero(np.abs(strengths[moved]) == 2)  # columns of ±2σ among the moved ones
    base, base_classes = meter.measure(sample(g, samples, SCORE_SEED))
    spread = {a: float(np.nanstd(v)) for a, v in base.items()}
    x = np.tile(strengths, samples)
    scores = []
    for vector, target in zip(vectors, targets, strict=True):
        grid = edit(g, vector, tuple(strengths[moved]), samples, SCORE_SEED)  # rows × S' × H×W×C
        measured, classes = meter.measure(grid.reshape(-1, *grid.shape[2:]))
        changes = []
        for attribute, v in measured.items():
            values = np.empty((samples, len(strengths)))
            values[:, ~moved] = base[attribute][:, None]
            values[:, moved] = v.reshape(samples, -1)
            slope, r2 = _fit(x, values.reshape(-1))
            sd = spread[attribute]
            changes.append(AttributeChange(attribute, slope, r2, slope / sd if sd > 0 else 0.0))
        top = max(changes, key=_magnitude)
        morphology = [c for c in changes if c.attribute in meter.morphology]
        focus = target or max(morphology, key=_magnitude, default=top).attribute
        others = [c.standardized for c in morphology if c.attribute != focus]
        entanglement = float(np.sqrt(np.nanmean(np.square(others)))) if others else 0.0
        kept = None
        if classes is not None and base_classes is not None:
            at_ends = classes.reshape(samples, -1)[:, ends]
            kept = float((at_ends == base_classes[:, None]).mean())
        scores.append(DirectionScore(tuple(changes), top.attribute, entanglement, kept, samples))
    return scores


class _Populations:
    """Seeded latents and their images' attributes, measured once per (samples, seed)."""

    def __init__(self, g: Generator, meter: AttributeMeter) -> None:
        self.g = g
        self.meter = meter
        self._cache: dict[tuple[int, int], tuple[np.ndarray, dict[str, np.ndarray]]] = {}

    def get(self, samples: int, seed: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        if (samples, seed) not in self._cache:
            images = sample(self.g, samples, seed)  # image i is latent (seed, i)
            z = seeded_latents(seed, samples, self.g.cfg.latent_dim).double().numpy()
            self._cache[(samples, seed)] = (z, self.meter.measure(images)[0])
        return self._cache[(samples, seed)]


def check_fits(g: Generator, request: DirectionRequest) -> None:
    """ConfigError naming ``k`` if the request asks for more directions than z has dimensions."""
    dim = g.cfg.latent_dim
    if request.method in RANKED and request.k > dim:
        raise ConfigError(f"k must be at most the latent size {dim}, got {request.k}", field="k")


def _find(
    g: Generator, request: DirectionRequest, meter: AttributeMeter, populations: _Populations
) -> tuple[np.ndarray, np.ndarray]:
    """The request's raw directions (rows) and their values."""
    check_fits(g, request)
    dim = g.cfg.latent_dim
    if request.method == "sefa":
        return methods.sefa(g, request.k)
    if request.method == "pca":
        assert request.samples is not None
        return methods.pca(g, request.k, request.samples, request.seed)
    if request.method == "random":
        return methods.random_directions(dim, request.k, request.seed), np.full(request.k, np.nan)
    assert request.attribute is not None and request.samples is not None
    meter.check(request.attribute)
    z, values = populations.get(request.samples, request.seed)
    normal, accuracy = methods.boundary(z, values[request.attribute], request.seed)
    return normal[None, :], np.asarray([accuracy])


def compute_sets(
    g: Generator,
    meter: AttributeMeter,
    requests: Sequence[DirectionRequest],
    existing: Sequence[DirectionSet] = (),
    say: Say = _quiet,
) -> list[DirectionSet]:
    """Find and score the requested sets, in order; ``orthogonal_to`` may name directions of
    ``existing`` sets or of sets earlier in ``requests``."""
    populations = _Populations(g, meter)
    done: list[DirectionSet] = []
    for request in requests:
        start = time.perf_counter()
        vectors, values = _find(g, request, meter, populations)
        if request.orthogonal_to:
            known = [*existing, *done]
            others = [
                find_direction(known, i, "orthogonal_to").vector for i in request.orthogonal_to
            ]
            vectors = methods.orthogonalize(vectors, np.stack(others))
        found = time.perf_counter()
        targets = [request.attribute] * len(vectors)
        scores = score_directions(g, vectors, meter, targets)
        directions = tuple(
            Direction(i, v.astype(np.float32), float(value), score)
            for i, v, value, score in zip(
                request.ids(len(vectors)), vectors, values, scores, strict=True
            )
        )
        done.append(
            DirectionSet(
                key=request.key,
                method=request.method,
                parameters=request.parameters(),
                directions=directions,
                value_name=VALUE_NAMES[request.method],
                created=now_iso(),
                compute_seconds=found - start,
                score_seconds=time.perf_counter() - found,
            )
        )
        say(f"directions {request.key}: {len(vectors)} in {time.perf_counter() - start:.1f} s")
    return done


def default_requests(model: ModelConfig, meter: AttributeMeter) -> list[DirectionRequest]:
    """The sets a newly trained version gets: sefa, pca, random (the baseline), and one boundary
    per attribute its data set supports (class logits only for an unconditional model)."""
    k = min(DEFAULT_K, model.latent_dim)  # a tiny latent space has fewer than 10 dimensions
    requests = [DirectionRequest(m, k=k) for m in RANKED]
    conditional = model.num_classes > 0
    for attribute in meter.names:
        if not (conditional and attribute.startswith(CLASS_PREFIX)):
            requests.append(DirectionRequest("attribute", attribute=attribute))
    return requests


def meter_for(store: ArtifactStore, manifest: Manifest, progress: bool = False) -> AttributeMeter:
    """The meter of a stored version: with its data set's evaluator when the data is labelled."""
    data = training_data(store, manifest)
    evaluator = None
    if data.labels is not None and data.num_classes >= 2:
        evaluator = load_or_train_evaluator(data, store.evaluators_dir, progress=progress)
    return AttributeMeter(manifest.model_config.channels, evaluator)


def ensure_direction_set(
    store: ArtifactStore,
    ref: str,
    request: DirectionRequest,
    *,
    say: Say = _quiet,
    model: LoadedModel | None = None,
) -> tuple[DirectionSet, bool]:
    """The version's set for ``request``: the stored one, or computed and stored now (True).

    Directions named in ``orthogonal_to`` that belong to a default set not stored yet (e.g.
    ``attribute:class:3``) are computed and stored first.
    """
    model_dir = store.resolve(ref)
    found = find_set(model_dir, request.key)
    if found is not None:
        return found, False
    model = model or load_model_dir(model_dir)
    existing = list_sets(model_dir)
    known = all_directions(existing)
    needed: list[DirectionRequest] = []
    for direction_id in request.orthogonal_to:
        if direction_id in known:
            continue
        prerequisite = request_for_key(set_key_of(direction_id))
        if prerequisite is None:  # nor of a default set: the error lists what there is
            find_direction(existing, direction_id, "orthogonal_to")
        elif prerequisite not in needed:
            needed.append(prerequisite)
    # Checked before the data set and its evaluator are loaded, which can take a minute.
    check_fits(model.generator, request)
    meter = meter_for(store, model.manifest)
    computed = compute_sets(model.generator, meter, [*needed, request], existing, say)
    for directions in computed:
        write_set(model_dir, directions)
    return computed[-1], True


def default_direction_sets(
    g: Generator, model: ModelConfig, meter: AttributeMeter, say: Say = _quiet
) -> list[DirectionSet]:
    """The default sets (``default_requests``) of a generator about to be registered."""
    return compute_sets(g, meter, default_requests(model, meter), say=say)
