export type * from './schema.ts';
export {
  connectDatabase,
  connectionSettings,
  connectionSettingsOf,
  pingDatabase,
  type Connection,
  type ConnectionSettings,
  type Database,
  type PgPool,
  type Transaction,
  type ConnectOptions,
} from './connect.ts';
export { GENERIC_PLANS, preparingClient } from './preparedStatements.ts';
export { listenForNotifications, type ListenOptions, type NotificationListener } from './notifications.ts';
export { HOOKLINE_SCHEMA } from './hooklineSchema.ts';
export { migrateDatabase, migrateSchemaTo, writePublishDefaults, DEFAULT_HISTORY_PARTITION_SECONDS, type PublishDefaults } from './migrate.ts';
export { base62, idBoundary, idTime, KSUID_EPOCH } from './ksuidTime.ts';
// The queue's door: the only code that knows pg-boss (docs/adr/0001-queue-door.md).
export { createBoss, startBoss, stopBoss, type Job, type PgBoss } from './queue/boss.ts';
export {
  JOBS,
  DELIVERY_LANES,
  MAINTENANCE_CRON,
  maintenanceCron,
  DELIVERY_WAKEUP_CHANNEL,
  FANOUT_WAKEUP_CHANNEL,
  HEARTBEAT_SECONDS,
  endpointGroupConcurrency,
  deliveryLane,
  ensureQueues,
  queueDefinitions,
  type DeliverJob,
  type ExpungeContentsJob,
  type NoticeJob,
  type RecoverJob,
  type ReplayJob,
  type JobTrace,
  type QueueSettings,
} from './queue/jobs.ts';
export { enqueueDeliveries, enqueueExpungeContents, enqueueNotices, enqueueRecover, enqueueReplay } from './queue/enqueue.ts';
export { claimOf, fetchJobs, handBackJobs, heartbeatJobs, completeHeldJob, finishHeldJobs, type AttemptClaims } from './queue/claims.ts';
export { readQueueBacklog, queueReachable, type QueueBacklog } from './queue/backlog.ts';
export { consumeJobs, consumeSchedule, stopConsuming } from './queue/consumers.ts';
export {
  startEmbeddedPostgres,
  ensureDatabase,
  resolveDatabase,
  EmbeddedPostgresError,
  type RunningPostgres,
  type EmbeddedPostgresOptions,
  type ResolvedDatabase,
} from './embeddedPostgres.ts';
export type { Page, PageFit } from './repos/page.ts';
export * as tenantRepo from './repos/tenantRepo.ts';
export * as applicationRepo from './repos/applicationRepo.ts';
export * as endpointRepo from './repos/endpointRepo.ts';
export * as endpointTransformationRepo from './repos/endpointTransformationRepo.ts';
export * as endpointAuthRepo from './repos/endpointAuthRepo.ts';
export type { EndpointAuthValues } from './repos/endpointAuthRepo.ts';
export * as endpointMtlsRepo from './repos/endpointMtlsRepo.ts';
export * as backgroundTaskRepo from './repos/backgroundTaskRepo.ts';
export * as replayRepo from './repos/replayRepo.ts';
export * as eventTypeRepo from './repos/eventTypeRepo.ts';
export * as integrationRepo from './repos/integrationRepo.ts';
export * as noticeRepo from './repos/noticeRepo.ts';
export type { NoticeTarget } from './repos/noticeRepo.ts';
export * as messageRepo from './repos/messageRepo.ts';
export * as pollerRepo from './repos/pollerRepo.ts';
export * as messageSearchRepo from './repos/messageSearchRepo.ts';
export type { MessageSearch } from './repos/messageSearchRepo.ts';
export * as endpointSearchRepo from './repos/endpointSearchRepo.ts';
export type { EndpointSearch, EndpointState, LastAttempt, ListedEndpoint } from './repos/endpointSearchRepo.ts';
export { StatementTemplate } from './statementTemplate.ts';
export * as attemptRepo from './repos/attemptRepo.ts';
export * as deliveryAttemptRepo from './repos/deliveryAttemptRepo.ts';
export type { LoadedEndpointAuth, SucceededAttempt } from './repos/deliveryAttemptRepo.ts';
export * as fanOutRepo from './repos/fanOutRepo.ts';
export type { MessageToFanOut, PendingFanOut } from './repos/fanOutRepo.ts';
export type { NewDelivery } from './repos/attemptRepo.ts';
export * as idempotencyRepo from './repos/idempotencyRepo.ts';
export * as endpointHealthRepo from './repos/endpointHealthRepo.ts';
export * as retentionRepo from './repos/retentionRepo.ts';
export * as historyPartitionRepo from './repos/historyPartitionRepo.ts';
export * as payloadIndexRepo from './repos/payloadIndexRepo.ts';
export type { HistoryPartition } from './repos/historyPartitionRepo.ts';
export * as deliveryStatsRepo from './repos/deliveryStatsRepo.ts';
export type { StatBucket, StatScope } from './repos/deliveryStatsRepo.ts';
export * as throttleRepo from './repos/throttleRepo.ts';
export * as apiRateLimitRepo from './repos/apiRateLimitRepo.ts';
export * as operationalRepo from './repos/operationalRepo.ts';
export * as portalTokenRepo from './repos/portalTokenRepo.ts';
export * as secretStorageRepo from './repos/secretStorageRepo.ts';
export * as plannerStatisticsRepo from './repos/plannerStatisticsRepo.ts';
export * as fanOutSleepRepo from './repos/fanOutSleepRepo.ts';
export * as notifyRepo from './repos/notifyRepo.ts';
export * as personRepo from './repos/personRepo.ts';
export * as membershipRepo from './repos/membershipRepo.ts';
export type { Member } from './repos/membershipRepo.ts';
export * as sessionRepo from './repos/sessionRepo.ts';
export * as inviteRepo from './repos/inviteRepo.ts';
export type { PendingInvite } from './repos/inviteRepo.ts';
export * as passwordResetRepo from './repos/passwordResetRepo.ts';
export * as overviewRepo from './repos/overviewRepo.ts';
export type { BacklogCounts, FailingEndpointRow, AutoDisabledEndpointRow } from './repos/overviewRepo.ts';
export * as usageRepo from './repos/usageRepo.ts';
export type { TenantUsageCounts } from './repos/usageRepo.ts';
export * as ssoRepo from './repos/ssoRepo.ts';
export * as totpRepo from './repos/totpRepo.ts';
export * as auditLogRepo from './repos/auditLogRepo.ts';
export type { AuditFilter } from './repos/auditLogRepo.ts';
export { scopeToTenant, TenantScopePlugin, TenantScopeError, TENANT_TABLES, WORKER_ONLY_TENANT_TABLES } from './tenantScope.ts';
export { callPublishFunction, PUBLISH_STATEMENT, publishParameters, type KyselyExecutor, type PgQueryable, type PublishFunctionCall } from './publishFunction.ts';
