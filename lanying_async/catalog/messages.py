"""Catalog: messages, conversations and AI assistant messages."""

ROWS = (
    "POST*/PUT /ai/message/send ai.send_message {content:string! content_type:int32!"
    " targets:int64[]! type:int32! attachment:string config:string ext:string"
    " from_user_id:int64 online_only:boolean related_mid:int64 transaction_id:int64}",
    "GET /message/ack messages.ack ?conversation_id:int64 ?device_sn:int32 ?msg_id:int64",
    "POST /message/broadcast messages.broadcast {content_type:int32! type:int32!"
    " attachment:string config:string content:string ext:string}",
    "GET /message/conversation messages.history ?limit:int32! ?msg_id_start:int64!"
    " ?opposite_id:int64!",
    "DELETE /message/conversation messages.delete_conversation ?conversation_id:int64!",
    "POST*/PUT /message/notify messages.notify {content:string! content_type:int32!"
    " targets:int64[]! type:int32! attachment:string config:string ext:string"
    " from_user_id:int64 online_only:boolean related_mid:int64 transaction_id:int64}",
    "POST/PUT /message/recall messages.recall {conversation_id:int64! msg_id:int64!}",
    "POST*/PUT /message/send messages.send {content:string! content_type:int32!"
    " targets:int64[]! type:int32! attachment:string config:string ext:string"
    " from_user_id:int64 online_only:boolean related_mid:int64 transaction_id:int64}",
    "GET /message/unread messages.unread",
    "POST/PUT /user/conversation/pin messages.pin_conversation {conversation_id:int64!}",
    "GET /user/conversation/pin_list messages.pinned_conversations",
    "POST/PUT /user/conversation/unpin messages.unpin_conversation {conversation_id:int64!}",
)
