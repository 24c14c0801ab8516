"""A picture of a direction set: a row per direction, a column per strength, one seeded latent.

What the Prefect UI shows for each new set, what the README's figures are made of, and what a
person looks at first to judge a direction: the same latent moved from −3σ to +3σ.
"""

from __future__ import annotations

import numpy as np

from latentgan.directions.store import DirectionSet
from latentgan.generate import edit
from latentgan.images import grid
from latentgan.models import Generator

PREVIEW_STRENGTHS = (-3.0, -1.5, 0.0, 1.5, 3.0)


def preview(
    g: Generator,
    directions: DirectionSet,
    strengths: tuple[float, ...] = PREVIEW_STRENGTHS,
    seed: int = 0,
    label: int | None = None,
) -> np.ndarray:
    """One image (uint8 H×W×C): latent (seed, 0) edited along each direction of the set."""
    labels = None if label is None or not g.cfg.num_classes else [label]
    rows = [edit(g, d.vector, strengths, 1, seed, labels)[0] for d in directions.directions]
    return grid(np.concatenate(rows), columns=len(strengths))
