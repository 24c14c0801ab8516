"""Which gRPC status a client gets for each error: the one table the api and the workers share.

The api's handlers (``services.api``) answer an exception with ``answer_for``; a generation
worker codes the same answer into its GenerationReply, which the api passes on unchanged. So an
error means the same status wherever it is raised, and none of the project's own errors ever
reaches a client as UNKNOWN.

===========================================  ===================  ==================================
exception                                    status               BadRequest field
===========================================  ===================  ==================================
services.validation.InvalidRequestError      INVALID_ARGUMENT     every violation's path
latentgan.errors.ConfigError                 INVALID_ARGUMENT     its ``field``; none if unset
latentgan.errors.DatasetError                INVALID_ARGUMENT     its ``field``, else ``dataset``
latentgan.errors.ModelNotFoundError          NOT_FOUND            its ``field``, else ``model``
latentgan.errors.DirectionNotFoundError      NOT_FOUND            its field, else ``direction_id``
flows.errors.JobNotFoundError                NOT_FOUND            its ``field``, else ``job_id``
latentgan.errors.ArtifactError               FAILED_PRECONDITION  its ``field``; none if unset
flows.errors.OrchestratorNotConfiguredError  FAILED_PRECONDITION  none
flows.errors.OrchestratorUnavailableError    UNAVAILABLE          none; "...: retry"
latentgan.errors.LatentganError (others)     INVALID_ARGUMENT     its ``field``; none if unset
services.queue.QueueFullError                RESOURCE_EXHAUSTED   none; "...: retry with backoff"
redis.ConnectionError, redis.TimeoutError    UNAVAILABLE          none; "Redis is unavailable..."
anything else (a bug)                        INTERNAL             none; a generic message
===========================================  ===================  ==================================

The message is the error's own text (it is written for the user), with what to do appended for an
outage or a full queue, and every absolute path in it cut to its last part (``…/manifest.json``):
no answer tells a remote caller where the server keeps its files. Why these statuses:

- A DatasetError is a data set that cannot be found, read or understood; a request only meets one
  by naming it (Train's ``dataset``), so it is a bad argument, and the field says which.
- An ArtifactError is a model version on disk that is broken (a corrupt manifest, weights that do
  not match their hash): the request is fine, the system is not in a state to serve it, and
  retrying will not help until the version is repaired or removed: FAILED_PRECONDITION.
- Any other LatentganError is, by the core's definition, a problem the user can fix by asking
  differently: INVALID_ARGUMENT, as the workers have always answered it.
- A bug is INTERNAL: its text may show internals and is no use to the caller, so the client gets a
  generic message and the log gets the traceback.

Rows are tried in order and the first class the error is an instance of decides, so a subclass
comes before its base (LatentganError after all of its subclasses).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import grpc
import redis

from flows.errors import (
    JobNotFoundError,
    OrchestratorNotConfiguredError,
    OrchestratorUnavailableError,
)
from latentgan.errors import (
    ArtifactError,
    ConfigError,
    DatasetError,
    DirectionNotFoundError,
    LatentganError,
    ModelNotFoundError,
)
from services.queue import QueueFullError
from services.validation import FieldViolation, InvalidRequestError

Code = grpc.StatusCode


@dataclass(frozen=True)
class Rule:
    """How one class of error is answered."""

    code: grpc.StatusCode
    field: str | None = None  # the request field named when the error names none itself
    message: str | None = None  # a fixed message instead of the error's own text
    hint: str = ""  # what the caller should do, appended to the message
    outage: bool = False  # something the service needs is down: logged as a warning


@dataclass(frozen=True)
class Answer:
    """What a client sees for one error: the status code, the message and the fields named."""

    code: grpc.StatusCode
    message: str
    violations: tuple[FieldViolation, ...] = ()

    @property
    def field(self) -> str | None:
        """The first field named, or None."""
        return self.violations[0].field if self.violations else None


_REDIS_DOWN = Rule(Code.UNAVAILABLE, message="Redis is unavailable", hint="retry", outage=True)
STATUSES: dict[type[Exception], Rule] = {
    InvalidRequestError: Rule(Code.INVALID_ARGUMENT),
    ConfigError: Rule(Code.INVALID_ARGUMENT),
    DatasetError: Rule(Code.INVALID_ARGUMENT, field="dataset"),
    ModelNotFoundError: Rule(Code.NOT_FOUND, field="model"),
    DirectionNotFoundError: Rule(Code.NOT_FOUND, field="direction_id"),
    JobNotFoundError: Rule(Code.NOT_FOUND, field="job_id"),
    ArtifactError: Rule(Code.FAILED_PRECONDITION),
    OrchestratorNotConfiguredError: Rule(Code.FAILED_PRECONDITION),
    OrchestratorUnavailableError: Rule(Code.UNAVAILABLE, hint="retry", outage=True),
    LatentganError: Rule(Code.INVALID_ARGUMENT),
    QueueFullError: Rule(Code.RESOURCE_EXHAUSTED, hint="retry with backoff"),
    redis.ConnectionError: _REDIS_DOWN,
    redis.TimeoutError: _REDIS_DOWN,
}
"""The table of the module's docstring: error class -> how it is answered, first match wins."""

BUG = Rule(Code.INTERNAL, message="internal error: the server's log has the details")
"""The answer to any exception in no row of STATUSES."""


_ABSOLUTE_PATH = re.compile(
    r"(?<![\w./~-])(?:~|[A-Za-z]:)?[/\\](?:[^\s'\"/\\:,;()]+[/\\])+(?=[^\s/\\])"
)


def redact_paths(text: str) -> str:
    """``text`` with the folders of every absolute path left out: ``/srv/store/models/a/1/x``
    becomes ``…/x``."""
    return _ABSOLUTE_PATH.sub("…/", text)


def rule_for(error: Exception) -> Rule:
    """The row of STATUSES that decides ``error``'s status (BUG if none does)."""
    return next((rule for cls, rule in STATUSES.items() if isinstance(error, cls)), BUG)


def _violations(error: Exception, rule: Rule) -> tuple[FieldViolation, ...]:
    if isinstance(error, InvalidRequestError):
        return tuple(error.violations)
    where = (error.field if isinstance(error, LatentganError) else None) or rule.field
    return (FieldViolation(where, redact_paths(str(error))),) if where else ()


def answer_for(error: Exception, log: logging.Logger | None = None, what: str = "call") -> Answer:
    """The status ``error`` is answered with, by the table; logged to ``log`` if given: an outage
    as a warning, a bug with its traceback (``what`` says what failed)."""
    rule = rule_for(error)
    message = rule.message or redact_paths(str(error))
    if rule.hint:
        message = f"{message}: {rule.hint}"
    if log is not None and rule is BUG:
        log.error("%s failed", what, exc_info=error)
    elif log is not None and rule.outage:
        log.warning("%s answered %s: %s", what, rule.code.name, error)
    return Answer(rule.code, message, _violations(error, rule))
