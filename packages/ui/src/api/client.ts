import { toApiError } from './apiError.ts';
import type { components, paths } from './schema.d.ts';

/** Shapes of the public API, generated from /openapi.json (see scripts/generateApiTypes.ts). */
export type Schemas = components['schemas'];
/** Every path of the API, as generated; `ApiClient.request` accepts only these. */
export type ApiPaths = paths;

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Op<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type JsonOf<R> = R extends { content: { 'application/json': infer J } } ? J : undefined;
type Success<O> = O extends { responses: infer R } ? JsonOf<R[Extract<keyof R, 200 | 201 | 202 | 204>]> : never;
type PathParams<O> = O extends { parameters: { path: infer PP } } ? (PP extends Record<string, unknown> ? PP : never) : never;
type QueryParams<O> = O extends { parameters: { query?: infer Q } } ? Q : never;
type BodyOf<O> = O extends { requestBody: { content: { 'application/json': infer B } } }
  ? B
  : O extends { requestBody?: { content: { 'application/json': infer B } } }
    ? B
    : never;

export interface RequestOptions<O> {
  path?: PathParams<O>;
  query?: QueryParams<O>;
  body?: BodyOf<O>;
  signal?: AbortSignal;
}

/** The JSON answer of a successful call of `method` on `path`. */
export type ResponseOf<P extends keyof paths, M extends Method> = Success<Op<P, M>>;

/** A path or query value: the generated types of the public API allow no other. */
type ParamValue = string | number | boolean;

/** Builds `?a=1&b=x&b=y`; arrays repeat the key, empty values are left out. */
export function buildQueryString(query: Record<string, ParamValue | ParamValue[] | null | undefined> | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.append(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

export interface ApiClientOptions {
  /** The API's origin ('' for the page's own). */
  baseUrl: string;
  /** Sent with every request: the portal's or the operator's `Authorization`, the console's CSRF header. */
  headers?: Record<string, string>;
  /** The fetch default ('same-origin') unless set; the console's session rides in its cookie, the portal's token in a header. */
  credentials?: RequestCredentials;
  /** Called on any 401, so the app can end a revoked session. */
  onUnauthorized?: () => void;
}

/**
 * The one client of both web apps: typed by the generated `paths`, and turning every error answer
 * into an ApiError. Who is calling (portal token, session cookie, operator token) is the options'.
 */
export function createApiClient(options: ApiClientOptions) {
  async function request<P extends keyof paths, M extends Method>(method: M, path: P, opts: RequestOptions<Op<P, M>> = {}): Promise<Success<Op<P, M>>> {
    const url = String(path).replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String((opts.path as Record<string, ParamValue> | undefined)?.[name] ?? '')));
    const res = await fetch(`${options.baseUrl}${url}${buildQueryString(opts.query)}`, {
      method: method.toUpperCase(),
      headers: {
        ...options.headers,
        Accept: 'application/json',
        ...(opts.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(options.credentials ? { credentials: options.credentials } : {}),
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      signal: opts.signal,
    });
    if (!res.ok) {
      const error = await toApiError(res);
      if (res.status === 401) options.onUnauthorized?.();
      throw error;
    }
    if (res.status === 204) return undefined as Success<Op<P, M>>;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as Success<Op<P, M>>;
  }
  return { request };
}

export type ApiClient = ReturnType<typeof createApiClient>;
