-- Marks a delivery sent (applying the effects its claim stored, e.g. a digest's new mark) or
-- failed, while the caller still owns it.
--
-- Takes a varying number of keys, all of the notify store ({notify} hash tag):
--   KEYS[1]     delivery:<channel>:<key>   the delivery record, JSON
--   KEYS[2..n]  every key the record's effects write (digest-mark:<channel>, digest-shown:<channel>);
--               an effect on a key not listed here fails the script before anything is written
--
--   ARGV[1]  owner: the id the claim returned
--   ARGV[2]  the new state: 'sent' or 'failed'
--   ARGV[3]  now, epoch ms
--   ARGV[4]  the error, for 'failed'
--
-- Returns 1, or 0 when the record is gone or another owner took it over.

local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local r = cjson.decode(raw)
if r.owner ~= ARGV[1] or r.state ~= 'pending' then return 0 end
r.state = ARGV[2]
r.at = tonumber(ARGV[3])
r.sending = -1
if ARGV[2] == 'sent' then
  local effects = cjson.decode(r.effects or '{}')
  local declared = {}
  for i = 2, #KEYS do declared[KEYS[i]] = KEYS[i] end
  for _, op in ipairs(effects.hset or {}) do
    if not declared[op[1]] then return redis.error_reply('delivery effect on an undeclared key') end
  end
  for _, op in ipairs(effects.hset or {}) do redis.call('HSET', declared[op[1]], op[2], op[3]) end
  r.messages = nil
  r.effects = nil
else
  r.error = ARGV[4]
end
redis.call('SET', KEYS[1], cjson.encode(r), 'KEEPTTL')
return 1
