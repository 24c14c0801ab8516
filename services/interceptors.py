"""A base for the api's server interceptors: see each call's method, swap its handler.

grpc.aio interceptors get a continuation and must return a method handler; auth (refuse the
call) and metrics (time the call) both only need "given this call and its handler, which handler
runs instead". ``HandlerInterceptor.replace`` is that question, asked once per call.
"""

from __future__ import annotations

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
