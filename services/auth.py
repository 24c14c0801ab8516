"""Optional bearer-token authentication for the api.

With ``LATENTGAN_AUTH_TOKEN`` set, every RPC must carry ``authorization: Bearer <token>`` metadata
or is answered UNAUTHENTICATED. The health and reflection services stay open, so load balancers
and tools like grpcurl can probe a server without the secret.
"""

from __future__ import annotations

import hmac
from typing import Any

import grpc

from services.interceptors import Handler, HandlerInterceptor, same_kind

OPEN_PREFIXES = ("/grpc.health.v1.", "/grpc.reflection.")


class BearerTokenInterceptor(HandlerInterceptor):
    """Refuses calls without the configured bearer token."""

    def __init__(self, token: str) -> None:
        self._expected = f"Bearer {token}".encode()

    def check(self, metadata: Any) -> str | None:
        """Why a call with this metadata is refused, or None if it may go on."""
        given = dict(metadata or ()).get("authorization", "")
        given_bytes = given.encode() if isinstance(given, str) else bytes(given)
        if not given_bytes:
            return "missing `authorization: Bearer <token>` metadata"
        if not hmac.compare_digest(given_bytes, self._expected):
            return "invalid bearer token"
        return None

    def replace(self, call: grpc.HandlerCallDetails, handler: Handler) -> Handler:
        """The handler itself, or one that answers UNAUTHENTICATED."""
        if call.method.startswith(OPEN_PREFIXES):
            return handler
        refusal = self.check(call.invocation_metadata)
        if refusal is None:
            return handler

        async def refuse(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> Any:
            await context.abort(grpc.StatusCode.UNAUTHENTICATED, refusal)

        return same_kind(handler, refuse)
