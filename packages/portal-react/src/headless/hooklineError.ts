/** One field problem of a 422 answer, with where it is in the request (`['body', 'url']`). */
export interface HooklineFieldIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/**
 * Every failed call, as the hooks report it: the API's `{code, detail}` with the HTTP status. A 422's
 * `detail` is the list of field problems; a network failure has status 0 and code `network_error`.
 */
export class HooklineError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string | HooklineFieldIssue[];

  constructor(status: number, code: string, detail: string | HooklineFieldIssue[]) {
    super(typeof detail === 'string' ? detail : detail.map((d) => `${d.loc.slice(1).join('.')}: ${d.msg}`).join('; '));
    this.name = 'HooklineError';
    this.status = status;
    this.code = code;
    this.detail = detail;
  }

  /** A 422's problems by field name (the path after `body`), to show each on its input. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    if (typeof this.detail === 'string') return out;
    for (const issue of this.detail) {
      const [where, ...rest] = issue.loc;
      out[String(where === 'body' ? (rest[0] ?? '') : (rest[0] ?? where))] ??= issue.msg;
    }
    return out;
  }
}

/** The HooklineError of an answer with an error status (a proxy's HTML page keeps its status text). */
export async function toHooklineError(res: Response): Promise<HooklineError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON: fall back to the status below.
  }
  const b = body as { code?: unknown; detail?: unknown } | null;
  if (b && Array.isArray(b.detail)) return new HooklineError(res.status, 'validation_error', b.detail as HooklineFieldIssue[]);
  const code = typeof b?.code === 'string' ? b.code : `http_${res.status}`;
  const detail = typeof b?.detail === 'string' ? b.detail : res.statusText || `Request failed with status ${res.status}`;
  return new HooklineError(res.status, code, detail);
}

/** Whatever a call threw (a fetch TypeError, an abort, a bug), as a HooklineError. */
export function asHooklineError(error: unknown): HooklineError {
  if (error instanceof HooklineError) return error;
  return new HooklineError(0, 'network_error', error instanceof Error ? error.message : String(error));
}
