"""The training loop: one GAN run with checkpoints, exact resume, EMA and progress events.

Every random draw of step ``s`` (latents, fake labels, VDB noise, gradient-penalty mixing) comes
from a generator seeded with ``(seed, s)``, and the data order of epoch ``e`` from one seeded with
``(seed, e)``. A checkpoint therefore needs no RNG state beyond the step counter: with the weights,
optimizers, EMA, BatchNorm statistics and VDB's beta it restores, a resumed run makes exactly the
draws the uninterrupted run would have, and ends with the same weights (on the same device type).

The training set sits on the device as one uint8 tensor; a batch is an index into it, scaled to
[-1, 1] on the device — no per-sample Python in the loop.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import torch
from torch import Tensor, nn

from latentgan.checkpoint import (
    load_tensor_file,
    optimizer_state,
    prefixed,
    restore_optimizer,
    save_tensor_file,
    unprefixed,
)
from latentgan.config import ModelConfig, TrainConfig, config_from_dict
from latentgan.data import ImageDataset
from latentgan.errors import ArtifactError, ConfigError
from latentgan.images import grid, save_png, to_uint8
from latentgan.latent import cycle_labels, seeded_latents
from latentgan.losses import (
    discriminator_loss,
    generator_loss,
    gradient_penalty,
    rotate_quarter_turns,
    rotation_loss,
    vdb_beta_update,
)
from latentgan.models import Discriminator, DiscriminatorOutput, Generator, build_models

CHECKPOINT_FILE = "checkpoint.safetensors"
# Without --epochs or --steps: enough, on mnist5k with the defaults, for an unconditional model to
# cover all ten classes within KL 0.05, and for a conditional one (labels make it easier) to reach
# 98% conditional accuracy — each within five minutes on two CPU cores.
DEFAULT_EPOCHS = 35.0
DEFAULT_EPOCHS_CONDITIONAL = 20.0
GRID_SEED = 0  # the latents of the sample grids written during training
GRID_SIZE = 64


@dataclass
class ProgressEvent:
    """A snapshot of a running training, for progress bars and the platform's event stream."""

    step: int
    total_steps: int
    epoch: float
    images_per_sec: float
    elapsed_s: float
    losses: dict[str, float] = field(default_factory=dict)
    sample_grid: Path | None = None  # a PNG written at this step, when there is one


ProgressCallback = Callable[[ProgressEvent], None]


@dataclass
class TrainResult:
    """The outcome of ``train``: the generator to serve and how the run went."""

    generator: Generator  # the EMA generator when EMA is on, in eval mode, on the CPU
    raw_generator: Generator  # the trained generator itself, in eval mode, on the CPU
    discriminator: Discriminator  # the trained discriminator, in eval mode, on the CPU
    model_config: ModelConfig
    train_config: TrainConfig
    step: int
    total_steps: int
    stopped: bool  # True when should_stop ended the run early (a checkpoint was written)
    images_per_sec: float
    wall_s: float

    @property
    def finished(self) -> bool:
        """Whether the run reached its last step."""
        return self.step >= self.total_steps


def total_steps(cfg: TrainConfig, n_train: int, conditional: bool = False) -> int:
    """Generator updates the run makes: ``steps``, or epochs' worth of discriminator batches."""
    if cfg.steps is not None:
        return cfg.steps
    default = DEFAULT_EPOCHS_CONDITIONAL if conditional else DEFAULT_EPOCHS
    epochs = cfg.epochs if cfg.epochs is not None else default
    batches_per_epoch = n_train // cfg.batch_size
    return max(1, math.ceil(epochs * batches_per_epoch / cfg.d_steps))


def resolve_device(name: str) -> torch.device:
    """``auto`` is CUDA when present, else the CPU; an unavailable device is a clear error."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        device = torch.device(name)
    except RuntimeError as e:
        raise ConfigError(f"unknown device {name!r}: {e}", field="device") from e
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ConfigError("device cuda asked for, but this machine has no CUDA GPU", field="device")
    return device


def _mix(seed: int, counter: int, stream: int) -> int:
    """A 63-bit torch seed from (seed, counter, stream) by SplitMix64 finalisation."""
    x = (seed * 0x9E3779B97F4A7C15 + counter * 0xBF58476D1CE4E5B9 + stream) & (2**64 - 1)
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & (2**64 - 1)
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & (2**64 - 1)
    return (x ^ (x >> 31)) & (2**63 - 1)


class _Batches:
    """Real batches as a pure function of (seed, batch number): epoch e is permuted by (seed, e)."""

    def __init__(self, data: ImageDataset, batch_size: int, seed: int, device: torch.device):
        self.images = data.images.to(device)  # uint8 N×C×H×W, resident on the device
        self.labels = data.labels.to(device) if data.labels is not None else None
        self.batch_size, self.seed, self.device = batch_size, seed, device
        self.per_epoch = len(data) // batch_size
        self._epoch, self._order = -1, torch.empty(0, dtype=torch.long)

    def get(self, number: int) -> tuple[Tensor, Tensor | None]:
        epoch, position = divmod(number, self.per_epoch)
        if epoch != self._epoch:
            rng = torch.Generator().manual_seed(_mix(self.seed, epoch, 1))
            self._epoch = epoch
            self._order = torch.randperm(len(self.images), generator=rng).to(self.device)
        index = self._order[position * self.batch_size : (position + 1) * self.batch_size]
        x = self.images[index].float().div_(127.5).sub_(1.0)  # B×C×H×W in [-1, 1]
        if self.device.type == "cuda":
            x = x.contiguous(memory_format=torch.channels_last)
        return x, (self.labels[index] if self.labels is not None else None)


_M = TypeVar("_M", bound=nn.Module)


def _place(module: _M, device: torch.device) -> _M:
    """Move a module to a device: channels-last on CUDA (faster convolutions), plain elsewhere."""
    memory_format = torch.channels_last if device.type == "cuda" else torch.contiguous_format
    return module.to(device).to(memory_format=memory_format)  # type: ignore[call-overload,no-any-return]


class _Run:
    """The mutable state of one run: networks, optimizers, EMA, step, VDB's beta."""

    def __init__(self, model_cfg: ModelConfig, cfg: TrainConfig, device: torch.device) -> None:
        self.model_cfg, self.cfg, self.device = model_cfg, cfg, device
        g, d = build_models(model_cfg, seed=cfg.seed)
        self.g: Generator = _place(g, device)
        self.d: Discriminator = _place(d, device)
        self.g_ema: Generator = copy.deepcopy(self.g).eval().requires_grad_(False)
        betas = (cfg.beta1, cfg.beta2)
        self.opt_g = torch.optim.Adam(self.g.parameters(), lr=cfg.lr_g, betas=betas)
        self.opt_d = torch.optim.Adam(self.d.parameters(), lr=cfg.lr_d, betas=betas)
        self.step = 0
        self.vdb_beta = 0.0
        self.images_seen = 0
        self.train_seconds = 0.0

    def save(self, path: Path, extra: dict[str, Any]) -> None:
        g_opt, g_opt_meta = optimizer_state(self.opt_g)
        d_opt, d_opt_meta = optimizer_state(self.opt_d)
        tensors = {
            **prefixed("g", self.g.state_dict()),
            **prefixed("d", self.d.state_dict()),
            **prefixed("g_ema", self.g_ema.state_dict()),
            **prefixed("opt_g", g_opt),
            **prefixed("opt_d", d_opt),
        }
        meta = {
            "step": self.step,
            "vdb_beta": self.vdb_beta,
            "images_seen": self.images_seen,
            "train_seconds": self.train_seconds,
            "model_config": asdict(self.model_cfg),
            "train_config": asdict(self.cfg),
            "optimizer_g": g_opt_meta,
            "optimizer_d": d_opt_meta,
            **extra,
        }
        save_tensor_file(path, tensors, meta)

    def load(self, tensors: dict[str, Tensor], meta: dict[str, Any]) -> None:
        try:
            self.g.load_state_dict(unprefixed("g", tensors))
            self.d.load_state_dict(unprefixed("d", tensors))
            self.g_ema.load_state_dict(unprefixed("g_ema", tensors))
            restore_optimizer(self.opt_g, unprefixed("opt_g", tensors), meta["optimizer_g"])
            restore_optimizer(self.opt_d, unprefixed("opt_d", tensors), meta["optimizer_d"])
        except (RuntimeError, KeyError, ValueError) as e:
            raise ArtifactError(f"checkpoint does not fit its own configuration: {e}") from e
        self.step = int(meta["step"])
        self.vdb_beta = float(meta["vdb_beta"])
        self.images_seen = int(meta["images_seen"])
        self.train_seconds = float(meta["train_seconds"])

    def update_ema(self) -> None:
        decay = self.cfg.ema_decay
        if decay == 0:
            self.g_ema.load_state_dict(self.g.state_dict())
            return
        decay = min(decay, (1 + self.step) / (10 + self.step))  # warm-up: follow G early on
        ema_params: list[Tensor] = list(self.g_ema.parameters())
        torch._foreach_lerp_(ema_params, [p.detach() for p in self.g.parameters()], 1 - decay)
        for b_ema, b in zip(self.g_ema.buffers(), self.g.buffers(), strict=True):
            b_ema.copy_(b)


def read_checkpoint_configs(run_dir: Path) -> tuple[ModelConfig, TrainConfig, int] | None:
    """(model config, train config, step) of the checkpoint in ``run_dir``, or None if none."""
    path = run_dir / CHECKPOINT_FILE
    if not path.exists():
        return None
    _, meta = load_tensor_file(path)
    return (
        config_from_dict(ModelConfig, meta["model_config"]),
        config_from_dict(TrainConfig, meta["train_config"]),
        int(meta["step"]),
    )


def train(
    data: ImageDataset,
    model_cfg: ModelConfig,
    cfg: TrainConfig,
    run_dir: Path,
    *,
    device: torch.device | str = "cpu",
    resume: bool = False,
    on_progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> TrainResult:
    """Train a GAN on ``data``, checkpointing to ``run_dir``; ``resume`` continues its checkpoint.

    ``should_stop`` is polled every step; when it answers True the run checkpoints and returns
    with ``stopped=True`` (cancellation). Sample grids go to ``run_dir/samples/``.
    """
    model_cfg.validate()
    cfg.validate()
    _check_fits(data, model_cfg, cfg)
    device = torch.device(device) if isinstance(device, str) else device
    run = _Run(model_cfg, cfg, device)
    ckpt_path = run_dir / CHECKPOINT_FILE
    if resume and ckpt_path.exists():
        tensors, meta = load_tensor_file(ckpt_path)
        if meta.get("dataset") != data.fingerprint():
            raise ConfigError(
                f"{run_dir} was trained on other data ({meta.get('dataset')}); cannot resume it on"
                f" {data.spec}",
                field="dataset",
            )
        run.load(tensors, meta)
    steps_total = total_steps(cfg, len(data), model_cfg.conditional)
    batches = _Batches(data, cfg.batch_size, cfg.seed, device)
    extra = {"dataset": data.fingerprint(), "total_steps": steps_total}
    grid_z = seeded_latents(GRID_SEED, GRID_SIZE, model_cfg.latent_dim).to(device)
    k = model_cfg.num_classes
    grid_y = cycle_labels(GRID_SIZE, k).to(device) if k else None

    stopped = False
    window_start, window_images = time.perf_counter(), 0
    run_start, seconds_before = time.perf_counter(), run.train_seconds
    while run.step < steps_total:
        if should_stop is not None and should_stop():
            stopped = True
            break
        losses = _train_step(run, batches)
        run.step += 1
        window_images += cfg.batch_size * cfg.d_steps
        run.images_seen += cfg.batch_size * cfg.d_steps
        run.train_seconds = seconds_before + time.perf_counter() - run_start
        last = run.step == steps_total
        grid_path = None
        if run.step % cfg.sample_every == 0 or last:
            grid_path = run_dir / "samples" / f"step_{run.step:07d}.png"
            _write_grid(run.g_ema, grid_z, grid_y, grid_path)
        if run.step % cfg.checkpoint_every == 0 or last:
            run.save(ckpt_path, extra)
        if on_progress is not None and (run.step % cfg.log_every == 0 or last or grid_path):
            now = time.perf_counter()
            images_per_sec = window_images / max(now - window_start, 1e-9)
            window_start, window_images = now, 0
            on_progress(
                ProgressEvent(
                    step=run.step,
                    total_steps=steps_total,
                    epoch=run.images_seen / len(data),
                    images_per_sec=images_per_sec,
                    elapsed_s=run.train_seconds,
                    losses={k: float(v) for k, v in losses.items()} | _vdb(run),
                    sample_grid=grid_path,
                )
            )
    if stopped:
        run.save(ckpt_path, extra)
    raw = _place(copy.deepcopy(run.g), torch.device("cpu")).eval()
    generator = raw
    if cfg.ema_decay > 0:
        generator = _place(copy.deepcopy(run.g_ema), torch.device("cpu"))
        recalibrate_batchnorm(generator, seed=cfg.seed)
    return TrainResult(
        generator=generator.eval(),
        raw_generator=raw,
        discriminator=_place(copy.deepcopy(run.d), torch.device("cpu")).eval(),
        model_config=model_cfg,
        train_config=cfg,
        step=run.step,
        total_steps=steps_total,
        stopped=stopped,
        images_per_sec=run.images_seen / max(run.train_seconds, 1e-9),
        wall_s=run.train_seconds,
    )


def _check_fits(data: ImageDataset, model_cfg: ModelConfig, cfg: TrainConfig) -> None:
    if data.image_size != model_cfg.image_size or data.channels != model_cfg.channels:
        raise ConfigError(
            f"data are {data.channels}×{data.image_size}×{data.image_size}, the model wants"
            f" {model_cfg.channels}×{model_cfg.image_size}×{model_cfg.image_size}",
            field="image_size",
        )
    if model_cfg.conditional and data.labels is None:
        raise ConfigError(f"{data.spec} has no labels: train it unconditional", field="conditional")
    if model_cfg.conditional and model_cfg.num_classes != data.num_classes:
        raise ConfigError("num_classes differs from the data set's classes", field="num_classes")
    if cfg.batch_size > len(data):
        raise ConfigError(
            f"batch size {cfg.batch_size} exceeds the {len(data)} training images",
            field="batch_size",
        )
    if cfg.loss == "wgan-gp" and model_cfg.d_norm == "batch":
        raise ConfigError("WGAN-GP needs a discriminator without BatchNorm", field="loss")
    if cfg.rotation_weight_d > 0 and not model_cfg.rotation_head:
        raise ConfigError("rotation loss needs a model with a rotation head", field="ssl_rotation")


def _vdb(run: _Run) -> dict[str, float]:
    return {"vdb_beta": run.vdb_beta} if run.model_cfg.vdb_dim else {}


def _autocast(device: torch.device) -> contextlib.AbstractContextManager[Any]:
    if device.type == "cuda":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext()


def _train_step(run: _Run, batches: _Batches) -> dict[str, Tensor]:
    """d_steps discriminator updates and one generator update; returns the step's loss terms."""
    cfg, device, g, d = run.cfg, run.device, run.g, run.d
    rng = torch.Generator(device).manual_seed(_mix(cfg.seed, run.step, 0))
    k = run.model_cfg.num_classes
    out: dict[str, Tensor] = {}
    fake = fake_y = None
    for i in range(cfg.d_steps):
        real, real_y = batches.get(run.step * cfg.d_steps + i)
        z = torch.randn(cfg.batch_size, run.model_cfg.latent_dim, generator=rng, device=device)
        fake_y = torch.randint(k, (cfg.batch_size,), generator=rng, device=device) if k else None
        with _autocast(device):
            fake = g(z, fake_y)
            on_real = d(real, real_y, noise=rng)
            on_fake = d(fake.detach(), fake_y, noise=rng)
            loss_d = discriminator_loss(cfg.loss, on_real.logits.float(), on_fake.logits.float())
            out["d_loss"] = loss_d.detach()
            if cfg.loss == "wgan-gp":
                critic = functools.partial(_logits, d, labels=real_y, noise=rng)
                gp = gradient_penalty(critic, real, fake.detach(), rng)
                loss_d = loss_d + cfg.gp_weight * gp
                out["gradient_penalty"] = gp.detach()
            if cfg.rotation_weight_d > 0:
                rot = _rotation_term(d, real, real_y, rng)
                loss_d = loss_d + cfg.rotation_weight_d * rot
                out["rotation_d"] = rot.detach()
            if on_real.kl is not None and on_fake.kl is not None:
                kl = 0.5 * (on_real.kl + on_fake.kl)
                loss_d = loss_d + run.vdb_beta * kl
                out["vdb_kl"] = kl.detach()
        run.opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        run.opt_d.step()
        if "vdb_kl" in out:
            run.vdb_beta = vdb_beta_update(
                run.vdb_beta, float(out["vdb_kl"]), cfg.vdb_ic, cfg.vdb_beta_lr
            )
    assert fake is not None
    with _autocast(device):
        on_fake = d(fake, fake_y, noise=rng)  # the last fakes again, now with gradients into G
        loss_g = generator_loss(cfg.loss, on_fake.logits.float())
        out["g_loss"] = loss_g.detach()
        if cfg.rotation_weight_g > 0 and run.model_cfg.rotation_head:
            rot_g = _rotation_term(d, fake, fake_y, rng)
            loss_g = loss_g + cfg.rotation_weight_g * rot_g
            out["rotation_g"] = rot_g.detach()
    run.opt_g.zero_grad(set_to_none=True)
    loss_g.backward()
    run.opt_g.step()
    with torch.no_grad():
        run.update_ema()
    return out


def _logits(d: Discriminator, x: Tensor, labels: Tensor | None, noise: torch.Generator) -> Tensor:
    out: DiscriminatorOutput = d(x, labels, noise=noise)
    return out.logits.float()


def _rotation_term(
    d: Discriminator, images: Tensor, labels: Tensor | None, rng: torch.Generator
) -> Tensor:
    """SS-GAN's rotation loss on a quarter of the batch, each image at all four angles."""
    quarter = max(1, images.shape[0] // 4)
    rotated, targets = rotate_quarter_turns(images[:quarter])
    y = labels[:quarter].repeat(4) if labels is not None else None
    logits = d(rotated, y, noise=rng).rotation_logits
    assert logits is not None
    return rotation_loss(logits, targets)


@torch.no_grad()
def _write_grid(g: Generator, z: Tensor, y: Tensor | None, path: Path) -> None:
    was_training = g.training
    g.eval()
    save_png(grid(to_uint8(g(z, y))), path)
    g.train(was_training)


@torch.no_grad()
def recalibrate_batchnorm(
    g: Generator, seed: int, batches: int = 32, batch_size: int = 128
) -> None:
    """Recompute G's BatchNorm statistics for its own (EMA) weights ("standing statistics").

    The EMA generator's weights are an average, but the running statistics it inherits belong to
    the raw generator; an exact average over seeded batches makes eval-mode output match.
    """
    norms = [m for m in g.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if not norms:
        return
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # cumulative average over all batches
    g.train()
    rng = torch.Generator().manual_seed(_mix(seed, 0, 2))
    for _ in range(batches):
        z = torch.randn(batch_size, g.cfg.latent_dim, generator=rng)
        y = (
            torch.randint(g.cfg.num_classes, (batch_size,), generator=rng)
            if g.cfg.conditional
            else None
        )
        g(z, y)
    for m in norms:
        m.momentum = 0.1
    g.eval()
