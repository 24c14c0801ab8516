"""The serving stack when things go wrong: dead workers, Redis outages, full queues, deadlines,
missing or wrong credentials, TLS. Real processes, real Redis, real gRPC on loopback.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import grpc
import numpy as np
import pytest
import redis

from latentgan_client import (
    Client,
    DeadlineExceeded,
    ResourceExhausted,
    Unauthenticated,
    Unavailable,
)
from services.embedded_redis import EmbeddedRedis, free_port
from services.processes import alive, children_of, spawn, stop
from services.queue import GROUP, STREAM, read_stats, reply_key
from tests.integration.stack import Api, health_status, start_api, start_worker, wait_for

SERVICE = "latentgan.v1.LatentGan"


@pytest.fixture
def fresh_redis() -> Any:
    with EmbeddedRedis() as server:
        yield server


def test_sigkilled_worker_loses_no_request(
    store_dir: Path, fresh_redis: EmbeddedRedis, unconditional_model: str
):
    url = fresh_redis.url
    env = {
        "LATENTGAN_CLAIM_IDLE_MS": "500",
        # one client's burst of 16 × 64 images, all queued at once for the victim to hold some
        "LATENTGAN_CLIENT_MAX_INFLIGHT_IMAGES": "1024",
    }
    api = start_api(store_dir, url, workers=0, extra_env=env)
    r = redis.Redis.from_url(url)
    try:
        victim = start_worker(store_dir, url, "victim")
        api.workers.append(victim)  # stopped with the api, should the test fail before the kill
        api.workers.append(start_worker(store_dir, url, "survivor"))
        with Client(api.address, timeout=60) as client:
            expected = {seed: client.sample("tiny", n=64, seed=seed) for seed in range(4)}
            with ThreadPoolExecutor(max_workers=16) as pool:
                futures = [pool.submit(client.sample, "tiny", n=64, seed=i % 4) for i in range(96)]

                def victim_holds_entries() -> bool:
                    for c in r.xinfo_consumers(STREAM, GROUP):
                        if c["name"] == b"victim" and c["pending"] > 0:
                            return True
                    return False

                wait_for(victim_holds_entries, 60, "the victim to take a batch")
                victim.process.send_signal(signal.SIGKILL)  # mid-batch: its entries stay pending
                results = [f.result() for f in futures]
        victim.process.wait(10)
        for i, images in enumerate(results):
            np.testing.assert_array_equal(images, expected[i % 4])
        stats = read_stats(r)
        assert stats.get("reclaimed", 0) >= 1
        assert r.xpending(STREAM, GROUP)["pending"] == 0
    finally:
        api.stop()
        r.close()


def test_redis_outage_answers_unavailable_then_recovers(
    store_dir: Path, unconditional_model: str, tmp_path: Path
):
    server = EmbeddedRedis(directory=tmp_path / "redis").start()
    api: Api | None = None
    try:
        api = start_api(store_dir, server.url, workers=0)
        worker = start_worker(store_dir, server.url, "steady")
        api.workers.append(worker)
        with Client(api.address, timeout=10, retries=0) as client:
            before = client.sample("tiny", n=2, seed=3)
            server.stop()
            with pytest.raises(Unavailable):
                client.sample("tiny", n=2, seed=3)
            wait_for(lambda: health_status(api.address) == "NOT_SERVING", 15, "NOT_SERVING")
            server.start()  # same port, empty: the stream and the group are gone

            def serves_again() -> bool:
                try:
                    return bool(np.array_equal(client.sample("tiny", n=2, seed=3), before))
                except (Unavailable, DeadlineExceeded):
                    return False

            wait_for(serves_again, 60, "the stack to recover")
            wait_for(lambda: health_status(api.address) == "SERVING", 15, "SERVING")
        assert api.process.poll() is None and worker.poll() is None  # nothing was restarted
    finally:
        if api is not None:
            api.stop()
        server.close()


def test_full_queue_answers_resource_exhausted(
    store_dir: Path, fresh_redis: EmbeddedRedis, unconditional_model: str
):
    env = {"LATENTGAN_QUEUE_MAX_LEN": "3"}
    api = start_api(store_dir, fresh_redis.url, workers=0, extra_env=env)
    try:
        with Client(api.address, timeout=20, retries=0) as client:
            with ThreadPoolExecutor(max_workers=3) as pool:
                waiting = [pool.submit(client.sample, "tiny", n=1, seed=s) for s in range(3)]
                r = redis.Redis.from_url(fresh_redis.url)
                wait_for(lambda: r.xlen(STREAM) == 3, 20, "three queued requests")
                with pytest.raises(ResourceExhausted):
                    client.sample("tiny", n=1)
                # Capacity returns once a worker drains the queue; the waiting calls get answers.
                api.workers.append(start_worker(store_dir, fresh_redis.url, "drain"))
                assert all(f.result().shape == (1, 32, 32, 1) for f in waiting)
            assert client.sample("tiny", n=1).shape == (1, 32, 32, 1)
    finally:
        api.stop()


def test_expired_requests_are_dropped_not_computed(
    store_dir: Path, fresh_redis: EmbeddedRedis, unconditional_model: str
):
    api = start_api(store_dir, fresh_redis.url, workers=0)
    r = redis.Redis.from_url(fresh_redis.url)
    try:
        with Client(api.address, retries=0) as client:
            started = time.monotonic()
            with pytest.raises(DeadlineExceeded):
                client.sample("tiny", n=8, timeout=1.5)
            assert time.monotonic() - started < 6
            wait_for(lambda: r.xlen(STREAM) == 1, 10, "the request in the queue")  # never served
            # Up, but unable to generate: the service's own health says so.
            assert health_status(api.address) == "SERVING"
            assert health_status(api.address, service=SERVICE) == "NOT_SERVING"
            api.workers.append(start_worker(store_dir, fresh_redis.url, "late"))
            wait_for(lambda: read_stats(r).get("dropped_expired", 0) == 1, 30, "the drop")
            wait_for(lambda: health_status(api.address, service=SERVICE) == "SERVING", 10, "up")
            stats = read_stats(r)
            assert stats.get("served", 0) == 0 and stats.get("batches", 0) == 0
            assert r.xlen(STREAM) == 0
            assert not r.keys(reply_key("*"))
            assert client.sample("tiny", n=1).shape == (1, 32, 32, 1)  # and it serves the next
    finally:
        api.stop()
        r.close()


def test_bearer_token_is_required_when_configured(
    store_dir: Path, fresh_redis: EmbeddedRedis, unconditional_model: str
):
    env = {"LATENTGAN_AUTH_TOKEN": "s3cret"}
    api = start_api(store_dir, fresh_redis.url, workers=1, extra_env=env)
    try:
        with Client(api.address, retries=0) as anonymous, pytest.raises(Unauthenticated):
            anonymous.list_models()
        with Client(api.address, token="wrong", retries=0) as wrong, pytest.raises(Unauthenticated):
            wrong.sample("tiny", n=1)
        with Client(api.address, token="s3cret") as right:
            assert right.sample("tiny", n=1).shape == (1, 32, 32, 1)
            assert "tiny@1" in [m.ref for m in right.list_models()]
        assert health_status(api.address) == "SERVING"  # probes need no token
    finally:
        api.stop()


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def test_tls(store_dir: Path, fresh_redis: EmbeddedRedis, unconditional_model: str, tmp_path: Path):
    cert, key = _self_signed(tmp_path)
    env = {"LATENTGAN_TLS_CERT": str(cert), "LATENTGAN_TLS_KEY": str(key)}
    credentials = grpc.ssl_channel_credentials(cert.read_bytes())
    api = start_api(store_dir, fresh_redis.url, workers=1, extra_env=env, credentials=credentials)
    try:
        with Client(api.address, tls=cert) as secure:
            assert secure.sample("tiny", n=2).shape == (2, 32, 32, 1)
        with Client(api.address, retries=0, timeout=3) as plain, pytest.raises(Unavailable):
            plain.list_models()
    finally:
        api.stop()


def test_serve_on_embedded_redis_stops_everything_on_sigterm(
    store_dir: Path, unconditional_model: str, tmp_path: Path
):
    """The one-machine mode: its own Redis and worker; SIGTERM leaves no process behind."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "LATENTGAN_REDIS_URL"}
    serve = spawn(
        [sys.executable, "-m", "latentgan.cli", "serve", "--port", str(port)],
        {**env, "LATENTGAN_DATA_DIR": str(store_dir), "LATENTGAN_OFFLINE": "1"},
        grace_s=15,
    )
    try:
        address = f"127.0.0.1:{port}"
        wait_for(lambda: health_status(address, service=SERVICE) == "SERVING", 90, "serving")
        children = children_of(serve.pid, recursive=False)
        assert len(children) == 3  # the embedded redis-server and the default two workers
        with Client(address) as client:
            assert client.sample("tiny", n=1).shape == (1, 32, 32, 1)
        serve.process.send_signal(signal.SIGTERM)
        assert serve.process.wait(20) == 0
        wait_for(lambda: not any(alive(p) for p in children), 10, "children to exit")
    finally:
        stop(serve)  # graceful, so a failed run leaves no redis-server or worker behind


def test_a_long_answer_is_kept_claimed_and_computed_once(
    store_dir: Path, fresh_redis: EmbeddedRedis, unconditional_model: str
):
    """A Project that runs for several claim_idle_ms: its worker keeps the entry claimed (and its
    heartbeat alive), so the idle second worker does not reclaim it and compute it again."""
    env = {"LATENTGAN_CLAIM_IDLE_MS": "1000"}
    api = start_api(store_dir, fresh_redis.url, workers=2, extra_env=env)
    r = redis.Redis.from_url(fresh_redis.url)
    try:
        with Client(api.address, timeout=120, retries=0) as client:
            targets = client.sample("tiny", n=64, seed=5)
            started = time.monotonic()
            found = client.project("tiny", list(targets), method="optimize", steps=1000)
            took = time.monotonic() - started
        assert took > 3.0, f"the Project took {took:.1f} s: too short to test reclaiming"
        assert len(found.images) == 64
        stats = read_stats(r)
        assert stats.get("reclaimed", 0) == 0, stats
        assert r.xpending(STREAM, GROUP)["pending"] == 0
    finally:
        api.stop()
        r.close()
