"""gRPC status answers with google.rpc rich details: what a client sees when a call fails.

Every failure the api returns goes through ``abort``, so codes and BadRequest details are built in
one place, and bounded there: a Python client refuses trailing metadata over 8 KiB (it reports
RESOURCE_EXHAUSTED "Stream removed" instead of the status sent), so however long the values a
request echoes, the message, each violation and their number are cut to fit well inside that.
Clients read the details from the ``grpc-status-details-bin`` trailer (the Python SDK's typed
exceptions expose them as ``.field``/``.fields``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NoReturn

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from services.validation import FieldViolation

MAX_MESSAGE_BYTES = 512  # the message travels twice: grpc-message (percent-encoded) and the detail
MAX_DESCRIPTION_BYTES = 256
MAX_FIELD_BYTES = 128
MAX_VIOLATIONS = 8  # a BadRequest names the first ones; the message says how many more


def bounded(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` bytes of UTF-8 (on a character boundary), marked "…"."""
    data = text.encode()
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode(errors="ignore") + "…"


def rich_status(
    code: grpc.StatusCode, message: str, violations: Sequence[FieldViolation] = ()
) -> grpc.Status:
    """A status with ``message`` and, if any, a BadRequest detail listing ``violations``, each
    part bounded (``MAX_*``) so that the whole fits a client's trailing-metadata limit."""
    details = []
    more = ""
    if len(violations) > MAX_VIOLATIONS:
        more = f" (and {len(violations) - MAX_VIOLATIONS} more bad fields)"
        violations = violations[:MAX_VIOLATIONS]
    message = bounded(message, MAX_MESSAGE_BYTES - len(more)) + more
    if violations:
        bad = error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(
                    field=bounded(v.field, MAX_FIELD_BYTES),
                    description=bounded(v.description, MAX_DESCRIPTION_BYTES),
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
