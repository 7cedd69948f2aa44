import { createRequire } from 'node:module';
import path from 'node:path';
import type * as UndiciModule from '../../packages/core/node_modules/undici/index.js';
import type ExpressModule from '../../api/node_modules/@types/express/index.d.ts';
import { REPO_ROOT } from '@hookline/test-support/process';

// The bench loads undici and Express from the workspace packages that ship them, so the load
// generator uses the HTTP client Hookline delivers with and the baseline the Express the api runs on.
const fromCore = createRequire(path.join(REPO_ROOT, 'packages/core/package.json'));
const fromApi = createRequire(path.join(REPO_ROOT, 'api/package.json'));

export const undici = fromCore('undici') as typeof UndiciModule;
export const express = fromApi('express') as typeof ExpressModule;
