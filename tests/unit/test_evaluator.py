"""The per-data-set evaluator: trained once, cached, reloaded identically; scores make sense."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from latentgan.data import ImageDataset, load_dataset, split_dataset
from latentgan.errors import ConfigError
from latentgan.evaluate import score_images
from latentgan.evaluator import as_model_input, load_or_train_evaluator


@pytest.fixture(scope="module")
def digits() -> ImageDataset:
    return load_dataset("digits")


def test_trained_once_then_loaded_from_cache(digits: ImageDataset, tmp_path: Path) -> None:
    first = load_or_train_evaluator(digits, tmp_path, epochs=3, progress=False)
    folders = list(tmp_path.iterdir())
    assert len(folders) == 1 and (folders[0] / "weights.safetensors").exists()
    again = load_or_train_evaluator(digits, tmp_path, epochs=3, progress=False)
    assert again.info == first.info
    for a, b in zip(first.net.state_dict().values(), again.net.state_dict().values(), strict=True):
        assert torch.equal(a, b)
    assert first.info.held_out_accuracy > 0.8  # 3 epochs on 1,600 8x8 digits


def test_real_held_out_images_score_as_real(digits: ImageDataset, tmp_path: Path) -> None:
    evaluator = load_or_train_evaluator(digits, tmp_path, epochs=3, progress=False)
    train, _ = split_dataset(digits)
    real = score_images(as_model_input(train.images), None, digits, evaluator)
    assert real.classes_covered == 10 and real.kl_to_prior < 0.02
    one_class = train.images[train.labels == 4] if train.labels is not None else train.images
    collapsed = score_images(as_model_input(one_class), None, digits, evaluator)
    assert collapsed.classes_covered <= 5 and collapsed.kl_to_prior > 1.0  # ~ln(10) when total
    assert collapsed.fd > real.fd
    asked = np.full(len(one_class), 4)
    assert score_images(as_model_input(one_class), asked, digits, evaluator).conditional_accuracy


def test_unlabelled_data_cannot_be_evaluated(digits: ImageDataset, tmp_path: Path) -> None:
    plain = ImageDataset("plain", digits.images, None, ())
    with pytest.raises(ConfigError) as bad:
        load_or_train_evaluator(plain, tmp_path, progress=False)
    assert bad.value.field == "dataset"


def test_feature_maps_and_logits(digits: ImageDataset, tmp_path: Path) -> None:
    evaluator = load_or_train_evaluator(digits, tmp_path, epochs=3, progress=False)
    images = as_model_input(digits.images[:40])
    maps = evaluator.feature_maps(images)
    assert [tuple(m.shape) for m in maps] == [(40, 32, 16, 16), (40, 64, 8, 8), (40, 128, 4, 4)]
    assert all(m.min() >= 0 and not m.requires_grad for m in maps)  # after ReLU and pooling
    larger = torch.nn.functional.interpolate(images, scale_factor=2, mode="nearest")
    assert [m.shape for m in evaluator.feature_maps(larger)] == [m.shape for m in maps]  # _fit
    logits = evaluator.logits(images, batch_size=16)
    assert logits.shape == (40, 10) and logits.dtype == np.float32
    _, predictions = evaluator.features_and_predictions(images)
    np.testing.assert_array_equal(logits.argmax(1), predictions)
    np.testing.assert_allclose(evaluator.logits(images), logits, rtol=1e-5, atol=1e-5)
