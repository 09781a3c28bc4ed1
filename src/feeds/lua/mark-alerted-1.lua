-- Flags a feed's failure streak as reported (HSETNX alertedAt), only while the streak that was
-- reported is still the feed's current one.
--
--   KEYS[1]  health:<feed id>   the feed's health hash
--
--   ARGV[1]  failingSince: the start of the streak that was reported, ISO time
--   ARGV[2]  now, ISO time
--
-- Returns 1 for the caller that flagged it, 0 when it was flagged already or the streak ended.

if redis.call('HGET', KEYS[1], 'failingSince') ~= ARGV[1] then return 0 end
return redis.call('HSETNX', KEYS[1], 'alertedAt', ARGV[2])
