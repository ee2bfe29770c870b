"""The fixed Lanying answers the cheap server gives, and the ids they carry.

Every client measured against the cheap server reads the same bytes, so the
differences between them are the clients' own costs.
"""

from __future__ import annotations

import msgspec

__all__ = [
    "APP_ID",
    "GROUP_ID",
    "MEMBER_PAGE_SIZE",
    "OWNER_ID",
    "TASK_ID",
    "TOKEN",
    "group_info_body",
    "member_page_body",
    "push_task_body",
]

APP_ID = "bench_app"
TOKEN = "bench-token-not-a-secret"
OWNER_ID = 2_199_040_544_848
GROUP_ID = 2_306_414_607_729
TASK_ID = 100_000_001
MEMBER_PAGE_SIZE = 1000

_CREATED_AT = 1_569_615_417_000


def _envelope(data: object, **beside: object) -> bytes:
    return msgspec.json.encode({"code": 200, "message": None, "data": data, **beside})


def group_info_body() -> bytes:
    """``POST /group/create``: a new group's information and settings."""
    return _envelope(
        {
            "group_id": GROUP_ID,
            "name": "g001",
            "description": "test-group",
            "avatar": "",
            "type": 0,
            "status": 0,
            "owner_id": OWNER_ID,
            "created_at": _CREATED_AT,
            "updated_at": _CREATED_AT,
            "capacity": 2000,
            "count": 1,
            "ext": "",
            "member_invite": True,
            "member_modify": False,
            "apply_approval": 1,
            "read_ack": False,
            "history_visible": False,
            "hide_member_info": False,
            "ban_expire_time": 0,
            "msg_mute_mode": 0,
            "msg_push_mode": 0,
        }
    )


def member_page_body(size: int = MEMBER_PAGE_SIZE) -> bytes:
    """``GET /group/member_list``: the first page of a larger group, with a cursor."""
    members = [
        {
            "user_id": OWNER_ID + 144 * i,
            "join_time": _CREATED_AT + 1000 * i,
            "display_name": f"member {i}",
        }
        for i in range(size)
    ]
    return _envelope(members, cursor="c2VxOjEwMDA", total=5 * size, version=_CREATED_AT)


def push_task_body() -> bytes:
    """``POST /push/notify``: the push task created (whatever the audience)."""
    return _envelope({"task_id": TASK_ID})
