"""services.status: a status's message and details stay inside a client's metadata limit."""

from __future__ import annotations

import grpc
import pytest
from google.rpc import error_details_pb2, status_pb2

from services.status import MAX_VIOLATIONS, rich_status
from services.validation import FieldViolation

CLIENT_METADATA_LIMIT = 8 * 1024  # grpc.max_metadata_size's default in a Python client


def _metadata_bytes(status: grpc.Status) -> int:
    """What the status's trailing metadata weighs on the wire: grpc-message goes
    percent-encoded, the details base64-encoded."""
    details = dict(status.trailing_metadata)["grpc-status-details-bin"]
    message = status_pb2.Status.FromString(details).message.encode()
    encoded = sum(1 if 0x20 <= b < 0x7F and b != 0x25 else 3 for b in message)
    return encoded + (len(details) + 2) // 3 * 4


@pytest.mark.parametrize("char", ["x", "é", "漢", "\U0001f600"])
def test_huge_echoed_values_still_fit_the_clients_metadata_limit(char: str) -> None:
    value = char * 5000
    violations = [FieldViolation(f"field{i}.{value}", f"bad {value}") for i in range(50)]
    status = rich_status(grpc.StatusCode.INVALID_ARGUMENT, f"model {value} is bad", violations)
    assert _metadata_bytes(status) < CLIENT_METADATA_LIMIT
    details = status_pb2.Status.FromString(
        dict(status.trailing_metadata)["grpc-status-details-bin"]
    )
    bad = error_details_pb2.BadRequest()
    assert details.details[0].Unpack(bad)
    assert len(bad.field_violations) == MAX_VIOLATIONS
    assert details.message.startswith("model ") and details.message.endswith(
        "(and 42 more bad fields)"
    )
    assert bad.field_violations[0].field.startswith("field0.")


def test_short_answers_are_sent_whole() -> None:
    status = rich_status(grpc.StatusCode.NOT_FOUND, "no model 'x'", [FieldViolation("model", "no")])
    details = status_pb2.Status.FromString(
        dict(status.trailing_metadata)["grpc-status-details-bin"]
    )
    assert details.message == "no model 'x'"
    assert status.code == grpc.StatusCode.NOT_FOUND


def test_the_count_of_fields_left_out_is_said() -> None:
    violations = [FieldViolation(f"f{i}", "bad") for i in range(MAX_VIOLATIONS + 3)]
    status = rich_status(grpc.StatusCode.INVALID_ARGUMENT, "bad request", violations)
    details = status_pb2.Status.FromString(
        dict(status.trailing_metadata)["grpc-status-details-bin"]
    )
    assert details.message == "bad request (and 3 more bad fields)"
