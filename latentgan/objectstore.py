"""Files under a URL, ``file://`` or ``s3://``: the operations the artifact store needs of one.

The store on a URL (docs/architecture.md, decision 10) keeps one layout on any filesystem that
fsspec reaches. Keys are ``/``-separated paths relative to the URL's prefix. Object stores have
no rename, so what must be atomic is built from two primitives both filesystems offer:

- an object is written whole or not at all (S3 PUT; a local write goes to a temporary file that
  is then moved into place), so a reader never sees half an object;
- ``create`` writes only if nothing is there yet, atomically: S3's ``If-None-Match: *`` (through
  s3fs's ``mode="create"``), a hard link locally. Of concurrent creates of one key exactly one
  wins (tests/objectstore_contract.py, eight callers at once).

``claim_next`` builds the version numbers of a registration on ``create``: consecutive, none
given twice, whatever runs at the same time on any machine.
"""

from __future__ import annotations

import os
import posixpath
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import fsspec

from latentgan.errors import ConfigError

SCHEMES = ("file", "s3")


def _split(url: str) -> tuple[str, str]:
    """(scheme, path) of a store URL; a bare path is a local one."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return "file", url
    if scheme not in SCHEMES:
        raise ConfigError(
            f"store URL scheme {scheme!r} is not one of {', '.join(SCHEMES)}", field="store_url"
        )
    return scheme, rest


class ObjectStore:
    """Objects under ``url``: ``file:///abs/path`` (or a bare path) or ``s3://bucket/prefix``.

    For S3, credentials and region come from the usual AWS variables; ``endpoint_url`` points
    at an S3-compatible server (MinIO, moto) instead of AWS."""

    def __init__(self, url: str, *, endpoint_url: str | None = None) -> None:
        scheme, path = _split(url)
        self.url = url
        self.scheme = scheme
        options: dict[str, Any] = {}
        if scheme == "s3":
            bucket = path.split("/", 1)[0]
            if not bucket:
                raise ConfigError(f"store URL {url!r} names no bucket", field="store_url")
            # Listings must be current: a version another machine registered a moment ago
            # has to be seen by the next call, not after a cache expires.
            options["use_listings_cache"] = False
            options["skip_instance_cache"] = True
            if endpoint_url:
                options["client_kwargs"] = {"endpoint_url": endpoint_url}
        else:
            path = os.path.abspath(os.path.expanduser(path))
        self.fs: fsspec.AbstractFileSystem = fsspec.filesystem(scheme, **options)
        self.root = path.rstrip("/")

    def __repr__(self) -> str:
        return f"ObjectStore({self.url!r})"

    def path(self, key: str) -> str:
        """The filesystem path of ``key``."""
        return posixpath.join(self.root, key) if key else self.root

    def read(self, key: str) -> bytes:
        """The object's bytes; FileNotFoundError if there is none."""
        data: bytes = self.fs.cat_file(self.path(key))
        return data

    def write(self, key: str, data: bytes) -> None:
        """Put ``data`` at ``key``, replacing what was there; readers see the old or the new."""
        target = self.path(key)
        if self.scheme == "s3":
            self.fs.pipe_file(target, data)
            return
        self.fs.makedirs(posixpath.dirname(target), exist_ok=True)
        os.replace(self._temporary(target, data), target)

    def create(self, key: str, data: bytes) -> bool:
        """Put ``data`` at ``key`` only if nothing is there; True if this call created it."""
        target = self.path(key)
        if self.scheme == "s3":
            try:
                self.fs.pipe_file(target, data, mode="create")  # If-None-Match: *
            except FileExistsError:
                return False
            return True
        # fsspec's local mode="create" checks, then writes: two concurrent creates both win.
        # A hard link to a complete temporary file is atomic and fails if the name is taken.
        self.fs.makedirs(posixpath.dirname(target), exist_ok=True)
        temporary = self._temporary(target, data)
        try:
            os.link(temporary, target)
        except FileExistsError:
            return False
        finally:
            os.unlink(temporary)
        return True

    def _temporary(self, target: str, data: bytes) -> str:
        """A local temporary file beside ``target`` holding ``data`` (listings skip it)."""
        temporary = f"{target}.{uuid.uuid4().hex}.tmp"
        with open(temporary, "wb") as f:
            f.write(data)
        return temporary

    def exists(self, key: str) -> bool:
        """Whether an object (or a folder of them) is at ``key``."""
        return bool(self.fs.exists(self.path(key)))

    def children(self, prefix: str = "") -> list[str]:
        """The names directly under ``prefix``, objects and folders alike, sorted; [] if none."""
        try:
            found = self.fs.ls(self.path(prefix), detail=False)
        except FileNotFoundError:
            return []
        base = self.path(prefix).rstrip("/")
        return sorted(
            posixpath.basename(str(p).rstrip("/"))
            for p in found
            if str(p).rstrip("/") != base and not str(p).endswith(".tmp")
        )

    def walk(self, prefix: str) -> Iterator[str]:
        """Every object's key under ``prefix``, relative to ``prefix``, sorted."""
        base = self.path(prefix).rstrip("/") + "/"
        try:
            found = self.fs.find(self.path(prefix))
        except FileNotFoundError:
            return
        for p in sorted(str(p) for p in found):
            if p.startswith(base) and not p.endswith(".tmp"):
                yield p[len(base) :]

    def upload(self, local: Path, prefix: str) -> None:
        """Every file under the local folder ``local``, to the same relative keys under
        ``prefix``."""
        for file in sorted(p for p in local.rglob("*") if p.is_file()):
            key = posixpath.join(prefix, file.relative_to(local).as_posix())
            self.write(key, file.read_bytes())

    def download(self, prefix: str, local: Path) -> None:
        """Every object under ``prefix``, to the same relative paths under ``local``."""
        for key in self.walk(prefix):
            target = local / key
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(self.read(posixpath.join(prefix, key)))

    def delete(self, prefix: str) -> None:
        """The object at ``prefix`` or everything under it; nothing if there is none."""
        target = self.path(prefix)
        if self.fs.exists(target):
            self.fs.rm(target, recursive=True)


def claim_next(store: ObjectStore, prefix: str, marker: str, first: int = 1) -> int:
    """The next free number under ``prefix``, claimed: ``prefix/N/marker`` created by this call.

    Starts after the highest number present (or at ``first``) and steps on past every number
    another caller won, so that concurrent callers get consecutive numbers, each one once."""
    taken = [int(name) for name in store.children(prefix) if name.isdigit()]
    number = max(taken, default=first - 1) + 1
    token = uuid.uuid4().hex.encode()
    while not store.create(posixpath.join(prefix, str(number), marker), token):
        number += 1
    return number
