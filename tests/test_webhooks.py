"""Message callbacks: signatures, the typed payload, and the emulator calling back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import msgspec
import pytest
from aiohttp import web

from lanying_async import ConfigurationError, LanyingClient, LanyingError, Secret, TargetType
from lanying_async.emulator.callbacks import (
    CallbackDispatcher,
    CallbackTarget,
    install_callbacks,
)
from lanying_async.testing import Emulator
from lanying_async.webhooks import (
    ChatType,
    MessageCallback,
    WebhookPayloadError,
    WebhookSecrets,
    WebhookSignatureError,
    parse_callback,
    status_for,
    verify_callback,
    verify_signature,
)
from tests.ports import free_port

pytestmark = pytest.mark.anyio

SECRET = "callback-secret-1"
PATH = "/hook"


def _body(**overrides: object) -> bytes:
    payload: dict[str, object] = {
        "appId": "app1",
        "msgId": 1130000000000000001,
        "from": {"uid": 2199040544848},
        "to": {"uid": 2199040544992},
        "type": "CHAT",
        "ctype": "TEXT",
        "content": "hello",
        "ext": '{"k": 1}',
        "config": '{"antispam": true}',
        "attachment": '{"url": "https://example.com/a.png"}',
    }
    payload.update(overrides)
    return msgspec.json.encode({k: v for k, v in payload.items() if v is not None})


# --- signatures -------------------------------------------------------------------


def test_signature_matches_any_configured_secret() -> None:
    assert verify_signature(SECRET, SECRET)
    assert verify_signature("old", ["new", "old"])  # rotation: both accepted meanwhile
    assert verify_signature("new", ("new", "old"))
    assert verify_signature(SECRET, Secret(SECRET))
    assert verify_signature("密钥", ["密钥"])


@pytest.mark.parametrize(
    "header", [None, "", "callback-secret", "callback-secret-12", "CALLBACK-SECRET-1", "é"]
)
def test_signature_refuses_anything_else(header: str | None) -> None:
    assert not verify_signature(header, [SECRET, "other-secret"])


@pytest.mark.parametrize("secrets", ["", [], [SECRET, ""], [Secret("")]])
def test_missing_or_empty_secrets_are_a_configuration_error(secrets: str | list[str]) -> None:
    with pytest.raises(ConfigurationError):
        verify_signature(SECRET, secrets)


def test_secrets_and_signatures_stay_out_of_messages() -> None:
    secrets = WebhookSecrets([SECRET, "second-secret"])
    assert SECRET not in repr(secrets) and SECRET not in str(secrets)
    assert len(secrets) == 2
    with pytest.raises(WebhookSignatureError) as caught:
        secrets.check("callback-secret-2")
    assert "callback-secret" not in str(caught.value)
    target = CallbackTarget("http://127.0.0.1:1/hook", SECRET)
    assert SECRET not in repr(target)
    dispatcher = CallbackDispatcher()
    dispatcher.configure("http://127.0.0.1:1/hook", SECRET)
    assert SECRET not in repr(dispatcher)


def test_signature_is_checked_before_the_body() -> None:
    with pytest.raises(WebhookSignatureError) as caught:
        verify_callback(b"not even json", "wrong", SECRET)
    assert isinstance(caught.value, LanyingError)
    assert status_for(caught.value) == 401
    with pytest.raises(WebhookSignatureError):
        verify_callback(_body(), None, SECRET)
    assert verify_callback(_body(), SECRET, [SECRET]).content == "hello"


# --- the payload ------------------------------------------------------------------


def test_callback_decodes_to_pythonic_attributes() -> None:
    message = parse_callback(_body())
    assert isinstance(message, MessageCallback)
    assert message.app_id == "app1"
    assert message.msg_id == 1130000000000000001
    assert message.from_.uid == message.sender_id == 2199040544848
    assert message.to.uid == message.target_id == 2199040544992
    assert message.type is ChatType.CHAT and not message.is_group
    assert message.ctype == "TEXT"
    assert message.content == "hello"
    assert msgspec.json.decode(message.ext or "") == {"k": 1}
    assert message.config == '{"antispam": true}'
    assert message.attachment == '{"url": "https://example.com/a.png"}'


def test_callback_tolerates_what_a_newer_server_may_send() -> None:
    message = parse_callback(
        _body(
            type="CHATROOM",
            ctype="STICKER",
            msgId=None,
            ext=None,
            config=None,
            attachment=None,
            timestamp=1700000000000,
            **{"from": {"uid": "42", "deviceSn": 3}},
        )
    )
    assert message.type == "CHATROOM" and message.type.value == "CHATROOM"
    assert message.type not in (ChatType.CHAT, ChatType.GROUPCHAT)
    assert isinstance(message.type, ChatType) and not message.is_group
    assert message.ctype == "STICKER"
    assert message.msg_id is None
    assert message.sender_id == 42  # ids as numeric strings decode as ints
    assert message.ext is message.config is message.attachment is None
    group = parse_callback(_body(type="GROUPCHAT", msgId="7"))
    assert group.type is ChatType.GROUPCHAT and group.is_group and group.msg_id == 7


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "truncated"),
        (b"{not json", "JSON"),
        (b"[1, 2]", "object"),
        (_body(**{"from": None}), "`from`"),
        (_body(appId=None), "`appId`"),
        (_body(to={"uid": "abc"}), "$.to.uid"),
        (_body(to={}), "`uid`"),
        (_body(type=2), "$.type"),
        (_body(content=5), "$.content"),
    ],
)
def test_bad_bodies_are_payload_errors(raw: bytes, reason: str) -> None:
    with pytest.raises(WebhookPayloadError) as caught:
        parse_callback(raw)
    assert reason in caught.value.reason
    assert isinstance(caught.value, LanyingError)
    assert status_for(caught.value) == 400


# --- the emulator calls back --------------------------------------------------------


class Receiver:
    """A callback receiver on loopback that records what it is sent."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.calls: list[tuple[str | None, bytes]] = []
        self.gate: asyncio.Event | None = None
        """When set, requests wait for this event before being answered."""

    @property
    def messages(self) -> list[MessageCallback]:
        return [parse_callback(body) for _, body in self.calls]

    async def handle(self, request: web.Request) -> web.Response:
        self.calls.append((request.headers.get("signature"), await request.read()))
        if self.gate is not None:
            await self.gate.wait()
        return web.Response(status=self.status)


@asynccontextmanager
async def receiving(receiver: Receiver) -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_post(PATH, receiver.handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        yield f"http://127.0.0.1:{runner.addresses[0][1]}{PATH}"
    finally:
        if receiver.gate is not None:
            receiver.gate.set()
        await runner.cleanup()


@asynccontextmanager
async def emulator_with_callbacks() -> AsyncIterator[tuple[Emulator, CallbackDispatcher]]:
    emulator = Emulator()
    callbacks = install_callbacks(emulator.app)  # before it starts
    async with emulator:
        yield emulator, callbacks


async def _users(client: LanyingClient, *names: str) -> list[int]:
    return [(await client.users.register(username=n, password="pw")).user_id for n in names]


async def test_every_delivered_message_is_posted_with_the_signature() -> None:
    receiver = Receiver()
    async with emulator_with_callbacks() as (emu, callbacks), receiving(receiver) as url:
        callbacks.configure(url, SECRET)
        async with emu.client() as client:
            alice, bob, carol = await _users(client, "alice", "bob", "carol")
            group = await client.as_user(alice).groups.create(name="room")
            await client.as_user(alice).groups.invite_once(group.group_id, [bob])
            await client.as_user(alice).messages.send_once([bob, carol], "hi", ext={"k": 1})
            await client.messages.send_once(
                [group.group_id], "to the group", target_type=TargetType.GROUP, from_user_id=bob
            )
            await client.messages.notify([carol], "system notice")
            await callbacks.wait_idle()

        assert {signature for signature, _ in receiver.calls} == {SECRET}
        got = {m.msg_id: m for m in receiver.messages}
        records = emu.app_state().messages + emu.app_state().messaging.notifications
        assert set(got) == {record.msg_id for record in records}
        assert len(got) == 4 and callbacks.delivered == 4 and callbacks.failed == 0
        by_content = {(m.content, m.target_id): m for m in got.values()}
        to_bob = by_content[("hi", bob)]
        assert (to_bob.sender_id, to_bob.type, to_bob.ctype) == (alice, ChatType.CHAT, "TEXT")
        assert to_bob.app_id == emu.app_id and msgspec.json.decode(to_bob.ext or "") == {"k": 1}
        assert by_content[("hi", carol)].sender_id == alice
        in_group = by_content[("to the group", group.group_id)]
        assert in_group.is_group and in_group.sender_id == bob
        assert by_content[("system notice", carol)].sender_id == 0


async def test_a_replayed_send_is_not_called_back_again() -> None:
    receiver = Receiver()
    async with emulator_with_callbacks() as (emu, callbacks), receiving(receiver) as url:
        callbacks.configure(url, SECRET)
        async with emu.client() as client:
            alice, bob = await _users(client, "alice", "bob")
            for _ in range(3):
                await client.messages.send_once([bob], "once", from_user_id=alice, transaction_id=9)
            await callbacks.wait_idle()
    assert len(receiver.calls) == 1 and callbacks.delivered == 1


async def test_nothing_is_posted_unless_configured_for_the_app() -> None:
    receiver = Receiver()
    async with emulator_with_callbacks() as (emu, callbacks), receiving(receiver) as url:
        emu.add_app("other_app")
        callbacks.configure(url, SECRET, app_id="other_app")
        async with emu.client() as client:
            alice, bob = await _users(client, "alice", "bob")
            await client.messages.send_once([bob], "quiet", from_user_id=alice)
            callbacks.configure(url, SECRET)
            callbacks.disable()
            await client.messages.send_once([bob], "still quiet", from_user_id=alice)
        async with emu.client(app_id="other_app") as other:
            dave, erin = await _users(other, "dave", "erin")
            await other.messages.send_once([erin], "heard", from_user_id=dave)
            await callbacks.wait_idle()  # would also wait for any earlier delivery
    assert [(m.app_id, m.content) for m in receiver.messages] == [("other_app", "heard")]


async def test_failing_receivers_are_counted_and_never_break_the_emulator() -> None:
    refusing = Receiver(status=500)
    async with emulator_with_callbacks() as (emu, callbacks), receiving(refusing) as url:
        async with emu.client() as client:
            alice, bob = await _users(client, "alice", "bob")
            callbacks.configure(url, SECRET)
            await client.messages.send_once([bob], "refused", from_user_id=alice)
            await callbacks.wait_idle()
            callbacks.configure(f"http://127.0.0.1:{free_port()}/hook", SECRET)
            await client.messages.send_once([bob], "nobody there", from_user_id=alice)
            await callbacks.wait_idle()
            # the emulator still serves, and the messages were delivered all the same
            history = await client.as_user(bob).messages.history(alice)
    assert [m.content for m in history.items] == ["nobody there", "refused"]
    assert callbacks.delivered == 0 and callbacks.failed == 2
    first, second = callbacks.failures
    assert "HTTP 500" in first.reason
    assert second.reason.startswith("Client")  # a connection error, named
    assert SECRET not in repr(list(callbacks.failures))


async def test_a_receiver_that_never_answers_times_out() -> None:
    hanging = Receiver()
    hanging.gate = asyncio.Event()
    async with emulator_with_callbacks() as (emu, callbacks), receiving(hanging) as url:
        callbacks.timeout = 0.2
        callbacks.configure(url, SECRET)
        async with emu.client() as client:
            alice, bob = await _users(client, "alice", "bob")
            await client.messages.send_once([bob], "anyone?", from_user_id=alice)
            await callbacks.wait_idle()
    assert callbacks.failed == 1 and "no answer within" in callbacks.failures[0].reason


async def test_stopping_drains_deliveries_and_leaves_no_task() -> None:
    receiver = Receiver()
    tasks_before = asyncio.all_tasks()
    async with receiving(receiver) as url:
        async with emulator_with_callbacks() as (emu, callbacks):
            callbacks.configure(url, SECRET)
            async with emu.client() as client:
                alice, bob = await _users(client, "alice", "bob")
                await client.messages.send_once([bob, alice], "bye", from_user_id=alice)
            # no wait_idle: stopping the emulator waits for the deliveries
        assert len(receiver.calls) == 2 and callbacks.delivered == 2
        assert callbacks.pending == 0
        # after stopping, a late message is refused and counted, not sent
        late = {"msgId": 1, "appId": emu.app_id}
        assert callbacks.dispatch(emu.app_id, [late]) == 0
        assert callbacks.failed == 1 and "stopping" in callbacks.failures[0].reason
    assert asyncio.all_tasks() - tasks_before == set()


async def test_deliveries_past_the_drain_timeout_are_cancelled_and_counted() -> None:
    hanging = Receiver()
    hanging.gate = asyncio.Event()
    async with receiving(hanging) as url:
        async with emulator_with_callbacks() as (emu, callbacks):
            callbacks.drain_timeout = 0.05
            callbacks.configure(url, SECRET)
            async with emu.client() as client:
                alice, bob = await _users(client, "alice", "bob")
                await client.messages.send_once([bob], "stuck", from_user_id=alice)
        assert callbacks.pending == 0
        assert callbacks.failed == 1 and "cancelled" in callbacks.failures[0].reason


async def test_installing_twice_gives_the_same_dispatcher() -> None:
    emulator = Emulator()
    assert install_callbacks(emulator.app) is install_callbacks(emulator.app)
    with pytest.raises(ValueError, match="http"):
        install_callbacks(emulator.app).configure("ftp://example.com", SECRET)
    with pytest.raises(ValueError, match="secret"):
        install_callbacks(emulator.app).configure("http://127.0.0.1:1/", "")


async def test_emulator_api_and_assistant_messages_are_called_back() -> None:
    receiver = Receiver()
    async with Emulator() as emu, receiving(receiver) as url, emu.client() as client:
        emu.enable_callbacks(url, SECRET)
        alice, assistant = await _users(client, "alice", "assistant")
        await client.ai.send_message([assistant], "question", from_user_id=alice)
        await emu.callbacks.wait_idle()
        emu.disable_callbacks()
        await client.ai.send_message([assistant], "unheard", from_user_id=alice)
        await emu.callbacks.wait_idle()
    got = [(m.sender_id, m.target_id, m.content) for m in receiver.messages]
    assert sorted(got) == sorted(
        [(alice, assistant, "question"), (assistant, alice, "AI reply: question")]
    )
    assert emu.callbacks.delivered == 2
