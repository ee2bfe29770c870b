"""Push certificates and statistics, file upload/download URLs and user tokens, end to end."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from lanying_async import Audience, LanyingClient, PushMessage, PushSetting, TargetType
from lanying_async.errors import (
    GroupAdminRequiredError,
    GroupMemberRequiredError,
    GroupNotFoundError,
    InvalidParameterError,
    PermissionDeniedError,
    PushNotEnabledError,
    StorageServiceError,
    UserNotFoundError,
    ValidationError,
)
from lanying_async.models.files import (
    AudioFormat,
    ChatFileType,
    FileDownload,
    FileUpload,
    ImageType,
    ThumbnailStrategy,
)
from lanying_async.models.push import (
    PushCertificate,
    PushEnvironment,
    PushProvider,
    PushTaskDetail,
)
from lanying_async.models.tokens import TokenInfo
from lanying_async.testing import Emulator

pytestmark = pytest.mark.anyio

STORAGE = "https://storage.lanying-emulator.invalid/"


async def _users(client: LanyingClient, *names: str) -> list[int]:
    return [(await client.users.register(username=n, password=f"{n}_pw")).user_id for n in names]


async def _raw_get(
    emu: Emulator, path: str, params: dict[str, str], user_id: int | None = None
) -> Any:
    """A GET straight to the emulator (no SDK checks); returns the JSON envelope."""
    headers = emu.headers(user_id=user_id)
    async with (
        aiohttp.ClientSession() as session,
        session.get(emu.url + path, params=params, headers=headers) as response,
    ):
        return await response.json()


async def _raw_post(emu: Emulator, path: str, body: Any) -> Any:
    async with (
        aiohttp.ClientSession() as session,
        session.post(emu.url + path, json=body, headers=emu.headers()) as response,
    ):
        return await response.json()


# --- push: certificates ---------------------------------------------------------------


async def test_certificate_reads_the_configured_credentials(
    client: LanyingClient, emu: Emulator
) -> None:
    production = await client.push.certificate(PushProvider.APNS)
    assert isinstance(production, PushCertificate)
    assert production.name.endswith("(APNs production)")
    assert production.certificate and "BEGIN CERTIFICATE" in production.certificate

    development = await client.push.certificate(
        PushProvider.APNS, environment=PushEnvironment.DEVELOPMENT
    )
    assert development.name.endswith("(APNs development)")
    assert development.certificate != production.certificate

    xiaomi = await client.push.certificate(PushProvider.XIAOMI)
    assert (xiaomi.app_id, xiaomi.app_key, xiaomi.app_secret) == (
        "2882303761500000001",
        "5500000000001",
        "xiaomi-secret-0001",
    )
    sent = emu.requests_to("GET", "/push/certificate")
    assert [r.query for r in sent] == [
        {"provider": "1"},
        {"provider": "1", "environment": "0"},
        {"provider": "3"},
    ]
    assert all(r.body is None for r in sent)


async def test_certificate_of_an_unconfigured_provider_is_push_not_enabled(
    client: LanyingClient, emu: Emulator
) -> None:
    with pytest.raises(PushNotEnabledError) as caught:
        await client.push.certificate(PushProvider.MEIZU)
    assert caught.value.code == 12006

    del emu.app_state().services.certificates[(7, 1)]
    with pytest.raises(PushNotEnabledError):
        await client.push.certificate(PushProvider.FCM)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"provider": 0}, "provider"),
        ({"provider": 8}, "provider"),
        ({"provider": True}, "provider"),
        ({"provider": "apns"}, "provider"),
        ({"provider": PushProvider.APNS, "environment": 2}, "environment"),
    ],
)
async def test_certificate_arguments_are_checked_before_sending(
    client: LanyingClient, emu: Emulator, kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        await client.push.certificate(**kwargs)
    assert caught.value.field == field
    assert emu.requests_to("GET", "/push/certificate") == []


async def test_certificate_parameters_are_checked_by_the_emulator(emu: Emulator) -> None:
    for params in ({}, {"provider": "9"}, {"provider": "1", "environment": "5"}):
        answer = await _raw_get(emu, "/push/certificate", params)
        assert answer["code"] == 10002, params


# --- push: task statistics ------------------------------------------------------------


async def test_task_details_count_the_reached_audience(
    client: LanyingClient, emu: Emulator
) -> None:
    a, b, c = await _users(client, "ann", "bob", "cid")
    assert await client.as_user(c).users.set_no_push(True)
    message = PushMessage(title="hello", body="world")
    to_users = await client.push.notify_once(Audience.user_ids([a, b, c, 987654321]), message)
    to_all = await client.push.notify_once(Audience.all(), message)

    details = await client.push.task_details([to_all.task_id, 424242, to_users.task_id])
    assert all(isinstance(d, PushTaskDetail) for d in details)
    by_id = {d.task_id: d for d in details}
    assert set(by_id) == {to_users.task_id, to_all.task_id}  # the unknown id is left out
    assert [d.task_id for d in details] == [to_all.task_id, to_users.task_id]
    users_detail = by_id[to_users.task_id]
    assert (users_detail.mxpush_target, users_detail.mxpush_sent) == (2, 2)
    assert users_detail.mxpush_received == 2
    assert users_detail.total_target == 2 and users_detail.apns_target == 0
    assert by_id[to_all.task_id].total_received == 3

    [sent] = emu.requests_to("POST", "/push/task/detail")
    assert sent.body == {"list": [to_all.task_id, 424242, to_users.task_id]}
    stats = emu.app_state().services.push_stats
    assert stats[to_users.task_id].target == 2


async def test_task_details_of_push_tokens_and_repeated_requests(
    client: LanyingClient, emu: Emulator
) -> None:
    (a,) = await _users(client, "ann")
    token = await client.tokens.by_user_id(a, "ann_pw", device_guid="phone-1")
    assert token.push_token
    message = PushMessage(title="hi")
    setting = PushSetting(request_id="same-request")
    first = await client.push.notify_once(
        Audience.push_tokens([token.push_token, "unknown-token"]), message, setting=setting
    )
    again = await client.push.notify_once(Audience.tags(["beijing"]), message, setting=setting)
    assert again.task_id == first.task_id  # de-duplicated: still one task
    [detail] = await client.push.task_details([first.task_id, first.task_id])
    assert detail.mxpush_target == 1
    assert len(emu.app_state().services.push_stats) == 1

    tagged = await client.push.notify_once(Audience.tags(["nobody-tagged"]), message)
    [detail] = await client.push.task_details([tagged.task_id])
    assert detail.total_target == 0


async def test_task_details_of_tag_and_alias_audiences(
    client: LanyingClient, emu: Emulator
) -> None:
    a, b, c = await _users(client, "ann", "bob", "cid")
    prefs = emu.app_state().prefs
    if not hasattr(prefs, "tag_users") or not hasattr(prefs, "alias_users"):
        pytest.skip("the user-preference state keeps no tag/alias index")
    prefs.tag_users.update({"beijing": {a: None, b: None}, "shanghai": {b: None, c: None}})
    prefs.alias_users.update({"ann-alias": a})
    message = PushMessage(title="hi")
    tagged = await client.push.notify_once(Audience.tags(["beijing", "shanghai", "x"]), message)
    aliased = await client.push.notify_once(Audience.aliases(["ann-alias", "nobody"]), message)
    details = {
        d.task_id: d for d in await client.push.task_details([tagged.task_id, aliased.task_id])
    }
    assert details[tagged.task_id].mxpush_target == 3
    assert details[aliased.task_id].mxpush_target == 1


async def test_task_details_of_another_app_are_not_visible(emu: Emulator) -> None:
    other_token = emu.add_app("other_app")
    async with emu.client() as mine, emu.client(app_id="other_app") as other:
        task = await other.push.notify_once(Audience.all(), PushMessage(title="x"))
        assert await mine.push.task_details([task.task_id]) == []
        assert [d.task_id for d in await other.push.task_details([task.task_id])] == [task.task_id]
    assert other_token


@pytest.mark.parametrize("task_ids", [[], [0], [True], "123", [1, -5]])
async def test_task_ids_are_checked_before_sending(
    client: LanyingClient, emu: Emulator, task_ids: Any
) -> None:
    with pytest.raises(ValidationError) as caught:
        await client.push.task_details(task_ids)
    assert caught.value.field.startswith("task_ids")
    assert emu.requests_to("POST", "/push/task/detail") == []


async def test_task_detail_body_is_checked_by_the_emulator(emu: Emulator) -> None:
    bodies: list[dict[str, Any]] = [{"list": []}, {"list": [0]}, {"list": ["a"]}, {}]
    for body in bodies:
        answer = await _raw_post(emu, "/push/task/detail", body)
        assert answer["code"] == 10002, body


async def test_push_operations_need_the_push_service(client: LanyingClient, emu: Emulator) -> None:
    emu.app_state().services.push_enabled = False
    with pytest.raises(PushNotEnabledError) as caught:
        await client.push.notify_once(Audience.all(), PushMessage(title="x"))
    assert caught.value.code == 12006
    with pytest.raises(PushNotEnabledError):
        await client.push.task_details([1])
    with pytest.raises(PushNotEnabledError):
        await client.push.certificate(PushProvider.APNS)
    assert emu.app_state().push_tasks == {}


# --- files: avatars -------------------------------------------------------------------


async def test_user_avatar_upload_then_download(client: LanyingClient, emu: Emulator) -> None:
    (a,) = await _users(client, "ann")
    upload = await client.as_user(a).files.user_avatar_upload_url()
    assert isinstance(upload, FileUpload)
    assert upload.upload_method == "PUT"
    assert upload.upload_url.startswith(STORAGE) and "signature=" in upload.upload_url
    assert upload.object_name is not None and upload.object_name.startswith(f"avatar/user/{a}/")
    assert upload.download_url.startswith(emu.url + "/file/download/avatar?object_name=")
    assert upload.oss_body_param == {
        "key": upload.object_name,
        "signature": upload.upload_url.rsplit("signature=", 1)[1],
    }
    [sent] = emu.requests_to("GET", "/file/upload/avatar/user")
    assert sent.headers["user_id"] == str(a) and sent.query == {}
    services = emu.app_state().services
    assert services.objects[upload.object_name].owner_id == a

    # Not uploaded through the emulator yet: the API redirects to the storage.
    pending = await client.files.download_avatar(
        upload.object_name, image_type=ImageType.THUMBNAIL, width=120, height=80.5
    )
    assert isinstance(pending, FileDownload)
    assert pending.status == 302 and pending.is_redirect and pending.content == b""
    assert pending.location == upload.upload_url + "&image_type=2&w=120&h=80.5"
    assert emu.requests_to("GET", "/file/download/avatar")[0].query == {
        "object_name": upload.object_name,
        "image_type": "2",
        "w": "120",
        "h": "80.5",
    }

    services.upload(upload.upload_url, b"\x89PNG-avatar", "image/png")
    done = await client.as_user(a).files.download_avatar(
        upload.object_name, thumbnail_strategy=ThumbnailStrategy.LOCAL, store_token="st"
    )
    assert (done.status, done.content, done.content_type) == (200, b"\x89PNG-avatar", "image/png")
    assert not done.is_redirect
    assert emu.requests_to("GET", "/file/download/avatar")[1].query == {
        "object_name": upload.object_name,
        "thumbnail_strategy": "2",
        "store_token": "st",
    }


async def test_upload_to_a_url_the_emulator_never_issued_fails(emu: Emulator) -> None:
    services = emu.app_state().services
    with pytest.raises(KeyError):
        services.upload(STORAGE + "avatar/user/1/1?signature=forged", b"x")


async def test_user_avatar_upload_needs_a_user(client: LanyingClient) -> None:
    with pytest.raises(InvalidParameterError) as caught:
        await client.files.user_avatar_upload_url()
    assert caught.value.code == 10002


async def test_download_of_an_unknown_avatar_is_a_storage_error(
    client: LanyingClient, emu: Emulator
) -> None:
    with pytest.raises(StorageServiceError) as caught:
        await client.files.download_avatar("avatar/user/1/999")
    assert caught.value.code == 10009
    assert caught.value.path == "/file/download/avatar"
    assert len(emu.requests_to("GET", "/file/download/avatar")) == 1  # not retried


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"object_name": ""}, "object_name"),
        ({"object_name": "o", "image_type": 4}, "image_type"),
        ({"object_name": "o", "thumbnail_strategy": 3}, "thumbnail_strategy"),
        ({"object_name": "o", "width": 0}, "width"),
        ({"object_name": "o", "height": -2.5}, "height"),
        ({"object_name": "o", "width": True}, "width"),
        ({"object_name": "o", "sdk_sign": ""}, "sdk_sign"),
    ],
)
async def test_avatar_download_arguments_are_checked(
    client: LanyingClient, emu: Emulator, kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        await client.files.download_avatar(**kwargs)
    assert caught.value.field == field
    assert emu.requests_to("GET", "/file/download/avatar") == []


async def test_download_parameters_are_checked_by_the_emulator(emu: Emulator) -> None:
    cases = [
        ("/file/download/avatar", {}),
        ("/file/download/avatar", {"object_name": "x", "image_type": "7"}),
        ("/file/download/avatar", {"object_name": "x", "w": "wide"}),
        ("/file/download/chat", {}),
        ("/file/download/chat", {"file_sign": "x", "format": "wav"}),
    ]
    for path, params in cases:
        answer = await _raw_get(emu, path, params)
        assert answer["code"] == 10002, (path, params)


async def test_group_avatar_upload_url_needs_an_owner_or_admin(
    client: LanyingClient, emu: Emulator
) -> None:
    owner, member = await _users(client, "owner", "member")
    group = await client.as_user(owner).groups.create(name="g", members=[member])
    gid = group.group_id

    upload = await client.as_user(owner).files.group_avatar_upload_url(gid)
    assert upload.object_name is not None
    assert upload.object_name.startswith(f"avatar/group/{gid}/")
    [sent] = emu.requests_to("GET", "/file/upload/avatar/group")
    assert (sent.query["group_id"], sent.headers["user_id"]) == (str(gid), str(owner))
    assert "group_id" not in sent.headers
    assert emu.app_state().services.objects[upload.object_name].kind == "group_avatar"

    # The app admin and the group's admin view may too.
    assert (await client.files.group_avatar_upload_url(gid)).upload_url.startswith(STORAGE)
    as_admin = client.as_group_admin(gid).files
    assert (await as_admin.group_avatar_upload_url(gid)).upload_url.startswith(STORAGE)

    with pytest.raises(GroupAdminRequiredError) as caught:
        await client.as_user(member).files.group_avatar_upload_url(gid)
    assert caught.value.code == 20012
    with pytest.raises(GroupNotFoundError) as missing:
        await client.files.group_avatar_upload_url(gid + 1)
    assert missing.value.code == 20001
    with pytest.raises(ValidationError) as bad:
        await client.files.group_avatar_upload_url(0)
    assert bad.value.field == "group_id"

    answer = await _raw_get(emu, "/file/upload/avatar/group", {})
    assert answer["code"] == 10002  # no group_id query parameter


# --- files: chat files ----------------------------------------------------------------


async def test_chat_file_upload_download_and_access(client: LanyingClient, emu: Emulator) -> None:
    a, b, outsider = await _users(client, "ann", "bob", "eve")
    upload = await client.as_user(a).files.chat_file_upload_url(b, ChatFileType.IMAGE)
    assert upload.file_sign and upload.object_name is None
    assert upload.download_url == f"{emu.url}/file/download/chat?file_sign={upload.file_sign}"
    [sent] = emu.requests_to("GET", "/file/upload/chat")
    assert sent.query == {"to_id": str(b), "file_type": "102"}
    stored = emu.app_state().services.chat_file(upload.file_sign)
    assert stored is not None
    assert (stored.owner_id, stored.to_type, stored.to_id, stored.file_type) == (a, 1, b, 102)

    emu.app_state().services.upload(upload.upload_url, b"jpeg bytes", "image/jpeg")
    for reader in (client.as_user(a), client.as_user(b), client):
        got = await reader.files.download_chat_file(upload.file_sign)
        assert (got.status, got.content, got.content_type) == (200, b"jpeg bytes", "image/jpeg")

    with pytest.raises(PermissionDeniedError) as caught:
        await client.as_user(outsider).files.download_chat_file(upload.file_sign)
    assert caught.value.code == 10010
    with pytest.raises(StorageServiceError):
        await client.as_user(a).files.download_chat_file("no-such-sign")


async def test_voice_file_redirect_carries_the_format(client: LanyingClient, emu: Emulator) -> None:
    a, b = await _users(client, "ann", "bob")
    upload = await client.as_user(a).files.chat_file_upload_url(
        b, ChatFileType.VOICE_AMR, to_type=TargetType.USER
    )
    assert upload.file_sign is not None
    got = await client.as_user(b).files.download_chat_file(
        upload.file_sign, audio_format=AudioFormat.MP3, source="miniprogram", sdk_sign="sig"
    )
    assert got.status == 302
    assert got.location == upload.upload_url + "&format=mp3"
    assert emu.requests_to("GET", "/file/download/chat")[0].query == {
        "file_sign": upload.file_sign,
        "format": "mp3",
        "source": "miniprogram",
        "sdk_sign": "sig",
    }


async def test_group_chat_files_need_membership(client: LanyingClient, emu: Emulator) -> None:
    owner, member, outsider = await _users(client, "owner", "member", "eve")
    group = await client.as_user(owner).groups.create(name="g", members=[member])
    gid = group.group_id
    shared = await client.as_user(member).files.chat_file_upload_url(
        gid, ChatFileType.SHARED_FILE, to_type=TargetType.GROUP
    )
    assert shared.file_sign is not None
    assert emu.requests_to("GET", "/file/upload/chat")[0].query == {
        "to_id": str(gid),
        "to_type": "2",
        "file_type": "200",
    }
    got = await client.as_user(owner).files.download_chat_file(shared.file_sign)
    assert got.status == 302  # never uploaded through the emulator
    got = await client.as_group_admin(gid).files.download_chat_file(shared.file_sign)
    assert got.status == 302

    with pytest.raises(GroupMemberRequiredError) as caught:
        await client.as_user(outsider).files.chat_file_upload_url(
            gid, ChatFileType.FILE, to_type=TargetType.GROUP
        )
    assert caught.value.code == 20011
    with pytest.raises(PermissionDeniedError):
        await client.as_user(outsider).files.download_chat_file(shared.file_sign)
    with pytest.raises(GroupNotFoundError):
        await client.as_user(owner).files.chat_file_upload_url(
            gid + 1, ChatFileType.FILE, to_type=TargetType.GROUP
        )
    with pytest.raises(UserNotFoundError) as unknown:
        await client.as_user(owner).files.chat_file_upload_url(987654321, ChatFileType.FILE)
    assert unknown.value.code == 10000

    answer = await _raw_get(
        emu, "/file/upload/chat", {"to_id": str(member), "file_type": "201"}, user_id=owner
    )
    assert answer["code"] == 10002  # shared files go to groups only
    answer = await _raw_get(
        emu, "/file/upload/chat", {"to_id": str(member), "file_type": "99"}, user_id=owner
    )
    assert answer["code"] == 10002


@pytest.mark.parametrize(
    ("args", "kwargs", "field"),
    [
        ((0, ChatFileType.FILE), {}, "to_id"),
        ((5, 105), {}, "file_type"),
        ((5, ChatFileType.FILE), {"to_type": 3}, "to_type"),
        ((5, ChatFileType.SHARED_IMAGE), {}, "to_type"),
        ((5, ChatFileType.SHARED_IMAGE), {"to_type": TargetType.USER}, "to_type"),
    ],
)
async def test_chat_upload_arguments_are_checked(
    client: LanyingClient, emu: Emulator, args: tuple[Any, ...], kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        await client.files.chat_file_upload_url(*args, **kwargs)
    assert caught.value.field == field
    assert emu.requests_to("GET", "/file/upload/chat") == []


async def test_forward_copies_a_chat_file_for_a_new_receiver(
    client: LanyingClient, emu: Emulator
) -> None:
    a, b, c = await _users(client, "ann", "bob", "cid")
    upload = await client.as_user(a).files.chat_file_upload_url(b, ChatFileType.FILE)
    assert upload.file_sign is not None
    emu.app_state().services.upload(upload.upload_url, b"report", "application/pdf")

    url = await client.as_user(b).files.forward_url(upload.file_sign, c)
    assert isinstance(url, str)
    assert url.startswith(f"{emu.url}/file/download/chat?file_sign=")
    new_sign = url.rsplit("=", 1)[1]
    assert new_sign != upload.file_sign
    [sent] = emu.requests_to("GET", "/file/upload/forward")
    assert sent.query == {"to_id": str(c), "file_sign": upload.file_sign}
    assert sent.headers["user_id"] == str(b)
    copy = emu.app_state().services.chat_file(new_sign)
    assert copy is not None and (copy.owner_id, copy.to_id) == (b, c)

    got = await client.as_user(c).files.download_chat_file(new_sign)
    assert (got.content, got.content_type) == (b"report", "application/pdf")
    with pytest.raises(PermissionDeniedError):  # the original was not sent to c
        await client.as_user(c).files.download_chat_file(upload.file_sign)
    with pytest.raises(PermissionDeniedError) as denied:
        await client.as_user(c).files.forward_url(upload.file_sign, a)
    assert denied.value.code == 10010
    with pytest.raises(StorageServiceError) as unknown:
        await client.as_user(b).files.forward_url("no-such-sign", c)
    assert unknown.value.code == 10009
    with pytest.raises(UserNotFoundError):
        await client.as_user(b).files.forward_url(upload.file_sign, 987654321)
    with pytest.raises(ValidationError) as bad:
        await client.as_user(b).files.forward_url("", c)
    assert bad.value.field == "file_sign"
    assert len(emu.requests_to("GET", "/file/upload/forward")) == 4


async def test_forward_of_a_group_shared_file_to_a_user(
    client: LanyingClient, emu: Emulator
) -> None:
    owner, other = await _users(client, "owner", "other")
    group = await client.as_user(owner).groups.create(name="g")
    shared = await client.as_user(owner).files.chat_file_upload_url(
        group.group_id, ChatFileType.SHARED_VIDEO, to_type=TargetType.GROUP
    )
    assert shared.file_sign is not None
    url = await client.as_user(owner).files.forward_url(
        shared.file_sign, other, to_type=TargetType.USER
    )
    copy = emu.app_state().services.chat_file(url.rsplit("=", 1)[1])
    assert copy is not None and copy.file_type == ChatFileType.VIDEO
    assert emu.requests_to("GET", "/file/upload/forward")[0].query["to_type"] == "1"


# --- tokens ---------------------------------------------------------------------------


async def test_token_by_user_id_acts_only_as_that_user(
    client: LanyingClient, emu: Emulator
) -> None:
    a, b = await _users(client, "ann", "bob")
    await client.as_user(a).roster.add([b])
    before = emu.state.now_ms()
    info = await client.tokens.by_user_id(a, "ann_pw")
    assert isinstance(info, TokenInfo)
    assert info.user_id == a and info.token and info.expire > before
    assert info.push_token is None and info.store_token and info.encrypt_type == 0
    [sent] = emu.requests_to("POST", "/token/id")
    assert sent.body == {"user_id": a, "password": "ann_pw"}
    assert emu.app_state().user_tokens[info.token] == a
    assert emu.state.executions[("POST", "/token/id")] == 1

    async with LanyingClient(
        api_endpoint=emu.url, app_id=emu.app_id, access_token=info.token
    ) as as_ann:
        friends = await as_ann.roster.list()
        assert [f.user_id for f in friends] == [b]
        rosters = emu.requests_to("GET", "/user/rosters")
        assert "user_id" not in rosters[-1].headers
        with pytest.raises(PermissionDeniedError) as caught:
            await as_ann.as_user(b).roster.list()
        assert caught.value.code == 10010
        assert await as_ann.as_user(a).roster.list() == friends


async def test_token_by_username_and_by_login_name(client: LanyingClient, emu: Emulator) -> None:
    (a,) = await _users(client, "ann")
    by_name = await client.tokens.by_username("ann", "ann_pw", device_guid="tablet")
    assert by_name.user_id == a and by_name.push_token
    assert emu.requests_to("POST", "/token/user")[0].body == {
        "name": "ann",
        "password": "ann_pw",
        "device_guid": "tablet",
    }
    again = await client.tokens.login("ann", "ann_pw", device_guid="tablet")
    assert again.user_id == a
    assert again.push_token == by_name.push_token  # same device, same push token
    assert again.token != by_name.token
    assert emu.requests_to("POST", "/token/login")[0].body == {
        "login_name": "ann",
        "password": "ann_pw",
        "device_guid": "tablet",
    }
    other_device = await client.tokens.login("ann", "ann_pw", device_guid="laptop")
    assert other_device.push_token != by_name.push_token

    profile = emu.app_state().accounts.profile(a)
    profile.email, profile.mobile = "ann@example.com", "13800000000"
    assert (await client.tokens.login("ann@example.com", "ann_pw")).user_id == a
    assert (await client.tokens.login("13800000000", "ann_pw")).user_id == a


async def test_token_errors(client: LanyingClient, emu: Emulator) -> None:
    (a,) = await _users(client, "ann")
    with pytest.raises(InvalidParameterError) as wrong:
        await client.tokens.by_user_id(a, "not-the-password")
    assert wrong.value.code == 10002
    with pytest.raises(UserNotFoundError) as unknown:
        await client.tokens.by_user_id(987654321, "pw")
    assert unknown.value.code == 10000
    with pytest.raises(UserNotFoundError):
        await client.tokens.by_username("nobody", "pw")
    with pytest.raises(UserNotFoundError):
        await client.tokens.login("nobody@example.com", "pw")
    with pytest.raises(InvalidParameterError):
        await client.tokens.login("ann", "wrong")

    emu.app_state().accounts.disabled.add(a)
    for attempt in (
        client.tokens.by_user_id(a, "ann_pw"),
        client.tokens.by_username("ann", "ann_pw"),
        client.tokens.login("ann", "ann_pw"),
    ):
        with pytest.raises(PermissionDeniedError) as disabled:
            await attempt
        assert disabled.value.code == 10010
    assert emu.app_state().user_tokens == {}
    assert emu.state.executions[("POST", "/token/id")] == 0


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "field"),
    [
        ("by_user_id", (0, "pw"), {}, "user_id"),
        ("by_user_id", (True, "pw"), {}, "user_id"),
        ("by_user_id", (5, ""), {}, "password"),
        ("by_user_id", (5, "pw"), {"device_guid": ""}, "device_guid"),
        ("by_username", ("", "pw"), {}, "username"),
        ("by_username", ("ann", None), {}, "password"),
        ("login", ("", "pw"), {}, "login_name"),
        ("login", ("ann", ""), {}, "password"),
    ],
)
async def test_token_arguments_are_checked_before_sending(
    client: LanyingClient,
    emu: Emulator,
    method: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    field: str,
) -> None:
    with pytest.raises(ValidationError) as caught:
        await getattr(client.tokens, method)(*args, **kwargs)
    assert caught.value.field == field
    assert emu.requests_served == 0


async def test_token_bodies_are_checked_by_the_emulator(emu: Emulator) -> None:
    cases = [
        ("/token/id", {"password": "pw"}),
        ("/token/id", {"user_id": 1}),
        ("/token/user", {"password": "pw"}),
        ("/token/login", {"login_name": "ann"}),
        ("/token/id", {"user_id": "one", "password": "pw"}),
    ]
    for path, body in cases:
        answer = await _raw_post(emu, path, body)
        assert answer["code"] == 10002, (path, body)
