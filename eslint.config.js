// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.hookline/**', '.hookline-test/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Each file is checked with the tsconfig that owns it (root, or portal/ for the browser code).
        projectService: { allowDefaultProject: ['portal/scripts/*.ts'] },
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
    // api/ and worker/ share code only through packages/.
    files: ['api/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['@hookline/worker', '**/worker/**'] }] },
  },
  {
    files: ['worker/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['@hookline/api', '**/api/**'] }] },
  },
  {
    // The embed runs in the vendor's browser bundle: it talks to the portal only through the iframe.
    files: ['packages/portal-react/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: ['@hookline/api', '@hookline/worker', '@hookline/core', '@hookline/db', '**/api/**', '**/worker/**', '**/core/**', '**/db/**'],
      }],
    },
  },
  {
    // The portal is a client of the public API only: its types come from the generated OpenAPI
    // document, never from the server's packages (scripts/ may read api/ to generate them).
    files: ['portal/src/**/*.{ts,tsx}', 'portal/test/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['@hookline/api', '@hookline/core', '@hookline/db', '@hookline/worker', '@hookline/server', '@hookline/api/*', '@hookline/core/*', '@hookline/db/*', '@hookline/worker/*', '@hookline/server/*'], message: 'The portal talks to the public API only (src/api/client.ts).' },
          { regex: '^(\\.\\./){2,}(\\.\\./)*(api|worker|packages)/', message: 'The portal imports nothing from api/, worker/ or packages/.' },
        ],
      }],
    },
  },
  {
    // Static browser scripts served as they are (the embed loader).
    files: ['portal/public/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { window: 'readonly', document: 'readonly', URL: 'readonly', console: 'readonly' } },
  },
);
