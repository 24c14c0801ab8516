"""services.admission: the api's and each client's in-flight images are bounded."""

from __future__ import annotations

import pytest

from services.admission import Admission
from services.queue import QueueFullError


def test_a_client_over_its_share_is_refused_while_another_is_admitted() -> None:
    gate = Admission(max_images=100, client_max_images=10)
    with gate.admit("flood", 8):
        with (
            pytest.raises(QueueFullError, match="this client has 8 images in flight"),
            gate.admit("flood", 3),
        ):
            pass
        with gate.admit("other", 10):
            assert (gate.of("flood"), gate.of("other"), gate.total) == (8, 10, 18)
    assert (gate.of("flood"), gate.total) == (0, 0)


def test_the_api_wide_bound_holds_for_everyone() -> None:
    gate = Admission(max_images=10, client_max_images=10)
    with (
        gate.admit("a", 6),
        pytest.raises(QueueFullError, match="this api has 6 images"),
        gate.admit("b", 5),
    ):
        pass


def test_one_request_larger_than_a_bound_gets_through_when_nothing_is_in_flight() -> None:
    gate = Admission(max_images=10, client_max_images=4)
    with gate.admit("a", 50):
        assert gate.total == 50
    assert gate.total == 0


def test_a_failed_request_gives_its_images_back() -> None:
    gate = Admission(max_images=10, client_max_images=10)
    with pytest.raises(RuntimeError), gate.admit("a", 7):
        raise RuntimeError("the worker failed")
    assert gate.total == 0 and gate.of("a") == 0
