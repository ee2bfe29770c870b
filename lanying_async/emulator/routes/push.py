"""Push routes: notify, task statistics and certificates.

`POST /push/notify`: `audience` is `"all"` or an object with exactly
one of `tag`, `alias`, `push_token` (lists of strings) or `user_id`
(list of integers), 1 to 500 items. A repeated `setting.request_id` is not
executed again and answers the first task id. The task's delivery counts are
fixed when it is created: every user of the app for `"all"`; the known
users (without `no_push`) for `user_id`; the push tokens known from
token issue or device binding for `push_token`; for `alias`/`tag` the
users the user-preference state maps to those names. All of them are reported
on Lanying's own channel as sent and delivered.

`POST /push/task/detail`: `{"list": [task ids]}`, 1 or more positive ids;
tasks of other apps and unknown ids are left out of the answer.

`GET /push/certificate`: `provider` 1-7 is required, `environment` is
0 or 1 (default 1) and matters for APNs only; a provider without a
certificate answers 12006.

Every push operation answers 12006 while `services.push_enabled` is False.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import msgspec
from aiohttp import web

from ..codes import Code
from ..envelope import BusinessError, ok_response
from ..state import AppState, PushTask
from ..state_services import APNS, PRODUCTION, PushStats
from ._common import app_of, body_as, body_object, invalid, mark_executed, query_int, state_of

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
    try:  # every item of the one type (true and false are not ints), checked in C
        msgspec.convert(items, list[item_type], strict=True)  # type: ignore[valid-type]
    except msgspec.ValidationError:
        raise invalid(f"audience.{kind} items must be {item_type.__name__}") from None


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


def require_push(app: AppState) -> None:
    if not app.services.push_enabled:
        raise BusinessError(Code.PUSH_NOT_ENABLED)


def _user_ids(value: Any) -> set[int]:
    owner = getattr(value, "user_id", None)  # e.g. a bound device
    if owner is not None:
        value = owner
    if isinstance(value, int) and not isinstance(value, bool):
        return {value}
    if isinstance(value, Iterable) and not isinstance(value, str | bytes):
        return {v for v in value if isinstance(v, int) and not isinstance(v, bool)}
    return set()


def _holders(app: AppState, index_name: str, name: str) -> set[int]:
    """Users a reverse index of the user-preference state maps `name` to.

    The index is read defensively (`app.prefs.<index_name>`, a mapping of
    name -> user id, user ids, or an object with a `user_id`); when the
    state has no such index the name reaches no one.
    """
    index = getattr(app.prefs, index_name, None)
    if not isinstance(index, Mapping):
        return set()
    return _user_ids(index.get(name))


def audience_size(app: AppState, audience: Any) -> int:
    """How many targets a (validated) audience reaches in `app`."""
    users = app.users
    if audience == "all":
        return len(users)
    ((kind, items),) = audience.items()
    if kind == "user_id":
        known = users.keys() & items  # the distinct known users, in C
        silenced = app.users_with_setting["no_push"]
        return len(known) - (len(silenced & known) if silenced else 0)
    names = set(items)
    if kind == "push_token":  # one target per token that belongs to a known user
        issued = app.services.push_tokens
        reached = 0
        for token in names:
            owners = _holders(app, "token_devices", token) | _holders(
                app, "alias_token_users", token
            )
            if token in issued:
                owners.add(issued[token])
            if any(uid in users for uid in owners):
                reached += 1
        return reached
    index_name = "alias_users" if kind == "alias" else "tag_users"
    found: set[int] = set()
    for name in names:
        found |= _holders(app, index_name, name)
    return sum(1 for uid in found if uid in users)


async def notify(request: web.Request) -> web.Response:
    app = app_of(request)
    require_push(app)
    body = body_object(request)
    validate_audience(body.get("audience"))
    validate_message(body.get("message"))
    request_id = request_id_of(body.get("setting"))

    if request_id is not None:
        earlier = app.push_request_ids.get(request_id)
        if earlier is not None:
            return ok_response({"task_id": earlier})

    state = state_of(request)
    task = PushTask(state.task_ids.take(), state.now_ms(), body, request_id)
    app.push_tasks[task.task_id] = task
    reached = audience_size(app, body["audience"])
    app.services.push_stats[task.task_id] = PushStats(task.task_id, reached, reached, reached)
    if request_id is not None:
        app.push_request_ids[request_id] = task.task_id
    mark_executed(request)
    return ok_response({"task_id": task.task_id})


class TaskIdsBody(msgspec.Struct):
    task_ids: list[int] = msgspec.field(name="list")


def stats_view(stats: PushStats) -> dict[str, int]:
    """Spec model `TaskDetail`: every channel is listed, only Lanying's is used."""
    view = {"task_id": stats.task_id}
    for channel in ("apns", "fcm", "flyme", "huawei", "oppo", "vivo", "xiaomi"):
        view[f"{channel}_target"] = view[f"{channel}_sent"] = view[f"{channel}_received"] = 0
    view["mxpush_target"] = stats.target
    view["mxpush_sent"] = stats.sent
    view["mxpush_received"] = stats.received
    return view


async def task_detail(request: web.Request) -> web.Response:
    app = app_of(request)
    require_push(app)
    body = body_as(request, TaskIdsBody)
    if not body.task_ids:
        raise invalid("list must not be empty")
    if any(task_id <= 0 for task_id in body.task_ids):
        raise invalid("task ids must be positive")
    found = app.services.push_stats
    seen: set[int] = set()
    data = []
    for task_id in body.task_ids:
        stats = found.get(task_id)
        if stats is None and task_id in app.push_tasks:  # created before counts were kept
            stats = PushStats(task_id, 0, 0, 0)
        if stats is not None and task_id not in seen:
            seen.add(task_id)
            data.append(stats_view(stats))
    return ok_response(data)


async def certificate(request: web.Request) -> web.Response:
    app = app_of(request)
    require_push(app)
    provider = query_int(request, "provider")
    if not 1 <= provider <= 7:
        raise invalid("provider must be from 1 to 7")
    environment = query_int(request, "environment", PRODUCTION)
    if environment not in (0, 1):
        raise invalid("environment must be 0 (development) or 1 (production)")
    key = (provider, environment if provider == APNS else PRODUCTION)
    found = app.services.certificates.get(key)
    if found is None:
        raise BusinessError(Code.PUSH_NOT_ENABLED, "no push certificate for this provider")
    return ok_response(
        {
            "name": found.name,
            "app_id": found.app_id,
            "app_key": found.app_key,
            "app_secret": found.app_secret,
            "certificate": found.certificate,
        }
    )


def setup(app: web.Application) -> None:
    app.router.add_post("/push/notify", notify)
    app.router.add_post("/push/task/detail", task_detail)
    app.router.add_get("/push/certificate", certificate)
