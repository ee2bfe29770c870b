"""Catalog: push notifications, their statistics and the push certificates."""

ROWS = (
    "GET /push/certificate push.certificate ?provider:int32! ?environment:int32",
    "POST /push/notify push.notify {audience:object"
    " message:{attachment_url:string badge:string big_text:string body:string ext:object"
    "  show_begin_time:int64 show_end_time:int64 title:string type:string"
    "  ios:{apns_collapse_id:string category:string content_available:boolean"
    "   mutable_content:boolean sound:string subtitle:string thread_id:string}"
    "  android:{channel_id:string click_action:string intent:string sound:string}"
    "  fcm:{channel_id:string click_action:string intent:string sound:string}"
    "  flyme:{channel_id:string click_action:string intent:string sound:string}"
    "  huawei:{badge_class:string channel_id:string click_action:string intent:string"
    "   sound:string}"
    "  oppo:{channel_id:string click_action:string intent:string sound:string}"
    "  vivo:{channel_id:string classification:int32 click_action:string intent:string"
    "   push_mode:int32 sound:string}"
    "  xiaomi:{channel_id:string click_action:string intent:string sound:string}}"
    " setting:{distribution_strategy:string ospush_sequence:string[] request_id:string}}",
    "POST /push/task/detail push.task_details {list:int64[]}",
)
