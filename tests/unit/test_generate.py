"""Sample, interpolate: batch invariance (docs/architecture.md, decision 3), labels, endpoints."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

from latentgan.config import ModelConfig
from latentgan.errors import ConfigError
from latentgan.generate import (
    edit,
    edit_inputs,
    generate,
    generation_inputs,
    inference_graph,
    interpolate_images,
    interpolation_inputs,
    render,
    render_many,
    sample,
    sample_inputs,
)
from latentgan.images import to_uint8
from latentgan.latent import seeded_latents
from latentgan.models import Generator, build_models
from latentgan.schemas.generation import KINDS, EditParams, InterpolateParams, SampleParams


def _generator(num_classes: int = 0) -> Generator:
    return _generator_of(seed=3, latent_dim=16, g_width=16, num_classes=num_classes)


@pytest.mark.parametrize("num_classes", [0, 10])
def test_images_do_not_depend_on_batch_size_or_position(num_classes: int) -> None:
    g = _generator(num_classes)
    everything = sample(g, n=300, seed=11)  # crosses the 256-row chunk boundary
    for n in (1, 2, 7, 8, 9, 64, 257):
        assert np.array_equal(sample(g, n=n, seed=11), everything[:n]), n
    z = seeded_latents(11, 300, 16)
    labels = torch.arange(300) % 10 if num_classes else None
    for start, n in ((5, 1), (5, 3), (100, 50), (250, 40)):
        part = render(
            g, z[start : start + n], None if labels is None else labels[start : start + n]
        )
        assert np.array_equal(part, everything[start : start + n]), (start, n)


def test_mixed_batch_matches_separate_requests() -> None:
    """Two requests sharing one forward pass get exactly what each would get alone."""
    g = _generator(10)
    z_a, z_b = seeded_latents(1, 5, 16), seeded_latents(2, 12, 16)
    y_a, y_b = torch.full((5,), 3), torch.arange(12) % 10
    merged = render(g, torch.cat([z_a, z_b]), torch.cat([y_a, y_b]))
    assert np.array_equal(merged[:5], render(g, z_a, y_a))
    assert np.array_equal(merged[5:], render(g, z_b, y_b))


def test_sample_output_format_and_label_rules() -> None:
    g = _generator(10)
    images = sample(g, n=4, seed=0, labels=[3])
    assert images.shape == (4, 28, 28, 1) and images.dtype == np.uint8
    assert np.array_equal(images, sample(g, n=4, seed=0, labels=[3, 3, 3, 3]))
    assert not np.array_equal(images, sample(g, n=4, seed=0, labels=[4]))
    assert np.array_equal(
        sample(g, n=12, seed=0), sample(g, n=12, seed=0, labels=[*range(10), 0, 1])
    )
    with pytest.raises(ConfigError) as bad:
        sample(g, n=3, seed=0, labels=[1, 2])
    assert bad.value.field == "labels"
    with pytest.raises(ConfigError):
        sample(_generator(0), n=1, labels=[1])


def test_truncation_and_explicit_latents() -> None:
    g = _generator()
    z = seeded_latents(4, 6, 16).numpy()
    assert np.array_equal(sample(g, latents=z), sample(g, n=6, seed=4))
    assert np.array_equal(sample(g, n=6, seed=4, truncation=0.5), sample(g, latents=z * 0.5))
    mean_image = sample(g, n=3, seed=4, truncation=0.0)
    assert np.array_equal(mean_image[0], mean_image[2])  # psi = 0: every latent is the mean
    with pytest.raises(ConfigError, match="latents must be"):
        sample(g, latents=np.zeros((2, 5), np.float32))
    with pytest.raises(ConfigError, match="NaN"):
        sample(g, latents=np.full((1, 16), np.nan, np.float32))


@pytest.mark.parametrize("method", ["lerp", "slerp"])
def test_interpolation_endpoints_are_the_sampled_images(method: str) -> None:
    g = _generator()
    frames = interpolate_images(g, seed_a=1, seed_b=2, steps=7, method=method)  # type: ignore[arg-type]
    assert frames.shape == (7, 28, 28, 1)
    assert np.array_equal(frames[0], sample(g, n=1, seed=1)[0])
    assert np.array_equal(frames[-1], sample(g, n=1, seed=2)[0])
    assert len({f.tobytes() for f in frames}) > 2


def test_class_interpolation_morphs_between_labels() -> None:
    g = _generator(10)
    frames = interpolate_images(g, seed_a=5, seed_b=5, steps=5, label_a=3, label_b=8)
    assert np.array_equal(frames[0], sample(g, n=1, seed=5, labels=[3])[0])
    assert np.array_equal(frames[-1], sample(g, n=1, seed=5, labels=[8])[0])
    same_class = interpolate_images(g, seed_a=1, seed_b=2, steps=4, label_a=6)
    assert np.array_equal(same_class[-1], sample(g, n=1, seed=2, labels=[6])[0])


def test_interpolation_refuses_bad_requests() -> None:
    with pytest.raises(ConfigError) as bad:
        interpolate_images(_generator(), steps=1)
    assert bad.value.field == "steps"
    with pytest.raises(ConfigError):
        interpolate_images(_generator(), label_a=1)
    with pytest.raises(ConfigError, match="out of range"):
        interpolate_images(_generator(10), label_b=10)


@pytest.mark.parametrize("num_classes", [0, 10])
def test_render_many_merges_requests_without_changing_them(num_classes: int) -> None:
    """What a generation worker does: several requests, one forward pass, each as if alone."""
    g = _generator(num_classes)
    labels = [4] if num_classes else None
    walk_labels = {"label_a": 2, "label_b": 7} if num_classes else {}
    walk = InterpolateParams(seed_a=5, seed_b=6, steps=5, **walk_labels)  # type: ignore[arg-type]
    requests = [
        sample_inputs(g, SampleParams(n=3, seed=1, labels=tuple(labels or ()))),
        interpolation_inputs(g, walk),
        sample_inputs(g, SampleParams(n=1, seed=2, truncation=0.5)),
    ]
    merged = render_many(g, requests)
    assert [len(x) for x in merged] == [3, 5, 1]
    np.testing.assert_array_equal(merged[0], sample(g, n=3, seed=1, labels=labels))
    np.testing.assert_array_equal(
        merged[1],
        interpolate_images(g, seed_a=5, seed_b=6, steps=5, **walk_labels),  # type: ignore[arg-type]
    )
    np.testing.assert_array_equal(merged[2], sample(g, n=1, seed=2, truncation=0.5))
    if num_classes:
        assert requests[0].labels is not None and requests[0].labels.tolist() == [4, 4, 4]
    assert render_many(g, []) == []


def test_every_request_kind_has_its_inputs_and_images() -> None:
    """``generate`` serves any kind by its params, exactly as the keyword-argument wrappers do."""
    g = _generator(10)
    sample_params = SampleParams(n=5, seed=3, labels=(2,), truncation=0.7)
    walk_params = InterpolateParams(steps=4, method="lerp", seed_a=1, seed_b=2, label_a=5)
    direction = np.ones(16, np.float32) / 4
    edit_params = EditParams(direction, (-1.0, 0.0, 1.0), n=2, seed=3, labels=(1,))
    kinds = (sample_params, walk_params, edit_params)
    assert {type(p) for p in kinds} == set(KINDS.values())
    assert (sample_params.images, walk_params.images, edit_params.images) == (5, 4, 6)
    np.testing.assert_array_equal(
        generate(g, edit_params).reshape(2, 3, 28, 28, 1),
        edit(g, direction, (-1.0, 0.0, 1.0), n=2, seed=3, labels=[1]),
    )
    np.testing.assert_array_equal(
        generate(g, sample_params), sample(g, n=5, seed=3, labels=[2], truncation=0.7)
    )
    np.testing.assert_array_equal(
        generate(g, walk_params),
        interpolate_images(g, steps=4, method="lerp", seed_a=1, seed_b=2, label_a=5),
    )
    inputs = generation_inputs(g, sample_params)
    assert len(inputs) == 5 and inputs.labels is not None and inputs.labels.tolist() == [2] * 5


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: SampleParams(n=0), "n"),
        (lambda: SampleParams(n=1_000_001), "n"),
        (lambda: SampleParams(latents=np.full((2, 4), np.inf, np.float32)), "latents"),
        (lambda: InterpolateParams(steps=1), "steps"),
        (lambda: InterpolateParams(steps=10_001), "steps"),
        (lambda: InterpolateParams(latent_b=np.array([0.0, np.nan], np.float32)), "latent_b"),
        (lambda: EditParams(np.zeros(4, np.float32), ()), "strengths"),
        (lambda: EditParams(np.zeros(4, np.float32), (0.0,) * 65), "strengths"),
        (lambda: EditParams(np.zeros(4, np.float32), (float("nan"),)), "strengths"),
        (lambda: EditParams(np.zeros(4, np.float32), (101.0,)), "strengths"),
        (lambda: EditParams(np.array([np.inf], np.float32)), "direction"),
        (lambda: EditParams(np.zeros((2, 2), np.float32)), "direction"),
        (lambda: EditParams(np.zeros(4, np.float32), n=0), "n"),
        (lambda: EditParams(np.zeros(4, np.float32), arithmetic=(1, 2)), "arithmetic"),  # type: ignore[arg-type]
    ],
)
def test_params_check_their_own_values(build: Any, field: str) -> None:
    with pytest.raises(ConfigError) as bad:
        build()
    assert bad.value.field == field


def test_explicit_latents_make_the_count() -> None:
    z = np.zeros((3, 16), np.float32)
    assert SampleParams(n=0, latents=z).images == 3  # n is ignored beside latents


# --- edit ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("num_classes", [0, 10])
def test_strength_zero_is_the_plain_sample_bit_for_bit(num_classes: int) -> None:
    g = _generator(num_classes)
    direction = np.random.default_rng(0).standard_normal(16).astype(np.float32)
    grid = edit(g, direction, (-3.0, 0.0, 2.5, 0.0), n=6, seed=9, truncation=0.8)
    assert grid.shape == (6, 4, 28, 28, 1)
    plain = sample(g, n=6, seed=9, truncation=0.8)
    assert np.array_equal(grid[:, 1], plain) and np.array_equal(grid[:, 3], plain)
    assert not np.array_equal(grid[:, 0], plain)


def test_an_edit_moves_the_latent_by_strength_times_direction() -> None:
    g = _generator()
    direction = np.random.default_rng(1).standard_normal(16).astype(np.float32)
    z = seeded_latents(4, 2, 16)
    inputs = generation_inputs(g, EditParams(direction, (-1.5, 2.0), n=2, seed=4))
    d = torch.from_numpy(direction)
    expected = torch.stack([z[0] - 1.5 * d, z[0] + 2 * d, z[1] - 1.5 * d, z[1] + 2 * d])
    assert torch.allclose(inputs.z, expected)


def test_edit_labels_are_per_row_and_the_grid_is_row_major() -> None:
    g = _generator(10)
    direction = np.zeros(16, np.float32)
    inputs = edit_inputs(g, EditParams(direction, (0.0, 1.0, 2.0), n=2, seed=0, labels=(3, 7)))
    assert inputs.labels is not None and inputs.labels.tolist() == [3, 3, 3, 7, 7, 7]
    grid = edit(g, direction, (0.0, 1.0), n=2, seed=0, labels=[3, 7])
    assert np.array_equal(grid[1, 0], sample(g, n=2, seed=0, labels=[3, 7])[1])


def test_latent_arithmetic_is_a_minus_b_plus_c() -> None:
    g = _generator()
    a, b, c = (seeded_latents(s, 1, 16) for s in (5, 6, 7))
    params = EditParams(np.zeros(16, np.float32), (0.0,), arithmetic=(5, 6, 7))
    assert params.rows == 1
    np.testing.assert_array_equal(generate(g, params), sample(g, latents=(a - b + c).numpy()))


def test_edit_refuses_what_does_not_fit_the_model() -> None:
    g = _generator(10)
    with pytest.raises(ConfigError) as wrong_size:
        edit(g, np.zeros(8, np.float32))
    assert wrong_size.value.field == "direction"
    with pytest.raises(ConfigError) as bad_label:
        edit(g, np.zeros(16, np.float32), labels=[10])
    assert bad_label.value.field == "labels"


# --- the inference graph -------------------------------------------------------------------------


@pytest.fixture
def threads() -> Any:
    """Set torch's thread count for one test, restored after it."""
    before = torch.get_num_threads()
    yield torch.set_num_threads
    torch.set_num_threads(before)


def _generator_of(seed: int = 5, **config: Any) -> Generator:
    """A generator of ``config`` in eval mode with non-trivial BatchNorm statistics, as after
    training."""
    g, _ = build_models(ModelConfig(**config), seed=seed)
    with torch.no_grad():
        for m in g.modules():
            if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
                assert m.running_mean is not None and m.running_var is not None
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 1.5)
    return g.eval()


needs_graph = pytest.mark.skipif(
    inference_graph(_generator_of(latent_dim=8, g_width=4)) is None,
    reason="no InferenceGraph on this PyTorch (no oneDNN): the module runs, tested above",
)


@needs_graph
@pytest.mark.parametrize(
    "config",
    [
        {"latent_dim": 16, "g_width": 16, "num_classes": 10},
        {"image_size": 32, "channels": 3, "latent_dim": 16, "g_width": 8},
        {"image_size": 64, "channels": 3, "latent_dim": 16, "g_width": 4},
        {"latent_dim": 16, "g_width": 8, "base_convs": 0},
    ],
    ids=["28-conditional", "32-rgb", "64-rgb", "no-base-conv"],
)
@pytest.mark.parametrize("count", [1, 2, 4])
def test_every_batch_size_and_thread_count_gives_the_same_rows(
    config: dict[str, Any], count: int, threads: Any
) -> None:
    """Bit for bit: a small batch against the same rows in a large one, and thread counts against
    one thread (a worker runs a small batch on one thread and a large one on all of them)."""
    g = _generator_of(**config)
    labels = list(range(10)) * 7 if g.cfg.num_classes else None
    threads(1)
    alone = sample(g, n=70, seed=2, labels=labels)
    threads(count)
    assert np.array_equal(sample(g, n=70, seed=2, labels=labels), alone)
    for n in (1, 2, 3, 5, 7, 17, 33):
        assert np.array_equal(sample(g, n=n, seed=2, labels=labels and labels[:n]), alone[:n]), n


@needs_graph
def test_the_graph_is_the_module_with_its_batchnorms_folded() -> None:
    g = _generator(10)
    graph = inference_graph(g)
    assert graph is not None and inference_graph(g) is graph  # built once
    z = seeded_latents(3, 40, 16)
    e = g.class_embedding(torch.arange(40) % 10).detach()
    with torch.inference_mode():
        np.testing.assert_allclose(graph(z, e).numpy(), g(z, None, e).numpy(), atol=1e-5)


@needs_graph
def test_the_graph_follows_the_weights() -> None:
    """Training samples the module it trains: a graph made from old weights is never used."""
    g = _generator()
    before = sample(g, n=3, seed=1)
    conv = g.body[0]
    assert isinstance(conv, torch.nn.Conv2d)
    with torch.no_grad():
        conv.weight.mul_(0.5)  # a step in place
    halved = sample(g, n=3, seed=1)
    assert not np.array_equal(halved, before)
    conv.weight = torch.nn.Parameter(conv.weight.detach() * 2)  # replaced
    np.testing.assert_array_equal(sample(g, n=3, seed=1), before)
    with torch.inference_mode():
        module = g(seeded_latents(1, 3, 16))
    assert np.abs(sample(g, n=3, seed=1).astype(int) - to_uint8(module)).max() <= 1


def test_without_the_graph_the_module_is_batch_invariant(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where there is no graph (a GPU, no oneDNN), the module runs, padded to MIN_ROWS rows."""
    monkeypatch.setattr("latentgan.generate.inference_graph", lambda g: None)
    for num_classes in (0, 10):
        g = _generator(num_classes)
        everything = sample(g, n=300, seed=11)
        for n in (1, 2, 7, 64, 257):
            assert np.array_equal(sample(g, n=n, seed=11), everything[:n]), n
