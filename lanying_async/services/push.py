"""Push notifications to devices."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterable
from typing import Any

import msgspec

from lanying_async.bulk.engine import BulkJob
from lanying_async.bulk.options import BulkOptions
from lanying_async.bulk.report import ChunkResult, ItemError
from lanying_async.errors import ValidationError
from lanying_async.models.base import Envelope
from lanying_async.models.push import (
    Audience,
    NotifyRequest,
    PushCertificate,
    PushEnvironment,
    PushMessage,
    PushProvider,
    PushSetting,
    PushTask,
    PushTaskDetail,
    TaskIdsRequest,
)
from lanying_async.services.base import Service, require_data
from lanying_async.transport.endpoint import Endpoint, OperationKind
from lanying_async.validation import (
    MAX_PUSH_TARGETS,
    check_encodes,
    check_enum,
    check_id,
    check_ids,
    check_strings,
    check_text,
    checked_id_sequence,
    optional_text,
)

__all__ = ["PushService", "check_push_message", "check_push_setting"]

# The spec answers a task object, the guide's example a bare ``true``: both decode.
NOTIFY = Endpoint(
    "POST", "/push/notify", Envelope[PushTask | bool], kind=OperationKind.DEDUPLICATED_WRITE
)
CERTIFICATE = Endpoint("GET", "/push/certificate", Envelope[PushCertificate])
# A statistics query: nothing changes on the server, so it retries like a read.
TASK_DETAIL = Endpoint(
    "POST", "/push/task/detail", Envelope[list[PushTaskDetail]], kind=OperationKind.READ
)


_REFUSED = ItemError(None, "the server answered false")
_NAME = "POST /push/notify"


def _task(envelope: Envelope[PushTask | bool]) -> PushTask:
    """The push task a notify answered, whichever of its two forms it took."""
    data = require_data(envelope, NOTIFY)
    return data if isinstance(data, PushTask) else PushTask(accepted=data)


def check_push_message(message: object) -> None:
    """A [`PushMessage`][lanying_async.models.push.PushMessage] whose every text has a UTF-8 form
    (`ValidationError` otherwise)."""
    if not isinstance(message, PushMessage):
        raise ValidationError("message", "must be a PushMessage")
    check_encodes(message, "message")  # free-form texts: each must have a UTF-8 form


def check_push_setting(setting: object) -> None:
    """None, or a [`PushSetting`][lanying_async.models.push.PushSetting] with a text `request_id`
    if any."""
    if setting is None:
        return
    if not isinstance(setting, PushSetting):
        raise ValidationError("setting", "must be a PushSetting or None")
    optional_text(setting.request_id, "setting.request_id", allow_empty=True)


def _request_id(make: Callable[[list[int | str]], str], chunk: list[int | str]) -> str:
    """The id `make` gives a request, checked before the request is sent."""
    made = make(list(chunk))
    if not isinstance(made, str) or not made:
        raise ValidationError("request_ids", "must return a non-empty string")
    return made


def _item_check(audience: Audience, field: str) -> Callable[[Any], Any]:
    """The check one audience value must pass (an id, or a non-empty string)."""
    if audience.kind == "user_id":
        return lambda value: check_id(value, field)
    return lambda value: check_text(value, field)


def _check_audience(audience: Audience) -> Audience:
    if not isinstance(audience, Audience):
        raise ValidationError("audience", "must be an Audience (e.g. Audience.user_ids([...]))")
    if audience.lazy:
        raise ValidationError("audience", "a lazy audience needs notify(), which sends it in parts")
    field = f"audience.{audience.kind}"
    if audience.kind == "user_id":
        check_ids(audience.values, field, max_items=MAX_PUSH_TARGETS)  # type: ignore[arg-type]
    elif audience.kind != "all":
        check_strings(audience.values, field, max_items=MAX_PUSH_TARGETS)  # type: ignore[arg-type]
    return audience


class PushService(Service):
    """Operations under `/push`."""

    __slots__ = ()

    def notify(
        self,
        audience: Audience,
        message: PushMessage,
        *,
        setting: PushSetting | None = None,
        options: BulkOptions | None = None,
        request_ids: Callable[[list[int | str]], str] | None = None,
    ) -> BulkJob[int | str, int | str]:
        """Push a notification to everyone, or to any number of ids, aliases, tags or tokens.

        `POST /push/notify`. A targeted audience of any size (a list, or a lazy iterable or async
        iterable) is cut into requests of at most 500 values, the API's limit, sent concurrently;
        every value ends in the report and `report.values` holds the push task ids that came back
        (a server that answers `true`, as the guide shows, names none). A `false` answer fails
        the request's values. Each request carries its own `setting.request_id` (yours plus
        `-N`, or a random one), fixed once, so a retried request is de-duplicated by the server;
        `request_ids`, when given, makes each request's id instead: it is called once per request
        with the values it carries (`["all"]` for everyone), before its first attempt, and must
        return a non-empty string (durable jobs use it to give a chunk the same id in every process
        that sends it). `Audience.all()` is one request, reported as the single item `"all"`.
        Raises `ValidationError` for bad arguments before sending; a refused request
        (`PushNotEnabledError` 12006, ...) fails its values. Use
        [`notify_once()`][lanying_async.services.push.PushService.notify_once] for exactly one
        request.
        """
        check_push_message(message)
        check_push_setting(setting)
        if not isinstance(audience, Audience):
            raise ValidationError("audience", "must be an Audience (e.g. Audience.user_ids([...]))")
        if audience.kind == "all":

            async def send_all(chunk: list[int | str]) -> ChunkResult[int | str]:
                once = setting
                if request_ids is not None:
                    fixed = _request_id(request_ids, chunk)
                    once = msgspec.structs.replace(setting or PushSetting(), request_id=fixed)
                task = await self.notify_once(audience, message, setting=once)
                if not task.accepted:
                    return ChunkResult(failed=dict.fromkeys(chunk, _REFUSED))
                return ChunkResult(list(chunk), value=task.task_id)

            return self._bulk(["all"], send_all, options, deduplicated=True, name=_NAME)

        field = f"audience.{audience.kind}"
        validate = _item_check(audience, field)
        items = audience.items()
        if not audience.lazy:  # in memory: check it all before sending anything
            if audience.kind == "user_id":
                checked_id_sequence(audience.values, field)  # type: ignore[arg-type]
            else:
                check_strings(audience.values, field)  # type: ignore[arg-type]
        base = setting or PushSetting()
        prefix = base.request_id or uuid.uuid4().hex
        numbers = itertools.count()

        async def send_chunk(chunk: list[int | str]) -> ChunkResult[int | str]:
            if request_ids is None:
                request_id = f"{prefix}-{next(numbers)}"
            else:
                request_id = _request_id(request_ids, chunk)
            chunk_setting = msgspec.structs.replace(base, request_id=request_id)
            body = NotifyRequest(
                audience=audience.selector(chunk), message=message, setting=chunk_setting
            )
            task = _task(await self._call(NOTIFY, body=body))
            if not task.accepted:
                return ChunkResult(failed=dict.fromkeys(chunk, _REFUSED))
            return ChunkResult(chunk, value=task.task_id)

        return self._bulk(
            items,
            send_chunk,
            options,
            chunk_size=self._transport.config.bulk.push_chunk_size,
            max_chunk=MAX_PUSH_TARGETS,
            validate=validate if audience.lazy else None,
            deduplicated=True,
            name=_NAME,
        )

    async def notify_once(
        self,
        audience: Audience,
        message: PushMessage,
        *,
        setting: PushSetting | None = None,
    ) -> PushTask:
        """Push a notification with exactly one request; returns the push task.

        `POST /push/notify`. A targeted audience holds at most 500 values per
        request (checked before sending). The SDK fills `setting.request_id`
        once per call (unless you set it), so a retried push is de-duplicated by
        the server. `task_id` is None when the server answers `true` (the
        guide's form) rather than a task; `accepted` is False when it answers
        `false`. Raises `PushTargetLimitError` (12005) or
        `PushNotEnabledError` (12006).
        """
        _check_audience(audience)
        check_push_message(message)
        check_push_setting(setting)
        if setting is None:
            setting = PushSetting(request_id=uuid.uuid4().hex)
        elif setting.request_id is None:
            setting = msgspec.structs.replace(setting, request_id=uuid.uuid4().hex)
        body = NotifyRequest(audience=audience.to_wire(), message=message, setting=setting)
        return _task(await self._call(NOTIFY, body=body))

    async def certificate(
        self,
        provider: PushProvider,
        *,
        environment: PushEnvironment | None = None,
    ) -> PushCertificate:
        """Read the push certificate the app configured for one provider.

        `GET /push/certificate`. `provider` is a
        [`PushProvider`][lanying_async.models.push.PushProvider] (APNs, Huawei, Xiaomi, Meizu, vivo,
        OPPO or FCM); `environment` picks the development or production credential and is left to
        the server's default (production) when not given. Raises `PushNotEnabledError` (12006)
        when the app has no push service or no certificate for that provider,
        `InvalidParameterError` (10002) for bad arguments.
        """
        params: dict[str, str | int] = {
            "provider": int(check_enum(PushProvider, provider, "provider"))
        }
        if environment is not None:
            params["environment"] = int(check_enum(PushEnvironment, environment, "environment"))
        return require_data(await self._call(CERTIFICATE, params=params), CERTIFICATE)

    async def task_details(self, task_ids: Iterable[int]) -> list[PushTaskDetail]:
        """Delivery statistics of push tasks, one entry per known task id.

        `POST /push/task/detail`. Pass the `task_id` values that
        [`notify()`][lanying_async.services.push.PushService.notify] returned; for each task the
        result gives, per channel, how many targets were valid, how many notifications were sent and
        how many were delivered. Ids the server does not know are left out of the result, so compare
        `task_id` rather than positions. Raises `PushNotEnabledError` (12006) or
        `InvalidParameterError` (10002).
        """
        body = TaskIdsRequest(task_ids=check_ids(task_ids, "task_ids"))
        envelope = await self._call(TASK_DETAIL, body=body)
        return envelope.data or []
