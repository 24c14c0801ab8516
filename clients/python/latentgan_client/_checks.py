"""Putting a call's values into its request message: every value checked against its field first.

protobuf refuses a value its field cannot carry with a bare ValueError or TypeError that names no
field (``Value out of range: -1`` for ``n=-1``), and quietly takes some it should not (True as
1.0 in a float field, 1e40 as inf in a float32 one, None for "unset" in a constructor). The
request builders of `_convert` therefore set every field through `put` (or `new`), which checks
the value against the field's descriptor — the integer range of its wire type, a number, a str
of valid UTF-8, bytes, a bool, each element of a repeated field and each entry of a map — and
raises `InvalidArgumentValue` (or `InvalidArgumentType` for a value of the wrong type) naming the
caller's argument, before any call. What is checked comes from the descriptor, so a field added
to the proto is covered as soon as a builder sets it; whatever protobuf still refuses is
translated the same way. Meaning (n >= 1, a known model) is the server's to judge, not this
module's.
"""

from __future__ import annotations

import math
import numbers
import operator
import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar, cast

import numpy as np
from google.protobuf import message
from google.protobuf.descriptor import Descriptor, FieldDescriptor

from latentgan_client.errors import InvalidArgumentType, InvalidArgumentValue

MessageT = TypeVar("MessageT", bound=message.Message)

FD = FieldDescriptor
INTEGER_RANGES: dict[int, tuple[int, int]] = {
    FD.CPPTYPE_INT32: (-(2**31), 2**31 - 1),
    FD.CPPTYPE_INT64: (-(2**63), 2**63 - 1),
    FD.CPPTYPE_UINT32: (0, 2**32 - 1),
    FD.CPPTYPE_UINT64: (0, 2**64 - 1),
    FD.CPPTYPE_ENUM: (-(2**31), 2**31 - 1),  # proto3 enums are open: any int32 travels
}
"""The values each integer kind of field carries, by the descriptor's cpp_type (which covers the
sint, fixed and sfixed encodings of the same width)."""
_INTEGER_NAMES = {
    FD.CPPTYPE_INT32: "int32",
    FD.CPPTYPE_INT64: "int64",
    FD.CPPTYPE_UINT32: "uint32",
    FD.CPPTYPE_UINT64: "uint64",
    FD.CPPTYPE_ENUM: "enum",
}
FLOAT32_MAX = float(np.finfo(np.float32).max)
_SHOWN = 40  # characters of a refused value echoed in a message
_ARGUMENT = re.compile(r"[A-Za-z_]\w*")


def argument_of(what: str) -> str:
    """The argument a value's path names, the error's field: labels[2] -> labels, n -> n."""
    found = _ARGUMENT.match(what)
    return found.group() if found else what


def invalid(what: str, message: str) -> InvalidArgumentValue:
    """The error for a bad value at `what` (an argument, or an element of one: labels[2])."""
    return InvalidArgumentValue(argument_of(what), message)


def wrong_type(what: str, expected: str, value: object) -> InvalidArgumentType:
    """The error for a value of the wrong type at `what`: "<what> must be <expected>; got T"."""
    got = "None" if value is None else type(value).__name__
    return InvalidArgumentType(argument_of(what), f"{what} must be {expected}; got {got}")


def shown(value: object) -> str:
    """A value as a message echoes it: its repr, cut short (a huge int by its size: Python
    will not even print one of more than 4300 digits)."""
    if isinstance(value, int) and value.bit_length() > 64:
        return f"an integer of {value.bit_length()} bits"
    try:
        text = repr(value)
    except Exception:  # a broken __repr__ must not hide the refusal
        text = f"a {type(value).__name__}"
    return text if len(text) <= _SHOWN else f"{text[: _SHOWN - 3]}..."


def integer(value: object, what: str) -> int:
    """`value` as an int: anything with __index__ (numpy integers too), never a bool or float."""
    if isinstance(value, bool | np.bool_):
        raise wrong_type(what, "an integer", value)
    try:
        return operator.index(value)  # type: ignore[arg-type]  # no __index__: the TypeError below
    except TypeError:
        raise wrong_type(what, "an integer", value) from None


def at_least(value: object, what: str, minimum: int = 0) -> int:
    """`value` as an int of at least `minimum`: a count or a seed the SDK refuses below it."""
    whole = integer(value, what)
    if whole < minimum:
        raise invalid(what, f"{what} must be >= {minimum}; got {shown(whole)}")
    return whole


def choose(table: Mapping[str, Any], value: object, what: str) -> Any:
    """table[value] for a choice given by name (an encoding, a method), or an error listing
    the names."""
    try:
        return table[value]  # type: ignore[index]  # any other value is a KeyError or TypeError
    except (KeyError, TypeError):
        choices = ", ".join(table)
        raise invalid(what, f"{what} must be one of {choices}; got {shown(value)}") from None


def number(value: object, what: str, float32: bool = False) -> float:
    """`value` as a float: any real number but a bool (a Python int of any size, numpy
    floats); with `float32`, one that float32 holds (finite values past its range would arrive
    as infinities)."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise wrong_type(what, "a number", value)
    try:
        result = float(value)
    except (OverflowError, TypeError, ValueError):
        raise invalid(what, f"{what} is not a float; got {shown(value)}") from None
    if float32 and math.isfinite(result) and abs(result) > FLOAT32_MAX:
        raise invalid(what, f"{what} is beyond float32's range; got {shown(value)}")
    return result


def scalar(field: FieldDescriptor, value: object, what: str) -> Any:
    """`value` as field's (non-repeated) type can carry it, or InvalidArgumentValue/Type for
    `what`: integers within the field's range, numbers, UTF-8 str, bytes, bools, messages."""
    kind = field.cpp_type
    if kind in INTEGER_RANGES:
        whole = integer(value, what)
        low, high = INTEGER_RANGES[kind]
        if not low <= whole <= high:
            name = _INTEGER_NAMES[kind]
            text = f"{what} must be in [{low}, {high}] ({name}); got {shown(whole)}"
            raise invalid(what, text)
        return whole
    if kind in (FD.CPPTYPE_DOUBLE, FD.CPPTYPE_FLOAT):
        return number(value, what, float32=kind == FD.CPPTYPE_FLOAT)
    if kind == FD.CPPTYPE_BOOL:
        if not isinstance(value, bool | np.bool_):
            raise wrong_type(what, "a bool", value)
        return bool(value)
    if field.type == FD.TYPE_BYTES:
        if not isinstance(value, bytes | bytearray | memoryview):
            raise wrong_type(what, "bytes", value)
        return bytes(value)
    if kind == FD.CPPTYPE_STRING:
        if not isinstance(value, str):
            raise wrong_type(what, "a str", value)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise invalid(what, f"{what} is not valid UTF-8 text; got {shown(value)}") from None
        return value
    expected = field.message_type
    if not (isinstance(value, message.Message) and value.DESCRIPTOR is expected):
        raise wrong_type(what, f"a {expected.name if expected else 'known'} message", value)
    return value


def _items(value: object, what: str) -> list[Any]:
    """The elements of a value for a repeated field: any iterable but a str, bytes or mapping."""
    if isinstance(value, str | bytes | bytearray | Mapping) or not isinstance(value, Iterable):
        raise wrong_type(what, "a sequence", value)
    return list(value)


def _map_entry(field: FieldDescriptor) -> Descriptor | None:
    """The entry type of a map field (its key and value fields); None for any other field."""
    entry = field.message_type
    return entry if entry is not None and entry.GetOptions().map_entry else None


def _store(holder: message.Message, field: FieldDescriptor, value: Any, what: str) -> None:
    """Put the checked `value` into `holder`, translating whatever protobuf still refuses."""
    target: Any = getattr(holder, field.name)
    try:
        if _map_entry(field) is not None:
            target.clear()
            for key, item in value.items():
                if isinstance(item, message.Message):
                    target[key].CopyFrom(item)
                else:
                    target[key] = item
        elif field.is_repeated:
            del target[:]
            if field.message_type is None:
                target.extend(value)
            else:
                for item in value:
                    target.add().CopyFrom(item)
        elif field.message_type is not None:
            target.CopyFrom(value)
        else:
            setattr(holder, field.name, value)
    except TypeError as error:  # a kind of value the checks do not know
        raise InvalidArgumentType(argument_of(what), f"{what}: {error}") from None
    except ValueError as error:
        raise invalid(what, f"{what}: {error}") from None


def put(holder: message.Message, field_name: str, value: object, what: str | None = None) -> None:
    """Set `holder.<field_name>` to `value` after checking it against the field: a repeated
    field's elements one by one (what[i]), a map's keys and values; the error names `what`
    (default: the field's name), the caller's argument that gave the value.

    A repeated field or map is replaced by `value`; None is refused like any other value of the
    wrong type (leave an optional field out instead of putting None in it)."""
    field = cast(FieldDescriptor, holder.DESCRIPTOR.fields_by_name[field_name])
    what = what or field_name
    checked: Any
    entry = _map_entry(field)
    if entry is not None:
        if not isinstance(value, Mapping):
            raise wrong_type(what, "a mapping", value)
        key_field = entry.fields_by_name["key"]
        value_field = entry.fields_by_name["value"]
        checked = {
            scalar(key_field, key, f"{what} key {shown(key)}"): scalar(
                value_field, item, f"{what}[{shown(key)}]"
            )
            for key, item in value.items()
        }
    elif field.is_repeated:
        items = _items(value, what)
        checked = [scalar(field, item, f"{what}[{i}]") for i, item in enumerate(items)]
    else:
        checked = scalar(field, value, what)
    _store(holder, field, checked, what)


def new(
    cls: type[MessageT], names: Mapping[str, str] | None = None, /, **values: object
) -> MessageT:
    """A `cls` message with each field of `values` put in (see `put`); `names` maps a field to
    the caller's argument that gave it, where the two differ."""
    request = cls()
    for field_name, value in values.items():
        put(request, field_name, value, (names or {}).get(field_name))
    return request
