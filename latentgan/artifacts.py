"""Model versions on disk and the store that names them (docs/architecture.md, decisions 1 and 2).

A model version is a directory::

    manifest.json               what the weights are: architecture, training, data, metrics
    generator.safetensors       the raw generator's weights
    generator_ema.safetensors   the EMA generator's weights (served by default)
    discriminator.safetensors   the discriminator's (the completion prior; older versions lack it)

The store, rooted at ``LATENTGAN_DATA_DIR``, keeps ``models/NAME/VERSION/`` with versions numbered
1, 2, ... in the order they were registered; ``evaluators/`` and ``runs/`` sit beside ``models/``.
A model is referred to as ``NAME`` (its latest version), ``NAME@VERSION``, or a directory path.
Registration renames a fully written staging directory into place, so a version is either
complete or absent.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import torch

from latentgan.checkpoint import atomic_write, load_tensor_file, save_tensor_file
from latentgan.config import ModelConfig, TrainConfig, config_from_dict
from latentgan.data import Downloads
from latentgan.errors import ArtifactError, ConfigError, ModelNotFoundError, shown
from latentgan.models import Discriminator, Generator

MANIFEST = "manifest.json"
GENERATOR = "generator.safetensors"
GENERATOR_EMA = "generator_ema.safetensors"
DISCRIMINATOR = "discriminator.safetensors"
FORMAT = "latentgan.model/1"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class Manifest:
    """Everything needed to rebuild, serve and judge a model version (``manifest.json``)."""

    name: str
    version: int
    created: str  # ISO 8601, UTC
    model_config: ModelConfig
    train_config: TrainConfig
    dataset: dict[str, Any]  # spec, fingerprint, sizes of the splits
    class_names: tuple[str, ...]  # () for unconditional models
    metrics: dict[str, Any] | None = None
    training: dict[str, Any] = field(default_factory=dict)  # steps, wall time, images/s, device
    weights: dict[str, str] = field(default_factory=dict)  # file name -> sha256
    format: str = FORMAT

    @property
    def image_shape(self) -> tuple[int, int, int]:
        """(H, W, C) of the images the model makes."""
        c = self.model_config
        return (c.image_size, c.image_size, c.channels)

    @property
    def ref(self) -> str:
        """``NAME@VERSION``."""
        return f"{self.name}@{self.version}"

    def to_json(self) -> str:
        """The manifest as stored, including the derived image shape and latent size."""
        data = asdict(self)
        data["image_shape"] = list(self.image_shape)
        data["latent_dim"] = self.model_config.latent_dim
        return json.dumps(data, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, where: Path) -> Manifest:
        """Parse a stored manifest; a broken one is an ArtifactError naming the file."""
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                raise ValueError(f"unknown format {data.get('format')!r}")
            return cls(
                name=data["name"],
                version=int(data["version"]),
                created=data["created"],
                model_config=config_from_dict(ModelConfig, data["model_config"]),
                train_config=config_from_dict(TrainConfig, data["train_config"]),
                dataset=data["dataset"],
                class_names=tuple(data["class_names"]),
                metrics=data.get("metrics"),
                training=data.get("training", {}),
                weights=data.get("weights", {}),
            )
        except (ValueError, KeyError, TypeError) as e:
            raise ArtifactError(f"{where} is not a valid latentgan manifest: {e}") from e


@dataclass(frozen=True)
class BrokenVersion:
    """A registered version that cannot be read: listed, so one broken version hides no other."""

    name: str
    version: int
    problem: str  # what is wrong, without the store's location

    @property
    def ref(self) -> str:
        """``NAME@VERSION``."""
        return f"{self.name}@{self.version}"


@dataclass
class LoadedModel:
    """A model version ready to generate: its manifest and its generator in eval mode."""

    manifest: Manifest
    generator: Generator
    path: Path


def now_iso() -> str:
    """The current time in UTC, ISO 8601 with seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_model_dir(
    directory: Path,
    manifest: Manifest,
    generator: Generator,
    generator_ema: Generator | None,
    discriminator: Discriminator | None = None,
) -> Manifest:
    """Write weights and manifest into ``directory``; returns the manifest with weight hashes."""
    directory.mkdir(parents=True, exist_ok=True)
    files: dict[str, torch.nn.Module] = {GENERATOR: generator}
    if generator_ema is not None:
        files[GENERATOR_EMA] = generator_ema
    if discriminator is not None:
        files[DISCRIMINATOR] = discriminator
    for file_name, module in files.items():
        save_tensor_file(directory / file_name, module.state_dict(), {"model": manifest.name})
    manifest = replace(manifest, weights={f: _sha256(directory / f) for f in files})
    atomic_write(directory / MANIFEST, manifest.to_json().encode())
    return manifest


def read_manifest(directory: Path) -> Manifest:
    """The manifest of a model directory."""
    path = directory / MANIFEST
    if not path.is_file():
        raise ArtifactError(f"{directory} is not a model directory (no {MANIFEST})")
    return Manifest.from_json(path.read_text(), path)


def manifest_stamp(directory: Path) -> int:
    """When the directory's manifest was last written (ns): a cache key for a model version.

    Version directories are immutable once registered, but a deleted version's number can be
    registered again; caches compare this stamp so they never serve the old weights.
    """
    return (directory / MANIFEST).stat().st_mtime_ns


def load_model_dir(directory: Path, *, ema: bool = True, device: str = "cpu") -> LoadedModel:
    """Rebuild the generator of a model directory, refusing weights that do not match."""
    manifest = read_manifest(directory)
    file_name = GENERATOR_EMA if ema and GENERATOR_EMA in manifest.weights else GENERATOR
    path = directory / file_name
    expected = manifest.weights.get(file_name)
    if expected is None:
        raise ArtifactError(f"{directory / MANIFEST} lists no {file_name}")
    if not path.is_file():
        raise ArtifactError(f"{path} is missing")
    if _sha256(path) != expected:
        raise ArtifactError(f"{path} does not match the sha256 in its manifest")
    tensors, _ = load_tensor_file(path)
    generator = Generator(manifest.model_config.validate())
    try:
        generator.load_state_dict(tensors)
    except RuntimeError as e:
        first = str(e).strip().splitlines()[0]
        raise ArtifactError(f"{path} does not fit the architecture in its manifest: {first}") from e
    return LoadedModel(manifest, generator.to(device).eval().requires_grad_(False), directory)


def load_discriminator(directory: Path, device: str = "cpu") -> Discriminator | None:
    """The discriminator stored with a version (eval mode, frozen), or None for a version
    registered without one; ArtifactError if its file does not match the manifest."""
    manifest = read_manifest(directory)
    expected = manifest.weights.get(DISCRIMINATOR)
    if expected is None:
        return None
    path = directory / DISCRIMINATOR
    if not path.is_file() or _sha256(path) != expected:
        raise ArtifactError(f"{path} is missing or does not match the sha256 in its manifest")
    tensors, _ = load_tensor_file(path)
    discriminator = Discriminator(manifest.model_config.validate())
    try:
        discriminator.load_state_dict(tensors)
    except RuntimeError as e:
        first = str(e).strip().splitlines()[0]
        raise ArtifactError(f"{path} does not fit the architecture in its manifest: {first}") from e
    return discriminator.to(device).eval().requires_grad_(False)


def check_name(name: str) -> str:
    """Return a valid model name or raise ConfigError saying what a name may be."""
    if not NAME_PATTERN.match(name):
        raise ConfigError(
            f"invalid model name {shown(name)}: use 1-64 letters, digits, '.', '_' or '-',"
            " starting with a letter or digit",
            field="name",
        )
    return name


class ArtifactStore:
    """Named, numbered model versions under one root directory."""

    def __init__(self, root: Path, offline: bool = False) -> None:
        self.root = root.expanduser()
        self.offline = offline  # whether a data set missing from datasets/ may be downloaded

    @property
    def models_dir(self) -> Path:
        """``<root>/models``."""
        return self.root / "models"

    @property
    def evaluators_dir(self) -> Path:
        """``<root>/evaluators``: cached evaluator classifiers."""
        return self.root / "evaluators"

    @property
    def downloads(self) -> Downloads:
        """``<root>/datasets``: the downloaded data sets, fetched unless the store is offline."""
        return Downloads(self.root / "datasets", self.offline)

    @property
    def runs_dir(self) -> Path:
        """``<root>/runs``: training runs' checkpoints and sample grids."""
        return self.root / "runs"

    def names(self) -> list[str]:
        """Model names with at least one version, sorted."""
        if not self.models_dir.is_dir():
            return []
        return sorted(p.name for p in self.models_dir.iterdir() if self.versions(p.name))

    def versions(self, name: str) -> list[int]:
        """Registered versions of ``name``, ascending."""
        folder = self.models_dir / name
        if not folder.is_dir():
            return []
        return sorted(
            int(p.name) for p in folder.iterdir() if p.name.isdigit() and (p / MANIFEST).is_file()
        )

    def manifests(self) -> list[Manifest]:
        """Every registered version's manifest, by name then version."""
        return [
            read_manifest(self.models_dir / n / str(v))
            for n in self.names()
            for v in self.versions(n)
        ]

    def listing(self) -> list[Manifest | BrokenVersion]:
        """Every registered version, by name then version: its manifest, or what is wrong with it
        (with paths relative to the store, so the listing can go to a remote caller)."""
        found: list[Manifest | BrokenVersion] = []
        for name in self.names():
            for version in self.versions(name):
                try:
                    found.append(read_manifest(self.models_dir / name / str(version)))
                except (ArtifactError, OSError) as e:
                    problem = str(e).replace(f"{self.models_dir}{os.sep}", "")
                    found.append(BrokenVersion(name, version, problem))
        return found

    def resolve(self, ref: str) -> Path:
        """The directory for ``NAME``, ``NAME@VERSION`` or a path to a model directory."""
        if os.sep in ref or ref.startswith((".", "~")):
            path = Path(ref).expanduser()
            if not (path / MANIFEST).is_file():
                raise ModelNotFoundError(f"no model directory at {path}", field="model")
            return path
        name, _, version = ref.partition("@")
        if not NAME_PATTERN.match(name):
            raise ModelNotFoundError(f"invalid model reference {shown(ref)}", field="model")
        versions = self.versions(name)
        if not versions:
            known = ", ".join(self.names()) or "none yet; train one with `latentgan train`"
            raise ModelNotFoundError(
                f"no model named {shown(name)} (models: {known})", field="model"
            )
        if version in ("", "latest"):
            return self.models_dir / name / str(versions[-1])
        if not version.isdigit() or int(version) not in versions:
            raise ModelNotFoundError(
                f"model {shown(name)} has no version {shown(version)} (versions: "
                f"{', '.join(map(str, versions))})",
                field="model",
            )
        return self.models_dir / name / str(int(version))

    def load(self, ref: str, *, ema: bool = True, device: str = "cpu") -> LoadedModel:
        """Load a model by reference (see ``resolve``)."""
        return load_model_dir(self.resolve(ref), ema=ema, device=device)

    def register(
        self,
        manifest: Manifest,
        generator: Generator,
        generator_ema: Generator | None,
        extras: Callable[[Path], None] | None = None,
        discriminator: Discriminator | None = None,
    ) -> Manifest:
        """Store a new version of ``manifest.name``; returns the manifest with its version.

        ``extras`` writes what else belongs to the version (its direction sets) into the
        directory before it is renamed into place, so the version appears with them.
        """
        name = check_name(manifest.name)
        folder = self.models_dir / name
        staging = folder / f".staging-{uuid.uuid4().hex}"
        try:
            while True:
                shutil.rmtree(staging, ignore_errors=True)  # after a lost race: start afresh
                version = (self.versions(name) or [0])[-1] + 1
                written = write_model_dir(
                    staging,
                    replace(manifest, version=version),
                    generator,
                    generator_ema,
                    discriminator,
                )
                if extras is not None:
                    extras(staging)
                try:
                    os.rename(staging, folder / str(version))  # atomic; fails if it exists
                    return written
                except OSError:
                    if not (folder / str(version)).exists():
                        raise  # not a lost race: a real error
        finally:
            shutil.rmtree(staging, ignore_errors=True)
