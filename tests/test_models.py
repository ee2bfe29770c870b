"""Response models: which ones the garbage collector may skip, and why that is safe."""

from __future__ import annotations

import gc
import types
import typing
from collections.abc import Iterator
from typing import Any

import msgspec

import lanying_async.models  # noqa: F401  (defines every model)
from lanying_async.models import ConversationHistory, GroupMember, PagedEnvelope, Record, Response

_SCALARS = (int, str, bool, float, type(None))


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _scalar(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return True
    if origin is typing.Annotated:
        return _scalar(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return all(_scalar(arg) for arg in typing.get_args(annotation))
    return isinstance(annotation, type) and issubclass(annotation, _SCALARS)


def test_records_hold_only_scalars_so_they_cannot_be_in_a_cycle() -> None:
    records = list(_subclasses(Record))
    assert len(records) >= 20
    for record in records:
        assert record.__struct_config__.gc is False, record
        hints = typing.get_type_hints(record, include_extras=True)
        for name in record.__struct_fields__:
            assert _scalar(hints[name]), f"{record.__name__}.{name} is {hints[name]}"


def test_every_scalar_only_response_is_a_record() -> None:
    for model in _subclasses(Response):
        hints = typing.get_type_hints(model, include_extras=True)
        if all(_scalar(hints[name]) for name in model.__struct_fields__):
            assert issubclass(model, Record), f"{model.__name__} holds only scalars"


def test_decoded_records_are_not_tracked_and_containers_are() -> None:
    raw = (
        b'{"code":200,"data":[{"user_id":7,"join_time":1,"display_name":"a"},'
        b'{"user_id":8,"join_time":2}],"cursor":"c"}'
    )
    page = msgspec.json.decode(raw, type=PagedEnvelope[GroupMember])
    assert [m.user_id for m in page.data or []] == [7, 8]
    assert not any(gc.is_tracked(member) for member in page.data or [])
    history = msgspec.json.decode(b'{"messages":[{"content":"hi"}]}', type=ConversationHistory)
    assert gc.is_tracked(history)
