// Every action the audit log records, one per mutating route of the tenant and operator APIs (and
// per secret read), plus what maintenance changes. docs/api.md lists them; the route-table audit
// test holds each mutating route to writing one. Publishing a message is not audited (data plane),
// nor are sign-in, sign-out and switching tenant (a person's own session, not the tenant's data).
export const AUDIT_ACTIONS = [
  'tenant.created',
  'tenant.updated',
  'apiKey.created',
  'apiKey.rotated',
  'apiKey.revoked',
  'application.created',
  'application.updated',
  'application.deleted',
  'application.content.purged',
  'application.notifications.updated',
  'application.notifications.tested',
  'endpoint.created',
  'endpoint.updated',
  'endpoint.deleted',
  'endpoint.disabled',
  'endpoint.secret.read',
  'endpoint.secret.rotated',
  'endpoint.headers.read',
  'endpoint.headers.updated',
  'endpoint.transformation.updated',
  'endpoint.recovered',
  'endpoint.replayed',
  'endpoint.exampleSent',
  'eventType.created',
  'eventType.updated',
  'eventType.archived',
  'eventType.deleted',
  'eventType.imported',
  'integration.created',
  'integration.updated',
  'integration.deleted',
  'integration.key.read',
  'integration.key.rotated',
  'message.content.deleted',
  'messageAttempt.content.deleted',
  'message.resent',
  'portalAccess.created',
  'portalAccess.expiredAll',
  'portalAccess.loggedOut',
  'poller.created',
  'poller.deleted',
  'poller.consumer.moved',
  'operationalEndpoint.created',
  'operationalEndpoint.updated',
  'operationalEndpoint.deleted',
  'member.invited',
  'member.invite.resent',
  'member.invite.revoked',
  'member.joined',
  'member.role.changed',
  'member.removed',
  'person.password.changed',
  'person.password.reset',
  'person.session.revoked',
  'person.totp.enrolled',
  'person.totp.enabled',
  'person.totp.disabled',
  'person.recoveryCode.used',
  'tenant.settings.changed',
  'sso.config.updated',
  'sso.config.deleted',
  // hookline.allow_publish / revoke_publish (SQL, run by the database owner: docs/publish-in-transaction.md).
  'publishRole.allowed',
  'publishRole.revoked',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What a record is about: `kind` names the resource (`endpoint`), `id` its id, `appId` its application when it has one. */
export interface AuditTarget {
  kind: 'tenant' | 'apiKey' | 'application' | 'endpoint' | 'integration' | 'eventType' | 'message' | 'person' | 'invite' | 'sso' | 'databaseRole' | 'poller';
  id: string;
  appId?: string | undefined;
}
