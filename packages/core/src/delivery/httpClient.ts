/**
 * Outbound webhook sender built on undici (not global fetch, which is much slower).
 *
 * - One shared keep-alive Agent; every socket's DNS lookup goes through `guardedLookup`, so the
 *   address that passed the SSRF check is the address connected to. IP-literal hosts skip lookup
 *   in net.connect, so they are checked here before any connection is attempted.
 * - Redirects are never followed (no redirect interceptor): a 3xx is returned as is.
 * - The whole exchange (connect + headers + body) is bounded by `timeoutMs` (or the request's own). At most
 *   `maxResponseBytes` of the response body are kept and at most `maxDrainBytes` are read; beyond
 *   that the connection is destroyed, so a hostile receiver costs neither memory nor bandwidth.
 * - A body that does not arrive whole (over the read limit, not finished in time, cut off) makes
 *   the result `incomplete`: the status arrived, but the exchange failed.
 * - `send` never throws for network problems: every failure is a `{ kind: 'error' }` value.
 * - An endpoint with mutual TLS settings gets its own agents (see MtlsAgents), built the same way.
 */
import net from 'node:net';
import { Agent, buildConnector } from 'undici';
import type { Dispatcher } from 'undici';
import { EgressProxyError, noProxyMatcher, proxyConnector, type EgressProxy } from './egressProxy.ts';
import { MtlsAgents, type MtlsLoader, type MtlsRef, type TlsAgents, type TlsMaterial } from './mtlsAgents.ts';
import { TlsAlerts } from './tlsAlerts.ts';
import { describeTlsFailure, withMtlsHint } from './tlsFailure.ts';
import { checkAddress, describeAddress, guardedLookup, isSsrfBlockedError, refusalDetail, type SsrfBlockedError } from './ssrfGuard.ts';
import type { AllowList } from './ssrfGuard.ts';

export type HttpSenderOptions = {
  allow: AllowList;
  /** Bound on the whole exchange: connect + request + response headers + body read. */
  timeoutMs: number;
  connectTimeoutMs: number;
  /** Cap on response body bytes kept (e.g. 20 KiB). */
  maxResponseBytes: number;
  /** Cap on response body bytes read (kept or discarded); a longer body is cut off (default 1 MiB). */
  maxDrainBytes?: number;
  /** Default 'Hookline/1.0'. */
  userAgent?: string;
  /** Max concurrent connections per origin (default 64). */
  connectionsPerOrigin?: number;
  /** Deliveries go through this HTTP proxy (CONNECT), except to the hosts it exempts. */
  proxy?: EgressProxy;
  /** Reads an endpoint's mutual TLS settings when a request names them (the worker's). */
  mtls?: MtlsLoader;
  /** Endpoints whose mutual TLS agents are kept open at once (default 256). */
  mtlsAgents?: number;
};

export type SendRequest = {
  /** POST unless a transformation chose PUT. */
  method?: 'POST' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body: string;
  /** This request's bound on the whole exchange (an endpoint's own); default: the sender's `timeoutMs`. */
  timeoutMs?: number;
  /** application/json unless said otherwise (an OAuth token request is a form). */
  contentType?: string;
  /** The endpoint's mutual TLS settings, when it has some: sent through their agents. */
  mtls?: MtlsRef | undefined;
};

export type SendResponseResult = {
  kind: 'response';
  status: number;
  /** Response body (at most maxResponseBytes); base64 when it is not valid UTF-8 text. */
  body: string;
  bodyEncoding: 'utf8' | 'base64';
  /** `true` if the body was cut short (over the size cap, or the read hit the total timeout / was interrupted). */
  truncated: boolean;
  /**
   * Why the body did not arrive whole ('response body larger than … bytes', 'timeout while reading
   * the response body', …). Set, the exchange failed although a status was received.
   */
  incomplete?: string;
  /** Lower-cased response header names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  /** The request's headers as sent (lower-cased names; the client adds host, content-length and connection). */
  requestHeaders: Record<string, string>;
  durationMs: number;
};

export type SendErrorResult = {
  kind: 'error';
  status: 0;
  /** Short reason: 'timeout', 'connect timeout', 'connection refused', 'DNS lookup failed', 'blocked by SSRF guard: ...', ... */
  error: string;
  /** `true` when the SSRF guard refused the target (no connection was made). */
  blocked: boolean;
  /** For the operator's log only: the address a refused name resolved to (never in `error`, which tenants see). */
  logDetail?: string;
  /** The headers of the request it tried to send; absent when it was refused before one was made (bad URL, SSRF guard). */
  requestHeaders?: Record<string, string>;
  durationMs: number;
};

export type SendResult = SendResponseResult | SendErrorResult;

export type HttpSender = {
  send(req: SendRequest): Promise<SendResult>;
  /** Closes the shared agent (waits for in-flight requests). */
  close(): Promise<void>;
};

export const DEFAULT_USER_AGENT = 'Hookline/1.0';

/** Default `maxDrainBytes`: enough for any sane receiver reply, bounded for a hostile one. */
export const DEFAULT_MAX_DRAIN_BYTES = 1024 * 1024;

/** Request headers callers may not set: they would break framing or connection handling. */
const DROPPED_REQUEST_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'proxy-connection',
  'upgrade',
  'expect',
  'te',
  'trailer',
]);

export function createHttpSender(options: HttpSenderOptions): HttpSender {
  const { allow, timeoutMs, connectTimeoutMs, maxResponseBytes } = options;
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const maxDrainBytes = Math.max(maxResponseBytes, options.maxDrainBytes ?? DEFAULT_MAX_DRAIN_BYTES);
  const agentOptions = {
    connections: options.connectionsPerOrigin ?? 64,
    pipelining: 1,
    keepAliveTimeout: 4_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  };
  const lookup = guardedLookup(allow);
  const { proxy } = options;
  const shared: TlsAgents = {
    direct: new Agent({ ...agentOptions, connect: { timeout: connectTimeoutMs, lookup } }),
    proxied: proxy ? new Agent({ ...agentOptions, connect: proxyConnector(proxy.url, lookup, connectTimeoutMs) }) : undefined,
  };
  // An endpoint's own agents keep the guarded lookup and the egress proxy, and remember TLS alerts.
  const alerts = new TlsAlerts();
  const buildAgents = (tls: TlsMaterial): TlsAgents => ({
    direct: new Agent({ ...agentOptions, connect: alerts.watching(buildConnector({ timeout: connectTimeoutMs, lookup, ...tls })) }),
    proxied: proxy ? new Agent({ ...agentOptions, connect: alerts.watching(proxyConnector(proxy.url, lookup, connectTimeoutMs, tls)) }) : undefined,
  });
  const mtlsAgents = options.mtls ? new MtlsAgents(options.mtls, buildAgents, options.mtlsAgents) : undefined;
  const bypassesProxy = noProxyMatcher(proxy?.noProxy ?? []);

  async function send(req: SendRequest): Promise<SendResult> {
    const started = performance.now();
    const timeout = req.timeoutMs ?? timeoutMs;
    const elapsed = (): number => Math.round(performance.now() - started);
    const fail = (error: string, blocked = false, logDetail?: string, sent?: Record<string, string>): SendErrorResult => ({
      kind: 'error',
      status: 0,
      error,
      blocked,
      ...(logDetail === undefined ? {} : { logDetail }),
      ...(sent === undefined ? {} : { requestHeaders: sent }),
      durationMs: elapsed(),
    });

    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return fail('invalid URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return fail(`unsupported URL scheme ${url.protocol.replace(/:$/, '')}`);
    }
    if (url.username !== '' || url.password !== '') {
      return fail('URL must not contain credentials');
    }
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    if (host === '') return fail('invalid URL');
    if (net.isIP(host) !== 0) {
      const check = checkAddress(host, allow);
      if (!check.allowed) return fail(`blocked by SSRF guard: ${describeAddress(check)} is not allowed`, true);
    }

    let agents = shared;
    if (req.mtls) {
      const own = mtlsAgents ? await mtlsAgents.agentsFor(req.mtls) : { error: 'mutual TLS is not available to this sender' };
      if (own && 'error' in own) return fail(own.error);
      if (own) agents = own;
    }

    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      const key = name.toLowerCase();
      if (!DROPPED_REQUEST_HEADERS.has(key)) headers[key] = value;
    }
    headers['user-agent'] ??= userAgent;
    headers['content-type'] = req.contentType ?? 'application/json';

    // Not AbortSignal.timeout: its timer, and the signal with undici's listeners, would outlive the
    // exchange by the whole timeout, thousands of them in the old generation at full speed.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), timeout);
    const signal = abort.signal;
    try {
      let res: Dispatcher.ResponseData;
      try {
        const dispatcher = agents.proxied && !bypassesProxy(host) ? agents.proxied : agents.direct;
        res = await dispatcher.request({
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: req.method ?? 'POST',
          headers,
          body: req.body,
          signal,
          headersTimeout: timeout,
          bodyTimeout: timeout,
        });
      } catch (err) {
        const reason = req.mtls ? withMtlsHint(describeError(alerts.alertBehind(err) ?? err, signal)) : describeError(err, signal);
        // A target the guard refused at lookup was never connected to: nothing was sent.
        return fail(reason.error, reason.blocked, reason.logDetail, reason.blocked ? undefined : headers);
      }

      const { body, truncated, incomplete } = await readBody(res.body, maxResponseBytes, maxDrainBytes, signal);
      const decoded = decodeBody(body, truncated);
      return {
        kind: 'response',
        status: res.statusCode,
        body: decoded.body,
        bodyEncoding: decoded.encoding,
        truncated,
        ...(incomplete === undefined ? {} : { incomplete }),
        headers: flattenHeaders(res.headers),
        requestHeaders: headers,
        durationMs: elapsed(),
      };
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    send,
    async close() {
      await Promise.all([shared.direct.close(), shared.proxied?.close(), mtlsAgents?.close()]);
    },
  };
}

/**
 * Reads the body: keeps the first `keep` bytes, discards the rest, and stops (destroying the
 * stream, which closes the connection) once more than `limit` arrived. A read error or abort (the
 * total timeout) keeps what was read. `incomplete` says why the body did not arrive whole. Read by
 * events, not `for await`: the async iterator's machinery (end-of-stream watchers, abort
 * listeners) was a large share of what each delivery allocated.
 */
function readBody(
  stream: Dispatcher.ResponseData['body'],
  keep: number,
  limit: number,
  signal: AbortSignal,
): Promise<{ body: Buffer; truncated: boolean; incomplete?: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let total = 0;
    let settled = false;
    const finish = (incomplete?: string) => {
      if (settled) return;
      settled = true;
      stream.off('data', onData);
      if (!stream.destroyed) stream.destroy();
      const body = Buffer.concat(chunks, kept);
      resolve(incomplete === undefined ? { body, truncated: total > kept } : { body, truncated: true, incomplete });
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) {
        finish(`response body larger than ${limit} bytes`);
        return;
      }
      const room = keep - kept;
      if (room > 0) {
        // A copy, so a kept slice does not pin the whole (up to 64 KiB) chunk.
        const part = Buffer.from(chunk.subarray(0, Math.min(room, chunk.length)));
        chunks.push(part);
        kept += part.length;
      }
    };
    const onError = (err: unknown) => {
      const reason = describeError(err, signal).error;
      finish(reason === 'timeout' ? 'timeout while reading the response body' : `response body cut off: ${reason}`);
    };
    stream.on('data', onData);
    stream.once('end', () => finish());
    stream.once('error', onError);
    // Destroyed without an error or an end (e.g. the connection dropped): cut off.
    stream.once('close', () => onError(new Error('closed before the end')));
  });
}

function decodeBody(body: Buffer, truncated: boolean): { body: string; encoding: 'utf8' | 'base64' } {
  try {
    // stream: true drops a multi-byte character cut in half by truncation instead of failing.
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body, { stream: truncated });
    // NUL cannot be stored in a PostgreSQL text column: treat such bodies as binary.
    if (!text.includes('\u0000')) return { body: text, encoding: 'utf8' };
  } catch {
    // not valid UTF-8
  }
  return { body: body.toString('base64'), encoding: 'base64' };
}

function flattenHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

type ErrorInfo = { codes: Set<string>; names: Set<string>; ssrf: SsrfBlockedError | null; proxy: EgressProxyError | null; message: string };

function collectErrorInfo(err: unknown, info: ErrorInfo, depth = 0): void {
  if (depth > 5 || typeof err !== 'object' || err === null) return;
  const e = err as { code?: unknown; name?: unknown; cause?: unknown; errors?: unknown; message?: unknown };
  if (typeof e.code === 'string') info.codes.add(e.code);
  if (typeof e.name === 'string') info.names.add(e.name);
  if (info.ssrf === null && isSsrfBlockedError(err) && err instanceof Error) info.ssrf = err;
  if (info.proxy === null && err instanceof EgressProxyError) info.proxy = err;
  if (info.message === '' && typeof e.message === 'string') info.message = e.message;
  collectErrorInfo(e.cause, info, depth + 1);
  if (Array.isArray(e.errors)) for (const inner of e.errors) collectErrorInfo(inner, info, depth + 1);
}

/** Maps an undici / net / dns / abort error to a short reason. */
export function describeError(err: unknown, signal?: AbortSignal): { error: string; blocked: boolean; logDetail?: string } {
  const info: ErrorInfo = { codes: new Set(), names: new Set(), ssrf: null, proxy: null, message: '' };
  collectErrorInfo(err, info);
  const has = (...codes: string[]): boolean => codes.some((c) => info.codes.has(c));

  if (info.ssrf !== null) {
    return { error: `blocked by SSRF guard: ${info.ssrf.message.replace(/^Blocked: /, '')}`, blocked: true, logDetail: refusalDetail(info.ssrf) };
  }
  // Before the endpoint's own failures: a proxy that refuses or is down is not the endpoint's fault.
  if (info.proxy !== null) return { error: info.proxy.message, blocked: false };
  if (signal?.aborted || info.names.has('TimeoutError') || has('UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT')) {
    return { error: 'timeout', blocked: false };
  }
  if (has('UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT')) return { error: 'connect timeout', blocked: false };
  if (has('ECONNREFUSED')) return { error: 'connection refused', blocked: false };
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'ENODATA', 'ESERVFAIL')) {
    return { error: 'DNS lookup failed', blocked: false };
  }
  if (has('EHOSTUNREACH')) return { error: 'host unreachable', blocked: false };
  if (has('ENETUNREACH')) return { error: 'network unreachable', blocked: false };
  // Before resets: a server that refuses a client certificate sends an alert, then closes.
  const tlsFailure = describeTlsFailure(info.codes);
  if (tlsFailure !== undefined) return { error: tlsFailure, blocked: false };
  if (has('ECONNRESET', 'EPIPE')) return { error: 'connection reset', blocked: false };
  if (has('UND_ERR_SOCKET')) return { error: 'connection closed by server', blocked: false };
  if (has('UND_ERR_INVALID_ARG')) return { error: `invalid request: ${info.message}`.slice(0, 200), blocked: false };
  if (has('UND_ERR_HEADERS_OVERFLOW')) return { error: 'response headers too large', blocked: false };
  if ([...info.codes].some((c) => c.startsWith('HPE_'))) {
    return { error: 'invalid HTTP response', blocked: false };
  }
  const message = info.message !== '' ? info.message : String(err);
  return { error: `request failed: ${message}`.slice(0, 200), blocked: false };
}
