// A refusal of hookline.publish, whichever driver ran it: each puts PostgreSQL's error somewhere
// else (pg and Knex throw it, Drizzle wraps it as `cause`, Prisma's driver adapter as
// `meta.driverAdapterError.cause`, Prisma's engine of old as `meta`).

/** The SQLSTATEs of a refusal: the function's `HL…` codes, and `42501` for a role without the grant to call it. */
export const PUBLISH_ERROR_CODES = ['HL403', 'HL404', 'HL409', 'HL413', 'HL422', '42501'] as const;
export type PublishErrorCode = (typeof PUBLISH_ERROR_CODES)[number];

const asCode = (value: unknown): PublishErrorCode | undefined => PUBLISH_ERROR_CODES.find((c) => c === value);

/** The object that carries a refusal's SQLSTATE, looked for a few wrappings deep. */
function refusalOf(err: unknown, depth = 0): { code: PublishErrorCode; message: unknown } | undefined {
  if (typeof err !== 'object' || err === null || depth > 4) return undefined;
  const { code, message, cause, meta, driverAdapterError } = err as Record<string, unknown>;
  const known = asCode(code);
  if (known !== undefined) return { code: known, message };
  return refusalOf(cause, depth + 1) ?? refusalOf(meta, depth + 1) ?? refusalOf(driverAdapterError, depth + 1);
}

/** The SQLSTATE of a hookline.publish refusal, through any driver's wrapping, or undefined for any other error. */
export function publishErrorCode(err: unknown): PublishErrorCode | undefined {
  return refusalOf(err)?.code;
}

/** A refusal of hookline.publish: `code` is its SQLSTATE, `message` PostgreSQL's, `cause` the driver's own error. */
export class HooklinePublishError extends Error {
  override readonly name = 'HooklinePublishError';
  readonly code: PublishErrorCode;

  constructor(code: PublishErrorCode, message: string, options: { cause: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * Runs one publish: a refusal comes out as a HooklinePublishError, anything else as the driver threw
 * it. `postgresMessage` undoes a driver's rewriting of PostgreSQL's message (Knex prefixes the query).
 */
export async function refusalsTyped<T>(run: () => PromiseLike<T>, postgresMessage = (message: string) => message): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const refusal = refusalOf(err);
    if (refusal === undefined) throw err;
    const message = typeof refusal.message === 'string' ? postgresMessage(refusal.message) : refusal.code;
    throw new HooklinePublishError(refusal.code, message, { cause: err });
  }
}
