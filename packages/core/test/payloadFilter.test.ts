import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  findFilterProblems,
  matchesPayloadFilter,
  PAYLOAD_FILTER_LIMITS,
  payloadFilterSchema,
  splitByPayloadFilter,
  type PayloadFilter,
} from '../src/delivery/payloadFilter.ts';

const invoice = {
  type: 'invoice.paid',
  amount: 150,
  currency: 'usd',
  paid: true,
  note: null,
  data: {
    customer: { id: 'cus_1', tier: 'gold' },
    lines: [
      { sku: 'a', qty: 2 },
      { sku: 'b', qty: 1 },
    ],
  },
  tags: ['vip', 'eu'],
  'odd key': 1,
};

/** [filter, whether `invoice` matches it] */
const cases: Array<[string, PayloadFilter, boolean]> = [
  ['empty filter', {}, true],
  // implicit equality and implicit AND
  ['implicit $eq on a string', { type: 'invoice.paid' }, true],
  ['implicit $eq, other value', { type: 'invoice.created' }, false],
  ['implicit $eq on a number', { amount: 150 }, true],
  ['implicit $eq on a boolean', { paid: true }, true],
  ['implicit $eq on null', { note: null }, true],
  ['every key must hold', { type: 'invoice.paid', currency: 'eur' }, false],
  ['every key holds', { type: 'invoice.paid', currency: 'usd', paid: true }, true],
  // $eq / $neq
  ['$eq', { currency: { $eq: 'usd' } }, true],
  ['$eq, other value', { currency: { $eq: 'eur' } }, false],
  ['$neq', { currency: { $neq: 'eur' } }, true],
  ['$neq, same value', { currency: { $neq: 'usd' } }, false],
  ['$neq on a missing field', { missing: { $neq: 'x' } }, true],
  // comparisons
  ['$gt', { amount: { $gt: 100 } }, true],
  ['$gt at the value', { amount: { $gt: 150 } }, false],
  ['$gte at the value', { amount: { $gte: 150 } }, true],
  ['$lt', { amount: { $lt: 150 } }, false],
  ['$lte at the value', { amount: { $lte: 150 } }, true],
  ['a range (several operators, all must hold)', { amount: { $gte: 100, $lt: 200 } }, true],
  ['a range it falls outside', { amount: { $gte: 100, $lt: 150 } }, false],
  ['strings compare lexicographically', { currency: { $gt: 'eur', $lt: 'zzz' } }, true],
  ['strings: "usd" is not below "abc"', { currency: { $lt: 'abc' } }, false],
  // $in / $nin
  ['$in', { currency: { $in: ['eur', 'usd'] } }, true],
  ['$in, not listed', { currency: { $in: ['eur', 'gbp'] } }, false],
  ['$in with mixed scalars', { amount: { $in: ['150', 150] } }, true],
  ['$in, empty list', { currency: { $in: [] } }, false],
  ['$nin', { currency: { $nin: ['eur', 'gbp'] } }, true],
  ['$nin, listed', { currency: { $nin: ['usd'] } }, false],
  ['$nin on a missing field', { missing: { $nin: ['usd'] } }, true],
  ['$in on a missing field', { missing: { $in: ['usd', null] } }, false],
  // $exist
  ['$exist: true', { currency: { $exist: true } }, true],
  ['$exist: true, missing', { missing: { $exist: true } }, false],
  ['$exist: false, missing', { missing: { $exist: false } }, true],
  ['$exist: false, present', { currency: { $exist: false } }, false],
  ['$exist: a null field is present', { note: { $exist: true } }, true],
  // $or / $and
  ['$or, one holds', { $or: [{ currency: 'eur' }, { amount: { $gt: 100 } }] }, true],
  ['$or, none holds', { $or: [{ currency: 'eur' }, { amount: { $gt: 1000 } }] }, false],
  ['$and, all hold', { $and: [{ currency: 'usd' }, { amount: { $gt: 100 } }] }, true],
  ['$and, one fails', { $and: [{ currency: 'usd' }, { amount: { $gt: 1000 } }] }, false],
  ['$or beside a field (implicit AND)', { type: 'invoice.paid', $or: [{ currency: 'eur' }, { paid: true }] }, true],
  ['$or of operators on one field', { amount: { $or: [{ $lt: 0 }, { $gt: 100 }] } }, true],
  ['$or of operators on one field, none holds', { amount: { $or: [{ $lt: 0 }, { $gt: 1000 }] } }, false],
  ['$and inside $or', { $or: [{ $and: [{ currency: 'usd' }, { paid: false }] }, { $and: [{ currency: 'usd' }, { paid: true }] }] }, true],
  // paths and nesting
  ['a dotted path', { 'data.customer.tier': 'gold' }, true],
  ['a dotted path, other value', { 'data.customer.tier': 'silver' }, false],
  ['a nested object is a path', { data: { customer: { tier: 'gold', id: { $in: ['cus_1'] } } } }, true],
  ['a nested object, one condition fails', { data: { customer: { tier: 'gold', id: 'cus_2' } } }, false],
  ['an array index in a path', { 'data.lines.1.sku': 'b' }, true],
  ['an array index out of range', { 'data.lines.5.sku': { $exist: true } }, false],
  ['a non-numeric segment on an array', { 'data.lines.sku': { $exist: true } }, false],
  ['a key with a space', { 'odd key': 1 }, true],
  ['a path through a scalar is missing', { 'currency.code': { $exist: false } }, true],
  ['a path through a missing field is missing', { 'nope.deeper': { $exist: false } }, true],
  ['a nested filter on a missing field', { nope: { deeper: { $exist: false } } }, true],
  ['an inherited property is not a field', { 'data.constructor': { $exist: true } }, false],
  // missing fields and type mismatches: no coercion
  ['$eq on a missing field', { missing: 'x' }, false],
  ['null does not match a missing field', { missing: null }, false],
  ['$gt on a missing field', { missing: { $gt: 0 } }, false],
  ['$lt on a missing field', { missing: { $lt: 0 } }, false],
  ['a string is not the number it spells', { amount: '150' }, false],
  ['a number is not compared with a string', { amount: { $gt: '100' } }, false],
  ['a string is not compared with a number', { currency: { $lt: 1000 } }, false],
  ['true is not 1', { paid: 1 }, false],
  ['null is not 0 or false', { note: { $in: [0, false, ''] } }, false],
  ['an array does not equal one of its items', { tags: 'vip' }, false],
  ['an object is not compared', { data: { $gt: 0 } }, false],
  ['an object does not equal a scalar', { data: { $neq: 'x' } }, true],
];

describe('matchesPayloadFilter', () => {
  it.each(cases)('%s', (_name, filter, expected) => {
    expect(findFilterProblems(filter)).toEqual([]);
    expect(matchesPayloadFilter(filter, invoice)).toBe(expected);
  });

  it('tests other payload shapes: scalars and arrays at the root, an empty object', () => {
    expect(matchesPayloadFilter({ '0.id': 1 }, [{ id: 1 }])).toBe(true);
    expect(matchesPayloadFilter({ amount: { $exist: false } }, 'text')).toBe(true);
    expect(matchesPayloadFilter({ amount: { $gte: 0 } }, {})).toBe(false);
    expect(matchesPayloadFilter({}, null)).toBe(true);
  });

  it('compares numbers numerically and strings by code unit', () => {
    expect(matchesPayloadFilter({ n: { $gt: 9 } }, { n: 10 })).toBe(true);
    expect(matchesPayloadFilter({ s: { $gt: '9' } }, { s: '10' })).toBe(false);
    expect(matchesPayloadFilter({ s: { $lt: 'a' } }, { s: 'Z' })).toBe(true);
    expect(matchesPayloadFilter({ n: { $eq: 1 } }, { n: 1.0 })).toBe(true);
    expect(matchesPayloadFilter({ n: { $lte: -0.5 } }, { n: -1 })).toBe(true);
  });

  it('does not match what a stored filter should never hold, rather than throw', () => {
    const odd = (f: unknown) => matchesPayloadFilter(f as PayloadFilter, invoice);
    expect(odd({ amount: { $regex: '.*' } })).toBe(false);
    expect(odd({ $nor: [{ amount: 1 }] })).toBe(false);
    expect(odd({ $or: 'x' })).toBe(false);
    expect(odd({ amount: { $in: 150 } })).toBe(false);
    expect(odd({ amount: [150] })).toBe(false);
  });
});

describe('splitByPayloadFilter', () => {
  const eps = [
    { id: 'all', filter: null },
    { id: 'big', filter: { amount: { $gte: 100 } } },
    { id: 'small', filter: { amount: { $lt: 100 } } },
  ];

  it('keeps endpoints without a filter or whose filter matches, and skips the others', () => {
    const split = splitByPayloadFilter(eps, JSON.stringify({ amount: 150 }));
    expect([split.matching.map((e) => e.id), split.skipped.map((e) => e.id)]).toEqual([['all', 'big'], ['small']]);
    const small = splitByPayloadFilter(eps, '{"amount": 5}');
    expect([small.matching.map((e) => e.id), small.skipped.map((e) => e.id)]).toEqual([['all', 'small'], ['big']]);
  });

  it('keeps every endpoint when the payload is gone', () => {
    expect(splitByPayloadFilter(eps, null).matching).toHaveLength(3);
  });
});

/** The problems of an invalid filter, as [path, message] */
const problems = (filter: unknown) => findFilterProblems(filter).map((p) => [p.path, p.message]);

describe('findFilterProblems and payloadFilterSchema', () => {
  it.each<[string, unknown, Array<string | number>, RegExp]>([
    ['an unknown operator', { amount: { $regex: 'x' } }, ['amount', '$regex'], /unknown operator \$regex/],
    ['an unknown operator beside a known one', { amount: { $gte: 1, $foo: 2 } }, ['amount', '$foo'], /unknown operator \$foo/],
    ['an unknown top-level operator', { $nor: [{ a: 1 }] }, ['$nor'], /unknown operator \$nor/],
    ['a comparison operator at the top', { $gte: 5 }, ['$gte'], /applies to a field/],
    ['fields mixed with operators', { amount: { $gte: 1, currency: 'usd' } }, ['amount', 'currency'], /cannot be mixed/],
    ['$or beside operators', { amount: { $gte: 1, $or: [{ $lt: 5 }] } }, ['amount', '$or'], /cannot sit beside/],
    ['$gt with a boolean', { amount: { $gt: true } }, ['amount', '$gt'], /number or a string/],
    ['$lte with null', { amount: { $lte: null } }, ['amount', '$lte'], /number or a string/],
    ['$eq with an object', { amount: { $eq: { a: 1 } } }, ['amount', '$eq'], /string, number, boolean or null/],
    ['$neq with a list', { amount: { $neq: [1] } }, ['amount', '$neq'], /string, number, boolean or null/],
    ['$in with a scalar', { amount: { $in: 5 } }, ['amount', '$in'], /list of strings/],
    ['$nin with a nested list', { amount: { $nin: [1, [2]] } }, ['amount', '$nin', 1], /list of strings/],
    ['$exist with a string', { amount: { $exist: 'yes' } }, ['amount', '$exist'], /true or false/],
    ['$or with an object', { $or: { a: 1 } }, ['$or'], /non-empty list/],
    ['$and with an empty list', { $and: [] }, ['$and'], /non-empty list/],
    ['$or with a scalar item', { $or: [{ a: 1 }, 'b'] }, ['$or', 1], /object of conditions/],
    ['$or with an empty item', { $or: [{}] }, ['$or', 0], /at least one condition/],
    ['an empty nested filter', { data: {} }, ['data'], /at least one condition/],
    ['a list as a value', { tags: ['vip'] }, ['tags'], /use \{"\$in"/],
    ['an empty path segment', { 'data..amount': 1 }, ['data..amount'], /empty segment/],
    ['an empty path', { '': 1 }, [''], /empty/],
    [
      'a bad operand deep inside',
      { $or: [{ data: { customer: { $and: [{ tier: { $in: 'gold' } }] } } }] },
      ['$or', 0, 'data', 'customer', '$and', 0, 'tier', '$in'],
      /list of strings/,
    ],
  ])('rejects %s', (_name, filter, path, message) => {
    const found = findFilterProblems(filter);
    expect(found.map((p) => p.path)).toEqual([path]);
    expect(found[0]!.message).toMatch(message);
  });

  it('reports every problem, each at its own place', () => {
    expect(problems({ a: { $gt: true }, b: { $exist: 1 }, c: 2 }).map(([path]) => path)).toEqual([
      ['a', '$gt'],
      ['b', '$exist'],
    ]);
  });

  it('bounds depth, size and the number of conditions', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < PAYLOAD_FILTER_LIMITS.maxDepth; i += 1) deep = { n: deep };
    const tooDeep = [...Array.from({ length: PAYLOAD_FILTER_LIMITS.maxDepth }, () => 'n'), 'leaf'];
    expect(problems(deep)).toEqual([[tooDeep, expect.stringMatching(/nested at most 10 levels/)]]);
    let ok: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < PAYLOAD_FILTER_LIMITS.maxDepth - 1; i += 1) ok = { n: ok };
    expect(problems(ok)).toEqual([]);

    const many = Object.fromEntries(Array.from({ length: PAYLOAD_FILTER_LIMITS.maxNodes + 1 }, (_, i) => [`f${i}`, i]));
    expect(problems(many)).toEqual([[[], expect.stringMatching(/at most 256 conditions/)]]);
    const longList = { x: { $in: Array.from({ length: 1000 }, (_, i) => i) } };
    expect(problems(longList)).toEqual([[[], expect.stringMatching(/at most 256 conditions/)]]);

    const big = { a: 'x'.repeat(PAYLOAD_FILTER_LIMITS.maxBytes) };
    expect(problems(big)).toEqual([[[], expect.stringMatching(/at most 16384 characters/)]]);
  });

  it('walks a hostile, very deep input without overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i += 1) deep = { n: deep };
    expect(findFilterProblems(deep)).toHaveLength(1);
    let deepList: unknown = 1;
    for (let i = 0; i < 100_000; i += 1) deepList = [deepList];
    expect(findFilterProblems({ a: { $in: deepList } })).toHaveLength(1);
  });

  it('is the zod schema of the endpoint field: each problem an issue at its path', () => {
    const schema = z.object({ filter: payloadFilterSchema.nullish() });
    expect(schema.parse({ filter: { amount: { $gte: 100 } } })).toEqual({ filter: { amount: { $gte: 100 } } });
    expect(schema.parse({ filter: null })).toEqual({ filter: null });
    const bad = schema.safeParse({ filter: { amount: { $gte: 'x', $nope: 1 } } });
    expect(bad.error?.issues.map((i) => [i.path, i.message])).toEqual([[['filter', 'amount', '$nope'], expect.stringMatching(/unknown operator/)]]);
    for (const notObject of ['x', 5, [{ a: 1 }], true]) {
      expect(schema.safeParse({ filter: notObject }).error?.issues.map((i) => [i.path, i.message])).toEqual([[['filter'], 'expected a JSON object of conditions']]);
    }
  });
});
