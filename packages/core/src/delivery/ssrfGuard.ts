/**
 * SSRF guard: decides whether an outbound webhook target address may be contacted.
 *
 * Only globally routable unicast addresses are allowed by default. Operators can open
 * specific private ranges (or everything) with HOOKLINE_ALLOW_PRIVATE_TARGETS.
 *
 * Two enforcement points use this module:
 * - API time: `checkEndpointUrl` validates an endpoint URL (resolving its hostname once).
 * - Send time: `guardedLookup` is installed as the socket `lookup` function, so the address
 *   that is checked is exactly the address that is connected to (no DNS-rebinding window).
 *   IP-literal hosts never go through `lookup` in `net.connect`, so the HTTP client checks
 *   them itself with `checkAddress` before sending.
 */
import dns from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** One allow-listed network: [network address, prefix length]. */
export type AllowRange = readonly [IpAddress, number];

export type AllowList = {
  /** `true` when HOOKLINE_ALLOW_PRIVATE_TARGETS=true: every address is allowed. */
  readonly all: boolean;
  /** Extra networks allowed in addition to public unicast space. */
  readonly ranges: readonly AllowRange[];
};

/** Public addresses only (the default). */
export const ALLOW_PUBLIC_ONLY: AllowList = Object.freeze({ all: false, ranges: Object.freeze([]) });

export type AddressCheck = {
  readonly allowed: boolean;
  /**
   * ipaddr.js range name of the address that was judged ('unicast', 'loopback', 'private',
   * 'linkLocal', 'uniqueLocal', ...), or 'invalid' when the input is not an IP address.
   */
  readonly range: string;
  /** Normalized address that was judged (the embedded IPv4 for IPv4-mapped and similar forms). */
  readonly address: string;
};

const ENV_NAME = 'HOOKLINE_ALLOW_PRIVATE_TARGETS';

/**
 * Parses the value of HOOKLINE_ALLOW_PRIVATE_TARGETS.
 * unset / '' / 'false' → public only; 'true' → everything; otherwise a comma-separated list of
 * CIDRs or single IPs (IPv4 must be dotted-quad). Throws an Error naming the first bad entry.
 */
export function parseAllowList(value: string | undefined): AllowList {
  const trimmed = (value ?? '').trim();
  const lowered = trimmed.toLowerCase();
  if (lowered === '' || lowered === 'false') return ALLOW_PUBLIC_ONLY;
  if (lowered === 'true') return Object.freeze({ all: true, ranges: Object.freeze([]) });

  const ranges: AllowRange[] = [];
  for (const raw of trimmed.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue; // tolerate "a,,b" and trailing commas
    const parsed = parseAllowEntry(entry);
    if (parsed === null) {
      throw new Error(
        `Invalid ${ENV_NAME} entry "${entry}": expected an IPv4/IPv6 address or CIDR ` + `(for example 10.0.0.0/8 or fd00::/8), or the single value "true" or "false"`,
      );
    }
    ranges.push(Object.freeze(parsed));
  }
  return Object.freeze({ all: false, ranges: Object.freeze(ranges) });
}

function parseAllowEntry(entry: string): [IpAddress, number] | null {
  let range: [IpAddress, number];
  if (entry.includes('/')) {
    const slash = entry.indexOf('/');
    const addrPart = entry.slice(0, slash);
    const bitsPart = entry.slice(slash + 1);
    if (!/^\d{1,3}$/.test(bitsPart)) return null;
    if (addrPart.includes(':')) {
      if (!ipaddr.IPv6.isValidCIDR(entry)) return null;
      range = ipaddr.IPv6.parseCIDR(entry);
    } else {
      // Dotted-quad only: '10/8' or '0x0a000000/8' would be surprising interpretations.
      if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(entry)) return null;
      range = ipaddr.IPv4.parseCIDR(entry);
    }
  } else if (entry.includes(':')) {
    if (!ipaddr.IPv6.isValid(entry)) return null;
    range = [ipaddr.IPv6.parse(entry), 128];
  } else {
    if (!ipaddr.IPv4.isValidFourPartDecimal(entry)) return null;
    range = [ipaddr.IPv4.parse(entry), 32];
  }
  // An IPv4-mapped IPv6 network (::ffff:10.0.0.0/104) is stored as its IPv4 equivalent,
  // because addresses are unwrapped to IPv4 before they are matched.
  const [addr, bits] = range;
  if (addr.kind() === 'ipv6' && bits >= 96) {
    const v6 = addr as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return [v6.toIPv4Address(), bits - 96];
  }
  return range;
}

function parseAddress(ip: string): IpAddress | null {
  let text = ip.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  // Accept only what the OS would treat as an address literal (rejects '10', '0x7f.1', ...).
  if (net.isIP(text) === 0 && net.isIP(text.replace(/%.*$/, '')) === 0) return null;
  try {
    return ipaddr.process(text);
  } catch {
    return null;
  }
}

function inAllowList(addr: IpAddress, allow: AllowList): boolean {
  for (const [network, bits] of allow.ranges) {
    if (network.kind() === addr.kind() && addr.match(network, bits)) return true;
  }
  return false;
}

const NAT64_WELL_KNOWN: AllowRange = [ipaddr.IPv6.parse('64:ff9b::'), 96];

function v4FromParts(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([(high >> 8) & 0xff, high & 0xff, (low >> 8) & 0xff, low & 0xff]);
}

/**
 * IPv6 forms that carry an IPv4 address the packet may effectively be delivered to:
 * SIIT (::ffff:0:a.b.c.d), NAT64 well-known prefix (64:ff9b::a.b.c.d), 6to4 (2002:aabb:ccdd::)
 * and deprecated IPv4-compatible (::a.b.c.d). IPv4-mapped (::ffff:a.b.c.d) is already
 * unwrapped by ipaddr.process.
 */
function embeddedIPv4(addr: ipaddr.IPv6): ipaddr.IPv4 | null {
  const p = addr.parts;
  const range = addr.range();
  if (range === 'rfc6145') return v4FromParts(p[6] ?? 0, p[7] ?? 0);
  if (range === 'rfc6052' && addr.match(NAT64_WELL_KNOWN[0], NAT64_WELL_KNOWN[1])) {
    return v4FromParts(p[6] ?? 0, p[7] ?? 0);
  }
  if (range === '6to4') return v4FromParts(p[1] ?? 0, p[2] ?? 0);
  // ::a.b.c.d (ipaddr.js reports it as 'unicast'; '::' and '::1' have their own ranges).
  if (range === 'unicast' && p.slice(0, 6).every((part) => part === 0)) return v4FromParts(p[6] ?? 0, p[7] ?? 0);
  return null;
}

/** Judges one IP address (IPv4 or IPv6 literal, optionally bracketed) against the allow list. */
export function checkAddress(ip: string, allow: AllowList): AddressCheck {
  const addr = parseAddress(ip);
  if (addr === null) return { allowed: false, range: 'invalid', address: ip };
  if (allow.all || inAllowList(addr, allow)) {
    return { allowed: true, range: addr.range(), address: addr.toString() };
  }
  if (addr.kind() === 'ipv6') {
    const v4 = embeddedIPv4(addr as ipaddr.IPv6);
    if (v4 !== null) {
      const range = v4.range();
      return { allowed: range === 'unicast' || inAllowList(v4, allow), range, address: v4.toString() };
    }
  }
  const range = addr.range();
  return { allowed: range === 'unicast', range, address: addr.toString() };
}

/**
 * `true` if `ip` may be contacted: it is globally routable unicast, or inside the allow list.
 * Loopback, private, link-local (incl. 169.254.169.254), CGNAT, multicast, unspecified,
 * broadcast, reserved, unique-local (incl. fd00:ec2::254) and every other non-'unicast'
 * range are refused. IPv4-embedding IPv6 forms are judged by their IPv4 address.
 */
export function isAddressAllowed(ip: string, allow: AllowList): boolean {
  return checkAddress(ip, allow).allowed;
}

const RANGE_LABELS: Record<string, string> = {
  loopback: 'a loopback',
  private: 'a private',
  uniqueLocal: 'a private (unique-local)',
  linkLocal: 'a link-local',
  carrierGradeNat: 'a carrier-grade NAT',
  multicast: 'a multicast',
  unspecified: 'an unspecified',
  broadcast: 'a broadcast',
  reserved: 'a reserved',
  invalid: 'an invalid',
};

/** 'a private address (10.0.0.1)' — used to build human-readable refusal reasons. */
export function describeAddress(check: AddressCheck): string {
  const label = RANGE_LABELS[check.range] ?? 'a non-public';
  return `${label} address (${check.address})`;
}

/** `true` if the hostname is 'localhost' or a '*.localhost' name (RFC 6761), with or without a trailing dot. */
export function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

/** `true` if the allow list permits loopback targets (127.0.0.1 or ::1). */
export function allowsLoopback(allow: AllowList): boolean {
  return isAddressAllowed('127.0.0.1', allow) || isAddressAllowed('::1', allow);
}

/** Error raised by `guardedLookup` (and mapped to a `blocked` send result by the HTTP client). */
export class SsrfBlockedError extends Error {
  readonly code = 'EHOOKLINE_SSRF';
  readonly hostname: string;
  /** The refused address, or '' when the name itself was refused (localhost names). */
  readonly address: string;
  constructor(hostname: string, address: string, message: string) {
    super(message);
    this.name = 'SsrfBlockedError';
    this.hostname = hostname;
    this.address = address;
  }
}

export function isSsrfBlockedError(err: unknown): err is SsrfBlockedError {
  return err instanceof SsrfBlockedError || (typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'EHOOKLINE_SSRF');
}

/**
 * What a refusal of a hostname says to the tenant: that it is refused, never where the name points.
 * Naming the address (or its kind) would make the guard a DNS oracle for internal names.
 */
export const REFUSED_NAME = 'resolves to an address that is not allowed';

function blockedAddressError(hostname: string, check: AddressCheck): SsrfBlockedError {
  return new SsrfBlockedError(hostname, check.address, `Blocked: ${hostname} ${REFUSED_NAME}`);
}

/** The refused address of a blocked send, for the operator's log only (see REFUSED_NAME). */
export function refusalDetail(err: SsrfBlockedError): string {
  // Duck-typed errors (see isSsrfBlockedError) may lack the fields.
  if (typeof err.address !== 'string' || err.address === '') return `${String(err.hostname)}: ${err.message}`;
  return `${err.hostname} resolved to ${describeAddress(checkAddress(err.address, ALLOW_PUBLIC_ONLY))}`;
}

function blockedLocalhostError(hostname: string): SsrfBlockedError {
  return new SsrfBlockedError(hostname, '', `Blocked: ${hostname} is a localhost name and loopback targets are not allowed`);
}

/** Resolver used by `guardedLookup`: dns.lookup with `all: true`. Injectable for tests. */
export type LookupAllFunction = (
  hostname: string,
  options: dns.LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void,
) => void;

const defaultLookupAll: LookupAllFunction = (hostname, options, callback) => {
  dns.lookup(hostname, options, callback);
};

/**
 * A `lookup` for net/tls `connect` (and undici's `connect.lookup`) that resolves the hostname,
 * then fails with an `SsrfBlockedError` (code 'EHOOKLINE_SSRF') if ANY resolved address is
 * disallowed. Handles both `options.all === true` (Node's happy-eyeballs path) and `false`.
 * The addresses handed back are exactly the ones that were checked, so there is no rebinding window.
 */
export function guardedLookup(allow: AllowList, resolve: LookupAllFunction = defaultLookupAll): net.LookupFunction {
  return (hostname, options, callback) => {
    const wantAll = options.all === true;
    const fail = (err: NodeJS.ErrnoException): void => {
      callback(err, wantAll ? [] : '', undefined);
    };

    if (!allow.all && isLocalhostName(hostname) && !allowsLoopback(allow)) {
      const err = blockedLocalhostError(hostname);
      process.nextTick(() => fail(err));
      return;
    }

    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) {
        fail(err);
        return;
      }
      const first = addresses[0];
      if (first === undefined) {
        const notFound: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
        notFound.code = 'ENOTFOUND';
        fail(notFound);
        return;
      }
      for (const { address } of addresses) {
        const check = checkAddress(address, allow);
        if (!check.allowed) {
          fail(blockedAddressError(hostname, check));
          return;
        }
      }
      if (wantAll) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}

/** A refusal's `reason` is for the tenant; `logDetail`, when set, names what the host resolved to, for the operator's log. */
export type EndpointUrlCheck = { ok: true } | { ok: false; reason: string; logDetail?: string };

export type CheckEndpointUrlOptions = {
  /** Resolver returning all addresses (default: dns.promises.lookup(host, { all: true })). */
  lookup?: (hostname: string) => Promise<dns.LookupAddress[]>;
  /** Give up on DNS after this long and accept the URL (default 5000 ms). */
  dnsTimeoutMs?: number;
};

/**
 * API-time validation of an endpoint URL: http(s) only, a host, no credentials, and the host
 * (IP literal, or every address its name currently resolves to) must be allowed. A hostname that
 * does not resolve (yet) is accepted; the send-time `guardedLookup` still protects delivery.
 */
export async function checkEndpointUrl(url: string, allow: AllowList, options: CheckEndpointUrlOptions = {}): Promise<EndpointUrlCheck> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'URL is not a valid absolute URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, reason: `URL must use http or https, not ${parsed.protocol.replace(/:$/, '')}` };
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return { ok: false, reason: 'URL must not contain a username or password' };
  }
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  if (host === '') return { ok: false, reason: 'URL must have a host' };

  if (net.isIP(host) !== 0) {
    const check = checkAddress(host, allow);
    return check.allowed ? { ok: true } : { ok: false, reason: `URL points to ${describeAddress(check)}, which is not allowed` };
  }

  if (!allow.all && isLocalhostName(host) && !allowsLoopback(allow)) {
    return { ok: false, reason: `URL host ${host} is a loopback name, which is not allowed` };
  }

  const lookup = options.lookup ?? ((h: string) => dns.promises.lookup(h, { all: true }));
  let addresses: dns.LookupAddress[] | null;
  let timer: NodeJS.Timeout | undefined;
  try {
    addresses = await Promise.race([
      lookup(host),
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), options.dnsTimeoutMs ?? 5000);
      }),
    ]);
  } catch {
    // Does not resolve (yet): allowed at creation time, checked again at every delivery.
    return { ok: true };
  } finally {
    clearTimeout(timer);
  }
  if (addresses === null) return { ok: true };

  for (const { address } of addresses) {
    const check = checkAddress(address, allow);
    if (!check.allowed) {
      return { ok: false, reason: `URL host ${host} ${REFUSED_NAME}`, logDetail: `${host} resolves to ${describeAddress(check)}` };
    }
  }
  return { ok: true };
}
