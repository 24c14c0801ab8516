"""Direction sets as stored beside a model version, and direction ids (decisions 8 and 13).

A version's direction sets live in its directory::

    directions/<slug>.safetensors   the unit vectors, k × latent_dim float32 ("vectors")
    directions/<slug>.json          method, parameters, ids, values, scores, timings

The JSON is written last, so a set is listed only once it is complete; a set is never rewritten.
``slug`` is the set's key made safe for a file name, plus a short hash of the key.

Ids are stable: a set's **key** is its method, with its non-default parameters in brackets
(``sefa``, ``pca[samples=20000]``, ``attribute:thickness[orthogonal_to=attribute:class:3]``);
a direction's id is ``KEY:INDEX`` for the ranked methods (``sefa:0``, ``pca:3``, ``random:1``)
and the key itself for an attribute (``attribute:thickness``, ``attribute:class:7``).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from latentgan.checkpoint import atomic_write, load_tensor_file, save_tensor_file
from latentgan.errors import ArtifactError, ConfigError, DirectionNotFoundError, shown
from latentgan.schemas.directions import METHODS

FOLDER = "directions"
FORMAT = "latentgan.directions/1"


@dataclass(frozen=True)
class AttributeChange:
    """How one measured attribute responds to moving along a direction."""

    attribute: str
    slope: float  # attribute units per σ of the prior along the direction
    r2: float  # how well a straight line explains the change
    standardized: float  # slope in standard deviations of the attribute over samples, per σ


@dataclass(frozen=True)
class DirectionScore:
    """A direction's quality, measured on fixed seeded latents when its set is created."""

    changes: tuple[AttributeChange, ...]
    top_attribute: str  # the attribute with the largest standardized change
    entanglement: float  # RMS standardized change of the morphology attributes not the target
    class_kept: float | None  # share of samples whose evaluator class is the same at ±2σ
    samples: int

    def change(self, attribute: str) -> AttributeChange | None:
        """The change of ``attribute``, or None if it was not measured."""
        return next((c for c in self.changes if c.attribute == attribute), None)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DirectionScore:
        """Parse ``asdict``'s output."""
        changes = tuple(AttributeChange(**c) for c in data["changes"])
        return cls(
            changes,
            data["top_attribute"],
            float(data["entanglement"]),
            data["class_kept"],
            int(data["samples"]),
        )


@dataclass(frozen=True)
class Direction:
    """One unit direction in z, with what its method says of it and how it scores."""

    id: str
    vector: np.ndarray  # (latent_dim,) float32, unit length
    value: float  # eigenvalue share (sefa), variance share (pca), SVM accuracy (attribute)
    score: DirectionScore | None = None


@dataclass(frozen=True)
class DirectionSet:
    """The directions one method with one set of parameters found for a model version."""

    key: str
    method: str
    parameters: dict[str, Any]
    directions: tuple[Direction, ...]
    value_name: str  # what Direction.value is, in words
    created: str  # ISO 8601, UTC
    compute_seconds: float  # finding the directions
    score_seconds: float  # scoring them

    @property
    def vectors(self) -> np.ndarray:
        """The directions as rows (k × latent_dim float32)."""
        return np.stack([d.vector for d in self.directions])


def direction_row(
    direction_id: str, set_key: str, method: str, value: float, score: dict[str, Any] | None
) -> dict[str, Any]:
    """One direction as strict JSON, without its vector: what ``latentgan directions`` prints,
    locally and remotely (a value that is not a number, such as a random direction's, is null)."""
    row: dict[str, Any] = _json_numbers(
        {"id": direction_id, "set": set_key, "method": method, "value": value, "score": score}
    )
    return row


def direction_json(directions: DirectionSet, direction: Direction) -> dict[str, Any]:
    """``direction_row`` of a stored direction."""
    score = None if direction.score is None else asdict(direction.score)
    return direction_row(direction.id, directions.key, directions.method, direction.value, score)


def _json_numbers(value: Any) -> Any:
    """``value`` with every NaN or infinite float replaced by None, as strict JSON needs."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _json_numbers(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_numbers(v) for v in value]
    return value


def slug(key: str) -> str:
    """A file name stem for a set key: readable, and unique by a hash of the key."""
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", key).strip("_")[:60]
    return f"{readable}-{hashlib.sha256(key.encode()).hexdigest()[:10]}"


def set_path(model_dir: Path, key: str) -> Path:
    """Where the set with ``key`` is (or would be) stored: the JSON file."""
    return model_dir / FOLDER / f"{slug(key)}.json"


def write_set(model_dir: Path, directions: DirectionSet) -> None:
    """Store a set beside the version: vectors first, JSON last (complete or absent)."""
    json_path = set_path(model_dir, directions.key)
    tensors = {"vectors": torch.from_numpy(np.ascontiguousarray(directions.vectors))}
    save_tensor_file(json_path.with_suffix(".safetensors"), tensors, {"key": directions.key})
    header = asdict(directions)
    header["directions"] = [
        {"id": d.id, "value": d.value, "score": None if d.score is None else asdict(d.score)}
        for d in directions.directions
    ]
    header["format"] = FORMAT
    atomic_write(json_path, json.dumps(header, indent=1, allow_nan=True).encode())


def read_set(json_path: Path) -> DirectionSet:
    """A stored set; ArtifactError naming the file if it is broken."""
    try:
        data = json.loads(json_path.read_text())
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown format {data.get('format')!r}")
        tensors, _ = load_tensor_file(json_path.with_suffix(".safetensors"))
        vectors = tensors["vectors"].numpy()
        entries = data["directions"]
        if len(entries) != len(vectors):
            raise ValueError(f"{len(entries)} directions but {len(vectors)} vectors")
        directions = tuple(
            Direction(
                e["id"],
                vector,
                float(e["value"]),
                None if e["score"] is None else DirectionScore.from_dict(e["score"]),
            )
            for e, vector in zip(entries, vectors, strict=True)
        )
        return DirectionSet(
            data["key"],
            data["method"],
            data["parameters"],
            directions,
            data["value_name"],
            data["created"],
            float(data["compute_seconds"]),
            float(data["score_seconds"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise ArtifactError(f"{json_path} is not a valid direction set: {e}") from e


def find_set(model_dir: Path, key: str) -> DirectionSet | None:
    """The stored set with ``key``, or None."""
    path = set_path(model_dir, key)
    return read_set(path) if path.is_file() else None


def list_sets(model_dir: Path) -> list[DirectionSet]:
    """Every set stored for the version, by key."""
    folder = model_dir / FOLDER
    if not folder.is_dir():
        return []
    return sorted((read_set(p) for p in folder.glob("*.json")), key=_order)


def _order(directions: DirectionSet) -> tuple[int, str]:
    """Sets in the order of METHODS (sefa first, the random baseline last), then by key."""
    rank = METHODS.index(directions.method) if directions.method in METHODS else len(METHODS)
    return rank, directions.key


def all_directions(sets: Sequence[DirectionSet]) -> dict[str, Direction]:
    """Every direction of the sets, by id, in the sets' order."""
    return {d.id: d for s in sets for d in s.directions}


def find_direction(sets: Sequence[DirectionSet], direction_id: str, field: str) -> Direction:
    """The direction with this id; DirectionNotFoundError naming ``field`` and some known ids."""
    known = all_directions(sorted(sets, key=_order))
    if direction_id in known:
        return known[direction_id]
    listed = ", ".join(list(known)[:12]) or "none yet: compute some with `latentgan directions`"
    more = f" and {len(known) - 12} more" if len(known) > 12 else ""
    raise DirectionNotFoundError(
        f"no direction {shown(direction_id)} for this model (directions: {listed}{more})",
        field=field,
    )


def combine(
    sets: Sequence[DirectionSet], weights: Mapping[str, float], field: str = "direction"
) -> np.ndarray:
    """Σ weight·direction over direction ids (a single id with weight 1 is that direction)."""
    if not weights:
        raise ConfigError("name at least one direction", field=field)
    total: np.ndarray | None = None
    for direction_id, weight in weights.items():
        if not math.isfinite(weight):
            raise ConfigError(f"the weight of {shown(direction_id)} must be finite", field=field)
        part = float(weight) * find_direction(sets, direction_id, field).vector.astype(np.float64)
        total = part if total is None else total + part
    assert total is not None
    return total.astype(np.float32)
