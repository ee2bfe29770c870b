"""Business result codes of the Lanying server API.

Every business outcome travels with HTTP 200; the `code` field of the
response envelope tells success (200) from the documented failure classes
listed here. `DEFAULT_MESSAGES` holds a short English description of each
code, used when an error is raised without an explicit message.
"""

from __future__ import annotations

from enum import IntEnum


class Code(IntEnum):
    """Result codes carried in the `code` field of every response."""

    OK = 200

    USER_NOT_FOUND = 10000
    BAD_VERIFICATION_CODE = 10001
    INVALID_PARAMETER = 10002
    MISSING_ACCESS_TOKEN = 10003
    USER_EXISTS = 10004
    ALREADY_FRIENDS = 10005
    USER_BLOCKED = 10006
    ROSTER_APPLICATION_GONE = 10007
    INVALID_ACCESS_TOKEN = 10008
    STORAGE_ERROR = 10009
    PERMISSION_DENIED = 10010
    USER_ID_BOUND = 10011
    ROSTER_APPLICATION_DECLINED = 10012

    PUSH_XIAOMI_UPLOAD_FAILED = 12001
    PUSH_IMAGE_TOO_LARGE = 12002
    PUSH_OPPO_UPLOAD_FAILED = 12003
    PUSH_IMAGE_UNREACHABLE = 12004
    PUSH_TOO_MANY_TARGETS = 12005
    PUSH_NOT_ENABLED = 12006

    DATABASE_ERROR = 20000
    GROUP_NOT_FOUND = 20001
    NOT_GROUP_MEMBER = 20002
    INVALID_MSG_PUSH_MODE = 20003
    OWNER_CANNOT_LEAVE = 20004
    TRANSFER_TARGET_NOT_MEMBER = 20005
    GROUP_IN_REPAIR = 20006
    APP_GROUP_LIMIT = 20007
    USER_CREATED_GROUP_LIMIT = 20008
    USER_JOINED_GROUP_LIMIT = 20009
    GROUP_FULL = 20010
    MEMBER_REQUIRED = 20011
    ADMIN_REQUIRED = 20012
    OWNER_REQUIRED = 20013
    APPLICATION_GONE = 20014
    INVITATION_GONE = 20015
    KICKED_TOO_OFTEN = 20016
    ALREADY_MEMBER = 20017
    IN_GROUP_BLOCK_LIST = 20018
    ANNOUNCEMENT_NOT_FOUND = 20020
    ANNOUNCEMENT_DISABLED = 20021
    SHARED_FILE_NOT_FOUND = 20022
    SHARED_FILE_FORBIDDEN = 20023
    INVALID_INVITE_QR_CODE = 20024
    EXPIRED_INVITE_QR_CODE = 20025

    LICENSE_INVALID = 30021
    LICENSE_EXPIRED = 30022
    LICENSE_LIMIT_EXCEEDED = 30023

    APP_NOT_FOUND = 40000


DEFAULT_MESSAGES: dict[int, str] = {
    Code.USER_NOT_FOUND: "user not found",
    Code.BAD_VERIFICATION_CODE: "incorrect verification code",
    Code.INVALID_PARAMETER: "invalid request parameter",
    Code.MISSING_ACCESS_TOKEN: "access-token header is missing",
    Code.USER_EXISTS: "user already exists",
    Code.ALREADY_FRIENDS: "user is already in the roster",
    Code.USER_BLOCKED: "user is in the block list",
    Code.ROSTER_APPLICATION_GONE: "roster application not found or expired",
    Code.INVALID_ACCESS_TOKEN: "access-token is invalid",
    Code.STORAGE_ERROR: "object storage error",
    Code.PERMISSION_DENIED: "permission denied",
    Code.USER_ID_BOUND: "user_id is already bound",
    Code.ROSTER_APPLICATION_DECLINED: "roster application declined",
    Code.PUSH_XIAOMI_UPLOAD_FAILED: "failed to upload the push image to Xiaomi",
    Code.PUSH_IMAGE_TOO_LARGE: "push image must be smaller than 1M",
    Code.PUSH_OPPO_UPLOAD_FAILED: "failed to upload the push image to OPPO",
    Code.PUSH_IMAGE_UNREACHABLE: "push image address cannot be downloaded",
    Code.PUSH_TOO_MANY_TARGETS: "push target list must not exceed 500 items",
    Code.PUSH_NOT_ENABLED: "push is not enabled",
    Code.DATABASE_ERROR: "database error",
    Code.GROUP_NOT_FOUND: "group not found",
    Code.NOT_GROUP_MEMBER: "user is not a group member",
    Code.INVALID_MSG_PUSH_MODE: "invalid msg_push_mode",
    Code.OWNER_CANNOT_LEAVE: "the group owner cannot leave the group",
    Code.TRANSFER_TARGET_NOT_MEMBER: "transfer target is not a group member",
    Code.GROUP_IN_REPAIR: "group is in repair mode",
    Code.APP_GROUP_LIMIT: "app group limit reached",
    Code.USER_CREATED_GROUP_LIMIT: "user created too many groups",
    Code.USER_JOINED_GROUP_LIMIT: "user joined too many groups",
    Code.GROUP_FULL: "group member limit reached",
    Code.MEMBER_REQUIRED: "group member permission required",
    Code.ADMIN_REQUIRED: "group admin permission required",
    Code.OWNER_REQUIRED: "group owner permission required",
    Code.APPLICATION_GONE: "group application expired or already handled",
    Code.INVITATION_GONE: "group invitation expired or already handled",
    Code.KICKED_TOO_OFTEN: "user was kicked too often and cannot rejoin",
    Code.ALREADY_MEMBER: "user is already a group member",
    Code.IN_GROUP_BLOCK_LIST: "user is in the group block list",
    Code.ANNOUNCEMENT_NOT_FOUND: "group announcement not found",
    Code.ANNOUNCEMENT_DISABLED: "group announcement disabled by an admin",
    Code.SHARED_FILE_NOT_FOUND: "group shared file not found",
    Code.SHARED_FILE_FORBIDDEN: "no permission on the group shared file",
    Code.INVALID_INVITE_QR_CODE: "invalid group invitation QR code",
    Code.EXPIRED_INVITE_QR_CODE: "group invitation QR code expired",
    Code.LICENSE_INVALID: "license is invalid",
    Code.LICENSE_EXPIRED: "license expired",
    Code.LICENSE_LIMIT_EXCEEDED: "license limit exceeded",
    Code.APP_NOT_FOUND: "app_id does not exist",
}


def default_message(code: int) -> str:
    """Return the English description of `code` (generic text if unknown)."""
    return DEFAULT_MESSAGES.get(code, f"error {code}")
