"""Projection and completion of a stored model version: what they load, and the encoder a
version gets after the fact (decision 8: derived once, stored beside the version)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from latentgan.artifacts import ArtifactStore, LoadedModel, load_discriminator
from latentgan.data import split_dataset
from latentgan.errors import ConfigError
from latentgan.evaluate import evaluator_of, training_data
from latentgan.evaluator import Evaluator, as_model_input
from latentgan.models import Discriminator
from latentgan.projection.encoder import (
    Encoder,
    EncoderInfo,
    default_steps,
    has_encoder,
    load_encoder,
    save_encoder,
    train_encoder,
)


@dataclass
class ProjectionKit:
    """Everything projection and completion use for one version, loaded once."""

    model: LoadedModel
    evaluator: Evaluator
    encoder: Encoder | None
    discriminator: Discriminator | None


def projection_kit(store: ArtifactStore, ref: str, device: str = "cpu") -> ProjectionKit:
    """A version's generator (EMA), its data set's evaluator, and its encoder and discriminator
    when it has them."""
    return kit_of(store, store.load(ref, device=device), device)


def kit_of(store: ArtifactStore, model: LoadedModel, device: str = "cpu") -> ProjectionKit:
    """The kit of a version already loaded (a generation worker's cached model)."""
    evaluator = evaluator_of(store, model.manifest)
    encoder = load_encoder(model.path, model.manifest.model_config, device)
    discriminator = load_discriminator(model.path, device)
    return ProjectionKit(model, evaluator, encoder, discriminator)


def add_encoder(
    store: ArtifactStore,
    ref: str,
    device: str = "cpu",
    on_progress: Callable[[int, int, dict[str, float]], None] | None = None,
    steps: int | None = None,
) -> tuple[str, EncoderInfo]:
    """Train and store the encoder of a version that has none (``latentgan encoder``), for
    ``steps`` (default: as training gives one, ``encoder.default_steps``); the version's
    reference and what was trained. ConfigError naming ``model`` if it has one."""
    model = store.load(ref, device=device)
    if has_encoder(model.path):
        raise ConfigError(f"{model.manifest.ref} has an encoder already", field="model")
    train_split, _ = split_dataset(training_data(store, model.manifest))
    conditional = model.manifest.model_config.conditional
    encoder, info = train_encoder(
        model.generator,
        as_model_input(train_split.images),
        train_split.labels if conditional else None,
        steps=steps or default_steps(model.manifest.training.get("steps")),
        seed=model.manifest.train_config.seed,
        device=device,
        on_progress=on_progress,
    )
    save_encoder(model.path, encoder, info)
    return model.manifest.ref, info
