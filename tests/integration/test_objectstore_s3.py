"""The store-URL contract (tests/objectstore_contract.py) on a real S3-compatible server."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from latentgan.objectstore import ObjectStore
from tests.objectstore_contract import MakeStore, ObjectStoreContract


class TestS3Store(ObjectStoreContract):
    @pytest.fixture
    def make_store(self, s3: Any) -> MakeStore:
        url = s3.url(f"store-{uuid.uuid4().hex}")  # an empty prefix per test
        return lambda: ObjectStore(url, endpoint_url=s3.endpoint_url)
