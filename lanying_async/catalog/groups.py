"""Catalog: groups (creation, membership, roles, information and settings)."""

ROWS = (
    "POST /group/admin/add groups.add_admins {group_id:int64! user_list:int64[]!}",
    "POST/DELETE /group/admin/remove groups.remove_admins {group_id:int64! user_list:int64[]!}",
    "GET /group/admin_list groups.admins ?group_id:int64!",
    "POST /group/create groups.create {avatar:string description:string name:string type:int32"
    " user_list:int64[]}?",
    "POST/DELETE /group/destroy groups.destroy ?group_id:int64!",
    "POST/PUT /group/display_name groups.set_display_name {group_id:int64! value:string!}",
    "GET /group/info groups.info ?group_id:int64!",
    "POST/PUT /group/info/avatar groups.set_avatar {group_id:int64! value:string!}",
    "POST /group/info/batch groups.info_batch {group_list:int64[]!}",
    "POST/PUT /group/info/description groups.set_description {group_id:int64! value:string!}",
    "POST/PUT /group/info/ext groups.set_ext {group_id:int64! value:string!}",
    "POST/PUT /group/info/name groups.set_name {group_id:int64! value:string!}",
    "POST /group/invite groups.invite {group_id:int64! user_list:int64[]! reason:string}",
    "POST/DELETE /group/kick groups.kick {group_id:int64! user_list:int64[]!}",
    "POST/DELETE /group/leave groups.leave ?group_id:int64!",
    "GET /group/member_list groups.members ?group_id:int64! ?cursor:string ?limit:int32"
    " ?version:int64",
    "POST /group/members/display_name groups.member_display_names {group_id:int64!"
    " user_list:int64[]!}",
    "POST/PUT /group/msg/mute_mode groups.set_mute_mode {group_id:int64! msg_mute_mode:int32!}",
    "POST/PUT /group/msg/push_mode groups.set_push_mode {group_id:int64! msg_push_mode:int32!}",
    "GET /group/public_list groups.public_groups",
    "GET /group/settings groups.settings ?group_id:int64!",
    "POST/PUT /group/settings/allow_member_invitation groups.set_allow_member_invitation"
    " {group_id:int64! value:boolean!}",
    "POST/PUT /group/settings/allow_member_modify groups.set_allow_member_modify"
    " {group_id:int64! value:boolean!}",
    "POST/PUT /group/settings/enable_read_ack groups.set_read_ack {group_id:int64! value:boolean!}",
    "POST/PUT /group/settings/hide_member_info groups.set_hide_member_info {group_id:int64!"
    " value:boolean!}",
    "POST/PUT /group/settings/history_visible groups.set_history_visible {group_id:int64!"
    " value:boolean!}",
    "POST/PUT /group/settings/require_admin_approval groups.set_apply_approval"
    " {apply_approval:int32! group_id:int64!}",
    "POST/PUT /group/transfer groups.transfer {group_id:int64! new_owner:int64!}",
    "GET /group/user_joined groups.joined",
)
