import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

/**
 * Spans of Hookline's own work (publish → fan-out → deliver), through the OpenTelemetry API only:
 * without a registered SDK (see startTracing) every call here is a no-op, so tracing costs nothing
 * when it is off. Trace context crosses the queue in the job's data (`trace`), so a delivery made
 * by another process, minutes later, still belongs to the publish's trace.
 */

/** W3C trace context (`traceparent`, `tracestate`) as carried in a job's data. */
export type TraceCarrier = Record<string, string>;

/** Attribute names, shared so spans and tests agree. */
export const SPAN_ATTRIBUTES = Object.freeze({
  tenantId: 'hookline.tenant.id',
  appId: 'hookline.app.id',
  messageId: 'hookline.message.id',
  endpointId: 'hookline.endpoint.id',
  attempt: 'hookline.attempt',
  outcome: 'hookline.outcome',
  endpoints: 'hookline.fanout.endpoints',
  httpStatus: 'http.response.status_code',
});

/** `{ trace }` with the active trace context, to spread into a job's data; `{}` when nothing is traced. */
export function traceField(): { trace?: TraceCarrier } {
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return Object.keys(carrier).length > 0 ? { trace: carrier } : {};
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /**
   * Where the span's trace comes from: a job's `trace`, or request headers (a caller's
   * `traceparent`). Without it, the active context.
   */
  parent?: Readonly<Record<string, string | string[] | undefined>> | undefined;
}

function parentAndOptions(options: SpanOptions) {
  const parent = options.parent ? propagation.extract(ROOT_CONTEXT, options.parent) : context.active();
  const spanOptions = { kind: options.kind ?? SpanKind.INTERNAL, ...(options.attributes ? { attributes: options.attributes } : {}) };
  return { parent, spanOptions };
}

/** Runs `fn` in a new active span, ended when `fn` settles; a thrown error marks the span failed. */
export function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  const { parent, spanOptions } = parentAndOptions(options);
  return trace.getTracer('hookline').startActiveSpan(name, spanOptions, parent, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      failSpan(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}

/**
 * Starts a span that is not made active, for one item of a batch whose items each continue their
 * own trace; `trace` is its context, to spread into that item's jobs. The caller ends the span.
 */
export function startSpan(name: string, options: SpanOptions): { span: Span; trace: { trace?: TraceCarrier } } {
  const { parent, spanOptions } = parentAndOptions(options);
  const span = trace.getTracer('hookline').startSpan(name, spanOptions, parent);
  const carrier: TraceCarrier = {};
  propagation.inject(trace.setSpan(parent, span), carrier);
  return { span, trace: Object.keys(carrier).length > 0 ? { trace: carrier } : {} };
}

/** Marks a span failed with `err`. */
export function failSpan(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: SpanStatusCode.ERROR });
}

export { SpanKind };
export type { Span };
