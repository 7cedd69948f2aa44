import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Timestamps are written as Date (or defaulted by the database) and read as Date. */
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Timestamp = ColumnType<Date, Date | undefined, Date>;
type Json<T> = ColumnType<T, string, string>;

export interface SettingTable {
  key: string;
  value: string;
}

export interface TenantTable {
  id: string;
  name: string;
  /** Retry delays in seconds for this tenant; null: the deployment's default. */
  retrySchedule: number[] | null;
  /** Days after which this tenant's payloads are expired (at most the installation's); null: the installation's. */
  retentionDays: number | null;
  /** The portal's theme for this tenant's links (see 0024_api_keys_settings); null: none. */
  portalTheme: ColumnType<PortalTheme | null, string | null | undefined, string | null>;
  /** CSP frame-ancestors for this tenant's portal links, within the installation's; null: the installation's. */
  portalFrameAncestors: string | null;
  /** The logo of this tenant's portal: an https URL or a small data:image URL (0030); null: none. */
  portalLogo: string | null;
  /** The portal's brand for this tenant (0045): colours, font, radius, name, "powered by"; null: Hookline's. */
  portalBrand: ColumnType<PortalBrand | null, string | null | undefined, string | null>;
  /** Every message of the tenant below this id has had its payload cleared for retentionDays (maintenance's mark). */
  retentionClearedBefore: string | null;
  /** The names of a delivery's signature headers (0037): webhook-*, svix-* or both. */
  signatureHeaderNames: ColumnType<SignatureHeaderNames, SignatureHeaderNames | undefined, SignatureHeaderNames>;
  /** Endpoint URLs must be https:// (0041): http:// ones are refused on write and not delivered to. */
  httpsOnly: Generated<boolean>;
  createdAt: CreatedAt;
}

/** Which header names carry a delivery's id, timestamp and signature: Standard Webhooks', Svix's, or both sets. */
export type SignatureHeaderNames = 'webhook' | 'svix' | 'both';

/** What the portal reads from its URL (portal/src/embed.ts). */
export interface PortalTheme {
  primaryColor?: string;
  darkMode?: boolean;
  fontFamily?: string;
}

/** A portal's brand (core's portalBrandSchema checks it): what is unset stays Hookline's. */
export interface PortalBrand {
  name?: string;
  primaryColor?: string;
  accentColor?: string;
  fontFamily?: string;
  radius?: number;
  poweredBy?: boolean;
}

export interface ApiKeyTable {
  id: string;
  tenantId: string;
  name: string;
  /** First characters of the key, shown in listings so an operator can tell keys apart. */
  prefix: string;
  /** SHA-256 of the whole key; the key itself is never stored. */
  keyHash: string;
  createdAt: CreatedAt;
  lastUsedAt: Timestamp | null;
  expiresAt: Timestamp | null;
  revokedAt: Timestamp | null;
}

export interface ApplicationTable {
  id: string;
  tenantId: string;
  uid: string | null;
  name: string;
  throttleRate: number | null;
  metadata: Json<Record<string, string>>;
  /** The tenant's hidden application of operational webhook endpoints (see 0010_operational_webhooks). */
  operational: Generated<boolean>;
  /** Which portal tokens of this application no longer work (see 0013_portal_token_revocation). */
  portalTokenRevocations: ColumnType<PortalTokenRevocation[], string | undefined, string>;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

/** Portal tokens issued before `before` stop working at `at` (epoch ms); with `sid`, only that session's tokens. */
export interface PortalTokenRevocation {
  before: number;
  at: number;
  sid?: string;
}

export interface EventTypeTable {
  tenantId: string;
  name: string;
  description: string;
  archived: Generated<boolean>;
  deprecated: Generated<boolean>;
  featureFlags: string[] | null;
  groupName: string | null;
  schemas: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

export interface EndpointTable {
  id: string;
  tenantId: string;
  appId: string;
  uid: string | null;
  url: string;
  description: string;
  disabled: Generated<boolean>;
  /** null: every event type. */
  eventTypes: string[] | null;
  channels: string[] | null;
  throttleRate: number | null;
  metadata: Json<Record<string, string>>;
  headers: Json<Record<string, string>>;
  version: Generated<number>;
  failingSince: Timestamp | null;
  /** Payload filter (a JSON condition on the message payload); null: every message. */
  filter: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  /** This endpoint's signature header names (0037); null: its tenant's. */
  signatureHeaderNames: SignatureHeaderNames | null;
  /** This endpoint's delivery settings (0041), each null: its tenant's, else the installation's. */
  retrySchedule: number[] | null;
  timeoutMs: number | null;
  maxAttempts: number | null;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

/** What stays of a deleted endpoint (0043): the attempted destinations of its messages still show it. */
export interface DeletedEndpointTable extends Pick<
  EndpointTable,
  'id' | 'tenantId' | 'appId' | 'uid' | 'url' | 'description' | 'eventTypes' | 'channels' | 'throttleRate'
> {
  /** Copied from the endpoint's row as it was, so written like any other column. */
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: CreatedAt;
}

/** An application's integration (Svix's): a name, feature flags and a key stored encrypted, bound to the row. */
export interface IntegrationTable {
  id: string;
  tenantId: string;
  appId: string;
  name: string;
  featureFlags: string[] | null;
  key: string;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

/** Where an application's failure notices go and when (0042); the chat webhook URL is stored encrypted, bound to the row. */
export interface NotificationSettingTable {
  appId: string;
  tenantId: string;
  emails: string[];
  chatWebhookUrl: string | null;
  chatKind: ChatKind | null;
  consecutiveFailures: number | null;
  failureRatePercent: number | null;
  failureRateWindowMinutes: number | null;
  minIntervalMinutes: number;
  events: NoticeKind[];
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

/** The chat services a notice can be posted to through an incoming webhook. */
export type ChatKind = 'slack' | 'discord' | 'teams';

/** What a failure notice reports. */
export type NoticeKind = 'failing' | 'disabled' | 'recovered';

/** Per endpoint: what decides its next failure notice (0042). */
export interface EndpointNoticeStateTable {
  endpointId: string;
  tenantId: string;
  /** The endpoint's failingSince the count belongs to. */
  failingSince: Timestamp | null;
  consecutiveFailures: Generated<number>;
  /** A failing or disabled notice went out, and no recovered notice since. */
  failingNoticed: Generated<boolean>;
  lastNoticeAt: Timestamp | null;
}

export interface EndpointSecretTable {
  id: string;
  tenantId: string;
  endpointId: string;
  secret: string;
  createdAt: CreatedAt;
  /** null while the key is current; set when rotated out (end of its grace period). */
  expiresAt: Timestamp | null;
}

export interface EndpointTransformationTable {
  endpointId: string;
  tenantId: string;
  /** Svix's `handler(webhook)` JavaScript; null: none set. */
  code: string | null;
  enabled: Generated<boolean>;
  variables: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
  /** Also the code's version: the worker caches compiled code per endpoint and this. */
  updatedAt: Timestamp;
}

/** The OAuth 2.0 client an endpoint's attempts get their bearer token from (Svix's EndpointOauthConfigIn, secret apart). */
export interface EndpointOauthConfig {
  tokenUrl: string;
  clientId: string;
  authMethod: 'clientSecretBasic' | 'clientSecretPost';
  grantType: 'clientCredentials';
  scopes: string[] | null;
  extraParams: Record<string, string> | null;
}

export interface EndpointAuthTable {
  endpointId: string;
  tenantId: string;
  oauth: ColumnType<EndpointOauthConfig | null, string | null | undefined, string | null>;
  /** Encrypted, bound to this row and column. */
  oauthClientSecret: string | null;
  basicUsername: string | null;
  /** Encrypted, bound to this row and column. */
  basicPassword: string | null;
  /** Also the OAuth client's version: the worker's token cache is keyed by it. */
  updatedAt: Timestamp;
}

export interface EndpointMtlsTable {
  endpointId: string;
  tenantId: string;
  /** The client certificate chain (PEM, leaf first); null with no client identity (a CA bundle only). */
  clientCert: string | null;
  /** The client certificate's private key (PEM), as a SecretBox envelope bound to this row. */
  clientKey: string | null;
  /** The CA bundle (PEM) the endpoint's server certificate must chain to; null: the system's roots. */
  serverCaCert: string | null;
  /** Also the settings' version: the worker keeps one TLS agent per endpoint and this. */
  updatedAt: Timestamp;
}

export interface MessageTable {
  id: string;
  tenantId: string;
  appId: string;
  eventType: string;
  eventId: string | null;
  channels: string[] | null;
  tags: string[] | null;
  /** The JSON body exactly as delivered and signed (text keeps key order and bytes stable); null once expunged or expired. */
  payload: string | null;
  createdAt: CreatedAt;
  expiresAt: Timestamp;
}

/**
 * An application's eventId claimed by a message (see 0019_partitioned_history): what makes a
 * repeated eventId a 409, which a unique index on the partitioned message table cannot.
 */
export interface MessageEventIdTable {
  appId: string;
  eventId: string;
  tenantId: string;
  msgId: string;
}

/** One row per (message, endpoint): the delivery's current state. */
export interface MessageDeliveryTable {
  tenantId: string;
  appId: string;
  msgId: string;
  endpointId: string;
  /**
   * Svix's MessageStatus: 0 success, 1 pending (not attempted yet), 2 fail, 3 sending (an attempt
   * failed, a retry is scheduled), 4 canceled (skipped by the endpoint's payload filter or
   * transformation, or its endpoint was deleted before it ended).
   */
  status: number;
  attemptCount: Generated<number>;
  nextAttemptAt: Timestamp | null;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

export interface MessageAttemptTable {
  id: string;
  tenantId: string;
  appId: string;
  msgId: string;
  endpointId: string;
  url: string;
  /** 0 success, 2 fail (attempts are recorded once finished). */
  status: number;
  responseStatusCode: number;
  response: string;
  responseDurationMs: number;
  /** 0 scheduled, 1 manual. */
  triggerType: number;
  responseHeaders: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
  /** The headers the attempt was sent with; null: a credential's value, never stored (0028_attempt_request_headers). Null on older attempts. */
  requestHeaders: ColumnType<Record<string, string | null> | null, string | null | undefined, string | null>;
  createdAt: CreatedAt;
}

/** latency0 … latency15: attempts per bucket of the latency histogram (see LATENCY_BOUNDS_MS). */
type LatencyHistogramColumns = { [K in `latency${0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15}`]: number };

/** Finished attempts per endpoint and minute or hour; written only by a trigger on message_attempt (migration 0020). */
export interface DeliveryStatTable extends LatencyHistogramColumns {
  tenantId: string;
  appId: string;
  endpointId: string;
  /** The bucket's width: 1 or 60. */
  minutes: number;
  bucket: Timestamp;
  success: number;
  fail: number;
  status2xx: number;
  status3xx: number;
  status4xx: number;
  status5xx: number;
  /** Timeouts, network errors (status 0) and codes outside 200–599. */
  statusOther: number;
}

/** Deliveries per endpoint, hour of their creation and current status; written only by triggers on message_delivery. */
export interface DeliveryStatusCountTable {
  tenantId: string;
  appId: string;
  endpointId: string;
  hour: Timestamp;
  status: number;
  /** 0: what fan-outs inserted; 1: what attempts changed and deletes removed (0046). A count is the sum of both. */
  part: Generated<number>;
  n: number;
}

export interface IdempotencyKeyTable {
  tenantId: string;
  key: string;
  request: string;
  statusCode: number | null;
  responseBody: string | null;
  /** When the current owner claimed the key (moved forward when a stale claim is taken over). */
  createdAt: Timestamp;
  completedAt: Timestamp | null;
}

export interface BackgroundTaskTable {
  id: string;
  tenantId: string;
  /** e.g. `endpoint.recover` */
  task: string;
  /** `running`, `finished` or `failed` */
  status: string;
  /** The endpoint a recovery works on: one runs per endpoint at a time (see 0017_capacity_limits). */
  endpointId: string | null;
  data: Json<Record<string, unknown>>;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

/** A tenant's API rate-limit state (see 0012_api_rate_limit); written only by apiRateLimitRepo. */
export interface ApiRateLimitTable {
  tenantId: string;
  tat: Date;
  allowed: boolean;
  /** Requests the last statement took (an api process leases several, see 0048). */
  granted: Generated<number>;
}

/** An application's portal rate-limit state (see 0017_capacity_limits); written only by apiRateLimitRepo. */
export interface PortalRateLimitTable {
  tenantId: string;
  appId: string;
  tat: Date;
  allowed: boolean;
  granted: Generated<number>;
}

/** A message not yet fanned out (see 0015_fanout_pending); written and read only by fanOutRepo. */
export interface FanoutPendingTable {
  id: Generated<number>;
  tenantId: string;
  msgId: string;
  trace: Json<Record<string, string>> | null;
  attempts: Generated<number>;
  availableAt: Generated<Date>;
  /** Set by hookline.publish: its commit wakes a sleeping worker (0038). */
  wakeAtCommit: Generated<boolean>;
}

/** A worker's fan-out loop that sleeps until `until` unless woken (0038); written only by fanOutSleepRepo. */
export interface FanoutSleeperTable {
  worker: string;
  until: Date;
}

export interface EndpointThrottleTable {
  endpointId: string;
  nextAt: Date;
}

/** One audited change or secret read (see 0022_audit_log); append-only, written and read only by auditLogRepo. */
export interface AuditLogTable {
  id: string;
  tenantId: string;
  at: Date;
  actorKind: string;
  actorId: string;
  actorName: string;
  action: string;
  targetKind: string;
  targetId: string;
  appId: string | null;
  clientAddress: string | null;
  userAgent: string | null;
  requestId: string | null;
  changes: Json<Record<string, unknown>>;
}

export type Role = 'owner' | 'admin' | 'developer' | 'viewer';

export interface PersonTable {
  id: string;
  email: string;
  name: Generated<string>;
  /** scrypt$N$r$p$salt$hash (see packages/core/src/accounts/passwords.ts); null until set. */
  passwordHash: string | null;
  passwordChangedAt: Timestamp | null;
  createdAt: CreatedAt;
}

export interface MembershipTable {
  tenantId: string;
  personId: string;
  role: Role;
  createdAt: CreatedAt;
}

export interface PersonSessionTable {
  id: string;
  /** SHA-256 of the cookie's value; the value itself is never stored. */
  tokenHash: string;
  personId: string;
  currentTenantId: string | null;
  createdAt: CreatedAt;
  lastSeenAt: Timestamp;
  idleExpiresAt: Timestamp;
  expiresAt: Date;
  revokedAt: Timestamp | null;
  userAgent: string | null;
  clientAddress: string | null;
  /** Set when the tenant's single sign-on started the session: it works on that tenant only. */
  ssoTenantId: string | null;
}

export interface InviteTable {
  id: string;
  /** SHA-256 of the link's token. */
  tokenHash: string;
  tenantId: string;
  email: string | null;
  role: Role;
  inviterPersonId: string | null;
  createdAt: CreatedAt;
  expiresAt: Date;
  usedAt: Timestamp | null;
}

export interface TenantSsoTable {
  tenantId: string;
  issuer: string;
  clientId: string;
  /** A SecretBox envelope bound to this row (never the plain secret). */
  clientSecret: string;
  allowedDomains: string[];
  defaultRole: Exclude<Role, 'owner'>;
  jitProvisioning: boolean;
  enabled: boolean;
  updatedAt: Timestamp;
}

export interface PersonTotpTable {
  personId: string;
  /** A SecretBox envelope bound to this row. */
  secret: string;
  confirmedAt: Timestamp | null;
  lastUsedStep: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  createdAt: CreatedAt;
}

export interface PersonRecoveryCodeTable {
  id: string;
  personId: string;
  /** SHA-256 of the code; the code itself is shown once. */
  codeHash: string;
  usedAt: Timestamp | null;
}

export interface SignInChallengeTable {
  id: string;
  tokenHash: string;
  personId: string;
  sessionTenantId: string | null;
  expiresAt: Date;
}

/** A password reset link (see 0025_password_reset): single use, short-lived; written and read only by passwordResetRepo. */
export interface PasswordResetTable {
  id: string;
  /** SHA-256 of the link's token. */
  tokenHash: string;
  personId: string;
  createdAt: CreatedAt;
  expiresAt: Date;
  usedAt: Timestamp | null;
}

/** Messages fanned out per tenant, UTC day and writer slot (see 0026_console_usage_counters); written only by a trigger on fanout_pending. */
export interface TenantMessageCountTable {
  tenantId: string;
  /** A UTC day; select it as text (`day::text`): the driver would make a local-midnight Date of a date. */
  day: string;
  slot: number;
  n: number;
}

/** A portal token logged out before its expiry (see 0031_portal_token_logout); written and read only by portalTokenRepo. */
export interface PortalTokenLogoutTable {
  tenantId: string;
  appId: string;
  /** The token's jti. */
  tokenId: string;
  expiresAt: Date;
}

/** A polling endpoint of an application (see 0034_polling_endpoints): its filter and the position it starts from. */
export interface PollerTable {
  id: string;
  tenantId: string;
  appId: string;
  uid: string | null;
  description: string;
  /** null: every event type. */
  eventTypes: string[] | null;
  /** null: every channel. */
  channels: string[] | null;
  /** The message id position a poll without iterator starts from (the poller's creation). */
  startAfter: string;
  createdAt: CreatedAt;
}

/** A consumer's position in a poller, kept server-side (the id of the last message it was given). */
export interface PollerConsumerTable {
  pollerId: string;
  consumerId: string;
  tenantId: string;
  position: string;
  updatedAt: Timestamp;
}

export interface DB {
  poller: PollerTable;
  pollerConsumer: PollerConsumerTable;
  portalTokenLogout: PortalTokenLogoutTable;
  passwordReset: PasswordResetTable;
  tenantMessageCount: TenantMessageCountTable;
  auditLog: AuditLogTable;
  personTotp: PersonTotpTable;
  personRecoveryCode: PersonRecoveryCodeTable;
  signInChallenge: SignInChallengeTable;
  tenantSso: TenantSsoTable;
  person: PersonTable;
  membership: MembershipTable;
  personSession: PersonSessionTable;
  invite: InviteTable;
  fanoutPending: FanoutPendingTable;
  fanoutSleeper: FanoutSleeperTable;
  endpointThrottle: EndpointThrottleTable;
  apiRateLimit: ApiRateLimitTable;
  portalRateLimit: PortalRateLimitTable;
  idempotencyKey: IdempotencyKeyTable;
  backgroundTask: BackgroundTaskTable;
  setting: SettingTable;
  tenant: TenantTable;
  apiKey: ApiKeyTable;
  application: ApplicationTable;
  eventType: EventTypeTable;
  endpoint: EndpointTable;
  deletedEndpoint: DeletedEndpointTable;
  endpointSecret: EndpointSecretTable;
  integration: IntegrationTable;
  notificationSetting: NotificationSettingTable;
  endpointNoticeState: EndpointNoticeStateTable;
  endpointTransformation: EndpointTransformationTable;
  endpointAuth: EndpointAuthTable;
  endpointMtls: EndpointMtlsTable;
  message: MessageTable;
  messageEventId: MessageEventIdTable;
  messageDelivery: MessageDeliveryTable;
  messageAttempt: MessageAttemptTable;
  deliveryStat: DeliveryStatTable;
  deliveryStatusCount: DeliveryStatusCountTable;
}

export type TenantRow = Selectable<TenantTable>;
export type PollerRow = Selectable<PollerTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type NewAuditLogRow = Insertable<AuditLogTable>;
export type PersonRow = Selectable<PersonTable>;
export type MembershipRow = Selectable<MembershipTable>;
export type PersonSessionRow = Selectable<PersonSessionTable>;
export type InviteRow = Selectable<InviteTable>;
export type PasswordResetRow = Selectable<PasswordResetTable>;
export type TenantSsoRow = Selectable<TenantSsoTable>;
export type PersonTotpRow = Selectable<PersonTotpTable>;
export type ApiKeyRow = Selectable<ApiKeyTable>;
export type ApplicationRow = Selectable<ApplicationTable>;
export type NewApplicationRow = Insertable<ApplicationTable>;
export type ApplicationUpdate = Updateable<ApplicationTable>;
export type EventTypeRow = Selectable<EventTypeTable>;
export type EndpointRow = Selectable<EndpointTable>;
export type NewEndpointRow = Insertable<EndpointTable>;
export type EndpointUpdate = Updateable<EndpointTable>;
export type EndpointSecretRow = Selectable<EndpointSecretTable>;
export type IntegrationRow = Selectable<IntegrationTable>;
export type NotificationSettingRow = Selectable<NotificationSettingTable>;
export type EndpointTransformationRow = Selectable<EndpointTransformationTable>;
export type EndpointAuthRow = Selectable<EndpointAuthTable>;
export type EndpointMtlsRow = Selectable<EndpointMtlsTable>;
export type MessageRow = Selectable<MessageTable>;
export type MessageDeliveryRow = Selectable<MessageDeliveryTable>;
export type MessageAttemptRow = Selectable<MessageAttemptTable>;
export type BackgroundTaskRow = Selectable<BackgroundTaskTable>;
export type IdempotencyKeyRow = Selectable<IdempotencyKeyTable>;
