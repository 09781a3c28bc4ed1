// A module resolve hook (runs in the loader thread): appends each bare specifier it sees.
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, next) {
  if (process.env.LOAD_TRACE_FILE && /^[@a-z]/.test(specifier) && !specifier.startsWith('node:'))
    appendFileSync(process.env.LOAD_TRACE_FILE, `${specifier}\n`);
  return next(specifier, context);
}
