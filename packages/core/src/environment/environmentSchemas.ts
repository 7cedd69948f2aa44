import { z } from 'zod';
import { eventTypeInSchema, eventTypeOutSchema } from '../eventTypes/eventTypeSchemas.ts';
import { portalLogoSchema } from '../tenants/portalLogo.ts';
import { portalThemeSchema } from '../tenants/settingsSchemas.ts';
import { retryScheduleSchema } from '../tenants/tenantSchemas.ts';

// Svix's environment export and import (EnvironmentOut, EnvironmentIn). Svix calls `settings` a
// JSON blob of its environment settings: the keys Hookline has a place for are read (and checked),
// the others are ignored (docs/api.md#environment-export-and-import lists both).

/** The format's version, as Svix's exports carry it. */
export const ENVIRONMENT_VERSION = 1;

/** Settings an export carries and an import reads; null clears a setting, an absent key leaves it. */
export const environmentSettingsSchema = z
  .looseObject({
    customColor: portalThemeSchema.shape.primaryColor.unwrap().nullish().describe("The portal's primary colour (Svix's customColor)"),
    customFontFamily: portalThemeSchema.shape.fontFamily.unwrap().nullish().describe("The portal's font (Svix's customFontFamily)"),
    customLogoUrl: portalLogoSchema.nullish().describe("The portal's logo (Svix's customLogoUrl)"),
    retrySchedule: retryScheduleSchema.nullish().describe("Hookline's: the tenant's retry delays in seconds"),
    retentionDays: z.number().int().min(1).max(3650).nullish().describe("Hookline's: days after which the tenant's payloads are expired"),
  })
  .meta({ id: 'EnvironmentSettings' });
export type EnvironmentSettings = z.output<typeof environmentSettingsSchema>;

/**
 * Svix's EnvironmentIn. `eventTypes` take Svix's EventTypeIn, so an export's EventTypeOut items
 * (with createdAt, updatedAt, …) are read as they are; connectors and transformation templates
 * are accepted and ignored (Hookline has none).
 */
export const environmentInSchema = z
  .object({
    eventTypes: z.array(eventTypeInSchema).max(10_000).nullish(),
    settings: environmentSettingsSchema.nullish(),
    connectors: z.array(z.unknown()).nullish(),
    transformationTemplates: z.array(z.unknown()).nullish(),
  })
  .meta({ id: 'EnvironmentIn' });
export type EnvironmentIn = z.output<typeof environmentInSchema>;

export const environmentOutSchema = z
  .object({
    version: z.number().int(),
    createdAt: z.date(),
    eventTypes: z.array(eventTypeOutSchema),
    settings: environmentSettingsSchema,
    /** Always empty: Hookline has no connectors (Svix's clients read both names). */
    connectors: z.array(z.unknown()),
    transformationTemplates: z.array(z.unknown()),
  })
  .meta({ id: 'EnvironmentOut' });
export type EnvironmentOut = z.output<typeof environmentOutSchema>;
