#!/usr/bin/env node
// Hookline's entry point: `node bin/hookline.ts [start|migrate|reencrypt] [--role all|api|worker]`.
// The process first re-executes itself with its memory flags (bin/memoryFlags.ts), before the
// command line (bin/cli.ts) and everything it imports are loaded.
import { execWithMemoryFlags } from './memoryFlags.ts';

execWithMemoryFlags();
await import('./cli.ts');
