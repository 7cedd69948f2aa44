import type { SignatureHeaderNames } from '@hookline/db';
import { z } from 'zod';

// Svix's own deliveries carry `svix-id`, `svix-timestamp` and `svix-signature`; the Standard
// Webhooks names are `webhook-*`. Same values, same signature: only the names differ, so a vendor
// moving from Svix can keep its customers' receivers (issue 23).

export type { SignatureHeaderNames };

export const signatureHeaderNamesSchema = z
  .enum(['webhook', 'svix', 'both'])
  .describe('Names of the id, timestamp and signature headers of a delivery: webhook-* (Standard Webhooks), svix-* (as Svix sends them) or both sets');

/** The headers `signatureHeaders` builds, under the names chosen. */
export function namedSignatureHeaders(
  headers: { 'webhook-id': string; 'webhook-timestamp': string; 'webhook-signature': string },
  names: SignatureHeaderNames,
): Record<string, string> {
  if (names === 'webhook') return headers;
  const svix = { 'svix-id': headers['webhook-id'], 'svix-timestamp': headers['webhook-timestamp'], 'svix-signature': headers['webhook-signature'] };
  return names === 'svix' ? svix : { ...headers, ...svix };
}
