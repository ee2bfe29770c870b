"""The Lua scripts behind [`RedisJobStore`][lanying_async.jobs.redis_store.RedisJobStore].

Each step of the store that changes anything is one script: Redis runs a
script alone (no other command in between) and writes it to the append-only
file as one unit, so a step is all there or not there after a crash.

Every script gets the job's keys in the order of `KEY_NAMES` and reports a
job or chunk that does not exist as the first element of its reply
(`nojob` / `nochunk`). Times travel as the decimal text Python wrote
(`repr` of a float), so a time read back is the float that was written.
"""

from __future__ import annotations

__all__ = [
    "CANCEL",
    "CREATE",
    "FINISH",
    "KEY_NAMES",
    "MARK_SENT",
    "RATE_WAIT",
    "RELEASE",
    "RENEW",
    "TAKE",
    "UNFINISHED",
]

KEY_NAMES = ("meta", "items", "records", "holders", "expiries", "attempts", "sent")
"""The keys of one job, each `PREFIX:job:{JOB_ID}:NAME`.

`meta` is a hash of the spec, the cancel flag, the counts and the rate
bucket; the others are hashes from a chunk's index to its items, its record
(only once done), its lease's token and expiry, its attempts and when it was
first sent.
"""

_PRELUDE = """
local meta, items, records, holders, expiries, attempts, sent =
    KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local function missing(index)
    local total = redis.call('HGET', meta, 'chunks_total')
    if not total then return 'nojob' end
    if index ~= nil then
        local i = tonumber(index)
        if i == nil or i < 0 or i >= tonumber(total) then return 'nochunk' end
    end
    return nil
end
local function done(index)
    return redis.call('HEXISTS', records, index) == 1
end
local function cancelled()
    return redis.call('HGET', meta, 'cancelled') == '1'
end
"""

CREATE = (
    _PRELUDE
    + """
if redis.call('EXISTS', meta) == 1 then return 0 end
redis.call('HSET', meta, 'spec', ARGV[1], 'cancelled', '0', 'total', ARGV[2],
    'chunks_total', ARGV[3], 'chunks_done', 0, 'items_done', 0, 'succeeded', 0,
    'failed', 0, 'outcome_unknown', 0, 'not_started', 0)
return 1
"""
)
"""ARGV: spec, total, chunks_total. 1 when written, 0 when the job already exists."""

TAKE = (
    _PRELUDE
    + """
local index, token = ARGV[1], ARGV[2]
local err = missing(index)
if err then return {err} end
if cancelled() or done(index) then return {'no'} end
local holder = redis.call('HGET', holders, index)
if holder and tonumber(redis.call('HGET', expiries, index)) > tonumber(ARGV[4]) then
    if holder ~= token then return {'no'} end
    -- The same token again: a call retried after its answer was lost. It holds the lease.
    return {'ok', tonumber(redis.call('HGET', attempts, index)),
        redis.call('HGET', sent, index), redis.call('HGET', expiries, index)}
end
redis.call('HSET', holders, index, token)
redis.call('HSET', expiries, index, ARGV[3])
local attempt = redis.call('HINCRBY', attempts, index, 1)
return {'ok', attempt, redis.call('HGET', sent, index), ARGV[3]}
"""
)
"""ARGV: index, token, expires_at, now. {'ok', attempt, first_sent_at, expires_at} or {'no'}."""

RENEW = (
    _PRELUDE
    + """
local index = ARGV[1]
if redis.call('HGET', holders, index) ~= ARGV[2] or done(index) then return 0 end
redis.call('HSET', expiries, index, ARGV[3])
return 1
"""
)
"""ARGV: index, token, expires_at. 1 when renewed, 0 when the token lost the lease."""

MARK_SENT = (
    _PRELUDE
    + """
local index = ARGV[1]
local err = missing(index)
if err then return {err} end
if cancelled() or done(index) or redis.call('HGET', holders, index) ~= ARGV[2] then
    return {'no'}
end
local first = redis.call('HGET', sent, index)
if first then return {'ok', first} end
redis.call('HSET', sent, index, ARGV[3])
return {'ok', ARGV[3]}
"""
)
"""ARGV: index, token, now. {'ok', first_sent_at} or {'no'}."""

RELEASE = (
    _PRELUDE
    + """
local index = ARGV[1]
if redis.call('HGET', holders, index) == ARGV[2] then
    redis.call('HDEL', holders, index)
    redis.call('HDEL', expiries, index)
end
return 0
"""
)
"""ARGV: index, token."""

FINISH = (
    _PRELUDE
    + """
local index = ARGV[1]
local err = missing(index)
if err then return {err} end
if done(index) or redis.call('HGET', holders, index) ~= ARGV[2] then return {'ok', 0} end
redis.call('HSET', records, index, ARGV[3])
redis.call('HSET', items, index, ARGV[4])
redis.call('HDEL', holders, index)
redis.call('HDEL', expiries, index)
redis.call('HINCRBY', meta, 'chunks_done', 1)
redis.call('HINCRBY', meta, 'items_done', ARGV[5])
redis.call('HINCRBY', meta, 'succeeded', ARGV[6])
redis.call('HINCRBY', meta, 'failed', ARGV[7])
redis.call('HINCRBY', meta, 'outcome_unknown', ARGV[8])
redis.call('HINCRBY', meta, 'not_started', ARGV[9])
return {'ok', 1}
"""
)
"""ARGV: index, token, record, items, then the record's counts: items, succeeded,
failed, outcome_unknown, not_started. {'ok', 1} when recorded, {'ok', 0} otherwise."""

CANCEL = (
    _PRELUDE
    + """
local err = missing(nil)
if err then return {err} end
if tonumber(redis.call('HGET', meta, 'chunks_done'))
        < tonumber(redis.call('HGET', meta, 'chunks_total')) then
    redis.call('HSET', meta, 'cancelled', '1')
end
return {'ok'}
"""
)
"""No ARGV. A job every chunk of which is done stays done."""

UNFINISHED = (
    _PRELUDE
    + """
local err = missing(nil)
if err then return {err} end
local now = tonumber(ARGV[1])
local finished = {}
for _, index in ipairs(redis.call('HKEYS', records)) do finished[index] = true end
local live = {}
local leased = redis.call('HGETALL', expiries)
for i = 1, #leased, 2 do
    if tonumber(leased[i + 1]) > now then live[leased[i]] = true end
end
local out = {'ok'}
for i = 0, tonumber(redis.call('HGET', meta, 'chunks_total')) - 1 do
    local index = tostring(i)
    if not finished[index] and not live[index] then out[#out + 1] = i end
end
return out
"""
)
"""ARGV: now. {'ok', index, index...}: chunks not done and without a live lease."""

RATE_WAIT = (
    _PRELUDE
    + """
local err = missing(nil)
if err then return {err} end
local rate, burst, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local state = redis.call('HMGET', meta, 'rate_tokens', 'rate_at')
local tokens, at = tonumber(state[1]), tonumber(state[2])
local at_text = state[2]
if tokens == nil then tokens, at, at_text = burst, now, ARGV[3] end
-- A clock behind the last caller's (another process) refills nothing.
tokens = math.min(burst, tokens + math.max(0, now - at) * rate) - 1
if now > at then at_text = ARGV[3] end
redis.call('HSET', meta, 'rate_tokens', string.format('%.17g', tokens), 'rate_at', at_text)
if tokens >= 0 then return {'ok', '0'} end
return {'ok', string.format('%.17g', -tokens / rate)}
"""
)
"""ARGV: rate, burst, now. {'ok', seconds to wait}. The bucket is the job's
`rate_tokens` (may go negative: turns reserved ahead) as of `rate_at`."""
