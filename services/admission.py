"""Admission control of the api: how many images may be waiting for one api process and for one
client, so that overload is refused at once instead of queued into everyone's latency.

Every generation or projection request holds its cost (the images it asks for) from just before
it is queued until its reply, or its failure, comes back. A request that would take the api's
total over ``max_inflight_images``, or its client's over ``client_max_inflight_images``, is
refused with QueueFullError (RESOURCE_EXHAUSTED, "retry with backoff") before it touches Redis —
the answer Triton and Ray Serve give under overload. The per-client bound is what keeps one
client's flood from starving a second one: the flood's share of the queue is capped, so the
second client waits behind at most that share.

A client is one connection (gRPC's peer: address and port), since a request carries no identity
of its own without auth. A flood spread over many connections is held by the api-wide bound and
the Redis queue's own (``queue_max_len``), not by this one; in-process counts are per api
replica (docs/architecture.md, decision 4).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator

from services.queue import QueueFullError


class Admission:
    """In-flight images of one api process, in total and per client."""

    def __init__(self, max_images: int, client_max_images: int) -> None:
        self.max_images = max_images
        self.client_max_images = client_max_images
        self.total = 0
        self._clients: Counter[str] = Counter()

    def of(self, client: str) -> int:
        """The images ``client`` has in flight now."""
        return self._clients[client]

    @contextlib.contextmanager
    def admit(self, client: str, images: int) -> Iterator[None]:
        """Hold ``images`` for ``client`` for the block; QueueFullError at once if over a bound.

        A client with nothing in flight gets one request through whatever its size (no request
        is refused forever for being larger than the per-client bound); the api-wide bound
        holds for everyone."""
        held = self._clients[client]
        if self.total + images > self.max_images and self.total:
            raise QueueFullError(
                f"this api has {self.total} images in flight (at most {self.max_images})"
            )
        if held and held + images > self.client_max_images:
            raise QueueFullError(
                f"this client has {held} images in flight (at most {self.client_max_images} "
                "per client)"
            )
        self.total += images
        self._clients[client] += images
        try:
            yield
        finally:
            self.total -= images
            self._clients[client] -= images
            if not self._clients[client]:
                del self._clients[client]
