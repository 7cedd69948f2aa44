import { describe, expect, it } from 'vitest';
import { draftOf, draftProblems, EMPTY_DRAFT, schemasOf, type EventType } from '../src/pages/eventCatalog/eventTypeDraft.ts';
import { eventTypeHref } from '../src/pages/eventCatalog/eventTypeHref.ts';
import { schemaProblems, valueProblems } from '../src/pages/eventCatalog/jsonSchemaCheck.ts';

// The event catalog editor's own logic: the live schema and example checks, and how a draft maps
// to the API's `schemas` (examples inside the edited version, other versions untouched).

const SCHEMA = {
  type: 'object',
  properties: { id: { type: 'string', minLength: 2 }, n: { type: 'integer', minimum: 1 } },
  required: ['id'],
  additionalProperties: false,
};

describe('schemaProblems', () => {
  it('passes a real schema and booleans as subschemas', () => {
    expect(schemaProblems(SCHEMA)).toEqual([]);
    expect(schemaProblems({ properties: { a: true, b: false }, items: [{ type: ['string', 'null'] }] })).toEqual([]);
  });

  it('names each keyword with the wrong shape, where it is', () => {
    expect(schemaProblems({ type: 'strnig', properties: { a: { minLength: -1, pattern: '(' } }, required: 'a', anyOf: [] })).toEqual([
      { at: '/type', message: 'must be one of null, boolean, object, array, number, integer, string, or an array of them' },
      { at: '/required', message: 'must be an array of property names' },
      { at: '/anyOf', message: 'must be a non-empty array of schemas' },
      { at: '/properties/a/minLength', message: 'must be a non-negative integer' },
      { at: '/properties/a/pattern', message: 'must be a valid regular expression' },
    ]);
    expect(schemaProblems([])).toEqual([{ at: '', message: 'a schema must be an object or a boolean' }]);
  });
});

describe('valueProblems', () => {
  it('accepts a matching payload and says where one does not match', () => {
    expect(valueProblems({ id: 'ab', n: 3 }, SCHEMA)).toEqual([]);
    expect(valueProblems({ id: 'a', n: 0, extra: 1 }, SCHEMA)).toEqual([
      { at: '/id', message: 'must be at least 2 characters' },
      { at: '/n', message: 'must be at least 1' },
      { at: '/extra', message: 'is not a property the schema allows' },
    ]);
    expect(valueProblems({ n: 1.5 }, SCHEMA)).toEqual([
      { at: '/id', message: 'is required' },
      { at: '/n', message: 'must be integer (is number)' },
    ]);
  });

  it('checks enum, items and the combinators', () => {
    expect(valueProblems(['a', 'c'], { type: 'array', items: { enum: ['a', 'b'] } })).toEqual([{ at: '/1', message: 'must be one of "a", "b"' }]);
    expect(valueProblems(5, { anyOf: [{ type: 'string' }, { minimum: 10 }] })).toEqual([{ at: '', message: 'must match at least one schema of anyOf' }]);
    expect(valueProblems(5, { oneOf: [{ type: 'integer' }, { type: 'number' }] })).toEqual([{ at: '', message: 'must match exactly one schema of oneOf' }]);
    expect(valueProblems('x', { not: { type: 'string' } })).toEqual([{ at: '', message: 'must not match the schema under not' }]);
  });
});

describe('the draft', () => {
  const draft = (schema: string, examples = '') => ({ ...EMPTY_DRAFT, name: 'a.b', schema, examples });

  it('reports JSON errors with line and column, then schema problems, then examples that do not match', () => {
    expect(draftProblems(draft('{\n  "type": "object",\n}')).schema[0]).toMatch(/^Not valid JSON: .* at position 22 \(line 3, column 1\)$/);
    expect(draftProblems(draft('{"type": 1}')).schema).toEqual([
      'Not a valid JSON Schema: /type: must be one of null, boolean, object, array, number, integer, string, or an array of them',
    ]);
    expect(draftProblems(draft(JSON.stringify(SCHEMA), '[{"id": "ok"}, {"id": 7}]')).examples).toEqual([
      'Example 2 does not match the schema: /id: must be string (is integer)',
    ]);
    expect(draftProblems(draft('', '[{}]')).examples).toEqual(['Examples need a schema.']);
    expect(draftProblems(draft(JSON.stringify(SCHEMA), '{"id": "ok"}')).examples).toEqual(['Examples must be a JSON array of payloads.']);
    expect(draftProblems(draft(JSON.stringify(SCHEMA), '[{"id": "ok"}]'))).toEqual({ schema: [], examples: [] });
  });

  it('edits version 1 with its examples apart and keeps the other versions', () => {
    const eventType: EventType = {
      name: 'a.b',
      description: '',
      archived: false,
      deprecated: false,
      schemas: { 1: { ...SCHEMA, examples: [{ id: 'ok' }] }, 2: { type: 'object' } },
      featureFlags: ['beta'],
      featureFlag: 'beta',
      groupName: null,
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
    };
    const d = draftOf(eventType);
    expect(JSON.parse(d.schema)).toEqual(SCHEMA);
    expect(JSON.parse(d.examples)).toEqual([{ id: 'ok' }]);
    expect(d.featureFlags).toBe('beta');
    expect(schemasOf({ ...d, examples: '[{"id": "new"}]' }, eventType.schemas)).toEqual({ 1: { ...SCHEMA, examples: [{ id: 'new' }] }, 2: { type: 'object' } });
    expect(schemasOf({ ...d, schema: '' }, eventType.schemas)).toEqual({ 2: { type: 'object' } });
    expect(schemasOf({ ...d, schema: '' }, null)).toBeNull();
  });
});

it('escapes the dots of an event type in its address (the server serves a dotted last segment as a file)', () => {
  expect(eventTypeHref('invoice.paid')).toBe('/event-catalog/invoice%2Epaid');
  expect(decodeURIComponent('invoice%2Epaid')).toBe('invoice.paid');
});
