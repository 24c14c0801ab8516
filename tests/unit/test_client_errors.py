"""Tests for latentgan_client.errors: gRPC failures become typed exceptions naming the field."""

from __future__ import annotations

from typing import Any

import grpc
import pytest
from google.protobuf import any_pb2
from google.rpc import (
    code_pb2,
    error_details_pb2,
    status_pb2,
)

from latentgan_client import errors
from latentgan_client._convert import job_info
from latentgan_client.v1 import latentgan_pb2 as pb

MESSAGE = "n: must be in [1, 256]"


def _status_bytes(code: int, message: str, violations: list[tuple[str, str]]) -> bytes:
    """The grpc-status-details-bin value a server sends: a google.rpc.Status with a BadRequest."""
    bad_request = error_details_pb2.BadRequest()
    for field, description in violations:
        bad_request.field_violations.add(field=field, description=description)
    detail = any_pb2.Any()
    detail.Pack(bad_request)
    status: bytes = status_pb2.Status(
        code=code, message=message, details=[detail]
    ).SerializeToString()
    return status


class _SyncCallError(grpc.RpcError, grpc.Call):
    """What a sync stub raises: an RpcError that is also the finished Call."""

    def __init__(
        self, code: grpc.StatusCode, details: str, trailing: tuple[tuple[str, bytes], ...]
    ):
        self._code, self._details, self._trailing = code, details, trailing

    def code(self) -> grpc.StatusCode:
        return self._code

    def details(self) -> str:
        return self._details

    def trailing_metadata(self) -> Any:  # the stubs of RpcError and Call disagree
        return self._trailing

    def initial_metadata(self) -> tuple[tuple[str, bytes], ...]:
        return ()

    def is_active(self) -> bool:
        return False

    def time_remaining(self) -> float:
        return 0.0

    def cancel(self) -> None:
        pass

    def add_callback(self, callback: object) -> bool:
        return False


def _aio_error(code: grpc.StatusCode, details: str, trailing: bytes | None) -> grpc.aio.AioRpcError:
    metadata = grpc.aio.Metadata()
    if trailing is not None:
        metadata.add(errors.STATUS_DETAILS_KEY, trailing)
    return grpc.aio.AioRpcError(code, grpc.aio.Metadata(), metadata, details, None)


def test_sync_invalid_argument_names_its_field() -> None:
    trailing = _status_bytes(code_pb2.INVALID_ARGUMENT, MESSAGE, [("n", "must be in [1, 256]")])
    call = _SyncCallError(
        grpc.StatusCode.INVALID_ARGUMENT, MESSAGE, (("grpc-status-details-bin", trailing),)
    )
    error = errors.from_rpc_error(call)
    assert type(error) is errors.InvalidArgument
    assert (error.code, error.message, error.field) == (
        grpc.StatusCode.INVALID_ARGUMENT,
        MESSAGE,
        "n",
    )
    assert error.fields == {"n": "must be in [1, 256]"}
    assert str(error) == "INVALID_ARGUMENT: n: must be in [1, 256] (field n)"


def test_aio_error_reads_the_trailing_metadata() -> None:
    violations = [("latents", "must be finite"), ("labels", "one per image"), ("latents", "2-D")]
    trailing = _status_bytes(code_pb2.INVALID_ARGUMENT, "bad request", violations)
    error = errors.from_rpc_error(
        _aio_error(grpc.StatusCode.INVALID_ARGUMENT, "bad request", trailing)
    )
    assert isinstance(error, errors.InvalidArgument)
    assert error.field == "latents"
    assert error.fields == {"latents": "must be finite; 2-D", "labels": "one per image"}
    assert str(error) == "INVALID_ARGUMENT: bad request (fields latents, labels)"


def test_a_status_that_disagrees_with_the_call_still_gives_its_fields() -> None:
    trailing = _status_bytes(code_pb2.INVALID_ARGUMENT, "other words", [("steps", "too many")])
    call = _SyncCallError(
        grpc.StatusCode.INVALID_ARGUMENT, MESSAGE, (("grpc-status-details-bin", trailing),)
    )
    assert errors.from_rpc_error(call).field == "steps"


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        (grpc.StatusCode.NOT_FOUND, errors.NotFound),
        (grpc.StatusCode.RESOURCE_EXHAUSTED, errors.ResourceExhausted),
        (grpc.StatusCode.UNAVAILABLE, errors.Unavailable),
        (grpc.StatusCode.DEADLINE_EXCEEDED, errors.DeadlineExceeded),
        (grpc.StatusCode.UNAUTHENTICATED, errors.Unauthenticated),
        (grpc.StatusCode.PERMISSION_DENIED, errors.PermissionDenied),
        (grpc.StatusCode.UNIMPLEMENTED, errors.Unimplemented),
        (grpc.StatusCode.FAILED_PRECONDITION, errors.FailedPrecondition),
        (grpc.StatusCode.INTERNAL, errors.LatentganError),
        (grpc.StatusCode.UNKNOWN, errors.LatentganError),
    ],
)
def test_codes_map_to_classes(code: grpc.StatusCode, cls: type[errors.LatentganError]) -> None:
    for raised in (_SyncCallError(code, "why", ()), _aio_error(code, "why", None)):
        error = errors.from_rpc_error(raised)
        assert type(error) is cls
        assert (error.field, error.fields) == (None, {})
        assert str(error) == f"{code.name}: why"


def test_translated_errors_keeps_the_grpc_error_as_cause() -> None:
    raised = _aio_error(grpc.StatusCode.NOT_FOUND, "model x not found", None)
    with pytest.raises(errors.NotFound) as caught, errors.translated_errors():
        raise raised
    assert caught.value.__cause__ is raised


def test_job_errors_carry_the_job() -> None:
    failed = job_info(pb.TrainJob(id="j7", state=pb.JOB_STATE_FAILED, error="out of memory"))
    error = errors.JobFailed(failed)
    assert isinstance(error, errors.LatentganError)
    assert error.job is failed
    assert str(error) == "job j7 failed: out of memory"
    cancelled = errors.JobCancelled(failed)
    assert cancelled.code == grpc.StatusCode.CANCELLED
