"""Seeding the in-process emulator of ``--emulator`` with what a job refers to.

A job file names users, groups and push tasks by the ids of a real app. To
rehearse it, the emulator is given those very ids: users, a group owned by
the acting user (with members, for a kick), push tasks. The emulator's state
is plain data meant to be seeded directly; ids the SDK would refuse (zero,
negative) are left out so the job still reports them.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from lanying_async.emulator.state import Group, MemberRole, PushTask, User
from lanying_async.emulator.state_services import PushStats
from lanying_async.testing import Emulator

__all__ = ["add_group", "add_push_tasks", "add_users", "new_user_id"]

CHATROOM = 2
"""Seeded groups are chatrooms, so a rehearsal is not capped at a private group's size."""


def new_user_id(emu: Emulator) -> int:
    """An id for a user the job does not name (e.g. the owner of a group)."""
    user_id = emu.state.user_ids.take()
    add_users(emu, [user_id])
    return user_id


def add_users(emu: Emulator, user_ids: Iterable[int]) -> None:
    """Users with these ids (``user_<id>``), unless they exist already."""
    app = emu.app_state()
    now = emu.state.now_ms()
    for user_id in user_ids:
        if user_id > 0 and user_id not in app.users:
            user = User(user_id, f"user_{user_id}", secrets.token_hex(8), now)
            app.users[user_id] = user
            app.user_ids_by_name[user.username] = user_id


def add_group(emu: Emulator, group_id: int, owner_id: int, member_ids: Iterable[int] = ()) -> None:
    """Group ``group_id`` owned by ``owner_id`` with these members (users made as needed)."""
    members = [m for m in member_ids if m > 0]
    add_users(emu, [owner_id, *members])
    app = emu.app_state()
    if group_id <= 0 or group_id in app.groups:
        return
    now = emu.state.now_ms()
    group = Group(
        group_id=group_id,
        name=f"group {group_id}",
        owner_id=owner_id,
        created_at=now,
        updated_at=now,
        type=CHATROOM,
        capacity=emu.state.chatroom_capacity,
    )
    group.members.add(owner_id, MemberRole.OWNER, now)
    for user_id in members:
        if user_id not in group.members:
            group.members.add(user_id, MemberRole.MEMBER, now)
    group.bump_members_version(now)
    app.groups[group_id] = group


def add_push_tasks(emu: Emulator, task_ids: Iterable[int], reached: int) -> None:
    """Push tasks with these ids, each delivered to ``reached`` devices."""
    app = emu.app_state()
    now = emu.state.now_ms()
    for task_id in task_ids:
        if task_id > 0 and task_id not in app.push_tasks:
            request = {"audience": "all", "message": {"title": "rehearsal"}}
            app.push_tasks[task_id] = PushTask(task_id, now, request)
            app.services.push_stats[task_id] = PushStats(task_id, reached, reached, reached)
