"""Files: upload URLs for avatars and chat files, downloads and forwards."""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from lanying_async.errors import ValidationError
from lanying_async.models.base import Envelope
from lanying_async.models.enums import TargetType
from lanying_async.models.files import (
    AudioFormat,
    ChatFileType,
    FileDownload,
    FileUpload,
    ImageType,
    ThumbnailStrategy,
)
from lanying_async.services.base import Service, require_data
from lanying_async.transport.endpoint import Endpoint
from lanying_async.transport.pipeline import RawEndpoint, RawResponse
from lanying_async.validation import check_enum, check_id, check_text

__all__ = ["FilesService"]

DOWNLOAD_AVATAR = RawEndpoint("GET", "/file/download/avatar")
DOWNLOAD_CHAT_FILE = RawEndpoint("GET", "/file/download/chat")
GROUP_AVATAR_UPLOAD = Endpoint("GET", "/file/upload/avatar/group", Envelope[FileUpload])
USER_AVATAR_UPLOAD = Endpoint("GET", "/file/upload/avatar/user", Envelope[FileUpload])
CHAT_FILE_UPLOAD = Endpoint("GET", "/file/upload/chat", Envelope[FileUpload])
FORWARD = Endpoint("GET", "/file/upload/forward", Envelope[str])

Params = dict[str, str | int]


class _ErrorEnvelope(msgspec.Struct):
    code: int | None = None
    message: str | None = None


_error_decoder = msgspec.json.Decoder(_ErrorEnvelope)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return str(value)
    return None


def _size(value: object, field: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ValidationError(field, f"must be a positive number of pixels; got {value!r}")
    return f"{value:g}"


def _image_params(
    params: Params,
    image_type: ImageType | None,
    thumbnail_strategy: ThumbnailStrategy | None,
    width: float | None,
    height: float | None,
    sdk_sign: str | None,
    store_token: str | None,
) -> Params:
    if image_type is not None:
        params["image_type"] = int(check_enum(ImageType, image_type, "image_type"))
    if thumbnail_strategy is not None:
        params["thumbnail_strategy"] = int(
            check_enum(ThumbnailStrategy, thumbnail_strategy, "thumbnail_strategy")
        )
    if width is not None:
        params["w"] = _size(width, "width")
    if height is not None:
        params["h"] = _size(height, "height")
    if sdk_sign is not None:
        params["sdk_sign"] = check_text(sdk_sign, "sdk_sign")
    if store_token is not None:
        params["store_token"] = check_text(store_token, "store_token")
    return params


def _target_params(to_id: int, to_type: TargetType | None) -> Params:
    params: Params = {"to_id": check_id(to_id, "to_id")}
    if to_type is not None:
        params["to_type"] = int(check_enum(TargetType, to_type, "to_type"))
    return params


class FilesService(Service):
    """Operations under `/file`: upload URLs, downloads and forwards."""

    __slots__ = ()

    async def _download(self, endpoint: RawEndpoint, params: Params) -> FileDownload:
        raw = await self._transport.request(endpoint, self._scope, params)
        return self._file_or_error(endpoint, raw)

    def _file_or_error(self, endpoint: RawEndpoint, raw: RawResponse) -> FileDownload:
        headers = raw.headers
        content_type = _header(headers, "Content-Type")
        if raw.status != 200:
            return FileDownload(
                status=raw.status,
                content_type=content_type,
                location=_header(headers, "Location"),
            )
        if content_type is not None and content_type.startswith("application/json"):
            # Failures come as the usual JSON envelope with HTTP 200.
            try:
                bare = _error_decoder.decode(raw.body)
            except msgspec.MsgspecError:
                bare = _ErrorEnvelope()
            if bare.code is not None and bare.code != 200:
                raise self._transport.business_error(endpoint, bare.code, bare.message)
        return FileDownload(status=raw.status, content=raw.body, content_type=content_type)

    async def download_avatar(
        self,
        object_name: str,
        *,
        image_type: ImageType | None = None,
        thumbnail_strategy: ThumbnailStrategy | None = None,
        width: float | None = None,
        height: float | None = None,
        sdk_sign: str | None = None,
        store_token: str | None = None,
    ) -> FileDownload:
        """Download a user or group avatar by its storage object name.

        `GET /file/download/avatar`. `object_name` is the one an avatar upload URL was issued
        for (see [`FileUpload.object_name`][lanying_async.models.files.FileUpload.object_name]);
        `image_type` asks for the original, a thumbnail or a cover, sized by `width`/`height`
        (pixels). Returns the bytes, or the storage `location` when the server redirects. Raises
        `StorageServiceError` (10009) for an unknown object, `InvalidParameterError` (10002).
        """
        params: Params = {"object_name": check_text(object_name, "object_name")}
        _image_params(params, image_type, thumbnail_strategy, width, height, sdk_sign, store_token)
        return await self._download(DOWNLOAD_AVATAR, params)

    async def download_chat_file(
        self,
        file_sign: str,
        *,
        audio_format: AudioFormat | None = None,
        image_type: ImageType | None = None,
        thumbnail_strategy: ThumbnailStrategy | None = None,
        width: float | None = None,
        height: float | None = None,
        source: str | None = None,
        sdk_sign: str | None = None,
        store_token: str | None = None,
    ) -> FileDownload:
        """Download a file sent in a chat (or shared in a group) by its file sign.

        `GET /file/download/chat`. `audio_format` (sent as `format`)
        picks amr or mp3 for voice files, `image_type` and `width`/`height`
        a rendition of an image; `source` names the requesting client (e.g.
        `"miniprogram"`). Only the sender, the receiving user or members of
        the receiving group may download. Returns the bytes or the storage
        `location`. Raises `StorageServiceError` (10009) for an unknown
        file, `PermissionDeniedError` (10010) for an outsider.
        """
        params: Params = {"file_sign": check_text(file_sign, "file_sign")}
        if audio_format is not None:
            try:
                params["format"] = AudioFormat(audio_format).value
            except ValueError:
                raise ValidationError(
                    "audio_format", f"must be 'amr' or 'mp3'; got {audio_format!r}"
                ) from None
        if source is not None:
            params["source"] = check_text(source, "source")
        _image_params(params, image_type, thumbnail_strategy, width, height, sdk_sign, store_token)
        return await self._download(DOWNLOAD_CHAT_FILE, params)

    async def group_avatar_upload_url(self, group_id: int) -> FileUpload:
        """Get a URL to upload a new avatar image for a group.

        `GET /file/upload/avatar/group`; the group is the `group_id` query
        parameter. Call this as the app admin, as the group's admin view, or
        as a user (`as_user`) who owns or administers the group. Raises
        `GroupNotFoundError` (20001) or `GroupAdminRequiredError` (20012)
        for a user who is not an owner or admin of the group.
        """
        params: Params = {"group_id": check_id(group_id, "group_id")}
        envelope = await self._call(GROUP_AVATAR_UPLOAD, params=params)
        return require_data(envelope, GROUP_AVATAR_UPLOAD)

    async def user_avatar_upload_url(self) -> FileUpload:
        """Get a URL to upload a new avatar image for the current user.

        `GET /file/upload/avatar/user`. Needs a user scope (`as_user` or a
        user token); the returned `download_url` is what to store as the
        user's avatar once the upload is done. Raises `InvalidParameterError`
        (10002) without a user scope.
        """
        return require_data(await self._call(USER_AVATAR_UPLOAD), USER_AVATAR_UPLOAD)

    async def chat_file_upload_url(
        self,
        to_id: int,
        file_type: ChatFileType,
        *,
        to_type: TargetType | None = None,
    ) -> FileUpload:
        """Get a URL to upload a file for a chat with a user or a group.

        `GET /file/upload/chat`. `file_type` is a
        [`ChatFileType`][lanying_async.models.files.ChatFileType]: 100-104 for files sent in a chat,
        200-203 for group shared files (those need `to_type=TargetType.GROUP`); `to_type`
        defaults to a user on the server. Raises `UserNotFoundError` (10000),
        `GroupNotFoundError` (20001) or `GroupMemberRequiredError` (20011).
        """
        kind = check_enum(ChatFileType, file_type, "file_type")
        params = _target_params(to_id, to_type)
        if kind.shared and params.get("to_type") != TargetType.GROUP:
            raise ValidationError("to_type", "group shared files (2xx) must go to a group")
        params["file_type"] = int(kind)
        return require_data(await self._call(CHAT_FILE_UPLOAD, params=params), CHAT_FILE_UPLOAD)

    async def forward_url(
        self,
        file_sign: str,
        to_id: int,
        *,
        to_type: TargetType | None = None,
    ) -> str:
        """Get a download URL that forwards an existing chat file to another chat.

        `GET /file/upload/forward`. The file is not uploaded again: the
        server copies it for the new receiver (a user by default, or a group
        with `to_type`) and returns the URL to put in the forwarded message.
        Raises `StorageServiceError` (10009) for an unknown file,
        `PermissionDeniedError` (10010) when the caller cannot read it.
        """
        params = _target_params(to_id, to_type)
        params["file_sign"] = check_text(file_sign, "file_sign")
        return require_data(await self._call(FORWARD, params=params), FORWARD)
