import { afterEach, describe, expect, it, vi } from 'vitest';
import { clusterNodes, clusterOptions, RedisConfigError } from '../../src/redis/connect.ts';
import { bullPrefix } from '../../src/redis/queue-prefix.ts';

afterEach(() => vi.unstubAllEnvs());

describe('REDIS_CLUSTER_NODES', () => {
  it('unset or blank: no cluster (REDIS_URL is used)', () => {
    expect(clusterNodes(undefined)).toBeUndefined();
    expect(clusterNodes('  ')).toBeUndefined();
  });

  it('host:port pairs separated by commas, spaces and an IPv6 host in brackets allowed', () => {
    expect(clusterNodes('10.0.0.1:6379, redis-2.internal:6380,[::1]:7001,')).toEqual([
      { host: '10.0.0.1', port: 6379 },
      { host: 'redis-2.internal', port: 6380 },
      { host: '::1', port: 7001 },
    ]);
  });

  it('anything else is one line naming the variable, never echoing a password', () => {
    for (const bad of ['127.0.0.1', 'host:0', 'host:70000', 'redis://h:6379', ':6379'])
      expect(() => clusterNodes(bad)).toThrow(RedisConfigError);
    expect(() => clusterNodes('127.0.0.1')).toThrow(/^REDIS_CLUSTER_NODES: "127\.0\.0\.1" is not host:port/);
    expect(() => clusterNodes('user:s3cret@host:6379')).toThrow(/"\*\*\*"/);
    expect(() => clusterNodes('user:s3cret@host:6379')).not.toThrow(/s3cret/);
  });
});

describe('the Cluster client options', () => {
  it('node connections wait through an outage (BullMQ), with no password or TLS unless set', () => {
    for (const name of ['REDIS_USERNAME', 'REDIS_PASSWORD', 'REDIS_TLS']) vi.stubEnv(name, '');
    const options = clusterOptions();
    expect(options.redisOptions).toEqual({ maxRetriesPerRequest: null });
    expect(options.dnsLookup).toBeUndefined();
  });

  it('REDIS_USERNAME, REDIS_PASSWORD and REDIS_TLS=1 apply to every node; TLS keeps the names given', () => {
    vi.stubEnv('REDIS_USERNAME', 'aiwatch');
    vi.stubEnv('REDIS_PASSWORD', 'token');
    vi.stubEnv('REDIS_TLS', '1');
    const options = clusterOptions();
    expect(options.redisOptions).toEqual({
      maxRetriesPerRequest: null,
      username: 'aiwatch',
      password: 'token',
      tls: {},
    });
    const lookup = vi.fn();
    options.dnsLookup!('clustercfg.example.cache.amazonaws.com', lookup);
    expect(lookup).toHaveBeenCalledWith(null, 'clustercfg.example.cache.amazonaws.com');
  });

  it('REDIS_TLS is 1 or 0, nothing else', () => {
    vi.stubEnv('REDIS_TLS', 'sometimes');
    expect(() => clusterOptions()).toThrow(/^REDIS_TLS: "sometimes" is not 1 or 0$/);
    vi.stubEnv('REDIS_TLS', 'false');
    expect(clusterOptions().redisOptions?.tls).toBeUndefined();
  });
});

it('every BullMQ queue key shares one hash tag under the deployment prefix', () => {
  expect(bullPrefix('aiwatch:')).toBe('aiwatch:{bull}');
});
