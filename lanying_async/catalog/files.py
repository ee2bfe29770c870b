"""Catalog: files (upload URLs for avatars and chat files, downloads, forwards)."""

ROWS = (
    "GET /file/download/avatar files.download_avatar ?object_name:string! ?h:number"
    " ?image_type:int32 ?sdk_sign:string ?store_token:string ?thumbnail_strategy:int32"
    " ?w:number",
    "GET /file/download/chat files.download_chat_file ?file_sign:string! ?format:string"
    " ?h:number ?image_type:int32 ?sdk_sign:string ?source:string ?store_token:string"
    " ?thumbnail_strategy:int32 ?w:number",
    "GET /file/upload/avatar/group files.group_avatar_upload_url ?group_id:int64!",
    "GET /file/upload/avatar/user files.user_avatar_upload_url",
    "GET /file/upload/chat files.chat_file_upload_url ?file_type:int32! ?to_id:int64!"
    " ?to_type:int32",
    "GET /file/upload/forward files.forward_url ?file_sign:string! ?to_id:int64! ?to_type:int32",
)
