"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import torch

# Contracts run by both unit and integration tests: their asserts explained like a test file's.
pytest.register_assert_rewrite("tests.objectstore_contract")


@pytest.fixture(autouse=True, scope="session")
def _single_torch_thread() -> Iterator[None]:
    """Run torch on one thread: tiny ops on a busy 2-core machine are ~100× slower with two
    (OpenMP workers wait on cores that other processes hold)."""
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)
