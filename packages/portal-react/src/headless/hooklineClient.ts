import type { components, paths } from '@hookline/ui/schema';
import { toHooklineError } from './hooklineError.ts';

/** Shapes of the public API, generated from its OpenAPI document (`EndpointOut`, `MessageOut`, …). */
export type HooklineSchemas = components['schemas'];
export type HooklinePaths = paths;

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Op<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type JsonOf<R> = R extends { content: { 'application/json': infer J } } ? J : undefined;
type Success<O> = O extends { responses: infer R } ? JsonOf<R[Extract<keyof R, 200 | 201 | 202 | 204>]> : never;
type PathParams<O> = O extends { parameters: { path: infer PP } } ? (PP extends Record<string, unknown> ? PP : never) : never;
type QueryParams<O> = O extends { parameters: { query?: infer Q } } ? Q : never;
type BodyOf<O> = O extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

/** The query parameters of a GET on `path` (what the list hooks take as options). */
export type QueryOf<P extends keyof paths> = NonNullable<QueryParams<Op<P, 'get'>>>;
/** The JSON answer of a successful `method` on `path`. */
export type HooklineResponse<P extends keyof paths, M extends Method> = Success<Op<P, M>>;

export interface HooklineRequest<O> {
  path?: PathParams<O>;
  query?: QueryParams<O>;
  body?: BodyOf<O>;
  signal?: AbortSignal;
}

type ParamValue = string | number | boolean;

/** `/api/v1/app/{app}` with its parameters filled in (encoded) and the query appended; empty values are left out. */
export function buildRequestUrl(serverUrl: string, path: string, params?: Record<string, ParamValue>, query?: Record<string, unknown>): string {
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params?.[name] ?? '')));
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, String(v as ParamValue));
  }
  const qs = search.toString();
  return `${serverUrl.replace(/\/+$/, '')}${filled}${qs ? `?${qs}` : ''}`;
}

export interface HooklineClientOptions {
  /** Where Hookline's API is: '' (the default) for the page's own origin, or e.g. `https://app.example.com/webhooks`. */
  serverUrl?: string;
  /** The portal access token (the `token` of app-portal-access, or the `#token=` of its url). */
  token: string;
  /** A fetch to use instead of the global one (to add headers, or in tests). */
  fetch?: typeof fetch;
}

/** A client typed by the API's generated paths that sends the portal token and throws HooklineError on failure. */
export function createHooklineClient(options: HooklineClientOptions) {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  async function request<P extends keyof paths, M extends Method>(method: M, path: P, opts: HooklineRequest<Op<P, M>> = {}): Promise<Success<Op<P, M>>> {
    const url = buildRequestUrl(options.serverUrl ?? '', String(path), opts.path, opts.query);
    const res = await doFetch(url, {
      method: method.toUpperCase(),
      headers: {
        Authorization: `Bearer ${options.token}`,
        Accept: 'application/json',
        ...(opts.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      signal: opts.signal,
    });
    if (!res.ok) throw await toHooklineError(res);
    if (res.status === 204) return undefined as Success<Op<P, M>>;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as Success<Op<P, M>>;
  }
  return { request };
}

export type HooklineClient = ReturnType<typeof createHooklineClient>;
