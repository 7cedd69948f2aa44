import { z } from 'zod';
import { channelSchema, eventTypeNameSchema } from '../schemas/common.ts';

const dateTime = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

/** Svix's ReplayIn (POST …/replay-missing). */
export const replayInSchema = z
  .object({
    since: dateTime,
    until: dateTime.nullish(),
  })
  .meta({ id: 'ReplayIn' });
export type ReplayIn = z.output<typeof replayInSchema>;

/** Svix's BulkReplayIn (POST …/bulk-replay): the filters narrow the messages replayed. */
export const bulkReplayInSchema = z
  .object({
    since: dateTime,
    until: dateTime.nullish(),
    eventTypes: z.array(eventTypeNameSchema).min(1).max(100).nullish(),
    channel: channelSchema.nullish(),
    tag: z.string().min(1).max(128).nullish(),
    /** The delivery's status: 0 success, 1 pending, 2 fail, 3 sending, 4 canceled. */
    status: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).nullish(),
    /** Not supported: answered with a 422 rather than ignored (see docs/api.md). */
    statusCodeClass: z.null().optional(),
  })
  .meta({ id: 'BulkReplayIn' });
export type BulkReplayIn = z.output<typeof bulkReplayInSchema>;
