-- Records an event under its terms: the caller read the terms it was indexed under before,
-- merged them with its new ones (capped) and names every term's key; nothing is written when
-- the recorded list changed since it was read, and the caller reads it again.
--
-- Takes a varying number of keys, all of the search index ({search} hash tag):
--   KEYS[1]     ev:<event id>   the terms the event is indexed under, space-separated
--   KEYS[2..n]  t:<term>        zset event id → updatedAt ms, one per term of ARGV[4]
--
--   ARGV[1]  the event id
--   ARGV[2]  its updatedAt, epoch ms (a term's score only grows)
--   ARGV[3]  the terms list as read from KEYS[1] ('' when there was none)
--   ARGV[4]  the new terms list, space-separated, in the order of KEYS[2..n]
--
-- Returns the number of terms the event is now indexed under, or -1 when KEYS[1] no longer
-- holds ARGV[3] (nothing written: read and try again).

if (redis.call('GET', KEYS[1]) or '') ~= ARGV[3] then return -1 end
for i = 2, #KEYS do redis.call('ZADD', KEYS[i], 'GT', ARGV[2], ARGV[1]) end
redis.call('SET', KEYS[1], ARGV[4])
return #KEYS - 1
