"""What a model is and how it is trained, as two dataclasses.

``ModelConfig`` fixes the architecture (the generator a model version needs to be rebuilt from its
weights); ``TrainConfig`` fixes the objective, the stabilisers and the schedule. Both are stored
verbatim in checkpoints and in a model version's ``manifest.json``, so a model can always be rebuilt
and a run always resumed from what is on disk.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, get_args

from latentgan.errors import ConfigError

Loss = Literal["ns", "hinge", "wgan-gp"]
Norm = Literal["batch", "none"]
LOSSES: tuple[str, ...] = get_args(Loss)
IMAGE_SIZES = (28, 32, 64)


@dataclass(frozen=True)
class ModelConfig:
    """Architecture of a generator/discriminator pair (DCGAN family)."""

    arch: str = "dcgan"
    image_size: int = 28
    channels: int = 1
    latent_dim: int = 100
    num_classes: int = 0  # 0: unconditional; else a label-conditioned G and a projection D
    g_width: int = 32  # channels of the generator's last hidden layer; doubles towards the input
    d_width: int = 32  # channels of the discriminator's first layer; doubles towards the output
    class_embed_dim: int = 32  # size of G's label embedding, concatenated to z
    base_convs: int = 1  # extra 3×3 conv blocks at the base resolution, in G and in D
    minibatch_std: bool = False  # D sees the batch's feature spread (Karras et al. 2018)
    d_norm: Norm = "batch"  # BatchNorm in D; "none" for spectral norm and WGAN-GP
    spectral_norm: bool = False
    rotation_head: bool = False  # SS-GAN's 4-way rotation classifier on D's features
    vdb_dim: int = 0  # > 0: a variational bottleneck of this size before D's heads

    @property
    def conditional(self) -> bool:
        """Whether G takes a class label and D projects it."""
        return self.num_classes > 0

    def validate(self) -> ModelConfig:
        """Return self, or raise ConfigError naming the first field out of range."""
        if self.arch != "dcgan":
            raise ConfigError(f"unknown arch {self.arch!r}; available: dcgan", field="arch")
        if self.image_size not in IMAGE_SIZES:
            raise ConfigError(
                f"image size {self.image_size} not supported; use one of {IMAGE_SIZES}",
                field="image_size",
            )
        if self.channels not in (1, 3):
            raise ConfigError(f"channels must be 1 or 3, got {self.channels}", field="channels")
        _check_range("latent_dim", self.latent_dim, 1, 4096)
        _check_range("num_classes", self.num_classes, 0, 10_000)
        _check_range("g_width", self.g_width, 4, 1024)
        _check_range("d_width", self.d_width, 4, 1024)
        _check_range("class_embed_dim", self.class_embed_dim, 1, 1024)
        _check_range("vdb_dim", self.vdb_dim, 0, 4096)
        _check_range("base_convs", self.base_convs, 0, 8)
        return self


@dataclass(frozen=True)
class TrainConfig:
    """Objective, stabilisers and schedule of one training run."""

    loss: Loss = "ns"
    batch_size: int = 64
    steps: int | None = None  # generator updates; exclusive with epochs
    epochs: float | None = None  # passes of the discriminator over the train split
    d_steps: int = 1  # discriminator updates per generator update
    lr_g: float = 5e-4  # DCGAN's 2e-4 reaches the same quality in about twice the time here
    lr_d: float = 5e-4
    beta1: float = 0.5
    beta2: float = 0.999
    gp_weight: float = 10.0  # WGAN-GP's lambda
    rotation_weight_d: float = 0.0  # SS-GAN beta: D's rotation loss on real images; 0 = off
    rotation_weight_g: float = 0.0  # SS-GAN alpha: G's rotation loss on fakes
    vdb_ic: float = 0.5  # VDB's information constraint I_c (nats)
    vdb_beta_lr: float = 1e-5  # VDB's dual step size alpha_beta
    ema_decay: float = 0.999  # EMA of G's weights; 0 = off
    seed: int = 0
    checkpoint_every: int = 200
    sample_every: int = 200
    log_every: int = 10

    def validate(self) -> TrainConfig:
        """Return self, or raise ConfigError naming the first field out of range."""
        if self.loss not in LOSSES:
            raise ConfigError(f"unknown loss {self.loss!r}; use one of {LOSSES}", field="loss")
        if self.steps is not None and self.epochs is not None:
            raise ConfigError("give steps or epochs, not both", field="steps")
        if self.steps is not None:
            _check_range("steps", self.steps, 1, 10**9)
        if self.epochs is not None and not 0 < self.epochs <= 1e6:
            raise ConfigError(f"epochs must be > 0, got {self.epochs}", field="epochs")
        _check_range("batch_size", self.batch_size, 2, 65536)
        _check_range("d_steps", self.d_steps, 1, 100)
        _check_range("seed", self.seed, 0, 2**63 - 1)
        _check_range("checkpoint_every", self.checkpoint_every, 1, 10**9)
        _check_range("sample_every", self.sample_every, 1, 10**9)
        _check_range("log_every", self.log_every, 1, 10**9)
        for name in ("lr_g", "lr_d"):
            if not 0 < getattr(self, name) < 1:
                raise ConfigError(f"{name} must be in (0, 1)", field=name)
        for name in (
            "gp_weight",
            "rotation_weight_d",
            "rotation_weight_g",
            "vdb_ic",
            "vdb_beta_lr",
        ):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name} must be >= 0", field=name)
        if not 0 <= self.ema_decay < 1:
            raise ConfigError("ema_decay must be in [0, 1)", field="ema_decay")
        return self


def _check_range(field: str, value: int, low: int, high: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ConfigError(
            f"{field} must be an integer in [{low}, {high}], got {value!r}", field=field
        )


_C = TypeVar("_C", ModelConfig, TrainConfig)


def config_from_dict(cls: type[_C], data: dict[str, Any]) -> _C:
    """Rebuild a config from its stored dict, ignoring keys a newer version may have added."""
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})
