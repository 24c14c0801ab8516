"""A training job end to end: data -> train (with checkpoints) -> evaluate -> register.

Each step is its own function so that the orchestration layer can run them as separate tasks;
``run_training_job`` chains them for the CLI. A run directory remembers what it has registered
(``registered.json``), so resuming or retrying a finished run never registers a second version.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import torch

from latentgan.artifacts import ArtifactStore, Manifest, check_name, now_iso, read_manifest
from latentgan.checkpoint import atomic_write
from latentgan.config import ModelConfig, TrainConfig
from latentgan.data import ImageDataset, available_datasets, load_dataset, split_dataset
from latentgan.directions import AttributeMeter, DirectionSet, default_direction_sets, write_set
from latentgan.errors import ConfigError
from latentgan.evaluate import DEFAULT_SAMPLES, Metrics, evaluate_generator
from latentgan.evaluator import Evaluator, as_model_input, load_or_train_evaluator
from latentgan.projection.encoder import DEFAULT_STEPS as ENCODER_STEPS
from latentgan.projection.encoder import Encoder, EncoderInfo, save_encoder, train_encoder
from latentgan.projection.encoder import default_steps as default_encoder_steps
from latentgan.train import (
    CHECKPOINT_FILE,
    ProgressCallback,
    TrainResult,
    read_checkpoint_configs,
    resolve_device,
    train,
)

REGISTERED = "registered.json"
LOCK_FILE = ".lock"


@dataclass(frozen=True)
class TrainJob:
    """Everything a training job needs, as plain values (what a Train request carries)."""

    dataset: str
    model: ModelConfig
    train: TrainConfig
    name: str | None = None
    image_size: int | None = None
    run_dir: Path | None = None
    resume: bool = False
    evaluate: bool = True
    eval_samples: int = DEFAULT_SAMPLES
    directions: bool = True  # compute the default direction sets, stored with the version
    encoder: bool = True  # train the projection encoder, stored with the version
    encoder_steps: int | None = None  # None: ENCODER_STEPS, or the generator's steps if fewer
    device: str = "auto"


@dataclass
class JobOutcome:
    """What a job produced: the registered manifest (None when stopped early) and the run."""

    manifest: Manifest | None
    result: TrainResult | None
    run_dir: Path
    resumed_from: int = 0  # the checkpoint's step, 0 for a fresh start
    already_registered: bool = False


def default_name(dataset: str, conditional: bool) -> str:
    """A model name from the data set: its spec, or a path's last part, made name-safe."""
    stem = Path(dataset.rstrip("/")).name.split(".")[0] or "model"
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-._") or "model"
    return safe[:58] + ("-cond" if conditional else "")


def load_job_data(job: TrainJob, store: ArtifactStore) -> tuple[ImageDataset, ImageDataset]:
    """The whole data set and its train split, sized for the model."""
    data = load_dataset(job.dataset, job.image_size, store.downloads)
    train_split, _ = split_dataset(data)
    return data, train_split


def fit_model_config(model: ModelConfig, data: ImageDataset) -> ModelConfig:
    """The model config with the data's image size, channels and (if conditional) class count."""
    if model.conditional and data.labels is None:
        raise ConfigError(
            f"{data.spec} has no labels: it cannot train a conditional model", field="conditional"
        )
    classes = data.num_classes if model.conditional else 0
    return replace(
        model, image_size=data.image_size, channels=data.channels, num_classes=classes
    ).validate()


def choose_run_dir(job: TrainJob, name: str, store: ArtifactStore) -> Path:
    """``job.run_dir``; else, resuming, the newest unfinished run of ``name``; else a new one."""
    if job.run_dir is not None:
        if job.run_dir.exists() and not job.run_dir.is_dir():
            raise ConfigError(f"--out {job.run_dir} is a file, not a directory", field="out")
        return job.run_dir
    runs = store.runs_dir / name
    if job.resume and runs.is_dir():
        unfinished = sorted(
            p
            for p in runs.iterdir()
            if (p / CHECKPOINT_FILE).exists() and not (p / REGISTERED).exists()
        )
        if unfinished:
            return unfinished[-1]
    return runs / datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")


def read_registered(run_dir: Path) -> str | None:
    """The model reference a run registered, or None."""
    path = run_dir / REGISTERED
    return str(json.loads(path.read_text())["ref"]) if path.exists() else None


def registered_manifest(store: ArtifactStore, name: str, run_dir: Path) -> Manifest | None:
    """The version this run registered: from its record, else found by the run in the store."""
    ref = read_registered(run_dir)
    if ref is not None:
        return store.load(ref).manifest
    run = str(run_dir.resolve())
    for version in store.versions(name):
        manifest = read_manifest(store.models_dir / name / str(version))
        if manifest.training.get("run") == run:
            return manifest
    return None


def run_training_job(
    job: TrainJob,
    store: ArtifactStore,
    on_progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
    on_status: Callable[[str], None] | None = None,
) -> JobOutcome:
    """Train, evaluate and register one model version; resumable and registered at most once."""
    say = on_status or (lambda _msg: None)
    data, train_split = load_job_data(job, store)
    model_cfg = fit_model_config(job.model, data)
    train_cfg = job.train.validate()
    name = check_name(job.name or default_name(job.dataset, model_cfg.conditional))
    run_dir = choose_run_dir(job, name, store)
    with run_lock(run_dir, say):
        existing = read_checkpoint_configs(run_dir)
        resumed_from = 0
        if existing is not None and not job.resume:
            raise ConfigError(
                f"{run_dir} already holds a checkpoint (step {existing[2]}): pass --resume to"
                " continue it, or choose another --out",
                field="out",
            )
        if existing is not None:
            model_cfg, train_cfg, resumed_from = existing
            manifest = registered_manifest(store, name, run_dir)
            if manifest is not None:
                _record_registration(run_dir, manifest)
                return JobOutcome(manifest, None, run_dir, resumed_from, already_registered=True)
            say(f"resuming {run_dir} from step {resumed_from}")
        elif job.resume:
            say(f"nothing to resume in {run_dir}: starting from step 0")
        device = resolve_device(job.device)
        result = train(
            train_split,
            model_cfg,
            train_cfg,
            run_dir,
            device=device,
            resume=True,
            on_progress=on_progress,
            should_stop=should_stop,
        )
        if result.stopped:
            return JobOutcome(None, result, run_dir, resumed_from)
        metrics: Metrics | None = None
        evaluator: Evaluator | None = None
        if job.evaluate and data.labels is not None:
            say("evaluating")
            evaluator = load_or_train_evaluator(data, store.evaluators_dir)
            metrics = evaluate_generator(result.generator, data, evaluator, job.eval_samples)
        directions: list[DirectionSet] = []
        if job.directions:
            say("finding latent directions")
            meter = AttributeMeter(model_cfg.channels, evaluator)
            directions = default_direction_sets(result.generator, model_cfg, meter, say)
        encoder: tuple[Encoder, EncoderInfo] | None = None
        if job.encoder:
            say("training the projection encoder")
            steps = job.encoder_steps or default_encoder_steps(result.step)
            encoder = train_projection_encoder(result, train_split, device, steps)
            if evaluator is None and data.labels is not None:
                # Projection measures its feature distance with the data set's evaluator: have it
                # cached now, so that no Project or Complete call has to train it (decision 14).
                load_or_train_evaluator(data, store.evaluators_dir)
        # A run killed between registering and recording it must not register again when resumed.
        manifest = registered_manifest(store, name, run_dir) or register_result(
            store,
            name,
            data,
            train_split,
            result,
            metrics,
            device.type,
            run_dir,
            directions,
            encoder,
        )
        _record_registration(run_dir, manifest)
        return JobOutcome(manifest, result, run_dir, resumed_from)


def _record_registration(run_dir: Path, manifest: Manifest) -> None:
    if read_registered(run_dir) != manifest.ref:
        atomic_write(run_dir / REGISTERED, json.dumps({"ref": manifest.ref}).encode())


@contextlib.contextmanager
def run_lock(run_dir: Path, say: Callable[[str], None]) -> Iterator[None]:
    """Hold the run directory exclusively; a second process on the same run waits its turn.

    A platform may start one job twice (a retry racing a late crash report): the second run then
    waits here, finds the first one's registration, and only reports it. The kernel drops the
    lock when its holder dies, so a killed run never blocks its resume.
    """
    run_dir.mkdir(parents=True, exist_ok=True)
    with (run_dir / LOCK_FILE).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"{run_dir} is in use by another process: waiting for it to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def register_result(
    store: ArtifactStore,
    name: str,
    data: ImageDataset,
    train_split: ImageDataset,
    result: TrainResult,
    metrics: Metrics | None,
    device: str,
    run_dir: Path | None = None,
    directions: Sequence[DirectionSet] = (),
    encoder: tuple[Encoder, EncoderInfo] | None = None,
) -> Manifest:
    """Register a finished run's generator as the next version of ``name``, with its
    discriminator, direction sets and encoder (written into the version before it appears:
    decision 8)."""
    dataset: dict[str, Any] = {
        "spec": _portable_spec(data.spec),
        "fingerprint": data.fingerprint(),
        "size": len(data),
        "train_size": len(train_split),
    }
    manifest = Manifest(
        name=name,
        version=0,
        created=now_iso(),
        model_config=result.model_config,
        train_config=result.train_config,
        dataset=dataset,
        class_names=data.class_names if result.model_config.conditional else (),
        metrics=metrics.as_dict() if metrics else None,
        training={
            "steps": result.step,
            "wall_s": round(result.wall_s, 2),
            "images_per_sec": round(result.images_per_sec, 1),
            "device": device,
            "directions_s": round(sum(d.compute_seconds + d.score_seconds for d in directions), 2),
            **({"encoder_s": round(encoder[1].seconds, 2)} if encoder is not None else {}),
            **({"run": str(run_dir.resolve())} if run_dir is not None else {}),
        },
    )
    ema = result.generator if result.train_config.ema_decay > 0 else None

    def write_derived(directory: Path) -> None:
        for found in directions:
            write_set(directory, found)
        if encoder is not None:
            save_encoder(directory, *encoder)

    return store.register(manifest, result.raw_generator, ema, write_derived, result.discriminator)


def train_projection_encoder(
    result: TrainResult,
    train_split: ImageDataset,
    device: torch.device,
    steps: int = ENCODER_STEPS,
) -> tuple[Encoder, EncoderInfo]:
    """The version's encoder (image -> z), trained on generated pairs and the train split's
    images (with their labels for a conditional model)."""
    labels = train_split.labels if result.model_config.conditional else None
    real = as_model_input(train_split.images)
    return train_encoder(
        result.generator, real, labels, steps=steps, seed=result.train_config.seed, device=device
    )


def _portable_spec(spec: str) -> str:
    """A data set's spec as ``evaluate`` can reload it from anywhere: paths made absolute."""
    if spec.lower() in available_datasets() or not Path(spec).exists():
        return spec
    return str(Path(spec).resolve())


def job_summary(outcome: JobOutcome) -> dict[str, Any]:
    """A JSON-able account of a job, for logs and the CLI's --json."""
    m = outcome.manifest
    return {
        "model": m.ref if m else None,
        "run_dir": str(outcome.run_dir),
        "metrics": m.metrics if m else None,
        "training": m.training if m else None,
        "stopped": bool(outcome.result and outcome.result.stopped),
        "config": asdict(m.train_config) if m else None,
    }
