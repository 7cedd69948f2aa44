import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, startTracing, tracingEnabled, type Tracing } from '@hookline/core';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

/** A span as OTLP/HTTP JSON carries it (ids in hex). */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Array<{ key: string; value: { stringValue?: string; intValue?: number | string } }>;
}

/** A loopback OTLP/HTTP collector: keeps every span exported to POST /v1/traces. */
async function startCollector(): Promise<{ url: string; spans: OtlpSpan[]; resources: unknown[]; server: Server }> {
  const spans: OtlpSpan[] = [];
  const resources: unknown[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req
      .setEncoding('utf8')
      .on('data', (c: string) => {
        body += c;
      })
      .on('end', () => {
        if (req.method === 'POST' && req.url === '/v1/traces' && req.headers['content-type'] === 'application/json') {
          const data = JSON.parse(body) as { resourceSpans: Array<{ resource: unknown; scopeSpans: Array<{ spans: OtlpSpan[] }> }> };
          for (const rs of data.resourceSpans) {
            resources.push(rs.resource);
            for (const ss of rs.scopeSpans) spans.push(...ss.spans);
          }
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, resources, server };
}

const attr = (span: OtlpSpan, key: string) => {
  const v = span.attributes.find((a) => a.key === key)?.value;
  return v?.stringValue ?? (v?.intValue !== undefined ? Number(v.intValue) : undefined);
};

let collector: Awaited<ReturnType<typeof startCollector>>;
let tracing: Tracing | undefined;
let h: TestHookline;
let receiver: Receiver;
let auth: { authorization: string };
let appId: string;
let endpointId: string;

beforeAll(async () => {
  collector = await startCollector();
  tracing = await startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_SERVICE_NAME: 'hookline-test' }, { 'hookline.role': 'all' });
  h = await startTestHookline();
  const { apiKey } = await h.createTenant();
  auth = { authorization: `Bearer ${apiKey}` };
  receiver = await startReceiver(() => ({ status: 204 }));
  const app = await h.http.post('/api/v1/app').set(auth).send({ name: 'traced' }).expect(201);
  const ep = await h.http
    .post(`/api/v1/app/${app.body.id}/endpoint`)
    .set(auth)
    .send({ url: `${receiver.url}/hook` })
    .expect(201);
  appId = app.body.id as string;
  endpointId = ep.body.id as string;
});
afterAll(async () => {
  await h?.stop();
  await tracing?.shutdown();
  await receiver?.close();
  await new Promise((r) => collector?.server.close(r));
});

/** Publishes, waits for the delivery to be recorded, flushes, and returns the spans of that message. */
async function publishAndCollect(headers: Record<string, string> = {}): Promise<{ msgId: string; spans: OtlpSpan[] }> {
  const res = await h.http
    .post(`/api/v1/app/${appId}/msg`)
    .set(auth)
    .set(headers)
    .send({ eventType: 'order.created', payload: { n: 1 } })
    .expect(202);
  const msgId = res.body.id as string;
  const deadline = Date.now() + 20_000;
  for (;;) {
    await tracing!.forceFlush();
    const spans = collector.spans.filter((s) => attr(s, 'hookline.message.id') === msgId);
    if (spans.some((s) => s.name === 'hookline.deliver')) return { msgId, spans };
    if (Date.now() > deadline) throw new Error(`spans so far: ${JSON.stringify(spans.map((s) => s.name))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('OpenTelemetry tracing', () => {
  it('exports publish, fan-out and delivery spans of one message in one trace, with ids and the HTTP status', async () => {
    const { msgId, spans } = await publishAndCollect();
    const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
    const publish = byName['hookline.publish']!;
    const fanOut = byName['hookline.fanout']!;
    const deliver = byName['hookline.deliver']!;
    expect([publish, fanOut, deliver].every(Boolean)).toBe(true);
    expect(publish.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set([publish.traceId, fanOut.traceId, deliver.traceId]).size).toBe(1);
    // The job data carried the context across the queue: each span is the child of the one before.
    expect(fanOut.parentSpanId).toBe(publish.spanId);
    expect(deliver.parentSpanId).toBe(fanOut.spanId);
    expect(attr(deliver, 'hookline.endpoint.id')).toBe(endpointId);
    expect(attr(deliver, 'http.response.status_code')).toBe(204);
    expect(attr(deliver, 'hookline.outcome')).toBe('succeeded');
    expect(attr(fanOut, 'hookline.fanout.endpoints')).toBe(1);
    expect(attr(publish, 'hookline.message.id')).toBe(msgId);
    expect(JSON.stringify(collector.resources)).toContain('hookline-test');
  });

  it("continues the caller's trace when the publish request carries a traceparent", async () => {
    const traceId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const parentSpan = '00f067aa0ba902b7';
    const { spans } = await publishAndCollect({ traceparent: `00-${traceId}-${parentSpan}-01` });
    expect(spans.map((s) => s.name).sort()).toEqual(['hookline.deliver', 'hookline.fanout', 'hookline.publish']);
    expect(spans.every((s) => s.traceId === traceId)).toBe(true);
    expect(spans.find((s) => s.name === 'hookline.publish')!.parentSpanId).toBe(parentSpan);
  });
});

describe('tracingEnabled', () => {
  it('is off unless an OTLP endpoint or HOOKLINE_OTEL=true is set, and refuses other values', () => {
    expect(tracingEnabled({})).toBe(false);
    expect(tracingEnabled({ HOOKLINE_OTEL: 'true' })).toBe(true);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', HOOKLINE_OTEL: 'false' })).toBe(false);
    expect(() => tracingEnabled({ HOOKLINE_OTEL: 'yes' })).toThrow(ConfigError);
  });
});
