// Lint rules, including the house rules of the layout: libs never import apps, apps never import each
// other (apps/pipeline, the one composition app, joins the receiver and consumer cores), scripts never
// import apps (they run them as processes), production code in apps and libs never imports the dev
// tooling in tools/ (their tests may), and only libs/config reads process.env.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'logs/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration through libs/config (loadConfig).',
        },
      ],
    },
  },
  {
    // The dashboard page's script runs in the browser as a classic script.
    files: ['apps/receiver/dashboard/**/*.js'],
    languageOptions: { sourceType: 'script', globals: globals.browser },
  },
  {
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/apps/**'], message: 'libs never import apps.' }] }],
    },
  },
  {
    files: ['apps/receiver/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/consumer/**', '**/pipeline/**'],
              message: 'apps never import each other; share code through libs.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/consumer/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/receiver/**', '**/pipeline/**'],
              message: 'apps never import each other; share code through libs.',
            },
          ],
        },
      ],
    },
  },
  {
    // The one composition app: it may import the receiver and consumer cores, but not their entry points
    // (importing a main.ts starts that app) nor their tests.
    files: ['apps/pipeline/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/receiver/main*', '**/consumer/main*'],
              message: "importing an app's main.ts starts it; import its core (app.ts, consumer.ts) instead.",
            },
            { group: ['**/receiver/test/**', '**/consumer/test/**'], message: 'production code never imports tests.' },
          ],
        },
      ],
    },
  },
  {
    // tools/ is dev tooling (private redis-server, process harness, Redis proxy, waits) for tests, scripts
    // and benchmarks. A rule of its own (the typescript-eslint variant of no-restricted-imports), so it
    // adds to the layout rules above instead of replacing their patterns.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/test/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/tools/**'],
              message: 'production code never imports the dev tooling in tools/; tests and scripts may.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.ts'],
    ignores: ['scripts/**/test/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/apps/**'],
              message: 'scripts never import apps; run them as processes (apps/<name>/main.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/config/**/*.ts', 'test/**/*.{ts,js}', '**/test/**/*.ts', 'tools/**/*.{ts,js}', 'jest.config.js'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Tests index arrays they have just asserted on; `!` there says "checked above", not "trust me".
    files: ['test/**/*.ts', '**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
