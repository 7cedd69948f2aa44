import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  InvalidSecretError,
  WebhookVerificationError,
  generateAsymmetricKeyPair,
  generateSecret,
  parseSecret,
  publicKeyFromSecret,
  signPayload,
  signatureHeaders,
  verifyWebhook,
} from '../src/index.ts';
import { LruCache } from '../src/lru-cache.ts';

// Standard Webhooks / Svix reference vectors.
const VECTORS = [
  {
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    msgId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    timestamp: 1614265330,
    payload: '{"test": 2432232314}',
    signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  },
  {
    secret: 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD',
    msgId: 'msg_27UH4WbU6Z5A5EzD8u03UvzRbpk',
    timestamp: 1649367553,
    payload: '{"email":"test@example.com","username":"test_user"}',
    signature: 'v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=',
  },
] as const;

// RFC 8032 §7.1 test 1 key pair.
const RFC8032_SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const RFC8032_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';

const SECRET = VECTORS[0].secret;
const PAYLOAD = '{"type":"invoice.paid","data":{"id":"inv_1","amount":4200}}';
const NOW = 1_700_000_000;

function headersFor(secrets: string[], payload = PAYLOAD, timestamp = NOW, msgId = 'msg_test1') {
  return signatureHeaders({ secrets, msgId, timestamp, payload });
}

function verificationError(fn: () => unknown): WebhookVerificationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookVerificationError);
    return error as WebhookVerificationError;
  }
  throw new Error('expected a WebhookVerificationError, nothing was thrown');
}

function b64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

describe('Standard Webhooks test vectors', () => {
  for (const v of VECTORS) {
    it(`signs ${v.msgId} exactly`, () => {
      expect(signPayload({ secrets: [v.secret], msgId: v.msgId, timestamp: v.timestamp, payload: v.payload })).toBe(v.signature);
    });

    it(`verifies ${v.msgId}`, () => {
      const headers = { 'webhook-id': v.msgId, 'webhook-timestamp': String(v.timestamp), 'webhook-signature': v.signature };
      expect(verifyWebhook(v.payload, headers, v.secret, { now: v.timestamp })).toEqual(JSON.parse(v.payload));
    });

    it(`gives the same result for the bare base64 form of ${v.msgId}'s secret`, () => {
      const bare = v.secret.slice('whsec_'.length);
      expect(signPayload({ secrets: [bare], msgId: v.msgId, timestamp: v.timestamp, payload: v.payload })).toBe(v.signature);
    });
  }
});

describe('interop with the standardwebhooks npm package', () => {
  it('their verify accepts our signature (including a header that also carries v1a)', () => {
    const now = Math.floor(Date.now() / 1000);
    const { secret: whsk } = generateAsymmetricKeyPair();
    const headers = signatureHeaders({ secrets: [whsk, SECRET], msgId: 'msg_interop', timestamp: now, payload: PAYLOAD });
    expect(headers['webhook-signature']).toMatch(/^v1a,\S+ v1,\S+$/);
    expect(new Webhook(SECRET).verify(PAYLOAD, headers)).toEqual(JSON.parse(PAYLOAD));
  });

  it('their verify rejects our signature made with another secret', () => {
    const headers = signatureHeaders({ secrets: [generateSecret()], msgId: 'msg_interop', payload: PAYLOAD });
    expect(() => new Webhook(SECRET).verify(PAYLOAD, headers)).toThrow('No matching signature found');
  });

  it('we verify their signature', () => {
    const secret = generateSecret();
    const now = Math.floor(Date.now() / 1000);
    const signature = new Webhook(secret).sign('msg_theirs', new Date(now * 1000), PAYLOAD);
    const headers = { 'webhook-id': 'msg_theirs', 'webhook-timestamp': String(now), 'webhook-signature': signature };
    expect(verifyWebhook(PAYLOAD, headers, secret)).toEqual(JSON.parse(PAYLOAD));
    expect(() => verifyWebhook(PAYLOAD, headers, generateSecret())).toThrow('No matching signature found');
  });

  it('produces byte-identical v1 signatures for the vectors', () => {
    for (const v of VECTORS) {
      const theirs = new Webhook(v.secret).sign(v.msgId, new Date(v.timestamp * 1000), v.payload);
      expect(signPayload({ secrets: [v.secret], msgId: v.msgId, timestamp: v.timestamp, payload: v.payload })).toBe(theirs);
    }
  });
});

describe('signPayload', () => {
  it('emits one signature per secret, in order, space-separated', () => {
    const other = VECTORS[1].secret;
    const { secret: whsk } = generateAsymmetricKeyPair();
    const header = signPayload({ secrets: [other, whsk, SECRET], msgId: 'msg_a', timestamp: NOW, payload: PAYLOAD });
    const parts = header.split(' ');
    expect(parts).toHaveLength(3);
    expect(parts[0]).toBe(signPayload({ secrets: [other], msgId: 'msg_a', timestamp: NOW, payload: PAYLOAD }));
    expect(parts[1]).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
    expect(parts[2]).toBe(signPayload({ secrets: SECRET, msgId: 'msg_a', timestamp: NOW, payload: PAYLOAD }));
  });

  it('rejects bad input instead of signing garbage', () => {
    const base = { secrets: [SECRET], msgId: 'msg_a', timestamp: NOW, payload: PAYLOAD };
    expect(() => signPayload({ ...base, secrets: [] })).toThrow(InvalidSecretError);
    expect(() => signPayload({ ...base, secrets: ['whsec_nope'] })).toThrow(InvalidSecretError);
    expect(() => signPayload({ ...base, secrets: [generateAsymmetricKeyPair().publicKey] })).toThrow(/whpk_/);
    expect(() => signPayload({ ...base, timestamp: Date.now() })).toThrow(/milliseconds/);
    expect(() => signPayload({ ...base, timestamp: 1.5 })).toThrow(RangeError);
    expect(() => signPayload({ ...base, msgId: 'msg.a' })).toThrow(TypeError);
    expect(() => signPayload({ ...base, msgId: '' })).toThrow(TypeError);
  });

  it('signatureHeaders defaults the timestamp to now, in seconds', () => {
    const before = Math.floor(Date.now() / 1000);
    const headers = signatureHeaders({ secrets: [SECRET], msgId: 'msg_now', payload: PAYLOAD });
    const after = Math.floor(Date.now() / 1000);
    const ts = Number(headers['webhook-timestamp']);
    expect(ts).toBeGreaterThanOrEqual(before);
    expect(ts).toBeLessThanOrEqual(after);
    expect(headers['webhook-id']).toBe('msg_now');
    expect(headers['webhook-signature']).toBe(signPayload({ secrets: [SECRET], msgId: 'msg_now', timestamp: ts, payload: PAYLOAD }));
  });
});

describe('verifyWebhook', () => {
  const ok = { now: NOW };

  it('returns the parsed payload, and undefined for an empty body', () => {
    expect(verifyWebhook(PAYLOAD, headersFor([SECRET]), SECRET, ok)).toEqual({
      type: 'invoice.paid',
      data: { id: 'inv_1', amount: 4200 },
    });
    expect(verifyWebhook('', headersFor([SECRET], ''), SECRET, ok)).toBeUndefined();
  });

  it('accepts a Buffer/Uint8Array body, including non-ASCII bytes', () => {
    const body = '{"name":"Zoë ✓"}';
    const headers = headersFor([SECRET], body);
    expect(verifyWebhook(Buffer.from(body), headers, SECRET, ok)).toEqual({ name: 'Zoë ✓' });
    expect(verifyWebhook(new TextEncoder().encode(body), headers, SECRET, ok)).toEqual({ name: 'Zoë ✓' });
  });

  it('supports key rotation: two signatures verify with either key', () => {
    const oldSecret = SECRET;
    const newSecret = generateSecret();
    const headers = headersFor([newSecret, oldSecret]);
    expect(verifyWebhook(PAYLOAD, headers, oldSecret, ok)).toEqual(JSON.parse(PAYLOAD));
    expect(verifyWebhook(PAYLOAD, headers, newSecret, ok)).toEqual(JSON.parse(PAYLOAD));
    expect(verifyWebhook(PAYLOAD, headersFor([oldSecret]), [newSecret, oldSecret], ok)).toEqual(JSON.parse(PAYLOAD));
    expect(verificationError(() => verifyWebhook(PAYLOAD, headers, generateSecret(), ok)).message).toBe('No matching signature found');
  });

  it('v1a: round-trips with a generated key pair, via whpk_ or whsk_', () => {
    const { secret, publicKey } = generateAsymmetricKeyPair();
    const headers = headersFor([secret]);
    expect(headers['webhook-signature']).toMatch(/^v1a,/);
    expect(verifyWebhook(PAYLOAD, headers, publicKey, ok)).toEqual(JSON.parse(PAYLOAD));
    expect(verifyWebhook(PAYLOAD, headers, secret, ok)).toEqual(JSON.parse(PAYLOAD));
    expect(verifyWebhook(PAYLOAD, headers, [SECRET, publicKey], ok)).toEqual(JSON.parse(PAYLOAD));
  });

  it('v1a: rejects another key pair, a symmetric secret, and a tampered payload', () => {
    const { secret } = generateAsymmetricKeyPair();
    const headers = headersFor([secret]);
    expect(() => verifyWebhook(PAYLOAD, headers, generateAsymmetricKeyPair().publicKey, ok)).toThrow('No matching signature found');
    expect(() => verifyWebhook(PAYLOAD, headers, SECRET, ok)).toThrow('No matching signature found');
    expect(() => verifyWebhook(PAYLOAD.replace('4200', '4201'), headers, publicKeyFromSecret(secret), ok)).toThrow('No matching signature found');
  });

  it('v1a: signatures are plain ed25519 over `${id}.${timestamp}.${payload}` with the whpk_ bytes as public key', () => {
    const { secret, publicKey } = generateAsymmetricKeyPair();
    const header = signPayload({ secrets: [secret], msgId: 'msg_x', timestamp: NOW, payload: PAYLOAD });
    const signature = Buffer.from(header.slice('v1a,'.length), 'base64');
    const raw = Buffer.from(publicKey.slice('whpk_'.length), 'base64');
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
    expect(cryptoVerify(null, Buffer.from(`msg_x.${NOW}.${PAYLOAD}`), key, signature)).toBe(true);
    expect(cryptoVerify(null, Buffer.from(`msg_x.${NOW + 1}.${PAYLOAD}`), key, signature)).toBe(false);
  });

  it('rejects a tampered payload, id or timestamp, and a wrong secret', () => {
    const headers = headersFor([SECRET]);
    const noMatch = 'No matching signature found';
    expect(verificationError(() => verifyWebhook(`${PAYLOAD} `, headers, SECRET, ok)).message).toBe(noMatch);
    expect(verificationError(() => verifyWebhook(PAYLOAD, { ...headers, 'webhook-id': 'msg_test2' }, SECRET, ok)).message).toBe(noMatch);
    expect(verificationError(() => verifyWebhook(PAYLOAD, { ...headers, 'webhook-timestamp': String(NOW + 1) }, SECRET, ok)).message).toBe(noMatch);
    expect(verificationError(() => verifyWebhook(PAYLOAD, headers, VECTORS[1].secret, ok)).message).toBe(noMatch);
  });

  it('enforces the timestamp tolerance in both directions', () => {
    const old = headersFor([SECRET], PAYLOAD, NOW - 301);
    const future = headersFor([SECRET], PAYLOAD, NOW + 301);
    expect(verificationError(() => verifyWebhook(PAYLOAD, old, SECRET, ok)).message).toBe('Message timestamp too old');
    expect(verificationError(() => verifyWebhook(PAYLOAD, future, SECRET, ok)).message).toBe('Message timestamp too new');
    // Exactly at the edge is still accepted.
    expect(verifyWebhook(PAYLOAD, headersFor([SECRET], PAYLOAD, NOW - 300), SECRET, ok)).toEqual(JSON.parse(PAYLOAD));
    expect(verifyWebhook(PAYLOAD, headersFor([SECRET], PAYLOAD, NOW + 300), SECRET, ok)).toEqual(JSON.parse(PAYLOAD));
    // A custom tolerance widens or narrows the window.
    expect(verifyWebhook(PAYLOAD, old, SECRET, { now: NOW, toleranceSeconds: 600 })).toEqual(JSON.parse(PAYLOAD));
    expect(() => verifyWebhook(PAYLOAD, headersFor([SECRET], PAYLOAD, NOW - 11), SECRET, { now: NOW, toleranceSeconds: 10 })).toThrow('Message timestamp too old');
  });

  it('defaults `now` to the current clock', () => {
    const stale = headersFor([SECRET], PAYLOAD, NOW);
    expect(() => verifyWebhook(PAYLOAD, stale, SECRET)).toThrow('Message timestamp too old');
    const fresh = signatureHeaders({ secrets: [SECRET], msgId: 'msg_fresh', payload: PAYLOAD });
    expect(verifyWebhook(PAYLOAD, fresh, SECRET)).toEqual(JSON.parse(PAYLOAD));
  });

  it('rejects missing headers', () => {
    const headers = headersFor([SECRET]);
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const) {
      const partial: Record<string, string> = { ...headers };
      delete partial[name];
      expect(verificationError(() => verifyWebhook(PAYLOAD, partial, SECRET, ok)).message).toBe('Missing required headers');
    }
    expect(verificationError(() => verifyWebhook(PAYLOAD, {}, SECRET, ok)).message).toBe('Missing required headers');
    expect(verificationError(() => verifyWebhook(PAYLOAD, { ...headers, 'webhook-id': '' }, SECRET, ok)).message).toBe('Missing required headers');
  });

  it('rejects malformed signature and timestamp headers', () => {
    const headers = headersFor([SECRET]);
    const good = headers['webhook-signature'];
    const value = good.slice('v1,'.length);
    for (const signature of ['garbage', 'v1,', 'v1', ',', value, `v2,${value}`, 'v1,!!!!', `v1a,${value}`, `v1,${value}x`, `v1,${value.slice(1)}`]) {
      expect(verificationError(() => verifyWebhook(PAYLOAD, { ...headers, 'webhook-signature': signature }, SECRET, ok)).message).toBe('No matching signature found');
    }
    for (const timestamp of ['abc', '-5', `${NOW}.5`, `${NOW}abc`, ' ']) {
      expect(verificationError(() => verifyWebhook(PAYLOAD, { ...headers, 'webhook-timestamp': timestamp }, SECRET, ok)).message).toMatch(/^Invalid signature headers/);
    }
    // Unknown versions and junk next to a valid signature are skipped, not fatal.
    expect(verifyWebhook(PAYLOAD, { ...headers, 'webhook-signature': `v2,abc garbage ${good}` }, SECRET, ok)).toEqual(JSON.parse(PAYLOAD));
  });

  it('accepts svix-* aliases, any header case, fetch Headers, and array values', () => {
    const h = headersFor([SECRET]);
    const svix = { 'svix-id': h['webhook-id'], 'svix-timestamp': h['webhook-timestamp'], 'svix-signature': h['webhook-signature'] };
    expect(verifyWebhook(PAYLOAD, svix, SECRET, ok)).toEqual(JSON.parse(PAYLOAD));
    const upper = { 'Webhook-Id': h['webhook-id'], 'WEBHOOK-TIMESTAMP': h['webhook-timestamp'], 'Webhook-Signature': h['webhook-signature'] };
    expect(verifyWebhook(PAYLOAD, upper, SECRET, ok)).toEqual(JSON.parse(PAYLOAD));
    expect(verifyWebhook(PAYLOAD, new Headers(h), SECRET, ok)).toEqual(JSON.parse(PAYLOAD));
    expect(verifyWebhook(PAYLOAD, new Headers(svix), SECRET, ok)).toEqual(JSON.parse(PAYLOAD));
    const split = { ...h, 'webhook-signature': ['v1,bm9wZQ==', h['webhook-signature']] };
    expect(verifyWebhook(PAYLOAD, split, SECRET, ok)).toEqual(JSON.parse(PAYLOAD));
    expect(() => verifyWebhook(PAYLOAD, { ...h, 'webhook-id': ['msg_test1', 'msg_other'] }, SECRET, ok)).toThrow(WebhookVerificationError);
  });

  it('reports misconfigured secrets as InvalidSecretError, not as a bad request', () => {
    const headers = headersFor([SECRET]);
    expect(() => verifyWebhook(PAYLOAD, headers, 'whsec_', ok)).toThrow(InvalidSecretError);
    expect(() => verifyWebhook(PAYLOAD, headers, 'whpk_AAAA', ok)).toThrow(InvalidSecretError);
    expect(() => verifyWebhook(PAYLOAD, headers, [], ok)).toThrow(InvalidSecretError);
    expect(() => verifyWebhook(PAYLOAD, {}, 'not base64!', ok)).toThrow(InvalidSecretError);
  });

  it('rejects a correctly signed body that is not JSON', () => {
    expect(verificationError(() => verifyWebhook('not json', headersFor([SECRET], 'not json'), SECRET, ok)).message).toMatch(/not valid JSON/);
  });
});

describe('secrets', () => {
  it('generateSecret: whsec_ + base64 of 24 random bytes', () => {
    const a = generateSecret();
    const b = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(parseSecret(a)).toHaveLength(24);
    expect(a).not.toBe(b);
  });

  it('parseSecret decodes whsec_ and bare base64 to the same bytes', () => {
    const key = parseSecret(SECRET);
    expect(key.toString('base64')).toBe(SECRET.slice('whsec_'.length));
    expect(parseSecret(SECRET.slice('whsec_'.length)).equals(key)).toBe(true);
    expect(parseSecret(`whsec_${Buffer.alloc(64, 7).toString('base64')}`)).toHaveLength(64);
  });

  it('parseSecret rejects garbage with InvalidSecretError', () => {
    const bad = [
      '',
      'whsec_',
      'whsec_!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS', // truncated: not a valid base64 length
      'whsec_ MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLa-_', // base64url alphabet
      `whsec_${Buffer.alloc(16, 1).toString('base64')}`, // too short
      `whsec_${Buffer.alloc(23, 1).toString('base64')}`, // too short
      `whsec_${Buffer.alloc(65, 1).toString('base64')}`, // too long
      generateAsymmetricKeyPair().secret,
      generateAsymmetricKeyPair().publicKey,
    ];
    for (const secret of bad) {
      expect(() => parseSecret(secret), secret).toThrow(InvalidSecretError);
    }
    expect(() => parseSecret(`whsec_${Buffer.alloc(16, 1).toString('base64')}`)).toThrow('got 16');
  });

  it('generateAsymmetricKeyPair: whsk_ = seed || public key, whpk_ = public key', () => {
    const { secret, publicKey } = generateAsymmetricKeyPair();
    expect(secret).toMatch(/^whsk_[A-Za-z0-9+/]{86}==$/);
    expect(publicKey).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
    const sk = Buffer.from(secret.slice('whsk_'.length), 'base64');
    expect(sk.subarray(32).toString('base64')).toBe(publicKey.slice('whpk_'.length));
    expect(publicKeyFromSecret(secret)).toBe(publicKey);
    expect(generateAsymmetricKeyPair().secret).not.toBe(secret);
  });

  it('publicKeyFromSecret derives the RFC 8032 public key from its seed', () => {
    const whsk = `whsk_${b64(RFC8032_SEED + RFC8032_PUBLIC)}`;
    expect(publicKeyFromSecret(whsk)).toBe(`whpk_${b64(RFC8032_PUBLIC)}`);
  });

  it('rejects corrupt asymmetric keys', () => {
    const wrongHalf = `whsk_${b64(RFC8032_SEED + RFC8032_SEED)}`;
    expect(() => publicKeyFromSecret(wrongHalf)).toThrow(/does not match/);
    expect(() => publicKeyFromSecret(`whsk_${b64(RFC8032_SEED)}`)).toThrow(InvalidSecretError);
    expect(() => publicKeyFromSecret(SECRET)).toThrow(InvalidSecretError);
    expect(() => verifyWebhook(PAYLOAD, headersFor([SECRET]), `whpk_${b64(RFC8032_PUBLIC)}AA`, { now: NOW })).toThrow(InvalidSecretError);
  });
});

describe('LruCache', () => {
  it('evicts the least recently used entry at capacity', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now most recent
    cache.set('c', 3);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
  });
});
