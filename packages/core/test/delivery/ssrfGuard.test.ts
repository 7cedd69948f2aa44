import { describe, it, expect } from 'vitest';
import type dns from 'node:dns';
import { ALLOW_PUBLIC_ONLY, checkAddress, checkEndpointUrl, guardedLookup, isAddressAllowed, isLocalhostName, parseAllowList } from '../../src/delivery/ssrfGuard.ts';
import type { LookupAllFunction } from '../../src/delivery/ssrfGuard.ts';

type LookupOutcome = { err: NodeJS.ErrnoException | null; address: string | dns.LookupAddress[]; family?: number };

function runLookup(lookup: ReturnType<typeof guardedLookup>, hostname: string, options: dns.LookupOptions): Promise<LookupOutcome> {
  return new Promise((resolve) => {
    lookup(hostname, options, (err, address, family) => resolve({ err, address, family }));
  });
}

function fakeResolver(addresses: string[]): LookupAllFunction {
  return (_hostname, _options, callback) => {
    setImmediate(() =>
      callback(
        null,
        addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
      ),
    );
  };
}

describe('isAddressAllowed (public only)', () => {
  const table: Array<[string, boolean, string]> = [
    ['127.0.0.1', false, 'loopback'],
    ['127.255.255.254', false, 'loopback'],
    ['::1', false, 'loopback'],
    ['::ffff:127.0.0.1', false, 'loopback'],
    ['::ffff:7f00:1', false, 'loopback'],
    ['::ffff:0:7f00:1', false, 'loopback'], // SIIT (rfc6145) embedding
    ['64:ff9b::a00:1', false, 'private'], // NAT64 embedding of 10.0.0.1
    ['2002:a9fe:a9fe::', false, 'linkLocal'], // 6to4 embedding of 169.254.169.254
    ['::7f00:1', false, 'loopback'], // deprecated IPv4-compatible form
    ['10.1.2.3', false, 'private'],
    ['172.16.0.1', false, 'private'],
    ['172.31.255.255', false, 'private'],
    ['192.168.1.1', false, 'private'],
    ['169.254.169.254', false, 'linkLocal'],
    ['100.64.0.1', false, 'carrierGradeNat'],
    ['0.0.0.0', false, 'unspecified'],
    ['::', false, 'unspecified'],
    ['255.255.255.255', false, 'broadcast'],
    ['240.0.0.1', false, 'reserved'],
    ['fe80::1', false, 'linkLocal'],
    ['fc00::1', false, 'uniqueLocal'],
    ['fd00:ec2::254', false, 'uniqueLocal'],
    ['224.0.0.1', false, 'multicast'],
    ['ff02::1', false, 'multicast'],
    ['2001::1', false, 'teredo'],
    ['not-an-ip', false, 'invalid'],
    ['8.8.8.8', true, 'unicast'],
    ['172.32.0.1', true, 'unicast'],
    ['::ffff:8.8.8.8', true, 'unicast'],
    ['64:ff9b::808:808', true, 'unicast'],
    ['2606:4700::1111', true, 'unicast'],
    ['[2606:4700::1111]', true, 'unicast'],
  ];

  it.each(table)('%s → allowed=%s (%s)', (ip, allowed, range) => {
    expect(isAddressAllowed(ip, ALLOW_PUBLIC_ONLY)).toBe(allowed);
    expect(checkAddress(ip, ALLOW_PUBLIC_ONLY).range).toBe(range);
  });

  it('reports the unwrapped IPv4 address for IPv4-mapped IPv6', () => {
    expect(checkAddress('::ffff:7f00:1', ALLOW_PUBLIC_ONLY)).toEqual({
      allowed: false,
      range: 'loopback',
      address: '127.0.0.1',
    });
  });
});

describe('parseAllowList', () => {
  it('treats unset, empty and false as public only', () => {
    for (const value of [undefined, '', '  ', 'false', 'FALSE']) {
      const allow = parseAllowList(value);
      expect(allow.all).toBe(false);
      expect(allow.ranges).toHaveLength(0);
      expect(isAddressAllowed('127.0.0.1', allow)).toBe(false);
    }
  });

  it("'true' allows everything", () => {
    const allow = parseAllowList('true');
    for (const ip of ['127.0.0.1', '::1', '10.0.0.1', '169.254.169.254', '8.8.8.8']) {
      expect(isAddressAllowed(ip, allow)).toBe(true);
    }
  });

  it("'127.0.0.0/8' permits loopback but nothing else private", () => {
    const allow = parseAllowList('127.0.0.0/8');
    expect(isAddressAllowed('127.0.0.1', allow)).toBe(true);
    expect(isAddressAllowed('::ffff:127.0.0.1', allow)).toBe(true);
    expect(isAddressAllowed('10.0.0.1', allow)).toBe(false);
    expect(isAddressAllowed('::1', allow)).toBe(false);
    expect(isAddressAllowed('8.8.8.8', allow)).toBe(true);
  });

  it('accepts a mixed list of CIDRs and single IPs (IPv4 and IPv6)', () => {
    const allow = parseAllowList(' 10.0.0.0/8, 192.168.1.5 ,::1, fd00::/8,');
    expect(allow.ranges).toHaveLength(4);
    expect(isAddressAllowed('10.200.0.1', allow)).toBe(true);
    expect(isAddressAllowed('192.168.1.5', allow)).toBe(true);
    expect(isAddressAllowed('192.168.1.6', allow)).toBe(false);
    expect(isAddressAllowed('::1', allow)).toBe(true);
    expect(isAddressAllowed('fd12::1', allow)).toBe(true);
    expect(isAddressAllowed('fc00::1', allow)).toBe(false);
  });

  it('stores IPv4-mapped IPv6 networks as IPv4', () => {
    const allow = parseAllowList('::ffff:10.0.0.0/104');
    expect(isAddressAllowed('10.1.2.3', allow)).toBe(true);
    expect(isAddressAllowed('::ffff:10.1.2.3', allow)).toBe(true);
  });

  it('throws an error naming the bad entry', () => {
    expect(() => parseAllowList('10.0.0.0/8,10.0.0.0/33')).toThrow(/"10\.0\.0\.0\/33"/);
    expect(() => parseAllowList('banana')).toThrow(/HOOKLINE_ALLOW_PRIVATE_TARGETS entry "banana"/);
    expect(() => parseAllowList('10/8')).toThrow(/"10\/8"/);
    expect(() => parseAllowList('::1/129')).toThrow(/"::1\/129"/);
    expect(() => parseAllowList('10.0.0.1/')).toThrow(/"10\.0\.0\.1\/"/);
  });
});

describe('isLocalhostName', () => {
  it('matches localhost and *.localhost only', () => {
    expect(isLocalhostName('localhost')).toBe(true);
    expect(isLocalhostName('LOCALHOST.')).toBe(true);
    expect(isLocalhostName('api.localhost')).toBe(true);
    expect(isLocalhostName('localhost.example.com')).toBe(false);
    expect(isLocalhostName('notlocalhost')).toBe(false);
  });
});

describe('checkEndpointUrl', () => {
  const noDns = { lookup: (): Promise<dns.LookupAddress[]> => Promise.reject(new Error('no DNS in this test')) };

  it.each([
    ['http://127.0.0.1:9/x', /loopback address \(127\.0\.0\.1\)/],
    ['http://[::1]/', /loopback address \(::1\)/],
    ['http://[::ffff:7f00:1]/', /loopback address \(127\.0\.0\.1\)/],
    ['http://2130706433/', /loopback address \(127\.0\.0\.1\)/], // WHATWG URL normalizes to 127.0.0.1
    ['http://169.254.169.254/latest/meta-data', /link-local address/],
    ['http://10.0.0.1/', /^URL points to a private address \(10\.0\.0\.1\), which is not allowed$/],
    ['http://localhost/', /loopback name/],
    ['http://api.localhost:3000/', /loopback name/],
    ['ftp://x', /http or https/],
    ['http://user:pw@example.com/', /username or password/],
    ['not a url', /not a valid/],
  ])('refuses %s', async (url, reason) => {
    const result = await checkEndpointUrl(url, ALLOW_PUBLIC_ONLY, noDns);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('accepts public IP literals', async () => {
    expect(await checkEndpointUrl('https://8.8.8.8/hook', ALLOW_PUBLIC_ONLY, noDns)).toEqual({ ok: true });
    expect(await checkEndpointUrl('https://[2606:4700::1111]/', ALLOW_PUBLIC_ONLY, noDns)).toEqual({ ok: true });
  });

  it('refuses a hostname if ANY resolved address is disallowed', async () => {
    const lookup = async (): Promise<dns.LookupAddress[]> => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.1', family: 4 },
    ];
    const result = await checkEndpointUrl('https://hooks.example.com/', ALLOW_PUBLIC_ONLY, { lookup });
    expect(result).toEqual({
      ok: false,
      // The tenant is told it is refused, not where the name points (a DNS oracle); the log is told.
      reason: 'URL host hooks.example.com resolves to an address that is not allowed',
      logDetail: 'hooks.example.com resolves to a private address (10.0.0.1)',
    });
  });

  it('accepts a hostname resolving only to public addresses', async () => {
    const lookup = async (): Promise<dns.LookupAddress[]> => [{ address: '93.184.216.34', family: 4 }];
    expect(await checkEndpointUrl('https://hooks.example.com/', ALLOW_PUBLIC_ONLY, { lookup })).toEqual({ ok: true });
  });

  it('accepts a hostname that does not resolve (yet) or whose lookup is slow', async () => {
    const notFound = async (): Promise<dns.LookupAddress[]> => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    expect(await checkEndpointUrl('https://not-yet.example.com/', ALLOW_PUBLIC_ONLY, { lookup: notFound })).toEqual({
      ok: true,
    });
    const hang = (): Promise<dns.LookupAddress[]> => new Promise(() => {});
    expect(await checkEndpointUrl('https://slow.example.com/', ALLOW_PUBLIC_ONLY, { lookup: hang, dnsTimeoutMs: 50 })).toEqual({ ok: true });
  });

  it('uses real DNS: localhost is refused by name, and by address when only ::1 is allowed', async () => {
    expect((await checkEndpointUrl('http://localhost:8080/', ALLOW_PUBLIC_ONLY)).ok).toBe(false);
    // ::1 allowed → the name check passes, but localhost resolves to 127.0.0.1 here.
    const v6Only = parseAllowList('::1/128');
    const result = await checkEndpointUrl('http://localhost:8080/', v6Only);
    expect(result).toEqual({
      ok: false,
      reason: 'URL host localhost resolves to an address that is not allowed',
      logDetail: 'localhost resolves to a loopback address (127.0.0.1)',
    });
  });

  it('allows private targets that are in the allow list', async () => {
    expect(await checkEndpointUrl('http://127.0.0.1:9/x', parseAllowList('127.0.0.0/8'), noDns)).toEqual({ ok: true });
    expect(await checkEndpointUrl('http://localhost/', parseAllowList('true'), noDns)).toEqual({ ok: true });
  });
});

describe('guardedLookup', () => {
  it("refuses 'localhost' when loopback is not allowed (all=false and all=true)", async () => {
    const lookup = guardedLookup(ALLOW_PUBLIC_ONLY);
    for (const all of [false, true]) {
      const { err } = await runLookup(lookup, 'localhost', { all });
      expect(err).toMatchObject({ code: 'EHOOKLINE_SSRF' });
      expect(err?.message).toMatch(/^Blocked: localhost/);
    }
  });

  it("refuses 'localhost' by its resolved address when only ::1 is allowed (real DNS)", async () => {
    const lookup = guardedLookup(parseAllowList('::1/128'));
    for (const all of [false, true]) {
      const { err } = await runLookup(lookup, 'localhost', { all, family: 4 });
      expect(err).toMatchObject({ code: 'EHOOKLINE_SSRF', address: '127.0.0.1' });
      expect(err?.message).toBe('Blocked: localhost resolves to an address that is not allowed');
    }
  });

  it("resolves 'localhost' normally when loopback is allowed", async () => {
    const lookup = guardedLookup(parseAllowList('true'));
    const one = await runLookup(lookup, 'localhost', { family: 4 });
    expect(one).toEqual({ err: null, address: '127.0.0.1', family: 4 });
    const all = await runLookup(lookup, 'localhost', { all: true, family: 4 });
    expect(all.err).toBeNull();
    expect(all.address).toEqual([{ address: '127.0.0.1', family: 4 }]);
  });

  it('refuses when any resolved address is disallowed (DNS rebinding / mixed answers)', async () => {
    const lookup = guardedLookup(ALLOW_PUBLIC_ONLY, fakeResolver(['93.184.216.34', '169.254.169.254']));
    for (const all of [false, true]) {
      const { err } = await runLookup(lookup, 'evil.example', { all });
      expect(err).toMatchObject({ code: 'EHOOKLINE_SSRF', hostname: 'evil.example', address: '169.254.169.254' });
    }
  });

  it('returns exactly the checked addresses for a public name', async () => {
    const lookup = guardedLookup(ALLOW_PUBLIC_ONLY, fakeResolver(['93.184.216.34', '2606:2800:220:1::1']));
    expect(await runLookup(lookup, 'ok.example', {})).toEqual({ err: null, address: '93.184.216.34', family: 4 });
    const all = await runLookup(lookup, 'ok.example', { all: true });
    expect(all.address).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1::1', family: 6 },
    ]);
  });

  it('passes DNS errors through unchanged', async () => {
    const failing: LookupAllFunction = (hostname, _options, callback) => {
      const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
      err.code = 'ENOTFOUND';
      setImmediate(() => callback(err, []));
    };
    const { err } = await runLookup(guardedLookup(ALLOW_PUBLIC_ONLY, failing), 'nope.example', { all: true });
    expect(err?.code).toBe('ENOTFOUND');
  });
});
