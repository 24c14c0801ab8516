"""The ``latentgan`` command: train, sample, interpolate, evaluate, list models; here or remotely.

A thin layer over the library: parse flags, call one function, print the outcome. A user's mistake
is one line on stderr and a non-zero exit (2 for a malformed command line, 1 for a request that
cannot be served); only a bug in latentgan shows a traceback.

Each command is defined once (``latentgan.cli.commands``). ``latentgan remote COMMAND`` is the
same command run through a platform's api by the remote backend that the serving layer provides
(``latentgan.backends`` entry points); other parts of the platform add subcommands of their own
through the ``latentgan.commands`` group (``serve``, ``worker``, ``up``, ...). So this package never
imports gRPC, Redis or Prefect.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from contextlib import AbstractContextManager
from importlib.metadata import entry_points
from typing import Any, NoReturn

from latentgan.cli.backends import LocalBackend, RemoteBackendClass, remote_backend
from latentgan.cli.commands import COMMANDS, Command
from latentgan.errors import LatentganError
from latentgan.settings import get_settings

__all__ = ["build_parser", "main"]

COMMANDS_GROUP = "latentgan.commands"  # entry points adding subcommands (serve, worker, up)
EXIT_USAGE = 2
EXIT_ERROR = 1


class _Parser(argparse.ArgumentParser):
    """argparse, but a malformed command line is one line, not a usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The full command line, subcommand by subcommand."""
    parser = _Parser(
        prog="latentgan",
        description="Train GANs and explore their latent spaces.",
        epilog="Models are named NAME (latest version), NAME@VERSION, or a directory path. "
        "The store lives in $LATENTGAN_DATA_DIR (default ~/.latentgan).",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for command in COMMANDS:
        if command.local:
            _add(sub, command, local=True)
    remote = remote_backend()
    if remote is not None:
        _add_remote(sub, remote)
    for entry in entry_points(group=COMMANDS_GROUP):
        entry.load()(sub)
    return parser


def _add(sub: Any, command: Command, local: bool) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(command.name, help=command.help)
    command.add_flags(p, local)
    p.set_defaults(handler=command.run, local=local)
    return p


def _add_remote(sub: Any, backend: RemoteBackendClass) -> None:
    p = sub.add_parser(
        "remote", help="train, follow jobs, sample, interpolate or list models through an api"
    )
    remote = p.add_subparsers(dest="remote_command", required=True, parser_class=_Parser)
    for command in COMMANDS:
        if command.remote:
            q = _add(remote, command, local=False)
            backend.add_flags(q)
            q.set_defaults(backend=backend)


def _backend(args: argparse.Namespace) -> AbstractContextManager[Any]:
    """The backend ARGS run on: the remote one for `remote` commands, else this machine."""
    if args.local:
        return LocalBackend(get_settings())
    backend: RemoteBackendClass = args.backend
    return backend(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``latentgan`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if not hasattr(args, "local"):  # a subcommand of another layer (serve, up, ...)
            return int(args.handler(args))
        with _backend(args) as backend:
            return int(args.handler(args, backend))
    except LatentganError as e:
        print(f"latentgan {args.command}: error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as e:  # a path the user gave that cannot be read or written
        where = f": {e.filename}" if e.filename else ""
        print(f"latentgan {args.command}: error: {e.strerror or e}{where}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(f"latentgan {args.command}: interrupted", file=sys.stderr)
        return 130
