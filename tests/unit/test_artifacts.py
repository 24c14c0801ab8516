"""Model directories and the artifact store: naming, versions, and refusing bad weights."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from pathlib import Path

import pytest
import torch

from latentgan.artifacts import (
    GENERATOR,
    GENERATOR_EMA,
    MANIFEST,
    ArtifactStore,
    BrokenVersion,
    Manifest,
    load_model_dir,
    now_iso,
    write_model_dir,
)
from latentgan.config import ModelConfig, TrainConfig
from latentgan.errors import ArtifactError, ConfigError, ModelNotFoundError
from latentgan.models import Generator, build_models
from latentgan.settings import Settings

CFG = ModelConfig(latent_dim=8, g_width=8, num_classes=10, class_embed_dim=4)


def _manifest(name: str = "digits", cfg: ModelConfig = CFG) -> Manifest:
    return Manifest(
        name=name,
        version=0,
        created=now_iso(),
        model_config=cfg,
        train_config=TrainConfig(),
        dataset={"spec": "mnist5k", "fingerprint": "abc"},
        class_names=tuple("0123456789"),
    )


def _generators(seed: int = 0) -> tuple[Generator, Generator]:
    return build_models(CFG, seed=seed)[0], build_models(CFG, seed=seed + 1)[0]


def test_round_trip_restores_both_generators(tmp_path: Path) -> None:
    raw, ema = _generators()
    written = write_model_dir(tmp_path, _manifest(), raw, ema)
    assert set(written.weights) == {GENERATOR, GENERATOR_EMA}
    stored = json.loads((tmp_path / MANIFEST).read_text())
    assert stored["image_shape"] == [28, 28, 1] and stored["latent_dim"] == 8
    for use_ema, expected in ((True, ema), (False, raw)):
        loaded = load_model_dir(tmp_path, ema=use_ema)
        assert not loaded.generator.training
        for k, v in expected.state_dict().items():
            assert torch.equal(loaded.generator.state_dict()[k], v)
    assert load_model_dir(tmp_path).manifest == written


def test_weights_that_do_not_match_the_manifest_are_refused(tmp_path: Path) -> None:
    raw, ema = _generators()
    write_model_dir(tmp_path, _manifest(), raw, ema)
    other = tmp_path / "other"
    wider = replace(CFG, latent_dim=9)
    write_model_dir(other, _manifest(cfg=wider), build_models(wider)[0], build_models(wider)[0])
    (other / GENERATOR_EMA).replace(tmp_path / GENERATOR_EMA)  # hashes now disagree
    with pytest.raises(ArtifactError, match="sha256"):
        load_model_dir(tmp_path)
    # Same bytes as the manifest says, but the architecture in it does not fit the weights.
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    manifest["weights"][GENERATOR_EMA] = json.loads((other / MANIFEST).read_text())["weights"][
        GENERATOR_EMA
    ]
    (tmp_path / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(ArtifactError, match="does not fit the architecture"):
        load_model_dir(tmp_path)


def test_missing_or_broken_pieces_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ArtifactError, match="not a model directory"):
        load_model_dir(tmp_path)
    (tmp_path / MANIFEST).write_text("{not json")
    with pytest.raises(ArtifactError, match="not a valid latentgan manifest"):
        load_model_dir(tmp_path)
    write_model_dir(tmp_path, _manifest(), *_generators())
    (tmp_path / GENERATOR_EMA).unlink()
    with pytest.raises(ArtifactError, match="missing"):
        load_model_dir(tmp_path)


def test_store_numbers_versions_and_resolves_references(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    assert store.names() == []
    first = store.register(_manifest(), *_generators(0))
    second = store.register(_manifest(), *_generators(5))
    store.register(_manifest("other"), *_generators(0))
    assert (first.version, second.version) == (1, 2)
    assert store.names() == ["digits", "other"]
    assert store.versions("digits") == [1, 2]
    assert store.resolve("digits") == tmp_path / "models" / "digits" / "2"
    assert store.resolve("digits@latest") == store.resolve("digits")
    assert store.resolve("digits@1") == tmp_path / "models" / "digits" / "1"
    assert store.load("digits@1").manifest.ref == "digits@1"
    assert store.resolve(str(store.resolve("digits@1"))) == store.resolve("digits@1")
    assert [m.ref for m in store.manifests()] == ["digits@1", "digits@2", "other@1"]
    with pytest.raises(ModelNotFoundError, match="no version '3'"):
        store.resolve("digits@3")
    with pytest.raises(ModelNotFoundError, match="no model named 'nope'"):
        store.resolve("nope")
    assert not list((tmp_path / "models" / "digits").glob(".staging-*"))


def test_a_broken_version_is_listed_as_broken_without_hiding_the_others(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    store.register(_manifest(), *_generators(0))
    store.register(_manifest(), *_generators(5))
    store.register(_manifest("other"), *_generators(0))
    (tmp_path / "models" / "digits" / "2" / "manifest.json").write_text("{not json")
    listed = store.listing()
    assert [m.ref for m in listed] == ["digits@1", "digits@2", "other@1"]
    broken = listed[1]
    assert isinstance(broken, BrokenVersion)
    assert "is not a valid latentgan manifest" in broken.problem
    assert str(tmp_path) not in broken.problem and broken.problem.startswith("digits/2/")
    assert all(isinstance(m, Manifest) for m in (listed[0], listed[2]))


def test_concurrent_registrations_get_distinct_versions(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    gens = _generators()
    versions: list[int] = []
    threads = [
        threading.Thread(target=lambda: versions.append(store.register(_manifest(), *gens).version))
        for _ in range(6)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(versions) == [1, 2, 3, 4, 5, 6]
    assert store.versions("digits") == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("name", ["", "-lead", "has space", "x" * 65, "a/b", "../up"])
def test_bad_names_are_refused(name: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as bad:
        ArtifactStore(tmp_path).register(_manifest(name), *_generators())
    assert bad.value.field == "name"


def test_store_root_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LATENTGAN_DATA_DIR", str(tmp_path / "here"))
    assert ArtifactStore(Settings().data_dir).models_dir == tmp_path / "here" / "models"
