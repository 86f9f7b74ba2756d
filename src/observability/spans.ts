import { SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';

/** A no-op until an OpenTelemetry SDK is registered (telemetry.ts). */
const tracer = trace.getTracer('opsgraph');

/**
 * Runs `work` in a span of its own, active while it runs (vendor calls made inside nest under it),
 * ended when its promise settles, marked as an error when it rejects.
 */
export function inSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}
