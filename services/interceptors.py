"""A base for the api's server interceptors: see each call's method, swap its handler.

grpc.aio interceptors get a continuation and must return a method handler; auth (refuse the
call) and metrics (time the call) both only need "given this call and its handler, which handler
runs instead". ``HandlerInterceptor.replace`` is that question, asked once per call.
``ParseGuardInterceptor`` uses it to answer request bytes that do not parse.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import grpc

if TYPE_CHECKING:  # generic only in the type stubs
    ServerInterceptor = grpc.aio.ServerInterceptor[Any, Any]
    Handler = grpc.RpcMethodHandler[Any, Any]
else:
    ServerInterceptor = grpc.aio.ServerInterceptor
    Handler = grpc.RpcMethodHandler
Behaviour = Callable[[Any, grpc.aio.ServicerContext[Any, Any]], Any]


class HandlerInterceptor(ServerInterceptor):
    """Calls ``replace(call, handler)`` for every call and runs the handler it returns."""

    def replace(self, call: grpc.HandlerCallDetails, handler: Handler) -> Handler:
        """The handler to run for ``call`` (its method path and its metadata)."""
        raise NotImplementedError

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[Handler]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> Handler:
        handler = await continuation(handler_call_details)
        if handler is None:  # unknown method: let gRPC answer UNIMPLEMENTED
            return handler
        return self.replace(handler_call_details, handler)


def same_kind(handler: Handler, behaviour: Behaviour) -> Handler:
    """A handler like ``handler`` (unary or server-streaming, same (de)serializers) running
    ``behaviour`` instead."""
    kwargs = {
        "request_deserializer": handler.request_deserializer,
        "response_serializer": handler.response_serializer,
    }
    if handler.unary_stream is not None:
        return grpc.unary_stream_rpc_method_handler(behaviour, **kwargs)
    return grpc.unary_unary_rpc_method_handler(behaviour, **kwargs)


class Unparseable:
    """What a request's bytes deserialize to when they are not a valid message of its type."""

    def __init__(self, error: Exception) -> None:
        self.error = error


class BurstLog:
    """Logs the first of a burst of like events, then at most one summary per ``every_s``."""

    def __init__(self, log: logging.Logger, every_s: float = 10.0) -> None:
        self._log = log
        self._every_s = every_s
        self._last = -math.inf
        self._suppressed = 0

    def warning(self, message: str, *args: object) -> None:
        """Log ``message`` unless one was logged within ``every_s``; then count it instead."""
        now = time.monotonic()
        if now - self._last < self._every_s:
            self._suppressed += 1
            return
        if self._suppressed:
            message += f" ({self._suppressed} more since the last report)"
        self._suppressed = 0
        self._last = now
        self._log.warning(message, *args)


class ParseGuardInterceptor(HandlerInterceptor):
    """Answers INVALID_ARGUMENT for request bytes that do not parse, instead of gRPC's UNKNOWN
    with a traceback per call (a cheap way to flood the log): logged once per burst at most.

    It must be the innermost interceptor (last in the server's list): the others copy the
    deserializer it wraps."""

    def __init__(self, log: logging.Logger) -> None:
        self._log = BurstLog(log)

    def replace(self, call: grpc.HandlerCallDetails, handler: Handler) -> Handler:
        """The handler with a deserializer that never raises, refusing what it could not read."""
        parse = handler.request_deserializer
        if parse is None:
            return handler
        method = call.method

        def guarded(data: bytes) -> Any:
            try:
                return parse(data)
            except Exception as e:  # protobuf's DecodeError, or a field's bad UTF-8
                return Unparseable(e)

        async def refuse(context: grpc.aio.ServicerContext[Any, Any], bad: Unparseable) -> None:
            self._log.warning("unparseable request to %s: %s", method, bad.error)
            await context.abort(
                grpc.StatusCode.INVALID_ARGUMENT,
                f"the request is not a valid {method.rsplit('/', 1)[-1]} request message",
            )

        kwargs = {
            "request_deserializer": guarded,
            "response_serializer": handler.response_serializer,
        }
        if handler.unary_stream is not None:
            stream: Any = handler.unary_stream

            async def streamed(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> Any:
                if isinstance(request, Unparseable):
                    await refuse(context, request)
                async for response in stream(request, context):
                    yield response

            return grpc.unary_stream_rpc_method_handler(streamed, **kwargs)
        if handler.unary_unary is None:
            return handler  # client streaming: not used by the api
        unary: Any = handler.unary_unary

        async def answered(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> Any:
            if isinstance(request, Unparseable):
                await refuse(context, request)
            return await unary(request, context)

        return grpc.unary_unary_rpc_method_handler(answered, **kwargs)
