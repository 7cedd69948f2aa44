import {
  createNoticeSenders,
  getApplication,
  getNotificationSettings,
  noticeTestOutSchema,
  notificationSettingsInSchema,
  notificationSettingsOutSchema,
  putNotificationSettings,
  sendTestNotice,
} from '@hookline/core';
import { auditOf } from '../http/auditOf.ts';
import { defineRoute } from '../http/route.ts';
import { appPath } from './paths.ts';

// Failure notices to the customer (Hookline's own; Svix has none): per application, where notices
// of failing, disabled and recovered endpoints go. The end customer's own settings, so a portal
// session may read them and one that manages endpoints may change and test them.
const common = { auth: 'tenant', tag: 'Notification settings', params: appPath } as const;
const path = '/api/v1/app/:app/notification-settings';

export const notificationSettingRoutes = [
  defineRoute({
    ...common,
    method: 'get',
    path,
    access: 'read',
    portal: 'ViewBase',
    operationId: 'v1.notification-settings.get',
    summary: "Get the application's failure-notice settings (the chat webhook URL masked)",
    response: { status: 200, schema: notificationSettingsOutSchema },
    handler: async ({ deps, tenantId, params }) => {
      const app = await getApplication(deps.db, tenantId, params.app);
      return { status: 200, body: await getNotificationSettings(deps.db, tenantId, app.id, deps.secretBox) };
    },
  }),
  defineRoute({
    ...common,
    method: 'put',
    path,
    access: 'write',
    portal: 'ManageEndpoint',
    operationId: 'v1.notification-settings.update',
    summary: "Replace the application's failure-notice settings (an absent chatWebhookUrl keeps the stored one)",
    body: notificationSettingsInSchema,
    response: { status: 200, schema: notificationSettingsOutSchema },
    handler: async (ctx) => {
      const app = await getApplication(ctx.deps.db, ctx.tenantId, ctx.params.app);
      const deps = { box: ctx.deps.secretBox, allow: ctx.deps.allow };
      return { status: 200, body: await putNotificationSettings(ctx.deps.db, ctx.tenantId, app.id, ctx.body, deps, auditOf(ctx)) };
    },
  }),
  defineRoute({
    ...common,
    method: 'post',
    path: `${path}/test`,
    access: 'write',
    portal: 'ManageEndpoint',
    operationId: 'v1.notification-settings.test',
    summary: 'Send a test notice to every target now and report how each went',
    response: { status: 200, schema: noticeTestOutSchema },
    handler: async (ctx) => {
      const app = await getApplication(ctx.deps.db, ctx.tenantId, ctx.params.app);
      const senders = createNoticeSenders(ctx.deps.config, ctx.deps.allow);
      try {
        return { status: 200, body: await sendTestNotice(ctx.deps.db, ctx.tenantId, app.id, ctx.deps.secretBox, senders, auditOf(ctx)) };
      } finally {
        await senders.close();
      }
    },
  }),
];
