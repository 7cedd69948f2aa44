/** One field problem of a 422 answer, with its location in the request (`['body', 'url']`). */
export interface FieldIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/** Every non-2xx answer of the API, as the web apps see it. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** A sentence for `{code, detail}` errors; the list of field problems for 422s. */
  readonly detail: string | FieldIssue[];

  constructor(status: number, code: string, detail: string | FieldIssue[]) {
    super(typeof detail === 'string' ? detail : detail.map((d) => `${d.loc.slice(1).join('.')}: ${d.msg}`).join('; '));
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
  }

  /** Field name (path after `body`) → message, for showing 422 problems on their inputs. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    if (typeof this.detail === 'string') return out;
    for (const issue of this.detail) {
      const [where, ...rest] = issue.loc;
      const key = String(where === 'body' ? (rest[0] ?? '') : rest.length ? rest[0] : where);
      out[key] ??= issue.msg;
    }
    return out;
  }
}

/** Turns a fetch Response with an error status into an ApiError. */
export async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): keep the status text.
  }
  const b = body as { code?: unknown; detail?: unknown } | null;
  if (b && Array.isArray(b.detail)) return new ApiError(res.status, 'validation_error', b.detail as FieldIssue[]);
  const code = typeof b?.code === 'string' ? b.code : `http_${res.status}`;
  const detail = typeof b?.detail === 'string' ? b.detail : res.statusText || `Request failed with status ${res.status}`;
  return new ApiError(res.status, code, detail);
}
