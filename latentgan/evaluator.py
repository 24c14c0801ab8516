"""A small classifier per data set that stands in for Inception (docs/architecture.md, decision 6).

Standard FID needs Inception weights from the internet. Instead, each labelled data set gets a
compact CNN trained on its train split; its held-out accuracy says how far to trust it, its
penultimate activations are the feature space for Fréchet distance and k-NN precision/recall, and
its predictions give class coverage and conditional accuracy. Evaluators are trained once and cached
under ``<data dir>/evaluators/<data set fingerprint>/``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn
from tqdm import tqdm

from latentgan.checkpoint import atomic_write, load_tensor_file, save_tensor_file
from latentgan.data import ImageDataset, split_dataset
from latentgan.errors import ArtifactError, ConfigError

EVALUATOR_VERSION = 1  # bump when the architecture or recipe changes: old caches are not reused
FEATURE_DIM = 128


class EvaluatorNet(nn.Module):
    """Three conv blocks, global pooling, a 128-d feature layer and a class layer."""

    def __init__(self, channels: int, num_classes: int) -> None:
        super().__init__()

        def block(c_in: int, c_out: int) -> nn.Sequential:
            return nn.Sequential(
                nn.Conv2d(c_in, c_out, 3, padding=1, bias=False),
                nn.BatchNorm2d(c_out),
                nn.ReLU(inplace=True),
                nn.MaxPool2d(2),
            )

        self.body = nn.Sequential(
            block(channels, 32),
            block(32, 64),
            block(64, 128),
            nn.AdaptiveAvgPool2d(2),
            nn.Flatten(),
        )
        self.features = nn.Sequential(nn.Linear(128 * 4, FEATURE_DIM), nn.ReLU(inplace=True))
        self.classify = nn.Linear(FEATURE_DIM, num_classes)

    def forward(self, x: Tensor) -> tuple[Tensor, Tensor]:
        """(features N×128, class logits N×K) for images in [-1, 1]."""
        f = self.features(self.body(x))
        return f, self.classify(f)


@dataclass(frozen=True)
class EvaluatorInfo:
    """What the cache records about an evaluator."""

    dataset: str
    fingerprint: str
    num_classes: int
    channels: int
    image_size: int
    held_out_accuracy: float
    version: int = EVALUATOR_VERSION


class Evaluator:
    """A trained evaluator: features and predictions for image batches in [-1, 1]."""

    def __init__(self, net: EvaluatorNet, info: EvaluatorInfo) -> None:
        self.net = net.eval().requires_grad_(False)  # a fixed measure: its weights never learn
        self.net.zero_grad(set_to_none=True)  # nor keep training's last gradients
        self.info = info

    @torch.no_grad()
    def features_and_predictions(
        self, images: Tensor, batch_size: int = 500
    ) -> tuple[np.ndarray, np.ndarray]:
        """Features (N×128 float32) and predicted classes (N,) of N×C×H×W images in [-1, 1]."""
        feats, preds = [], []
        for chunk in images.split(batch_size):
            f, logits = self.net(_fit(chunk.float(), self.info.image_size))
            feats.append(f.numpy())
            preds.append(logits.argmax(1).numpy())
        return np.concatenate(feats), np.concatenate(preds)

    @torch.no_grad()
    def logits(self, images: Tensor, batch_size: int = 500) -> np.ndarray:
        """Class logits (N×K float32) of N×C×H×W images in [-1, 1]: an attribute score per class."""
        device = self._device()
        out = [
            self.net(_fit(chunk.float(), self.info.image_size).to(device))[1].float().cpu()
            for chunk in images.split(batch_size)
        ]
        if not out:
            return np.empty((0, self.info.num_classes), dtype=np.float32)
        return torch.cat(out).numpy().astype(np.float32, copy=False)

    @torch.no_grad()
    def feature_maps(self, images: Tensor) -> list[Tensor]:
        """The activations after each of the three conv blocks, for N×C×H×W images in [-1, 1].

        These are the "layers" of a baseline LPIPS (Zhang et al. 2018) on this evaluator
        (``latentgan.projection.losses.feature_distance``, used by ``latentgan.ppl``):
        N×32×s/2×s/2, N×64×s/4×s/4 and N×128×s/8×s/8 for input size s, on the evaluator's
        device. Without gradients; ``differentiable_feature_maps`` is the same with them.
        """
        return self.differentiable_feature_maps(images)

    def differentiable_feature_maps(self, images: Tensor) -> list[Tensor]:
        """``feature_maps`` with autograd: gradients flow to ``images`` (never to the weights,
        which are frozen), for losses that optimise what produced the images."""
        self.net.eval()
        x = _fit(images.float(), self.info.image_size).to(self._device())
        maps = []
        for i in range(3):
            x = self.net.body[i](x)
            maps.append(x)
        return maps

    def _device(self) -> torch.device:
        return next(self.net.parameters()).device


def _fit(x: Tensor, size: int) -> Tensor:
    """Resize images to the evaluator's input size (area averaging when shrinking)."""
    if x.shape[-1] == size:
        return x
    mode = "area" if x.shape[-1] > size else "bilinear"
    return F.interpolate(x, size=(size, size), mode=mode)


def as_model_input(images_u8: Tensor) -> Tensor:
    """uint8 N×C×H×W -> float in [-1, 1], the generator's output range."""
    return images_u8.float().div(127.5).sub(1.0)


def load_or_train_evaluator(
    data: ImageDataset, cache_root: Path, *, epochs: int = 12, progress: bool = True
) -> Evaluator:
    """The cached evaluator for this data set, training (and caching) it on first use."""
    if data.labels is None or data.num_classes < 2:
        raise ConfigError(
            f"{data.spec} has no class labels: the evaluator (and so evaluation) needs them",
            field="dataset",
        )
    folder = cache_root / f"{data.fingerprint()}-v{EVALUATOR_VERSION}"
    if (folder / "evaluator.json").exists():
        return _load(folder)
    train, held_out = split_dataset(data)
    net = _train_classifier(train, epochs=epochs, progress=progress)
    accuracy = _accuracy(net, held_out)
    info = EvaluatorInfo(
        dataset=data.spec,
        fingerprint=data.fingerprint(),
        num_classes=data.num_classes,
        channels=data.channels,
        image_size=data.image_size,
        held_out_accuracy=accuracy,
    )
    save_tensor_file(folder / "weights.safetensors", net.state_dict(), {})
    atomic_write(folder / "evaluator.json", json.dumps(asdict(info), indent=2).encode())
    return Evaluator(net, info)


def _load(folder: Path) -> Evaluator:
    info = EvaluatorInfo(**json.loads((folder / "evaluator.json").read_text()))
    net = EvaluatorNet(info.channels, info.num_classes)
    tensors, _ = load_tensor_file(folder / "weights.safetensors")
    try:
        net.load_state_dict(tensors)
    except RuntimeError as e:
        raise ArtifactError(f"cached evaluator in {folder} is corrupt; delete it: {e}") from e
    return Evaluator(net, info)


def _train_classifier(data: ImageDataset, epochs: int, progress: bool) -> EvaluatorNet:
    """Adam with a cosine schedule and random 2-pixel shifts, seeded."""
    assert data.labels is not None
    gen = torch.Generator().manual_seed(0)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        net = EvaluatorNet(data.channels, data.num_classes)
    x_all, y_all = as_model_input(data.images), data.labels
    batch = 128
    steps = epochs * (len(data) // batch)
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=steps)
    net.train()
    bar = tqdm(
        total=steps,
        desc=f"evaluator for {data.spec}",
        disable=None if progress else True,
        leave=False,
    )
    for _ in range(epochs):
        order = torch.randperm(len(data), generator=gen)
        for i in range(len(data) // batch):
            idx = order[i * batch : (i + 1) * batch]
            x = _random_shift(x_all[idx], gen)
            _, logits = net(x)
            loss = F.cross_entropy(logits, y_all[idx], label_smoothing=0.05)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            bar.update()
    bar.close()
    return net.eval()


def _random_shift(x: Tensor, gen: torch.Generator, pad: int = 2) -> Tensor:
    """Shift the whole batch by one random offset of up to ``pad`` pixels (cheap augmentation)."""
    dy, dx = (int(v) for v in torch.randint(-pad, pad + 1, (2,), generator=gen))
    padded = F.pad(x, (pad, pad, pad, pad), value=-1.0)
    h, w = x.shape[-2:]
    return padded[..., pad + dy : pad + dy + h, pad + dx : pad + dx + w]


@torch.no_grad()
def _accuracy(net: EvaluatorNet, data: ImageDataset) -> float:
    assert data.labels is not None
    _, logits = net.eval()(as_model_input(data.images))
    return float((logits.argmax(1) == data.labels).float().mean())
