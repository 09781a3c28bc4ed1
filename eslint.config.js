import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import tseslint from 'typescript-eslint';

/**
 * The architecture, one line per room: which folders of src/ each may import, lowest first.
 * A room may always import itself; anything not listed is refused, so no folder can import
 * one that imports it back. The core has no I/O: it sees only config types. src/app is the
 * composition root (it wires the stores, queues and posters once); the long-running parts
 * (worker, notify, server) receive the App; `main` (src/service, `start`, and src/cli) sees all.
 */
const LAYERS = {
  shared: [],
  config: ['shared'],
  core: ['config'],
  redis: ['shared'],
  metrics: ['shared', 'config', 'redis'],
  store: ['shared', 'config', 'core', 'redis'],
  search: ['shared', 'core', 'store', 'redis'],
  channels: ['shared', 'config', 'core', 'redis'],
  llm: ['shared', 'config', 'core', 'metrics', 'redis'],
  feeds: ['shared', 'config', 'core', 'store', 'redis'],
  pipeline: ['core', 'store'],
  replay: ['shared', 'core', 'pipeline', 'store'],
  queue: ['shared', 'config', 'core', 'feeds', 'redis'],
  web: ['shared', 'config', 'core', 'search', 'store', 'redis'],
  slash: ['shared', 'config', 'core', 'channels', 'search', 'store', 'web'],
  chat: ['shared', 'core', 'channels', 'metrics', 'slash'],
  http: ['shared', 'chat', 'redis'],
  app: [
    'shared',
    'config',
    'core',
    'redis',
    'metrics',
    'store',
    'search',
    'channels',
    'llm',
    'feeds',
    'queue',
    'chat',
  ],
  worker: [
    'shared',
    'config',
    'core',
    'app',
    'feeds',
    'metrics',
    'pipeline',
    'queue',
    'search',
    'store',
    'redis',
  ],
  notify: [
    'shared',
    'config',
    'core',
    'app',
    'chat',
    'channels',
    'feeds',
    'llm',
    'metrics',
    'queue',
    'store',
    'web',
    'redis',
  ],
  server: [
    'shared',
    'config',
    'core',
    'app',
    'channels',
    'chat',
    'http',
    'llm',
    'metrics',
    'notify',
    'search',
    'slash',
    'store',
    'web',
    'redis',
  ],
};
const EVERYTHING = [...Object.keys(LAYERS), 'main'];
const MAIN = ['service', 'cli'];

export default tseslint.config(
  { ignores: ['node_modules', 'coverage', '.tmp', 'dist', 'dist.tmp-*'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        AbortController: 'readonly',
        TextDecoder: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX, boundaries },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver()],
      'boundaries/elements': [
        ...Object.keys(LAYERS).map((type) => ({ type, pattern: `src/${type}` })),
        ...MAIN.map((folder) => ({ type: 'main', pattern: `src/${folder}` })),
      ],
    },
    rules: {
      // Module-level cycles, within a folder too (MonitoRSS lints the same).
      'import-x/no-cycle': 'error',
      // Every module lives in a room: a file at the root of src/ would escape the rules.
      'boundaries/no-unknown-files': 'error',
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: [
            ...Object.entries(LAYERS).map(([type, allowed]) => ({
              from: { element: { type } },
              allow: { to: { element: { types: { anyOf: [type, ...allowed] } } } },
            })),
            {
              from: { element: { type: 'main' } },
              allow: { to: { element: { types: { anyOf: EVERYTHING } } } },
            },
          ],
        },
      ],
    },
  },
);
