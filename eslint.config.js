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

/** What no file of shared/ may import: it is the pure core (browsers, workers and Node all run it). */
const coreRestrictions = [
  {
    group: ['**/renderer/**', '**/main/**', '**/app/**'],
    message: 'shared/ depends on nothing of ours.',
  },
  {
    group: ['node:*', ...nodeBuiltins],
    message: 'shared/ runs in browsers and workers: no Node modules.',
  },
  { group: ['electron', 'electron/*'], message: 'shared/ must not import electron.' },
];

/**
 * The layers inside shared/, bottom first, as VS Code's code-layering rule keeps its own: each folder with
 * the folders it may import (the small pieces at shared/'s root, result, random and shape, every folder
 * may). Tests may reach higher: they build their scenes with templates and the test kit.
 */
const below = (...folders) => folders;
const sharedLayers = {
  graph: below(),
  layers: below(),
  data: below(),
  blocks: below('graph', 'layers'),
  shapes: below('graph', 'layers', 'blocks'),
  layout: below('graph', 'layers', 'blocks', 'shapes'),
  editing: below('graph', 'layers', 'blocks', 'shapes', 'layout'),
  compile: below('graph', 'layers', 'blocks', 'shapes'),
  import: below('graph', 'layers', 'blocks', 'shapes', 'compile'),
  train: below('graph', 'layers', 'blocks', 'shapes', 'compile', 'data', 'import'),
  templates: below('graph', 'layers', 'blocks', 'train'),
  export: below('graph', 'layers', 'blocks', 'shapes', 'layout', 'compile', 'data', 'train'),
  inspect: below('graph', 'layers', 'blocks', 'shapes', 'compile', 'data', 'train'),
  worker: below('graph', 'layers', 'blocks', 'shapes', 'compile', 'data', 'import', 'train', 'export'),
  document: below('graph', 'train'),
  compare: below(
    'graph',
    'layers',
    'blocks',
    'shapes',
    'layout',
    'compile',
    'data',
    'train',
    'export',
    'templates',
  ),
  api: below('graph', 'train', 'worker'),
  fuzz: below('graph', 'layers', 'blocks', 'shapes', 'compile', 'data', 'templates'),
  test: below('graph', 'layers', 'blocks', 'shapes', 'compile'),
};

/** One config per layer of shared/: the core's restrictions, and the folders above it (or beside it). */
const sharedLayering = [
  ...Object.entries(sharedLayers).map(([folder, allowed]) => {
    const forbidden = Object.keys(sharedLayers).filter((f) => f !== folder && !allowed.includes(f));
    return { folder: `shared/${folder}/**/*.ts`, up: '(\\.\\./)+', forbidden, allowed };
  }),
  { folder: 'shared/*.ts', up: '\\./', forbidden: Object.keys(sharedLayers), allowed: [] },
].map(({ folder, up, forbidden, allowed }) => ({
  files: [folder],
  ignores: ['shared/**/*.test.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...coreRestrictions,
          {
            regex: `^${up}(${forbidden.join('|')})/`,
            message: `${folder} may import ${allowed.length ? `only ${allowed.join(', ')} and` : 'only'} the root files of shared/: see sharedLayers in eslint.config.js.`,
          },
        ],
      },
    ],
  },
}));

/** What the page reaches of the host: only shared/api's contract, never the host's code. */
const pageRestrictions = [
  { group: ['**/main/**', 'electron'], message: 'The page talks to the host through shared/api.' },
];

/**
 * The renderer's folders, bottom first: host/ (the host's API), ui/ (pieces that know no document),
 * document/ (the document's store and its actions), training/ (the run service), then the features, which
 * import those and never each other, and app/, which puts them together (and the root's main.tsx).
 */
const features = ['canvas', 'inspector', 'palette', 'variants', 'train', 'compare', 'start'];
const rendererLayers = {
  host: below(),
  ui: below(),
  document: below('host', 'ui'),
  training: below('host', 'ui', 'document'),
  ...Object.fromEntries(features.map((f) => [f, below('host', 'ui', 'document', 'training')])),
};
const rendererFolders = [...Object.keys(rendererLayers), 'app'];

const rendererLayering = Object.entries(rendererLayers).map(([folder, allowed]) => {
  const forbidden = rendererFolders.filter((f) => f !== folder && !allowed.includes(f));
  return {
    files: [`renderer/src/${folder}/**/*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...pageRestrictions,
            {
              regex: `^(\\.\\./)+(${forbidden.join('|')})/`,
              message: `renderer/src/${folder}/ may import ${allowed.length ? `only ${allowed.join(', ')},` : 'only'} shared/ and its own files: see rendererLayers in eslint.config.js.`,
            },
          ],
        },
      ],
    },
  };
});

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
      'bench/gpu/pack',
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
      'no-restricted-imports': ['error', { patterns: coreRestrictions }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'process', 'require', 'Buffer'],
    },
  },
  ...sharedLayering,
  {
    // The page reaches the host only through the DesignerApi (shared/api), never its code.
    files: ['renderer/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: pageRestrictions }],
    },
  },
  ...rendererLayering,
  {
    files: ['main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/renderer/**'], message: 'The host never imports the page: it serves its build.' },
          ],
        },
      ],
    },
  },
);
