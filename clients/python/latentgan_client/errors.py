# ruff: noqa: N818  (the classes are named after gRPC status codes, as Google's clients do)
"""Exceptions raised by latentgan_client: one tree, rooted at LatentganError.

Every failed gRPC call is re-raised as the class of its status code, carrying the code, the
server's message and, for bad input, the request fields it names (the server attaches a
google.rpc.BadRequest detail), so callers can catch what they can handle by type::

    LatentganError              any failure; .code, .message, .field, .fields
     ├── InvalidArgument        bad request value; .field names it
     │    └── InvalidArgumentValue    ... refused by the SDK before any call (also a ValueError)
     │         └── InvalidArgumentType  ... because it is of the wrong type (also a TypeError)
     ├── NotFound               unknown model, version or job
     ├── ResourceExhausted      the generation queue is full (retry later)
     ├── Unavailable            a backend is down (retry later)
     ├── DeadlineExceeded       the call's timeout passed
     ├── Unauthenticated        missing or wrong token
     ├── PermissionDenied       the token may not do this
     ├── Unimplemented          the server does not offer this method
     ├── FailedPrecondition     the request does not fit the current state
     └── JobError               a waited-for training job ended without a model; .job
          ├── JobFailed         ... because it failed (.job.error says why)
          └── JobCancelled      ... because it was cancelled
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import grpc
from google.rpc import (  # ships .pyi but no py.typed
    error_details_pb2,
    status_pb2,
)
from grpc_status import rpc_status

if TYPE_CHECKING:
    from latentgan_client._models import JobInfo

__all__ = [
    "DeadlineExceeded",
    "FailedPrecondition",
    "InvalidArgument",
    "InvalidArgumentType",
    "InvalidArgumentValue",
    "JobCancelled",
    "JobError",
    "JobFailed",
    "LatentganError",
    "NotFound",
    "PermissionDenied",
    "ResourceExhausted",
    "Unauthenticated",
    "Unavailable",
    "Unimplemented",
    "from_rpc_error",
]

STATUS_DETAILS_KEY = "grpc-status-details-bin"


class LatentganError(Exception):
    """A latentgan call failed: its gRPC status code, message and offending fields."""

    def __init__(
        self, code: grpc.StatusCode, message: str, fields: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message
        self.fields: dict[str, str] = dict(fields or {})

    @property
    def field(self) -> str | None:
        """The first request field the server named as wrong, or None."""
        return next(iter(self.fields), None)

    def __str__(self) -> str:
        text = f"{self.code.name}: {self.message}"
        if len(self.fields) == 1:
            return f"{text} (field {self.field})"
        if self.fields:
            return f"{text} (fields {', '.join(self.fields)})"
        return text


class InvalidArgument(LatentganError):
    """INVALID_ARGUMENT: a request value is out of range or malformed; see .field."""


class InvalidArgumentValue(InvalidArgument, ValueError):
    """INVALID_ARGUMENT found by the SDK itself, before any call: a value the request cannot
    carry (an integer outside its field's range, an unknown choice, a malformed array) or that
    the SDK refuses on the server's behalf. `.field` is the argument of the method that holds it
    (`n`, `labels`, `seed_a`, or a train option's name). Also a ValueError, as the SDK's own
    refusals were before they were typed, so ``except ValueError`` keeps working."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(grpc.StatusCode.INVALID_ARGUMENT, message, {field: message})


class InvalidArgumentType(InvalidArgumentValue, TypeError):
    """An InvalidArgumentValue whose value is of the wrong type (a str for an int, a float for a
    label). Also a TypeError."""


class NotFound(LatentganError):
    """NOT_FOUND: no such model, version or job."""


class ResourceExhausted(LatentganError):
    """RESOURCE_EXHAUSTED: the generation queue is full; retry later."""


class Unavailable(LatentganError):
    """UNAVAILABLE: the server or one of its backends is down; retry later."""


class DeadlineExceeded(LatentganError):
    """DEADLINE_EXCEEDED: the call did not finish within its timeout."""


class Unauthenticated(LatentganError):
    """UNAUTHENTICATED: the call carried no token or a wrong one."""


class PermissionDenied(LatentganError):
    """PERMISSION_DENIED: the token is valid but may not do this."""


class Unimplemented(LatentganError):
    """UNIMPLEMENTED: the server does not offer this method."""


class FailedPrecondition(LatentganError):
    """FAILED_PRECONDITION: the request does not fit the current state of things."""


class JobError(LatentganError):
    """A training job that was waited for finished without registering a model."""

    def __init__(self, job: JobInfo, code: grpc.StatusCode, message: str) -> None:
        super().__init__(code, message)
        self.job = job

    def __str__(self) -> str:
        return self.message


class JobFailed(JobError):
    """The training job failed; `job.error` says why. Its code is UNKNOWN."""

    def __init__(self, job: JobInfo) -> None:
        super().__init__(job, grpc.StatusCode.UNKNOWN, f"job {job.id} failed: {job.error}")


class JobCancelled(JobError):
    """The training job was cancelled. Its code is CANCELLED."""

    def __init__(self, job: JobInfo) -> None:
        super().__init__(job, grpc.StatusCode.CANCELLED, f"job {job.id} was cancelled")


_ERROR_CLASSES: dict[grpc.StatusCode, type[LatentganError]] = {
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgument,
    grpc.StatusCode.NOT_FOUND: NotFound,
    grpc.StatusCode.RESOURCE_EXHAUSTED: ResourceExhausted,
    grpc.StatusCode.UNAVAILABLE: Unavailable,
    grpc.StatusCode.DEADLINE_EXCEEDED: DeadlineExceeded,
    grpc.StatusCode.UNAUTHENTICATED: Unauthenticated,
    grpc.StatusCode.PERMISSION_DENIED: PermissionDenied,
    grpc.StatusCode.UNIMPLEMENTED: Unimplemented,
    grpc.StatusCode.FAILED_PRECONDITION: FailedPrecondition,
}


def error_for_status(
    code: grpc.StatusCode, message: str, status: status_pb2.Status | None = None
) -> LatentganError:
    """The exception for a status code and message, with the fields of any BadRequest detail."""
    fields: dict[str, str] = {}
    for detail in status.details if status is not None else ():
        bad_request = error_details_pb2.BadRequest()
        if detail.Unpack(bad_request):
            for violation in bad_request.field_violations:
                known = fields.get(violation.field)
                description = violation.description
                fields[violation.field] = f"{known}; {description}" if known else description
    return _ERROR_CLASSES.get(code, LatentganError)(code, message, fields)


def status_from_metadata(metadata: Iterable[Any] | None) -> status_pb2.Status | None:
    """The google.rpc.Status the server put in the trailing metadata, if any."""
    for key, value in metadata or ():
        if key == STATUS_DETAILS_KEY and isinstance(value, bytes):
            return status_pb2.Status.FromString(value)
    return None


def from_rpc_error(error: grpc.RpcError) -> LatentganError:
    """Translate a failed call (sync or grpc.aio) into its typed exception."""
    code = error.code()
    message = error.details() or ""
    status: status_pb2.Status | None = None
    if isinstance(error, grpc.Call) and not isinstance(error, grpc.aio.AioRpcError):
        try:
            status = rpc_status.from_call(error)
        except ValueError:  # status proto disagrees with the call's own code or message
            status = status_from_metadata(error.trailing_metadata())
    else:
        status = status_from_metadata(error.trailing_metadata())
    return error_for_status(code, message, status)


@contextmanager
def translated_errors() -> Iterator[None]:
    """Re-raise any grpc.RpcError inside the block as its LatentganError (for both clients)."""
    try:
        yield
    except grpc.RpcError as error:
        raise from_rpc_error(error) from error
