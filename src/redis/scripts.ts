/**
 * Lua scripts kept as files, each with a header naming its KEYS, ARGV and reply, loaded once per
 * connection as ioredis commands (as BullMQ loads its src/commands/*.lua). A file named
 * `<name>-<n>.lua` takes exactly n keys; `<name>.lua` takes a varying number, which the caller
 * passes first (ioredis' convention for a command defined without numberOfKeys). Every key a
 * script touches comes in through KEYS, and the keys of one call share a hash tag: that is what
 * lets a script run on a Redis Cluster.
 *
 * The files sit in a `lua/` folder next to the module that runs them; the build copies them
 * into dist/ beside the compiled module, so the same relative URL works from src/ and dist/.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';

export interface ScriptFile {
  /** The ioredis command name, e.g. aiwatchCommit. */
  command: string;
  /** The .lua file, resolved against the module that runs it. */
  url: URL;
}

/** What defining a command needs; a single connection and a Cluster both have it. */
type Definer = Pick<Redis, 'defineCommand'>;

const sources = new Map<string, { lua: string; numberOfKeys?: number }>();

/** The fixed key count a file's name declares (`claim-1.lua` → 1), or undefined for `commit.lua`. */
export function declaredKeyCount(file: string): number | undefined {
  const match = /-(\d+)\.lua$/.exec(basename(file));
  return match ? Number(match[1]) : undefined;
}

function source(url: URL): { lua: string; numberOfKeys?: number } {
  const path = fileURLToPath(url);
  let found = sources.get(path);
  if (!found) {
    const numberOfKeys = declaredKeyCount(path);
    found = { lua: readFileSync(path, 'utf8'), ...(numberOfKeys === undefined ? {} : { numberOfKeys }) };
    sources.set(path, found);
  }
  return found;
}

/** Defines each script as a command on this connection, once (later calls find it defined). */
export function defineScripts(redis: Definer, scripts: readonly ScriptFile[]): void {
  for (const script of scripts) {
    if (Object.hasOwn(redis, script.command)) continue;
    redis.defineCommand(script.command, source(script.url));
  }
}
