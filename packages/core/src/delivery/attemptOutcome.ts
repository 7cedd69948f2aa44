import type { EndpointRow, MessageRow, SignatureHeaderNames } from '@hookline/db';
import type { EndpointCredentials } from './endpointCredentials.ts';

// What an attempt works on and what it came to: shared by recording and by the operational events it emits.

export interface DeliveryContext {
  message: MessageRow & { payload: string };
  /** The endpoint, its header values decrypted. */
  endpoint: EndpointRow;
  /** The live signing secrets, decrypted. */
  secrets: string[];
  /** The tenant's retry schedule, when it has its own. */
  retrySchedule: number[] | null;
  /** Messages per second for this endpoint (its own, else its application's); null: unlimited. */
  throttleRate: number | null;
  /** The names the signature headers go under: the endpoint's choice, else its tenant's. */
  headerNames: SignatureHeaderNames;
  /** The tenant accepts only https:// targets (an http:// one is a failed attempt, not a request). */
  httpsOnly: boolean;
  /** The version of the endpoint's enabled transformation; null: it has none (sent as is). */
  transformationVersion: Date | null;
  /** The endpoint's OAuth client or basic auth, decrypted; null: it has none. */
  credentials: EndpointCredentials | null;
  /** The version of the endpoint's mutual TLS settings; null: it has none (the shared agents). */
  mtlsVersion: Date | null;
}

export type AttemptOutcome = {
  result: 'succeeded' | 'retrying' | 'exhausted';
  /** Set when this attempt disabled the endpoint: it answered 410 Gone, or failed for too long. */
  disabled?: 'gone' | 'failing';
};
