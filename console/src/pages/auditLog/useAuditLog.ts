import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import type { Schemas } from '@hookline/ui';
import { useConsoleApi } from '../../api/apiContext.tsx';

export type AuditRecord = Schemas['AuditRecordOut'];
export type AuditAction = AuditRecord['action'];

export interface AuditFilter {
  actor?: string;
  action?: AuditAction;
  target?: string;
  since?: string;
  until?: string;
}

// Every action the API records, for the filter's choices; a Record over the type makes the
// compiler flag an action added to the API and missing here.
const ACTION_SET: Record<AuditAction, true> = {
  'tenant.created': true,
  'tenant.updated': true,
  'tenant.settings.changed': true,
  'apiKey.created': true,
  'apiKey.rotated': true,
  'apiKey.revoked': true,
  'application.created': true,
  'application.updated': true,
  'application.deleted': true,
  'application.content.purged': true,
  'application.notifications.updated': true,
  'application.notifications.tested': true,
  'endpoint.created': true,
  'endpoint.updated': true,
  'endpoint.deleted': true,
  'endpoint.disabled': true,
  'endpoint.secret.read': true,
  'endpoint.secret.rotated': true,
  'endpoint.headers.read': true,
  'endpoint.headers.updated': true,
  'endpoint.transformation.updated': true,
  'endpoint.oauth.updated': true,
  'endpoint.oauth.deleted': true,
  'endpoint.basicAuth.updated': true,
  'endpoint.basicAuth.deleted': true,
  'endpoint.mtls.updated': true,
  'endpoint.mtls.deleted': true,
  'endpoint.recovered': true,
  'endpoint.replayed': true,
  'endpoint.exampleSent': true,
  'eventType.created': true,
  'eventType.updated': true,
  'eventType.archived': true,
  'eventType.imported': true,
  'eventType.deleted': true,
  'integration.created': true,
  'integration.updated': true,
  'integration.deleted': true,
  'integration.key.read': true,
  'integration.key.rotated': true,
  'message.content.deleted': true,
  'message.resent': true,
  'messageAttempt.content.deleted': true,
  'portalAccess.created': true,
  'portalAccess.expiredAll': true,
  'portalAccess.loggedOut': true,
  'poller.created': true,
  'poller.deleted': true,
  'poller.consumer.moved': true,
  'operationalEndpoint.created': true,
  'operationalEndpoint.updated': true,
  'operationalEndpoint.deleted': true,
  'member.invited': true,
  'member.invite.resent': true,
  'member.invite.revoked': true,
  'member.joined': true,
  'member.role.changed': true,
  'member.removed': true,
  'person.password.changed': true,
  'person.password.reset': true,
  'person.session.revoked': true,
  'person.totp.enrolled': true,
  'person.totp.enabled': true,
  'person.totp.disabled': true,
  'person.recoveryCode.used': true,
  'sso.config.updated': true,
  'sso.config.deleted': true,
  'publishRole.allowed': true,
  'publishRole.revoked': true,
};
export const AUDIT_ACTIONS = Object.keys(ACTION_SET).sort() as AuditAction[];

export function isAuditAction(value: string | null): value is AuditAction {
  return value !== null && Object.hasOwn(ACTION_SET, value);
}

export function useAuditLog(filter: AuditFilter) {
  const client = useConsoleApi();
  return useInfiniteQuery({
    queryKey: ['audit-log', filter],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => client.request('get', '/api/v1/audit-log', { query: { ...filter, limit: 50, iterator: pageParam } }),
    getNextPageParam: (last) => (last.done ? undefined : (last.iterator ?? undefined)),
    placeholderData: keepPreviousData,
  });
}
