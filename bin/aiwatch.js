#!/usr/bin/env node
// Runs the compiled command line. `npm run build` makes dist/ (`npm start` and the tests
// build it when it is missing or older than src/).
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('aiwatch: dist/ is missing: run "npm run build" first\n');
  process.exit(1);
}
await import(main.href);
