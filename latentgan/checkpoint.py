"""Atomic, pickle-free checkpoints: tensors in safetensors, everything else as JSON metadata.

A checkpoint is one ``.safetensors`` file holding the state dicts of every module and optimizer
under prefixes, plus one JSON document (step, configs, scalar state) in the file's metadata. It is
written to a temporary file, fsynced, and renamed over the old one, so a crash at any moment leaves
either the previous checkpoint or the new one — never half of one.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load as load_safetensors
from safetensors.torch import save as save_safetensors
from torch import Tensor

from latentgan.errors import ArtifactError

_META_KEY = "latentgan"
_UMASK = os.umask(0o022)
os.umask(_UMASK)  # reading the umask means setting it: put it straight back


def atomic_write(path: Path, data: bytes) -> None:
    """Write bytes so that readers see the old file or the whole new one, even after a crash."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp's 0600 would hide weights from other workers
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # make the rename itself durable
    finally:
        os.close(dir_fd)


def save_tensor_file(path: Path, tensors: dict[str, Tensor], meta: dict[str, Any]) -> None:
    """Atomically write tensors (any device) and a JSON-able dict to one safetensors file."""
    cpu = {k: v.detach().to("cpu").contiguous() for k, v in tensors.items()}
    data = save_safetensors(cpu, metadata={_META_KEY: json.dumps(meta, sort_keys=True)})
    atomic_write(path, data)


def load_tensor_file(path: Path) -> tuple[dict[str, Tensor], dict[str, Any]]:
    """Read a file written by ``save_tensor_file``: (tensors on CPU, metadata dict)."""
    try:
        data = path.read_bytes()
        tensors = load_safetensors(data)
        with_meta = _read_metadata(data)
    except FileNotFoundError as e:
        raise ArtifactError(f"missing file {path}") from e
    except (SafetensorError, ValueError, OSError) as e:
        raise ArtifactError(f"{path} is not a readable safetensors file: {e}") from e
    return tensors, with_meta


def _read_metadata(data: bytes) -> dict[str, Any]:
    header_len = int.from_bytes(data[:8], "little")
    header = json.loads(data[8 : 8 + header_len])
    raw = header.get("__metadata__", {}).get(_META_KEY)
    meta = {} if raw is None else json.loads(raw)
    if not isinstance(meta, dict):
        raise ValueError("its latentgan metadata is not a JSON object")
    return meta


def prefixed(prefix: str, state: dict[str, Tensor]) -> dict[str, Tensor]:
    """``state`` with every key under ``prefix.``."""
    return {f"{prefix}.{k}": v for k, v in state.items()}


def unprefixed(prefix: str, tensors: dict[str, Tensor]) -> dict[str, Tensor]:
    """The entries of ``tensors`` under ``prefix.``, with the prefix removed."""
    head = prefix + "."
    return {k[len(head) :]: v for k, v in tensors.items() if k.startswith(head)}


def optimizer_state(optimizer: torch.optim.Optimizer) -> tuple[dict[str, Tensor], dict[str, Any]]:
    """Split an optimizer's state dict into tensors and a JSON-able remainder (no pickling)."""
    state = optimizer.state_dict()
    tensors: dict[str, Tensor] = {}
    scalars: dict[str, dict[str, Any]] = {}
    for param_id, entries in state["state"].items():
        for name, value in entries.items():
            if isinstance(value, Tensor):
                tensors[f"{param_id}.{name}"] = value
            else:
                scalars.setdefault(str(param_id), {})[name] = value
    return tensors, {"param_groups": state["param_groups"], "scalars": scalars}


def restore_optimizer(
    optimizer: torch.optim.Optimizer, tensors: dict[str, Tensor], meta: dict[str, Any]
) -> None:
    """Load what ``optimizer_state`` split apart back into an optimizer."""
    state: dict[int, dict[str, Any]] = {}
    for key, value in tensors.items():
        param_id, name = key.split(".", 1)
        state.setdefault(int(param_id), {})[name] = value
    for param_id, entries in meta["scalars"].items():
        state.setdefault(int(param_id), {}).update(entries)
    optimizer.load_state_dict({"state": state, "param_groups": meta["param_groups"]})
