"""Tests for the projection calls of latentgan_client._convert: what Project and Complete send
(raw or PNG images, masks, unset fields), what they refuse before any call, and how their
answers decode."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from latentgan_client import Client, Completion, Projection, _convert
from latentgan_client._convert import Rpc
from latentgan_client.images import load
from latentgan_client.v1 import latentgan_pb2 as pb

PROJECT_DEFAULTS: dict[str, Any] = {
    "model": "digits",
    "labels": None,
    "method": "auto",
    "steps": None,
    "seed": 0,
    "version": None,
    "encoding": "raw",
}
COMPLETE_DEFAULTS: dict[str, Any] = {
    "model": "digits",
    "k": 4,
    "steps": None,
    "label": None,
    "seed": 0,
    "version": None,
    "encoding": "raw",
}


def _grey(height: int = 5, width: int = 4, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (height, width), dtype=np.uint8)


def _rgb(height: int = 5, width: int = 4, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)


def _project_rpc(
    images: Any, **overrides: Any
) -> Rpc[pb.ProjectRequest, pb.ProjectResponse, Projection]:
    return _convert.project(images=images, **{**PROJECT_DEFAULTS, **overrides})


def _project(images: Any, **overrides: Any) -> pb.ProjectRequest:
    return _project_rpc(images, **overrides).request


def _complete_rpc(
    image: Any = None, mask: Any = "center", **overrides: Any
) -> Rpc[pb.CompleteRequest, pb.CompleteResponse, Completion]:
    image = _grey() if image is None else image
    return _convert.complete(image=image, mask=mask, **{**COMPLETE_DEFAULTS, **overrides})


def _complete(image: Any = None, mask: Any = "center", **overrides: Any) -> pb.CompleteRequest:
    return _complete_rpc(image, mask, **overrides).request


def _decoded_pngs(batch: pb.ImageBatch) -> list[np.ndarray]:
    out = []
    for data in batch.png:
        assert data.startswith(b"\x89PNG")
        with Image.open(io.BytesIO(data)) as image:
            pixels = np.asarray(image)
        out.append(pixels.reshape(pixels.shape[0], pixels.shape[1], -1))
    return out


def _save(path: Path, pixels: np.ndarray, **kwargs: Any) -> Path:
    Image.fromarray(pixels).save(path, **kwargs)
    return path


# --- Project: images ------------------------------------------------------------------------


def test_one_grey_array_travels_raw_with_one_channel() -> None:
    image = _grey()
    batch = _project(image).images
    assert batch.encoding == pb.IMAGE_ENCODING_RAW
    assert list(batch.shape) == [1, 5, 4, 1]
    assert batch.data == image.tobytes()
    assert not batch.png


def test_arrays_of_one_shape_travel_raw_as_one_batch() -> None:
    batch4 = np.stack([_rgb(seed=i) for i in range(3)])
    for images in (batch4, list(batch4), tuple(batch4)):
        batch = _project(images).images
        assert batch.encoding == pb.IMAGE_ENCODING_RAW
        assert list(batch.shape) == [3, 5, 4, 3]
        assert batch.data == batch4.tobytes()
    # H x W and H x W x 1 are the same shape once grey gains its channel.
    grey = _grey()
    batch = _project([grey, grey[..., np.newaxis]]).images
    assert (batch.encoding, list(batch.shape)) == (pb.IMAGE_ENCODING_RAW, [2, 5, 4, 1])


def test_arrays_of_several_shapes_travel_as_pngs_of_their_own_sizes() -> None:
    images = [_grey(5, 4), _grey(7, 3), _rgb(5, 4)]
    batch = _project(images).images
    assert batch.encoding == pb.IMAGE_ENCODING_PNG
    assert list(batch.shape) == [3, 0, 0, 0]
    assert not batch.data
    decoded = _decoded_pngs(batch)
    for sent, image in zip(decoded, images, strict=True):
        np.testing.assert_array_equal(sent, image.reshape(sent.shape))
    assert [d.shape for d in decoded] == [(5, 4, 1), (7, 3, 1), (5, 4, 3)]


def test_pil_images_and_paths_are_re_encoded_as_png(tmp_path: Path) -> None:
    rgb = _rgb(6, 6)
    jpeg = _save(tmp_path / "digit.jpg", rgb, quality=95)  # not a PNG: never sent as it is
    png = _save(tmp_path / "digit.png", rgb)
    for images in (str(png), png, Image.fromarray(rgb), [png], str(jpeg)):
        batch = _project(images).images
        assert batch.encoding == pb.IMAGE_ENCODING_PNG
        assert list(batch.shape) == [1, 6, 6, 3]  # one size: the real shape
        [sent] = _decoded_pngs(batch)
        expected = load(jpeg) if images == str(jpeg) else rgb
        np.testing.assert_array_equal(sent, expected)


def test_a_mixed_sequence_travels_as_png(tmp_path: Path) -> None:
    grey = _grey(5, 4)
    path = _save(tmp_path / "grey.png", grey)
    batch = _project([grey, path, Image.fromarray(grey)]).images
    # Every image is 5 x 4 x 1, but not every one is an array: PNG, with the common shape.
    assert (batch.encoding, list(batch.shape)) == (pb.IMAGE_ENCODING_PNG, [3, 5, 4, 1])
    for sent in _decoded_pngs(batch):
        np.testing.assert_array_equal(sent[..., 0], grey)
    batch = _project([grey, _save(tmp_path / "big.png", _grey(8, 8))]).images
    assert list(batch.shape) == [2, 0, 0, 0]


@pytest.mark.parametrize(
    ("mode", "channels"),
    [("1", 1), ("L", 1), ("LA", 4), ("P", 3), ("RGB", 3), ("RGBA", 4), ("CMYK", 3)],
)
def test_pillow_modes_become_one_three_or_four_channels(mode: str, channels: int) -> None:
    image = Image.fromarray(_rgb(4, 4)).convert(mode)
    batch = _project(image).images
    assert list(batch.shape) == [1, 4, 4, channels]
    assert _decoded_pngs(batch)[0].shape == (4, 4, channels)


@pytest.mark.parametrize(
    ("images", "error", "words"),
    [
        (np.zeros((4, 4), dtype=np.float32), ValueError, "images must be uint8"),
        (np.zeros((2, 4, 4, 3), dtype=np.int64), ValueError, "images must be uint8"),
        (np.zeros((4, 4, 2), dtype=np.uint8), ValueError, "C in 1, 3, 4"),
        (np.zeros((4,), dtype=np.uint8), ValueError, "images must be one image"),
        (np.zeros((1, 1, 4, 4, 1), dtype=np.uint8), ValueError, "images must be one image"),
        (np.zeros((0, 4, 4, 1), dtype=np.uint8), ValueError, "at least one image"),
        (np.zeros((0, 4), dtype=np.uint8), ValueError, "images must be one image"),
        ([], ValueError, "at least one image"),
        ([_grey(), np.zeros((4, 4), dtype=np.float64)], ValueError, r"images\[1\] must be uint8"),
        ([_grey(), 3], TypeError, r"images\[1\]"),
        ([np.zeros((2, 4, 4, 1), dtype=np.uint8)], ValueError, r"images\[0\] must be one"),
        (b"\x89PNG", TypeError, "images"),
        (42, TypeError, "images"),
        ("no/such/file.png", ValueError, "images: cannot read 'no/such/file.png'"),
        (Image.new("I;16", (4, 4)), ValueError, "8-bit"),
    ],
)
def test_project_refuses_bad_images(images: Any, error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=words):
        _project(images)


def test_an_unreadable_file_is_a_value_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "notes.png"
    path.write_text("not an image")
    with pytest.raises(ValueError, match=r"images\[0\]: cannot read .*notes.png"):
        _project([path])
    with pytest.raises(ValueError, match="cannot read"):
        _project(tmp_path)  # a folder


def test_bad_project_input_fails_before_any_call() -> None:
    with Client("127.0.0.1:1", timeout=0.5, retries=0) as client, pytest.raises(ValueError):
        client.project("digits", np.zeros((4, 4), dtype=np.float32))


# --- Project: the other fields ----------------------------------------------------------------


def test_project_defaults_leave_steps_unset_and_send_auto() -> None:
    request = _project(_grey())
    assert request.model == "digits" and request.version == 0
    assert not request.HasField("steps")
    assert request.method == pb.PROJECTION_METHOD_AUTO
    assert (list(request.labels), request.seed) == ([], 0)
    assert request.encoding == pb.IMAGE_ENCODING_RAW


def test_project_sends_steps_zero_labels_method_seed_version() -> None:
    request = _project(_grey(), steps=0, labels=[3, 4], method="encoder", seed=9, version=2)
    assert request.HasField("steps") and request.steps == 0
    assert list(request.labels) == [3, 4]
    assert request.method == pb.PROJECTION_METHOD_ENCODER
    assert (request.seed, request.version) == (9, 2)
    assert _project(_grey(), steps=50, method="optimize").steps == 50
    assert _project(_grey(), method="optimize").method == pb.PROJECTION_METHOD_OPTIMIZE
    assert list(_project(_grey(), labels=7).labels) == [7]
    assert list(_project(_grey(), labels=np.array([1, 2], dtype=np.int64)).labels) == [1, 2]
    assert _project(_grey(), encoding="png").encoding == pb.IMAGE_ENCODING_PNG


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"steps": -1}, ValueError),
        ({"steps": 1.5}, TypeError),
        ({"seed": -1}, ValueError),
        ({"method": "lbfgs"}, ValueError),
        ({"encoding": "jpeg"}, ValueError),
        ({"labels": ["3"]}, TypeError),
    ],
)
def test_project_refuses_bad_fields(overrides: dict[str, Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        _project(_grey(), **overrides)


# --- Complete -------------------------------------------------------------------------------


@pytest.mark.parametrize("preset", ["center", "left", "right", "top", "bottom", "random:0.25"])
def test_a_preset_mask_travels_as_its_name(preset: str) -> None:
    request = _complete(mask=preset)
    assert request.WhichOneof("mask") == "mask_preset"
    assert request.mask_preset == preset


def test_a_mask_array_travels_raw_bool_as_255_and_0() -> None:
    known = np.zeros((5, 4), dtype=bool)
    known[:, :2] = True
    request = _complete(mask=known)
    assert request.WhichOneof("mask") == "mask_image"
    batch = request.mask_image
    assert (batch.encoding, list(batch.shape)) == (pb.IMAGE_ENCODING_RAW, [1, 5, 4, 1])
    sent = np.frombuffer(batch.data, dtype=np.uint8).reshape(5, 4)
    np.testing.assert_array_equal(sent, np.where(known, 255, 0))
    levels = np.full((5, 4, 3), 200, dtype=np.uint8)  # uint8, as given
    assert _complete(mask=levels).mask_image.data == levels.tobytes()


def test_a_mask_file_or_pil_image_travels_as_png(tmp_path: Path) -> None:
    pixels = np.where(np.arange(16).reshape(4, 4) % 2 == 0, 255, 0).astype(np.uint8)
    path = _save(tmp_path / "mask.png", pixels)
    for mask in (str(path), path, Image.fromarray(pixels), Image.fromarray(pixels > 0)):
        request = _complete(mask=mask)
        assert request.WhichOneof("mask") == "mask_image"
        batch = request.mask_image
        assert (batch.encoding, list(batch.shape)) == (pb.IMAGE_ENCODING_PNG, [1, 4, 4, 1])
        np.testing.assert_array_equal(_decoded_pngs(batch)[0][..., 0], pixels)


def test_complete_image_is_one_image(tmp_path: Path) -> None:
    image = _rgb()
    request = _complete(image)
    batch = request.image
    assert (batch.encoding, list(batch.shape)) == (pb.IMAGE_ENCODING_RAW, [1, 5, 4, 3])
    assert batch.data == image.tobytes()
    # A batch of one (as sample() returns it) is one image too.
    assert _complete(image[np.newaxis]).image == batch
    path = _save(tmp_path / "digit.png", image)
    batch = _complete(path).image
    assert (batch.encoding, list(batch.shape)) == (pb.IMAGE_ENCODING_PNG, [1, 5, 4, 3])


def test_complete_defaults_and_fields() -> None:
    request = _complete()
    assert (request.model, request.version, request.k, request.seed) == ("digits", 0, 4, 0)
    assert not request.HasField("steps") and not request.HasField("label")
    request = _complete(k=2, steps=30, label=0, seed=5, version=3, encoding="png")
    assert (request.k, request.steps, request.seed, request.version) == (2, 30, 5, 3)
    assert request.HasField("label") and request.label == 0
    assert request.encoding == pb.IMAGE_ENCODING_PNG


@pytest.mark.parametrize(
    ("overrides", "error", "words"),
    [
        ({"mask": "middle"}, ValueError, "mask must be a preset"),
        ({"mask": "random:1.5"}, ValueError, "random:P"),
        ({"mask": "random:"}, ValueError, "random:P"),
        ({"mask": "random:0"}, ValueError, "random:P"),
        ({"mask": np.zeros((4, 4), dtype=np.float32)}, ValueError, "bool .* or uint8"),
        ({"mask": np.zeros((4, 4, 2), dtype=np.uint8)}, ValueError, "mask must be one image"),
        ({"mask": [np.zeros((4, 4), dtype=np.uint8)]}, TypeError, "mask must be one image"),
        ({"mask": None}, TypeError, "mask"),
        ({"image": [_grey(), _grey()]}, TypeError, "image must be one image"),
        ({"image": np.zeros((2, 5, 4, 1), dtype=np.uint8)}, ValueError, "image must be one"),
        ({"image": np.zeros((5, 4), dtype=np.int16)}, ValueError, "image must be uint8"),
        ({"image": "missing.png"}, ValueError, "image: cannot read"),
        ({"k": 0}, ValueError, "k must be >= 1"),
        ({"steps": 0}, ValueError, "steps must be >= 1"),
        ({"seed": -2}, ValueError, "seed"),
        ({"label": 1.5}, TypeError, "integer"),
    ],
)
def test_complete_refuses_bad_input(
    overrides: dict[str, Any], error: type[Exception], words: str
) -> None:
    args = {"image": _grey(), "mask": "center", **overrides}
    with pytest.raises(error, match=words):
        _complete(**args)


# --- answers --------------------------------------------------------------------------------


def _latents(rows: int, dim: int = 3) -> tuple[np.ndarray, pb.LatentBatch]:
    values = np.arange(rows * dim, dtype=np.float32).reshape(rows, dim) / 8
    return values, pb.LatentBatch(dim=dim, values=values.ravel().tolist())


def _batch(images: np.ndarray) -> pb.ImageBatch:
    return pb.ImageBatch(shape=list(images.shape), data=images.tobytes())


def _project_response(labels: list[int]) -> pb.ProjectResponse:
    images = np.arange(2 * 4 * 4, dtype=np.uint8).reshape(2, 4, 4, 1)
    return pb.ProjectResponse(
        model="digits@2",
        latents=_latents(2)[1],
        labels=labels,
        reconstructions=_batch(images),
        pixel_distances=[0.25, 0.5],
        feature_distances=[1.5, 2.0],
        steps=[20, 0],
        method=pb.PROJECTION_METHOD_OPTIMIZE,
    )


def test_a_project_answer_decodes_to_a_projection() -> None:
    p = _project_rpc(_grey()).decode(_project_response([3, 1]))
    assert (p.model, p.method) == ("digits@2", "optimize")
    assert p.latents.dtype == np.float32 and p.latents.shape == (2, 3)
    np.testing.assert_array_equal(p.latents, _latents(2)[0])
    assert p.labels is not None and p.labels.dtype == np.int64
    assert p.labels.tolist() == [3, 1]
    assert p.images.shape == (2, 4, 4, 1) and p.images.dtype == np.uint8
    assert p.distances.pixel.dtype == np.float64 and p.distances.pixel.tolist() == [0.25, 0.5]
    assert p.distances.feature.tolist() == [1.5, 2.0]
    assert p.steps.dtype == np.int64 and p.steps.tolist() == [20, 0]
    assert _project_rpc(_grey()).decode(_project_response([])).labels is None


def test_projection_latents_and_labels_go_straight_into_edit_and_sample() -> None:
    p = _project_rpc(_grey()).decode(_project_response([3, 1]))
    edit = _convert.edit(
        "digits", "sefa:0", [1.0], 0, 1, p.labels, 1.0, p.latents, None, None, "raw"
    ).request
    assert (edit.WhichOneof("source"), edit.n, edit.latents.dim) == ("latents", 2, 3)
    assert list(edit.latents.values) == pytest.approx(p.latents.ravel().tolist())
    assert list(edit.labels) == [3, 1]
    sample = _convert.sample("digits", 1, 0, p.labels, 1.0, p.latents, None, "raw").request
    assert (sample.n, list(sample.labels)) == (2, [3, 1])
    start, end = (0, None, p.latents[0]), (0, None, p.latents[1])
    walk = _convert.interpolate("digits", start, end, 4, "slerp", 1.0, None, "raw").request
    assert walk.start.WhichOneof("point") == "latent"


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("pixel_distances", [0.25], "1 pixel_distances"),
        ("feature_distances", [], "0 feature_distances"),
        ("steps", [1, 2, 3], "3 steps"),
        ("labels", [1], "1 labels"),
    ],
)
def test_a_project_answer_with_wrong_counts_raises(field: str, value: Any, words: str) -> None:
    response = _project_response([3, 1])
    response.ClearField(field)  # type: ignore[arg-type]
    getattr(response, field).extend(value)
    with pytest.raises(ValueError, match=f"project answer has 2 images but {words}"):
        _project_rpc(_grey()).decode(response)


def test_an_unset_method_in_the_answer_reads_as_auto() -> None:
    response = _project_response([])
    response.method = pb.PROJECTION_METHOD_UNSPECIFIED
    assert _project_rpc(_grey()).decode(response).method == "auto"
    response.method = 99  # type: ignore[assignment]  # a newer server's method
    assert _project_rpc(_grey()).decode(response).method == "unspecified"


def test_a_latent_batch_that_does_not_divide_raises() -> None:
    response = _project_response([])
    response.latents.values.append(1.0)
    with pytest.raises(ValueError, match="7 latent values for dim 3"):
        _project_rpc(_grey()).decode(response)


def _complete_response(label: int | None) -> pb.CompleteResponse:
    completions = np.arange(3 * 4 * 4, dtype=np.uint8).reshape(3, 4, 4, 1)
    mask = np.zeros((1, 4, 4, 1), dtype=np.uint8)
    mask[0, :, :2] = 255  # the left half known
    response = pb.CompleteResponse(
        model="digits@2",
        completions=_batch(completions),
        losses=[0.5, 0.75, 1.0],
        latents=_latents(3)[1],
        mask=_batch(mask),
    )
    if label is not None:
        response.label = label
    return response


def test_a_complete_answer_decodes_to_a_completion() -> None:
    c = _complete_rpc().decode(_complete_response(0))
    assert c.model == "digits@2"
    assert c.images.shape == (3, 4, 4, 1)
    assert c.losses.dtype == np.float64 and c.losses.tolist() == [0.5, 0.75, 1.0]
    assert c.latents.dtype == np.float32 and c.latents.shape == (3, 3)
    assert c.mask.dtype == np.bool_ and c.mask.shape == (4, 4)
    assert c.mask[:, :2].all() and not c.mask[:, 2:].any()
    assert c.label == 0  # set, even when 0
    assert _complete_rpc().decode(_complete_response(None)).label is None


def test_a_complete_answer_with_a_wrong_mask_or_counts_raises() -> None:
    response = _complete_response(None)
    response.mask.CopyFrom(_batch(np.zeros((1, 3, 4, 1), dtype=np.uint8)))
    with pytest.raises(ValueError, match="mask"):
        _complete_rpc().decode(response)
    response = _complete_response(None)
    del response.losses[-1]
    with pytest.raises(ValueError, match="complete answer has 3 images but 2 losses"):
        _complete_rpc().decode(response)


def test_both_calls_name_methods_of_the_service() -> None:
    methods = pb.DESCRIPTOR.services_by_name["LatentGan"].methods_by_name
    for rpc in (_project_rpc(_grey()), _complete_rpc()):
        assert methods[rpc.method].input_type is rpc.request.DESCRIPTOR
