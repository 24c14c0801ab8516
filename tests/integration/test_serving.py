"""The serving stack end to end: real gRPC on loopback, real Redis, real worker processes.

Round trips of every generation, model and direction RPC through the Python SDK, the bad-input
table, health and reflection, metrics, batch invariance under concurrent load, directions served
after a restart by another worker, and the `remote` CLI.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import grpc
import numpy as np
import psutil
import pytest
import redis
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)

from latentgan_client import (
    AsyncClient,
    Client,
    DirectionSetInfo,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
)
from latentgan_client.v1 import latentgan_pb2 as pb
from latentgan_client.v1 import latentgan_pb2_grpc
from services.embedded_redis import EmbeddedRedis
from services.queue import read_stats
from tests.integration.conftest import copy_version, run_cli
from tests.integration.stack import consumers, health_status, start_api, start_worker, violations


@pytest.fixture(scope="module")
def client(api: Any) -> Any:
    with Client(api.address, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def stub(api: Any) -> Any:
    channel = grpc.insecure_channel(api.address)
    yield latentgan_pb2_grpc.LatentGanStub(channel)
    channel.close()


def test_list_and_get_models(client: Any, unconditional_model: str, conditional_model: str):
    models = {m.ref: m for m in client.list_models()}
    assert {"tiny@1", "tiny-cond@1"} <= set(models)
    cond = client.get_model("tiny-cond")
    assert cond.version == 1 and cond.versions == (1,)
    assert cond.latent_dim == 16 and cond.image_shape == (28, 28, 1)
    assert len(cond.class_names) == 10
    assert cond.manifest["name"] == "tiny-cond"
    assert client.get_model("tiny", version=1).image_shape == (32, 32, 1)
    assert [m.ref for m in client.list_models(name="tiny")] == ["tiny@1"]


def test_sample_matches_the_local_cli(client: Any, store_dir: Path, tmp_path: Path):
    images = client.sample("tiny-cond", n=12, seed=5, labels=[3])
    assert images.shape == (12, 28, 28, 1) and images.dtype == np.uint8
    run_cli(
        ["sample", "--model", "tiny-cond", "--n", "12", "--seed", "5", "--labels", "3",
         "--out", str(tmp_path / "local.npy")],
        store_dir,
    )  # fmt: skip
    np.testing.assert_array_equal(images, np.load(tmp_path / "local.npy"))
    assert not np.array_equal(images, client.sample("tiny-cond", n=12, seed=6, labels=[3]))


def test_interpolate_matches_the_local_cli(client: Any, store_dir: Path, tmp_path: Path):
    frames = client.interpolate(
        "tiny-cond", seed_a=1, seed_b=2, steps=6, method="lerp", label_a=3, label_b=8
    )
    assert frames.shape == (6, 28, 28, 1)
    run_cli(
        ["interpolate", "--model", "tiny-cond", "--seed-a", "1", "--seed-b", "2", "--steps", "6",
         "--method", "lerp", "--label-a", "3", "--label-b", "8", "--out", str(tmp_path / "w.npy")],
        store_dir,
    )  # fmt: skip
    np.testing.assert_array_equal(frames, np.load(tmp_path / "w.npy"))


def test_explicit_latents_truncation_and_png(client: Any):
    seeded = client.sample("tiny", n=3, seed=9, truncation=0.5)
    from latentgan.latent import seeded_latents

    z = seeded_latents(9, 3, 16).numpy()
    np.testing.assert_array_equal(client.sample("tiny", latents=z * 0.5), seeded)
    np.testing.assert_array_equal(
        client.sample("tiny", n=3, seed=9, truncation=0.5, encoding="png"), seeded
    )
    # A walk between explicit latents starts and ends at those latents' images.
    walk = client.interpolate("tiny", latent_a=z[0], latent_b=z[1], steps=4, truncation=0.5)
    np.testing.assert_array_equal(walk[[0, -1]], seeded[:2])


def test_sample_reports_labels(stub: Any):
    reply = stub.Sample(pb.SampleRequest(model="tiny-cond", n=12, seed=1), timeout=30)
    assert list(reply.labels) == [i % 10 for i in range(12)]
    assert reply.model == "tiny-cond@1"
    assert list(reply.images.shape) == [12, 28, 28, 1]
    assert len(reply.images.data) == 12 * 28 * 28


def test_async_client_gives_the_same_images(api: Any, client: Any):
    async def run() -> Any:
        async with AsyncClient(api.address) as c:
            return await asyncio.gather(*(c.sample("tiny", n=2, seed=s) for s in range(4)))

    for seed, images in enumerate(asyncio.run(run())):
        np.testing.assert_array_equal(images, client.sample("tiny", n=2, seed=seed))


NAN = float("nan")
S, Ip, E, L = pb.SampleRequest, pb.InterpolateRequest, pb.InterpolationEndpoint, pb.LatentBatch
Ed, Mix, CD = pb.EditRequest, pb.DirectionMix, pb.ComputeDirectionsRequest
INVALID, NOT_FOUND = grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND
BAD_INPUTS = [
    ("Sample", S(n=1), INVALID, "model"),
    ("Sample", S(model="../../etc", n=1), INVALID, "model"),
    ("Sample", S(model="nope", n=1), NOT_FOUND, "model"),
    ("Sample", S(model="tiny", version=7, n=1), NOT_FOUND, "version"),
    ("Sample", S(model="tiny@1", version=2, n=1), INVALID, "version"),
    ("Sample", S(model="tiny", n=0), INVALID, "n"),
    ("Sample", S(model="tiny", n=100_000), INVALID, "n"),
    ("Sample", S(model="tiny", latents=L(dim=0, values=[1.0])), INVALID, "latents.dim"),
    ("Sample", S(model="tiny", latents=L(dim=16, values=[0.0] * 17)), INVALID, "latents.values"),
    ("Sample", S(model="tiny", latents=L(dim=16, values=[NAN] * 16)), INVALID, "latents.values"),
    ("Sample", S(model="tiny", latents=L(dim=4, values=[0.0] * 8)), INVALID, "latents.dim"),
    ("Sample", S(model="tiny", n=3, latents=L(dim=16, values=[0.0] * 32)), INVALID, "n"),
    ("Sample", S(model="tiny", n=2, labels=[1]), INVALID, "labels"),
    ("Sample", S(model="tiny-cond", n=2, labels=[10]), INVALID, "labels"),
    ("Sample", S(model="tiny-cond", n=2, labels=[-1]), INVALID, "labels"),
    ("Sample", S(model="tiny-cond", n=4, labels=[1, 2, 3]), INVALID, "labels"),
    ("Sample", S(model="tiny", n=1, truncation=1.5), INVALID, "truncation"),
    ("Sample", S(model="tiny", n=1, truncation=NAN), INVALID, "truncation"),
    ("Sample", S(model="tiny", n=1, encoding=7), INVALID, "encoding"),  # type: ignore[arg-type]
    ("Interpolate", Ip(model="tiny", steps=1), INVALID, "steps"),
    ("Interpolate", Ip(model="tiny", steps=100_000), INVALID, "steps"),
    ("Interpolate", Ip(model="tiny", steps=4, method=9), INVALID, "method"),  # type: ignore[arg-type]
    ("Interpolate", Ip(model="tiny", steps=4, start=E(label=1)), INVALID, "start.label"),
    ("Interpolate", Ip(model="tiny-cond", steps=4, end=E(label=12)), INVALID, "end.label"),
    ("Interpolate", Ip(model="tiny", steps=4, start=E(latent=L(dim=3, values=[0.0] * 3))),
     INVALID, "start.latent.dim"),
    ("Interpolate", Ip(model="tiny", steps=4, end=E(latent=L(dim=16, values=[0.0] * 32))),
     INVALID, "end.latent"),
    ("Interpolate", Ip(model="tiny", steps=4, truncation=-0.5), INVALID, "truncation"),
    ("Interpolate", Ip(model="gone", steps=4), NOT_FOUND, "model"),
    ("Edit", Ed(model="tiny", n=1, direction_id="nope:0"), NOT_FOUND, "direction_id"),
    ("Edit", Ed(model="tiny", n=1, mix=Mix(weights={"nope:0": 1.0})), NOT_FOUND, "mix.weights"),
    ("Edit", Ed(model="tiny", n=1), INVALID, "direction_id"),
    ("Edit", Ed(model="tiny", n=1, direction_id="sefa:0", strengths=[1e3]), INVALID, "strengths"),
    ("Edit", Ed(model="tiny", n=1, vector=L(dim=3, values=[0.0] * 3)), INVALID, "vector.dim"),
    ("Edit", Ed(model="nope", n=1, direction_id="sefa:0"), NOT_FOUND, "model"),
    ("ListDirections", pb.ListDirectionsRequest(model="nope"), NOT_FOUND, "model"),
    ("ComputeDirections", CD(model="tiny", method=pb.DIRECTION_METHOD_ATTRIBUTE), INVALID,
     "attribute"),
    ("ComputeDirections", CD(model="nope"), NOT_FOUND, "model"),
    ("GetModel", pb.GetModelRequest(model=""), INVALID, "model"),
    ("GetModel", pb.GetModelRequest(model="nope"), NOT_FOUND, "model"),
    ("GetModel", pb.GetModelRequest(model="tiny", version=3), NOT_FOUND, "version"),
    ("Train", pb.TrainRequest(dataset="no-such-set"), INVALID, "dataset"),
    ("GetTrainJob", pb.GetTrainJobRequest(job_id="no-such-job"), NOT_FOUND, "job_id"),
    ("CancelTrainJob", pb.CancelTrainJobRequest(job_id="no-such-job"), NOT_FOUND, "job_id"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "request_", "code", "field"), BAD_INPUTS)
def test_bad_input_is_refused_with_the_field_named(
    stub: Any, method: str, request_: Any, code: grpc.StatusCode, field: str
):
    with pytest.raises(grpc.RpcError) as caught:
        getattr(stub, method)(request_, timeout=30)
    assert caught.value.code() == code, caught.value.details()
    assert field in violations(caught.value), caught.value.details()


def test_sdk_raises_typed_errors_naming_the_field(client: Any):
    with pytest.raises(InvalidArgument) as bad:
        client.sample("tiny", n=0)
    assert bad.value.field == "n"
    with pytest.raises(NotFound) as missing:
        client.get_model("nope")
    assert missing.value.field == "model"
    with pytest.raises(FailedPrecondition, match="PREFECT_API_URL"):
        client.train("mnist5k", "x")  # `serve` alone has no Prefect to schedule training on


# --- directions and Edit ------------------------------------------------------------------


@pytest.fixture(scope="module")
def fresh_model(store_dir: Path, unconditional_model: str) -> Any:
    """tiny@1 copied as ``tiny-dirs`` without the direction sets training stored with it, so
    that a ComputeDirections here is the first for its version."""
    copy = copy_version(store_dir, "tiny", "tiny-dirs", leave_out="directions")
    yield "tiny-dirs"
    shutil.rmtree(copy.parent)


@pytest.fixture(scope="module")
def sefa(client: Any, fresh_model: str) -> tuple[DirectionSetInfo, DirectionSetInfo]:
    """The SeFa set of the fresh model: computed by a first call, found by a second."""
    return client.compute_directions(fresh_model, "sefa"), client.compute_directions(fresh_model)


def test_compute_directions_once_then_find_and_list_them(
    client: Any, fresh_model: str, sefa: tuple[DirectionSetInfo, DirectionSetInfo]
):
    first, again = sefa
    assert (first.created_now, again.created_now) == (True, False)
    assert (first.key, first.method, first.parameters) == ("sefa", "sefa", {"seed": 0, "k": 10})
    assert [d.id for d in first.directions] == [f"sefa:{i}" for i in range(10)]
    vectors = np.stack([d.vector for d in first.directions])
    assert vectors.shape == (10, 16)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    values = [d.value for d in first.directions]
    assert values == sorted(values, reverse=True)
    assert all(d.score is not None and d.score.samples > 0 for d in first.directions)
    np.testing.assert_array_equal(np.stack([d.vector for d in again.directions]), vectors)
    assert again.created == first.created
    listed = {d.id: d for d in client.directions(fresh_model)}
    assert {f"sefa:{i}" for i in range(10)} <= set(listed)
    np.testing.assert_array_equal(listed["sefa:3"].vector, vectors[3])
    assert listed["sefa:3"].set_key == "sefa"


def test_edit_by_id_mix_and_vector(client: Any, fresh_model: str, sefa: Any):
    grid = client.edit(fresh_model, "sefa:0", [-3, 0, 3], seed=5, n=2)
    assert grid.shape == (2, 3, 32, 32, 1) and grid.dtype == np.uint8
    np.testing.assert_array_equal(grid[:, 1], client.sample(fresh_model, n=2, seed=5))
    assert not np.array_equal(grid[:, 0], grid[:, 2])  # the direction changes the images
    np.testing.assert_array_equal(
        client.edit(fresh_model, {"sefa:0": 1.0}, [-3, 0, 3], seed=5, n=2), grid
    )
    mixed = client.edit(fresh_model, {"sefa:0": 0.5, "sefa:1": 0.5}, [0, 2], seed=5, n=2)
    np.testing.assert_array_equal(mixed[:, 0], grid[:, 1])
    # An explicit vector is used as given: twice the direction at 1.5 is the direction at 3.
    vector = sefa[0].directions[0].vector
    np.testing.assert_array_equal(client.edit(fresh_model, vector, [3], seed=5, n=2), grid[:, 2:])
    doubled = client.edit(fresh_model, 2 * vector, [1.5], seed=5, n=2, encoding="png")
    np.testing.assert_array_equal(doubled, grid[:, 2:])


def test_edit_latent_arithmetic_at_strength_zero_is_the_sample(client: Any, fresh_model: str):
    from latentgan.latent import seeded_latents

    a, b, c = (seeded_latents(seed, 1, 16) for seed in (1, 2, 3))
    z = (a - b + c).numpy()
    grid = client.edit(fresh_model, np.ones(16), [0, 1], arithmetic=(1, 2, 3))
    assert grid.shape == (1, 2, 32, 32, 1)
    np.testing.assert_array_equal(grid[:, 0], client.sample(fresh_model, latents=z))


def test_async_client_lists_and_edits(api: Any, client: Any, fresh_model: str, sefa: Any):
    async def run() -> Any:
        async with AsyncClient(api.address) as c:
            found = await c.compute_directions(fresh_model)
            return found, await c.directions(fresh_model), await c.edit(fresh_model, "sefa:2")

    found, listed, grid = asyncio.run(run())
    assert not found.created_now and "sefa:2" in {d.id for d in listed}
    np.testing.assert_array_equal(grid, client.edit(fresh_model, "sefa:2"))
    assert grid.shape == (1, 5, 32, 32, 1)  # the default strengths


def test_sdk_direction_errors_name_the_field(client: Any):
    with pytest.raises(NotFound) as missing:
        client.edit("tiny", "nope:0")
    assert missing.value.field == "direction_id"
    with pytest.raises(InvalidArgument) as bad:
        client.edit("tiny", "sefa:0", strengths=[500])
    assert bad.value.field == "strengths"
    with pytest.raises(NotFound) as unknown:
        client.edit("nope", "sefa:0")
    assert unknown.value.field == "model"
    with pytest.raises(InvalidArgument) as attribute:
        client.compute_directions("tiny", "attribute")
    assert attribute.value.field == "attribute"


def test_directions_survive_a_restart_and_are_served_by_another_worker(
    client: Any, store_dir: Path, fresh_model: str, sefa: Any
):
    """The queued Edit carries its vector: a new api and a worker that never saw the set, on a
    Redis of their own, give the same images."""
    expected = client.edit(fresh_model, "sefa:1", [-2, 0, 2], seed=3, n=2)
    with EmbeddedRedis() as server:
        other = start_api(store_dir, server.url, workers=0)
        try:
            other.workers.append(start_worker(store_dir, server.url, "second"))
            with Client(other.address, timeout=30) as restarted:
                assert "sefa:1" in {d.id for d in restarted.directions(fresh_model)}
                again = restarted.edit(fresh_model, "sefa:1", [-2, 0, 2], seed=3, n=2)
            np.testing.assert_array_equal(again, expected)
            assert consumers(server.url) == ["second"]
            assert read_stats(redis.Redis.from_url(server.url))["served"] == 1
        finally:
            other.stop()


def test_bad_requests_do_not_hurt_the_worker(client: Any, api: Any):
    for n in (0, 10**6):
        with pytest.raises(InvalidArgument):
            client.sample("tiny", n=n)
    assert client.sample("tiny", n=1).shape == (1, 32, 32, 1)
    assert api.process.poll() is None


def test_generation_workers_run_below_the_api_priority(api: Any):
    """LATENTGAN_WORKER_NICE (5): on busy cores the api's refusals and health answers go first."""
    workers = psutil.Process(api.process.pid).children(recursive=True)
    assert workers, "serve started no generation worker"
    api_nice = psutil.Process(api.process.pid).nice()  # 0 unless the tests themselves are niced
    assert {w.nice() for w in workers} == {min(api_nice + 5, 19)}


def test_health_and_reflection(api: Any):
    assert health_status(api.address) == "SERVING"
    assert health_status(api.address, service="latentgan.v1.LatentGan") == "SERVING"
    channel = grpc.insecure_channel(api.address)
    try:
        services = set(ProtoReflectionDescriptorDatabase(channel).get_services())
        assert {"latentgan.v1.LatentGan", "grpc.health.v1.Health"} <= services
        db = ProtoReflectionDescriptorDatabase(channel)
        assert db.FindFileContainingSymbol("latentgan.v1.SampleRequest").name == (
            "latentgan/v1/latentgan.proto"
        )
    finally:
        channel.close()


def test_concurrent_requests_share_batches_without_changing_images(client: Any, api: Any):
    """Batch invariance (docs/architecture.md, decision 3) under concurrent load, end to end."""
    requests = [
        dict(model=m, n=n, seed=seed, labels=labels)
        for seed in range(12)
        for m, n, labels in (("tiny", 1 + seed % 5, None), ("tiny-cond", 3 + seed % 7, [seed % 10]))
    ]
    alone = [client.sample(**r) for r in requests]
    before = read_stats(redis.Redis.from_url(api.redis_url))
    with ThreadPoolExecutor(max_workers=24) as pool:
        together = list(pool.map(lambda r: client.sample(**r), requests * 3))
    after = read_stats(redis.Redis.from_url(api.redis_url))
    for i, images in enumerate(together):
        np.testing.assert_array_equal(images, alone[i % len(requests)])
    served = after["served"] - before["served"]
    batches = after["batches"] - before["batches"]
    assert served == len(requests) * 3
    assert batches < served, "no request shared a forward pass: batching is not happening"


def test_metrics_count_requests_codes_and_batches(client: Any, api: Any):
    client.sample("tiny", n=2)
    with pytest.raises(InvalidArgument):
        client.sample("tiny", n=0)
    url = f"http://127.0.0.1:{api.metrics_port}/metrics"
    text = urllib.request.urlopen(url, timeout=5).read().decode()
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            samples[name] = float(value)
    assert samples['latentgan_requests_total{code="OK",method="Sample"}'] >= 1
    assert samples['latentgan_requests_total{code="INVALID_ARGUMENT",method="Sample"}'] >= 1
    assert samples['latentgan_request_seconds_count{method="Sample"}'] >= 2
    assert samples['latentgan_batch_images_count{method="Sample"}'] >= 1
    assert "latentgan_queue_depth" in samples and math.isfinite(samples["latentgan_queue_depth"])


def test_remote_cli_matches_local_cli(api: Any, store_dir: Path, tmp_path: Path):
    common = ["--model", "tiny-cond", "--n", "10", "--seed", "4", "--labels", "7"]
    run_cli(["sample", *common, "--out", str(tmp_path / "local.npy")], store_dir)
    remote = ["remote", "sample", "--address", api.address, *common]
    done = run_cli([*remote, "--out", str(tmp_path / "remote.npy")], tmp_path / "empty-store")
    assert "wrote 10 images" in done.stdout
    np.testing.assert_array_equal(np.load(tmp_path / "remote.npy"), np.load(tmp_path / "local.npy"))
    walk = ["remote", "interpolate", "--address", api.address, "--model", "tiny", "--steps", "5"]
    run_cli([*walk, "--out", str(tmp_path / "walk.gif")], tmp_path)
    assert (tmp_path / "walk.gif").stat().st_size > 0
    listing = run_cli(["remote", "models", "--address", api.address], tmp_path).stdout
    assert "tiny@1" in listing and "tiny-cond@1" in listing


def test_remote_directions_and_edit_match_the_local_commands(
    api: Any, store_dir: Path, tmp_path: Path
):
    where = ["--address", api.address]
    local = json.loads(run_cli(["directions", "--model", "tiny-cond", "--json"], store_dir).stdout)
    remote = run_cli(["remote", "directions", *where, "--model", "tiny-cond", "--json"], tmp_path)
    assert json.loads(remote.stdout)["directions"] == local["directions"]
    table = run_cli(["remote", "directions", *where, "--model", "tiny-cond"], tmp_path).stdout
    assert table.splitlines()[1].startswith("sefa:0")
    edit = ["--model", "tiny-cond", "--direction", "sefa:1=1,pca:0=-0.5", "--strengths=-2,0,2"]
    edit += ["--n", "3", "--seed", "8", "--labels", "5"]
    run_cli(["edit", *edit, "--out", str(tmp_path / "local.npy")], store_dir)
    done = run_cli(
        ["remote", "edit", *where, *edit, "--out", str(tmp_path / "remote.npy")], tmp_path
    )
    assert "3×3 edit grid" in done.stdout
    np.testing.assert_array_equal(np.load(tmp_path / "remote.npy"), np.load(tmp_path / "local.npy"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sample", "--model", "tiny", "--n", "1000"], "INVALID_ARGUMENT"),
        (["sample", "--model", "nope", "--n", "1"], "NOT_FOUND"),
        (["sample", "--model", "tiny", "--truncation", "2"], "truncation"),
    ],
)
def test_remote_cli_errors_are_one_line(api: Any, tmp_path: Path, args: list[str], message: str):
    out = str(tmp_path / "x.png")
    done = run_cli(["remote", *args[:1], "--address", api.address, *args[1:], "--out", out],
                   tmp_path, check=False)  # fmt: skip
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in done.stderr
    assert not Path(out).exists()


def test_remote_cli_unreachable_server_is_one_line(tmp_path: Path):
    done = run_cli(
        ["remote", "models", "--address", "127.0.0.1:9", "--timeout", "2"], tmp_path, check=False
    )
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1 and "UNAVAILABLE" in done.stderr


def test_a_broken_model_is_an_error_not_a_dead_worker(client: Any, store_dir: Path):
    source, broken = store_dir / "models/tiny/1", store_dir / "models/broken/1"
    shutil.copytree(source, broken)
    manifest = json.loads((broken / "manifest.json").read_text())
    (broken / "manifest.json").write_text(json.dumps({**manifest, "name": "broken"}))
    weights = broken / "generator_ema.safetensors"
    weights.write_bytes(weights.read_bytes()[:-8] + b"tampered")
    try:
        with pytest.raises(FailedPrecondition) as caught:
            client.sample("broken", n=1)
        assert "sha256" in caught.value.message
        assert client.sample("tiny", n=1).shape == (1, 32, 32, 1)  # the worker lives on
    finally:
        shutil.rmtree(broken.parent)


def test_a_stream_naming_a_missing_job_is_not_found(stub: Any):
    with pytest.raises(grpc.RpcError) as caught:
        list(stub.WatchTrainJob(pb.WatchTrainJobRequest(job_id="no-such-job"), timeout=30))
    assert caught.value.code() == NOT_FOUND, caught.value.details()
    assert violations(caught.value) == ["job_id"]


def test_a_corrupt_manifest_is_failed_precondition_for_every_rpc(client: Any, store_dir: Path):
    """A version whose manifest.json cannot be read is a broken model (services.errors), never
    UNKNOWN: the api meets it before anything is queued."""
    corrupt = store_dir / "models/corrupt/1"
    shutil.copytree(store_dir / "models/tiny/1", corrupt)
    (corrupt / "manifest.json").write_text('{"name": "corrupt", "version": ')
    calls: dict[str, Callable[[], Any]] = {
        "GetModel": lambda: client.get_model("corrupt"),
        "Sample": lambda: client.sample("corrupt", n=1),
        "Interpolate": lambda: client.interpolate("corrupt", steps=3),
    }
    try:
        for rpc, call in calls.items():
            with pytest.raises(FailedPrecondition) as caught:
                call()
            assert caught.value.code == grpc.StatusCode.FAILED_PRECONDITION, rpc
            assert "not a valid latentgan manifest" in caught.value.message, rpc
    finally:
        shutil.rmtree(corrupt.parent)
    assert client.get_model("tiny").version == 1


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["worker"], {}, "LATENTGAN_REDIS_URL"),
        (["serve", "--workers", "-1"], {}, "--workers"),
        (["serve"], {"LATENTGAN_TLS_CERT": "/nonexistent.pem"}, "TLS"),
        (["serve"], {"LATENTGAN_DEVICE": "warp9"}, "unknown device"),
    ],
)
def test_serving_commands_refuse_bad_setup_in_one_line(
    tmp_path: Path, args: list[str], env: dict[str, str], message: str
):
    environment = {k: v for k, v in os.environ.items() if k != "LATENTGAN_REDIS_URL"}
    done = subprocess.run(
        [sys.executable, "-m", "latentgan.cli", *args],
        env={**environment, "LATENTGAN_DATA_DIR": str(tmp_path), **env},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    errors = [line for line in done.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and message in errors[0] and "Traceback" not in done.stderr


def test_serve_refuses_a_port_in_use(api: Any, tmp_path: Path):
    port = api.address.rsplit(":", 1)[1]
    env = {**os.environ, "LATENTGAN_DATA_DIR": str(tmp_path), "LATENTGAN_REDIS_URL": api.redis_url}
    done = subprocess.run(
        [sys.executable, "-m", "latentgan.cli", "serve", "--port", port, "--workers", "0"],
        env=env,
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert f"latentgan serve: error: cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr
    assert health_status(api.address) == "SERVING"  # the running api is untouched


def test_remote_cli_malformed_address_is_a_usage_error(tmp_path: Path):
    done = run_cli(["remote", "models", "--address", "localhost"], tmp_path, check=False)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "latentgan remote models: error: argument --address: expected HOST:PORT, got 'localhost'"
        " (see --help)"
    ]
