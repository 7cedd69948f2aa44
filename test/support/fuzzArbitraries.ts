import fc from 'fast-check';

/**
 * fast-check generators of hostile HTTP input for the route fuzzer (test/integration/fuzz*.test.ts):
 * values that follow the API's own JSON Schemas (from /openapi.json, so every route's contract drives
 * them), and the bodies, query strings, path segments and headers a careless or hostile client sends.
 */

export type JsonSchema = Record<string, unknown>;

/** Resolves `#/components/schemas/X` references against the OpenAPI document. */
export type Resolve = (ref: string) => JsonSchema;

const MAX_DEPTH = 4;

/** Nesting `depth` levels deep: objects or arrays, as JSON text (cheap at any depth). */
export function deepJsonText(depth: number, kind: 'object' | 'array'): string {
  return kind === 'object' ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

/** URLs that never need DNS: IP literals, some allowed (loopback in tests), some refused. */
const urlArb = fc
  .tuple(
    fc.constantFrom('http', 'https'),
    fc.constantFrom('127.0.0.1:9', '[::1]:9', '203.0.113.7', '10.0.0.1', '169.254.169.254', '[::ffff:127.0.0.1]', '0.0.0.0'),
    fc.string({ unit: 'grapheme-ascii', maxLength: 20 }).map(encodeURIComponent),
  )
  .map(([scheme, host, path]) => `${scheme}://${host}/${path}`);

/** Times, some at the edges of what ids, JavaScript and PostgreSQL can represent. */
const dateArb = fc.oneof(
  fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(
    '0000-01-01T00:00:00Z',
    '0001-01-01T00:00:00Z',
    '1969-12-31T23:59:59.999Z',
    '2014-05-13T16:53:19Z',
    '2150-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '2024-01-01T00:00:00+23:59',
  ),
);

/** Strings the schemas allow but storage or encoding may not: NUL, lone surrogates, odd unicode. */
const AWKWARD_STRINGS = ['\u0000', 'a\u0000b', '\ud800', 'a\udfffb', '\udbff\udbff', 'e\u0301', '\u{1F600}', '\ufeff', '\u202e', '\\', '"', "'", '%00', '${x}'];

function stringArb(s: JsonSchema): fc.Arbitrary<string> {
  if (s.format === 'date-time') return dateArb;
  if (s.format === 'uri') return urlArb;
  return fc.oneof({ arbitrary: plainStringArb(s), weight: 4 }, fc.constantFrom(...AWKWARD_STRINGS));
}

function plainStringArb(s: JsonSchema): fc.Arbitrary<string> {
  const maxLength = Math.min(typeof s.maxLength === 'number' ? s.maxLength : 40, 64);
  const minLength = Math.min(typeof s.minLength === 'number' ? s.minLength : 0, maxLength);
  if (typeof s.pattern === 'string') {
    try {
      return fc.stringMatching(new RegExp(s.pattern), { size: 'xsmall' });
    } catch {
      // A pattern fast-check cannot generate from: any string, which the API mostly refuses.
    }
  }
  return fc.string({ unit: 'grapheme', minLength, maxLength });
}

/**
 * Values for a JSON Schema as zod emits it (type, enum, anyOf, properties, items, bounds,
 * pattern, format): mostly valid ones, so requests get past parsing into the domain code.
 */
export function fromSchema(s: JsonSchema, resolve: Resolve, depth = 0): fc.Arbitrary<unknown> {
  if (depth > MAX_DEPTH) return fc.constant(null);
  if (typeof s.$ref === 'string') return fromSchema(resolve(s.$ref), resolve, depth);
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const alternatives = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((a) => fromSchema(a, resolve, depth + 1)));
  if (Array.isArray(s.allOf) && s.allOf.length > 0) return fromSchema(s.allOf[0] as JsonSchema, resolve, depth + 1);
  if (Array.isArray(s.type)) return fc.oneof(...(s.type as string[]).map((type) => fromSchema({ ...s, type }, resolve, depth)));
  const num = (key: string, fallback: number) => (typeof s[key] === 'number' ? s[key] : fallback);
  switch (s.type) {
    case 'string':
      return stringArb(s);
    case 'integer':
      return fc.integer({ min: Math.max(num('minimum', -1e6), -(2 ** 31)), max: Math.min(num('maximum', 1e6), 2 ** 31 - 1) });
    case 'number':
      return fc.double({ min: num('minimum', -1e6), max: num('maximum', 1e6), noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = s.items ? fromSchema(s.items as JsonSchema, resolve, depth + 1) : fc.jsonValue({ maxDepth: 1 });
      const maxLength = Math.min(num('maxItems', 3), 3);
      return fc.array(items, { minLength: Math.min(num('minItems', 0), maxLength), maxLength });
    }
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
      const required = (s.required ?? []) as string[];
      const known = fc.record(Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, fromSchema(v, resolve, depth + 1)])), {
        requiredKeys: required.filter((k) => k in properties),
      });
      const extra = s.additionalProperties;
      if (extra === undefined || extra === false) return known;
      const values = extra === true || Object.keys(extra as object).length === 0 ? fc.jsonValue({ maxDepth: 2 }) : fromSchema(extra as JsonSchema, resolve, depth + 1);
      const keys = fc.oneof({ arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }), weight: 4 }, fc.constantFrom(...AWKWARD_STRINGS));
      return fc.tuple(known, fc.dictionary(keys, values, { maxKeys: 3 })).map(([k, more]) => ({ ...more, ...k }));
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Keys that pollute prototypes or trip naive object handling. */
export const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '', ' ', 'a.b', 'a[0]', '\u0000', '$where', '\u{1F600}'];

const HOSTILE_CONSTANTS: unknown[] = [
  null,
  true,
  false,
  0,
  -0,
  -1,
  1.5,
  1e308,
  -1e308,
  5e-324,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 2,
  Number.MAX_SAFE_INTEGER,
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u{1F600}',
  '\u202e\ufeff',
  'e\u0301',
  'null',
  'true',
  '1',
  '-1',
  'NaN',
  '1e309',
  '0x10',
  '2024-02-30T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2024-01-01',
  'javascript:alert(1)',
  'http://169.254.169.254/latest/meta-data/',
  'file:///etc/passwd',
  '../../etc/passwd',
  "' OR 1=1 --",
  '${jndi:ldap://x/a}',
  '<script>x</script>',
  'whsec_',
  'whsec_!!!!',
  `whsk_${'A'.repeat(40)}`,
  [],
  {},
  [null],
  [[]],
  { '': '' },
  ['x'],
  [1, 'a', null, {}],
  { a: { b: { c: {} } } },
  { a: '\ud800' },
  { '\ud800': 'a' },
  { a: '\u0000' },
  ['\ud800'],
];

/** Values of the wrong type or shape, oversized, odd unicode, deeply nested, or with hostile keys. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_CONSTANTS), weight: 6 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 2 },
  { arbitrary: fc.constantFrom(65, 257, 4097, 65_537, 300_000).map((n) => 'x'.repeat(n)), weight: 1 },
  { arbitrary: fc.integer({ min: 129, max: 3000 }).map((n) => JSON.parse(deepJsonText(n, 'object')) as unknown), weight: 1 },
  { arbitrary: fc.constantFrom(51, 1001, 5000).map((n) => Array.from({ length: n }, (_, i) => `t${i}`)), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
  { arbitrary: fc.dictionary(fc.constantFrom(...HOSTILE_KEYS), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }), weight: 2 },
);

/** Inserts `"__proto__"` (or `constructor.prototype`) as an own key of a JSON object text. */
function injectPrototypeKey(text: string, which: 'proto' | 'constructor'): string {
  const key = which === 'proto' ? '"__proto__":{"polluted":"yes"}' : '"constructor":{"prototype":{"polluted":"yes"}}';
  if (!text.startsWith('{')) return text;
  return text === '{}' ? `{${key}}` : `{${key},${text.slice(1)}`;
}

/** JSON text that is malformed, not an object, oversized, too deep, or otherwise hostile. */
export const hostileBodyText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '{',
    '}',
    '{"a":',
    '[',
    'undefined',
    'NaN',
    "{'a':1}",
    '{"a":1,}',
    '{"a":1}}',
    '\ufeff{}',
    '{"a":1,"a":2}',
    'null',
    '0',
    '"s"',
    '[]',
    'true',
    '1e999',
    '{"a":1e999}',
    '{"a":"\\ud800"}',
    '{"a":"\\u0000"}',
    '"\\u0000"',
    '{"\\u0000":1}',
    '{"__proto__":{"polluted":"yes"}}',
    '{"constructor":{"prototype":{"polluted":"yes"}}}',
    '[{"__proto__":1}]',
    '{"a":-}',
    '{"a":01}',
    '{"a":.5}',
    '{"a":"\\x41"}',
    '\u0000',
  ),
  fc.constantFrom(200, 5_000, 100_000).chain((n) => fc.constantFrom(deepJsonText(n, 'object'), deepJsonText(n, 'array'))),
  fc.constant(`{"blob":"${'x'.repeat(1_100_000)}"}`),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.json({ maxDepth: 4 }),
);

/**
 * Request bodies for a route with the given body schema (JSON text): valid ones, valid ones with
 * one field made hostile, prototype-polluting keys, arbitrary JSON and malformed text.
 */
export function bodyText(schema: JsonSchema | undefined, resolve: Resolve): fc.Arbitrary<string> {
  const valid = schema ? fromSchema(schema, resolve) : fc.jsonValue({ maxDepth: 2 });
  const keys = schema ? Object.keys((typeof schema.$ref === 'string' ? resolve(schema.$ref) : schema).properties ?? {}) : [];
  const mutated = fc.tuple(valid, fc.constantFrom(...keys, ...HOSTILE_KEYS), hostileValue).map(([v, key, bad]) => {
    const base = typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {};
    // defineProperty so that a key such as __proto__ becomes an own (serialised) key.
    return Object.defineProperty({ ...base }, key, { value: bad, enumerable: true, writable: true, configurable: true });
  });
  return fc.oneof(
    { arbitrary: valid.map((v) => JSON.stringify(v)), weight: 3 },
    { arbitrary: mutated.map((v) => JSON.stringify(v)), weight: 5 },
    {
      arbitrary: fc.tuple(valid, fc.constantFrom('proto' as const, 'constructor' as const)).map(([v, which]) => injectPrototypeKey(JSON.stringify(v), which)),
      weight: 1,
    },
    { arbitrary: hostileBodyText, weight: 2 },
  );
}

const QUERY_VALUES = [
  '',
  '0',
  '-1',
  '-250',
  '251',
  '1e309',
  '99999999999999999999999',
  'NaN',
  'Infinity',
  '-Infinity',
  '0x10',
  '%205',
  '5.5',
  'true',
  'null',
  'undefined',
  '%00',
  'a%00b',
  '%',
  '%%',
  '%E0%A4%A',
  '%FF',
  '%ED%A0%80',
  '%2F%2F',
  '%F0%9F%98%80',
  'x'.repeat(5000),
  'ascending',
  'descending',
  'eyJ0IjoxfQ',
  'iterator',
  `msg_${'0'.repeat(27)}`,
  '2024-02-30T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '0000-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '1700000000',
];

/** Query values: hostile constants, schema-shaped values and encoded arbitrary text. */
function queryValue(schemas: Record<string, JsonSchema>, resolve: Resolve): fc.Arbitrary<string> {
  const shaped = Object.values(schemas).map((s) => fromSchema(s, resolve).map((v) => safeEncode(typeof v === 'string' ? v : (JSON.stringify(v) ?? '')) ?? '%ED%A0%80'));
  return fc.oneof(
    fc.constantFrom(...QUERY_VALUES),
    ...shaped,
    fc.string({ unit: 'grapheme', maxLength: 20 }).map(encodeURIComponent),
    fc.integer().map(String),
    fc.double().map(String),
    fc.bigInt().map(String),
  );
}

/**
 * Query strings from the route's own parameters (`schemas`, by name) and hostile shapes: repeated
 * keys, arrays `a[]=`, objects `a[b]=`, deep brackets, bare keys, prototype keys and odd numbers.
 */
export function queryString(schemas: Record<string, JsonSchema>, resolve: Resolve): fc.Arbitrary<string> {
  const names = [...Object.keys(schemas), 'limit', 'iterator', 'order', 'before', 'after', 'status', ...HOSTILE_KEYS.filter((k) => k.trim() !== '')];
  const key = fc.oneof(
    { arbitrary: fc.constantFrom(...names).map(encodeURIComponent), weight: 4 },
    fc.string({ unit: 'grapheme-ascii', maxLength: 8 }).map(encodeURIComponent),
  );
  const value = queryValue(schemas, resolve);
  const params = Object.entries(schemas);
  // A parameter of the route with a value of its own type: the way past parsing into the handler.
  const named =
    params.length === 0
      ? []
      : [
          {
            arbitrary: fc
              .constantFrom(...params)
              .chain(([name, s]) => fromSchema(s, resolve).map((v) => `${name}=${safeEncode(typeof v === 'string' ? v : (JSON.stringify(v) ?? '')) ?? ''}`)),
            weight: 5,
          },
        ];
  const piece = fc.oneof(
    ...named,
    { arbitrary: fc.tuple(key, value).map(([k, v]) => `${k}=${v}`), weight: 4 },
    fc.tuple(key, value).map(([k, v]) => `${k}[]=${v}`),
    fc.tuple(key, key, value).map(([k, sub, v]) => `${k}[${sub}]=${v}`),
    fc.tuple(key, fc.nat(40), value).map(([k, i, v]) => `${k}[${i}]=${v}`),
    fc.tuple(key, value).map(([k, v]) => `${k}[a][b][c][d][e][f][g]=${v}`),
    key,
    fc.constantFrom(
      '',
      '&',
      '=',
      '==',
      '=x',
      '[]=1',
      '[=1',
      ']=1',
      '__proto__[polluted]=1',
      'constructor[prototype][polluted]=1',
      'a[__proto__][polluted]=1',
      'limit=1&limit=2',
    ),
  );
  return fc.array(piece, { minLength: 1, maxLength: 6 }).map((pieces) => pieces.join('&'));
}

function safeEncode(s: string): string | undefined {
  try {
    return encodeURIComponent(s);
  } catch {
    return undefined; // a lone surrogate
  }
}

const PATH_SEGMENTS = [
  '%2F',
  'a%2Fb',
  '%2f..%2f',
  '%00',
  'a%00b',
  '%',
  '%%',
  '%E0%A4%A',
  '%FF',
  '%C0%AF',
  '%ED%A0%80',
  '%2e%2e',
  '.',
  '..',
  '%20',
  '+',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  '0',
  '-1',
  '1e309',
  'app_',
  'ep_',
  'msg_',
  'atmpt_',
  `app_${'Z'.repeat(27)}`,
  `msg_${'0'.repeat(27)}`,
  'x'.repeat(65),
  'x'.repeat(257),
  'x'.repeat(4000),
  '%F0%9F%98%80',
  '%EF%BB%BF',
  '%E2%80%AE',
  'a;b',
  'a,b',
  "a'b",
  'a%22b',
  '*',
  '~',
  '$',
  '@',
  ':',
  ':app',
  'a%5B%5Db',
  '%5B%5D',
  '%7B%7D',
];

/** One path segment, already percent-encoded (or deliberately mis-encoded). */
export const pathSegment: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...PATH_SEGMENTS), weight: 4 },
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).map((s) => safeEncode(s) ?? '%ED%A0%80'),
  fc.stringMatching(/^[a-zA-Z0-9\-_.]{1,300}$/),
);

/** Characters Node accepts in a header value (anything else fails in the client, not the server). */
const headerChar = fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }), fc.constant(0x09)).map((c) => String.fromCharCode(c));
const headerText = (maxLength: number) => fc.string({ unit: headerChar, maxLength });

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json; charset=utf-16',
  'application/json; charset=klingon',
  'application/json; charset=latin1',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/vnd.api+json',
  'application/merge-patch+json',
  'application/*',
  '*/*',
  'application/json, text/plain',
  'application/xml',
  ';',
  'json',
];

/** Headers of a request: the valid credential most of the time, and lies about everything else. */
export function hostileHeaders(credential: string | undefined): fc.Arbitrary<Record<string, string | string[]>> {
  const token = credential ?? 'hk_none';
  const authorization = fc.oneof(
    { arbitrary: fc.constant(credential === undefined ? undefined : `Bearer ${token}`), weight: 4 },
    fc.constantFrom(
      `bearer ${token}`,
      `BEARER   ${token}  `,
      `Bearer ${token}x`,
      `Bearer ${token.slice(0, -1)}`,
      'Bearer',
      'Bearer ',
      '',
      `Basic ${Buffer.from(`${token}:`).toString('base64')}`,
      token,
      `Bearer ${token} ${token}`,
      `Token ${token}`,
      'Bearer eyJhbGciOiJub25lIn0.eyJ0ZW5hbnRJZCI6IngifQ.',
      'Bearer eyJ.eyJ.sig',
      'Bearer a.b.c',
      `Bearer eyJ${'A'.repeat(3000)}.eyJ.x`,
      'Bearer hk_',
      `Bearer ${'x'.repeat(6000)}`,
      `Bearer\t${token}`,
      'Bearer null',
      'Bearer undefined',
    ),
    headerText(60).map((s) => `Bearer ${s}`),
  );
  const idempotencyKey = fc.oneof(
    fc.constant(undefined),
    fc.constantFrom('', ' ', 'k', 'x'.repeat(256), 'x'.repeat(257), 'x'.repeat(5000), '%00', '\u00e9', '\t'),
    headerText(40),
    fc.constant(['dup-a', 'dup-b']),
  );
  const contentType = fc.oneof({ arbitrary: fc.constantFrom(...CONTENT_TYPES), weight: 4 }, headerText(40));
  const optional = (arb: fc.Arbitrary<string>) => fc.option(arb, { nil: undefined });
  return fc
    .record({
      authorization,
      'content-type': contentType,
      'content-encoding': optional(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown', 'gzip, gzip')),
      'idempotency-key': idempotencyKey,
      'x-request-id': optional(fc.oneof(fc.constantFrom('x'.repeat(200), '../../', ''), headerText(40))),
      accept: optional(fc.constantFrom('text/html', 'application/xml', '*/*;q=0', '')),
      'accept-charset': optional(fc.constantFrom('utf-16', 'klingon')),
      'x-forwarded-for': optional(fc.constantFrom('127.0.0.1', '::1, 10.0.0.1', 'garbage')),
    })
    .map((headers) => Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string | string[]>);
}
