"""How both clients reach the server: credentials, channel options, per-call metadata, deadlines.

`ClientBase` holds what the sync Client and the AsyncClient configure identically, so each of
them only opens its own kind of channel (grpc or grpc.aio) and awaits or not.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, TypeAlias

import grpc

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024
SERVICE = "latentgan.v1.LatentGan"

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


def channel_options(max_message_bytes: int, retries: int) -> list[tuple[str, Any]]:
    """Channel options: message size limits and, with retries > 0, gRPC's own retry of calls
    that failed UNAVAILABLE (every latentgan method is safe to repeat: Train by its request id)."""
    options: list[tuple[str, Any]] = [
        ("grpc.max_receive_message_length", max_message_bytes),
        ("grpc.max_send_message_length", max_message_bytes),
    ]
    if retries > 0:
        policy = {
            "maxAttempts": retries + 1,
            "initialBackoff": "0.2s",
            "maxBackoff": "2s",
            "backoffMultiplier": 2,
            "retryableStatusCodes": ["UNAVAILABLE"],
        }
        config = {"methodConfig": [{"name": [{"service": SERVICE}], "retryPolicy": policy}]}
        options += [("grpc.enable_retries", 1), ("grpc.service_config", json.dumps(config))]
    return options


class ClientBase:
    """Settings shared by Client and AsyncClient: address, credentials, options, token, timeout."""

    def __init__(
        self,
        address: str,
        token: str | None,
        tls: TLS,
        timeout: float | None,
        max_message_bytes: int,
        retries: int,
    ) -> None:
        if max_message_bytes <= 0:
            raise ValueError(f"max_message_bytes must be positive, got {max_message_bytes}")
        if retries < 0 or retries > 4:  # gRPC caps maxAttempts at 5
            raise ValueError(f"retries must be in [0, 4], got {retries}")
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
