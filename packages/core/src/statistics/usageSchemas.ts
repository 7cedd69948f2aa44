import { z } from 'zod';
import { taskStartedOutSchema } from '../backgroundTasks/backgroundTaskSchemas.ts';
import { idOrUidSchema } from '../schemas/common.ts';

const dateTime = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

/** Applications one usage request may name. */
export const MAX_USAGE_APP_IDS = 1000;

/** Svix's AppUsageStatsIn (POST /api/v1/stats/usage/app). */
export const appUsageStatsInSchema = z
  .object({
    since: dateTime,
    until: dateTime,
    /** Application ids or uids; none: every application with attempts in the range. */
    appIds: z.array(idOrUidSchema).min(1).max(MAX_USAGE_APP_IDS).nullish(),
  })
  .meta({ id: 'AppUsageStatsIn' });
export type AppUsageStatsIn = z.output<typeof appUsageStatsInSchema>;

/** Svix's AppUsageStatsOut: the task, and the given ids or uids that named no application. */
export const appUsageStatsOutSchema = taskStartedOutSchema.extend({ unresolvedAppIds: z.array(z.string()) }).meta({ id: 'AppUsageStatsOut' });
export type AppUsageStatsOut = z.output<typeof appUsageStatsOutSchema>;

/** Svix's AggregateEventTypesOut (PUT /api/v1/stats/usage/event-types). */
export const aggregateEventTypesOutSchema = taskStartedOutSchema.meta({ id: 'AggregateEventTypesOut' });

/** One application's line of an `application.stats` task's data (`data.appStats`), as Svix documents it. */
export interface AppStat {
  /** Attempts made to the application's endpoints in the range (Svix: "the number of message attempts"). */
  messageDestinations: number;
  appId: string;
  appUid: string | null;
}

/** One application's line of an `event-type.aggregate` task's data (`data.event_types`), as Svix documents it. */
export interface AppEventTypes {
  appId: string;
  /** The event types its endpoints' filters name, sorted, each once. */
  explicitlySubscribedEventTypes: string[];
  /** One of its endpoints has no event-type filter: it gets every event type. */
  hasCatchAllEndpoint: boolean;
}
