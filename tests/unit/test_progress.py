"""Training progress events: what the train flow writes is exactly what the api reads back."""

from __future__ import annotations

from flows.progress import TrainProgress, events_key

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR fake"


def _as_redis_returns(fields: dict[str, bytes | str]) -> dict[bytes, bytes]:
    """A stream entry as redis-py returns it without decode_responses: all bytes."""
    return {k.encode(): v if isinstance(v, bytes) else v.encode() for k, v in fields.items()}


def test_events_key() -> None:
    assert events_key("abc-123") == "latentgan:train:events:abc-123"


def test_roundtrip_of_a_full_event_with_bytes_keys() -> None:
    event = TrainProgress(
        step=120,
        total_steps=500,
        images_per_second=1234.5678901234,
        losses={"d": 0.6931471805599453, "g": 1.25},
        metrics={"fd": 12.5, "coverage": 1.0},
        sample_grid=PNG,
        attempt=3,
        model="tiny@2",
    )
    fields = event.to_fields()
    assert fields["sample_grid"] == PNG
    assert fields["step"] == "120" and fields["attempt"] == "3"
    back = TrainProgress.from_fields(_as_redis_returns(fields))
    assert back == event
    assert back.images_per_second == 1234.5678901234  # repr keeps the float exact


def test_roundtrip_without_a_grid() -> None:
    event = TrainProgress(step=7, total_steps=9, losses={"d": 0.5, "g": 2.0})
    fields = event.to_fields()
    assert "sample_grid" not in fields
    for back in (
        TrainProgress.from_fields(dict(fields)),
        TrainProgress.from_fields(_as_redis_returns(fields)),
    ):
        assert back == event
        assert back.sample_grid is None and back.attempt == 1 and back.model == ""


def test_a_str_grid_is_read_as_bytes() -> None:
    back = TrainProgress.from_fields({"step": "1", "total_steps": "2", "sample_grid": "png"})
    assert back.sample_grid == b"png"


def test_missing_fields_take_defaults() -> None:
    assert TrainProgress.from_fields({}) == TrainProgress(
        step=0,
        total_steps=0,
        images_per_second=0.0,
        losses={},
        metrics={},
        sample_grid=None,
        attempt=1,
        model="",
    )
    partial = TrainProgress.from_fields({b"step": b"42", b"model": b"m@1"})
    assert (partial.step, partial.total_steps, partial.attempt, partial.model) == (42, 0, 1, "m@1")
