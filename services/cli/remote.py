"""The remote backend of the ``latentgan`` command: its commands run through a platform's api.

``latentgan remote sample|interpolate|directions|edit|project|complete|models|train|jobs|job|
cancel`` are the core CLI's own commands (``latentgan.cli.commands``) run on this backend, which
it finds through the ``latentgan.backends`` entry-point group. This module only reaches the api
with the Python SDK and turns the SDK's errors into the core's; it defines no command, prints
nothing and imports nothing of the core CLI.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from latentgan.artifacts import BrokenVersion, Manifest
from latentgan.directions.store import direction_row
from latentgan.errors import LatentganError
from latentgan.schemas.directions import DirectionRequest
from latentgan.schemas.training import TrainRequest
from latentgan_client import DirectionInfo
from services.settings import get_serving_settings

DEFAULT_ADDRESS = "127.0.0.1:50051"
RETRY_PAUSE_S = 2.0  # while watching: the pause before looking again after a broken stream


def _address(text: str) -> str:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {text!r}")
    return text


_address.__name__ = "address"


class RemoteBackend:
    """A connection to a latentgan api (an SDK Client) for the length of one command."""

    local = False

    def __init__(self, args: argparse.Namespace) -> None:
        self.address: str = args.address
        self.token: str | None = args.token or get_serving_settings().auth_token
        self.tls: bool | Path | None = args.ca_cert or (True if args.tls else None)
        self.ca_cert: Path | None = args.ca_cert
        self.timeout: float = args.timeout
        self._client: Any = None

    @staticmethod
    def add_flags(p: argparse.ArgumentParser) -> None:
        """How to reach the api: --address, --token, --tls, --ca-cert, --timeout."""
        p.add_argument(
            "--address", type=_address, default=DEFAULT_ADDRESS, help="HOST:PORT of the api"
        )
        p.add_argument("--token", help="bearer token (default $LATENTGAN_AUTH_TOKEN)")
        p.add_argument("--tls", action="store_true", help="use TLS with the system's CA roots")
        p.add_argument("--ca-cert", type=Path, help="use TLS trusting this PEM CA certificate")
        p.add_argument("--timeout", type=float, default=60.0, help="seconds per call (default 60)")

    def __enter__(self) -> RemoteBackend:
        import latentgan_client

        self._client = latentgan_client.Client(
            self.address, token=self.token, tls=self.tls, timeout=self.timeout
        )
        self._client.__enter__()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        from latentgan_client.errors import LatentganError as ClientError

        self._client.__exit__(*exc_info)
        exc = exc_info[1]
        if isinstance(exc, ClientError):  # an SDK error is a one-line CLI error
            raise LatentganError(str(exc), field=exc.field) from exc

    # --- generation and models ---------------------------------------------------------------

    def _source(self, model: str) -> str:
        return f"{model} at {self.address}"

    def sample(self, model: str, raw: bool, **options: Any) -> tuple[np.ndarray, str]:
        """Images from the api (``raw`` is the local store's: a server serves its EMA)."""
        return self._client.sample(model, **options), self._source(model)

    def interpolate(self, model: str, raw: bool, **options: Any) -> tuple[np.ndarray, str]:
        """Frames from the api."""
        return self._client.interpolate(model, **options), self._source(model)

    def directions(self, model: str) -> tuple[str, list[dict[str, Any]]]:
        """The version's stored directions, from the api."""
        return self._source(model), [_row(d) for d in self._client.directions(model)]

    def compute_directions(
        self, model: str, request: DirectionRequest
    ) -> tuple[str, list[dict[str, Any]], bool]:
        """A set computed (or found) by the api."""
        found = self._client.compute_directions(
            model,
            method=request.method,
            k=request.k,
            attribute=request.attribute,
            orthogonal_to=request.orthogonal_to,
            samples=request.samples,
            seed=request.seed,
        )
        return self._source(model), [_row(d) for d in found.directions], found.created_now

    def edit(
        self, model: str, raw: bool, direction: str | Mapping[str, float], **options: Any
    ) -> tuple[np.ndarray, str]:
        """An edit grid from the api."""
        return self._client.edit(model, direction, **options), self._source(model)

    def _fitted(self, model: str, images: Sequence[Path]) -> np.ndarray:
        """The images as the server fits them for the model (uint8 N×H×W×C), for the pictures."""
        from latentgan.images import to_uint8
        from latentgan.projection.fit import fit_images

        info = self._client.get_model(model)
        cfg = Manifest.from_json(json.dumps(info.manifest), Path(self.address)).model_config
        return to_uint8(fit_images(list(images), cfg, field="image"))

    def project(
        self,
        model: str,
        images: Sequence[Path],
        labels: Sequence[int] | None,
        method: str,
        steps: int | None,
        seed: int,
    ) -> tuple[Any, np.ndarray, str]:
        """Project image files through the api: the same ProjectionRun the local backend gives."""
        from latentgan.projection.optimize import Projection
        from latentgan.projection.project import ProjectionRun

        try:
            found = self._client.project(
                model, list(images), labels=labels, method=method, steps=steps, seed=seed
            )
        except (ValueError, TypeError) as e:  # refused by the SDK before any call
            raise LatentganError(str(e), field="image") from e
        projection = Projection(
            latents=found.latents,
            labels=found.labels,
            images=found.images,
            pixel_distance=found.distances.pixel,
            feature_distance=found.distances.feature,
            steps=found.steps,
        )
        run = ProjectionRun(projection, found.method)
        return run, self._fitted(model, images), self._source(found.model)

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
        """Complete an image file through the api: the Completion, the masked input and the
        original as the local backend gives them."""
        from latentgan.projection.complete import Completion

        spec: str | Path = Path(mask) if Path(mask).is_file() else mask
        try:
            found = self._client.complete(
                model, image, spec, k=k, steps=steps, label=label, seed=seed
            )
        except (ValueError, TypeError) as e:  # refused by the SDK before any call
            raise LatentganError(str(e), field="mask") from e
        done = Completion(images=found.images, losses=found.losses, latents=found.latents)
        original = self._fitted(model, [image])[0]
        return done, original * found.mask[..., None], original, self._source(found.model)

    def list_models(self) -> Sequence[Manifest | BrokenVersion]:
        """The server's model versions, as manifests; a broken one as the server marks it."""
        where = Path(self.address)
        return [
            BrokenVersion(info.name, info.version, info.problem)
            if info.problem
            else Manifest.from_json(json.dumps(info.manifest), where)
            for info in self._client.list_models()
        ]

    # --- training jobs -------------------------------------------------------------------------

    def submit(self, request: TrainRequest, request_id: str | None) -> Any:
        """Send Train: the request's own fields, and every other non-default value as an option."""
        return self._client.train(**train_arguments(request, request_id))

    def follow(
        self, job: Any, on_event: Callable[[Any], None], on_break: Callable[[Exception], None]
    ) -> None:
        """Feed JOB's progress events to ON_EVENT until it finishes; a broken stream is told to
        ON_BREAK once and watched again (a lasting outage keeps trying: Ctrl-C is the way out)."""
        for event in job.watch(reconnect=True, retry_pause=RETRY_PAUSE_S, on_retry=on_break):
            on_event(event)

    def get_job(self, job_id: str) -> Any:
        """One job now."""
        return self._client.get_job(job_id)

    def cancel_job(self, job_id: str) -> Any:
        """Ask a job to stop."""
        return self._client.cancel(job_id)

    def list_jobs(self, name: str | None, limit: int) -> Sequence[Any]:
        """The newest jobs."""
        return list(self._client.list_jobs(name, limit=limit))

    def connection_flags(self) -> str:
        """The flags that reach this api again (never the token)."""
        flags = [] if self.address == DEFAULT_ADDRESS else [f"--address {self.address}"]
        flags += [f"--ca-cert {self.ca_cert}"] if self.ca_cert else ["--tls"] if self.tls else []
        return "".join(f" {flag}" for flag in flags)


def _row(direction: DirectionInfo) -> dict[str, Any]:
    score = None if direction.score is None else dataclasses.asdict(direction.score)
    return direction_row(direction.id, direction.set_key, direction.method, direction.value, score)


def train_arguments(request: TrainRequest, request_id: str | None) -> dict[str, Any]:
    """The keyword arguments of ``Client.train`` for REQUEST: its fields, then its options."""
    fields = request.fields()
    options = fields.pop("options")
    fields["name"] = fields["name"] or ""  # empty: the server names it after the data set
    if fields["epochs"] is not None:
        fields["epochs"] = int(fields["epochs"])  # a Train request carries whole epochs
    return {**fields, "request_id": request_id, **options}
