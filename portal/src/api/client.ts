import { toApiError } from './apiError.ts';
import type { components, paths } from './schema.d.ts';

/** Shapes of the public API, generated from /openapi.json (see scripts/generateApiTypes.ts). */
export type Schemas = components['schemas'];

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

/**
 * The one client of the portal: typed by the generated `paths`, sends the portal token, and turns
 * every error answer into an ApiError. `onUnauthorized` lets the session end on a revoked token.
 */
export function createApiClient(options: { baseUrl: string; token: string; onUnauthorized?: () => void }) {
  async function request<P extends keyof paths, M extends Method>(method: M, path: P, opts: RequestOptions<Op<P, M>> = {}): Promise<Success<Op<P, M>>> {
    const url = String(path).replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String((opts.path as Record<string, ParamValue> | undefined)?.[name] ?? '')));
    const res = await fetch(`${options.baseUrl}${url}${buildQueryString(opts.query)}`, {
      method: method.toUpperCase(),
      headers: {
        Authorization: `Bearer ${options.token}`,
        Accept: 'application/json',
        ...(opts.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
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
