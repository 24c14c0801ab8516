"""The one rule that makes a real image a model's input, and mask images."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from latentgan.config import ModelConfig
from latentgan.errors import ConfigError
from latentgan.projection.fit import ImageLike, fit_image, fit_images, fit_mask

GREY = ModelConfig(image_size=28, channels=1)
COLOUR = ModelConfig(image_size=32, channels=3)


def test_every_layout_becomes_the_models_shape_in_minus_one_to_one(tmp_path: Path) -> None:
    digit = np.zeros((56, 56), np.uint8)
    digit[10:46, 24:32] = 255  # a white bar on black
    path = tmp_path / "digit.png"
    Image.fromarray(digit).save(path)
    layouts: list[ImageLike] = [
        digit,
        digit[..., None],
        np.repeat(digit[..., None], 3, axis=2),
        Image.fromarray(digit),
        path,
        str(path),
    ]
    out = fit_images(layouts, GREY)
    assert out.shape == (6, 1, 28, 28) and out.dtype == torch.float32
    assert float(out.min()) == -1.0 and float(out.max()) == 1.0
    assert all(torch.equal(out[0], out[i]) for i in range(1, 6))  # one rule, whatever the layout
    assert fit_images(np.stack([digit[..., None]] * 2), GREY).shape == (2, 1, 28, 28)  # N×H×W×C
    colour = fit_images([np.repeat(digit[..., None], 3, axis=2)], COLOUR)
    assert colour.shape == (1, 3, 32, 32)


def test_shrinking_averages_and_a_non_square_image_is_padded_not_cropped() -> None:
    checker = np.indices((28, 28)).sum(axis=0) % 2 * 255  # alternating 0/255 pixels
    half = fit_image(np.kron(checker, np.ones((2, 2))).astype(np.uint8), GREY)
    assert np.array_equal(half[..., 0], checker.astype(np.uint8))  # 2×2 blocks -> exact
    wide = np.full((10, 40), 255, np.uint8)
    fitted = fit_image(wide, GREY)[..., 0]
    assert fitted[0].max() == 0 and fitted[-1].max() == 0  # black bands above and below
    assert fitted[14].min() == 255  # the whole width kept


def test_alpha_is_composited_onto_black() -> None:
    rgba = np.zeros((28, 28, 4), np.uint8)
    rgba[..., :3] = 255
    rgba[:14, :, 3] = 255  # opaque top half, transparent bottom half
    fitted = fit_image(rgba, GREY)[..., 0]
    assert fitted[:14].min() == 255 and fitted[14:].max() == 0


@pytest.mark.parametrize(
    "bad",
    [
        np.zeros((28, 28), np.float32),
        np.zeros((28, 28, 2), np.uint8),
        np.zeros((0, 5), np.uint8),
        "nope.png",
    ],
)
def test_bad_images_are_config_errors_naming_the_field(bad: object) -> None:
    with pytest.raises(ConfigError) as raised:
        fit_images([bad], GREY, field="image")  # type: ignore[list-item]
    assert raised.value.field == "image"
    with pytest.raises(ConfigError):
        fit_images([], GREY)


def test_masks_from_presets_images_and_arrays(tmp_path: Path) -> None:
    centre = fit_mask("center", GREY)
    assert centre.shape == (28, 28) and centre.dtype == bool and centre.any() and not centre.all()
    drawn = np.zeros((56, 56), np.uint8)
    drawn[:, :28] = 255  # the left half known
    path = tmp_path / "mask.png"
    Image.fromarray(drawn).save(path)
    from_file = fit_mask(path, GREY)
    assert from_file[:, :14].all() and not from_file[:, 14:].any()
    assert np.array_equal(fit_mask(from_file, GREY), from_file)
