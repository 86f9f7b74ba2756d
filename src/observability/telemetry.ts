import { context, propagation, trace } from '@opentelemetry/api';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';

export interface TelemetryOptions {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base URL; traces go to `<endpoint>/v1/traces`. */
  otlpEndpoint: string | null;
  /** More span processors (tests pass an in-memory exporter). */
  spanProcessors?: SpanProcessor[];
}

export interface Telemetry {
  /** Flushes the spans still buffered, stops the SDK and hands the process back to the no-op API. */
  shutdown(): Promise<void>;
}

/**
 * OpenTelemetry tracing, on only when there is somewhere to send spans. It registers the global
 * tracer provider and an AsyncLocalStorage context manager, so that the spans opsgraph starts
 * (the operation: @envelop/opentelemetry; each DataLoader batch: src/server/loaders.ts; each vendor
 * attempt: src/http/vendor-http.ts) and the undici instrumentation's HTTP client spans nest into
 * one tree per request. Off, every span call is the @opentelemetry/api no-op.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry | null {
  const processors: SpanProcessor[] = [...(options.spanProcessors ?? [])];
  // The OTLP/HTTP convention (the exporter's own spec): the signal path is appended to the base endpoint.
  if (options.otlpEndpoint) processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: `${options.otlpEndpoint.replace(/\/+$/, '')}/v1/traces` })));
  if (processors.length === 0) return null;
  const undici = new UndiciInstrumentation();
  const sdk = new NodeSDK({
    serviceName: 'opsgraph',
    spanProcessors: processors,
    instrumentations: [undici],
    // Traces only: metrics are Prometheus (/metrics) and logs are pino's JSON lines. Without these
    // the SDK would start OTLP metric and log exporters of its own once an endpoint is set.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return {
    // NodeSDK.shutdown stops the provider but leaves it, its context manager and the undici
    // instrumentation registered process-wide: a later start in the same process (a test file after
    // another, a restarted gateway) would find the globals taken and its spans going nowhere.
    shutdown: async () => {
      await sdk.shutdown();
      undici.disable();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
