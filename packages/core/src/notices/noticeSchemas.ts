import { z } from 'zod';

// Failure notices to the customer (Hookline's own; Svix has none): where an application's notices
// go and when. docs/api.md#failure-notices.

export const NOTICE_KINDS = ['failing', 'disabled', 'recovered'] as const;
export const CHAT_KINDS = ['slack', 'discord', 'teams'] as const;
/** Addresses one application's notices may go to. */
export const MAX_NOTICE_EMAILS = 20;
export const DEFAULT_CONSECUTIVE_FAILURES = 5;
export const DEFAULT_MIN_INTERVAL_MINUTES = 60;
/** The longest failure-rate window: the statistics keep per-minute counts for at least this long. */
export const MAX_FAILURE_RATE_WINDOW_MINUTES = 60;

const thresholdsSchema = z
  .object({
    consecutiveFailures: z.number().int().min(1).max(1000).optional().describe('Failed attempts in a row (no success between) that start a failing notice'),
    failureRate: z
      .object({
        percent: z.number().int().min(1).max(100),
        windowMinutes: z.number().int().min(1).max(MAX_FAILURE_RATE_WINDOW_MINUTES),
      })
      .optional()
      .describe('Share of failed attempts over the last windowMinutes (at least 5 attempts) that starts a failing notice'),
  })
  .refine((t) => t.consecutiveFailures !== undefined || t.failureRate !== undefined, { message: 'give consecutiveFailures, failureRate or both' });

export const notificationSettingsInSchema = z
  .object({
    emails: z.array(z.email().max(320)).max(MAX_NOTICE_EMAILS).default([]),
    chatWebhookUrl: z
      .string()
      .min(1)
      .max(2048)
      .nullish()
      .describe('A Slack, Discord or Microsoft Teams incoming-webhook URL (https); null removes it, absent keeps the stored one'),
    chatKind: z.enum(CHAT_KINDS).optional().describe("The chat service, when the URL's host does not say it"),
    thresholds: thresholdsSchema.default({ consecutiveFailures: DEFAULT_CONSECUTIVE_FAILURES }),
    minIntervalMinutes: z
      .number()
      .int()
      .min(1)
      .max(10_080)
      .default(DEFAULT_MIN_INTERVAL_MINUTES)
      .describe('At most one failing notice per endpoint in this many minutes'),
    events: z
      .array(z.enum(NOTICE_KINDS))
      .max(NOTICE_KINDS.length)
      .default([...NOTICE_KINDS])
      .describe('Which notices go out'),
  })
  .meta({ id: 'NotificationSettingsIn' });
export type NotificationSettingsIn = z.output<typeof notificationSettingsInSchema>;

export const notificationSettingsOutSchema = z
  .object({
    emails: z.array(z.string()),
    chatWebhookUrl: z.string().nullable().describe('Masked: the scheme and host only, as the path holds the webhook token'),
    chatKind: z.enum(CHAT_KINDS).nullable(),
    thresholds: z.object({
      consecutiveFailures: z.number().optional(),
      failureRate: z.object({ percent: z.number(), windowMinutes: z.number() }).optional(),
    }),
    minIntervalMinutes: z.number(),
    events: z.array(z.enum(NOTICE_KINDS)),
    updatedAt: z.date().nullable(),
  })
  .meta({ id: 'NotificationSettingsOut' });
export type NotificationSettingsOut = z.output<typeof notificationSettingsOutSchema>;

export const noticeTestOutSchema = z
  .object({
    results: z.array(
      z.object({
        target: z.enum(['email', 'chat']),
        /** The address, or the chat service. */
        to: z.string(),
        ok: z.boolean(),
        error: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'NoticeTestOut' });
export type NoticeTestOut = z.output<typeof noticeTestOutSchema>;
