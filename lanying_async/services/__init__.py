"""Per-domain services; each wraps one area of the API (``client.users``, ``client.groups``...)."""

from lanying_async.services.groups import GroupsService
from lanying_async.services.messages import MessagesService
from lanying_async.services.push import PushService
from lanying_async.services.roster import RosterService
from lanying_async.services.users import UsersService

__all__ = ["GroupsService", "MessagesService", "PushService", "RosterService", "UsersService"]
