"""Prometheus metrics of the api: requests by method and code, latency, queue depth, batch sizes.

Exposed on ``LATENTGAN_METRICS_PORT`` (``/metrics``) when it is set. Batch sizes are reported by
the workers in each reply, so one scrape of the api shows how well requests are being merged.
"""

from __future__ import annotations

import time
from typing import Any

import grpc
from prometheus_client import Counter, Gauge, Histogram, start_http_server

from services.interceptors import Behaviour, Handler, HandlerInterceptor, same_kind

REQUESTS = Counter(
    "latentgan_requests", "RPCs answered, by method and status code", ["method", "code"]
)
LATENCY = Histogram(
    "latentgan_request_seconds",
    "RPC latency in the api, by method",
    ["method"],
    buckets=(0.001, 0.002, 0.003, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
QUEUE_DEPTH = Gauge("latentgan_queue_depth", "Generation requests waiting or being computed")
LIVE_WORKERS = Gauge("latentgan_generation_workers", "Generation workers with a live heartbeat")
BATCH_IMAGES = Histogram(
    "latentgan_batch_images",
    "Images in the forward pass that served a request",
    ["method"],
    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256, 512),
)
BATCH_REQUESTS = Histogram(
    "latentgan_batch_requests",
    "Requests merged into the forward pass that served a request",
    ["method"],
    buckets=(1, 2, 4, 8, 16, 32, 64),
)


def observe_batch(method: str, images: int, requests: int) -> None:
    """Record the batch a generation request was served in."""
    if requests:
        BATCH_IMAGES.labels(method).observe(images)
        BATCH_REQUESTS.labels(method).observe(requests)


def serve_metrics(port: int, host: str = "0.0.0.0") -> None:
    """Start the /metrics HTTP endpoint in a background thread."""
    start_http_server(port, addr=host)


class MetricsInterceptor(HandlerInterceptor):
    """Counts and times every unary RPC by method and final status code."""

    def replace(self, call: grpc.HandlerCallDetails, handler: Handler) -> Handler:
        """The handler, wrapped to record its outcome (streams pass through)."""
        if handler.unary_unary is None:
            return handler
        method = call.method.rsplit("/", 1)[-1]
        inner: Behaviour = handler.unary_unary  # type: ignore[assignment]  # aio handlers are async

        async def timed(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> Any:
            start = time.perf_counter()
            code = "UNKNOWN"
            try:
                response = await inner(request, context)
                code = "OK"
                return response
            finally:
                if code != "OK":
                    status = context.code()
                    code = status.name if isinstance(status, grpc.StatusCode) else "UNKNOWN"
                REQUESTS.labels(method, code).inc()
                LATENCY.labels(method).observe(time.perf_counter() - start)

        return same_kind(handler, timed)
