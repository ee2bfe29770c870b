"""Which whole-request refusals name an item, for each bulk operation.

A bulk chunk refused as a whole with one of its operation's codes below is
split to find the items refused ([`isolation`][lanying_async.bulk.isolation]); any
other refusal fails the chunk (or, for the codes of
[`stops`][lanying_async.bulk.stops], stops the job). The codes come from the
error table of the API guide, read against what each operation sends: a code
is listed when it says something about one of the request's items rather than
about the caller, the app or the request as a whole.

| bulk method | codes | they name |
| --- | --- | --- |
| `messages.send` to users | 10000 | a target user that does not exist |
| `messages.send` to groups | 20001 | a target group unknown or dissolved |
| `groups.invite` | 10000, 20010, 20016-20018 | an invitee refused (see below) |
| `groups.bulk_kick`, `bulk_ban`, `bulk_unban` | 10000, 20002 | a user unknown or not a member |
| `groups.bulk_add_admins`, `bulk_remove_admins` | 10000, 20002 | a user unknown or not a member |
| `groups.bulk_block`, `bulk_unblock` | 10000 | a user that does not exist |
| `groups.bulk_info` | 20001 | a group that does not exist |
| `users.bulk_register` | 10004 | a username already taken |
| `users.bulk_update_profiles`, `bulk_set_avatars` | 10000 | a user that does not exist |
| `roster.bulk_apply` | 10000, 10005, 10006, 10012 | a target refused (see below) |
| `push.notify` | none | (see below) |
| `users.bulk_delete`, `bulk_online_status` | none | (one user per request) |

An invitee is refused when unknown (10000), when the group is full (20010),
kicked from it too often (20016), a member already (20017) or on its block
list (20018): the reply says so per member, and with the call's code when
there is a single invitee. A friend application is refused when the target is
unknown (10000), a friend already (10005), blocked the applicant (10006) or
refuses applications (10012). `messages.send` answers nothing per target, so
only the request's code can name one. `push.notify` names no target: the
server pushes to those it can reach, and its codes (12005 too many targets,
12006 push not enabled) are about the request and the app.

For a job on one group, 20001 names the group itself and stops the job
([`GROUP_JOB_CODES`][lanying_async.bulk.stops.GROUP_JOB_CODES]); only `messages.send` to
groups and `groups.bulk_info`, whose items are groups, isolate it.
"""

from __future__ import annotations

__all__ = [
    "GROUP_LIST_CODES",
    "GROUP_TARGET_CODES",
    "INVITEE_CODES",
    "MEMBER_CODES",
    "REGISTER_CODES",
    "ROSTER_TARGET_CODES",
    "USER_LIST_CODES",
    "USER_TARGET_CODES",
]

USER_TARGET_CODES = frozenset({10000})
"""`messages.send` to users: an unknown target user."""
GROUP_TARGET_CODES = frozenset({20001})
"""`messages.send` to groups: an unknown or dissolved target group."""
INVITEE_CODES = frozenset({10000, 20010, 20016, 20017, 20018})
"""`groups.invite`: an invitee that does not exist (10000), a full group (20010),
an invitee kicked too often (20016), already a member (20017) or blocked (20018)."""
MEMBER_CODES = frozenset({10000, 20002})
"""Member operations (kick, ban, unban, admins): an unknown user, a non-member (20002)."""
USER_LIST_CODES = frozenset({10000})
"""Lists of users (group block lists, profile and avatar batches): an unknown user."""
GROUP_LIST_CODES = frozenset({20001})
"""`groups.bulk_info`: an unknown group."""
REGISTER_CODES = frozenset({10004})
"""`users.bulk_register`: a username already taken."""
ROSTER_TARGET_CODES = frozenset({10000, 10005, 10006, 10012})
"""`roster.bulk_apply`: an unknown user (10000), a friend already (10005), a user
who blocked the applicant (10006) or refuses applications (10012)."""
