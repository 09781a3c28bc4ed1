// `node --import <this>`: records every package the process imports (bare specifiers) in the
// file named by LOAD_TRACE_FILE, one a line. Tests use it to check what a command loads.
import { register } from 'node:module';

register('./resolve.mjs', import.meta.url);
