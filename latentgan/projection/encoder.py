"""A learned encoder per model version: image -> latent, the first guess of a projection.

In-Domain GAN Inversion (Zhu et al. 2020) trains a *domain-guided* encoder E after the generator
G, with G frozen: E learns to map images back to latents so that G(E(x)) reconstructs x. Here E
is trained on two objectives, each step:

- **latent regression on generated pairs**: z ~ N(0, I) (and, for a conditional G, labels drawn
  uniformly over the classes), x = G(z) without gradients; ``latent = MSE(E(x), z)``. This keeps
  E's guesses where G's prior puts its mass, so they stay in the domain of G.
- **reconstruction of real images** (when given the data set's train split): a batch r,
  ``reconstruction = MSE(G(E(r), labels), r)`` in pixels of [-1, 1], with the gradient flowing
  through the frozen G into E only. This closes the gap between G's images and real ones, which
  the regression alone never sees.

The loss is ``latent + reconstruction_weight * reconstruction``; Adam under a one-cycle schedule;
every random draw comes from one ``torch.Generator`` seeded by ``seed``, so a seed gives the same
encoder, bit for bit, on one machine and thread count (CPU).

E is shaped like the DCGAN discriminator (stride-2 4×4 convolutions from ``d_width`` doubling,
LeakyReLU, the discriminator's extra 3×3 blocks at the base resolution) without normalisation
layers, then one linear layer to ``latent_dim``. No normalisation means no batch statistics,
in training or after: each image's guess depends on that image alone (decision 3), and training
on generated and real images in one pass changes nothing. A conditional model's encoder sees no
label: it guesses z, the label is the caller's.

One forward pass gives a guess that an optimiser refines. It is stored beside the version
(decision 8): ``encoder.safetensors`` (the weights), then ``encoder.json`` (how it was trained,
and the weights' sha256) — the JSON last, so a version has an encoder exactly when its JSON is
there; each written atomically, and written once.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from itertools import pairwise
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from latentgan.checkpoint import atomic_write, load_tensor_file, save_tensor_file
from latentgan.config import ModelConfig
from latentgan.errors import ArtifactError, ConfigError
from latentgan.evaluator import as_model_input
from latentgan.generate import MIN_ROWS
from latentgan.models import Generator, _dcgan_init, _layout

__all__ = [
    "DEFAULT_RECONSTRUCTION_WEIGHT",
    "DEFAULT_STEPS",
    "ENCODER_FILE",
    "ENCODER_FORMAT_VERSION",
    "ENCODER_JSON",
    "Encoder",
    "EncoderInfo",
    "default_steps",
    "encode",
    "has_encoder",
    "load_encoder",
    "read_encoder_info",
    "save_encoder",
    "train_encoder",
]

ENCODER_FILE = "encoder.safetensors"
ENCODER_JSON = "encoder.json"
ENCODER_FORMAT_VERSION = 1  # bump when the architecture or the file layout changes
DEFAULT_STEPS = 1000
DEFAULT_RECONSTRUCTION_WEIGHT = 4.0
PROGRESS_EVERY = 10  # on_progress is called every this many steps, and after the last

ProgressFn = Callable[[int, int, dict[str, float]], None]


class Encoder(nn.Module):
    """Image N×C×H×W in [-1, 1] -> latent N×latent_dim, for the model a ModelConfig describes."""

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        cfg.validate()
        self.cfg = cfg
        base, stages = _layout(cfg.image_size)
        widths = [cfg.d_width * 2**i for i in range(stages)]  # e.g. 32, 64 for 28×28
        layers: list[nn.Module] = [nn.Conv2d(cfg.channels, widths[0], 4, 2, 1), _lrelu()]
        for c_in, c_out in pairwise(widths):
            layers += [nn.Conv2d(c_in, c_out, 4, 2, 1), _lrelu()]
        for _ in range(cfg.base_convs):
            layers += [nn.Conv2d(widths[-1], widths[-1], 3, 1, 1), _lrelu()]
        self.body = nn.Sequential(*layers)
        self.head = nn.Linear(widths[-1] * base * base, cfg.latent_dim)
        self.apply(_init)

    def forward(self, x: Tensor) -> Tensor:
        """Latent guesses (N×latent_dim) for images x (N×C×H×W in [-1, 1])."""
        out: Tensor = self.head(self.body(x).flatten(1))
        return out


def _lrelu() -> nn.Module:
    return nn.LeakyReLU(0.2, inplace=True)


def _init(m: nn.Module) -> None:
    """PyTorch's default (Kaiming-uniform) for the convolutions, which keeps the signal's scale
    without normalisation layers; DCGAN's N(0, 0.02) for the head, so first guesses are near 0."""
    if isinstance(m, nn.Linear):
        _dcgan_init(m)


@dataclass(frozen=True)
class EncoderInfo:
    """How an encoder was trained: what ``encoder.json`` records (besides its weights' hash)."""

    steps: int
    batch_size: int
    seconds: float  # wall time of training
    latent_loss: float  # MSE(E(G(z)), z), mean over the last tenth of the steps
    reconstruction_loss: float  # MSE(G(E(r)), r) on real images, ditto; 0 when real_images == 0
    real_images: int  # how many real images it reconstructed from (the train split's size)
    seed: int
    lr: float = 1e-3
    reconstruction_weight: float = DEFAULT_RECONSTRUCTION_WEIGHT
    version: int = ENCODER_FORMAT_VERSION


def train_encoder(
    g: Generator,
    real: Tensor | None = None,
    real_labels: Tensor | None = None,
    *,
    steps: int = DEFAULT_STEPS,
    batch_size: int = 64,
    lr: float = 1e-3,
    reconstruction_weight: float = DEFAULT_RECONSTRUCTION_WEIGHT,
    seed: int = 0,
    device: str | torch.device = "cpu",
    on_progress: ProgressFn | None = None,
) -> tuple[Encoder, EncoderInfo]:
    """Train an encoder for the frozen generator ``g`` (see the module's docstring).

    ``real``: the data set's train split, N×C×H×W in [-1, 1] (uint8 is converted), or None to
    train on generated pairs only. ``real_labels``: their classes (N,), needed when ``g`` is
    conditional and ignored when it is not. ``g`` is left as it was: its weights, its mode and
    its parameters' ``requires_grad``. ``on_progress(step, steps, losses)`` is called every
    ``PROGRESS_EVERY`` steps and after the last one. Returns the encoder, in eval mode, on
    ``device``, and what ``encoder.json`` will record. ConfigError names a bad argument.
    """
    cfg = g.cfg
    _check_int("steps", steps, 1)
    _check_int("batch_size", batch_size, 2)
    _check_int("seed", seed, 0)
    if not 0 < lr < 1:
        raise ConfigError(f"lr must be in (0, 1), got {lr}", field="lr")
    if not reconstruction_weight >= 0:
        raise ConfigError("reconstruction_weight must be >= 0", field="reconstruction_weight")
    device = torch.device(device)
    x_real, y_real = _real_data(cfg, real, real_labels, device)

    # G frozen: eval mode (running BatchNorm statistics) and no parameter gradients.
    gen = g if _device_of(g) == device else copy.deepcopy(g).to(device)
    was_training = g.training
    requires = [p.requires_grad for p in gen.parameters()]
    gen.eval().requires_grad_(False)
    rng = torch.Generator().manual_seed(seed)  # every draw from here, on the CPU, then moved
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        encoder = Encoder(cfg)
    encoder.to(device).train()
    opt = torch.optim.Adam(encoder.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps)
    tail_start = steps - max(1, steps // 10)
    tail = torch.zeros(2, dtype=torch.float64)
    order, cursor = torch.empty(0, dtype=torch.long), 0
    started = time.perf_counter()
    try:
        for step in range(1, steps + 1):
            z = torch.randn(batch_size, cfg.latent_dim, generator=rng).to(device)
            y = _random_labels(cfg, batch_size, rng, device)
            with torch.no_grad():
                x = gen(z, y)
            if x_real is None:
                latent_loss = F.mse_loss(encoder(x), z)
                reconstruction_loss = latent_loss.new_zeros(())
            else:
                if cursor + batch_size > len(order):  # a fresh permutation for each pass
                    order, cursor = torch.randperm(len(x_real), generator=rng).to(device), 0
                index = order[cursor : cursor + batch_size]
                cursor += batch_size
                r = x_real[index]
                guesses = encoder(torch.cat([x, r]))  # no batch statistics: one pass for both
                latent_loss = F.mse_loss(guesses[:batch_size], z)
                labels = None if y_real is None else y_real[index]
                reconstruction_loss = F.mse_loss(gen(guesses[batch_size:], labels), r)
            loss = latent_loss + reconstruction_weight * reconstruction_loss
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            losses = torch.stack([latent_loss.detach(), reconstruction_loss.detach()])
            if step > tail_start:
                tail += losses.double().cpu()
            if on_progress is not None and (step % PROGRESS_EVERY == 0 or step == steps):
                latent_value, reconstruction_value = (float(v) for v in losses)
                on_progress(
                    step,
                    steps,
                    {
                        "latent": latent_value,
                        "reconstruction": reconstruction_value,
                        "lr": float(sched.get_last_lr()[0]),
                    },
                )
    finally:
        for p, flag in zip(gen.parameters(), requires, strict=True):
            p.requires_grad_(flag)
        gen.train(was_training)
    seconds = time.perf_counter() - started
    tail /= steps - tail_start
    info = EncoderInfo(
        steps=steps,
        batch_size=batch_size,
        seconds=round(seconds, 3),
        latent_loss=float(tail[0]),
        reconstruction_loss=float(tail[1]),
        real_images=0 if x_real is None else len(x_real),
        seed=seed,
        lr=lr,
        reconstruction_weight=reconstruction_weight,
    )
    return encoder.eval(), info


def default_steps(generator_steps: int | None) -> int:
    """The encoder's training steps unless asked: ``DEFAULT_STEPS``, or the generator's own if
    fewer (a smoke-test model gets a smoke-test encoder)."""
    if not generator_steps:
        return DEFAULT_STEPS
    return max(1, min(DEFAULT_STEPS, generator_steps))


def _real_data(
    cfg: ModelConfig, real: Tensor | None, labels: Tensor | None, device: torch.device
) -> tuple[Tensor | None, Tensor | None]:
    """The real images (float, on the device) and, for a conditional model, their labels."""
    if real is None:
        return None, None
    shape = (cfg.channels, cfg.image_size, cfg.image_size)
    if real.ndim != 4 or tuple(real.shape[1:]) != shape or len(real) == 0:
        raise ConfigError(
            f"real images must be N×{'×'.join(map(str, shape))} for this model,"
            f" got {tuple(real.shape)}",
            field="real",
        )
    x = as_model_input(real) if real.dtype == torch.uint8 else real.float()
    if not cfg.conditional:
        return x.to(device), None
    if labels is None:
        raise ConfigError("a conditional model needs the real images' labels", field="real_labels")
    if labels.shape != (len(real),):
        raise ConfigError(
            f"got {tuple(labels.shape)} labels for {len(real)} real images", field="real_labels"
        )
    labels = labels.long()
    if int(labels.min()) < 0 or int(labels.max()) >= cfg.num_classes:
        raise ConfigError(f"real labels must lie in 0..{cfg.num_classes - 1}", field="real_labels")
    return x.to(device), labels.to(device)


def _random_labels(
    cfg: ModelConfig, n: int, rng: torch.Generator, device: torch.device
) -> Tensor | None:
    if not cfg.conditional:
        return None
    return torch.randint(cfg.num_classes, (n,), generator=rng).to(device)


def _check_int(field: str, value: int, low: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise ConfigError(f"{field} must be an integer >= {low}, got {value!r}", field=field)


def _device_of(module: nn.Module) -> torch.device:
    return next(module.parameters()).device


@torch.inference_mode()
def encode(encoder: Encoder, images: Tensor, batch_size: int = 256) -> Tensor:
    """Latent guesses (float32 N×latent_dim, CPU) for images N×C×H×W in [-1, 1] (or uint8).

    Batch-invariant (decision 3): eval mode, every pass padded to ``generate.MIN_ROWS`` rows and
    larger inputs split into fixed chunks of ``batch_size``, as ``generate.render`` does, so an
    image's guess does not depend on what is encoded with it.
    """
    cfg = encoder.cfg
    shape = (cfg.channels, cfg.image_size, cfg.image_size)
    if images.ndim != 4 or tuple(images.shape[1:]) != shape:
        raise ConfigError(
            f"images must be N×{'×'.join(map(str, shape))} for this model,"
            f" got {tuple(images.shape)}",
            field="images",
        )
    _check_int("batch_size", batch_size, 1)
    encoder.eval()
    device = _device_of(encoder)
    x_all = as_model_input(images) if images.dtype == torch.uint8 else images.float()
    out = []
    for chunk in x_all.split(batch_size):
        n = len(chunk)
        if n < MIN_ROWS:
            chunk = torch.cat([chunk, chunk.new_zeros((MIN_ROWS - n, *shape))])
        out.append(encoder(chunk.to(device))[:n].float().cpu())
    return torch.cat(out) if out else torch.empty(0, cfg.latent_dim)


def has_encoder(model_dir: Path) -> bool:
    """Whether the version in ``model_dir`` has an encoder (its ``encoder.json`` is there)."""
    return (model_dir / ENCODER_JSON).is_file()


def save_encoder(model_dir: Path, encoder: Encoder, info: EncoderInfo) -> None:
    """Store the encoder beside the version: weights, then the JSON that says they are complete.

    Each file is written atomically, and an encoder is written once (decision 8): ArtifactError
    if the version already has one.
    """
    if has_encoder(model_dir):
        raise ArtifactError(
            f"{model_dir / ENCODER_JSON} exists: a version's encoder is written once"
        )
    weights = model_dir / ENCODER_FILE
    save_tensor_file(weights, encoder.state_dict(), {"encoder": info.version})
    record = asdict(info) | {"sha256": hashlib.sha256(weights.read_bytes()).hexdigest()}
    atomic_write(model_dir / ENCODER_JSON, json.dumps(record, indent=2, sort_keys=True).encode())


def read_encoder_info(model_dir: Path) -> EncoderInfo | None:
    """What ``encoder.json`` records, or None if the version has no encoder."""
    info, _ = _read_json(model_dir)
    return info


def _read_json(model_dir: Path) -> tuple[EncoderInfo | None, str]:
    path = model_dir / ENCODER_JSON
    if not path.is_file():
        return None, ""
    try:
        data: Any = json.loads(path.read_text())
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        if data.get("version") != ENCODER_FORMAT_VERSION:
            raise ValueError(
                f"format version {data.get('version')!r}, this latentgan reads"
                f" {ENCODER_FORMAT_VERSION}"
            )
        sha = data["sha256"]
        if not isinstance(sha, str):
            raise ValueError("sha256 is not a string")
        names = {f.name for f in fields(EncoderInfo)}
        info = EncoderInfo(**{k: v for k, v in data.items() if k in names})
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as e:
        raise ArtifactError(f"{path} is not a valid encoder record: {e}") from e
    return info, sha


def load_encoder(
    model_dir: Path, cfg: ModelConfig, device: str | torch.device = "cpu"
) -> Encoder | None:
    """The version's encoder for its ModelConfig ``cfg`` (eval mode, frozen, on ``device``), or
    None if it has none; ArtifactError naming the file if one is broken or does not fit."""
    info, sha = _read_json(model_dir)
    if info is None:
        return None
    path = model_dir / ENCODER_FILE
    if not path.is_file():
        raise ArtifactError(f"{path} is missing (its {ENCODER_JSON} is there)")
    if hashlib.sha256(path.read_bytes()).hexdigest() != sha:
        raise ArtifactError(f"{path} does not match the sha256 in its {ENCODER_JSON}")
    tensors, _ = load_tensor_file(path)
    encoder = Encoder(cfg)
    try:
        encoder.load_state_dict(tensors)
    except RuntimeError as e:
        first = str(e).strip().splitlines()[0]
        raise ArtifactError(f"{path} does not fit the model's architecture: {first}") from e
    if not all(math.isfinite(float(t.abs().sum())) for t in tensors.values()):
        raise ArtifactError(f"{path} holds non-finite weights")
    return encoder.to(device).eval().requires_grad_(False)
