"""Catalog: user accounts (registration, profile, administration, devices)."""

ROWS = (
    "POST/PUT /user/avatar users.set_avatar {avatar:string!}",
    "POST/PUT /user/avatar/batch users.set_avatars {list:{avatar:string! user_id:int64!}[]}",
    "POST /user/change_password users.change_password {new_password:string! old_password:string!}",
    "POST /user/change_password_admin users.reset_password {password:string!}",
    "POST/DELETE /user/delete users.delete {password:string}",
    "GET /user/device/list users.devices",
    "POST/DELETE /user/device/remove users.remove_device ?device_sn:int32!",
    "PUT /user/disable users.disable {list:int64[]}",
    "PUT /user/enable users.enable {list:int64[]}",
    "POST/PUT /user/kick users.kick_device ?device_sn:int32",
    "GET /user/list users.list ?page_num:int32 ?page_size:int32",
    "POST/PUT /user/mobile users.set_mobile ?mobile:string!",
    "POST/PUT /user/nickname users.set_nickname ?nick_name:string!",
    "GET /user/online_status users.online_status",
    "POST/PUT /user/private users.set_private_info <text>",
    "GET /user/profile users.profile",
    "POST/PUT /user/profile users.update_profile {description:string nick_name:string"
    " private_info:string public_info:string}",
    "POST/PUT /user/profile/batch users.update_profiles {list:{description:string"
    " nick_name:string private_info:string public_info:string user_id:int64}[]}",
    "POST/PUT /user/public users.set_public_info <text>",
    "POST /user/register/batch users.register_batch {list:{password:string! username:string!}[]}",
    "POST /user/register/push users.register_push_user {password:string! username:string!"
    " alias:string device_guid:string push_token:string sign:string}",
    "POST /user/register/v2 users.register {password:string! username:string!}",
    "POST/PUT /user/username users.set_username ?username:string!",
)
