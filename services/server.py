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

from latentgan.errors import ConfigError
from latentgan_client.v1 import latentgan_pb2, latentgan_pb2_grpc
from services import metrics
from services.api import LatentGanService
from services.auth import BearerTokenInterceptor
from services.exposure import check_exposure
from services.interceptors import HandlerInterceptor, ParseGuardInterceptor
from services.queue import Producer
from services.settings import ServingSettings

log = logging.getLogger("latentgan.api")

SERVICE_NAME = latentgan_pb2.DESCRIPTOR.services_by_name["LatentGan"].full_name
HEALTH_EVERY_S = 1.0


def server_credentials(settings: ServingSettings) -> grpc.ServerCredentials | None:
    """TLS credentials from the settings, None for plaintext; ConfigError or OSError if unusable.

    With ``tls_client_ca`` too, mutual TLS: every client must present a certificate that CA
    signed, or its connection is refused during the handshake (before any RPC is read).
    """
    if settings.tls_cert is None and settings.tls_key is None:
        if settings.tls_client_ca is not None:
            raise ConfigError(
                "LATENTGAN_TLS_CLIENT_CA (mutual TLS) needs LATENTGAN_TLS_CERT and "
                "LATENTGAN_TLS_KEY too",
                field="tls_client_ca",
            )
        return None
    if settings.tls_cert is None or settings.tls_key is None:
        raise ConfigError("TLS needs both LATENTGAN_TLS_CERT and LATENTGAN_TLS_KEY", field="tls")
    pair = (settings.tls_key.read_bytes(), settings.tls_cert.read_bytes())
    if settings.tls_client_ca is None:
        return grpc.ssl_server_credentials([pair])
    return grpc.ssl_server_credentials(
        [pair], root_certificates=settings.tls_client_ca.read_bytes(), require_client_auth=True
    )


async def _watch_health(producer: Producer, servicer: Any) -> None:
    """Keep the health service and the queue-depth gauge current, once a second.

    Overall health ("") is the api and its Redis; the LatentGan service is SERVING only while at
    least one generation worker is alive too, so a probe can tell "up" from "able to generate".
    """
    SERVING, NOT_SERVING = (
        health_pb2.HealthCheckResponse.SERVING,
        health_pb2.HealthCheckResponse.NOT_SERVING,
    )
    last: tuple[bool, bool] | None = None
    while True:
        try:
            metrics.QUEUE_DEPTH.set(await producer.depth())
            workers = len(await producer.live_workers())
            metrics.LIVE_WORKERS.set(workers)
            now = (True, workers > 0)
        except (redis.ConnectionError, redis.TimeoutError):
            now = (False, False)
        if now != last:
            await servicer.set("", SERVING if now[0] else NOT_SERVING)
            await servicer.set(SERVICE_NAME, SERVING if all(now) else NOT_SERVING)
            if last is not None and now[0] != last[0]:
                log.warning("redis %s", "reachable again" if now[0] else "unreachable")
            last = now
        await asyncio.sleep(HEALTH_EVERY_S)


async def run_api(settings: ServingSettings, on_ready: Callable[[int], None] | None = None) -> None:
    """Serve the api on api_host:api_port until cancelled; ``on_ready(port)`` once bound."""
    if not settings.redis_url:
        raise ConfigError("the api needs LATENTGAN_REDIS_URL", field="redis_url")
    # No socket timeout: a reply is awaited with BLPOP for as long as the caller's deadline.
    client = aioredis.Redis.from_url(
        settings.redis_url, socket_connect_timeout=5.0, socket_timeout=None, health_check_interval=5
    )
    producer = Producer(client, settings.queue_max_len)
    interceptors: list[HandlerInterceptor] = [
        metrics.MetricsInterceptor(),
        ParseGuardInterceptor(log),
    ]
    if settings.auth_token:
        interceptors.insert(0, BearerTokenInterceptor(settings.auth_token))
    size = settings.max_message_bytes
    server = grpc.aio.server(
        interceptors=interceptors,
        options=[
            ("grpc.max_receive_message_length", size),
            ("grpc.max_send_message_length", size),
            ("grpc.so_reuseport", 0),  # a port in use is an error, not a silently shared port
        ],
    )
    latentgan_pb2_grpc.add_LatentGanServicer_to_server(LatentGanService(settings, producer), server)
    health_servicer = health.aio.HealthServicer()  # type: ignore[attr-defined]
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        (SERVICE_NAME, health.SERVICE_NAME, reflection.SERVICE_NAME), server
    )
    address = f"{settings.api_host}:{settings.api_port}"
    credentials = server_credentials(settings)
    if exposed := check_exposure(settings):  # refuses an unauthenticated non-loopback address
        log.warning("%s", exposed)
    try:
        if credentials:
            port = server.add_secure_port(address, credentials)
        else:
            port = server.add_insecure_port(address)
    except RuntimeError as e:  # grpc's way of saying the address cannot be bound
        raise ConfigError(f"cannot listen on {address} (in use?): {e}", field="port") from e
    if settings.metrics_port:
        metrics.serve_metrics(settings.metrics_port, settings.api_host)
    await server.start()
    watcher = asyncio.create_task(_watch_health(producer, health_servicer))
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
