/** What a handler returns: a status and a JSON body, or a status alone for empty (204) replies. */
export interface Reply {
  status: number;
  body?: unknown;
  /** A plain-text body with its content type, instead of JSON (e.g. Prometheus metrics). */
  text?: { contentType: string; body: string };
  /** A body sent as it is produced (NDJSON exports), so its size never bounds the memory it takes. */
  stream?: { contentType: string; chunks: AsyncIterable<string> };
}
