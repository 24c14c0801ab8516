"""Project and Complete on the real stack: gRPC over loopback, real Redis, a real worker process.

Recovery of a generated image, a real image's latent through Sample and Edit, batch invariance,
conditional labels, known pixels kept by Complete, the bad-input table, deadlines refused before
any work, and the `remote` CLI against the local one.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import numpy as np
import pytest
import redis

from latentgan.images import encode_png, save_png
from latentgan_client import Client, InvalidArgument
from latentgan_client.v1 import latentgan_pb2 as pb
from latentgan_client.v1 import latentgan_pb2_grpc
from services.queue import STREAM, read_stats
from tests.integration.conftest import copy_version, run_cli
from tests.integration.stack import violations

RECOVERY_PIXEL_DISTANCE = 0.01  # optimize, 200 steps, on a generated image of a tiny model


@pytest.fixture(scope="module")
def client(api: Any) -> Iterator[Any]:
    with Client(api.address, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def stub(api: Any) -> Iterator[Any]:
    channel = grpc.insecure_channel(api.address)
    yield latentgan_pb2_grpc.LatentGanStub(channel)
    channel.close()


@pytest.fixture(scope="module")
def no_encoder(store_dir: Path, unconditional_model: str) -> Iterator[str]:
    """tiny@1 copied as ``tiny-plain`` without its encoder: a version trained before encoders."""
    copy = copy_version(store_dir, "tiny", "tiny-plain", leave_out="encoder.*")
    yield "tiny-plain"
    shutil.rmtree(copy.parent)


def test_generated_images_are_recovered(client: Any, unconditional_model: str):
    target = client.sample("tiny", n=2, seed=41)
    found = client.project("tiny", list(target), method="optimize", steps=200)
    assert found.method == "optimize" and found.latents.shape == (2, 16)
    assert found.labels is None and found.images.shape == target.shape
    assert (found.distances.pixel < RECOVERY_PIXEL_DISTANCE).all(), found.distances.pixel
    assert (found.steps <= 200).all() and (found.steps > 0).all()
    guess = client.project("tiny", list(target), method="encoder")
    assert guess.method == "encoder" and (guess.steps == 0).all()
    assert found.distances.pixel.mean() < guess.distances.pixel.mean()


def test_a_real_images_latent_goes_on_to_sample_and_edit(client: Any, tmp_path: Path):
    digit = tmp_path / "digit.png"
    save_png(client.sample("tiny-cond", n=1, seed=5, labels=3)[0], digit)
    found = client.project("tiny-cond", digit)  # auto: the encoder's guess, refined
    assert found.method == "auto" and found.latents.shape == (1, 16)
    assert found.labels is not None and len(found.labels) == 1  # the evaluator's prediction
    again = client.sample("tiny-cond", latents=found.latents, labels=found.labels)
    np.testing.assert_array_equal(again, found.images)  # the reconstruction is G(latent)
    grid = client.edit(
        "tiny-cond", "sefa:0", [0.0, 2.0], latents=found.latents, labels=found.labels
    )
    np.testing.assert_array_equal(grid.reshape(-1, *again.shape[1:])[0], again[0])


def test_labels_are_given_or_predicted_per_image(client: Any):
    images = client.sample("tiny-cond", n=3, seed=9, labels=[1, 4, 7])
    given = client.project("tiny-cond", images, labels=[1, 4, 7], steps=0)
    assert given.labels is not None and given.labels.tolist() == [1, 4, 7]
    one = client.project("tiny-cond", images, labels=2, steps=0)
    assert one.labels is not None and one.labels.tolist() == [2, 2, 2]
    with pytest.raises(InvalidArgument) as bad:
        client.project("tiny-cond", images, labels=[10])
    assert bad.value.field == "labels"
    with pytest.raises(InvalidArgument) as bad:
        client.project("tiny", images[:1], labels=[1])
    assert bad.value.field == "labels"


def test_an_images_projection_does_not_depend_on_its_batch(client: Any):
    images = client.sample("tiny", n=3, seed=77)
    together = client.project("tiny", images, method="optimize", steps=30)
    for i in range(3):
        alone = client.project("tiny", images[i : i + 1], method="optimize", steps=30)
        np.testing.assert_allclose(alone.latents[0], together.latents[i], rtol=0, atol=1e-5)
        assert alone.steps[0] == together.steps[i]


def test_complete_keeps_the_known_pixels(client: Any):
    image = client.sample("tiny-cond", n=1, seed=12, labels=6)[0]
    done = client.complete("tiny-cond", image, "left", k=3, steps=20)
    assert done.images.shape == (3, *image.shape) and len(done.losses) == 3
    assert (np.diff(done.losses) >= 0).all() and done.latents.shape == (3, 16)
    known = done.mask
    assert known.shape == image.shape[:2] and known[:, -1].all() and not known[:, 0].any()
    for completion in done.images:
        np.testing.assert_array_equal(completion[known], image[known])
    assert done.label is not None and 0 <= done.label < 10
    labelled = client.complete("tiny-cond", image, known, k=1, steps=5, label=6)
    assert labelled.label == 6


IB, Pr, Co = pb.ImageBatch, pb.ProjectRequest, pb.CompleteRequest
INVALID = grpc.StatusCode.INVALID_ARGUMENT


def _raw(images: np.ndarray) -> pb.ImageBatch:
    return IB(shape=list(images.shape), encoding=pb.IMAGE_ENCODING_RAW, data=images.tobytes())


def _mask(value: int) -> pb.ImageBatch:
    return IB(shape=[1], encoding=pb.IMAGE_ENCODING_PNG,
              png=[encode_png(np.full((32, 32, 1), value, np.uint8))])  # fmt: skip


DIGIT = np.zeros((1, 32, 32, 1), np.uint8)
BAD_INPUTS = [
    ("Project", Pr(model="tiny", images=_raw(np.zeros((1, 32, 32, 2), np.uint8))), "images.shape"),
    ("Project", Pr(model="tiny", images=IB(shape=[1, 32, 32, 1], data=b"x")), "images.data"),
    ("Project", Pr(model="tiny", images=IB(encoding=pb.IMAGE_ENCODING_PNG, png=[b"no"])),
     "images.png[0]"),
    ("Project", Pr(model="tiny", images=_raw(DIGIT), steps=100_000), "steps"),
    ("Project", Pr(model="tiny", images=_raw(DIGIT), labels=[0]), "labels"),
    ("Project", Pr(model="tiny-plain", images=_raw(DIGIT), method=pb.PROJECTION_METHOD_ENCODER),
     "method"),
    ("Complete", Co(model="tiny", image=_raw(DIGIT)), "mask_preset"),
    ("Complete", Co(model="tiny", image=_raw(DIGIT), mask_preset="middle"), "mask_preset"),
    ("Complete", Co(model="tiny", image=_raw(DIGIT), mask_image=_mask(0)), "mask_image"),
    ("Complete", Co(model="tiny", image=_raw(DIGIT), mask_image=_mask(255)), "mask_image"),
    ("Complete", Co(model="tiny", image=_raw(DIGIT), mask_preset="left", k=1000), "k"),
    ("Complete", Co(model="tiny", image=_raw(np.zeros((2, 8, 8, 1), np.uint8)),
                    mask_preset="left"), "image.shape"),
    ("Complete", Co(model="tiny-cond", image=_raw(DIGIT), mask_preset="left", label=10), "label"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "request_", "field"), BAD_INPUTS)
def test_bad_input_is_invalid_argument_naming_the_field(
    stub: Any, no_encoder: str, conditional_model: str, method: str, request_: Any, field: str
):
    with pytest.raises(grpc.RpcError) as caught:
        getattr(stub, method)(request_, timeout=60)
    assert caught.value.code() == INVALID, caught.value.details()
    assert violations(caught.value) == [field], caught.value.details()


def test_a_version_without_an_encoder_projects_by_the_optimiser(client: Any, no_encoder: str):
    image = client.sample("tiny", n=1, seed=3)
    found = client.project(no_encoder, image, steps=5)
    assert found.method == "optimize"


def test_a_deadline_too_short_for_the_steps_is_refused_before_any_work(stub: Any, redis_url: str):
    r = redis.Redis.from_url(redis_url)
    before, length = read_stats(r), r.xlen(STREAM)
    request = Pr(model="tiny", images=_raw(DIGIT), method=pb.PROJECTION_METHOD_OPTIMIZE, steps=1000)
    started = time.monotonic()
    with pytest.raises(grpc.RpcError) as caught:
        stub.Project(request, timeout=0.3)
    assert caught.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    assert "1000 optimiser steps" in (caught.value.details() or "")
    assert time.monotonic() - started < 0.3
    with pytest.raises(grpc.RpcError) as complete:
        stub.Complete(Co(model="tiny", image=_raw(DIGIT), mask_preset="top"), timeout=0.05)
    assert complete.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    assert read_stats(r) == before and r.xlen(STREAM) == length  # nothing queued, nothing served


def test_remote_project_and_complete_match_the_local_commands(
    api: Any, client: Any, store_dir: Path, tmp_path: Path
):
    digit = tmp_path / "digit.png"
    save_png(client.sample("tiny-cond", n=1, seed=21, labels=8)[0], digit)
    where = ["--address", api.address]
    project = ["--model", "tiny-cond", "--image", str(digit), "--steps", "10", "--label", "8"]
    run_cli(["project", *project, "--out", str(tmp_path / "local.npy")], store_dir)
    done = run_cli(
        ["remote", "project", *where, *project, "--out", str(tmp_path / "remote.npy"),
         "--reconstruction", str(tmp_path / "recon.png"), "--then-edit", "sefa:0",
         "--edit-out", str(tmp_path / "edit.png")],
        tmp_path,
    )  # fmt: skip
    assert "projected 1 image(s)" in done.stdout and (tmp_path / "edit.png").stat().st_size > 0
    np.testing.assert_allclose(
        np.load(tmp_path / "remote.npy"), np.load(tmp_path / "local.npy"), rtol=0, atol=1e-5
    )
    complete = ["--model", "tiny-cond", "--image", str(digit), "--mask", "center", "--k", "2"]
    complete += ["--steps", "10", "--label", "8"]
    run_cli(["complete", *complete, "--out", str(tmp_path / "local-fill.npy")], store_dir)
    run_cli(
        ["remote", "complete", *where, *complete, "--out", str(tmp_path / "remote-fill.npy")],
        tmp_path,
    )
    local, remote = np.load(tmp_path / "local-fill.npy"), np.load(tmp_path / "remote-fill.npy")
    assert remote.shape == local.shape and len(local) == 2
    assert np.abs(remote.astype(int) - local.astype(int)).max() <= 1
    bad = run_cli(
        ["remote", "complete", *where, *complete[:4], "--mask", "middle",
         "--out", str(tmp_path / "x.png")],
        tmp_path,
        check=False,
    )  # fmt: skip
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1
    assert "mask" in bad.stderr and "center" in bad.stderr and "Traceback" not in bad.stderr
