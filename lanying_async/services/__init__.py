"""Per-domain services; each wraps one area of the API (`client.users`, `client.groups`...)."""

from lanying_async.services.ai import AiService
from lanying_async.services.files import FilesService
from lanying_async.services.groups import GroupsService
from lanying_async.services.messages import MessagesService
from lanying_async.services.push import PushService
from lanying_async.services.roster import RosterService
from lanying_async.services.tokens import TokensService
from lanying_async.services.users import UsersService

__all__ = [
    "AiService",
    "FilesService",
    "GroupsService",
    "MessagesService",
    "PushService",
    "RosterService",
    "TokensService",
    "UsersService",
]
