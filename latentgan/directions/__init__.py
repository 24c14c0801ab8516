"""Meaningful directions in a generator's latent space, kept with the model version.

``methods`` finds them (SeFa, GANSpace's PCA, InterFaceGAN boundaries of measured attributes,
random baselines), ``compute`` scores them and computes each set at most once per version, and
``store`` keeps them beside the version and resolves direction ids (docs/architecture.md,
decision 13). Editing along them is ``latentgan.generate.edit`` (``EditParams``).
"""

from latentgan.directions.compute import (
    AttributeMeter,
    default_direction_sets,
    ensure_direction_set,
    meter_for,
)
from latentgan.directions.store import (
    AttributeChange,
    Direction,
    DirectionScore,
    DirectionSet,
    combine,
    find_direction,
    list_sets,
    write_set,
)
from latentgan.schemas.directions import METHODS, DirectionRequest

__all__ = [
    "METHODS",
    "AttributeChange",
    "AttributeMeter",
    "Direction",
    "DirectionRequest",
    "DirectionScore",
    "DirectionSet",
    "combine",
    "default_direction_sets",
    "ensure_direction_set",
    "find_direction",
    "list_sets",
    "meter_for",
    "write_set",
]
