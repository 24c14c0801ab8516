"""Where a command runs: on this machine's store (``LocalBackend``), or through a platform's api.

Each command is defined once (``latentgan.cli.commands``) and runs against a backend. The local
backend is here, in the core. The remote one comes from the serving layer through the
``latentgan.backends`` entry-point group (``remote``: ``services.cli.remote.RemoteBackend``), so the
core never imports gRPC; ``Backend`` and ``JobBackend`` say what a backend must offer.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from latentgan.artifacts import ArtifactStore, BrokenVersion, Manifest, read_manifest
from latentgan.cli.flags import train_request
from latentgan.schemas.directions import DirectionRequest
from latentgan.schemas.training import TrainRequest
from latentgan.settings import Settings

BACKENDS_GROUP = "latentgan.backends"  # entry points naming backend classes (remote)


class Backend(Protocol):
    """What every command's backend offers: generation and the model listing."""

    local: bool  # True on this machine's store; False through an api

    def sample(self, model: str, raw: bool, **options: Any) -> tuple[np.ndarray, str]:
        """Images from ``model`` (see ``latentgan.generate.sample``) and how to name the source."""
        ...

    def interpolate(self, model: str, raw: bool, **options: Any) -> tuple[np.ndarray, str]:
        """Frames walking between two points of ``model``, and how to name the source."""
        ...

    def list_models(self) -> Sequence[Manifest | BrokenVersion]:
        """Every registered model version (a broken one marked, not fatal)."""
        ...

    def directions(self, model: str) -> tuple[str, list[dict[str, Any]]]:
        """The version's reference and its stored directions, as ``direction_json`` rows."""
        ...

    def compute_directions(
        self, model: str, request: DirectionRequest
    ) -> tuple[str, list[dict[str, Any]], bool]:
        """The version's reference, the set's directions (rows), and whether it was computed now."""
        ...

    def edit(
        self, model: str, raw: bool, direction: str | Mapping[str, float], **options: Any
    ) -> tuple[np.ndarray, str]:
        """An edit grid (rows × strengths × H×W×C) and how to name the source."""
        ...


class JobBackend(Backend, Protocol):
    """A backend that runs training as platform jobs (the remote one)."""

    def submit(self, request: TrainRequest, request_id: str | None) -> Any:
        """Start a training job; returns it (a ``latentgan_client.Job``)."""
        ...

    def follow(
        self, job: Any, on_event: Callable[[Any], None], on_break: Callable[[Exception], None]
    ) -> None:
        """Feed JOB's progress events (``latentgan_client.ProgressEvent``) to ``on_event`` until
        it finishes, riding out broken streams (each outage told once to ``on_break``)."""
        ...

    def get_job(self, job_id: str) -> Any:
        """One job now."""
        ...

    def cancel_job(self, job_id: str) -> Any:
        """Ask a job to stop; the job afterwards."""
        ...

    def list_jobs(self, name: str | None, limit: int) -> Sequence[Any]:
        """The newest jobs, optionally of one model name."""
        ...

    def connection_flags(self) -> str:
        """The flags that reach this api again, for commands suggested to the user."""
        ...


class RemoteBackendClass(Protocol):
    """The class a ``latentgan.backends`` entry point names."""

    def __call__(self, args: argparse.Namespace) -> AbstractContextManager[JobBackend]:
        """A backend for the command line ARGS, as a context manager holding its connection."""
        ...

    def add_flags(self, p: argparse.ArgumentParser) -> None:
        """The flags that say how to reach the api (--address, --token, ...)."""
        ...


def remote_backend() -> RemoteBackendClass | None:
    """The installed remote backend, or None when the serving layer is not installed."""
    for entry in entry_points(group=BACKENDS_GROUP, name="remote"):
        loaded: RemoteBackendClass = entry.load()
        return loaded
    return None


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class LocalBackend:
    """Commands on this machine: the artifact store under the settings' data directory."""

    local = True

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = ArtifactStore(settings.data_dir, settings.offline)

    def __enter__(self) -> LocalBackend:
        return self

    def __exit__(self, *_: object) -> None:
        return None

    def sample(self, model: str, raw: bool, **options: Any) -> tuple[np.ndarray, str]:
        """Images from a stored model version, computed here."""
        from latentgan.generate import sample

        loaded = self.store.load(model, ema=not raw)
        return sample(loaded.generator, **options), loaded.manifest.ref

    def interpolate(self, model: str, raw: bool, **options: Any) -> tuple[np.ndarray, str]:
        """Frames from a stored model version, computed here."""
        from latentgan.generate import interpolate_images

        loaded = self.store.load(model, ema=not raw)
        return interpolate_images(loaded.generator, **options), loaded.manifest.ref

    def list_models(self) -> Sequence[Manifest | BrokenVersion]:
        """The store's model versions, a broken one marked."""
        return self.store.listing()

    def directions(self, model: str) -> tuple[str, list[dict[str, Any]]]:
        """The stored directions of a version."""
        from latentgan.directions import list_sets
        from latentgan.directions.store import direction_json

        directory = self.store.resolve(model)
        ref = read_manifest(directory).ref
        return ref, [direction_json(s, d) for s in list_sets(directory) for d in s.directions]

    def compute_directions(
        self, model: str, request: DirectionRequest
    ) -> tuple[str, list[dict[str, Any]], bool]:
        """A set computed here (or the stored one), stored beside the version."""
        from latentgan.directions import ensure_direction_set
        from latentgan.directions.store import direction_json

        loaded = self.store.load(model)
        found, created = ensure_direction_set(self.store, model, request, model=loaded, say=_say)
        return loaded.manifest.ref, [direction_json(found, d) for d in found.directions], created

    def edit(
        self, model: str, raw: bool, direction: str | Mapping[str, float], **options: Any
    ) -> tuple[np.ndarray, str]:
        """An edit grid computed here, along stored directions of the version."""
        from latentgan.directions import combine, list_sets
        from latentgan.generate import edit

        loaded = self.store.load(model, ema=not raw)
        weights = {direction: 1.0} if isinstance(direction, str) else dict(direction)
        vector = combine(list_sets(loaded.path), weights)
        return edit(loaded.generator, vector, **options), loaded.manifest.ref

    def project(
        self,
        model: str,
        images: Sequence[Path],
        labels: Sequence[int] | None,
        method: str,
        steps: int | None,
        seed: int,
    ) -> tuple[Any, np.ndarray, str]:
        """Project image files here, as a worker serves Project: the ProjectionRun, the fitted
        originals (uint8 N×H×W×C) and the version's reference."""
        from latentgan.images import to_uint8
        from latentgan.projection.fit import fit_images
        from latentgan.projection.requests import prepare_projection, project_prepared
        from latentgan.projection.versions import projection_kit
        from latentgan.schemas.projection import ProjectParams

        kit = projection_kit(self.store, model)
        targets = fit_images(list(images), kit.model.manifest.model_config, field="image")
        params = ProjectParams(
            targets.numpy(),
            tuple(labels or ()),
            method,  # type: ignore[arg-type]  # argparse's choices are the methods
            steps,
            seed,
        )
        (run,) = project_prepared(kit, [prepare_projection(kit, params)])
        return run, to_uint8(targets), kit.model.manifest.ref

    def complete(
        self,
        model: str,
        image: Path,
        mask: str,
        k: int,
        steps: int | None,
        label: int | None,
        seed: int,
    ) -> tuple[Any, np.ndarray, np.ndarray, str]:
        """Complete an image file here, as a worker serves Complete: the Completion, the masked
        input and the fitted original (uint8 H×W×C each), and the version's reference."""
        from latentgan.images import to_uint8
        from latentgan.projection.fit import fit_images, fit_mask
        from latentgan.projection.requests import complete_request
        from latentgan.projection.versions import projection_kit
        from latentgan.schemas.projection import CompleteParams

        kit = projection_kit(self.store, model)
        cfg = kit.model.manifest.model_config
        target = fit_images([image], cfg, field="image")
        known = fit_mask(mask, cfg, seed)
        params = CompleteParams(target.numpy(), known.astype(np.float32), k, steps, label, seed)
        done, _ = complete_request(kit, params)
        original = to_uint8(target)[0]
        return done, original * known[..., None], original, kit.model.manifest.ref

    def add_encoder(
        self,
        model: str,
        steps: int | None,
        on_progress: Callable[[int, int, dict[str, float]], None] | None = None,
    ) -> tuple[str, Any]:
        """Train and store a version's encoder here."""
        from latentgan.projection.versions import add_encoder

        return add_encoder(self.store, model, on_progress=on_progress, steps=steps)

    def train_job(self, args: argparse.Namespace) -> Any:
        """The TrainJob that `train` ARGS describe, on this machine's device."""
        return train_request(args).to_job(
            device=args.device or self.settings.device, run_dir=args.out, resume=args.resume
        )
