"""One sample call of every catalog operation's SDK method, with valid arguments.

``CALLS`` maps each ``service.method`` of the catalog to a call on a
:class:`World` (an admin client, two users and a group). Optional arguments
are passed wherever a method takes them, so that their wire form is exercised
too. Bulk jobs are awaited for their report, paginators for their first page.
``VARIANTS`` holds other public methods and other forms of the same requests
(``*_once``, ``bulk_*``, calls without the optional arguments).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from lanying_async import LanyingClient
from lanying_async.client import ClientView
from lanying_async.models.enums import (
    ApplyApproval,
    AuthMode,
    ClickAction,
    ContentType,
    DistributionStrategy,
    GroupType,
    OsPushChannel,
    PushMessageType,
    TargetType,
)
from lanying_async.models.files import AudioFormat, ChatFileType, ImageType, ThumbnailStrategy
from lanying_async.models.groups import GroupMuteMode, GroupPushMode
from lanying_async.models.push import (
    AndroidOptions,
    Audience,
    HuaweiOptions,
    IosOptions,
    PushEnvironment,
    PushMessage,
    PushProvider,
    PushSetting,
    VendorOptions,
    VivoOptions,
)
from lanying_async.models.roster import RosterApplication
from lanying_async.models.users import ProfileUpdate

__all__ = ["CALLS", "VARIANTS", "World"]


@dataclass(frozen=True)
class World:
    """Who the sample calls act as: ``uid`` owns group ``gid``, ``peer`` is a member;
    ``own`` is a client holding ``uid``'s own token."""

    client: LanyingClient
    own: LanyingClient
    uid: int
    peer: int
    gid: int

    @property
    def admin(self) -> LanyingClient:
        return self.client

    @property
    def me(self) -> ClientView:
        return self.client.as_user(self.uid)

    @property
    def them(self) -> ClientView:
        return self.client.as_user(self.peer)


Call = Callable[[World], Awaitable[Any]]

PUSH_MESSAGE = PushMessage(
    type=PushMessageType.TEXT,
    title="title",
    body="body",
    attachment_url="https://example.com/a.png",
    big_text="big",
    badge="+1",
    ext={"k": {"n": [1, "x"]}},
    show_begin_time=1_700_000_000,
    show_end_time=1_700_000_600,
    ios=IosOptions(sound="s", content_available=True, mutable_content=False, thread_id="t"),
    android=AndroidOptions(channel_id="c", click_action=ClickAction.OPEN_APP),
    huawei=HuaweiOptions(badge_class="b", intent="i"),
    xiaomi=VendorOptions(sound="s"),
    oppo=VendorOptions(channel_id="c"),
    vivo=VivoOptions(push_mode=1, classification=0),
    flyme=VendorOptions(intent="i"),
    fcm=VendorOptions(click_action=ClickAction.INTENT),
)
PUSH_SETTING = PushSetting(
    distribution_strategy=DistributionStrategy.COMBINED,
    ospush_sequence=[OsPushChannel.FCM, OsPushChannel.HUAWEI],
)
IMAGE: dict[str, Any] = {
    "image_type": ImageType.THUMBNAIL,
    "width": 64,
    "height": 48.5,
    "sdk_sign": "sign",
    "store_token": "store",
}
MESSAGE_OPTIONS: dict[str, Any] = {
    "content_type": ContentType.TEXT,
    "ext": {"k": 1},
    "config": '{"c": true}',
    "attachment": {"url": "https://example.com/f"},
    "online_only": False,
}
SETTINGS: dict[str, Any] = {
    "auto_download": True,
    "group_confirm": False,
    "no_sounds": True,
    "no_push": False,
    "vibratory": True,
    "no_push_detail": False,
    "auth_mode": AuthMode.QUESTION,
    "auth_question": "pet?",
    "auth_answer": "cat",
    "no_push_start_hour": 22,
    "no_push_end_hour": 7,
    "silence_start_time": 1,
    "silence_end_time": 2,
    "push_nick_name": "nick",
}

CALLS: dict[str, Call] = {
    # ai
    "ai.send_message": lambda w: w.admin.ai.send_message(
        [w.peer], "hi", from_user_id=w.uid, related_mid=7, transaction_id=9, **MESSAGE_OPTIONS
    ),
    # files
    "files.download_avatar": lambda w: w.admin.files.download_avatar(
        f"avatar/user/{w.uid}/a.png", thumbnail_strategy=ThumbnailStrategy.LOCAL, **IMAGE
    ),
    "files.download_chat_file": lambda w: w.admin.files.download_chat_file(
        "file-sign", audio_format=AudioFormat.MP3, source="miniprogram", **IMAGE
    ),
    "files.group_avatar_upload_url": lambda w: w.me.files.group_avatar_upload_url(w.gid),
    "files.user_avatar_upload_url": lambda w: w.me.files.user_avatar_upload_url(),
    "files.chat_file_upload_url": lambda w: w.me.files.chat_file_upload_url(
        w.peer, ChatFileType.IMAGE, to_type=TargetType.USER
    ),
    "files.forward_url": lambda w: w.me.files.forward_url(
        "file-sign", w.gid, to_type=TargetType.GROUP
    ),
    # groups
    "groups.add_admins": lambda w: w.me.groups.add_admins(w.gid, [w.peer]),
    "groups.remove_admins": lambda w: w.me.groups.remove_admins(w.gid, [w.peer]),
    "groups.admins": lambda w: w.me.groups.admins(w.gid),
    "groups.create": lambda w: w.me.groups.create(
        "g", "about", avatar="https://example.com/g.png", type=GroupType.PRIVATE, members=[w.peer]
    ),
    "groups.destroy": lambda w: w.me.groups.destroy(w.gid),
    "groups.set_display_name": lambda w: w.me.groups.set_display_name(w.gid, "card"),
    "groups.info": lambda w: w.me.groups.info(w.gid),
    "groups.set_avatar": lambda w: w.me.groups.set_avatar(w.gid, "https://example.com/g.png"),
    "groups.info_batch": lambda w: w.me.groups.info_batch([w.gid]),
    "groups.set_description": lambda w: w.me.groups.set_description(w.gid, "about"),
    "groups.set_ext": lambda w: w.me.groups.set_ext(w.gid, {"k": [1, 2]}),
    "groups.set_name": lambda w: w.me.groups.set_name(w.gid, "renamed"),
    "groups.invite": lambda w: w.me.groups.invite(w.gid, [w.peer], reason="join us"),
    "groups.kick": lambda w: w.me.groups.kick(w.gid, [w.peer]),
    "groups.leave": lambda w: w.them.groups.leave(w.gid),
    "groups.members": lambda w: w.me.groups.members(w.gid, limit=10),
    "groups.member_display_names": lambda w: w.me.groups.member_display_names(w.gid, [w.peer]),
    "groups.set_mute_mode": lambda w: w.me.groups.set_mute_mode(
        w.gid, GroupMuteMode.NO_NOTIFICATIONS
    ),
    "groups.set_push_mode": lambda w: w.me.groups.set_push_mode(w.gid, GroupPushMode.MENTIONS_ONLY),
    "groups.public_groups": lambda w: w.me.groups.public_groups(),
    "groups.settings": lambda w: w.me.groups.settings(w.gid),
    "groups.set_allow_member_invitation": lambda w: w.me.groups.set_allow_member_invitation(
        w.gid, True
    ),
    "groups.set_allow_member_modify": lambda w: w.me.groups.set_allow_member_modify(w.gid, False),
    "groups.set_read_ack": lambda w: w.me.groups.set_read_ack(w.gid, True),
    "groups.set_hide_member_info": lambda w: w.me.groups.set_hide_member_info(w.gid, True),
    "groups.set_history_visible": lambda w: w.me.groups.set_history_visible(w.gid, True),
    "groups.set_apply_approval": lambda w: w.me.groups.set_apply_approval(
        w.gid, ApplyApproval.ADMIN_APPROVAL
    ),
    "groups.transfer": lambda w: w.me.groups.transfer(w.gid, w.peer),
    "groups.joined": lambda w: w.me.groups.joined(),
    # group moderation
    "groups.announcement": lambda w: w.me.groups.announcement(w.gid, 1),
    "groups.delete_announcement": lambda w: w.me.groups.delete_announcement(w.gid, 1),
    "groups.edit_announcement": lambda w: w.me.groups.edit_announcement(w.gid, "title", "text"),
    "groups.last_announcement": lambda w: w.me.groups.last_announcement(w.gid),
    "groups.announcements": lambda w: w.me.groups.announcements(w.gid),
    "groups.applications": lambda w: w.me.groups.applications([w.gid], limit=10),
    "groups.apply": lambda w: w.them.groups.apply(w.gid, "let me in"),
    "groups.handle_application": lambda w: w.me.groups.handle_application(
        w.gid, w.peer, approve=True
    ),
    "groups.ban": lambda w: w.me.groups.ban(w.gid, [w.peer], 5),
    "groups.banned": lambda w: w.me.groups.banned(w.gid, limit=10),
    "groups.block": lambda w: w.me.groups.block(w.gid, [w.peer]),
    "groups.blocked": lambda w: w.me.groups.blocked(w.gid, limit=10),
    "groups.file": lambda w: w.me.groups.file(w.gid, 1),
    "groups.delete_files": lambda w: w.me.groups.delete_files(w.gid, [1]),
    "groups.files": lambda w: w.me.groups.files(w.gid),
    "groups.rename_file": lambda w: w.me.groups.rename_file(w.gid, 1, "new.txt"),
    "groups.upload_file": lambda w: w.me.groups.upload_file(
        w.gid, "a.txt", "https://example.com/a.txt", 12, type="text/plain"
    ),
    "groups.invitations": lambda w: w.them.groups.invitations(limit=10),
    "groups.handle_invitation": lambda w: w.them.groups.handle_invitation(
        w.gid, w.uid, accept=False
    ),
    "groups.join_by_qrcode": lambda w: w.them.groups.join_by_qrcode("qr-info"),
    "groups.qrcode": lambda w: w.me.groups.qrcode(w.gid),
    "groups.ban_all": lambda w: w.me.groups.ban_all(w.gid, 5),
    "groups.unban_all": lambda w: w.me.groups.unban_all(w.gid),
    "groups.unban": lambda w: w.me.groups.unban(w.gid, [w.peer]),
    "groups.unblock": lambda w: w.me.groups.unblock(w.gid, [w.peer]),
    # messages and conversations
    "messages.ack": lambda w: w.me.messages.ack(w.peer, 1, device_sn=2),
    "messages.broadcast": lambda w: w.admin.messages.broadcast(
        "hello all", content_type=ContentType.TEXT, ext={"k": 1}, config="{}", attachment="{}"
    ),
    "messages.history": lambda w: w.me.messages.history(w.peer, limit=5),
    "messages.delete_conversation": lambda w: w.me.messages.delete_conversation(w.peer),
    "messages.notify": lambda w: w.admin.messages.notify([w.peer], "note", transaction_id=5),
    "messages.recall": lambda w: w.me.messages.recall(w.peer, 1),
    "messages.send": lambda w: w.admin.messages.send(
        [w.peer], "hi", from_user_id=w.uid, related_mid=3, **MESSAGE_OPTIONS
    ),
    "messages.unread": lambda w: w.me.messages.unread(),
    "messages.pin_conversation": lambda w: w.me.messages.pin_conversation(w.peer),
    "messages.pinned_conversations": lambda w: w.me.messages.pinned_conversations(),
    "messages.unpin_conversation": lambda w: w.me.messages.unpin_conversation(w.peer),
    # push
    "push.certificate": lambda w: w.admin.push.certificate(
        PushProvider.APNS, environment=PushEnvironment.PRODUCTION
    ),
    "push.notify": lambda w: w.admin.push.notify(
        Audience.user_ids([w.uid, w.peer]), PUSH_MESSAGE, setting=PUSH_SETTING
    ),
    "push.task_details": lambda w: w.admin.push.task_details([1, 2]),
    # roster
    "roster.accept": lambda w: w.me.roster.accept(w.peer),
    "roster.apply": lambda w: w.me.roster.apply(w.peer, reason="hi", alias="bob", answer="cat"),
    "roster.apply_batch": lambda w: w.me.roster.apply_batch(
        [RosterApplication(user_id=w.peer, alias="bob", reason="hi")]
    ),
    "roster.applications": lambda w: w.me.roster.applications(limit=10),
    "roster.block": lambda w: w.me.roster.block(w.peer),
    "roster.blocked": lambda w: w.me.roster.blocked(),
    "roster.decline": lambda w: w.me.roster.decline(w.peer, reason="no"),
    "roster.remove": lambda w: w.me.roster.remove(w.peer),
    "roster.set_ext": lambda w: w.me.roster.set_ext(
        w.peer, alias="bob", ext={"k": 1}, mute_notification=True
    ),
    "roster.search_by_id": lambda w: w.me.roster.search_by_id(w.peer),
    "roster.friend_ids": lambda w: w.me.roster.friend_ids(limit=10),
    "roster.friends": lambda w: w.me.roster.friends([w.peer]),
    "roster.may_message": lambda w: w.admin.roster.may_message(w.uid, w.peer),
    "roster.search_by_mobile": lambda w: w.me.roster.search_by_mobile("+8613800000000"),
    "roster.search_by_name": lambda w: w.me.roster.search_by_name("bob"),
    "roster.unblock": lambda w: w.me.roster.unblock(w.peer),
    "roster.add": lambda w: w.me.roster.add([w.peer]),
    "roster.list": lambda w: w.me.roster.list(),
    # tokens
    "tokens.by_user_id": lambda w: w.admin.tokens.by_user_id(w.uid, "pw", device_guid="dev"),
    "tokens.login": lambda w: w.admin.tokens.login("alice", "pw", device_guid="dev"),
    "tokens.by_username": lambda w: w.admin.tokens.by_username("alice", "pw", device_guid="dev"),
    # users: accounts
    "users.set_avatar": lambda w: w.me.users.set_avatar("https://example.com/u.png"),
    "users.set_avatars": lambda w: w.admin.users.set_avatars({w.peer: "https://example.com/u.png"}),
    "users.change_password": lambda w: w.me.users.change_password("pw", "pw2"),
    "users.reset_password": lambda w: w.me.users.reset_password("pw3"),
    "users.delete": lambda w: w.them.users.delete(password="pw"),
    "users.devices": lambda w: w.me.users.devices(),
    "users.remove_device": lambda w: w.me.users.remove_device(1),
    "users.disable": lambda w: w.admin.users.disable([w.peer]),
    "users.enable": lambda w: w.admin.users.enable([w.peer]),
    "users.kick_device": lambda w: w.me.users.kick_device(1),
    "users.list": lambda w: w.admin.users.list(page_size=10, page_num=1),
    "users.set_mobile": lambda w: w.me.users.set_mobile("+8613800000000"),
    "users.set_nickname": lambda w: w.me.users.set_nickname("Al"),
    "users.online_status": lambda w: w.me.users.online_status(),
    "users.set_private_info": lambda w: w.me.users.set_private_info({"k": 1}),
    "users.profile": lambda w: w.me.users.profile(),
    "users.update_profile": lambda w: w.me.users.update_profile(
        nick_name="Al", description="about", public_info={"p": 1}, private_info="secret"
    ),
    "users.update_profiles": lambda w: w.admin.users.update_profiles(
        [
            ProfileUpdate(
                user_id=w.peer, nick_name="B", description="d", public_info="p", private_info="q"
            )
        ]
    ),
    "users.set_public_info": lambda w: w.me.users.set_public_info("plain text"),
    "users.register_batch": lambda w: w.admin.users.register_batch({"carol": "pw"}),
    "users.register_push_user": lambda w: w.admin.users.register_push_user(
        "dave", "pw", push_token="pt", device_guid="dev", alias="d", sign="s"
    ),
    "users.register": lambda w: w.admin.users.register("erin", "pw"),
    "users.set_username": lambda w: w.me.users.set_username("alice2"),
    # users: settings and push preferences
    "users.set_auth_mode": lambda w: w.me.users.set_auth_mode(AuthMode.CONFIRM),
    "users.set_auto_download": lambda w: w.me.users.set_auto_download(True),
    "users.set_no_push": lambda w: w.me.users.set_no_push(False),
    "users.set_push_alias": lambda w: w.me.users.set_push_alias("al", push_token="pt"),
    "users.set_push_badge": lambda w: w.me.users.set_push_badge(3),
    "users.set_no_push_detail": lambda w: w.me.users.set_no_push_detail(True),
    "users.set_push_quiet_hours": lambda w: w.me.users.set_push_quiet_hours(22, 7),
    "users.set_push_nickname": lambda w: w.me.users.set_push_nickname("Al"),
    "users.push_tags": lambda w: w.me.users.push_tags(),
    "users.add_push_tags": lambda w: w.me.users.add_push_tags(["a", "b"]),
    "users.remove_push_tags": lambda w: w.me.users.remove_push_tags(["a"]),
    "users.clear_push_tags": lambda w: w.me.users.clear_push_tags(),
    "users.settings": lambda w: w.me.users.settings(),
    "users.update_settings": lambda w: w.me.users.update_settings(**SETTINGS),
    "users.set_no_sounds": lambda w: w.me.users.set_no_sounds(True),
    "users.bind_push_token": lambda w: w.me.users.bind_push_token(1, "token", "notifier"),
    "users.unbind_push_token": lambda w: w.me.users.unbind_push_token(1),
    "users.set_vibratory": lambda w: w.me.users.set_vibratory(False),
}

VARIANTS: dict[str, Call] = {
    "ai.send_message (to a group, bare)": lambda w: w.me.ai.send_message(
        [w.gid], "hi", target_type=TargetType.GROUP
    ),
    "files.download_avatar (bare)": lambda w: w.admin.files.download_avatar("avatar/user/1/a"),
    "files.chat_file_upload_url (group shared)": lambda w: w.me.files.chat_file_upload_url(
        w.gid, ChatFileType.SHARED_FILE, to_type=TargetType.GROUP
    ),
    "groups.create (bare)": lambda w: w.me.groups.create("g"),
    "groups.invite_once": lambda w: w.me.groups.invite_once(w.gid, [w.peer]),
    "groups.bulk_kick": lambda w: w.me.groups.bulk_kick(w.gid, [w.peer]),
    "groups.bulk_add_admins": lambda w: w.me.groups.bulk_add_admins(w.gid, [w.peer]),
    "groups.bulk_remove_admins": lambda w: w.me.groups.bulk_remove_admins(w.gid, [w.peer]),
    "groups.bulk_ban": lambda w: w.me.groups.bulk_ban(w.gid, [w.peer], 5),
    "groups.bulk_unban": lambda w: w.me.groups.bulk_unban(w.gid, [w.peer]),
    "groups.bulk_block": lambda w: w.me.groups.bulk_block(w.gid, [w.peer]),
    "groups.bulk_unblock": lambda w: w.me.groups.bulk_unblock(w.gid, [w.peer]),
    "groups.bulk_info": lambda w: w.me.groups.bulk_info([w.gid]),
    "groups.apply (no reason)": lambda w: w.them.groups.apply(w.gid),
    "groups.members (as the group's admin)": lambda w: w.admin.as_group_admin(w.gid).groups.members(
        w.gid
    ),
    "messages.send_once": lambda w: w.me.messages.send_once([w.gid], "hi", target_type=2),
    "messages.history (from a message)": lambda w: w.me.messages.history(w.peer, start_msg_id=9),
    "messages.ack (no device)": lambda w: w.me.messages.ack(w.peer, 1),
    "push.notify_once": lambda w: w.admin.push.notify_once(
        Audience.aliases(["al"]), PushMessage(title="t")
    ),
    "push.notify (everyone)": lambda w: w.admin.push.notify(Audience.all(), PushMessage(body="b")),
    "push.notify (tags, tokens)": lambda w: w.admin.push.notify(
        Audience.tags(["a"]), PushMessage(type=PushMessageType.CMD, ext={"n": 1})
    ),
    "push.certificate (no environment)": lambda w: w.admin.push.certificate(PushProvider.FCM),
    "roster.apply_batch (ids)": lambda w: w.me.roster.apply_batch([w.peer]),
    "roster.bulk_apply": lambda w: w.me.roster.bulk_apply([w.peer]),
    "roster.apply (bare)": lambda w: w.me.roster.apply(w.peer),
    "roster.friend_ids (no limit)": lambda w: w.me.roster.friend_ids(),
    "users.bulk_register": lambda w: w.admin.users.bulk_register({"frank": "pw"}),
    "users.bulk_update_profiles": lambda w: w.admin.users.bulk_update_profiles(
        [ProfileUpdate(user_id=w.peer, nick_name="B")]
    ),
    "users.bulk_set_avatars": lambda w: w.admin.users.bulk_set_avatars({w.peer: "https://a"}),
    "users.bulk_delete": lambda w: w.admin.users.bulk_delete([w.peer]),
    "users.bulk_online_status": lambda w: w.admin.users.bulk_online_status([w.uid]),
    "users.delete (as admin)": lambda w: w.them.users.delete(),
    "users.kick_device (every device)": lambda w: w.me.users.kick_device(),
    "users.register_push_user (bare)": lambda w: w.admin.users.register_push_user("gina", "pw"),
    "users.set_auth_mode (with a question)": lambda w: w.me.users.set_auth_mode(
        AuthMode.QUESTION, question="pet?", answer="cat"
    ),
    "users.update_settings (one)": lambda w: w.me.users.update_settings(no_push=True),
    "users.update_settings (user token)": lambda w: w.own.users.update_settings(
        no_push=True, user_id=w.uid
    ),
    "users.settings (user token)": lambda w: w.own.users.settings(),
    "files.group_avatar_upload_url (user token)": lambda w: w.own.files.group_avatar_upload_url(
        w.gid
    ),
}
