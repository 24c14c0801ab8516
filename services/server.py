"""Assembling and running the api process: servicer, health, reflection, auth, metrics, TLS.

``run_api`` serves until cancelled. A background task pings Redis every second: the health service
answers NOT_SERVING while it is unreachable (so load balancers route around this replica), and
the queue-depth gauge is refreshed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

import grpc
import redis
import redis.asyncio as aioredis
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from latentgan.settings import Settings
from latentgan_client.v1 import latentgan_pb2, latentgan_pb2_grpc
from services import metrics
from services.api import LatentGanService
from services.auth import BearerTokenInterceptor
from services.queue import Producer

log = logging.getLogger("latentgan.api")

SERVICE_NAME = latentgan_pb2.DESCRIPTOR.services_by_name["LatentGan"].full_name
HEALTH_EVERY_S = 1.0


def _credentials(settings: Settings) -> grpc.ServerCredentials | None:
    if settings.tls_cert is None and settings.tls_key is None:
        return None
    if settings.tls_cert is None or settings.tls_key is None:
        raise ValueError("TLS needs both LATENTGAN_TLS_CERT and LATENTGAN_TLS_KEY")
    pair = (settings.tls_key.read_bytes(), settings.tls_cert.read_bytes())
    return grpc.ssl_server_credentials([pair])


async def _watch_health(client: aioredis.Redis, producer: Producer, servicer: Any) -> None:
    serving: bool | None = None
    while True:
        try:
            metrics.QUEUE_DEPTH.set(await producer.depth())
            ok = True
        except (redis.ConnectionError, redis.TimeoutError):
            ok = False
        if ok != serving:
            status = (
                health_pb2.HealthCheckResponse.SERVING
                if ok
                else (health_pb2.HealthCheckResponse.NOT_SERVING)
            )
            for name in ("", SERVICE_NAME):
                await servicer.set(name, status)
            if serving is not None:
                log.warning("redis %s", "reachable again" if ok else "unreachable")
            serving = ok
        await asyncio.sleep(HEALTH_EVERY_S)


async def run_api(settings: Settings, on_ready: Callable[[int], None] | None = None) -> None:
    """Serve the api on api_host:api_port until cancelled; ``on_ready(port)`` once bound."""
    if not settings.redis_url:
        raise ValueError("the api needs LATENTGAN_REDIS_URL")
    client = aioredis.Redis.from_url(
        settings.redis_url, socket_connect_timeout=1.0, health_check_interval=5
    )
    producer = Producer(client, settings.queue_max_len)
    interceptors: list[grpc.aio.ServerInterceptor[Any, Any]] = [metrics.MetricsInterceptor()]
    if settings.auth_token:
        interceptors.insert(0, BearerTokenInterceptor(settings.auth_token))
    size = settings.max_message_bytes
    server = grpc.aio.server(
        interceptors=interceptors,
        options=[("grpc.max_receive_message_length", size), ("grpc.max_send_message_length", size)],
    )
    latentgan_pb2_grpc.add_LatentGanServicer_to_server(LatentGanService(settings, producer), server)
    health_servicer = health.aio.HealthServicer()  # type: ignore[attr-defined]
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        (SERVICE_NAME, health.SERVICE_NAME, reflection.SERVICE_NAME), server
    )
    address = f"{settings.api_host}:{settings.api_port}"
    credentials = _credentials(settings)
    if credentials:
        port = server.add_secure_port(address, credentials)
    else:
        port = server.add_insecure_port(address)
    if settings.metrics_port:
        metrics.serve_metrics(settings.metrics_port, settings.api_host)
    await server.start()
    watcher = asyncio.create_task(_watch_health(client, producer, health_servicer))
    log.info("latentgan api listening on %s:%d", settings.api_host, port)
    if on_ready:
        on_ready(port)
    try:
        await server.wait_for_termination()
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
        await server.stop(grace=2.0)
        await client.aclose()
