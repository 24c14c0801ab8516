"""Tests for latentgan_client._convert: what each call sends, and how answers are decoded."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from latentgan_client import Client, JobState, _convert
from latentgan_client._convert import Endpoint, Rpc
from latentgan_client._models import ImageArray
from latentgan_client.v1 import latentgan_pb2 as pb

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DEFAULTS: dict[str, Any] = {
    "model": "digits",
    "n": 1,
    "seed": 0,
    "labels": None,
    "truncation": 1.0,
    "latents": None,
    "version": None,
    "encoding": "raw",
}


def _sample(**overrides: Any) -> pb.SampleRequest:
    return _convert.sample(**{**SAMPLE_DEFAULTS, **overrides}).request


def _interpolate(
    start: Endpoint = (0, None, None), end: Endpoint = (1, None, None), **overrides: Any
) -> pb.InterpolateRequest:
    args: dict[str, Any] = {"model": "digits", "steps": 8, "method": "slerp", "truncation": 1.0}
    args |= {"version": None, "encoding": "raw"} | overrides
    return _convert.interpolate(start=start, end=end, **args).request


def _train(**overrides: Any) -> pb.TrainRequest:
    args: dict[str, Any] = {"dataset": "mnist5k", "name": "digits", "conditional": False}
    args |= {"epochs": None, "steps": None, "latent_dim": 100, "loss": "ns"}
    args |= {"request_id": None, "options": {}} | overrides
    return _convert.train(**args).request


# --- Sample ---------------------------------------------------------------------------------


def test_sample_by_seed_sends_the_seed_even_when_zero() -> None:
    request = _sample(n=4, seed=0)
    assert request.WhichOneof("source") == "seed"
    assert (request.seed, request.n) == (0, 4)
    assert request.encoding == pb.IMAGE_ENCODING_RAW


def test_sample_by_latents_sends_rows_as_n_and_ignores_the_seed() -> None:
    latents = np.arange(6, dtype=np.float64).reshape(3, 2) / 4
    request = _sample(seed=9, latents=latents)
    assert request.WhichOneof("source") == "latents"
    assert request.n == 3
    assert request.latents.dim == 2
    assert list(request.latents.values) == pytest.approx(latents.ravel().tolist())


def test_sample_takes_one_latent_vector_as_one_row() -> None:
    request = _sample(latents=[0.5, -1.0, 2.0])
    assert (request.n, request.latents.dim) == (1, 3)


@pytest.mark.parametrize(
    ("latents", "n"),
    [
        (np.zeros((2, 3, 4)), 1),  # 3-D
        (np.zeros((0, 8)), 1),  # no rows
        (np.zeros((2, 0)), 1),  # no columns
        ([[1.0, 2.0], [3.0]], 1),  # ragged
        ([[1.0, float("nan")]], 1),  # not finite
        (np.zeros((3, 4)), 5),  # n disagrees with the rows
    ],
)
def test_sample_refuses_bad_latents(latents: Any, n: int) -> None:
    with pytest.raises(ValueError, match=r"latents|n="):
        _sample(latents=latents, n=n)


def test_bad_latents_fail_before_any_call() -> None:
    # Nothing listens on port 1: reaching the network would raise Unavailable, not ValueError.
    with Client("127.0.0.1:1", timeout=0.5, retries=0) as client, pytest.raises(ValueError):
        client.sample("digits", latents=np.zeros((2, 3, 4)))


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (None, []),
        (3, [3]),
        (np.int64(2), [2]),
        ([0, 1, 2], [0, 1, 2]),
        ((4, 5), [4, 5]),
        (np.array([7, 8], dtype=np.int32), [7, 8]),
    ],
)
def test_sample_labels_forms(labels: Any, expected: list[int]) -> None:
    assert list(_sample(labels=labels).labels) == expected


def test_sample_refuses_non_integer_labels() -> None:
    with pytest.raises(TypeError):
        _sample(labels=[1.5])


def test_truncation_is_sent_only_when_it_truncates() -> None:
    assert not _sample(truncation=1.0).HasField("truncation")
    request = _sample(truncation=0.7)
    assert request.HasField("truncation")
    assert request.truncation == pytest.approx(0.7)


def test_encoding_and_version() -> None:
    request = _sample(encoding="png", version=3)
    assert request.encoding == pb.IMAGE_ENCODING_PNG
    assert request.version == 3
    assert _sample().version == 0
    with pytest.raises(ValueError, match="encoding must be one of raw, png"):
        _sample(encoding="jpeg")


# --- Interpolate ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "value"),
    [("lerp", pb.INTERPOLATION_METHOD_LERP), ("slerp", pb.INTERPOLATION_METHOD_SLERP)],
)
def test_interpolate_method_maps_to_the_enum(method: str, value: int) -> None:
    assert _interpolate(method=method).method == value


def test_interpolate_refuses_an_unknown_method() -> None:
    with pytest.raises(ValueError, match="method"):
        _interpolate(method="cubic")


def test_interpolate_by_seeds_and_labels() -> None:
    request = _interpolate((5, 1, None), (0, None, None), steps=10, truncation=0.5)
    assert request.start.WhichOneof("point") == "seed"
    assert (request.start.seed, request.end.seed, request.steps) == (5, 0, 10)
    assert request.end.WhichOneof("point") == "seed"  # seed 0 is still sent
    assert request.start.HasField("label") and request.start.label == 1
    assert not request.end.HasField("label")
    assert request.HasField("truncation")


def test_interpolate_by_latents() -> None:
    request = _interpolate((0, None, [1.0, 2.0]), (1, None, [[3.0, 4.0]]))
    assert request.start.WhichOneof("point") == "latent"
    assert list(request.start.latent.values) == [1.0, 2.0]
    assert list(request.end.latent.values) == [3.0, 4.0]
    assert not request.HasField("truncation")


def test_interpolate_refuses_more_than_one_latent_per_end() -> None:
    with pytest.raises(ValueError, match="latent_b must be one latent vector"):
        _interpolate(end=(1, None, np.zeros((2, 4))))


# --- Edit and directions -------------------------------------------------------------------

EDIT_DEFAULTS: dict[str, Any] = {
    "model": "digits",
    "direction": "sefa:0",
    "strengths": _convert.DEFAULT_STRENGTHS,
    "seed": 0,
    "n": 1,
    "labels": None,
    "truncation": 1.0,
    "latents": None,
    "arithmetic": None,
    "version": None,
    "encoding": "raw",
}


def _edit_rpc(**overrides: Any) -> Rpc[pb.EditRequest, pb.EditResponse, ImageArray]:
    return _convert.edit(**{**EDIT_DEFAULTS, **overrides})


def _edit(**overrides: Any) -> pb.EditRequest:
    return _edit_rpc(**overrides).request


def test_edit_by_id_sends_the_id_seed_and_strengths() -> None:
    request = _edit(n=2, seed=0, labels=3, truncation=0.5, version=2)
    assert request.WhichOneof("direction") == "direction_id"
    assert request.direction_id == "sefa:0"
    assert request.WhichOneof("source") == "seed"  # seed 0 is still sent
    assert (request.n, request.version, list(request.labels)) == (2, 2, [3])
    assert list(request.strengths) == [-3.0, -1.5, 0.0, 1.5, 3.0]
    assert request.HasField("truncation")


def test_edit_by_mix_and_by_vector() -> None:
    request = _edit(direction={"sefa:0": 1, "pca:2": np.float32(-0.5)})
    assert request.WhichOneof("direction") == "mix"
    assert dict(request.mix.weights) == {"sefa:0": 1.0, "pca:2": -0.5}
    request = _edit(direction=np.array([0.25, -1.0, 2.0]))
    assert request.WhichOneof("direction") == "vector"
    assert (request.vector.dim, list(request.vector.values)) == (3, [0.25, -1.0, 2.0])
    assert list(_edit(direction=[1, 2]).vector.values) == [1.0, 2.0]  # any array-like, as given


def test_edit_rows_by_latents_and_by_arithmetic() -> None:
    request = _edit(latents=np.zeros((3, 4)), strengths=[1.0])
    assert request.WhichOneof("source") == "latents"
    assert (request.n, request.latents.dim, list(request.strengths)) == (3, 4, [1.0])
    request = _edit(arithmetic=(4, 5, 6))
    assert request.WhichOneof("source") == "arithmetic"
    arithmetic = request.arithmetic
    assert (arithmetic.seed_a, arithmetic.seed_b, arithmetic.seed_c, request.n) == (4, 5, 6, 1)
    assert list(_edit(strengths=2).strengths) == [2.0]  # one strength, one column
    assert list(_edit(strengths=[]).strengths) == []  # the server's defaults


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"direction": ""}, ValueError),
        ({"direction": {}}, ValueError),
        ({"direction": {"sefa:0": "1"}}, TypeError),
        ({"direction": {"sefa:0": True}}, TypeError),
        ({"direction": {3: 1.0}}, TypeError),
        ({"direction": {"sefa:0": float("inf")}}, ValueError),
        ({"direction": np.zeros((2, 3))}, ValueError),  # not 1-D
        ({"direction": 1.5}, ValueError),  # a number is not a vector
        ({"direction": [1.0, float("nan")]}, ValueError),
        ({"direction": ["sefa:0", "pca:1"]}, ValueError),  # ids go in a mapping
        ({"direction": None}, ValueError),
        ({"strengths": [0.0, float("nan")]}, ValueError),
        ({"strengths": ["1"]}, TypeError),
        ({"arithmetic": (1, 2)}, ValueError),
        ({"arithmetic": (1, 2, 3), "latents": np.zeros((1, 4))}, ValueError),
        ({"arithmetic": (1, 2, 3), "n": 2}, ValueError),
        ({"arithmetic": (1.5, 2, 3)}, TypeError),
        ({"latents": np.zeros((2, 4)), "n": 3}, ValueError),
        ({"encoding": "jpeg"}, ValueError),
    ],
)
def test_edit_refuses_bad_input(overrides: dict[str, Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        _edit(**overrides)


def test_bad_edit_input_fails_before_any_call() -> None:
    with Client("127.0.0.1:1", timeout=0.5, retries=0) as client, pytest.raises(ValueError):
        client.edit("digits", np.zeros((2, 3)))


def test_edit_answer_decodes_to_a_rows_by_strengths_grid() -> None:
    images = np.arange(2 * 3 * 4 * 5 * 1, dtype=np.uint8).reshape(6, 4, 5, 1)
    response = pb.EditResponse(
        images=pb.ImageBatch(shape=[6, 4, 5, 1], data=images.tobytes()),
        rows=2,
        strengths=[-1.0, 0.0, 1.0],
        model="digits@1",
    )
    grid = _edit_rpc().decode(response)
    assert grid.shape == (2, 3, 4, 5, 1)
    np.testing.assert_array_equal(grid[1, 0], images[3])  # row-major: row 1, first strength
    response.rows = 3
    with pytest.raises(ValueError, match="edit answer"):
        _edit_rpc().decode(response)


def _direction_set(key: str = "sefa", count: int = 2) -> pb.DirectionSet:
    message = pb.DirectionSet(
        key=key,
        method="sefa",
        parameters={"k": "2", "seed": "0", "orthogonal_to": '["attribute:class:3"]', "x": "{"},
        value_name="share of the eigenvalues",
        compute_seconds=0.5,
        score_seconds=2.5,
    )
    message.create_time.FromDatetime(datetime(2026, 12, 1, 10, tzinfo=UTC))
    for i in range(count):
        direction = message.directions.add(id=f"{key}:{i}", vector=[1.0, 0.0], value=0.5 - i / 10)
        if i == 0:  # the second has no score, and the first no class_kept
            direction.score.CopyFrom(
                pb.DirectionScore(
                    changes=[pb.AttributeChange(attribute="thickness", slope=0.25, r2=0.5)],
                    top_attribute="thickness",
                    entanglement=0.125,
                    samples=128,
                )
            )
    return message


def test_compute_directions_request_and_answer() -> None:
    rpc = _convert.compute_directions(
        "digits", "attribute", 10, "thickness", "attribute:class:3", 500, 2, 3
    )
    request = rpc.request
    assert (request.model, request.version, request.method) == (
        "digits",
        3,
        pb.DIRECTION_METHOD_ATTRIBUTE,
    )
    assert (request.k, request.samples, request.seed, request.attribute) == (
        10,
        500,
        2,
        "thickness",
    )
    assert list(request.orthogonal_to) == ["attribute:class:3"]  # one id alone is one id
    default = _convert.compute_directions("digits", "sefa", 10, None, (), None, 0, None).request
    assert (default.samples, default.attribute, default.method) == (0, "", pb.DIRECTION_METHOD_SEFA)
    info = rpc.decode(
        pb.ComputeDirectionsResponse(model="digits@3", set=_direction_set(), created=True)
    )
    assert (info.key, info.method, info.created_now) == ("sefa", "sefa", True)
    assert info.parameters == {"k": 2, "seed": 0, "orthogonal_to": ["attribute:class:3"], "x": "{"}
    assert info.created == datetime(2026, 12, 1, 10, tzinfo=UTC)
    assert (info.compute_seconds, info.score_seconds) == (0.5, 2.5)
    first, second = info.directions
    assert (first.id, first.set_key, first.method, first.value) == ("sefa:0", "sefa", "sefa", 0.5)
    assert first.vector.dtype == np.float32 and first.vector.tolist() == [1.0, 0.0]
    assert first.score is not None and first.score.class_kept is None
    assert first.score.changes[0].attribute == "thickness" and first.score.samples == 128
    assert second.score is None


@pytest.mark.parametrize(
    "args",
    [
        ("digits", "umap", 10, None, (), None, 0, None),
        ("digits", "sefa", -1, None, (), None, 0, None),
        ("digits", "pca", 10, None, (), 0, 0, None),
        ("digits", "sefa", 10, None, (), None, -2, None),
        ("digits", "sefa", 10, None, [""], None, 0, None),
        ("digits", "sefa", 10, 3, (), None, 0, None),
    ],
)
def test_compute_directions_refuses_bad_input(args: tuple[Any, ...]) -> None:
    with pytest.raises((ValueError, TypeError)):
        _convert.compute_directions(*args)


def test_list_directions_flattens_every_set() -> None:
    rpc = _convert.list_directions("digits", 2)
    assert (rpc.request.model, rpc.request.version) == ("digits", 2)
    response = pb.ListDirectionsResponse(
        model="digits@2", sets=[_direction_set("pca", 1), _direction_set("sefa", 2)]
    )
    assert [(d.id, d.set_key) for d in rpc.decode(response)] == [
        ("pca:0", "pca"),
        ("sefa:0", "sefa"),
        ("sefa:1", "sefa"),
    ]
    assert rpc.decode(pb.ListDirectionsResponse()) == []


# --- Train ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("loss", "value"),
    [("ns", pb.LOSS_NS), ("hinge", pb.LOSS_HINGE), ("wgan-gp", pb.LOSS_WGAN_GP)],
)
def test_train_loss_maps_to_the_enum(loss: str, value: int) -> None:
    assert _train(loss=loss).loss == value


def test_train_refuses_an_unknown_loss() -> None:
    with pytest.raises(ValueError, match="loss must be one of ns, hinge, wgan-gp"):
        _train(loss="wgan")


def test_train_stringifies_options() -> None:
    options = {"spectral_norm": True, "ema": False, "batch_size": 128, "lr": 2e-4, "skip": None}
    request = _train(options=options)
    assert dict(request.options) == {
        "spectral_norm": "true",
        "ema": "false",
        "batch_size": "128",
        "lr": "0.0002",
    }


def test_train_options_must_be_flag_values() -> None:
    assert dict(_train(options={"ema_decay": 0.0, "seed": np.int64(3)}).options) == {
        "ema_decay": "0.0",
        "seed": "3",
    }
    with pytest.raises(TypeError, match="batch_size must be a bool, int, float or str"):
        _train(options={"batch_size": [128]})


def test_train_request_id_is_a_fresh_uuid_unless_given() -> None:
    first, second = _train().request_id, _train().request_id
    assert len(first) == 32 and int(first, 16) >= 0
    assert first != second
    assert _train(request_id="mine").request_id == "mine"


def test_train_length_is_sent_only_when_given() -> None:
    request = _train()
    assert not request.HasField("epochs") and not request.HasField("steps")
    request = _train(epochs=0, steps=500, conditional=True, latent_dim=64)
    assert request.HasField("epochs") and request.epochs == 0
    assert request.steps == 500 and request.conditional and request.latent_dim == 64


def test_every_call_names_a_method_of_the_service() -> None:
    methods = pb.DESCRIPTOR.services_by_name["LatentGan"].methods_by_name
    rpcs: list[Rpc[Any, Any, Any]] = [
        _convert.sample(**SAMPLE_DEFAULTS),
        _convert.interpolate("m", (0, None, None), (1, None, None), 8, "lerp", 1.0, None, "raw"),
        _convert.train("d", "m", False, None, None, 100, "ns", None, {}),
        _convert.list_models(None),
        _convert.get_model("m", None),
        _convert.get_job("j"),
        _convert.list_jobs(None, 20),
        _convert.cancel_job("j"),
        _convert.watch_job("j"),
        _convert.list_directions("m", None),
        _convert.compute_directions("m", "sefa", 10, None, (), None, 0, None),
        _edit_rpc(),
    ]
    for rpc in rpcs:
        assert methods[rpc.method].input_type is rpc.request.DESCRIPTOR


# --- images ---------------------------------------------------------------------------------


def _images(channels: int) -> ImageArray:
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, size=(3, 5, 4, channels), dtype=np.uint8)


def _png(image: ImageArray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image[..., 0] if image.shape[2] == 1 else image).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("channels", [1, 3])
def test_raw_and_png_decode_to_the_same_array(channels: int) -> None:
    images = _images(channels)
    shape = list(images.shape)
    raw = pb.ImageBatch(shape=shape, encoding=pb.IMAGE_ENCODING_RAW, data=images.tobytes())
    png = pb.ImageBatch(shape=shape, encoding=pb.IMAGE_ENCODING_PNG, png=map(_png, images))
    for batch in (raw, png):
        decoded = _convert.decode_images(batch)
        assert decoded.dtype == np.uint8
        np.testing.assert_array_equal(decoded, images)
        decoded[0, 0, 0, 0] = 1  # writable, not a view of the message's bytes


def test_unspecified_encoding_reads_as_raw() -> None:
    images = _images(1)
    batch = pb.ImageBatch(shape=list(images.shape), data=images.tobytes())
    np.testing.assert_array_equal(_convert.decode_images(batch), images)


@pytest.mark.parametrize(
    "batch",
    [
        pb.ImageBatch(shape=[2, 2, 2], data=bytes(8)),  # not 4-D
        pb.ImageBatch(shape=[2, 2, 2, 1], data=bytes(7)),  # too few bytes
        pb.ImageBatch(shape=[2, 2, 2, 1], encoding=pb.IMAGE_ENCODING_PNG, png=[b""]),  # 1 of 2
    ],
)
def test_malformed_image_batches_raise(batch: pb.ImageBatch) -> None:
    with pytest.raises(ValueError, match="image batch"):
        _convert.decode_images(batch)


# --- models and jobs ------------------------------------------------------------------------


def test_model_info_from_a_get_model_response() -> None:
    version = pb.ModelVersion(
        name="digits",
        version=2,
        dataset="mnist5k",
        image_shape=[28, 28, 1],
        latent_dim=100,
        class_names=["0", "1"],
        loss="hinge",
        metrics={"fd": 12.5},
        manifest_json=json.dumps({"config": {"latent_dim": 100}}),
    )
    version.create_time.FromDatetime(datetime(2026, 11, 26, 12, tzinfo=UTC))
    info = _convert.get_model("digits", None).decode(
        pb.GetModelResponse(model=version, versions=[1, 2])
    )
    assert info.ref == "digits@2"
    assert info.created == datetime(2026, 11, 26, 12, tzinfo=UTC)
    assert (info.image_shape, info.class_names, info.versions) == ((28, 28, 1), ("0", "1"), (1, 2))
    assert info.metrics == {"fd": 12.5}
    assert info.manifest == {"config": {"latent_dim": 100}}


def test_list_models_has_no_versions_and_survives_a_bad_manifest() -> None:
    response = pb.ListModelsResponse(models=[pb.ModelVersion(name="a", manifest_json="{oops")])
    [info] = _convert.list_models(None).decode(response)
    assert (info.versions, info.manifest) == ((), {})


@pytest.mark.parametrize(
    ("state", "word", "done"),
    [
        (pb.JOB_STATE_QUEUED, "queued", False),
        (pb.JOB_STATE_RUNNING, "running", False),
        (pb.JOB_STATE_SUCCEEDED, "succeeded", True),
        (pb.JOB_STATE_FAILED, "failed", True),
        (pb.JOB_STATE_CANCELLED, "cancelled", True),
        (pb.JOB_STATE_UNSPECIFIED, "unspecified", False),
    ],
)
def test_job_state_mapping(state: pb.JobState.ValueType, word: str, done: bool) -> None:
    info = _convert.job_info(pb.TrainJob(id="j", state=state))
    assert (info.state, info.done) == (word, done)  # a JobState is its word
    assert info.state is JobState(word)
    assert (f"{info.state}", json.dumps(info.state)) == (word, f'"{word}"')


def test_job_state_names_every_state_of_the_proto_and_of_the_typescript_client() -> None:
    assert {f"JOB_STATE_{state.name}" for state in JobState} == set(pb.JobState.keys())
    source = (ROOT / "clients/node/src/client.ts").read_text()
    declared = re.search(r"^export type JobState = (.+);$", source, re.MULTILINE)
    assert declared is not None, "clients/node/src/client.ts declares no JobState"
    assert re.findall(r"'(\w+)'", declared.group(1)) == [state.value for state in JobState]


def test_job_times_are_none_until_set() -> None:
    job = pb.TrainJob(id="j", state=pb.JOB_STATE_RUNNING, step=5, total_steps=10)
    job.create_time.FromDatetime(datetime(2026, 1, 1, tzinfo=UTC))
    job.start_time.FromDatetime(datetime(2026, 1, 1, 0, 1, tzinfo=UTC))
    info = _convert.job_info(job)
    assert info.created == datetime(2026, 1, 1, tzinfo=UTC)
    assert info.started is not None and info.finished is None
    assert (info.step, info.total_steps) == (5, 10)


def test_progress_event_decodes_its_sample_grid_as_one_image() -> None:
    grid = np.full((1, 6, 6, 1), 9, dtype=np.uint8)
    message = pb.WatchTrainJobResponse(
        job=pb.TrainJob(id="j", state=pb.JOB_STATE_RUNNING, step=40, total_steps=100),
        step=40,
        losses={"d": 0.5, "g": 1.5},
        images_per_second=512.0,
        sample_grid=pb.ImageBatch(shape=[1, 6, 6, 1], data=grid.tobytes()),
    )
    event = _convert.progress_event(message)
    assert (event.state, event.step, event.total_steps) == ("running", 40, 100)
    assert event.losses == {"d": 0.5, "g": 1.5}
    assert event.sample_grid is not None and event.sample_grid.shape == (6, 6, 1)
    assert _convert.progress_event(pb.WatchTrainJobResponse()).sample_grid is None


def test_list_jobs_request_name_and_limit() -> None:
    request = _convert.list_jobs(None, 20).request
    assert (request.name, request.limit) == ("", 20)
    assert _convert.list_jobs("digits", 0).request.limit == 0  # the server's default
    assert _convert.list_jobs("digits", 1000).request.limit == _convert.MAX_JOB_LIMIT
    with pytest.raises(ValueError, match="limit must be >= 0"):
        _convert.list_jobs(None, -1)


def test_list_jobs_decodes_every_job_in_order() -> None:
    response = pb.ListTrainJobsResponse(
        jobs=[
            pb.TrainJob(id="new", state=pb.JOB_STATE_RUNNING, step=3, total_steps=9),
            pb.TrainJob(id="old", state=pb.JOB_STATE_SUCCEEDED, model="digits@1"),
        ]
    )
    infos = _convert.list_jobs(None, 20).decode(response)
    assert [(i.id, i.state, i.step, i.model) for i in infos] == [
        ("new", "running", 3, ""),
        ("old", "succeeded", 0, "digits@1"),
    ]
    assert _convert.list_jobs(None, 20).decode(pb.ListTrainJobsResponse()) == []
