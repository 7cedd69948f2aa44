import { z } from 'zod';
import { listQueryOf, listResponse } from '../schemas/common.ts';

/** Svix's BackgroundTaskType: the kinds its client knows (Hookline runs recover, replay and bulk-replay). */
export const BACKGROUND_TASK_TYPES = [
  'endpoint.replay',
  'endpoint.recover',
  'application.stats',
  'message.broadcast',
  'sdk.generate',
  'event-type.aggregate',
  'application.purge_content',
  'endpoint.bulk-replay',
] as const;

export const backgroundTaskStatusSchema = z.enum(['running', 'finished', 'failed']);
export const backgroundTaskTypeSchema = z.enum(BACKGROUND_TASK_TYPES);

export const backgroundTaskOutSchema = z
  .object({
    /** The task's id (`qtask_…`). */
    id: z.string(),
    status: backgroundTaskStatusSchema,
    task: backgroundTaskTypeSchema,
    /** The task's progress or result, e.g. `{messagesSent: 2}`. */
    data: z.record(z.string(), z.unknown()),
    updatedAt: z.date(),
  })
  .meta({ id: 'BackgroundTaskOut' });
export type BackgroundTaskOut = z.output<typeof backgroundTaskOutSchema>;

export const backgroundTaskListSchema = listResponse(backgroundTaskOutSchema).meta({ id: 'ListResponseBackgroundTaskOut' });

export const backgroundTaskListQuerySchema = listQueryOf('qtask').extend({
  status: backgroundTaskStatusSchema.optional(),
  task: backgroundTaskTypeSchema.optional(),
});
export type BackgroundTaskListQuery = z.output<typeof backgroundTaskListQuerySchema>;

/** What starting a task answers (Svix's ReplayOut, RecoverOut): the task without its data. */
export const taskStartedOutSchema = z
  .object({
    id: z.string(),
    status: backgroundTaskStatusSchema,
    task: backgroundTaskTypeSchema,
    updatedAt: z.date(),
  })
  .meta({ id: 'ReplayOut' });
export type TaskStartedOut = z.output<typeof taskStartedOutSchema>;
