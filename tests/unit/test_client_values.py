"""The SDK refuses what a request cannot carry before any call, as InvalidArgument naming it.

protobuf itself would refuse `sample(model, n=-1)` with a bare ValueError that names no field
(issue 12). Every public method of Client and AsyncClient is called here with values its
message's fields cannot hold (out of their integer range, of the wrong type, unknown choices);
each must raise `InvalidArgumentValue` (an `InvalidArgument`, also a ValueError) or
`InvalidArgumentType` (also a TypeError) whose field is the argument, with a one-line message,
and must not reach the stub. A last test puts such a value into every field of every request
message of the service through `_checks.put`, so a field added to the proto is held to the same
rule without a new row here.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import grpc
import numpy as np
import pytest
from google.protobuf.descriptor import FieldDescriptor

from latentgan_client import AsyncClient, Client, InvalidArgument, LatentganError, _convert
from latentgan_client._checks import INTEGER_RANGES, put
from latentgan_client.errors import InvalidArgumentType, InvalidArgumentValue
from latentgan_client.v1 import latentgan_pb2 as pb

UINT32 = 2**32
UINT64 = 2**64
INT32 = 2**31
ADDRESS = "127.0.0.1:1"  # nothing listens; and the stub is replaced, so no call can be made
IMAGE = np.zeros((4, 4), dtype=np.uint8)

# (method, positional arguments, keyword arguments, the field the error must name)
CASES: list[tuple[str, tuple[Any, ...], dict[str, Any], str]] = [
    # sample
    ("sample", ("m",), {"n": -1}, "n"),
    ("sample", ("m",), {"n": UINT32}, "n"),
    ("sample", ("m",), {"n": 1.5}, "n"),
    ("sample", ("m",), {"n": "3"}, "n"),
    ("sample", ("m",), {"n": True}, "n"),
    ("sample", ("m",), {"n": None}, "n"),
    ("sample", ("m",), {"n": 10**5000}, "n"),
    ("sample", ("m",), {"latents": np.zeros((2, 3)), "n": 10**5000}, "n"),
    ("sample", ("m",), {"seed": -1}, "seed"),
    ("sample", ("m",), {"seed": UINT64}, "seed"),
    ("sample", ("m",), {"seed": 2.0}, "seed"),
    ("sample", ("m",), {"labels": [0, INT32]}, "labels"),
    ("sample", ("m",), {"labels": [-INT32 - 1]}, "labels"),
    ("sample", ("m",), {"labels": [1.5]}, "labels"),
    ("sample", ("m",), {"labels": np.array([0.0, 1.0])}, "labels"),
    ("sample", ("m",), {"labels": "3"}, "labels"),
    ("sample", ("m",), {"labels": 1.0}, "labels"),
    ("sample", ("m",), {"truncation": "0.5"}, "truncation"),
    ("sample", ("m",), {"truncation": None}, "truncation"),
    ("sample", ("m",), {"truncation": 1e40}, "truncation"),
    ("sample", ("m",), {"truncation": 10**400}, "truncation"),
    ("sample", ("m",), {"truncation": np.array([0.5, 0.7])}, "truncation"),
    ("sample", ("m",), {"version": -1}, "version"),
    ("sample", ("m",), {"version": UINT32}, "version"),
    ("sample", ("m",), {"version": "2"}, "version"),
    ("sample", (None,), {}, "model"),
    ("sample", (5,), {}, "model"),
    ("sample", ("\ud800",), {}, "model"),
    ("sample", ("m",), {"encoding": "jpeg"}, "encoding"),
    ("sample", ("m",), {"encoding": ["raw"]}, "encoding"),
    ("sample", ("m",), {"latents": [[1.0, float("nan")]]}, "latents"),
    ("sample", ("m",), {"latents": [[1e39]]}, "latents"),
    ("sample", ("m",), {"latents": [[10**400]]}, "latents"),
    ("sample", ("m",), {"latents": np.zeros((2, 3)), "n": -1}, "n"),
    # interpolate
    ("interpolate", ("m",), {"seed_a": -1}, "seed_a"),
    ("interpolate", ("m",), {"seed_b": UINT64}, "seed_b"),
    ("interpolate", ("m",), {"label_a": INT32}, "label_a"),
    ("interpolate", ("m",), {"label_b": "1"}, "label_b"),
    ("interpolate", ("m",), {"steps": -1}, "steps"),
    ("interpolate", ("m",), {"steps": UINT32}, "steps"),
    ("interpolate", ("m",), {"method": "cubic"}, "method"),
    ("interpolate", ("m",), {"latent_a": np.zeros((2, 3))}, "latent_a"),
    ("interpolate", ("m",), {"latent_b": ["x"]}, "latent_b"),
    ("interpolate", ("m",), {"truncation": "x"}, "truncation"),
    ("interpolate", ("m",), {"version": -1}, "version"),
    # edit
    ("edit", ("m", "sefa:0"), {"n": -1}, "n"),
    ("edit", ("m", "sefa:0"), {"n": UINT32}, "n"),
    ("edit", ("m", "sefa:0"), {"seed": -1}, "seed"),
    ("edit", ("m", "sefa:0"), {"strengths": ["1"]}, "strengths"),
    ("edit", ("m", "sefa:0"), {"strengths": [0.0, float("nan")]}, "strengths"),
    ("edit", ("m", "sefa:0"), {"strengths": "abc"}, "strengths"),
    ("edit", ("m", "sefa:0"), {"strengths": None}, "strengths"),
    ("edit", ("m", 5), {}, "direction"),
    ("edit", ("m", ""), {}, "direction"),
    ("edit", ("m", {"sefa:0": "x"}), {}, "direction"),
    ("edit", ("m", {3: 1.0}), {}, "direction"),
    ("edit", ("m", "\ud800"), {}, "direction"),
    ("edit", ("m", {"sefa:0": 10**400}), {}, "direction"),
    ("edit", ("m", {"sefa:0": float("inf")}), {}, "direction"),
    ("edit", ("m", [1.0, 10**400]), {}, "direction"),
    ("edit", ("m", "sefa:0"), {"strengths": [10**400]}, "strengths"),
    ("edit", ("m", "sefa:0"), {"arithmetic": (1, 2, UINT64)}, "arithmetic"),
    ("edit", ("m", "sefa:0"), {"arithmetic": (-1, 2, 3)}, "arithmetic"),
    ("edit", ("m", "sefa:0"), {"arithmetic": (1.5, 2, 3)}, "arithmetic"),
    ("edit", ("m", "sefa:0"), {"arithmetic": 5}, "arithmetic"),
    ("edit", ("m", "sefa:0"), {"labels": [INT32]}, "labels"),
    ("edit", ("m", "sefa:0"), {"truncation": "x"}, "truncation"),
    ("edit", ("m", "sefa:0"), {"version": UINT32}, "version"),
    # project
    ("project", ("m", IMAGE), {"labels": [2**40]}, "labels"),
    ("project", ("m", IMAGE), {"steps": -1}, "steps"),
    ("project", ("m", IMAGE), {"steps": UINT32}, "steps"),
    ("project", ("m", IMAGE), {"seed": UINT64}, "seed"),
    ("project", ("m", IMAGE), {"method": "lbfgs"}, "method"),
    ("project", ("m", IMAGE), {"version": -1}, "version"),
    ("project", ("m", 42), {}, "images"),
    ("project", ("m", [IMAGE, np.zeros((4, 4))]), {}, "images"),
    # complete
    ("complete", ("m", IMAGE, "left"), {"k": 0}, "k"),
    ("complete", ("m", IMAGE, "left"), {"k": UINT32}, "k"),
    ("complete", ("m", IMAGE, "left"), {"steps": UINT32}, "steps"),
    ("complete", ("m", IMAGE, "left"), {"label": INT32}, "label"),
    ("complete", ("m", IMAGE, "left"), {"label": "1"}, "label"),
    ("complete", ("m", IMAGE, "left"), {"seed": -1}, "seed"),
    ("complete", ("m", IMAGE, "left"), {"version": UINT32}, "version"),
    ("complete", ("m", IMAGE, None), {}, "mask"),
    ("complete", ("m", IMAGE, "random:2"), {}, "mask"),
    ("complete", ("m", 42, "left"), {}, "image"),
    # directions and compute_directions
    ("directions", ("m",), {"version": -1}, "version"),
    ("directions", (3,), {}, "model"),
    ("compute_directions", ("m",), {"k": -1}, "k"),
    ("compute_directions", ("m",), {"k": UINT32}, "k"),
    ("compute_directions", ("m",), {"samples": UINT32}, "samples"),
    ("compute_directions", ("m",), {"seed": UINT64}, "seed"),
    ("compute_directions", ("m",), {"attribute": 3}, "attribute"),
    ("compute_directions", ("m",), {"orthogonal_to": [3]}, "orthogonal_to"),
    ("compute_directions", ("m",), {"orthogonal_to": 5}, "orthogonal_to"),
    ("compute_directions", ("m",), {"orthogonal_to": [""]}, "orthogonal_to"),
    ("compute_directions", ("m",), {"method": "umap"}, "method"),
    ("compute_directions", ("m",), {"version": UINT32}, "version"),
    # models
    ("list_models", (3,), {}, "name"),
    ("get_model", ("m",), {"version": -1}, "version"),
    ("get_model", ("m",), {"version": UINT32}, "version"),
    ("get_model", (None,), {}, "model"),
    # training jobs
    ("train", ("digits", "m"), {"epochs": -1}, "epochs"),
    ("train", ("digits", "m"), {"steps": UINT32}, "steps"),
    ("train", ("digits", "m"), {"latent_dim": -1}, "latent_dim"),
    ("train", ("digits", "m"), {"latent_dim": 1.5}, "latent_dim"),
    ("train", ("digits", "m"), {"conditional": "yes"}, "conditional"),
    ("train", ("digits", "m"), {"loss": "wgan"}, "loss"),
    ("train", ("digits", "m"), {"request_id": 5}, "request_id"),
    ("train", ("digits", "m"), {"batch_size": [128]}, "batch_size"),
    ("train", (None, "m"), {}, "dataset"),
    ("train", ("digits", 5), {}, "name"),
    ("get_job", (None,), {}, "job_id"),
    ("cancel", (5,), {}, "job_id"),
    ("watch", (b"job",), {}, "job_id"),
    ("list_jobs", (), {"limit": -1}, "limit"),
    ("list_jobs", (), {"limit": -(10**5000)}, "limit"),
    ("list_jobs", (), {"limit": 1.5}, "limit"),
    ("list_jobs", (), {"name": 5}, "name"),
]
IDS = [f"{method}-{field}-{i}" for i, (method, _, _, field) in enumerate(CASES)]


class _NoCalls:
    """A stub that fails the test if any RPC is looked up: the check must come first."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"{name} was called with a value the SDK should have refused")


def _assert_refused(error: BaseException, field: str) -> None:
    assert isinstance(error, InvalidArgument), f"{type(error).__name__}: {error}"
    assert isinstance(error, InvalidArgumentValue) and isinstance(error, ValueError)
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert error.field == field, f"field {error.field!r}, not {field!r}: {error}"
    assert list(error.fields) == [field]
    assert error.message and "\n" not in str(error)
    assert len(error.message) < 300, error.message


@pytest.mark.parametrize(("method", "args", "kwargs", "field"), CASES, ids=IDS)
def test_client_refuses_before_any_call(
    method: str, args: tuple[Any, ...], kwargs: dict[str, Any], field: str
) -> None:
    with Client(ADDRESS, timeout=0.5, retries=0) as client:
        client._stub = _NoCalls()  # type: ignore[assignment]
        with pytest.raises(LatentganError) as caught:
            result = getattr(client, method)(*args, **kwargs)
            next(iter(result))  # only watch returns (an iterator); nothing else gets here
    _assert_refused(caught.value, field)


@pytest.mark.parametrize(("method", "args", "kwargs", "field"), CASES, ids=IDS)
def test_async_client_refuses_before_any_call(
    method: str, args: tuple[Any, ...], kwargs: dict[str, Any], field: str
) -> None:
    async def call() -> None:
        async with AsyncClient(ADDRESS, timeout=0.5, retries=0) as client:
            client._stub = _NoCalls()  # type: ignore[assignment]
            result = getattr(client, method)(*args, **kwargs)
            if inspect.isawaitable(result):
                await result
            else:  # watch: an async iterator
                await anext(result)

    with pytest.raises(LatentganError) as caught:
        asyncio.run(call())
    _assert_refused(caught.value, field)


def _sample(*args: Any) -> pb.SampleRequest:
    """_convert.sample's request, for arguments of any type."""
    return _convert.sample(*args).request


def test_wrong_types_are_also_type_errors_and_bad_values_value_errors() -> None:
    with pytest.raises(InvalidArgumentType) as wrong:
        _sample("m", "3", 0, None, 1.0, None, None, "raw")
    assert isinstance(wrong.value, TypeError)
    assert str(wrong.value) == "INVALID_ARGUMENT: n must be an integer; got str (field n)"
    with pytest.raises(InvalidArgumentValue) as out_of_range:
        _sample("m", -1, 0, None, 1.0, None, None, "raw")
    assert not isinstance(out_of_range.value, TypeError)
    assert out_of_range.value.message == "n must be in [0, 4294967295] (uint32); got -1"


def test_the_extremes_of_each_range_travel() -> None:
    labels = [-INT32, INT32 - 1]
    request = _sample("m", UINT32 - 1, UINT64 - 1, labels, 0.5, None, UINT32 - 1, "raw")
    assert (request.n, request.seed, request.version) == (UINT32 - 1, UINT64 - 1, UINT32 - 1)
    assert list(request.labels) == labels
    numpy = _sample("m", np.uint32(3), np.uint64(5), np.array([1, 2]), 1.0, None, 0, "raw")
    assert (numpy.n, numpy.seed, list(numpy.labels)) == (3, 5, [1, 2])
    weights: dict[str, Any] = {"sefa:0": np.float32(0.5)}
    edit = _convert.edit("m", weights, [np.float64(1)], 0, 1, None, 1.0, None, None, 0, "raw")
    assert dict(edit.request.mix.weights) == {"sefa:0": 0.5}
    assert list(edit.request.strengths) == [1.0]


def _bad_value(field: FieldDescriptor) -> Any:
    """A value `field` cannot carry: past its integer range, or of another type."""
    if field.cpp_type in INTEGER_RANGES:
        return INTEGER_RANGES[field.cpp_type][1] + 1
    if field.cpp_type in (FieldDescriptor.CPPTYPE_DOUBLE, FieldDescriptor.CPPTYPE_FLOAT):
        return "1.0"
    if field.cpp_type == FieldDescriptor.CPPTYPE_BOOL:
        return "true"
    return 5  # a string, bytes or a message


def _request_fields() -> list[tuple[str, str]]:
    service = pb.DESCRIPTOR.services_by_name["LatentGan"]
    types = {method.input_type for method in service.methods}
    return sorted((t.name, f.name) for t in types for f in t.fields)


@pytest.mark.parametrize(("message", "field_name"), _request_fields())
def test_every_field_of_every_request_refuses_what_it_cannot_carry(
    message: str, field_name: str
) -> None:
    request = getattr(pb, message)()
    field = request.DESCRIPTOR.fields_by_name[field_name]
    entry = field.message_type
    if entry is not None and entry.GetOptions().map_entry:
        bad: Any = {"key": _bad_value(entry.fields_by_name["value"])}
    elif field.is_repeated:
        bad = [_bad_value(field)]
    else:
        bad = _bad_value(field)
    with pytest.raises(InvalidArgumentValue) as caught:
        put(request, field_name, bad, f"the_{field_name}")
    assert caught.value.field == f"the_{field_name}"
    assert request == getattr(pb, message)()  # nothing was set
