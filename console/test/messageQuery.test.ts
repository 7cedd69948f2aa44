import { describe, expect, it } from 'vitest';
import { emptyFilters, filtersFromParams, hasFilters, paramsOfFilters, payloadProblem, searchQueryOf } from '../src/pages/messages/messageQuery.ts';
import { deliverySummary } from '../src/pages/messages/MessageList.tsx';

describe('the Messages page’s search', () => {
  it('accepts only a JSON object as payload content, and says why not', () => {
    expect(payloadProblem('')).toBeNull();
    expect(payloadProblem('  {"invoiceId": "in_42"} ')).toBeNull();
    expect(payloadProblem('{"invoiceId": }')).toMatch(/^Not valid JSON/);
    expect(payloadProblem('["in_42"]')).toMatch(/Enter a JSON object/);
    expect(payloadProblem('42')).toMatch(/Enter a JSON object/);
    expect(payloadProblem('null')).toMatch(/Enter a JSON object/);
  });

  it('turns the filters into the API query, leaving out what is empty or unusable', () => {
    expect(searchQueryOf(emptyFilters)).toEqual({});
    const after = '2026-12-01T10:30';
    const query = searchQueryOf({
      ...emptyFilters,
      msgId: ' msg_1 ',
      eventType: 'invoice.paid',
      app: 'app_1',
      status: '2',
      after,
      before: 'not a time',
      payload: '{ "invoiceId" : "in_42" }',
    });
    expect(query).toEqual({
      msg_id: 'msg_1',
      event_types: ['invoice.paid'],
      app: 'app_1',
      status: 2,
      after: new Date(after).toISOString(),
      payload_contains: '{"invoiceId":"in_42"}',
    });
    expect(searchQueryOf({ ...emptyFilters, status: '9', payload: '[1]' })).toEqual({});
  });

  it('keeps the filters in the address and reads them back', () => {
    const filters = { ...emptyFilters, tag: 'eu', payload: '{"a":1}' };
    const search = paramsOfFilters(filters);
    expect(search).toBe('?tag=eu&payload=%7B%22a%22%3A1%7D');
    expect(filtersFromParams(new URLSearchParams(search))).toEqual(filters);
    expect(paramsOfFilters(emptyFilters)).toBe('');
    expect(hasFilters(emptyFilters)).toBe(false);
    expect(hasFilters(filters)).toBe(true);
  });

  it('sums up a message’s deliveries in words', () => {
    expect(deliverySummary({ success: 2, fail: 1, pending: 0, sending: 0, canceled: 0 })).toBe('2 succeeded, 1 failed');
    expect(deliverySummary({ success: 0, fail: 0, pending: 0, sending: 0, canceled: 0 })).toBe('No endpoint');
  });
});
