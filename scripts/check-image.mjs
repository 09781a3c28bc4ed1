// `npm run check:image` (and .ci/run): runs what the Dockerfile's runtime stage runs, without
// Docker. The runtime stage's COPY lines are read from the Dockerfile and copied into a scratch
// directory (dist/ freshly built), production dependencies are installed there with its own
// `npm ci` line, then the image's command is started against the Redis at REDIS_URL with a
// config of no feeds: /healthz and /metrics must answer, and SIGTERM must stop it with 0.
// `--help` is run first and must answer within a second.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (text) => process.stdout.write(`check-image: ${text}\n`);
// Thrown, not exited: the started server is stopped and the scratch directory removed (the
// `finally` blocks below) before the check exits 1 with this message.
const fail = (text) => {
  throw new Error(`check-image: ${text}`);
};

/** The runtime stage of the Dockerfile: its COPY sources and destinations, RUN lines, command. */
function runtimeStage() {
  const lines = readFileSync(join(root, 'Dockerfile'), 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim());
  const start = lines.findIndex((line) => /^FROM .* AS runtime$/i.test(line));
  if (start < 0) fail('Dockerfile has no "FROM ... AS runtime" stage');
  const stage = lines.slice(start + 1);
  const copies = stage
    .filter((line) => line.startsWith('COPY '))
    .flatMap((line) => {
      const words = line
        .split(/\s+/)
        .slice(1)
        .filter((word) => !word.startsWith('--'));
      const dest = words.pop();
      // Several sources go into a directory; a file of the build stage (/app/dist) is the same
      // path here once built.
      return words.map((source) => ({
        source: source.replace(/^\/app\//, ''),
        dest: dest.endsWith('/') ? join(dest, basename(source)) : dest,
      }));
    });
  // RUN options (--mount=type=cache...) are Docker's; the command is what runs here.
  const runs = stage
    .filter((line) => line.startsWith('RUN '))
    .map((line) => line.slice(4).replace(/^(--\S+\s+)+/, ''));
  const json = (word) => JSON.parse(stage.find((line) => line.startsWith(`${word} `)).slice(word.length + 1));
  return { copies, runs, command: [...json('ENTRYPOINT'), ...json('CMD')] };
}

async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function waitForOk(url, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    const res = await fetch(url).catch(() => undefined);
    if (res?.ok) return res;
    if (Date.now() > deadline) fail(`${url} did not answer 200 within ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const stage = runtimeStage();
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
const app = mkdtempSync(join(tmpdir(), 'aiwatch-image-'));
try {
  for (const { source, dest } of stage.copies)
    cpSync(join(root, source), join(app, dest), { recursive: true });
  for (const run of stage.runs) {
    say(`RUN ${run}`);
    execFileSync('sh', ['-c', run], { cwd: app, stdio: 'inherit' });
  }
  const [program, ...args] = stage.command;
  if (program !== 'node') fail(`the image runs ${program}, this check runs only node`);

  const started = performance.now();
  const help = spawnSync(program, [...args.slice(0, 1), '--help'], { cwd: app, encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (help.status !== 0 || !/Usage: aiwatch/.test(help.stdout)) fail(`--help failed: ${help.stderr}`);
  if (seconds > 1) fail(`--help took ${seconds.toFixed(2)} s`);
  say(`--help answered in ${seconds.toFixed(2)} s`);

  // The image's own config, with no feeds: nothing is fetched from the network.
  const config = join(app, 'config-check');
  cpSync(join(app, 'config'), config, { recursive: true });
  writeFileSync(join(config, 'feeds.yaml'), 'feeds: []\n');
  writeFileSync(join(config, 'channels.yaml'), 'channels: []\n');
  const port = await freePort();
  const prefix = `aiwatch-image-check:${process.pid}:`;
  const child = spawn(program, [...args, '--config', config], {
    cwd: app,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      AIWATCH_PREFIX: prefix,
      LOG_FORMAT: 'json',
      SLACK_BOT_TOKEN: '',
      DISCORD_BOT_TOKEN: '',
      SLACK_SIGNING_SECRET: '',
      DISCORD_PUBLIC_KEY: '',
    },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await waitForOk(`http://127.0.0.1:${port}/healthz`, 30_000);
    const metrics = await (await waitForOk(`http://127.0.0.1:${port}/metrics`, 5000)).text();
    if (!/^aiwatch_queue_jobs\{queue="items",state="waiting"\} \d+$/m.test(metrics))
      fail('/metrics has no queue depths');
    say('start answers /healthz and /metrics');
  } catch (error) {
    process.stderr.write(stderr);
    throw error;
  } finally {
    child.kill('SIGTERM');
  }
  const code = await exited;
  if (code !== 0) fail(`start exited with ${code} after SIGTERM:\n${stderr}`);
  say('start stopped on SIGTERM with 0');
  // The check's keys, removed with the command the image ships.
  execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { Redis } = await import('ioredis');
       const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
       let cursor = '0';
       do {
         const [next, keys] = await redis.scan(cursor, 'MATCH', '${prefix}*', 'COUNT', 1000);
         cursor = next;
         if (keys.length) await redis.unlink(...keys);
       } while (cursor !== '0');
       redis.disconnect();`,
    ],
    { cwd: app, stdio: 'inherit' },
  );
} finally {
  rmSync(app, { recursive: true, force: true });
}
