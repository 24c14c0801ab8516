"""latentgan.attributes: synthetic strokes of known geometry, measured.

Strokes whose numbers are checked are drawn in numpy from exact geometry: a pixel is ink when its
centre lies inside the shape, so that the true width, slant and extent are known. Pillow draws the
rest: a leaning line for the sign of slant, and scribbles for batching and layouts.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from latentgan import attributes
from latentgan.attributes import MORPHOLOGY, UNITS, measure

SIZE = 28
OFFSETS = [(dx, dy) for dx in (-0.3, 0.0, 0.3) for dy in (-0.3, 0.3)]  # sub-pixel placements


def _stroke(width: float, angle: float, length: float = 18, dx: float = 0.0, dy: float = 0.0):
    """A round-ended stroke (a capsule), its top leaning right by ``angle`` degrees from vertical.

    Centred on a pixel centre for odd widths and between two for even ones, so that upright it is
    exactly ``width`` columns wide; ``dx``, ``dy`` move it off that grid.
    """
    y, x = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64)
    cx = SIZE / 2 - 1 + (0.5 if round(width) % 2 == 0 else 0.0) + dx
    cy = SIZE / 2 - 0.5 + dy
    ux, uy = np.sin(np.radians(angle)), -np.cos(np.radians(angle))  # up the stroke (y is down)
    px, py = x - (cx - ux * length / 2), y - (cy - uy * length / 2)
    along = np.clip(px * ux + py * uy, 0, length)
    inside = np.hypot(px - along * ux, py - along * uy) < width / 2
    return np.where(inside, 255, 0).astype(np.uint8)


def _sheared_bar(width: int, angle: float, height: int = 20):
    """A bar ``width`` columns wide and ``height`` rows tall, sheared so its top leans right."""
    y, x = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64)
    cx, cy = SIZE / 2 - 1 + (0.5 if width % 2 == 0 else 0.0), SIZE / 2 - 0.5
    shear = np.tan(np.radians(angle))
    inside = (np.abs(x - cx - shear * (cy - y)) < width / 2) & (np.abs(y - cy) < height / 2)
    return np.where(inside, 255, 0).astype(np.uint8)


def _scribbles(count: int, seed: int = 0) -> np.ndarray:
    """Digit-like images: random lines, arcs and boxes, some touching the edges, some empty."""
    rng = np.random.default_rng(seed)
    images = []
    for i in range(count):
        image = Image.new("L", (SIZE, SIZE))
        draw = ImageDraw.Draw(image)
        for _ in range(0 if i % 9 == 4 else int(rng.integers(1, 4))):
            a, b = rng.integers(-2, SIZE + 2, size=2), rng.integers(-2, SIZE + 2, size=2)
            box = (min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))
            kind, width = int(rng.integers(3)), int(rng.integers(1, 6))
            if kind == 0:
                draw.line((*a, *b), fill=255, width=width)
            elif kind == 1:
                draw.arc(box, int(rng.integers(360)), int(rng.integers(360)), fill=200, width=width)
            else:
                draw.rectangle(box, fill=int(rng.integers(100, 256)))
        images.append(np.asarray(image))
    return np.stack(images)[..., None]


def test_names_and_units() -> None:
    assert MORPHOLOGY == ("thickness", "slant", "width", "height", "area")
    assert set(UNITS) == set(MORPHOLOGY)
    assert UNITS["slant"] == "degrees" and UNITS["area"] == "px²"


def test_rectangle_extent_and_area_are_exact() -> None:
    image = np.zeros((1, SIZE, SIZE, 1), np.uint8)
    image[0, 5:20, 8:18] = 255  # 15 rows × 10 columns
    image[0, 3, 3] = 127  # below the threshold: background
    m = measure(image)
    assert m["height"][0] == 15
    assert m["width"][0] == 10
    assert m["area"][0] == 150
    assert m["slant"][0] == 0
    assert all(m[name].dtype == np.float64 and m[name].shape == (1,) for name in MORPHOLOGY)


def test_threshold_is_half_of_255() -> None:
    image = np.zeros((2, 4, 4), np.uint8)
    image[0, 1, 1:3] = 128
    image[1, 1, 1:3] = 127
    assert measure(image, ("area",))["area"].tolist() == [2.0, 0.0]


def test_vertical_strokes_measure_their_width() -> None:
    widths = [1, 2, 3, 4, 5, 6]
    thickness = measure(np.stack([_stroke(t, 0) for t in widths]), ("thickness",))["thickness"]
    np.testing.assert_allclose(thickness, widths, atol=0.2)
    assert np.all(np.diff(thickness) > 0.5)


@pytest.mark.parametrize("angle", [-30, 15, 30, 45])
def test_slanted_strokes_measure_their_width(angle: float) -> None:
    widths = [2, 3, 4, 5]
    images = np.stack([_stroke(t, angle, dx=dx, dy=dy) for t in widths for dx, dy in OFFSETS])
    thickness = measure(images, ("thickness",))["thickness"].reshape(len(widths), len(OFFSETS))
    truth = np.array(widths, np.float64)[:, None]
    assert np.all(np.abs(thickness - truth) <= 1.0), thickness  # any one placement
    mean = thickness.mean(axis=1)
    np.testing.assert_allclose(mean, widths, atol=0.6)  # on average over placements
    assert np.all(np.diff(mean) > 0.5), mean  # thicker strokes measure thicker


@pytest.mark.parametrize("angle", [-30, -15, 0, 15, 30])
def test_sheared_bar_measures_its_slant_and_unsheared_width(angle: float) -> None:
    m = measure(np.stack([_sheared_bar(6, angle), _sheared_bar(3, angle)]))
    np.testing.assert_allclose(m["slant"], angle, atol=3.0)
    assert abs(m["width"][0] - 6) <= 1 and abs(m["width"][1] - 3) <= 1, m["width"]
    assert m["height"].tolist() == [20.0, 20.0]


def test_top_leaning_right_is_positive_slant() -> None:
    image = Image.new("L", (SIZE, SIZE))
    ImageDraw.Draw(image).line((8, 24, 20, 3), fill=255, width=3)  # bottom left to top right
    right = np.asarray(image)
    m = measure(np.stack([right, right[:, ::-1]]), ("slant",))
    assert m["slant"][0] > 20 and m["slant"][1] < -20
    assert m["slant"][0] == pytest.approx(-m["slant"][1])


def test_slant_of_one_row_is_zero() -> None:
    image = np.zeros((1, 8, 8), np.uint8)
    image[0, 4, 1:7] = 255
    m = measure(image)
    assert m["slant"][0] == 0 and m["width"][0] == 6 and m["height"][0] == 1


def test_empty_image_has_area_zero_and_nan_otherwise() -> None:
    images = np.zeros((3, SIZE, SIZE, 1), np.uint8)
    images[1, 10:15, 10:12] = 255
    m = measure(images)
    assert m["area"].tolist() == [0.0, 10.0, 0.0]
    for name in ("thickness", "slant", "width", "height"):
        assert np.isnan(m[name][[0, 2]]).all(), name
        assert np.isfinite(m[name][1]), name


def test_no_images_give_empty_arrays() -> None:
    m = measure(np.zeros((0, SIZE, SIZE, 1), np.uint8))
    assert list(m) == list(MORPHOLOGY)
    assert all(v.shape == (0,) and v.dtype == np.float64 for v in m.values())


def test_an_image_measures_the_same_alone_as_in_a_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    images = _scribbles(45)
    monkeypatch.setattr(attributes, "_CHUNK_PIXELS", 16 * SIZE * SIZE)  # mosaics of 16 images
    batch = measure(images)
    alone = [measure(images[i : i + 1]) for i in range(len(images))]
    for name in MORPHOLOGY:
        np.testing.assert_array_equal(batch[name], [m[name][0] for m in alone], err_msg=name)
    assert np.isnan(batch["thickness"]).sum() == np.sum(batch["area"] == 0) > 0


def test_both_layouts_and_name_order() -> None:
    images = _scribbles(12, seed=1)
    with_channel = measure(images)
    without = measure(images[..., 0])
    for name in MORPHOLOGY:
        np.testing.assert_array_equal(with_channel[name], without[name], err_msg=name)
    some = measure(images, ("area", "slant", "area"))
    assert list(some) == ["area", "slant"]
    np.testing.assert_array_equal(some["slant"], with_channel["slant"])


@pytest.mark.parametrize(
    ("images", "message"),
    [
        (np.zeros((2, 8, 8, 1), np.float32), "must be uint8"),
        (np.zeros((8, 8), np.uint8), r"N×H×W×1 or N×H×W"),
        (np.zeros((2, 8, 8, 3), np.uint8), r"got shape \(2, 8, 8, 3\)"),
        (np.zeros((2, 0, 8), np.uint8), "at least 1×1"),
        ([[[0]]], "must be a numpy array, got list"),
    ],
)
def test_invalid_images_are_refused(images: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        measure(images)  # type: ignore[arg-type]


def test_unknown_names_are_refused() -> None:
    images = np.zeros((1, 8, 8), np.uint8)
    with pytest.raises(ValueError, match=r"unknown measurement\(s\) \['slope'\]"):
        measure(images, ("slant", "slope"))
    with pytest.raises(ValueError, match="not the string 'area'"):
        measure(images, "area")
