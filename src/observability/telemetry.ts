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
  /** Flushes the spans still buffered and stops the SDK. */
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
  const sdk = new NodeSDK({
    serviceName: 'opsgraph',
    spanProcessors: processors,
    instrumentations: [new UndiciInstrumentation()],
    // Traces only: metrics are Prometheus (/metrics) and logs are pino's JSON lines. Without these
    // the SDK would start OTLP metric and log exporters of its own once an endpoint is set.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
