"""Tests for latentgan.models: shapes, seeding, conditioning, discriminator heads, spectral norm."""

from __future__ import annotations

from typing import Any

import pytest
import torch
from torch import nn
from torch.nn.utils import parametrize

from latentgan.config import ModelConfig
from latentgan.errors import ConfigError
from latentgan.models import build_models


def tiny(**overrides: Any) -> ModelConfig:
    """A model small enough to build and run in milliseconds."""
    return ModelConfig(**{"g_width": 8, "d_width": 8, "latent_dim": 8, **overrides})


# --- shapes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("image_size", [28, 32, 64])
@pytest.mark.parametrize("channels", [1, 3])
@pytest.mark.parametrize("num_classes", [0, 3])
def test_generator_and_discriminator_shapes(
    image_size: int, channels: int, num_classes: int
) -> None:
    cfg = tiny(image_size=image_size, channels=channels, num_classes=num_classes)
    G, D = build_models(cfg, seed=0)
    G.eval()
    D.eval()
    labels = torch.tensor([0, 2]) if num_classes else None
    with torch.no_grad():
        images = G(torch.randn(2, 8), labels)
        out = D(images, labels)
    assert images.shape == (2, channels, image_size, image_size)
    assert out.logits.shape == (2,)
    assert out.rotation_logits is None
    assert out.kl is None


def test_generator_output_is_within_minus_one_and_one() -> None:
    G, _ = build_models(tiny(), seed=1)
    G.eval()
    z = torch.randn(16, 8)
    with torch.no_grad():
        typical = G(z)
    assert typical.min() >= -1.0
    assert typical.max() <= 1.0
    last = G.body[-2]
    assert isinstance(last, nn.ConvTranspose2d)
    assert last.bias is not None
    for shift in (100.0, -100.0):  # pre-activations far outside [-1, 1]: only a tanh bounds them
        with torch.no_grad():
            last.bias.fill_(shift)
            images = G(z)
        assert images.abs().max() <= 1.0
        assert torch.allclose(images, torch.full_like(images, 1.0 if shift > 0 else -1.0))


def test_build_models_validates_the_config() -> None:
    with pytest.raises(ConfigError) as info:
        build_models(tiny(image_size=48))
    assert info.value.field == "image_size"


# --- seeding --------------------------------------------------------------------------------------


def _all_weights(*modules: nn.Module) -> list[torch.Tensor]:
    return [t for m in modules for t in m.state_dict().values()]


def test_build_models_with_the_same_seed_gives_identical_weights() -> None:
    cfg = tiny(num_classes=2, spectral_norm=True, d_norm="none", rotation_head=True, vdb_dim=4)
    first = _all_weights(*build_models(cfg, seed=5))
    torch.manual_seed(999)  # the global RNG state must not matter
    second = _all_weights(*build_models(cfg, seed=5))
    assert len(first) == len(second) > 0
    assert all(torch.equal(a, b) for a, b in zip(first, second, strict=True))


def test_build_models_with_different_seeds_gives_different_weights() -> None:
    first = build_models(tiny(), seed=0)
    second = build_models(tiny(), seed=1)
    for net in (0, 1):
        a, b = first[net].state_dict(), second[net].state_dict()
        weights = [name for name in a if name.endswith("weight")]
        assert weights
        assert not any(torch.equal(a[name], b[name]) for name in weights)


def test_build_models_leaves_the_global_rng_untouched() -> None:
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    build_models(tiny(), seed=7)
    assert torch.equal(torch.rand(3), expected)


# --- conditioning ---------------------------------------------------------------------------------


def test_conditional_generator_without_labels_raises_value_error() -> None:
    G, _ = build_models(tiny(num_classes=3))
    with pytest.raises(ValueError, match="labels"):
        G(torch.randn(2, 8))


def test_conditional_discriminator_without_labels_raises_value_error() -> None:
    _, D = build_models(tiny(num_classes=3))
    with pytest.raises(ValueError, match="labels"):
        D(torch.zeros(2, 1, 28, 28))


def test_unconditional_generator_has_no_class_embedding() -> None:
    G, _ = build_models(tiny())
    with pytest.raises(ValueError):
        G.class_embedding(torch.tensor([0]))


def test_class_embedding_input_equals_label_input() -> None:
    G, _ = build_models(tiny(num_classes=4, class_embed_dim=6), seed=2)
    G.eval()
    z, labels = torch.randn(3, 8), torch.tensor([0, 3, 1])
    embedding = G.class_embedding(labels)
    assert embedding.shape == (3, 6)
    with torch.no_grad():
        by_label = G(z, labels=labels)
        by_embedding = G(z, class_embedding=embedding)
        other = G(z, labels=torch.tensor([1, 0, 2]))
    assert torch.equal(by_label, by_embedding)
    assert not torch.allclose(by_label, other)  # the label really changes the image


def test_class_embedding_takes_precedence_over_labels() -> None:
    G, _ = build_models(tiny(num_classes=4), seed=3)
    G.eval()
    z = torch.randn(2, 8)
    embedding = G.class_embedding(torch.tensor([2, 2]))
    with torch.no_grad():
        mixed = G(z, labels=torch.tensor([0, 1]), class_embedding=embedding)
        expected = G(z, labels=torch.tensor([2, 2]))
    assert torch.equal(mixed, expected)


def test_generator_in_eval_mode_does_not_depend_on_batch_companions() -> None:
    G, _ = build_models(tiny(), seed=4)
    G.eval()
    z = torch.randn(5, 8)
    with torch.no_grad():
        batch = G(z)
        single = G(z[2:3])
    assert torch.allclose(batch[2:3], single, atol=1e-6)


# --- discriminator heads --------------------------------------------------------------------------


def test_discriminator_heads_present_when_configured() -> None:
    _, D = build_models(tiny(rotation_head=True, vdb_dim=4, num_classes=2))
    D.train()
    out = D(torch.randn(3, 1, 28, 28), torch.tensor([0, 1, 1]), noise=torch.Generator())
    assert out.logits.shape == (3,)
    assert out.rotation_logits is not None
    assert out.rotation_logits.shape == (3, 4)
    assert out.kl is not None
    assert out.kl.dim() == 0
    assert out.kl.item() >= 0.0


def test_discriminator_rotation_head_alone_gives_no_kl() -> None:
    _, D = build_models(tiny(rotation_head=True))
    out = D(torch.randn(2, 1, 28, 28))
    assert out.rotation_logits is not None
    assert out.rotation_logits.shape == (2, 4)
    assert out.kl is None


def test_discriminator_vdb_alone_gives_kl_but_no_rotation_logits() -> None:
    _, D = build_models(tiny(vdb_dim=5))
    out = D(torch.randn(2, 1, 28, 28))
    assert out.rotation_logits is None
    assert out.kl is not None
    assert out.kl.item() >= 0.0


def test_discriminator_vdb_noise_generator_makes_the_sample_reproducible() -> None:
    _, D = build_models(tiny(vdb_dim=4, d_norm="none"))
    x = torch.randn(2, 1, 28, 28)
    first = D(x, noise=torch.Generator().manual_seed(0)).logits
    again = D(x, noise=torch.Generator().manual_seed(0)).logits
    other = D(x, noise=torch.Generator().manual_seed(1)).logits
    assert torch.equal(first, again)
    assert not torch.equal(first, other)


def test_discriminator_kl_is_zero_when_the_posterior_is_the_prior() -> None:
    _, D = build_models(tiny(vdb_dim=4, d_norm="none"))
    assert D.bottleneck is not None
    with torch.no_grad():
        D.bottleneck.weight.zero_()
        D.bottleneck.bias.zero_()  # mu = 0, log_var = 0: N(0, I)
    out = D(torch.randn(2, 1, 28, 28))
    assert out.kl is not None
    assert out.kl.item() == pytest.approx(0.0, abs=1e-7)


# --- spectral norm --------------------------------------------------------------------------------


def _weight_layers(module: nn.Module) -> list[nn.Conv2d | nn.Linear]:
    return [m for m in module.modules() if isinstance(m, nn.Conv2d | nn.Linear)]


def test_spectral_norm_registers_parametrizations_on_discriminator_layers_only() -> None:
    G, D = build_models(tiny(spectral_norm=True, d_norm="none", num_classes=2, rotation_head=True))
    layers = _weight_layers(D)
    # two stride-2 convolutions, one base-resolution 3x3 block, the real/fake and rotation heads
    assert len(layers) == 5
    for layer in layers:
        assert parametrize.is_parametrized(layer, "weight"), layer
    assert not any(parametrize.is_parametrized(m) for m in G.modules())


def test_without_spectral_norm_there_are_no_parametrizations() -> None:
    _, D = build_models(tiny())
    assert not any(parametrize.is_parametrized(m) for m in D.modules())


def test_spectral_norm_keeps_the_largest_singular_value_near_one() -> None:
    cfg = tiny(image_size=32, channels=3, spectral_norm=True, d_norm="none")
    _, D = build_models(cfg, seed=0)
    D.train()  # each training forward pass runs one more power iteration
    x = torch.randn(2, 3, 32, 32)
    for _ in range(40):  # power iteration converges slowest on the square 3x3 block
        D(x)
    layers = _weight_layers(D)
    assert len(layers) == 5  # three stride-2 convolutions, one 3x3 block, the head
    for layer in layers:
        weight = layer.weight.detach()
        sigma = torch.linalg.matrix_norm(weight.reshape(weight.shape[0], -1), ord=2)
        assert float(sigma) == pytest.approx(1.0, abs=0.03), layer


def test_without_spectral_norm_singular_values_are_far_from_one() -> None:
    # DCGAN's N(0, 0.02) init: the check above is only meaningful if this is not already ~1
    _, D = build_models(tiny(image_size=32, channels=3, d_norm="none"), seed=0)
    for layer in _weight_layers(D):
        weight = layer.weight.detach()
        sigma = torch.linalg.matrix_norm(weight.reshape(weight.shape[0], -1), ord=2)
        assert float(sigma) < 0.8
