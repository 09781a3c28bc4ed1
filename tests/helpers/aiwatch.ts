/** Running the real `aiwatch` command in a child process, with a throwaway config directory. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { DEFAULT_CONFIG_DIR } from '../../src/config/index.ts';
import type { FeedConfig } from '../../src/config/index.ts';
import type { FeedItem } from '../../src/core/types.ts';
import { REDIS_URL } from './redis.ts';

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'aiwatch.js');
const run = promisify(execFile);

/** A config dir with the real entities and lexicon, the given feeds and worker settings. */
export function configDir(feeds: FeedConfig[], worker: Record<string, number> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'aiwatch-config-'));
  for (const file of ['entities.yaml', 'lexicon.yaml'])
    copyFileSync(join(DEFAULT_CONFIG_DIR, file), join(dir, file));
  writeFileSync(join(dir, 'feeds.yaml'), stringify({ defaults: { intervalMinutes: 10 }, feeds }));
  writeFileSync(
    join(dir, 'settings.yaml'),
    stringify({
      worker: {
        // Local feed servers answer in milliseconds, but a loaded machine can take seconds:
        // a test that wants a timeout sets its own.
        fetchTimeoutMs: 10_000,
        connectTimeoutMs: 5000,
        lockDurationMs: 2000,
        stalledIntervalMs: 1000,
        ...worker,
      },
    }),
  );
  return dir;
}

export function env(prefix: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, REDIS_URL, AIWATCH_PREFIX: prefix, LOG_LEVEL: 'info', ...extra };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function aiwatch(args: string[], environment: NodeJS.ProcessEnv): Promise<RunResult> {
  try {
    const { stdout, stderr } = await run('node', [BIN, ...args], {
      env: environment,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

export interface Child {
  process: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

export function spawnAiwatch(args: string[], environment: NodeJS.ProcessEnv): Child {
  const child = spawn('node', [BIN, ...args], { env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { process: child, stderr: () => stderr, exited };
}

export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Synthetic articles: every fifth one about a Japanese AI initiative, the rest filler. */
export function syntheticItems(count: number, source: string, host: string): FeedItem[] {
  return Array.from({ length: count }, (_, i) => {
    const relevant = i % 5 === 0;
    return {
      id: `${host}-${i}`,
      source,
      url: `https://${host}/articles/${i}`,
      lang: 'en' as const,
      published: new Date(Date.UTC(2026, 3, 1) + i * 60_000).toISOString(),
      title: relevant
        ? `SoftBank and NEC announce domestic large language model number ${i} for Japan`
        : `Local council meeting ${i} discusses park maintenance`,
      summary: relevant
        ? `SoftBank said the Japanese generative AI model ${i} will run on a new GPU data center in Hokkaido.`
        : `Residents talked about benches, trees and opening hours in meeting ${i}.`,
      content: '',
    };
  });
}

export const jsonLines = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
