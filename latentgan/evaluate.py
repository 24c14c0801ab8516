"""Score a generator against its data set's held-out split with the data set's evaluator."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np
import torch

from latentgan.artifacts import ArtifactStore, LoadedModel, Manifest
from latentgan.data import ImageDataset, load_dataset, split_dataset
from latentgan.errors import ConfigError
from latentgan.evaluator import Evaluator, as_model_input, load_or_train_evaluator
from latentgan.latent import cycle_labels, seeded_latents
from latentgan.metrics import (
    class_histogram,
    classes_covered,
    conditional_accuracy,
    frechet_distance,
    kl_divergence,
    precision_recall,
)
from latentgan.models import Generator
from latentgan.ppl import DEFAULT_PPL_SAMPLES, perceptual_path_length

EVAL_SEED = 2**32 + 17  # latents for evaluation: fixed, and apart from the seeds users pick
DEFAULT_SAMPLES = 5000


@dataclass(frozen=True)
class Metrics:
    """A generator's scores; lower FD, KL and PPL are better, higher everything else."""

    fd: float  # Fréchet distance to held-out real features
    classes_covered: int
    num_classes: int
    kl_to_prior: float  # KL(generated class histogram || class prior), nats
    precision: float
    recall: float
    conditional_accuracy: float | None  # None for unconditional models
    evaluator_accuracy: float  # the evaluator's own held-out accuracy
    samples: int
    ppl: float | None = None  # perceptual path length (latentgan.ppl); None when not measured

    def as_dict(self) -> dict[str, float | int | None]:
        """Plain values for JSON and manifests."""
        return asdict(self)


@torch.no_grad()
def generate_for_eval(
    g: Generator, n: int, batch_size: int = 500
) -> tuple[torch.Tensor, np.ndarray]:
    """n images in [-1, 1] from the fixed evaluation latents, and the labels they were asked for."""
    g.eval()
    k = g.cfg.num_classes
    labels = cycle_labels(n, k).numpy() if k else np.zeros(n, dtype=np.int64)
    z = seeded_latents(EVAL_SEED, n, g.cfg.latent_dim)
    device = next(g.parameters()).device
    chunks = []
    for start in range(0, n, batch_size):
        zb = z[start : start + batch_size].to(device)
        yb = torch.from_numpy(labels[start : start + batch_size]).to(device) if k else None
        chunks.append(g(zb, yb).float().cpu())
    return torch.cat(chunks), labels


def score_images(
    images: torch.Tensor,
    requested: np.ndarray | None,
    data: ImageDataset,
    evaluator: Evaluator,
) -> Metrics:
    """Metrics of generated images (N×C×H×W in [-1, 1]) against ``data``'s held-out split."""
    train, held_out = split_dataset(data)
    assert train.labels is not None
    real_feats, _ = evaluator.features_and_predictions(as_model_input(held_out.images))
    fake_feats, preds = evaluator.features_and_predictions(images)
    k = data.num_classes
    prior = class_histogram(train.labels.numpy(), k)
    hist = class_histogram(preds, k)
    m = min(len(real_feats), len(fake_feats))
    precision, recall = precision_recall(real_feats[:m], fake_feats[:m])
    return Metrics(
        fd=frechet_distance(real_feats, fake_feats),
        classes_covered=classes_covered(hist, prior),
        num_classes=k,
        kl_to_prior=kl_divergence(hist, prior),
        precision=precision,
        recall=recall,
        conditional_accuracy=None if requested is None else conditional_accuracy(preds, requested),
        evaluator_accuracy=evaluator.info.held_out_accuracy,
        samples=len(images),
    )


def evaluate_generator(
    g: Generator,
    data: ImageDataset,
    evaluator: Evaluator,
    n: int = DEFAULT_SAMPLES,
    ppl_samples: int = DEFAULT_PPL_SAMPLES,
) -> Metrics:
    """Generate n images from the fixed evaluation latents and score them; with
    ``ppl_samples`` > 0, also the perceptual path length over that many pairs (0: ppl is None)."""
    images, labels = generate_for_eval(g, n)
    metrics = score_images(images, labels if g.cfg.conditional else None, data, evaluator)
    if ppl_samples <= 0:
        return metrics
    return replace(metrics, ppl=perceptual_path_length(g, evaluator, ppl_samples))


def training_data(store: ArtifactStore, manifest: Manifest) -> ImageDataset:
    """The data set a version was trained on, at its image size; ConfigError naming ``dataset``
    if it has changed since (its fingerprint differs), since scores against it would mislead."""
    data = load_dataset(manifest.dataset["spec"], manifest.model_config.image_size, store.downloads)
    if data.fingerprint() != manifest.dataset["fingerprint"]:
        raise ConfigError(
            f"the data at {manifest.dataset['spec']!r} changed since {manifest.ref} was trained",
            field="dataset",
        )
    return data


def evaluator_of(store: ArtifactStore, manifest: Manifest, progress: bool = False) -> Evaluator:
    """The evaluator of the data set a version was trained on (trained and cached on first use);
    ConfigError naming ``dataset`` if that data set changed or has no labels."""
    data = training_data(store, manifest)
    return load_or_train_evaluator(data, store.evaluators_dir, progress=progress)


def load_for_evaluation(
    store: ArtifactStore, ref: str, *, raw: bool = False, progress: bool = True
) -> tuple[LoadedModel, ImageDataset, Evaluator]:
    """A stored model, the data it was trained on (checked unchanged) and that data's evaluator."""
    model = store.load(ref, ema=not raw)
    data = training_data(store, model.manifest)
    evaluator = load_or_train_evaluator(data, store.evaluators_dir, progress=progress)
    return model, data, evaluator


def evaluate_model(
    store: ArtifactStore,
    ref: str,
    n: int = DEFAULT_SAMPLES,
    *,
    raw: bool = False,
    progress: bool = True,
) -> tuple[Manifest, Metrics]:
    """Score a stored model (NAME, NAME@VERSION or a directory) on the data it was trained on."""
    model, data, evaluator = load_for_evaluation(store, ref, raw=raw, progress=progress)
    return model.manifest, evaluate_generator(model.generator, data, evaluator, n)
