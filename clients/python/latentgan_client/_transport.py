"""How both clients reach the server: credentials, channel options, per-call metadata, deadlines.

Retries and the longest deadline of each method come from the gRPC service config shipped in
`latentgan_client.v1` (one file for both SDKs: protos/latentgan/v1/service_config.json).

`ClientBase` holds what the sync Client and the AsyncClient configure identically, so each of
them only opens its own kind of channel (grpc or grpc.aio) and awaits or not.
"""

from __future__ import annotations

import functools
import json
import os
from importlib import resources
from pathlib import Path
from typing import Any, TypeAlias

import grpc

from latentgan_client import v1

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024

TLS: TypeAlias = bool | str | os.PathLike[str] | grpc.ChannelCredentials | None
"""None or False: plaintext; True: TLS with the system's roots; a path: TLS trusting that PEM CA
certificate; grpc.ChannelCredentials: used as given."""


def channel_credentials(tls: TLS) -> grpc.ChannelCredentials | None:
    """The channel credentials for a `tls` argument; None means a plaintext channel."""
    if tls is None or tls is False:
        return None
    if tls is True:
        return grpc.ssl_channel_credentials()
    if isinstance(tls, grpc.ChannelCredentials):
        return tls
    return grpc.ssl_channel_credentials(root_certificates=Path(tls).read_bytes())


SERVICE_CONFIG = "service_config.json"
MAX_RETRIES = 4  # gRPC caps maxAttempts at 5


@functools.cache
def _service_config_text() -> str:
    """The shipped service config file, read once per process."""
    return (resources.files(v1) / SERVICE_CONFIG).read_text(encoding="utf-8")


def service_config(retries: int | None = None) -> dict[str, Any]:
    """The gRPC service config of latentgan.v1.LatentGan (retry policy and deadlines), as shipped
    in this package: a copy of protos/latentgan/v1/service_config.json, the file the TypeScript
    client reads too, so both SDKs retry and time out alike.

    `retries` None keeps the file's retry policies; 0 removes them (no call is repeated); N sets
    every policy's maxAttempts to N + 1. Every latentgan method is safe to repeat (Train by its
    request id), which is why the file retries them all on UNAVAILABLE."""
    config: dict[str, Any] = json.loads(_service_config_text())
    for method in config.get("methodConfig", []):
        if retries == 0:
            method.pop("retryPolicy", None)
        elif retries is not None and "retryPolicy" in method:
            method["retryPolicy"]["maxAttempts"] = retries + 1
    return config


def channel_options(max_message_bytes: int, retries: int | None) -> list[tuple[str, Any]]:
    """Channel options: message size limits and the service config for `retries` (see
    service_config); retries=0 also turns gRPC's retry machinery off. Each client gets a
    connection of its own (gRPC would share one between a process's channels of equal settings),
    since the server bounds what one connection may have in flight (its per-client admission)."""
    return [
        ("grpc.use_local_subchannel_pool", 1),
        ("grpc.max_receive_message_length", max_message_bytes),
        ("grpc.max_send_message_length", max_message_bytes),
        ("grpc.enable_retries", 0 if retries == 0 else 1),
        ("grpc.service_config", json.dumps(service_config(retries))),
    ]


class ClientBase:
    """Settings shared by Client and AsyncClient: address, credentials, options, token, timeout."""

    def __init__(
        self,
        address: str,
        token: str | None,
        tls: TLS,
        timeout: float | None,
        max_message_bytes: int,
        retries: int | None,
    ) -> None:
        if max_message_bytes <= 0:
            raise ValueError(f"max_message_bytes must be positive, got {max_message_bytes}")
        if retries is not None and not 0 <= retries <= MAX_RETRIES:
            raise ValueError(f"retries must be in [0, {MAX_RETRIES}], got {retries}")
        self.address = address
        self.timeout = timeout
        self._credentials = channel_credentials(tls)
        self._options = channel_options(max_message_bytes, retries)
        self._metadata: tuple[tuple[str, str], ...] | None = (
            (("authorization", f"Bearer {token}"),) if token else None
        )

    def _call_args(self, timeout: float | None, *, stream: bool = False) -> dict[str, Any]:
        """Keyword arguments of every call: the deadline and the token.

        A unary call without its own timeout gets the client's default; a stream gets none, since
        watching a training job lasts as long as the job."""
        if timeout is None and not stream:
            timeout = self.timeout
        return {"timeout": timeout, "metadata": self._metadata}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.address!r})"
