import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// `prisma generate` for the Prisma wrapper's test, offline: the prisma-client generator writes
// TypeScript (no query engine binary since Prisma 7) to ./generated, ignored by git. The CLI still
// insists that a schema engine binary exists, which it would download; generate never runs it, so
// it is pointed at /bin/false (the migrate commands would fail on it, and this test needs none).

/** The part of the generated client the test uses (typed here: the client exists only once generated). */
export interface VendorPrismaClient {
  $transaction<T>(run: (tx: VendorPrismaTransaction) => Promise<T>): Promise<T>;
  $disconnect(): Promise<void>;
}
export interface VendorPrismaTransaction {
  invoice: { create(args: { data: { id: string } }): Promise<unknown> };
  $queryRaw(query: TemplateStringsArray, ...values: unknown[]): PromiseLike<unknown>;
}

type GeneratedModule = { PrismaClient: new (options: { adapter: unknown }) => VendorPrismaClient };
let generated: Promise<GeneratedModule> | undefined;

/** Generates once per test process, then imports the generated client. */
export function generatePrismaClient(): Promise<GeneratedModule> {
  generated ??= (async () => {
    const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
    const schema = fileURLToPath(new URL('schema.prisma', import.meta.url));
    await promisify(execFile)(process.execPath, [cli, 'generate', '--schema', schema], {
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false', CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    });
    const client = new URL('generated/client.ts', import.meta.url).href;
    return (await import(client)) as GeneratedModule;
  })();
  return generated;
}
