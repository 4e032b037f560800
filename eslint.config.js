import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'child_process',
  'http',
  'https',
  'url',
  'crypto',
  'zlib',
  'stream',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      'app/dist',
      'renderer/dist',
      'e2e/artifacts',
      'coverage',
      'bench/results',
      'scratch',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The core is pure: no UI, no host, no Node, no Electron, no DOM.
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/renderer/**', '**/main/**', '**/app/**'],
              message: 'shared/ depends on nothing of ours.',
            },
            {
              group: ['node:*', ...nodeBuiltins],
              message: 'shared/ runs in browsers and workers: no Node modules.',
            },
            { group: ['electron', 'electron/*'], message: 'shared/ must not import electron.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'process', 'require', 'Buffer'],
    },
  },
);
