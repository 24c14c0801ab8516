"""Latent directions: each method on a small trained model, their keys and ids, storage beside the
version, computed once, and scores that tell a real direction from a random one."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from latentgan.artifacts import ArtifactStore
from latentgan.config import ModelConfig, TrainConfig
from latentgan.directions import (
    AttributeMeter,
    DirectionRequest,
    combine,
    ensure_direction_set,
    find_direction,
    list_sets,
    methods,
    write_set,
)
from latentgan.directions.compute import compute_sets, default_requests
from latentgan.directions.preview import preview
from latentgan.directions.store import read_set, set_path
from latentgan.errors import ConfigError, DirectionNotFoundError
from latentgan.models import Generator, build_models
from latentgan.pipeline import TrainJob, run_training_job
from latentgan.schemas.directions import set_key_of

SMALL = ModelConfig(latent_dim=16, g_width=8, d_width=8, class_embed_dim=4)


def _job(name: str, steps: int, run_dir: Path, directions: bool = True) -> TrainJob:
    """A few CPU steps of the small model on digits, without evaluation."""
    train = TrainConfig(batch_size=32, steps=steps)
    return TrainJob(
        "digits",
        SMALL,
        train,
        name=name,
        run_dir=run_dir,
        evaluate=False,
        directions=directions,
        device="cpu",
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> ArtifactStore:
    """A store with one small model trained on digits, registered with its default directions."""
    root = tmp_path_factory.mktemp("store")
    store = ArtifactStore(root / "store")
    run_training_job(_job("small", 60, root / "run"), store)
    return store


@pytest.fixture(scope="module")
def generator(store: ArtifactStore) -> Generator:
    return store.load("small").generator


@pytest.fixture(scope="module")
def meter() -> AttributeMeter:
    return AttributeMeter(channels=1, evaluator=None)


def _unit(vectors: np.ndarray) -> bool:
    return bool(np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5))


# --- requests, keys and ids ------------------------------------------------------------------


def test_keys_name_the_method_and_only_the_non_default_parameters() -> None:
    assert DirectionRequest("sefa").key == "sefa"
    assert DirectionRequest("sefa", samples=900, seed=4).key == "sefa"  # SeFa samples nothing
    assert DirectionRequest("pca", k=4, samples=900).key == "pca[k=4,samples=900]"
    assert DirectionRequest("random", seed=3).key == "random[seed=3]"
    thick = DirectionRequest("attribute", attribute="thickness", orthogonal_to=("attribute:x",))
    assert thick.key == "attribute:thickness[orthogonal_to=attribute:x]"
    assert DirectionRequest("attribute", attribute="thickness", k=5).ids(1) == [
        "attribute:thickness"
    ]
    assert DirectionRequest("pca").ids(2) == ["pca:0", "pca:1"]
    assert set_key_of("pca[k=4]:3") == "pca[k=4]"
    assert set_key_of("attribute:class:3") == "attribute:class:3"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"method": "ica"}, "method"),
        ({"method": "sefa", "k": 0}, "k"),
        ({"method": "pca", "samples": 5}, "samples"),
        ({"method": "attribute"}, "attribute"),
        ({"method": "sefa", "attribute": "thickness"}, "attribute"),
        ({"method": "random", "seed": -1}, "seed"),
    ],
)
def test_bad_requests_name_their_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ConfigError) as raised:
        DirectionRequest(**kwargs)  # type: ignore[arg-type]
    assert raised.value.field == field


# --- the methods ------------------------------------------------------------------------------


def test_sefa_is_the_eigenbasis_of_the_folded_first_layer(generator: Generator) -> None:
    vectors, shares = methods.sefa(generator, 5)
    assert vectors.shape == (5, SMALL.latent_dim) and _unit(vectors)
    assert np.all(np.diff(shares) <= 0) and 0 < shares.sum() <= 1
    a = methods.first_layer_z_weight(generator)
    gains = np.linalg.norm(a @ vectors.T.astype(np.float64), axis=0)
    assert np.all(np.diff(gains) <= 1e-6)  # each moves the first layer less than the one before
    top = np.linalg.svd(a, compute_uv=False)[0]
    assert gains[0] == pytest.approx(top, rel=1e-4)  # the first is the best a unit vector can do
    again, _ = methods.sefa(generator, 5)
    assert np.array_equal(vectors, again)


def test_sefa_folds_the_batch_norm_and_ignores_the_label_inputs() -> None:
    cfg = replace(SMALL, num_classes=3)
    g, _ = build_models(cfg)
    norm = g.project[1]
    assert isinstance(norm, torch.nn.BatchNorm1d) and norm.running_var is not None
    norm.running_var.fill_(4.0)  # BN divides by 2: the folded weight halves
    linear = g.project[0]
    assert isinstance(linear, torch.nn.Linear)
    folded = methods.first_layer_z_weight(g)
    assert folded.shape == (linear.out_features, cfg.latent_dim)
    expected = (
        linear.weight.detach().double()[:, : cfg.latent_dim]
        * norm.weight.detach().double()[:, None]
        / np.sqrt(4.0 + norm.eps)
    )
    assert np.allclose(folded, expected.numpy())


def test_pca_directions_are_unit_sorted_and_deterministic(generator: Generator) -> None:
    vectors, shares = methods.pca(generator, 4, samples=400, seed=1)
    assert vectors.shape == (4, SMALL.latent_dim) and _unit(vectors)
    assert np.all(np.diff(shares) <= 0) and shares.sum() < 1
    again, _ = methods.pca(generator, 4, samples=400, seed=1)
    assert np.allclose(vectors, again, atol=1e-6)


def test_pca_direction_moves_the_activations_along_its_component(generator: Generator) -> None:
    vectors, _ = methods.pca(generator, 1, samples=600, seed=2)
    random = methods.random_directions(SMALL.latent_dim, 20, seed=5)
    z = torch.zeros(1, SMALL.latent_dim)

    def moved(v: np.ndarray) -> float:
        step = torch.from_numpy(v[None, :].astype(np.float32))
        a = methods.first_block_activations(generator, torch.cat([z - step, z + step]))
        return float(np.linalg.norm(a[1] - a[0]))

    assert moved(vectors[0]) > np.median([moved(v) for v in random])


def test_boundary_recovers_a_linear_attribute() -> None:
    rng = np.random.default_rng(0)
    truth = rng.standard_normal(16)
    truth /= np.linalg.norm(truth)
    z = rng.standard_normal((3000, 16))
    scores = z @ truth + 0.1 * rng.standard_normal(3000)
    scores[:10] = np.nan  # undefined on some images: left out
    normal, accuracy = methods.boundary(z, scores, seed=0)
    assert float(normal @ truth) > 0.95 and accuracy > 0.95
    assert np.linalg.norm(normal) == pytest.approx(1.0, abs=1e-6)


def test_orthogonalize_removes_the_held_directions() -> None:
    rng = np.random.default_rng(1)
    held = rng.standard_normal((2, 8))
    out = methods.orthogonalize(rng.standard_normal((3, 8)), held)
    assert _unit(out) and np.allclose(out @ held.T, 0, atol=1e-5)


def test_random_directions_are_seeded_unit_vectors() -> None:
    a = methods.random_directions(16, 4, seed=3)
    assert _unit(a) and np.array_equal(a, methods.random_directions(16, 4, seed=3))
    assert not np.allclose(a, methods.random_directions(16, 4, seed=4))


# --- sets, scores, storage ---------------------------------------------------------------------


def test_training_registers_the_default_sets_with_the_version(store: ArtifactStore) -> None:
    sets = {s.key: s for s in list_sets(store.resolve("small"))}
    assert set(sets) == {
        "sefa",
        "pca",
        "random",
        *(f"attribute:{a}" for a in ("thickness", "slant", "width", "height", "area")),
    }
    for found in sets.values():
        assert _unit(found.vectors)
        assert all(d.score is not None and d.score.class_kept is None for d in found.directions)
    assert [d.id for d in sets["sefa"].directions] == [f"sefa:{i}" for i in range(10)]
    assert store.load("small").manifest.training["directions_s"] > 0


def test_no_directions_registers_none(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path / "store")
    run_training_job(_job("bare", 2, tmp_path / "run", directions=False), store)
    assert list_sets(store.resolve("bare")) == []


def test_the_thickness_boundary_moves_thickness_more_than_random_directions(
    generator: Generator, meter: AttributeMeter
) -> None:
    requests = [
        DirectionRequest("attribute", attribute="thickness", samples=1500),
        DirectionRequest("random", k=8, seed=9),
    ]
    thickness, random = compute_sets(generator, meter, requests)
    score = thickness.directions[0].score
    assert score is not None
    change = score.change("thickness")
    assert change is not None and change.slope > 0  # signed to increase the attribute
    baseline = []
    for d in random.directions:
        assert d.score is not None
        random_change = d.score.change("thickness")
        assert random_change is not None
        baseline.append(abs(random_change.standardized))
    assert change.standardized > 2 * float(np.median(baseline))


def test_sets_are_deterministic(generator: Generator, meter: AttributeMeter) -> None:
    requests = [DirectionRequest("pca", k=3, samples=300), DirectionRequest("random", k=2)]
    first = compute_sets(generator, meter, requests)
    second = compute_sets(generator, meter, requests)
    for a, b in zip(first, second, strict=True):
        assert np.allclose(a.vectors, b.vectors, atol=1e-6)
        assert [d.score for d in a.directions] == [d.score for d in b.directions]


def test_a_set_is_stored_once_and_read_back_whole(store: ArtifactStore, tmp_path: Path) -> None:
    request = DirectionRequest("random", k=3, seed=11)
    found, created = ensure_direction_set(store, "small", request)
    assert created
    path = set_path(store.resolve("small"), request.key)
    stamp = path.stat().st_mtime_ns
    again, created_again = ensure_direction_set(store, "small", request)
    assert not created_again and path.stat().st_mtime_ns == stamp
    assert np.array_equal(found.vectors, again.vectors)
    read = read_set(path)
    assert read.key == found.key and np.array_equal(read.vectors, found.vectors)
    assert [d.score for d in read.directions] == [d.score for d in found.directions]
    write_set(tmp_path, found)  # any directory: the set's files are self-contained
    assert np.array_equal(read_set(set_path(tmp_path, found.key)).vectors, found.vectors)


def test_orthogonal_to_computes_a_missing_default_set_first(
    store: ArtifactStore, tmp_path: Path
) -> None:
    copy = ArtifactStore(tmp_path / "store")
    source = store.resolve("small")
    target = copy.models_dir / "small" / "1"
    target.parent.mkdir(parents=True)
    target.mkdir()
    for f in source.iterdir():
        if f.is_file():
            (target / f.name).write_bytes(f.read_bytes())
    if store.evaluators_dir.is_dir():  # the evaluator, trained once by an earlier test
        shutil.copytree(store.evaluators_dir, copy.evaluators_dir)
    assert list_sets(target) == []
    request = DirectionRequest("attribute", attribute="area", orthogonal_to=("sefa:0",))
    found, created = ensure_direction_set(copy, "small", request)
    assert created and {s.key for s in list_sets(target)} == {"sefa", found.key}
    sefa0 = find_direction(list_sets(target), "sefa:0", "direction").vector
    assert abs(float(found.vectors[0] @ sefa0)) < 1e-5


def test_unknown_ids_and_attributes_are_named_errors(
    store: ArtifactStore, meter: AttributeMeter
) -> None:
    sets = list_sets(store.resolve("small"))
    with pytest.raises(DirectionNotFoundError, match="sefa:0") as raised:
        find_direction(sets, "sefa:99", "direction_id")
    assert raised.value.field == "direction_id"
    with pytest.raises(ConfigError) as bad:
        ensure_direction_set(store, "small", DirectionRequest("attribute", attribute="colour"))
    assert bad.value.field == "attribute"
    with pytest.raises(DirectionNotFoundError) as unknown:
        ensure_direction_set(
            store, "small", DirectionRequest("sefa", orthogonal_to=("pca[k=3]:0",))
        )
    assert unknown.value.field == "orthogonal_to"
    with pytest.raises(ConfigError) as too_many:
        ensure_direction_set(store, "small", DirectionRequest("sefa", k=17))
    assert too_many.value.field == "k"


def test_combine_weights_stored_directions(store: ArtifactStore) -> None:
    sets = list_sets(store.resolve("small"))
    a = find_direction(sets, "sefa:0", "direction").vector
    b = find_direction(sets, "sefa:1", "direction").vector
    assert np.allclose(combine(sets, {"sefa:0": 1.0}), a)
    assert np.allclose(combine(sets, {"sefa:0": 2.0, "sefa:1": -0.5}), 2 * a - 0.5 * b)
    with pytest.raises(ConfigError):
        combine(sets, {"sefa:0": float("nan")})
    with pytest.raises(ConfigError):
        combine(sets, {})


def test_default_requests_follow_the_data_set(meter: AttributeMeter) -> None:
    keys = [r.key for r in default_requests(SMALL, meter)]
    assert keys[:3] == ["sefa", "pca", "random"] and "attribute:thickness" in keys
    colour = AttributeMeter(channels=3, evaluator=None)
    assert [r.key for r in default_requests(SMALL, colour)] == ["sefa", "pca", "random"]


def test_preview_is_a_row_per_direction_and_a_column_per_strength(
    store: ArtifactStore, generator: Generator
) -> None:
    sefa = next(s for s in list_sets(store.resolve("small")) if s.key == "sefa")
    image = preview(generator, sefa)
    size = generator.cfg.image_size
    assert image.shape == (10 * (size + 2) + 2, 5 * (size + 2) + 2, 1)
