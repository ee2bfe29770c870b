"""Per-app state of push, files and tokens (held by `AppState.services`).

Push certificates and task statistics, stored files and the extras of issued
user tokens.

Files live in a fake object storage. Asking for an upload URL reserves an
object (its name is signed, so the URLs are deterministic); the bytes arrive
when a test calls `ServicesState.upload()` with that URL, standing in for
the client's upload to the storage. A download answers the stored bytes, or a
redirect to the storage when none were uploaded through the emulator.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

__all__ = [
    "STORAGE_BASE",
    "Certificate",
    "PushStats",
    "ServicesState",
    "StoredObject",
    "default_certificates",
]

STORAGE_BASE = "https://storage.lanying-emulator.invalid"
"""Origin of the fake object storage (never contacted)."""

_SIGNING_KEY = "lanying-emulator-storage"

APNS = 1
PRODUCTION = 1
DEVELOPMENT = 0


@dataclass(frozen=True, slots=True)
class Certificate:
    """Push credentials of one provider (spec model `NotifierDto`)."""

    name: str
    app_id: str | None = None
    app_key: str | None = None
    app_secret: str | None = None
    certificate: str | None = None


def default_certificates() -> dict[tuple[int, int], Certificate]:
    """The certificates every emulated app starts with.

    APNs has a development and a production certificate; the Android vendors
    (Huawei 2, Xiaomi 3, vivo 5, OPPO 6, FCM 7) one credential each, kept
    under the production environment. Meizu (4) is not configured.
    """
    bundle = "com.example.lanying"
    return {
        (APNS, DEVELOPMENT): Certificate(
            name=f"{bundle} (APNs development)",
            certificate="-----BEGIN CERTIFICATE-----\nZGV2ZWxvcG1lbnQ=\n-----END CERTIFICATE-----",
        ),
        (APNS, PRODUCTION): Certificate(
            name=f"{bundle} (APNs production)",
            certificate="-----BEGIN CERTIFICATE-----\ncHJvZHVjdGlvbg==\n-----END CERTIFICATE-----",
        ),
        (2, PRODUCTION): Certificate(
            name=bundle, app_id="100200300", app_secret="huawei-secret-0001"
        ),
        (3, PRODUCTION): Certificate(
            name=bundle,
            app_id="2882303761500000001",
            app_key="5500000000001",
            app_secret="xiaomi-secret-0001",
        ),
        (5, PRODUCTION): Certificate(
            name=bundle, app_id="10001", app_key="vivo-key-0001", app_secret="vivo-secret-0001"
        ),
        (6, PRODUCTION): Certificate(
            name=bundle, app_key="oppo-key-0001", app_secret="oppo-secret-0001"
        ),
        (7, PRODUCTION): Certificate(
            name=bundle,
            app_id="lanying-emulator-fcm",
            certificate='{"type": "service_account", "project_id": "lanying-emulator-fcm"}',
        ),
    }


@dataclass(slots=True)
class PushStats:
    """Delivery counts of one push task on Lanying's own channel."""

    task_id: int
    target: int
    sent: int
    received: int


@dataclass(slots=True)
class StoredObject:
    """One object of the fake storage: an avatar or a chat file."""

    object_name: str
    kind: str
    """`user_avatar`, `group_avatar` or `chat`."""
    owner_id: int
    """The user (avatars, uploads by a user), the group (group avatars) or 0 (the app)."""
    created_at: int
    file_type: int = 0
    """Chat files: 100-104 chat files, 200-203 group shared files."""
    to_type: int = 0
    """Chat files: 1 user, 2 group."""
    to_id: int = 0
    file_sign: str | None = None
    """Chat files: the opaque id used to download or forward them."""
    content: bytes | None = None
    """The uploaded bytes; None while they live only in the storage."""
    content_type: str = "application/octet-stream"


@dataclass(slots=True)
class ServicesState:
    """Push, file and token extras of one app."""

    push_enabled: bool = True
    """False answers 12006 (push service not enabled) to the push operations."""
    certificates: dict[tuple[int, int], Certificate] = field(default_factory=default_certificates)
    """(provider, environment) -> credentials; non-APNs providers use environment 1."""
    push_stats: dict[int, PushStats] = field(default_factory=dict)
    """task id -> delivery counts, recorded when the task is created."""
    objects: dict[str, StoredObject] = field(default_factory=dict)
    """object name -> object."""
    file_signs: dict[str, str] = field(default_factory=dict)
    """file sign -> object name (chat files)."""
    next_object: int = 1
    push_tokens: dict[str, int] = field(default_factory=dict)
    """push token -> user id (issued for a user's device at token time)."""
    device_push_tokens: dict[tuple[int, str], str] = field(default_factory=dict)
    """(user id, device guid) -> that device's push token (stable across logins)."""
    store_tokens: dict[str, int] = field(default_factory=dict)
    """file-access token -> user id."""

    # --- storage --------------------------------------------------------------

    @staticmethod
    def signature(object_name: str) -> str:
        """The storage signature of an object name (deterministic)."""
        digest = hashlib.sha256(f"{_SIGNING_KEY}:{object_name}".encode()).hexdigest()
        return digest[:32]

    @staticmethod
    def storage_url(object_name: str) -> str:
        """The signed storage URL an object is uploaded to and fetched from."""
        return (
            f"{STORAGE_BASE}/{quote(object_name)}?signature={ServicesState.signature(object_name)}"
        )

    def reserve(
        self,
        kind: str,
        prefix: str,
        owner_id: int,
        now_ms: int,
        *,
        file_type: int = 0,
        to_type: int = 0,
        to_id: int = 0,
    ) -> StoredObject:
        """A new object named `{prefix}/{n}`; chat files also get a file sign."""
        name = f"{prefix}/{self.next_object}"
        self.next_object += 1
        obj = StoredObject(name, kind, owner_id, now_ms, file_type, to_type, to_id)
        if kind == "chat":
            sign = hashlib.sha256(f"{_SIGNING_KEY}:sign:{name}".encode()).hexdigest()[:40]
            obj.file_sign = sign
            self.file_signs[sign] = name
        self.objects[name] = obj
        return obj

    def chat_file(self, file_sign: str) -> StoredObject | None:
        name = self.file_signs.get(file_sign)
        return None if name is None else self.objects.get(name)

    def upload(
        self, upload_url: str, content: bytes, content_type: str = "application/octet-stream"
    ) -> StoredObject:
        """Store `content` as if the client had uploaded it to `upload_url`.

        Raises `KeyError` for a URL the emulator did not hand out (or whose
        signature does not match).
        """
        parts = urlsplit(upload_url)
        name = unquote(parts.path.lstrip("/"))
        obj = self.objects.get(name)
        if obj is None or f"{STORAGE_BASE}{parts.path}?{parts.query}" != self.storage_url(name):
            raise KeyError(upload_url)
        obj.content = bytes(content)
        obj.content_type = content_type
        return obj
