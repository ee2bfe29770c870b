"""Models for files: upload URLs for avatars and chat files, and downloads."""

from __future__ import annotations

from enum import Enum, IntEnum
from typing import Any
from urllib.parse import parse_qs, urlsplit

import msgspec

from lanying_async.models.base import Response

__all__ = [
    "AudioFormat",
    "ChatFileType",
    "FileDownload",
    "FileUpload",
    "ImageType",
    "ThumbnailStrategy",
]


class ChatFileType(IntEnum):
    """What a chat file is: 1xx files sent in a chat, 2xx files shared in a group."""

    FILE = 100
    VOICE_AMR = 101
    IMAGE = 102
    VIDEO = 103
    VOICE_MP3 = 104
    SHARED_FILE = 200
    SHARED_VOICE = 201
    SHARED_IMAGE = 202
    SHARED_VIDEO = 203

    @property
    def shared(self) -> bool:
        """Whether this is a group shared file (it must go to a group)."""
        return self.value >= 200


class ImageType(IntEnum):
    """Which rendition of an image to download."""

    ORIGINAL = 1
    THUMBNAIL = 2
    COVER = 3


class ThumbnailStrategy(IntEnum):
    """Who renders a thumbnail: the storage service or the API server."""

    THIRD_PARTY = 1
    LOCAL = 2


class AudioFormat(str, Enum):
    """The format a voice chat file is downloaded in."""

    AMR = "amr"
    MP3 = "mp3"


def _query_value(url: str, name: str) -> str | None:
    values = parse_qs(urlsplit(url).query).get(name)
    return values[0] if values else None


class FileUpload(Response):
    """Where and how to upload a file, and where it can be downloaded afterwards.

    Send the bytes to `upload_url` with `upload_method` (`"PUT"` or
    `"POST"`), setting the storage parameters of `oss_body_param`: as the
    server sends it, usually a mapping of names to strings, but the API types
    it as an open object, so any JSON value (a number, nested values) decodes.
    """

    upload_url: str = ""
    """Where to send the file's bytes."""
    upload_method: str = ""
    """The HTTP method for the upload: `PUT` or `POST`."""
    download_url: str = ""
    """Where the file can be downloaded once uploaded."""
    oss_body_param: Any = msgspec.field(default_factory=dict)
    """Storage parameters to set on the upload."""

    @property
    def object_name(self) -> str | None:
        """The `object_name` in `download_url` (avatars), to pass to `download_avatar`."""
        return _query_value(self.download_url, "object_name")

    @property
    def file_sign(self) -> str | None:
        """The `file_sign` in `download_url` (chat files), for downloads and forwards."""
        return _query_value(self.download_url, "file_sign")


class FileDownload(msgspec.Struct, frozen=True, kw_only=True):
    """The answer to a download: the file's bytes, or where to fetch them.

    The server either sends the content (`status` 200, `content` set) or
    redirects to the storage (`status` 3xx, `location` set, `content`
    empty); redirects are not followed.
    """

    status: int = 200
    """The HTTP status of the download answer."""
    content: bytes = b""
    """The file's bytes (empty on a redirect)."""
    content_type: str | None = None
    """The `Content-Type` the server gave the file."""
    location: str | None = None
    """Where a redirect points (None when the content came directly)."""

    @property
    def is_redirect(self) -> bool:
        return self.location is not None
