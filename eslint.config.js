import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/*.tmp.ts', '**/node_modules/**', '**/dist/**', '.data/**', 'bench/.cache/**', 'coverage/**', 'shared/src/patch/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  // Which workspace may import which: the worker and the API share @patchpad/shared(/server)
  // and never import each other; the browser never gets server code; the contract's pure part
  // knows nothing of Redis, Express or React.
  {
    files: ['worker/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@patchpad/backend', '@patchpad/backend/*', '**/backend/src/**'],
              message: 'The worker must not import the API: share it through @patchpad/shared/server.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['backend/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@patchpad/worker', '@patchpad/worker/*', '**/worker/src/**'],
              message: 'The API must not import the worker: share it through @patchpad/shared/server.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['frontend/src/**', 'frontend/preview-runtime/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@patchpad/shared/server', '@patchpad/backend', '@patchpad/backend/*', '@patchpad/worker', 'ioredis', 'bullmq'],
              message: 'Server code never reaches the browser bundle.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/src/**'],
    ignores: ['shared/src/server/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['ioredis', 'bullmq', 'express', 'react', 'react-dom', '**/server/**'],
              message: 'The contract and the patch engine are pure: no I/O frameworks (server code lives in shared/src/server).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', 'scripts/**', 'bench/**', '**/*.test.ts', 'test-support/**', '**/test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
