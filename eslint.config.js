// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The queue has one door (docs/adr/0001-queue-door.md): only packages/db/src/queue imports pg-boss
// or names its schema, and raw SQL lives in packages/db. Flat config replaces a rule's options per
// matching block, so each area below lists every import restriction that applies to it.
const DOOR = 'packages/db/src/queue/**';
const PG_BOSS = { name: 'pg-boss', message: "Only the queue's door (packages/db/src/queue, exported by @hookline/db) knows pg-boss." };
const RAW_SQL = { name: 'kysely', importNames: ['sql'], message: 'SQL lives in packages/db: add a repo function (or a queue door function for pg-boss tables).' };
const REPOS = { group: ['@hookline/db'], importNamePattern: 'Repo$', message: 'The apps call the domain (packages/core), which calls the repos.' };
const apart = (app) => ({ group: [`@hookline/${app}`, `**/${app}/**`], message: 'api/ and worker/ share code only through packages/.' });
const SCHEMA_NAME = { group: ['**/queue/boss.ts'], importNames: ['BOSS_SCHEMA'], message: "pg-boss's schema is named in the queue's door only." };
const restrictImports = ({ paths = [], patterns = [] }) => ['error', { paths, patterns }];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.hookline/**', '.hookline-test/**', 'packages/publish/test/prisma/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Each file is checked with the tsconfig that owns it (root, or portal/ for the browser code).
        projectService: { allowDefaultProject: ['packages/ui/scripts/*.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Async bodies without await implement Promise-returning seams (Kysely plugins, route handlers, fakes): no bug to find.
      '@typescript-eslint/require-await': 'off',
      'no-restricted-imports': restrictImports({ paths: [PG_BOSS, RAW_SQL], patterns: [REPOS] }),
      // pg-boss's schema is named in the door only (BOSS_SCHEMA there).
      'no-restricted-syntax': [
        'error',
        { selector: 'Literal[value=/pgboss\\./]', message: "pg-boss's tables are reached through the queue's door (packages/db/src/queue)." },
        { selector: 'TemplateElement[value.raw=/pgboss\\./]', message: "pg-boss's tables are reached through the queue's door (packages/db/src/queue)." },
      ],
    },
  },
  {
    // Tests read raw SQL rows (`any`) and destructure this-free helper objects; typing each gains nothing.
    files: ['test/**', '**/test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Plain JavaScript (this file, the embed loader) has no types to check.
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The domain calls the repos; SQL stays in packages/db.
    files: ['packages/core/**/*.ts'],
    rules: { 'no-restricted-imports': restrictImports({ paths: [PG_BOSS, RAW_SQL] }) },
  },
  {
    files: ['packages/db/**/*.ts'],
    rules: { 'no-restricted-imports': restrictImports({ paths: [PG_BOSS], patterns: [SCHEMA_NAME] }) },
  },
  {
    // The door: pg-boss, its schema and the SQL of its tables.
    files: [DOOR],
    rules: { 'no-restricted-imports': 'off', 'no-restricted-syntax': 'off' },
  },
  {
    // Allow-list: tests set up and inspect state with raw SQL to check what the code under test
    // wrote (pg-boss's rows through test/support/queueTables.ts); the bench seeds its data so.
    files: ['test/**/*.ts', '**/test/**/*.ts'],
    rules: { 'no-restricted-imports': restrictImports({ paths: [PG_BOSS] }) },
  },
  {
    // The examples are vendor apps: they write their own tables' SQL, and reach Hookline only through
    // its public packages (@hookline/server's createHookline, @hookline/publish), never its internals.
    files: ['examples/**/*.ts'],
    rules: {
      'no-restricted-imports': restrictImports({
        paths: [PG_BOSS],
        patterns: [
          {
            group: ['@hookline/api', '@hookline/core', '@hookline/db', '@hookline/worker', '@hookline/*/*', '!@hookline/test-support/*'],
            message: 'An example uses Hookline as a vendor does: @hookline/server and @hookline/publish.',
          },
        ],
      }),
    },
  },
  {
    // Allow-list: test support names pg-boss's schema once for the tests (queueTables.ts, the fuzz
    // harness's table hashes); the door's own tests hold its columns (pgBossPin.test.ts).
    files: ['test/support/**/*.ts', 'packages/db/test/queue/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // api/ and worker/ share code only through packages/.
    files: ['api/**/*.ts'],
    rules: { 'no-restricted-imports': restrictImports({ paths: [PG_BOSS, RAW_SQL], patterns: [REPOS, apart('worker')] }) },
  },
  {
    // Allow-list: resolves the portal token's application (applicationRepo) until the portal's
    // access check moves into core (the portal rework owns this file).
    files: ['api/src/http/portalAuth.ts'],
    rules: { 'no-restricted-imports': restrictImports({ paths: [PG_BOSS, RAW_SQL], patterns: [apart('worker')] }) },
  },
  {
    files: ['worker/**/*.ts'],
    rules: { 'no-restricted-imports': restrictImports({ paths: [PG_BOSS, RAW_SQL], patterns: [REPOS, apart('api')] }) },
  },
  {
    // The embed runs in the vendor's browser bundle: it talks to the portal only through the iframe.
    files: ['packages/portal-react/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: ['@hookline/api', '@hookline/worker', '@hookline/core', '@hookline/db', '**/api/**', '**/worker/**', '**/core/**', '**/db/**'],
        },
      ],
    },
  },
  {
    // The web apps (portal, console, and packages/ui they share) are clients of the public API only:
    // their types come from the generated OpenAPI document, never from the server's packages
    // (packages/ui/scripts may read api/ to generate them).
    files: ['portal/src/**/*.{ts,tsx}', 'portal/test/**/*.{ts,tsx}', 'console/src/**/*.{ts,tsx}', 'console/test/**/*.{ts,tsx}', 'packages/ui/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@hookline/api',
                '@hookline/core',
                '@hookline/db',
                '@hookline/worker',
                '@hookline/server',
                '@hookline/api/*',
                '@hookline/core/*',
                '@hookline/db/*',
                '@hookline/worker/*',
                '@hookline/server/*',
              ],
              message: 'The web apps talk to the public API only (the typed client of @hookline/ui).',
            },
            // The server's api/ is reached through api/src or api/test: a page's '../../api/me.ts' is the app's own api/ folder.
            { regex: '^(\\.\\./){2,}(api/(src|test)|worker|packages)/', message: 'The web apps import nothing from api/, worker/ or packages/ (but @hookline/ui).' },
          ],
        },
      ],
    },
  },
  {
    // Static browser scripts served as they are (the embed loader).
    files: ['portal/public/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { window: 'readonly', document: 'readonly', URL: 'readonly', console: 'readonly' } },
  },
);
