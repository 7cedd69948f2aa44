#!/usr/bin/env node
// Hookline's entry point: `node bin/hookline.ts [start|migrate|reencrypt] [--role all|api|worker]`.
// The process first re-executes itself with its memory flags (bin/memoryFlags.ts), before the
// command line (bin/cli.ts) and everything it imports are loaded.
import { flushCompileCache } from 'node:module';
import { execWithMemoryFlags } from './memoryFlags.ts';

execWithMemoryFlags();
await import('./cli.ts');
// Written now, not only at exit, so that the next start (also after a crash) finds every module.
flushCompileCache();
