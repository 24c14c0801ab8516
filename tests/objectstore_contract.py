"""What every store URL must do (``latentgan.objectstore``), written once: ObjectStoreContract's
tests run in tests/unit/test_objectstore.py on ``file://`` and in
tests/integration/test_objectstore_s3.py on a real S3-compatible server. A subclass gives the
``make_store`` fixture: a new ObjectStore on the test's own empty URL (as another process would
open it); ``store`` is one of them."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from latentgan.objectstore import ObjectStore, claim_next

MakeStore = Callable[[], ObjectStore]


class ObjectStoreContract:
    """The contract's tests; a subclass named Test... supplies ``make_store``."""

    @pytest.fixture
    def store(self, make_store: MakeStore) -> ObjectStore:
        return make_store()

    def test_write_read_and_replace(self, store: ObjectStore) -> None:
        store.write("a/b/c.json", b"one")
        assert store.read("a/b/c.json") == b"one"
        store.write("a/b/c.json", b"two")
        assert store.read("a/b/c.json") == b"two"
        with pytest.raises(FileNotFoundError):
            store.read("a/b/missing")

    def test_create_writes_only_where_nothing_is(self, store: ObjectStore) -> None:
        assert store.create("claims/1", b"first")
        assert not store.create("claims/1", b"second")
        assert store.read("claims/1") == b"first"

    def test_children_walk_and_delete(self, store: ObjectStore) -> None:
        assert store.children("models") == []
        for key in ("models/demo/1/manifest.json", "models/demo/2/g.safetensors", "models/x/1/m"):
            store.write(key, key.encode())
        assert store.children("models") == ["demo", "x"]
        assert store.children("models/demo") == ["1", "2"]
        assert list(store.walk("models/demo")) == ["1/manifest.json", "2/g.safetensors"]
        assert store.exists("models/demo/2") and not store.exists("models/demo/3")
        store.delete("models/demo")
        assert store.children("models") == ["x"]
        store.delete("models/never")  # nothing there: nothing to do

    def test_upload_and_download_a_tree(self, store: ObjectStore, tmp_path: Path) -> None:
        source = tmp_path / "source"
        (source / "directions").mkdir(parents=True)
        (source / "manifest.json").write_bytes(b"{}")
        (source / "directions" / "sefa.safetensors").write_bytes(bytes(range(256)) * 100)
        store.upload(source, "models/demo/1")
        copy = tmp_path / "copy"
        store.download("models/demo/1", copy)
        for name in ("manifest.json", "directions/sefa.safetensors"):
            assert (copy / name).read_bytes() == (source / name).read_bytes()

    def test_concurrent_claims_are_consecutive_and_each_given_once(
        self, make_store: MakeStore
    ) -> None:
        store = make_store()
        store.write("models/demo/1/manifest.json", b"{}")  # an existing version
        callers, claims_each = 8, 5

        def claim(_: int) -> list[int]:
            own = make_store()  # a store of its own, as another process would have
            return [claim_next(own, "models/demo", "claim") for _ in range(claims_each)]

        with ThreadPoolExecutor(max_workers=callers) as pool:
            got = [n for numbers in pool.map(claim, range(callers)) for n in numbers]
        assert sorted(got) == list(range(2, 2 + callers * claims_each))
        assert store.children("models/demo") == sorted(str(n) for n in range(1, 2 + len(got)))
