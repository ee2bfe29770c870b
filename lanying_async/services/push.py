"""Push notifications to devices."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

import msgspec

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
from lanying_async.validation import MAX_PUSH_TARGETS, check_enum, check_ids, check_strings

__all__ = ["PushService"]

NOTIFY = Endpoint("POST", "/push/notify", Envelope[PushTask], kind=OperationKind.DEDUPLICATED_WRITE)
CERTIFICATE = Endpoint("GET", "/push/certificate", Envelope[PushCertificate])
# A statistics query: nothing changes on the server, so it retries like a read.
TASK_DETAIL = Endpoint(
    "POST", "/push/task/detail", Envelope[list[PushTaskDetail]], kind=OperationKind.READ
)


def _check_audience(audience: Audience) -> Audience:
    if not isinstance(audience, Audience):
        raise ValidationError("audience", "must be an Audience (e.g. Audience.user_ids([...]))")
    field = f"audience.{audience.kind}"
    if audience.kind == "user_id":
        check_ids(audience.values, field, max_items=MAX_PUSH_TARGETS)  # type: ignore[arg-type]
    elif audience.kind != "all":
        check_strings(audience.values, field, max_items=MAX_PUSH_TARGETS)  # type: ignore[arg-type]
    return audience


class PushService(Service):
    """Operations under ``/push``."""

    __slots__ = ()

    async def notify(
        self,
        audience: Audience,
        message: PushMessage,
        *,
        setting: PushSetting | None = None,
    ) -> PushTask:
        """Push a notification to everyone or to devices matched by ids, aliases, tags or tokens.

        ``POST /push/notify``. A targeted audience holds at most 500 values per
        request (checked before sending). The SDK fills ``setting.request_id``
        once per call (unless you set it), so a retried push is de-duplicated by
        the server. Returns the push task; raises ``PushTargetLimitError`` (12005)
        or ``PushNotEnabledError`` (12006).
        """
        _check_audience(audience)
        if not isinstance(message, PushMessage):
            raise ValidationError("message", "must be a PushMessage")
        if setting is None:
            setting = PushSetting(request_id=uuid.uuid4().hex)
        elif setting.request_id is None:
            setting = msgspec.structs.replace(setting, request_id=uuid.uuid4().hex)
        body = NotifyRequest(audience=audience.to_wire(), message=message, setting=setting)
        return require_data(await self._call(NOTIFY, body=body), NOTIFY)

    async def certificate(
        self,
        provider: PushProvider,
        *,
        environment: PushEnvironment | None = None,
    ) -> PushCertificate:
        """Read the push certificate the app configured for one provider.

        ``GET /push/certificate``. ``provider`` is a :class:`PushProvider`
        (APNs, Huawei, Xiaomi, Meizu, vivo, OPPO or FCM); ``environment``
        picks the development or production credential and is left to the
        server's default (production) when not given. Raises
        ``PushNotEnabledError`` (12006) when the app has no push service or no
        certificate for that provider, ``InvalidParameterError`` (10002) for
        bad arguments.
        """
        params: dict[str, str | int] = {
            "provider": int(check_enum(PushProvider, provider, "provider"))
        }
        if environment is not None:
            params["environment"] = int(check_enum(PushEnvironment, environment, "environment"))
        return require_data(await self._call(CERTIFICATE, params=params), CERTIFICATE)

    async def task_details(self, task_ids: Iterable[int]) -> list[PushTaskDetail]:
        """Delivery statistics of push tasks, one entry per known task id.

        ``POST /push/task/detail``. Pass the ``task_id`` values that
        :meth:`notify` returned; for each task the result gives, per channel,
        how many targets were valid, how many notifications were sent and how
        many were delivered. Ids the server does not know are left out of the
        result, so compare ``task_id`` rather than positions. Raises
        ``PushNotEnabledError`` (12006) or ``InvalidParameterError`` (10002).
        """
        body = TaskIdsRequest(task_ids=check_ids(task_ids, "task_ids"))
        envelope = await self._call(TASK_DETAIL, body=body)
        return envelope.data or []
