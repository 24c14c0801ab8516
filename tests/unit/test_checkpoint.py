"""Tests for latentgan.checkpoint: safetensors round trips, atomic writes, optimizer state."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from safetensors import safe_open
from torch import nn

from latentgan.checkpoint import (
    atomic_write,
    load_tensor_file,
    optimizer_state,
    prefixed,
    restore_optimizer,
    save_tensor_file,
    unprefixed,
)
from latentgan.errors import ArtifactError


def _tensors() -> dict[str, torch.Tensor]:
    gen = torch.Generator().manual_seed(0)
    return {
        "g.weight": torch.randn(3, 4, generator=gen),
        "g.bias": torch.randn(4, generator=gen).double(),
        "step": torch.tensor(17, dtype=torch.int64),
        "pixels": torch.randint(0, 256, (2, 2, 3), generator=gen, dtype=torch.uint8),
        "half": torch.randn(5, generator=gen).to(torch.bfloat16),
        "strided": torch.arange(12.0).reshape(3, 4).t(),  # non-contiguous
    }


# --- save / load ----------------------------------------------------------------------------------


def test_save_and_load_round_trip_tensors_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.safetensors"
    tensors = _tensors()
    meta = {"step": 17, "config": {"lr": 2e-4, "betas": [0.5, 0.999], "name": "ns"}, "flag": None}
    save_tensor_file(path, tensors, meta)
    loaded, loaded_meta = load_tensor_file(path)
    assert loaded_meta == meta
    assert set(loaded) == set(tensors)
    for name, tensor in tensors.items():
        assert loaded[name].dtype == tensor.dtype, name
        assert loaded[name].device.type == "cpu"
        assert torch.equal(loaded[name], tensor), name


def test_save_creates_missing_parent_directories(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "ckpt.safetensors"
    save_tensor_file(path, {"x": torch.ones(2)}, {})
    loaded, meta = load_tensor_file(path)
    assert torch.equal(loaded["x"], torch.ones(2))
    assert meta == {}


def test_saved_file_is_plain_safetensors_with_json_metadata(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.safetensors"
    tensors = _tensors()
    save_tensor_file(path, tensors, {"step": 3})
    assert path.read_bytes()[:1] != b"\x80"  # not a pickle (protocol 2+ starts with 0x80)
    with safe_open(str(path), framework="pt") as f:
        assert set(f.keys()) == set(tensors)
        assert torch.equal(f.get_tensor("g.weight"), tensors["g.weight"])
        metadata = f.metadata()
    assert json.loads(metadata["latentgan"]) == {"step": 3}


def test_loaded_tensors_can_be_updated_in_place(tmp_path: Path) -> None:
    # optimizer state is restored from these tensors and then updated in place by step()
    path = tmp_path / "ckpt.safetensors"
    save_tensor_file(path, {"x": torch.zeros(3)}, {})
    loaded, _ = load_tensor_file(path)
    loaded["x"].add_(1.0)
    assert torch.equal(loaded["x"], torch.ones(3))


def test_prefixed_and_unprefixed_are_inverse_and_separate_prefixes(tmp_path: Path) -> None:
    g = {"w": torch.ones(1), "b.x": torch.zeros(1)}
    d = {"w": torch.full((1,), 2.0)}
    combined = prefixed("g", g) | prefixed("d", d) | prefixed("gg", {"w": torch.full((1,), 3.0)})
    assert set(combined) == {"g.w", "g.b.x", "d.w", "gg.w"}
    assert unprefixed("g", combined) == g
    assert unprefixed("d", combined) == d
    assert set(unprefixed("gg", combined)) == {"w"}


# --- atomic writes --------------------------------------------------------------------------------


def test_atomic_write_replaces_content_and_leaves_no_temp_files(tmp_path: Path) -> None:
    path = tmp_path / "file.bin"
    atomic_write(path, b"first")
    atomic_write(path, b"second, longer")
    assert path.read_bytes() == b"second, longer"
    assert [p.name for p in tmp_path.iterdir()] == ["file.bin"]
    atomic_write(path, b"x")
    assert path.read_bytes() == b"x"  # shorter content: no leftover tail of the old file


def test_crash_before_rename_keeps_old_file_and_removes_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ckpt.safetensors"
    save_tensor_file(path, {"x": torch.ones(2)}, {"step": 1})
    old = path.read_bytes()

    def crash(src: object, dst: object) -> None:
        raise OSError("simulated crash during rename")

    monkeypatch.setattr("latentgan.checkpoint.os.replace", crash)
    with pytest.raises(OSError, match="simulated crash"):
        save_tensor_file(path, {"x": torch.zeros(2)}, {"step": 2})
    monkeypatch.undo()
    assert path.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir()] == ["ckpt.safetensors"]
    tensors, meta = load_tensor_file(path)
    assert torch.equal(tensors["x"], torch.ones(2))
    assert meta == {"step": 1}


def test_interrupt_during_write_keeps_old_file_and_removes_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "file.bin"
    atomic_write(path, b"old")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("latentgan.checkpoint.os.fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(path, b"new")
    monkeypatch.undo()
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["file.bin"]


# --- unreadable files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b"", b"not a safetensors file at all", bytes(range(256)) * 3, b"\xff" * 8 + b"{}"],
    ids=["empty", "text", "binary", "huge-header-length"],
)
def test_loading_garbage_raises_artifact_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "garbage.safetensors"
    path.write_bytes(content)
    with pytest.raises(ArtifactError):
        load_tensor_file(path)


def test_loading_a_truncated_checkpoint_raises_artifact_error(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.safetensors"
    save_tensor_file(path, _tensors(), {"step": 1})
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(ArtifactError):
        load_tensor_file(path)


def test_loading_a_missing_file_raises_artifact_error(tmp_path: Path) -> None:
    with pytest.raises(ArtifactError, match="missing"):
        load_tensor_file(tmp_path / "nope.safetensors")


# --- optimizer state ------------------------------------------------------------------------------


def _train(model: nn.Module, optimizer: torch.optim.Optimizer, steps: int) -> None:
    x = torch.linspace(-1, 1, 12).reshape(4, 3)
    target = torch.tensor([[1.0, -1.0], [0.5, 0.0], [0.0, 2.0], [-1.0, 1.0]])
    for _ in range(steps):
        optimizer.zero_grad()
        loss = (model(x) - target).square().mean()
        loss.backward()
        optimizer.step()


def test_optimizer_state_survives_a_file_round_trip_bit_identically(tmp_path: Path) -> None:
    torch.manual_seed(0)
    model = nn.Linear(3, 2)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05, betas=(0.5, 0.9))
    _train(model, optimizer, 3)

    opt_tensors, opt_meta = optimizer_state(optimizer)
    path = tmp_path / "ckpt.safetensors"
    save_tensor_file(
        path,
        prefixed("model", model.state_dict()) | prefixed("opt", opt_tensors),
        {"opt": opt_meta},
    )

    tensors, meta = load_tensor_file(path)
    resumed = nn.Linear(3, 2)  # different random init, overwritten below
    resumed.load_state_dict(unprefixed("model", tensors))
    resumed_optimizer = torch.optim.Adam(resumed.parameters(), lr=1.0)  # wrong hyperparameters
    restore_optimizer(resumed_optimizer, unprefixed("opt", tensors), meta["opt"])
    assert resumed_optimizer.param_groups[0]["lr"] == 0.05
    assert tuple(resumed_optimizer.param_groups[0]["betas"]) == (0.5, 0.9)
    for p, q in zip(model.parameters(), resumed.parameters(), strict=True):
        state, resumed_state = optimizer.state[p], resumed_optimizer.state[q]
        assert float(resumed_state["step"]) == 3.0
        assert torch.equal(state["exp_avg"], resumed_state["exp_avg"])
        assert torch.equal(state["exp_avg_sq"], resumed_state["exp_avg_sq"])

    _train(model, optimizer, 4)
    _train(resumed, resumed_optimizer, 4)
    for p, q in zip(model.parameters(), resumed.parameters(), strict=True):
        assert torch.equal(p, q)


def test_restored_optimizer_differs_from_a_fresh_one() -> None:
    # the bit-identity above is meaningful only if a fresh Adam would end elsewhere
    torch.manual_seed(0)
    model = nn.Linear(3, 2)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05, betas=(0.5, 0.9))
    _train(model, optimizer, 3)
    fresh_model = nn.Linear(3, 2)
    fresh_model.load_state_dict(model.state_dict())
    fresh = torch.optim.Adam(fresh_model.parameters(), lr=0.05, betas=(0.5, 0.9))
    _train(model, optimizer, 4)
    _train(fresh_model, fresh, 4)
    assert not all(
        torch.equal(p, q) for p, q in zip(model.parameters(), fresh_model.parameters(), strict=True)
    )


def test_optimizer_state_splits_tensors_from_json_scalars() -> None:
    model = nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    optimizer.zero_grad()
    model(torch.ones(1, 2)).sum().backward()
    optimizer.step()
    tensors, meta = optimizer_state(optimizer)
    assert set(tensors) == {"0.momentum_buffer", "1.momentum_buffer"}
    json.dumps(meta)  # must be JSON-able: it goes into the file's metadata
    assert meta["param_groups"][0]["lr"] == 0.1
    assert meta["param_groups"][0]["params"] == [0, 1]
