"""The store-URL contract (tests/objectstore_contract.py) on ``file://``, and URL parsing."""

from __future__ import annotations

from pathlib import Path

import pytest

from latentgan.errors import ConfigError
from latentgan.objectstore import ObjectStore
from tests.objectstore_contract import MakeStore, ObjectStoreContract


class TestLocalStore(ObjectStoreContract):
    @pytest.fixture
    def make_store(self, tmp_path: Path) -> MakeStore:
        return lambda: ObjectStore(f"file://{tmp_path / 'store'}")


def test_a_bare_path_is_a_local_store(tmp_path: Path) -> None:
    store = ObjectStore(str(tmp_path / "plain"))
    store.write("k", b"v")
    assert (tmp_path / "plain" / "k").read_bytes() == b"v"


def test_a_replaced_object_leaves_no_temporary_file(tmp_path: Path) -> None:
    store = ObjectStore(str(tmp_path))
    store.write("k", b"1")
    store.write("k", b"2")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k"]


@pytest.mark.parametrize(
    ("url", "message"),
    [("gs://bucket/x", "scheme 'gs' is not one of file, s3"), ("s3://", "names no bucket")],
)
def test_a_bad_store_url_is_a_config_error_naming_it(url: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as info:
        ObjectStore(url)
    assert info.value.field == "store_url"
