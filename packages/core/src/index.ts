export { loadConfig, withConfigFile, ConfigError, DEFAULT_RETRY_SCHEDULE, envSchema, type Config } from './config.ts';
export {
  HooklineError,
  NotFoundError,
  ConflictError,
  AuthenticationError,
  ForbiddenError,
  ValidationError,
  RefusedTargetError,
  BadRequestError,
  RateLimitedError,
  TooManyAuthFailuresError,
  UnreadableSecretError,
} from './errors.ts';
export { enforcePortalRateLimit, retryAfterHeaderSeconds, type ApiRateLimit } from './rateLimit/apiRateLimit.ts';
export { ApiRateLeases } from './rateLimit/apiRateLeases.ts';
export { AuthFailureLimiter, clientKey, type AuthFailureLimits } from './rateLimit/authFailures.ts';
export { newId, ksuid, idBoundary } from './ids.ts';
export { paginate, type ListPage, type ListParams, type Ordering } from './pagination.ts';
export { Wakeup } from './queue/wakeup.ts';
export { PlannerStatistics } from './queue/plannerStatistics.ts';
export * from './tenants/apiKeys.ts';
export { ApiKeyCache, type ApiKeyCacheOptions } from './tenants/apiKeyCache.ts';
export type { Actor, RequestOrigin } from './audit/actor.ts';
export { ROLES, ACCESS_ROLES, rolesFor, roleAllows, type Access, type Role } from './accounts/roles.ts';
export { hashPassword, verifyPassword, MIN_PASSWORD_LENGTH } from './accounts/passwords.ts';
export {
  createSession,
  authenticateSession,
  sessionPolicyOf,
  listSessions,
  revokeSession,
  switchTenant,
  type SessionPerson,
  type SessionPolicy,
  type NewSession,
} from './accounts/sessions.ts';
export { SignInThrottle, type SignInThrottleLimits } from './accounts/signInThrottle.ts';
export { signIn } from './accounts/signIn.ts';
export { getMe, changePassword } from './accounts/me.ts';
export { listMembers, changeMemberRole, removeMember, type ManagerRole } from './accounts/members.ts';
export { createInvite, inviteMember, acceptInvite, previewInvite, inviteUrl, INVITE_VALID_SECONDS } from './accounts/invites.ts';
export { listPendingInvites, resendInvite, revokeInvite } from './accounts/pendingInvites.ts';
export { smtpInviteMailer, type InviteMailer } from './accounts/inviteMail.ts';
export { requestPasswordReset, completePasswordReset, passwordResetUrl, PASSWORD_RESET_VALID_SECONDS } from './accounts/passwordReset.ts';
export { smtpPasswordResetMailer, type PasswordResetMailer } from './accounts/passwordResetMail.ts';
export { PasswordResetThrottle, PASSWORD_RESET_WINDOW_SECONDS } from './accounts/passwordResetThrottle.ts';
export * from './accounts/accountSchemas.ts';
export * from './accounts/sso/ssoSchemas.ts';
export { getSsoConfig, setSsoConfig, deleteSsoConfig, ssoOffered, ssoRedirectUri } from './accounts/sso/ssoConfig.ts';
export { startSsoSignIn, finishSsoSignIn } from './accounts/sso/ssoSignIn.ts';
export { SSO_TRANSACTION_COOKIE, SSO_TRANSACTION_SECONDS } from './accounts/sso/ssoTransaction.ts';
export * from './accounts/totp/totpSchemas.ts';
export { startTotpEnrolment, confirmTotpEnrolment, disableTotp } from './accounts/totp/totp.ts';
export { completeSecondFactor, CHALLENGE_COOKIE, CHALLENGE_SECONDS, type SignInResult } from './accounts/totp/signInChallenge.ts';
export * from './tenants/tenants.ts';
export { listTenantUsage } from './tenants/tenantUsage.ts';
export * from './tenants/usageSchemas.ts';
export * from './tenants/tenantSettings.ts';
export * from './applications/applications.ts';
export { listApplicationsWithStats } from './applications/applicationStats.ts';
export * from './endpoints/endpoints.ts';
export * from './endpoints/endpointSearch.ts';
export { rotateEndpointSecret, MAX_OLD_SECRETS } from './endpoints/rotateSecret.ts';
export { getEndpointHeaders, replaceEndpointHeaders, patchEndpointHeaders } from './endpoints/endpointHeaders.ts';
export {
  getEndpointOauth,
  putEndpointOauth,
  deleteEndpointOauth,
  getEndpointBasicAuth,
  putEndpointBasicAuth,
  deleteEndpointBasicAuth,
} from './endpoints/endpointAuth.ts';
export * from './endpoints/endpointAuthSchemas.ts';
export { OAuthTokens, type OAuthClient, type TokenResult } from './delivery/oauthTokens.ts';
export { sendWithCredentials, type EndpointCredentials } from './delivery/endpointCredentials.ts';
export { recoverEndpoint, runRecoverTask, RECOVER_TASK } from './endpoints/recover.ts';
export { startReplay, runReplayStep, REPLAY_TASKS, REPLAY_BATCH } from './endpoints/replay.ts';
export * from './endpoints/replaySchemas.ts';
export { getBackgroundTask, listBackgroundTasks, toBackgroundTaskOut } from './backgroundTasks/backgroundTasks.ts';
export * from './backgroundTasks/backgroundTaskSchemas.ts';
export { importOpenApi } from './eventTypes/openApiImport.ts';
export * from './eventTypes/openApiImportSchemas.ts';
export { sendExample, PING_EVENT_TYPE } from './endpoints/sendExample.ts';
export { getEndpointStats } from './endpoints/endpointStats.ts';
export { getStatSeries, getStatSeriesOf, percentiles } from './statistics/statSeries.ts';
export { getStatsOverview, OVERVIEW_LIST_LIMIT } from './statistics/overview.ts';
export * from './statistics/overviewSchemas.ts';
export * from './eventTypes/eventTypes.ts';
export * from './integrations/integrations.ts';
export * from './notices/noticeSchemas.ts';
export { getNotificationSettings, putNotificationSettings } from './notices/notificationSettings.ts';
export { createNoticeSenders, sendNotice, sendTestNotice, NoticeSendError, type NoticeSenders, type NoticeOutcome } from './notices/noticeDelivery.ts';
export { chatBody, chatKindOf, maskChatUrl } from './notices/chatNotice.ts';
export { noticeText, displayUrl } from './notices/noticeMessage.ts';
export { exportEnvironment, importEnvironment } from './environment/environment.ts';
export { isEventTypeVisible, type FeatureFlagScope } from './eventTypes/featureFlags.ts';
export * from './messages/messages.ts';
export * from './messages/messageSearch.ts';
export * from './messages/messageReplay.ts';
export * from './attempts/attempts.ts';
export * from './attempts/deliveries.ts';
export { resendMessage } from './attempts/resend.ts';
export { expungeAttemptContent } from './attempts/attemptContent.ts';
export * from './messages/precheck.ts';
export * from './messages/bulkExpunge.ts';
export * from './messages/expungeAllContents.ts';
export { nextRetryDelaySeconds, maxAttempts, RETRY_JITTER } from './delivery/retrySchedule.ts';
export {
  checkEndpointDeliverySettings,
  effectiveRetrySchedule,
  effectiveTimeoutMs,
  MAX_ATTEMPTS_LIMIT,
  MAX_TIMEOUT_MS,
  MIN_TIMEOUT_MS,
  type EndpointDeliverySettings,
} from './delivery/endpointDeliverySettings.ts';
export { assertUrlAllowedForTenant, HTTPS_ONLY_REFUSAL, isPlainHttpUrl, listHttpEndpoints } from './tenants/httpsOnly.ts';
export { fanOutMessages, fanOutPending, fanOutPendingOneByOne, fanOutRetryDelaySeconds, type FannedOut } from './delivery/fanOut.ts';
export { FanOutSleepNotice } from './delivery/fanOutSleep.ts';
export {
  payloadFilterSchema,
  matchesPayloadFilter,
  findFilterProblems,
  PAYLOAD_FILTER_LIMITS,
  type PayloadFilter,
  type FilterProblem,
} from './delivery/payloadFilter.ts';
export { loadDelivery, loadDeliveries, recordAttempt, isSuccess, type DeliveryContext, type AttemptResult, type AttemptCommit } from './delivery/attemptRecord.ts';
export { GroupCommit } from './delivery/recording/groupCommit.ts';
export { DeliveryLoader } from './delivery/recording/deliveryLoader.ts';
export { ClaimLapsedError, settleInTransaction, finishDeliveriesInTransaction } from './delivery/recording/settle.ts';
export { parseAllowList, checkEndpointUrl, isAddressAllowed, type AllowList } from './delivery/ssrfGuard.ts';
export { createHttpSender, type SendRequest, type SendResult } from './delivery/httpClient.ts';
export { mtlsRefOf, type MtlsRef } from './delivery/mtlsAgents.ts';
export { mtlsLoader } from './delivery/mtlsLoader.ts';
export * from './endpoints/mtls/mtlsSchemas.ts';
export { getEndpointMtls, putEndpointMtls, deleteEndpointMtls } from './endpoints/mtls/endpointMtls.ts';
export { namedSignatureHeaders, signatureHeaderNamesSchema, type SignatureHeaderNames } from './delivery/signatureHeaderNames.ts';
export * from './schemas/common.ts';
export * from './applications/applicationSchemas.ts';
export * from './endpoints/endpointSchemas.ts';
export * from './endpoints/endpointSearchSchemas.ts';
export * from './endpoints/endpointActionSchemas.ts';
export * from './statistics/statisticsSchemas.ts';
export { aggregateAppStats, aggregateEventTypes } from './statistics/usage.ts';
export * from './statistics/usageSchemas.ts';
export * from './eventTypes/eventTypeSchemas.ts';
export * from './integrations/integrationSchemas.ts';
export * from './environment/environmentSchemas.ts';
export * from './messages/messageSchemas.ts';
export * from './messages/messageSearchSchemas.ts';
export * from './attempts/attemptSchemas.ts';
export * from './tenants/tenantSchemas.ts';
export * from './tenants/settingsSchemas.ts';
export * from './tenants/portalBrand.ts';
export * from './portal/portalAccessSchemas.ts';
export { signPortalToken, verifyPortalToken, looksLikePortalToken, hasCapability, type PortalClaims } from './portal/portalToken.ts';
export { loadPortalKeyRing, loadPortalSigningKey, portalKeyRing, type PortalKeyRing, type PortalSigningKey } from './portal/portalSigningKeys.ts';
export { createAppPortalAccess, resolveCapabilities } from './portal/portalAccess.ts';
export { addRevocations, authenticatePortalToken, expireAllPortalTokens, isPortalTokenRevoked, logoutPortalToken } from './portal/portalRevocation.ts';
export {
  claimIdempotencyKey,
  claimIdempotencyKeyIn,
  completeIdempotencyKey,
  releaseIdempotencyKey,
  IDEMPOTENCY_RETENTION_HOURS,
  type IdempotencyClaim,
} from './idempotency/idempotency.ts';
export { runMaintenance, type MaintenanceResult } from './maintenance/maintenance.ts';
export { acquireSendSlot, postponeAttempt, MAX_INLINE_WAIT_MS, type SendPermit } from './delivery/throttle.ts';
export { OPERATIONAL_EVENT_TYPES, type OperationalEmitter, type OperationalEventType } from './operational/operationalEvents.ts';
export {
  createOperationalEndpoint,
  listOperationalEndpoints,
  getOperationalEndpoint,
  upsertOperationalEndpoint,
  deleteOperationalEndpoint,
  operationalAppId,
  toOperationalEndpointOut,
} from './operational/operationalEndpoints.ts';
export * from './operational/operationalEndpointSchemas.ts';
export { checkReadiness, type Readiness } from './health/readiness.ts';
export { createMetrics, registerQueueGauges, FAN_OUT_GAUGE_QUEUE, type Metrics } from './metrics/metrics.ts';
export {
  SecretBox,
  SecretDecryptionError,
  parseEncryptionKeys,
  isEncrypted,
  isBound,
  ENCRYPTION_KEYS_VARIABLE,
  type EncryptionKey,
  type SecretPlace,
} from './secrets/secretBox.ts';
export { endpointSecretPlace, headerValuePlace, integrationKeyPlace, mtlsKeyPlace, settingPlace } from './secrets/secretPlaces.ts';
export { loadSecretBinding, watchSecretBinding, BINDING_POLL_MS } from './secrets/secretBinding.ts';
export { openSecretBox, checkMasterKeys, loadOrCreateLocalKey, LOCAL_KEY_FILE } from './secrets/masterKeys.ts';
export { reencryptSecrets, type ReencryptResult, type ReencryptLimits } from './secrets/reencrypt.ts';
export { createLogger, LOG_REDACT_PATHS } from './logging/logger.ts';
export { inSpan, traceField, SpanKind, SPAN_ATTRIBUTES, type Span, type TraceCarrier } from './telemetry/tracing.ts';
export { startTracing, tracingEnabled, type Tracing } from './telemetry/otelSdk.ts';
export { AUDIT_ACTIONS, type AuditAction, type AuditTarget } from './audit/auditActions.ts';
export { describeChanges, describeKeyChanges, type AuditChanges, type FieldChange } from './audit/auditChanges.ts';
export * from './audit/auditSchemas.ts';
export {
  recordAudit,
  inAuditedTransaction,
  listAuditLog,
  exportAuditLog,
  pruneAuditLog,
  maintenanceActor,
  maintenanceAudit,
  toAuditRecordOut,
  type AuditContext,
  type AuditBy,
  type AuditEntry,
} from './audit/auditLog.ts';
export { createPoller, listPollers, deletePoller, getPoller, toPollerOut } from './pollers/pollers.ts';
export { pollMessages, pollAsConsumer, seekConsumer, type PollSettings } from './pollers/polling.ts';
export * from './pollers/pollerSchemas.ts';
export * from './transformations/transformationSchemas.ts';
export { getEndpointTransformation, patchEndpointTransformation, simulateTransformation } from './transformations/endpointTransformation.ts';
export { Transformer } from './transformations/transformer.ts';
export { outgoingRequest, cancelDelivery } from './transformations/deliveryTransform.ts';
export { completeDroppedDelivery } from './delivery/droppedDelivery.ts';
export { TRANSFORMATION_TEMPLATES, type TransformationTemplate } from './transformations/templates.ts';
export { SANDBOX_LIMITS } from './transformations/sandbox.ts';
export { TransformationFailedError } from './transformations/transformationErrors.ts';
