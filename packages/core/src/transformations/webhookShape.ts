import { z } from 'zod';
import type { SandboxResult } from './sandbox.ts';

// Svix's transformation contract: the handler gets `webhook` ({method, url, payload, eventType,
// cancel}) and returns it modified. What it returns decides the attempt: sent with that method, to
// that URL, with that payload as the body; skipped when `cancel` is true; failed otherwise.

/** The webhook a handler is given. */
export interface WebhookInput {
  method: 'POST';
  url: string;
  eventType: string;
  /** The message's payload as stored (JSON text); spliced in, never re-serialised here. */
  payloadJson: string;
}

/** What running a transformation comes to. */
export type TransformOutcome =
  { kind: 'send'; method: 'POST' | 'PUT'; url: string; body: string; payload: unknown; eventType: string } | { kind: 'cancel' } | { kind: 'failed'; reason: string };

/** The input as the JSON text the sandbox parses. */
export function webhookInputJson(w: WebhookInput): string {
  return `{"method":${JSON.stringify(w.method)},"url":${JSON.stringify(w.url)},"eventType":${JSON.stringify(w.eventType)},"cancel":false,"payload":${w.payloadJson}}`;
}

const httpUrl = z
  .string()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'an http(s) URL');

const cancelled = z.object({ cancel: z.literal(true) });
const returned = z.object({
  method: z.enum(['POST', 'PUT']),
  url: httpUrl,
  // z.unknown() accepts a missing key; the refine below does not.
  payload: z.unknown(),
  eventType: z.string().optional(),
  cancel: z.literal(false).optional(),
});

/** The outcome of a sandbox run: the handler's result checked against the contract. */
export function outcomeOf(result: SandboxResult, input: { eventType: string }): TransformOutcome {
  if (!result.ok) return { kind: 'failed', reason: `transformation ${result.failure.kind === 'error' ? 'threw' : 'failed'}: ${result.failure.message}` };
  const value: unknown = JSON.parse(result.json);
  if (cancelled.safeParse(value).success) return { kind: 'cancel' };
  const parsed = returned.safeParse(value);
  if (!parsed.success || !Object.hasOwn(value as object, 'payload')) {
    const problem = parsed.success ? 'payload: missing' : parsed.error.issues.map((i) => `${i.path.join('.') || 'result'}: ${i.message}`).join('; ');
    return { kind: 'failed', reason: `transformation returned a bad shape (expected {method: "POST"|"PUT", url, payload} or {cancel: true}): ${problem}`.slice(0, 1000) };
  }
  const { method, url, payload, eventType } = parsed.data;
  return { kind: 'send', method, url, body: JSON.stringify(payload), payload, eventType: eventType ?? input.eventType };
}
