"""File routes: upload URLs for avatars and chat files, downloads and forwards.

Upload URLs point at a fake object storage (see `state_services`):
the object is reserved under a new name and the URLs carry its signature.

* `GET /file/upload/avatar/user`: needs a user caller (10002 otherwise).
* `GET /file/upload/avatar/group`: the group is the `group_id` query
  parameter (10002 when missing); unknown or destroyed group -> 20001; a caller
  who is not the group's owner or admin -> 20012.
* `GET /file/upload/chat`: `file_type` 100-104 (chat) or 200-203 (group
  shared, needs `to_type` 2), `to_id`, `to_type` 1 user (default) or 2
  group. Unknown user -> 10000, unknown group -> 20001, a caller outside the
  group -> 20011; a group admin caller may only address its own group (10010).
* `GET /file/upload/forward`: copies a chat file (`file_sign`) to a new
  target, answering the new download URL.
* `GET /file/download/avatar` and `GET /file/download/chat`: the
  uploaded bytes (HTTP 200 with their content type), or HTTP 302 to the
  storage URL while the bytes were never uploaded through the emulator.
  Unknown object or file sign -> 10009 in the usual JSON envelope. Chat files
  may be read by the app admin, their uploader, the receiving user, members
  of the receiving group and that group's admin caller (10010 otherwise).
"""

from __future__ import annotations

from urllib.parse import quote

from aiohttp import web

from ..auth import Caller, CallerKind
from ..codes import Code
from ..envelope import BusinessError, ok_response
from ..state import AppState
from ..state_services import ServicesState, StoredObject
from ._common import (
    Access,
    access_to,
    app_of,
    caller_of,
    invalid,
    positive_id,
    query_int,
    require_active_group,
    require_user,
    state_of,
)

__all__ = ["setup"]

CHAT_FILE_TYPES = frozenset({100, 101, 102, 103, 104, 200, 201, 202, 203})
IMAGE_TYPES = frozenset({1, 2, 3})
THUMBNAIL_STRATEGIES = frozenset({1, 2})
AUDIO_FORMATS = frozenset({"amr", "mp3"})
USER, GROUP = 1, 2


def _origin(request: web.Request) -> str:
    return str(request.url.origin())


def download_url(request: web.Request, obj: StoredObject) -> str:
    """The API URL that downloads `obj`."""
    if obj.file_sign is not None:
        return f"{_origin(request)}/file/download/chat?file_sign={obj.file_sign}"
    return f"{_origin(request)}/file/download/avatar?object_name={quote(obj.object_name, safe='')}"


def upload_view(request: web.Request, obj: StoredObject) -> dict[str, object]:
    """Spec model `FileUploadDto`."""
    name = obj.object_name
    return {
        "upload_url": ServicesState.storage_url(name),
        "upload_method": "PUT",
        "download_url": download_url(request, obj),
        "oss_body_param": {"key": name, "signature": ServicesState.signature(name)},
    }


def _now(request: web.Request) -> int:
    return state_of(request).now_ms()


async def user_avatar_upload(request: web.Request) -> web.Response:
    user_id = require_user(caller_of(request))
    services = app_of(request).services
    obj = services.reserve("user_avatar", f"avatar/user/{user_id}", user_id, _now(request))
    return ok_response(upload_view(request, obj))


async def group_avatar_upload(request: web.Request) -> web.Response:
    caller = caller_of(request)
    app = app_of(request)
    group = require_active_group(app, positive_id(query_int(request, "group_id"), "group_id"))
    if access_to(caller, group) < Access.ADMIN:
        raise BusinessError(Code.ADMIN_REQUIRED)
    obj = app.services.reserve(
        "group_avatar", f"avatar/group/{group.group_id}", group.group_id, _now(request)
    )
    return ok_response(upload_view(request, obj))


def _target(request: web.Request, app: AppState, caller: Caller) -> tuple[int, int]:
    """Validate `to_type`/`to_id` for this caller; returns them."""
    to_id = query_int(request, "to_id")
    to_type = query_int(request, "to_type", USER)
    positive_id(to_id, "to_id")
    if to_type == USER:
        if to_id not in app.users:
            raise BusinessError(Code.USER_NOT_FOUND)
        if caller.kind is CallerKind.GROUP_ADMIN:
            raise BusinessError(Code.PERMISSION_DENIED, "a group admin may only address its group")
    elif to_type == GROUP:
        group = require_active_group(app, to_id)
        if access_to(caller, group) is Access.NONE:
            raise BusinessError(Code.MEMBER_REQUIRED)
    else:
        raise invalid("to_type must be 1 (user) or 2 (group)")
    return to_type, to_id


def _uploader(caller: Caller) -> int:
    return caller.user_id if caller.kind is CallerKind.USER and caller.user_id else 0


def _reserve_chat_file(
    request: web.Request, app: AppState, file_type: int, to_type: int, to_id: int
) -> StoredObject:
    """A new chat file object of `file_type` addressed to `to_type`/`to_id`."""
    return app.services.reserve(
        "chat",
        f"chat/{file_type}",
        _uploader(caller_of(request)),
        _now(request),
        file_type=file_type,
        to_type=to_type,
        to_id=to_id,
    )


async def chat_file_upload(request: web.Request) -> web.Response:
    caller = caller_of(request)
    app = app_of(request)
    file_type = query_int(request, "file_type")
    if file_type not in CHAT_FILE_TYPES:
        raise invalid("file_type must be 100-104 or 200-203")
    to_type, to_id = _target(request, app, caller)
    if file_type >= 200 and to_type != GROUP:
        raise invalid("group shared files (2xx) must go to a group")
    obj = _reserve_chat_file(request, app, file_type, to_type, to_id)
    return ok_response(upload_view(request, obj))


def _chat_file(request: web.Request, app: AppState) -> StoredObject:
    """The chat file named by `file_sign`, if the caller may read it."""
    sign = request.query.get("file_sign")
    if not sign:
        raise invalid("query parameter file_sign is required")
    obj = app.services.chat_file(sign)
    if obj is None:
        raise BusinessError(Code.STORAGE_ERROR, "no such file")
    if not _may_read(app, caller_of(request), obj):
        raise BusinessError(Code.PERMISSION_DENIED, "not a party to this file's chat")
    return obj


def _may_read(app: AppState, caller: Caller, obj: StoredObject) -> bool:
    if caller.kind is CallerKind.SUPERUSER:
        return True
    if caller.kind is CallerKind.GROUP_ADMIN:
        return obj.to_type == GROUP and obj.to_id == caller.group_id
    user_id = caller.user_id
    if user_id is None:
        return False
    if user_id == obj.owner_id or (obj.to_type == USER and obj.to_id == user_id):
        return True
    if obj.to_type == GROUP:
        group = app.active_group(obj.to_id)
        return group is not None and user_id in group.members
    return False


async def forward(request: web.Request) -> web.Response:
    caller = caller_of(request)
    app = app_of(request)
    source = _chat_file(request, app)
    to_type, to_id = _target(request, app, caller)
    file_type = source.file_type
    if file_type >= 200 and to_type != GROUP:
        file_type -= 100  # a shared file forwarded to a user becomes a plain chat file
    copy = _reserve_chat_file(request, app, file_type, to_type, to_id)
    copy.content = source.content
    copy.content_type = source.content_type
    return ok_response(download_url(request, copy))


def _rendition(request: web.Request) -> str:
    """Validate the image options; returns them as a query suffix for the storage URL."""
    suffix = ""
    image_type = query_int(request, "image_type", 1)
    if image_type not in IMAGE_TYPES:
        raise invalid("image_type must be 1 (original), 2 (thumbnail) or 3 (cover)")
    if query_int(request, "thumbnail_strategy", 1) not in THUMBNAIL_STRATEGIES:
        raise invalid("thumbnail_strategy must be 1 or 2")
    if image_type != 1:
        suffix += f"&image_type={image_type}"
    for name in ("w", "h"):
        raw = request.query.get(name)
        if raw is None:
            continue
        try:
            size = float(raw)
        except ValueError:
            raise invalid(f"{name} must be a number") from None
        if not size > 0:
            raise invalid(f"{name} must be positive")
        suffix += f"&{name}={size:g}"
    return suffix


def _serve(obj: StoredObject, suffix: str) -> web.Response:
    if obj.content is not None:
        return web.Response(body=obj.content, headers={"Content-Type": obj.content_type})
    location = ServicesState.storage_url(obj.object_name) + suffix
    return web.Response(status=302, headers={"Location": location})


async def download_avatar(request: web.Request) -> web.Response:
    name = request.query.get("object_name")
    if not name:
        raise invalid("query parameter object_name is required")
    suffix = _rendition(request)
    obj = app_of(request).services.objects.get(name)
    if obj is None or obj.kind not in ("user_avatar", "group_avatar"):
        raise BusinessError(Code.STORAGE_ERROR, "no such avatar")
    return _serve(obj, suffix)


async def download_chat_file(request: web.Request) -> web.Response:
    audio_format = request.query.get("format")
    if audio_format is not None and audio_format not in AUDIO_FORMATS:
        raise invalid("format must be amr or mp3")
    suffix = _rendition(request)
    obj = _chat_file(request, app_of(request))
    if audio_format is not None:
        suffix += f"&format={audio_format}"
    return _serve(obj, suffix)


def setup(app: web.Application) -> None:
    """Register this domain's routes."""
    router = app.router
    router.add_get("/file/upload/avatar/user", user_avatar_upload)
    router.add_get("/file/upload/avatar/group", group_avatar_upload)
    router.add_get("/file/upload/chat", chat_file_upload)
    router.add_get("/file/upload/forward", forward)
    router.add_get("/file/download/avatar", download_avatar)
    router.add_get("/file/download/chat", download_chat_file)
