"""The error-to-status table: each row gives its documented status, message and field."""

from __future__ import annotations

import logging

import grpc
import pytest
import redis

import services.errors
from flows import errors as jobs
from latentgan import errors as core
from services.errors import BUG, STATUSES, answer_for, rule_for
from services.queue import GenerationReply, QueueFullError
from services.validation import FieldViolation, InvalidRequestError
from services.worker import _error_reply

C = grpc.StatusCode
TWO_FIELDS = [FieldViolation("n", "big"), FieldViolation("labels", "many")]
REDIS_DOWN = "Redis is unavailable: retry"

# (error, status, the fields a client is told, the message it reads)
EXAMPLES: list[tuple[Exception, grpc.StatusCode, list[str], str]] = [
    (InvalidRequestError(TWO_FIELDS), C.INVALID_ARGUMENT, ["n", "labels"], "n: big; labels: many"),
    (core.ConfigError("psi>1", field="truncation"), C.INVALID_ARGUMENT, ["truncation"], "psi>1"),
    (core.ConfigError("no such loss"), C.INVALID_ARGUMENT, [], "no such loss"),
    (core.DatasetError("cannot read x"), C.INVALID_ARGUMENT, ["dataset"], "cannot read x"),
    (core.DatasetError("bad", field="options.data"), C.INVALID_ARGUMENT, ["options.data"], "bad"),
    (core.ModelNotFoundError("no model x"), C.NOT_FOUND, ["model"], "no model x"),
    (core.ModelNotFoundError("no v3", field="version"), C.NOT_FOUND, ["version"], "no v3"),
    (core.DirectionNotFoundError("no sefa:99"), C.NOT_FOUND, ["direction_id"], "no sefa:99"),
    (core.DirectionNotFoundError("x", field="mix.weights"), C.NOT_FOUND, ["mix.weights"], "x"),
    (jobs.JobNotFoundError("no job j"), C.NOT_FOUND, ["job_id"], "no job j"),
    (core.ArtifactError("corrupt manifest"), C.FAILED_PRECONDITION, [], "corrupt manifest"),
    (jobs.OrchestratorNotConfiguredError("no Prefect"), C.FAILED_PRECONDITION, [], "no Prefect"),
    (jobs.OrchestratorUnavailableError("Prefect down"), C.UNAVAILABLE, [], "Prefect down: retry"),
    (core.LatentganError("cannot", field="model"), C.INVALID_ARGUMENT, ["model"], "cannot"),
    (QueueFullError("full"), C.RESOURCE_EXHAUSTED, [], "full: retry with backoff"),
    (redis.ConnectionError("refused"), C.UNAVAILABLE, [], REDIS_DOWN),
    (redis.TimeoutError("slow"), C.UNAVAILABLE, [], REDIS_DOWN),
    (KeyError("a bug's internals"), C.INTERNAL, [], BUG.message or ""),
]  # fmt: skip
IDS = [f"{type(e).__name__}-{i}" for i, (e, *_) in enumerate(EXAMPLES)]


@pytest.mark.parametrize(("error", "code", "fields", "message"), EXAMPLES, ids=IDS)
def test_each_error_gets_its_documented_status(
    error: Exception, code: grpc.StatusCode, fields: list[str], message: str
) -> None:
    answer = answer_for(error)
    assert (answer.code, [v.field for v in answer.violations], answer.message) == (
        code,
        fields,
        message,
    )
    assert answer.code != C.UNKNOWN
    assert answer.field == (fields[0] if fields else None)
    if not isinstance(error, InvalidRequestError):
        assert all(v.description == str(error) for v in answer.violations)


def test_every_row_has_an_example_and_none_is_shadowed() -> None:
    """A row added without a test fails here; so does a base class placed before a subclass."""
    assert {rule_for(e) for e, *_ in EXAMPLES} == set(STATUSES.values()) | {BUG}
    for cls in STATUSES:
        assert any(type(e) is cls for e, *_ in EXAMPLES), f"no example of {cls.__name__}"
    rows = list(STATUSES)
    for i, earlier in enumerate(rows):
        for later in rows[i + 1 :]:
            assert not issubclass(later, earlier), f"{earlier.__name__} hides {later.__name__}"


def test_the_docstring_is_the_table() -> None:
    """The module's documentation lists every row with the status the code gives it."""
    doc = services.errors.__doc__ or ""
    lines = [
        line
        for line in doc.splitlines()
        if line.startswith(("services.", "latentgan.", "flows.", "redis."))
    ]
    for cls, rule in STATUSES.items():
        documented = [line for line in lines if f".{cls.__name__}" in line]
        assert documented and rule.code.name in documented[0], cls.__name__
    assert "anything else (a bug)" in doc and BUG.code.name in doc


def test_bugs_are_logged_with_their_traceback_and_outages_as_warnings(
    caplog: pytest.LogCaptureFixture,
) -> None:
    log = logging.getLogger("test.errors")
    with caplog.at_level(logging.INFO, logger="test.errors"):
        try:
            raise ValueError("boom")
        except ValueError as e:
            answer_for(e, log, "Sample")
        answer_for(redis.ConnectionError("refused"), log, "Sample")
        answer_for(
            core.ConfigError("bad", field="n"), log, "Sample"
        )  # the caller's mistake: not logged
    bug, outage = caplog.records
    assert bug.levelno == logging.ERROR and bug.exc_info is not None
    assert bug.getMessage() == "Sample failed" and "boom" in caplog.text
    assert outage.levelno == logging.WARNING and "UNAVAILABLE" in outage.getMessage()


@pytest.mark.parametrize(("error", "code", "fields", "message"), EXAMPLES, ids=IDS)
def test_a_worker_codes_its_reply_by_the_same_table(
    error: Exception, code: grpc.StatusCode, fields: list[str], message: str
) -> None:
    """What the worker sends is what the api answers: code name, message, first field."""
    reply = GenerationReply.decode(_error_reply(error, "a sample request").encode())
    assert (reply.error_code, reply.error_message) == (code.name, message)
    assert reply.error_field == (fields[0] if fields else None)
    assert reply.images is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/srv/store/models/tiny/1/manifest.json is broken", "…/manifest.json is broken"),
        ("model tiny@1 is broken (/a/b/weights.safetensors is missing)",
         "model tiny@1 is broken (…/weights.safetensors is missing)"),
        ("~/data/x.npz cannot be read", "…/x.npz cannot be read"),
        ("NAME/VERSION, rows × dim and 1/2 stay", "NAME/VERSION, rows × dim and 1/2 stay"),
        ("data/x.npz (relative: the caller's words)", "data/x.npz (relative: the caller's words)"),
    ],
)  # fmt: skip
def test_no_answer_carries_a_server_path(text: str, expected: str) -> None:
    assert services.errors.redact_paths(text) == expected
    answer = answer_for(core.ArtifactError(text, field="model"))
    assert answer.message == expected and answer.violations[0].description == expected


def test_shown_quotes_a_value_boundedly() -> None:
    assert core.shown("tiny") == "'tiny'"
    long = core.shown("漢" * 5000)
    assert len(long) < 80 and long.endswith("… (5000 characters)")
    assert long.removesuffix("… (5000 characters)").isascii()
