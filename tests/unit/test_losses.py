"""Tests for latentgan.losses: objectives, gradient penalty, rotations, the VDB beta update."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
import torch
from torch import Tensor

from latentgan.losses import (
    discriminator_loss,
    generator_loss,
    gradient_penalty,
    rotate_quarter_turns,
    rotation_loss,
    vdb_beta_update,
)

REAL = torch.tensor([0.0, 3.0])
FAKE = torch.tensor([-1.0, 3.0])


def softplus(x: float) -> float:
    return math.log1p(math.exp(x))


# --- objectives -----------------------------------------------------------------------------------


def test_ns_discriminator_loss_known_value() -> None:
    # -log sigmoid(real) - log(1 - sigmoid(fake)) = softplus(-real) + softplus(fake), averaged
    expected = (softplus(-0.0) + softplus(-3.0)) / 2 + (softplus(-1.0) + softplus(3.0)) / 2
    assert discriminator_loss("ns", REAL, FAKE).item() == pytest.approx(expected, rel=1e-6)


def test_hinge_discriminator_loss_known_value() -> None:
    # mean(relu(1 - [0, 3])) = 0.5; mean(relu(1 + [-1, 3])) = 2
    assert discriminator_loss("hinge", REAL, FAKE).item() == pytest.approx(2.5)


def test_wgan_discriminator_loss_is_fake_mean_minus_real_mean() -> None:
    assert discriminator_loss("wgan-gp", REAL, FAKE).item() == pytest.approx(1.0 - 1.5)


def test_ns_generator_loss_known_value() -> None:
    expected = (softplus(1.0) + softplus(-3.0)) / 2  # -log sigmoid(fake), averaged
    assert generator_loss("ns", FAKE).item() == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("kind", ["hinge", "wgan-gp"])
def test_hinge_and_wgan_generator_loss_is_minus_fake_mean(kind: str) -> None:
    assert generator_loss(kind, FAKE).item() == pytest.approx(-1.0)  # type: ignore[arg-type]


def test_ns_discriminator_loss_is_stable_for_extreme_logits() -> None:
    real, fake = torch.tensor([200.0, -200.0]), torch.tensor([-200.0, 200.0])
    loss = discriminator_loss("ns", real, fake)
    assert torch.isfinite(loss)
    assert loss.item() == pytest.approx(200.0, rel=1e-4)  # (0 + 200)/2 + (0 + 200)/2


def test_losses_fall_as_the_discriminator_gets_better() -> None:
    weak = discriminator_loss("ns", torch.zeros(4), torch.zeros(4))
    strong = discriminator_loss("ns", torch.full((4,), 5.0), torch.full((4,), -5.0))
    assert weak.item() == pytest.approx(2 * math.log(2))
    assert strong < weak
    hinge_perfect = discriminator_loss("hinge", torch.full((4,), 1.5), torch.full((4,), -1.5))
    assert hinge_perfect.item() == 0.0


def test_discriminator_loss_gradients_push_logits_apart() -> None:
    real, fake = torch.zeros(2, requires_grad=True), torch.zeros(2, requires_grad=True)
    for kind in ("ns", "hinge", "wgan-gp"):
        real.grad, fake.grad = None, None
        discriminator_loss(kind, real, fake).backward()
        assert real.grad is not None
        assert fake.grad is not None
        assert (real.grad < 0).all(), kind  # descending raises real logits
        assert (fake.grad > 0).all(), kind  # and lowers fake ones


# --- gradient penalty -----------------------------------------------------------------------------


def _linear_critic(w: Tensor) -> Callable[[Tensor], Tensor]:
    """f(x) = <x, w> per image: its gradient is w everywhere, with norm ||w||."""
    return lambda x: (x * w).flatten(1).sum(dim=1)


def _images(seed: int, n: int = 4) -> tuple[Tensor, Tensor]:
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(n, 1, 3, 3, generator=gen), torch.randn(n, 1, 3, 3, generator=gen)


def test_gradient_penalty_is_zero_for_a_unit_norm_gradient() -> None:
    w = torch.randn(1, 3, 3, generator=torch.Generator().manual_seed(0))
    w = w / w.norm()
    real, fake = _images(1)
    penalty = gradient_penalty(_linear_critic(w), real, fake, torch.Generator().manual_seed(2))
    assert penalty.item() == pytest.approx(0.0, abs=1e-10)


@pytest.mark.parametrize("norm", [0.0, 0.5, 3.0])
def test_gradient_penalty_is_norm_minus_one_squared(norm: float) -> None:
    w = torch.ones(1, 3, 3) / 3.0 * norm  # ||w|| = norm (9 entries of norm/3)
    real, fake = _images(3)
    penalty = gradient_penalty(_linear_critic(w), real, fake, None)
    assert penalty.item() == pytest.approx((norm - 1.0) ** 2, rel=1e-5, abs=1e-10)


def test_gradient_penalty_is_differentiable_with_respect_to_the_critic() -> None:
    # create_graph=True, so the penalty trains the critic:
    # d/dw (||w|| - 1)^2 = 2 (||w|| - 1) w / ||w||
    w = torch.full((1, 3, 3), 1.0, requires_grad=True)  # ||w|| = 3
    real, fake = _images(4)
    gradient_penalty(_linear_critic(w), real, fake, None).backward()
    assert w.grad is not None
    assert torch.allclose(w.grad, torch.full((1, 3, 3), 2 * (3.0 - 1.0) / 3.0))


def test_gradient_penalty_evaluates_at_seeded_interpolates() -> None:
    # f(x) = ||x||^2 / 2 has gradient x, so the penalty reveals where it was evaluated
    real, fake = _images(5, n=3)

    def quadratic(x: Tensor) -> Tensor:
        return 0.5 * x.flatten(1).square().sum(dim=1)

    penalty = gradient_penalty(quadratic, real, fake, torch.Generator().manual_seed(6))
    alpha = torch.rand((3, 1, 1, 1), generator=torch.Generator().manual_seed(6))
    x_hat = alpha * real + (1 - alpha) * fake
    expected = (x_hat.flatten(1).norm(dim=1) - 1).square().mean()
    assert penalty.item() == pytest.approx(expected.item(), rel=1e-5)
    again = gradient_penalty(quadratic, real, fake, torch.Generator().manual_seed(6))
    assert torch.equal(penalty, again)


# --- rotations ------------------------------------------------------------------------------------


def test_rotate_quarter_turns_shapes_and_targets() -> None:
    images = torch.arange(2 * 3 * 4 * 4, dtype=torch.float32).reshape(2, 3, 4, 4)
    rotated, targets = rotate_quarter_turns(images)
    assert rotated.shape == (8, 3, 4, 4)
    assert targets.tolist() == [0, 0, 1, 1, 2, 2, 3, 3]
    assert targets.dtype == torch.int64
    assert torch.equal(rotated[:2], images)  # the first quarter is unrotated


def test_rotating_back_by_the_target_recovers_the_originals() -> None:
    images = torch.randn(3, 1, 5, 5, generator=torch.Generator().manual_seed(0))
    rotated, targets = rotate_quarter_turns(images)
    for i in range(len(rotated)):
        k = int(targets[i])
        back = torch.rot90(rotated[i], -k, dims=(1, 2))
        assert torch.equal(back, images[i % 3]), i
        if k:
            assert not torch.equal(rotated[i], images[i % 3])  # it really was rotated


def test_one_quarter_turn_is_counter_clockwise() -> None:
    image = torch.tensor([[1.0, 2.0], [3.0, 4.0]]).reshape(1, 1, 2, 2)
    rotated, _ = rotate_quarter_turns(image)
    assert rotated[1, 0].tolist() == [[2.0, 4.0], [1.0, 3.0]]
    assert rotated[2, 0].tolist() == [[4.0, 3.0], [2.0, 1.0]]


def test_rotation_loss_is_low_for_confident_right_answers_and_high_for_wrong_ones() -> None:
    targets = torch.tensor([0, 1, 2, 3])
    right = 10.0 * torch.eye(4)
    wrong = 10.0 * torch.eye(4).roll(1, dims=1)
    assert rotation_loss(right, targets).item() < 1e-3
    assert rotation_loss(wrong, targets).item() > 9.0
    assert rotation_loss(torch.zeros(4, 4), targets).item() == pytest.approx(math.log(4))


# --- VDB beta -------------------------------------------------------------------------------------


def test_vdb_beta_rises_when_kl_exceeds_the_constraint() -> None:
    assert vdb_beta_update(0.1, kl=1.0, information_constraint=0.5, step_size=0.01) == (
        pytest.approx(0.105)
    )


def test_vdb_beta_falls_when_kl_is_below_the_constraint() -> None:
    assert vdb_beta_update(0.1, kl=0.2, information_constraint=0.5, step_size=0.01) == (
        pytest.approx(0.097)
    )


def test_vdb_beta_is_unchanged_at_the_constraint() -> None:
    assert vdb_beta_update(0.3, kl=0.5, information_constraint=0.5, step_size=0.1) == 0.3


def test_vdb_beta_never_goes_negative() -> None:
    assert vdb_beta_update(0.001, kl=0.0, information_constraint=0.5, step_size=1.0) == 0.0
    assert vdb_beta_update(0.0, kl=0.1, information_constraint=0.5, step_size=1e-5) == 0.0
    beta = 0.05
    for _ in range(100):
        beta = vdb_beta_update(beta, kl=0.0, information_constraint=0.5, step_size=0.01)
        assert beta >= 0.0
    assert beta == 0.0
