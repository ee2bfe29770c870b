"""Catalog: a user's settings and push preferences."""

ROWS = (
    "POST/PUT /user/authmode users.set_auth_mode ?value:int32!",
    "POST/PUT /user/download users.set_auto_download ?value:boolean!",
    "POST/PUT /user/push users.set_no_push ?value:boolean!",
    "POST /user/push/alias users.set_push_alias {alias:string! push_token:string}",
    "POST /user/push/badge users.set_push_badge {badge:int32!}",
    "POST/PUT /user/push/detail users.set_no_push_detail ?value:boolean!",
    "POST/PUT /user/push/limit users.set_push_quiet_hours ?no_push_end_hour:int32!"
    " ?no_push_start_hour:int32!",
    "POST/PUT /user/push/nickname users.set_push_nickname ?value:string!",
    "GET /user/push/tag users.push_tags",
    "POST /user/push/tag users.add_push_tags {tags:string[]!}",
    "DELETE /user/push/tag users.remove_push_tags {tags:string[]!}",
    "DELETE /user/push/tag/all users.clear_push_tags",
    "GET /user/settings users.settings",
    "POST/PUT /user/settings users.update_settings {user_id:int64! auth_answer:string"
    " auth_mode:int32 auth_question:string auto_download:boolean group_confirm:boolean id:int64"
    " no_push:boolean no_push_detail:boolean no_push_end_hour:int32 no_push_start_hour:int32"
    " no_sounds:boolean push_nick_name:string push_token:string silence_end_time:int32"
    " silence_start_time:int32 vibratory:boolean}",
    "POST/PUT /user/sounds users.set_no_sounds ?value:boolean!",
    "POST/PUT /user/token/bind users.bind_push_token {device_sn:int32! device_token:string!"
    " notifier_name:string!}",
    "POST/DELETE /user/token/unbind users.unbind_push_token ?deviceSn:int32!",
    "POST/PUT /user/vibratory users.set_vibratory ?value:boolean!",
)
