"""Push routes: ``POST /push/notify``.

``audience`` is ``"all"`` or an object with exactly one of ``tag``,
``alias``, ``push_token`` (lists of strings) or ``user_id`` (list of
integers), 1 to 500 items. A repeated ``setting.request_id`` is not
executed again and answers the first task id.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..codes import Code
from ..envelope import BusinessError, ok_response
from ..state import PushTask
from ._common import app_of, body_object, invalid, mark_executed, state_of

__all__ = ["setup"]

MAX_AUDIENCE = 500
MESSAGE_TYPES = frozenset({"text", "image", "cmd"})
AUDIENCE_ITEM_TYPES: dict[str, type] = {
    "tag": str,
    "alias": str,
    "push_token": str,
    "user_id": int,
}


def validate_audience(audience: Any) -> None:
    if audience is None:
        raise invalid("audience is required")
    if isinstance(audience, str):
        if audience != "all":
            raise invalid('audience must be "all" or an object')
        return
    if not isinstance(audience, dict) or len(audience) != 1:
        raise invalid("audience must name exactly one of tag/alias/user_id/push_token")
    ((kind, items),) = audience.items()
    item_type = AUDIENCE_ITEM_TYPES.get(kind)
    if item_type is None:
        raise invalid(f"unknown audience kind {kind!r}")
    if not isinstance(items, list) or not items:
        raise invalid(f"audience.{kind} must be a non-empty list")
    if len(items) > MAX_AUDIENCE:
        raise BusinessError(Code.PUSH_TOO_MANY_TARGETS)
    for item in items:
        if not isinstance(item, item_type) or isinstance(item, bool):
            raise invalid(f"audience.{kind} items must be {item_type.__name__}")


def validate_message(message: Any) -> None:
    if not isinstance(message, dict):
        raise invalid("message is required and must be an object")
    kind = message.get("type")
    if kind is not None and kind not in MESSAGE_TYPES:
        raise invalid("message.type must be text, image or cmd")


def request_id_of(setting: Any) -> str | None:
    if setting is None:
        return None
    if not isinstance(setting, dict):
        raise invalid("setting must be an object")
    request_id = setting.get("request_id")
    if request_id is not None and not isinstance(request_id, str):
        raise invalid("setting.request_id must be a string")
    return request_id or None


async def notify(request: web.Request) -> web.Response:
    body = body_object(request)
    validate_audience(body.get("audience"))
    validate_message(body.get("message"))
    request_id = request_id_of(body.get("setting"))

    app = app_of(request)
    if request_id is not None:
        earlier = app.push_request_ids.get(request_id)
        if earlier is not None:
            return ok_response({"task_id": earlier})

    state = state_of(request)
    task = PushTask(state.task_ids.take(), state.now_ms(), body, request_id)
    app.push_tasks[task.task_id] = task
    if request_id is not None:
        app.push_request_ids[request_id] = task.task_id
    mark_executed(request)
    return ok_response({"task_id": task.task_id})


def setup(app: web.Application) -> None:
    app.router.add_post("/push/notify", notify)
