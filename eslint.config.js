// @ts-check
/**
 * Lint for `npm test`: the recommended JavaScript and TypeScript rules (syntax-only, no type
 * information, so a run takes seconds), plus the layering of src/ as import rules. Cycles between
 * the folders of src/ are checked by dependency-cruiser (.dependency-cruiser.cjs), which sees the
 * whole graph; these rules see one import at a time.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Node built-ins and packages that read or write files, spawn, or talk to the network. */
const IO_PACKAGES = {
  regex: '^(node:)?(fs|fs/promises|child_process|net|http|https|http2|dgram|tls|worker_threads|readline)$|^(better-sqlite3|simple-git|chokidar)(/|$)',
  message: 'This folder is pure: no file, process or network I/O. Take the data as an argument; the caller reads it.',
};

/** The CLI's own libraries: only src/cli and src/main.ts know about flags, terminals and colours. */
const CLI_PACKAGES = {
  regex: '^(commander|picocolors)(/|$)',
  message: 'Only src/cli (and src/main.ts) parse flags or colour text; return data and let a view render it.',
};

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', '.campaignctl/', 'src/model/generated/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // A leading underscore marks a parameter or binding that is there for its position or to be left out of a rest.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'examples/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests read JSON answers and child-process output loosely (`body.campaigns[0].id`); typing each shape would only restate the assertion.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // The planner and what it stands on: pure functions of their arguments, so a daemon, a test or
    // another program can call them with data from anywhere.
    files: ['src/plan/**/*.ts', 'src/model/**/*.ts', 'src/time/**/*.ts', 'src/diagnostics/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            IO_PACKAGES,
            CLI_PACKAGES,
            {
              regex: '^(\\.\\./)+(?!(plan|model|time|diagnostics)/)[^.]',
              message: 'src/plan, src/model, src/time and src/diagnostics are pure: they import only each other (not state, CleverTap, the sandbox, git, config loading, operations or the CLI).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/operations/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            CLI_PACKAGES,
            {
              regex: '^(\\.\\./)+cli(/|$)',
              message: 'Operations are called by the CLI, the daemon and other programs alike: they never import src/cli. Report through the event sink.',
            },
          ],
        },
      ],
    },
  },
  {
    // The daemon runs operations like the CLI does, but it is not the CLI: src/cli/watch.ts parses
    // the flags and starts it.
    files: ['src/daemon/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            CLI_PACKAGES,
            {
              regex: '^(\\.\\./)+cli(/|$)',
              message: 'The daemon never imports src/cli: share through src/operations, or move what both need below them.',
            },
          ],
        },
      ],
    },
  },
  {
    // A command is flags -> operation -> view. What two commands share lives in src/cli/shared,
    // src/cli/views or src/operations; commands.ts (the registry) loads them all.
    files: ['src/cli/*.ts'],
    ignores: ['src/cli/commands.ts', 'src/cli/context.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\./(?!context\\.js$)[^/]+$',
              message: 'Commands never import each other: move what both need to src/cli/shared, src/cli/views or src/operations.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/cli/*/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./(?!(context|commands)\\.js$)[^/]+$',
              message: 'Shared CLI code and views never import a command: commands import them.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/apply/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+runtime(/|$)',
              message: 'The runtime sits above apply (it and the cron runner raise occurrences): apply is handed the raiser through ExecuteDeps.raiseOccurrence.',
            },
          ],
        },
      ],
    },
  },
);
