"""gRPC status answers with google.rpc rich details: what a client sees when a call fails.

Every failure the api returns goes through ``abort``, so codes and BadRequest details are built in
one place. Clients read the details from the ``grpc-status-details-bin`` trailer (the Python SDK's
typed exceptions expose them as ``.field``/``.fields``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NoReturn

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from services.validation import FieldViolation


def rich_status(
    code: grpc.StatusCode, message: str, violations: Sequence[FieldViolation] = ()
) -> grpc.Status:
    """A status with ``message`` and, if any, a BadRequest detail listing ``violations``."""
    details = []
    if violations:
        bad = error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(
                    field=v.field, description=v.description
                )
                for v in violations
            ]
        )
        packed = any_pb2.Any()
        packed.Pack(bad)
        details.append(packed)
    number = code_pb2.Code.Value(code.name)
    return rpc_status.to_status(status_pb2.Status(code=number, message=message, details=details))


async def abort(
    context: grpc.aio.ServicerContext[object, object],
    code: grpc.StatusCode,
    message: str,
    violations: Sequence[FieldViolation] = (),
) -> NoReturn:
    """End the call with ``code``, ``message`` and field violations as BadRequest details."""
    status = rich_status(code, message, violations)
    await context.abort(status.code, status.details, status.trailing_metadata)
    raise AssertionError("unreachable: context.abort raises")  # for type checkers
