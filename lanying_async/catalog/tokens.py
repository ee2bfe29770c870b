"""Catalog: user access tokens obtained with a password."""

ROWS = (
    "POST /token/id tokens.by_user_id {password:string! user_id:int64! device_guid:string}",
    "POST /token/login tokens.login {login_name:string! password:string! device_guid:string}",
    "POST /token/user tokens.by_username {name:string! password:string! device_guid:string}",
)
