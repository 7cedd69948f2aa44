/** What a handler returns: a status and a JSON body, or a status alone for empty (204) replies. */
export interface Reply {
  status: number;
  body?: unknown;
  /** A plain-text body with its content type, instead of JSON (e.g. Prometheus metrics). */
  text?: { contentType: string; body: string };
  /** A body sent as it is produced (NDJSON exports), so its size never bounds the memory it takes. */
  stream?: { contentType: string; chunks: AsyncIterable<string> };
  /** Sets the console session cookie to a new session's token, or clears it ('end'). */
  session?: { token: string; expiresAt: Date } | 'end';
  /** Sends the browser on (303 See Other) instead of a body: single sign-on's hops. */
  redirect?: string;
  /** Sets (or, with value null, clears) another HttpOnly cookie of the console on `path`. */
  cookie?: { name: string; value: string | null; path: string; maxAgeSeconds?: number };
}
