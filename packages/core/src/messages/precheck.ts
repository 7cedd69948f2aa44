import { z } from 'zod';
import { fanOutRepo, type Database } from '@hookline/db';
import { getApplication } from '../applications/applications.ts';
import { channelSchema, eventTypeNameSchema } from '../schemas/common.ts';

export const messagePrecheckInSchema = z
  .object({
    eventType: eventTypeNameSchema,
    channels: z.array(channelSchema).max(10).nullish(),
  })
  .meta({ id: 'MessagePrecheckIn' });
export type MessagePrecheckIn = z.output<typeof messagePrecheckInSchema>;

export const messagePrecheckOutSchema = z.object({ active: z.boolean() }).meta({ id: 'MessagePrecheckOut' });

/**
 * Whether publishing a message of this event type and channels would reach any endpoint (Svix's
 * precheck), by fan-out's own subscription rule. A payload filter is not applied (there is no
 * payload yet): an endpoint with one counts as active, so a sender skips nothing that could arrive.
 */
export async function precheckMessage(db: Database, tenantId: string, appIdOrUid: string, input: MessagePrecheckIn): Promise<{ active: boolean }> {
  const app = await getApplication(db, tenantId, appIdOrUid);
  const channels = input.channels && input.channels.length > 0 ? input.channels : null;
  return { active: await fanOutRepo.anyEndpointSubscribes(db, tenantId, app.id, input.eventType, channels) };
}
