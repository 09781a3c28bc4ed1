-- Claims a delivery before anything is posted: creates its record, or takes over one that
-- failed or whose worker died (its lease ran out); leaves alone one sent or being sent.
--
--   KEYS[1]  delivery:<channel>:<key>   the delivery record, JSON
--
--   ARGV[1]  owner: a fresh id of this attempt
--   ARGV[2]  now, epoch ms
--   ARGV[3]  lease ms: how long a pending record stays its owner's
--   ARGV[4]  ttl s: how long the record is kept
--   ARGV[5]  the fresh record, JSON {messages, effects} (both JSON strings)
--
-- Returns {'claimed', record} (the record as this owner holds it now), {'sent', record} or
-- {'busy', record} (pending under another owner's live lease).

local raw = redis.call('GET', KEYS[1])
local now = tonumber(ARGV[2])
local ttl = tonumber(ARGV[4])
local r
if raw then
  r = cjson.decode(raw)
  if r.state == 'sent' then return {'sent', raw} end
  if r.state == 'pending' and now - r.at < tonumber(ARGV[3]) then return {'busy', raw} end
  if r.state == 'pending' then r.crashed = (r.crashed or 0) + 1 end
  if r.state == 'failed' and r.posted == 0 then
    local fresh = cjson.decode(ARGV[5])
    r.messages = fresh.messages
    r.effects = fresh.effects
  end
  r.state = 'pending'
else
  r = cjson.decode(ARGV[5])
  r.state = 'pending'
  r.posted = 0
  r.sending = -1
end
r.owner = ARGV[1]
r.at = now
local encoded = cjson.encode(r)
redis.call('SET', KEYS[1], encoded, 'EX', ttl)
return {'claimed', encoded}
