"""Files: upload and download URLs for avatars and chat files."""

from __future__ import annotations

from lanying_async.services.base import Service

__all__ = ["FilesService"]


class FilesService(Service):
    """Files: upload and download URLs for avatars and chat files."""

    __slots__ = ()
