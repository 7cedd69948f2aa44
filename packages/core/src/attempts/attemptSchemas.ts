import { z } from 'zod';
import { listQuerySchema } from '../schemas/common.ts';

export const messageAttemptOutSchema = z.object({
  id: z.string(),
  msgId: z.string(),
  endpointId: z.string(),
  url: z.string(),
  response: z.string(),
  responseStatusCode: z.number().int(),
  responseDurationMs: z.number().int(),
  status: z.number().int().describe('0 success, 1 pending, 2 fail, 3 sending'),
  statusText: z.enum(['success', 'pending', 'fail', 'sending', 'canceled']),
  triggerType: z.number().int().describe('0 scheduled, 1 manual'),
  timestamp: z.date(),
}).meta({ id: 'MessageAttemptOut' });
export type MessageAttemptOut = z.output<typeof messageAttemptOutSchema>;

export const attemptListQuerySchema = listQuerySchema.extend({
  status: z.coerce.number().int().min(0).max(3).optional(),
});
