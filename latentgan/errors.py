"""The exceptions latentgan raises for problems a user can fix.

    LatentganError                 every error meant for a user: one clear line, no traceback
     ├── ConfigError               a parameter out of range or a combination that cannot work
     ├── DatasetError              a data set that cannot be found, read or downloaded
     ├── ModelNotFoundError        no model (or version) by that reference in the artifact store
     ├── DirectionNotFoundError    no direction by that id for the model version
     └── ArtifactError             a model directory that is incomplete or inconsistent

Anything else that escapes is a bug in latentgan, and is allowed to show its traceback. The gRPC
status each of these reaches a client with is decided in one table, ``services/errors.py``.
"""

from __future__ import annotations


class LatentganError(Exception):
    """Base of every error whose message is meant for the user.

    ``field`` names the offending input (a CLI flag, an RPC field) when there is one, so that the
    CLI and the gRPC layer can point at it.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ConfigError(LatentganError):
    """A parameter is out of range, or parameters do not fit together."""


class DatasetError(LatentganError):
    """A data set cannot be found, read, understood or downloaded."""


class ModelNotFoundError(LatentganError):
    """No model, or no such version of it, in the artifact store."""


class DirectionNotFoundError(LatentganError):
    """No direction with that id has been computed for the model version."""


class ArtifactError(LatentganError):
    """A model or checkpoint on disk is incomplete, corrupt, or does not match its manifest."""


SHOWN_CHARS = 48
"""How much of a user's value an error message quotes: enough to recognise it, never enough to
make a message (or a gRPC status's trailing metadata) as large as the value."""


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """``value`` quoted for an error message, as Python's ``ascii()`` writes it, cut to about
    ``limit`` characters with its full length said when it is longer."""
    text = ascii(value)
    if len(text) <= limit:
        return text
    length = f" ({len(value)} characters)" if isinstance(value, str | bytes) else ""
    return f"{text[:limit]}…{length}"
