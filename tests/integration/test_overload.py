"""Overload on a real `latentgan serve` (``benchmarks.overload`` measures it): a client flooding
one connection is refused RESOURCE_EXHAUSTED beyond its share while a second client keeps being
served, and the api's bounds free up once the flood ends.

No timing is asserted: what is checked is who was refused and who was not.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from latentgan_client import AsyncClient, Client
from latentgan_client.errors import LatentganError
from tests.integration.stack import Api, start_api

CLIENT_IMAGES = 64  # LATENTGAN_CLIENT_MAX_INFLIGHT_IMAGES of this stack
API_IMAGES = 256  # LATENTGAN_MAX_INFLIGHT_IMAGES: the flood's share and the victim's fit in it
FLOOD_N = 32
FLOOD_CONCURRENCY = 16  # 16 × 32 = 512 images asked at once, 8 times the client's share


@pytest.fixture(scope="module")
def bounded_api(store_dir: Path, redis_url: str, unconditional_model: str) -> Iterator[Api]:
    """`latentgan serve` whose per-client bound is small enough to flood from one test."""
    env = {
        "LATENTGAN_CLIENT_MAX_INFLIGHT_IMAGES": str(CLIENT_IMAGES),
        "LATENTGAN_MAX_INFLIGHT_IMAGES": str(API_IMAGES),
    }
    running = start_api(store_dir, redis_url, workers=1, extra_env=env)
    yield running
    running.stop()


def test_a_flooding_client_is_refused_while_a_second_is_served(
    bounded_api: Api, unconditional_model: str
) -> None:
    flood: Counter[str] = Counter()
    stop = threading.Event()

    async def run_flood() -> None:
        async with AsyncClient(bounded_api.address, retries=0) as client:

            async def loop() -> None:
                while not stop.is_set():
                    try:
                        await client.sample(unconditional_model, n=FLOOD_N)
                        flood["OK"] += 1
                    except LatentganError as e:
                        flood[e.code.name] += 1

            await asyncio.gather(*(loop() for _ in range(FLOOD_CONCURRENCY)))

    flooder = threading.Thread(target=lambda: asyncio.run(run_flood()), daemon=True)
    flooder.start()
    victim: Counter[str] = Counter()
    with Client(bounded_api.address, retries=0) as client:
        expected = client.sample(unconditional_model, n=4, seed=3)
        while sum(flood.values()) < 200 or victim["right"] < 20:
            try:
                got = client.sample(unconditional_model, n=4, seed=3)
                victim["right" if (got == expected).all() else "wrong"] += 1
            except LatentganError as e:
                victim[e.code.name] += 1
        stop.set()
        flooder.join(60)
        assert not flooder.is_alive()
        assert flood["RESOURCE_EXHAUSTED"] > 0 and flood["OK"] > 0, flood
        assert set(flood) <= {"OK", "RESOURCE_EXHAUSTED"}, flood
        assert victim == Counter(right=victim["right"]), victim  # never refused, never wrong
        # everything the flood held is free again: a request of the api's whole bound fits
        assert client.sample(unconditional_model, n=API_IMAGES).shape[0] == API_IMAGES


def test_each_sdk_client_is_a_connection_of_its_own(bounded_api: Api, unconditional_model: str):
    """Admission counts a connection as a client: two SDK clients of equal settings in one
    process must not share one (gRPC's default), or each would get half a client's share."""
    port = int(bounded_api.address.rsplit(":", 1)[1])

    def connections() -> int:
        return sum(
            1
            for c in psutil.Process().net_connections(kind="tcp")
            if c.raddr and c.raddr.port == port and c.status == psutil.CONN_ESTABLISHED
        )

    before = connections()
    with Client(bounded_api.address) as first, Client(bounded_api.address) as second:
        first.sample(unconditional_model, n=1)
        second.sample(unconditional_model, n=1)
        assert connections() - before == 2
