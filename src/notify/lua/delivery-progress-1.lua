-- Records a delivery's progress and renews its lease, while the caller still owns it.
--
--   KEYS[1]  delivery:<channel>:<key>   the delivery record, JSON
--
--   ARGV[1]  owner: the id the claim returned
--   ARGV[2]  sending: the message about to be posted, -1 for none
--   ARGV[3]  posted: how many messages are known posted
--   ARGV[4]  now, epoch ms (the lease runs from it)
--
-- Returns 1, or 0 when the record is gone or another owner took it over.

local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local r = cjson.decode(raw)
if r.owner ~= ARGV[1] or r.state ~= 'pending' then return 0 end
r.sending = tonumber(ARGV[2])
r.posted = tonumber(ARGV[3])
r.at = tonumber(ARGV[4])
redis.call('SET', KEYS[1], cjson.encode(r), 'KEEPTTL')
return 1
