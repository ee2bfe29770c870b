"""Push notifications to devices."""

from __future__ import annotations

import uuid

import msgspec

from lanying_async.errors import ValidationError
from lanying_async.models.base import Envelope
from lanying_async.models.push import Audience, NotifyRequest, PushMessage, PushSetting, PushTask
from lanying_async.services.base import Service, require_data
from lanying_async.transport.endpoint import Endpoint, OperationKind
from lanying_async.validation import MAX_PUSH_TARGETS, check_ids, check_strings

__all__ = ["PushService"]

NOTIFY = Endpoint("POST", "/push/notify", Envelope[PushTask], kind=OperationKind.DEDUPLICATED_WRITE)


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
