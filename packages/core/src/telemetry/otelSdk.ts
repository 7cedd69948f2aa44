import { context, propagation, trace } from '@opentelemetry/api';
import { ConfigError } from '../config.ts';

/** A started OpenTelemetry SDK: flush before exit so the last spans are exported. */
export interface Tracing {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Tracing is off unless an OTLP endpoint is configured (standard variables) or HOOKLINE_OTEL=true. */
export function tracingEnabled(env: Env): boolean {
  const flag = env.HOOKLINE_OTEL?.trim().toLowerCase();
  if (flag !== undefined && flag !== '' && flag !== 'true' && flag !== 'false') {
    throw new ConfigError(`HOOKLINE_OTEL: must be true or false, got "${env.HOOKLINE_OTEL}"`);
  }
  if (flag === 'false') return false;
  return flag === 'true' || Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** The OTLP/HTTP traces URL from the standard variables (the exporter's own default when unset). */
function tracesUrl(env: Env): string | undefined {
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) return `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  return undefined;
}

/**
 * Registers the OpenTelemetry SDK (OTLP/HTTP JSON exporter, W3C propagation, AsyncLocalStorage
 * context) when tracing is enabled; returns undefined otherwise. The SDK is imported only then, so
 * a deployment without tracing never loads it. `env` is the merged environment (a config file's
 * variables included); other OTEL_* settings (headers, timeouts) are read by the exporter itself.
 */
export async function startTracing(env: Env, attributes: Record<string, string> = {}): Promise<Tracing | undefined> {
  if (!tracingEnabled(env)) return undefined;
  const [{ TracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { AsyncLocalStorageContextManager }, core, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
    import('@opentelemetry/resources'),
  ]);
  const url = tracesUrl(env);
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || 'hookline', ...attributes }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter(url ? { url } : {}) })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new core.CompositePropagator({
      propagators: [new core.W3CTraceContextPropagator(), new core.W3CBaggagePropagator()],
    }),
  );
  trace.setGlobalTracerProvider(provider);
  return {
    forceFlush: () => provider.forceFlush(),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
