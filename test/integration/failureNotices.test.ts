import { Writable } from 'node:stream';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver, type Reply } from '@hookline/test-support/receiver';
import { startSmtpServer, unwrapped, type Mail, type TestSmtpServer } from '@hookline/test-support/smtpServer';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { waitUntil } from '@hookline/test-support/process';

// Failure notices to the customer, end to end: attempts recorded by the worker decide notices in
// their transaction; the worker sends them to a real SMTP server and to loopback chat receivers.

const VENDOR = 'Acme Webhooks Inc';
const LOGO = 'https://cdn.acme.test/logo.png';
const PUBLIC_URL = 'https://hooks.acme.test';
/** The token part of the chat webhook URLs: it must never come back out. */
const TOKEN = 'XOXB-SECRET-TOKEN-4242';

let h: TestHookline;
let smtp: TestSmtpServer;
let auth: { authorization: string };
let logs = '';
const receivers: Receiver[] = [];
/** Every API answer body seen, to search for the token. */
const answers: string[] = [];

beforeAll(async () => {
  smtp = await startSmtpServer();
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs += chunk.toString('utf8');
      done();
    },
  });
  // Four attempts a second apart per message.
  h = await startTestHookline(
    { HOOKLINE_SMTP_URL: smtp.url, HOOKLINE_SMTP_FROM: 'Notices <notices@hookline.test>', HOOKLINE_PUBLIC_URL: PUBLIC_URL, HOOKLINE_RETRY_SCHEDULE: '1,1,1' },
    pino({ level: 'trace' }, sink),
  );
  const tenant = await h.createTenant(VENDOR);
  auth = { authorization: `Bearer ${tenant.apiKey}` };
  const client = new pg.Client({ connectionString: h.connectionString });
  await client.connect();
  await client.query('UPDATE tenant SET portal_logo = $1 WHERE id = $2', [LOGO, tenant.tenantId]);
  await client.end();
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await h?.stop();
  await smtp?.close();
});

async function receiver(reply?: (n: number) => Reply): Promise<Receiver> {
  const r = await startReceiver(reply ? (_req, n) => reply(n) : undefined);
  receivers.push(r);
  return r;
}

async function appWithEndpoint(name: string, r: Receiver) {
  const app = await h.http.post('/api/v1/app').set(auth).send({ name }).expect(201);
  const ep = await h.http
    .post(`/api/v1/app/${app.body.id}/endpoint`)
    .set(auth)
    .send({ url: `${r.url}/hook?key=endpoint-credential` })
    .expect(201);
  return { appId: app.body.id as string, endpointId: ep.body.id as string };
}

async function putSettings(appId: string, body: object, status = 200) {
  const res = await h.http.put(`/api/v1/app/${appId}/notification-settings`).set(auth).send(body).expect(status);
  answers.push(JSON.stringify(res.body));
  return res;
}

const publish = (appId: string) =>
  h.http
    .post(`/api/v1/app/${appId}/msg`)
    .set(auth)
    .send({ eventType: 'order.created', payload: { n: 1 } })
    .expect(202);

const mailsTo = (to: string, about: string): Mail[] => smtp.mails.filter((m) => m.to.includes(to) && /^Subject: .*$/m.exec(unwrapped(m))![0].includes(about));

async function waitForMail(to: string, about: string): Promise<Mail> {
  await waitUntil(() => mailsTo(to, about).length > 0, 30_000, `a "${about}" notice to ${to}`);
  return mailsTo(to, about)[0]!;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('failure notices', () => {
  it('emails a failing notice once, however many failures follow, and a recovered notice when a delivery succeeds', async () => {
    let failing = true;
    const r = await receiver(() => (failing ? { status: 500, body: 'upstream exploded' } : { status: 200 }));
    const { appId } = await appWithEndpoint('Billing', r);
    await putSettings(appId, { emails: ['ops@customer.test'], thresholds: { consecutiveFailures: 3 }, minIntervalMinutes: 60 });

    for (let i = 0; i < 3; i++) await publish(appId);
    const mail = await waitForMail('ops@customer.test', 'failing');
    const text = unwrapped(mail);
    expect(text).toContain(`Subject: [${VENDOR}] Webhook endpoint failing in Billing`);
    expect(text).toContain(`${r.url}/hook (query left out)`);
    expect(text).not.toContain('endpoint-credential');
    expect(text).toContain('HTTP 500: upstream exploded');
    expect(text).toContain(`${PUBLIC_URL}/portal/`);
    expect(text).toMatch(/src=(3D)?"https:\/\/cdn\.acme\.test\/logo\.png"/);
    // Every attempt of the three messages fails (4 each): still one failing notice.
    await r.waitFor(12, 30_000);
    await sleep(1500);
    expect(mailsTo('ops@customer.test', 'failing')).toHaveLength(1);

    failing = false;
    await publish(appId);
    const recovered = unwrapped(await waitForMail('ops@customer.test', 'recovered'));
    expect(recovered).toContain(`[${VENDOR}] Webhook endpoint recovered in Billing`);

    // A new failing spell within the interval: the rate limit holds the notice back.
    failing = true;
    const before = r.requests.length;
    for (let i = 0; i < 2; i++) await publish(appId);
    await r.waitFor(before + 8, 30_000);
    await sleep(1500);
    expect(mailsTo('ops@customer.test', 'failing')).toHaveLength(1);
  }, 90_000);

  it('tells of a disabled endpoint by email and in a Slack-shaped chat message, without showing the chat URL', async () => {
    const chat = await receiver();
    const r = await receiver(() => ({ status: 410 }));
    const { appId, endpointId } = await appWithEndpoint('Shipping', r);
    const put = await putSettings(appId, {
      emails: ['dev@customer.test'],
      chatWebhookUrl: `${chat.url}/services/T0/B0/${TOKEN}`,
      chatKind: 'slack',
      events: ['disabled'],
    });
    expect(put.body.chatWebhookUrl).toBe(`${chat.url}/…`);
    expect(put.body.chatKind).toBe('slack');

    await publish(appId);
    const mail = unwrapped(await waitForMail('dev@customer.test', 'disabled'));
    expect(mail).toContain(`[${VENDOR}] Webhook endpoint disabled in Shipping`);
    const [post] = await chat.waitFor(1);
    expect(post!.path).toBe(`/services/T0/B0/${TOKEN}`);
    const body = JSON.parse(post!.body);
    expect(body.text).toBe(`[${VENDOR}] Webhook endpoint disabled in Shipping`);
    expect(body.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    expect(body.blocks[1].text.text).toContain('HTTP 410');
    expect((await h.http.get(`/api/v1/app/${appId}/endpoint/${endpointId}`).set(auth).expect(200)).body.disabled).toBe(true);

    // Stored encrypted, shown masked, never logged.
    const client = new pg.Client({ connectionString: h.connectionString });
    await client.connect();
    const stored = await client.query<{ chat_webhook_url: string }>('SELECT chat_webhook_url FROM notification_setting WHERE app_id = $1', [appId]);
    await client.end();
    expect(stored.rows[0]!.chat_webhook_url).toMatch(/^hl2:/);
    const got = await h.http.get(`/api/v1/app/${appId}/notification-settings`).set(auth).expect(200);
    answers.push(JSON.stringify(got.body));
    expect(got.body).toMatchObject({ emails: ['dev@customer.test'], chatWebhookUrl: `${chat.url}/…`, events: ['disabled'] });
    // Putting back what was read (no chatWebhookUrl) keeps the stored URL.
    const { chatWebhookUrl: _masked, updatedAt: _at, ...rest } = got.body;
    await putSettings(appId, rest);
    const tested = await h.http.post(`/api/v1/app/${appId}/notification-settings/test`).set(auth).expect(200);
    answers.push(JSON.stringify(tested.body));
    expect(tested.body.results).toContainEqual({ target: 'chat', to: 'slack', ok: true });
    const audit = await h.http.get('/api/v1/audit-log').set(auth).query({ limit: 250 });
    answers.push(JSON.stringify(audit.body));
  }, 60_000);

  it('sends test notices in Discord and Teams shapes and reports each target', async () => {
    const discord = await receiver();
    const teams = await receiver();
    const broken = await receiver(() => ({ status: 404, body: 'no such webhook' }));
    const app = await h.http.post('/api/v1/app').set(auth).send({ name: 'Catalog' }).expect(201);
    const appId = app.body.id as string;
    const test = async () => {
      const res = await h.http.post(`/api/v1/app/${appId}/notification-settings/test`).set(auth).expect(200);
      answers.push(JSON.stringify(res.body));
      return res.body.results as Array<{ target: string; to: string; ok: boolean; error?: string }>;
    };

    await putSettings(appId, { emails: ['a@customer.test', 'b@customer.test'], chatWebhookUrl: `${discord.url}/api/webhooks/1/${TOKEN}`, chatKind: 'discord' });
    expect(await test()).toEqual([
      { target: 'email', to: 'a@customer.test', ok: true },
      { target: 'email', to: 'b@customer.test', ok: true },
      { target: 'chat', to: 'discord', ok: true },
    ]);
    const mail = await waitForMail('a@customer.test', 'Test notice');
    expect(mail.to).toEqual(['a@customer.test', 'b@customer.test']);
    const discordBody = JSON.parse((await discord.waitFor(1))[0]!.body);
    expect(discordBody.content).toBe(`[${VENDOR}] Test notice for Catalog`);
    expect(discordBody.embeds[0].fields).toContainEqual({ name: 'Application', value: 'Catalog' });

    await putSettings(appId, { emails: [], chatWebhookUrl: `${teams.url}/workflows/${TOKEN}`, chatKind: 'teams' });
    expect(await test()).toEqual([{ target: 'chat', to: 'teams', ok: true }]);
    const teamsBody = JSON.parse((await teams.waitFor(1))[0]!.body);
    expect(teamsBody.type).toBe('message');
    expect(teamsBody.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(teamsBody.attachments[0].content.body[0].text).toBe(`[${VENDOR}] Test notice for Catalog`);

    await putSettings(appId, { chatWebhookUrl: `${broken.url}/services/${TOKEN}`, chatKind: 'slack' });
    const [failed] = await test();
    expect(failed).toMatchObject({ target: 'chat', to: 'slack', ok: false, error: 'the slack webhook answered HTTP 404' });
  }, 60_000);

  it('notices a failure rate over the window from the per-minute statistics', async () => {
    // Failures and successes alternate: never two failures in a row, but half of the attempts fail.
    const r = await receiver((n) => (n % 2 === 1 ? { status: 503 } : { status: 200 }));
    const { appId } = await appWithEndpoint('Search', r);
    await putSettings(appId, { emails: ['rate@customer.test'], thresholds: { failureRate: { percent: 50, windowMinutes: 5 } } });
    for (let i = 0; i < 4; i++) await publish(appId);
    const mail = unwrapped(await waitForMail('rate@customer.test', 'failing'));
    expect(mail).toContain('HTTP 503');
  }, 60_000);

  it('refuses bad settings with a 422 and changes nothing', async () => {
    const app = await h.http.post('/api/v1/app').set(auth).send({ name: 'Strict' }).expect(201);
    const appId = app.body.id as string;
    await putSettings(appId, { emails: ['keep@customer.test'] });
    const bad: Array<[object, string]> = [
      [{ emails: ['not-an-address'] }, 'emails'],
      [{ emails: Array.from({ length: 21 }, (_, i) => `p${i}@customer.test`) }, 'emails'],
      [{ chatWebhookUrl: 'not a url', chatKind: 'slack' }, 'chatWebhookUrl'],
      [{ chatWebhookUrl: '', chatKind: 'slack' }, 'chatWebhookUrl'],
      [{ chatWebhookUrl: 'ftp://hooks.slack.com/services/x' }, 'chatWebhookUrl'],
      [{ chatWebhookUrl: 'http://hooks.slack.com/services/x' }, 'chatWebhookUrl'],
      [{ chatWebhookUrl: 'https://chat.example.test/hook' }, 'chatKind'],
      [{ chatWebhookUrl: 'https://10.1.2.3/hook', chatKind: 'slack' }, 'chatWebhookUrl'],
      [{ chatKind: 'irc' }, 'chatKind'],
      [{ thresholds: {} }, 'thresholds'],
      [{ thresholds: { failureRate: { percent: 0, windowMinutes: 5 } } }, 'thresholds'],
      [{ thresholds: { failureRate: { percent: 50, windowMinutes: 61 } } }, 'thresholds'],
      [{ minIntervalMinutes: 0 }, 'minIntervalMinutes'],
      [{ events: ['exploded'] }, 'events'],
    ];
    for (const [body, field] of bad) {
      const res = await putSettings(appId, body, 422);
      expect(JSON.stringify(res.body.detail), JSON.stringify(body)).toContain(field);
    }
    const got = await h.http.get(`/api/v1/app/${appId}/notification-settings`).set(auth).expect(200);
    expect(got.body.emails).toEqual(['keep@customer.test']);
    // Another tenant's application is not found.
    const other = await h.createTenant('other');
    await h.http
      .get(`/api/v1/app/${appId}/notification-settings`)
      .set({ authorization: `Bearer ${other.apiKey}` })
      .expect(404);
  });

  it('never shows the chat webhook token in an API answer or a log line', () => {
    expect(answers.length).toBeGreaterThan(5);
    for (const answer of answers) expect(answer).not.toContain(TOKEN);
    expect(logs).toContain('failure notice handled');
    expect(logs).not.toContain(TOKEN);
  });
});
