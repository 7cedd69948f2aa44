import type { EndpointRow } from '@hookline/db';
import type { AuditTarget } from '../audit/auditActions.ts';
import { describeChanges, type AuditChanges } from '../audit/auditChanges.ts';

// What an endpoint's audit records hold: its settings' changes, never its secret or header values
// (headers are named only, by endpointHeaders.ts).
const FIELDS = [
  'uid',
  'url',
  'description',
  'disabled',
  'eventTypes',
  'channels',
  'throttleRate',
  'metadata',
  'filter',
  'signatureHeaderNames',
  'retrySchedule',
  'timeoutMs',
  'maxAttempts',
] as const;

export const endpointTarget = (ep: Pick<EndpointRow, 'id' | 'appId'>): AuditTarget => ({ kind: 'endpoint', id: ep.id, appId: ep.appId });

/** The settings that differ between two versions of an endpoint (undefined: created or deleted). */
export const endpointChanges = (before: EndpointRow | undefined, after: EndpointRow | undefined): AuditChanges => describeChanges(before, after, FIELDS);
