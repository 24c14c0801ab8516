"""The training loop: exact resume, stopping, progress events, and refusing bad setups."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import torch

from latentgan.checkpoint import load_tensor_file
from latentgan.config import ModelConfig, TrainConfig
from latentgan.data import ImageDataset, load_dataset
from latentgan.errors import ConfigError
from latentgan.train import CHECKPOINT_FILE, ProgressEvent, train


@pytest.fixture(scope="module")
def small_mnist() -> ImageDataset:
    """256 real digits, every class present."""
    full = load_dataset("mnist5k")
    assert full.labels is not None
    index = torch.arange(0, 5000, 5000 // 256)[:256]
    return ImageDataset(
        full.spec, full.images[index].clone(), full.labels[index].clone(), full.class_names
    )


TINY = ModelConfig(latent_dim=8, g_width=8, d_width=8, class_embed_dim=4)
SETUPS = {
    "ns-conditional": (replace(TINY, num_classes=10), TrainConfig(batch_size=32)),
    "hinge-sn-rotation-vdb": (
        replace(TINY, spectral_norm=True, d_norm="none", rotation_head=True, vdb_dim=4),
        TrainConfig(
            loss="hinge",
            batch_size=32,
            rotation_weight_d=1.0,
            rotation_weight_g=0.2,
            vdb_beta_lr=0.1,
        ),
    ),
    "wgan-gp-2-critic-steps": (
        replace(TINY, d_norm="none"),
        TrainConfig(loss="wgan-gp", d_steps=2, batch_size=32),
    ),
}


def _checkpoint_tensors(run_dir: Path) -> tuple[dict[str, torch.Tensor], dict[str, object]]:
    return load_tensor_file(run_dir / CHECKPOINT_FILE)


@pytest.mark.parametrize("setup", SETUPS)
def test_stopped_and_resumed_run_ends_with_identical_state(
    setup: str, small_mnist: ImageDataset, tmp_path: Path
) -> None:
    model, cfg = SETUPS[setup]
    cfg = replace(cfg, steps=14, checkpoint_every=5, sample_every=100)
    # 256 images / 32 = 8 batches an epoch: 14 steps cross an epoch boundary after the stop.
    whole = train(small_mnist, model, cfg, tmp_path / "whole")
    calls = iter(range(100))
    stopped = train(
        small_mnist, model, cfg, tmp_path / "split", should_stop=lambda: next(calls) >= 7
    )
    assert stopped.stopped and stopped.step == 7
    resumed = train(small_mnist, model, cfg, tmp_path / "split", resume=True)
    assert resumed.step == whole.step == 14 and not resumed.stopped
    a, meta_a = _checkpoint_tensors(tmp_path / "whole")
    b, meta_b = _checkpoint_tensors(tmp_path / "split")
    assert a.keys() == b.keys()
    differing = [k for k in a if not torch.equal(a[k], b[k])]
    assert differing == []  # generator, discriminator, EMA, both optimizers, BN stats, SN vectors
    assert meta_a["vdb_beta"] == meta_b["vdb_beta"]
    for x, y in zip(
        whole.generator.state_dict().values(), resumed.generator.state_dict().values(), strict=True
    ):
        assert torch.equal(x, y)


def test_resume_from_an_older_checkpoint_replays_lost_steps_exactly(
    small_mnist: ImageDataset, tmp_path: Path
) -> None:
    """A crash loses the steps after the last checkpoint; the resumed run redoes them the same."""
    model, cfg = TINY, TrainConfig(batch_size=32, steps=9, checkpoint_every=4, sample_every=100)
    train(small_mnist, model, cfg, tmp_path / "whole")
    train(small_mnist, model, replace(cfg, steps=4), tmp_path / "crashed")  # as if killed at 4..7
    resumed = train(small_mnist, model, cfg, tmp_path / "crashed", resume=True)
    assert resumed.step == 9
    a, _ = _checkpoint_tensors(tmp_path / "whole")
    b, _ = _checkpoint_tensors(tmp_path / "crashed")
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_different_seeds_train_different_weights(small_mnist: ImageDataset, tmp_path: Path) -> None:
    cfg = TrainConfig(batch_size=32, steps=3, sample_every=100)
    a = train(small_mnist, TINY, cfg, tmp_path / "a")
    b = train(small_mnist, TINY, replace(cfg, seed=1), tmp_path / "b")
    assert not torch.equal(next(a.generator.parameters()), next(b.generator.parameters()))


def test_progress_events_and_sample_grids(small_mnist: ImageDataset, tmp_path: Path) -> None:
    events: list[ProgressEvent] = []
    cfg = TrainConfig(batch_size=32, steps=6, log_every=2, sample_every=3, checkpoint_every=3)
    result = train(small_mnist, TINY, cfg, tmp_path, on_progress=events.append)
    assert [e.step for e in events] == [2, 3, 4, 6]
    assert all(e.total_steps == 6 and e.images_per_sec > 0 for e in events)
    assert {"d_loss", "g_loss"} <= events[-1].losses.keys()
    grids = sorted((tmp_path / "samples").glob("*.png"))
    assert [g.name for g in grids] == ["step_0000003.png", "step_0000006.png"]
    assert events[1].sample_grid == grids[0]
    assert result.finished and not result.generator.training


def test_epochs_set_the_number_of_steps(small_mnist: ImageDataset, tmp_path: Path) -> None:
    cfg = TrainConfig(batch_size=32, epochs=0.5, sample_every=100)
    assert train(small_mnist, TINY, cfg, tmp_path).step == 4  # 8 batches an epoch


@pytest.mark.parametrize(
    ("model", "cfg", "field"),
    [
        (replace(TINY, image_size=32), TrainConfig(steps=1), "image_size"),
        (TINY, TrainConfig(steps=1, batch_size=1000), "batch_size"),
        (TINY, TrainConfig(steps=1, loss="wgan-gp"), "loss"),
        (TINY, TrainConfig(steps=1, rotation_weight_d=1.0), "ssl_rotation"),
        (replace(TINY, num_classes=3), TrainConfig(steps=1), "num_classes"),
        (TINY, TrainConfig(steps=1, lr_g=2.0), "lr_g"),
    ],
)
def test_bad_setups_are_refused_before_training(
    model: ModelConfig, cfg: TrainConfig, field: str, small_mnist: ImageDataset, tmp_path: Path
) -> None:
    with pytest.raises(ConfigError) as caught:
        train(small_mnist, model, cfg, tmp_path)
    assert caught.value.field == field
    assert not (tmp_path / CHECKPOINT_FILE).exists()


def test_resuming_on_other_data_is_refused(small_mnist: ImageDataset, tmp_path: Path) -> None:
    cfg = TrainConfig(batch_size=32, steps=2, sample_every=100)
    train(small_mnist, TINY, cfg, tmp_path)
    other = ImageDataset("other", small_mnist.images.flip(0).contiguous(), None, ())
    with pytest.raises(ConfigError, match="other data"):
        train(other, TINY, replace(cfg, steps=4), tmp_path, resume=True)


def test_ema_generator_differs_from_raw_and_off_means_raw(
    small_mnist: ImageDataset, tmp_path: Path
) -> None:
    cfg = TrainConfig(batch_size=32, steps=5, sample_every=100)
    with_ema = train(small_mnist, TINY, cfg, tmp_path / "ema")
    pairs = zip(with_ema.generator.parameters(), with_ema.raw_generator.parameters(), strict=True)
    assert any(not torch.equal(a, b) for a, b in pairs)
    without = train(small_mnist, TINY, replace(cfg, ema_decay=0.0), tmp_path / "raw")
    assert without.generator is without.raw_generator
