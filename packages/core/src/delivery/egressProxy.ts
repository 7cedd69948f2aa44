import { request } from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import ipaddr from 'ipaddr.js';
import type { buildConnector } from 'undici';

/** HOOKLINE_EGRESS_PROXY: an HTTP proxy that deliveries go through by CONNECT, with its exceptions. */
export interface EgressProxy {
  url: URL;
  /** HOOKLINE_EGRESS_NO_PROXY: hosts reached directly. */
  noProxy: readonly string[];
}

/** A failure on the way to the endpoint, at the proxy: told apart from the endpoint's own in the attempt. */
export class EgressProxyError extends Error {
  override name = 'EgressProxyError';
  /** 'connection refused', 'answered 407', …: what went wrong with the proxy. */
  readonly reason: string;
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`egress proxy: ${reason}`, options);
    this.reason = reason;
  }
}

/**
 * Whether a host (a name or an IP literal, no brackets) bypasses the proxy, by NO_PROXY's usual
 * rules: `*` matches every host; a name matches itself and its subdomains (a leading dot is
 * allowed); an IP matches itself; a CIDR (`10.0.0.0/8`) matches IP literals inside it. Ports are
 * not part of an entry. The list is parsed once; the predicate runs for every delivery.
 */
export function noProxyMatcher(noProxy: readonly string[]): (host: string) => boolean {
  const entries = noProxy.map((raw) => raw.trim().toLowerCase()).filter((e) => e !== '');
  const all = entries.includes('*');
  const ranges = entries.filter((e) => e.includes('/') && ipaddr.isValidCIDR(e)).map((e) => ipaddr.parseCIDR(e));
  const addresses = new Set(entries.filter((e) => !e.includes('/') && ipaddr.isValid(e)).map((e) => ipaddr.process(e).toNormalizedString()));
  const domains = entries
    .filter((e) => e !== '*' && !e.includes('/') && !ipaddr.isValid(e))
    .map((e) => e.replace(/^\./, '').replace(/\.$/, ''))
    .filter((d) => d !== '');
  return (host) => {
    if (all) return true;
    const name = host.toLowerCase().replace(/\.$/, '');
    if (ipaddr.isValid(name)) {
      const address = ipaddr.process(name);
      return addresses.has(address.toNormalizedString()) || ranges.some(([range, bits]) => address.kind() === range.kind() && address.match([range, bits]));
    }
    return domains.some((domain) => name === domain || name.endsWith(`.${domain}`));
  };
}

/**
 * An undici `connect` that reaches the endpoint through the proxy. The endpoint's name is resolved
 * here by `lookup` (the SSRF guard's) and the tunnel asked for the address it vetted, so the proxy
 * cannot be steered to an address the guard refused, while TLS still checks the endpoint's name.
 * The proxy itself is the operator's choice: it is never checked against the guard. `tlsOptions`
 * (an endpoint's client certificate and CA bundle) apply to the TLS session with the endpoint.
 */
export function proxyConnector(proxy: URL, lookup: net.LookupFunction, connectTimeoutMs: number, tlsOptions?: tls.ConnectionOptions): buildConnector.connector {
  const authorization =
    proxy.username !== '' ? `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}` : undefined;
  const proxyPort = Number(proxy.port || 80);

  return (options, callback) => {
    const { hostname, protocol } = options;
    const port = Number(options.port || (protocol === 'https:' ? 443 : 80));
    const target = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
    const once = onlyOnce(callback);
    const fail = (err: Error) => once(err, null);

    const tunnel = (address: string) => {
      const authority = `${net.isIPv6(address) ? `[${address}]` : address}:${port}`;
      const req = request({
        host: proxy.hostname.replace(/^\[|\]$/g, ''),
        port: proxyPort,
        method: 'CONNECT',
        path: authority,
        headers: { host: authority, ...(authorization ? { 'proxy-authorization': authorization } : {}) },
        agent: false,
        timeout: connectTimeoutMs,
      });
      req.once('timeout', () => req.destroy(Object.assign(new Error('connect timeout'), { code: 'UND_ERR_CONNECT_TIMEOUT' })));
      req.once('error', (err) => fail(new EgressProxyError(describeProxyFailure(err), { cause: err })));
      req.once('connect', (res, socket) => {
        req.setTimeout(0);
        if (res.statusCode !== 200) {
          socket.destroy();
          const status = res.statusCode ?? 0;
          // A 5xx is the proxy's word that the endpoint could not be reached; a 4xx, a refusal of the tunnel.
          const meaning = status >= 500 ? 'could not reach the endpoint' : 'refused the tunnel';
          fail(new EgressProxyError(`answered ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''} to CONNECT: ${meaning}`));
          return;
        }
        if (protocol !== 'https:') {
          once(null, socket);
          return;
        }
        const secure = tls.connect({ ...tlsOptions, socket, servername: net.isIP(target) ? undefined : (options.servername ?? target), ALPNProtocols: ['http/1.1'] });
        secure.once('secureConnect', () => once(null, secure));
        secure.once('error', fail);
      });
      req.end();
    };

    if (net.isIP(target)) {
      tunnel(target); // an IP literal was checked before the request was made
      return;
    }
    lookup(target, {}, (err, address) => {
      if (err) fail(err);
      else tunnel(address as string);
    });
  };
}

function describeProxyFailure(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connect timeout';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'DNS lookup failed';
    case 'ECONNRESET':
      return 'connection reset';
    default:
      return `unreachable: ${err.message}`.slice(0, 120);
  }
}

function onlyOnce(callback: buildConnector.Callback): buildConnector.Callback {
  let called = false;
  return ((err: Error | null, socket?: net.Socket | tls.TLSSocket) => {
    if (called) return;
    called = true;
    if (err) callback(err, null);
    else callback(null, socket!);
  }) as buildConnector.Callback;
}
