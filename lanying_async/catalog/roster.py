"""Catalog: friends (roster). `/user/add_roster` and `/user/rosters` are
known from the vendor's guide alone, which marks all three of their headers required."""

ROWS = (
    "POST/PUT /roster/accept roster.accept ?user_id:int64!",
    "POST /roster/apply roster.apply {user_id:int64! alias:string auth_answer:string"
    " reason:string}",
    "POST /roster/apply/batch roster.apply_batch {user_id:int64! alias:string reason:string}[]",
    "GET /roster/apply/list roster.applications ?cursor:string ?limit:int32",
    "POST/PUT /roster/block roster.block ?user_id:int64!",
    "GET /roster/blocked_list roster.blocked",
    "POST/PUT /roster/decline roster.decline {user_id:int64! reason:string}",
    "POST/DELETE /roster/delete roster.remove ?user_id:int64!",
    "POST/PUT /roster/ext roster.set_ext {user_id:int64! alias:string ext:string"
    " mute_notification:boolean}",
    "GET /roster/id roster.search_by_id ?user_id:int64!",
    "GET /roster/list roster.friend_ids ?cursor:string ?limit:int32",
    "POST /roster/list roster.friends {list:int64[]}",
    "GET /roster/may_message roster.may_message ?roster_id:int64! ?user_id:int64!",
    "GET /roster/mobile roster.search_by_mobile ?mobile:string!",
    "GET /roster/name roster.search_by_name ?username:string!",
    "POST/DELETE /roster/unblock roster.unblock ?user_id:int64!",
    "POST /user/add_roster roster.add ^app_id:string! ^access-token:string! ^user_id:int64!"
    " {list:int64[]!}",
    "GET /user/rosters roster.list ^app_id:string! ^access-token:string! ^user_id:int64!",
)
