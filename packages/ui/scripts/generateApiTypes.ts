// Regenerates the typed API client's input for both web apps: src/api/openapi.json (the same
// document the API serves at /openapi.json, built from its zod schemas without starting a server)
// and src/api/schema.d.ts (types from openapi-typescript). Run after an API change:
//   pnpm --filter @hookline/ui generate:api
// Only this build-time script reads api/; nothing under src/ imports it (lint rule).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from '../../../api/src/openapi.ts';
import { routes } from '../../../api/src/index.ts';

const uiDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const jsonPath = join(uiDir, 'src/api/openapi.json');
const typesPath = join(uiDir, 'src/api/schema.d.ts');

const document = buildOpenApiDocument(routes, { version: '1.0.0' });
writeFileSync(jsonPath, `${JSON.stringify(document, null, 2)}\n`);

const require = createRequire(import.meta.url);
const cli = join(dirname(require.resolve('openapi-typescript/package.json')), 'bin/cli.js');
execFileSync(process.execPath, [cli, jsonPath, '-o', typesPath], { stdio: 'inherit' });
console.log(`wrote ${jsonPath} and ${typesPath}`);
