"""Catalog: group moderation (announcements, applications, invitations, bans,
block lists, shared files and invitation QR codes)."""

ROWS = (
    "GET /group/announcement groups.announcement ?announcement_id:int64! ?group_id:int64!",
    "POST/DELETE /group/announcement/delete groups.delete_announcement ?announcement_id:int64!"
    " ?group_id:int64!",
    "POST /group/announcement/edit groups.edit_announcement {content:string! group_id:int64!"
    " title:string!}",
    "GET /group/announcement/last groups.last_announcement ?group_id:int64!",
    "GET /group/announcement/list groups.announcements ?group_id:int64!",
    "POST /group/application_list groups.applications ?cursor:string ?limit:int32"
    " ?version:int64 {group_list:int64[]!}",
    "POST /group/apply groups.apply {group_id:int64! reason:string}",
    "POST/PUT /group/apply/handle groups.handle_application {approval:boolean! group_id:int64!"
    " user_id:int64!}",
    "POST /group/ban groups.ban {duration:int64! group_id:int64! user_list:int64[]!}",
    "GET /group/banned_list groups.banned ?group_id:int64! ?cursor:string ?limit:int32"
    " ?version:int64",
    "POST /group/block groups.block {group_id:int64! user_list:int64[]!}",
    "GET /group/blocked_list groups.blocked ?group_id:int64! ?cursor:string ?limit:int32"
    " ?version:int64",
    "GET /group/file groups.file ?file_id:int64! ?group_id:int64!",
    "POST/DELETE /group/file/delete groups.delete_files {file_list:int64[]! group_id:int64!}",
    "GET /group/file/list groups.files ?group_id:int64!",
    "POST/PUT /group/file/update_name groups.rename_file {file_id:int64! group_id:int64!"
    " name:string!}",
    "POST /group/file/upload groups.upload_file {group_id:int64! name:string! size:int64!"
    " url:string! type:string}",
    "GET /group/invitation_list groups.invitations ?cursor:string ?limit:int32 ?version:int64",
    "POST/PUT /group/invite/handle groups.handle_invitation {approval:boolean! group_id:int64!"
    " user_id:int64!}",
    "POST /group/qrcode/invite groups.join_by_qrcode {qr_info:string!}",
    "GET /group/qrcode/sign groups.qrcode ?group_id:int64!",
    "POST /group/settings/ban_all groups.ban_all {duration:int64! group_id:int64!}",
    "POST /group/settings/unban_all groups.unban_all {group_id:int64!}",
    "POST /group/unban groups.unban {group_id:int64! user_list:int64[]!}",
    "POST/DELETE /group/unblock groups.unblock {group_id:int64! user_list:int64[]!}",
)
