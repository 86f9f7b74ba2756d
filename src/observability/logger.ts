import type { YogaLogger } from 'graphql-yoga';
import { pino, stdSerializers, type DestinationStream, type Level, type Logger } from 'pino';
import { currentRequestId } from './request-id.js';

export type LogLevel = Level | 'silent';

export interface LoggerOptions {
  level: LogLevel;
  /**
   * Values that must never be written, wherever they turn up (the vendor tokens, and whatever
   * secrets the API's own auth adds): replaced by `[redacted]` in every line before it is written.
   */
  secrets?: readonly string[];
  /** Where lines go; stdout by default. Tests pass a stream and read the lines back. */
  destination?: DestinationStream;
}

/**
 * Header and field paths pino blanks in every logged object (`redact`): credentials a log call
 * might carry by accident (a request's headers, an error's request options).
 */
export const REDACTED_PATHS = [
  'authorization',
  'headers.authorization',
  'headers.cookie',
  'headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["x-api-key"]',
  'token',
  '*.token',
];

/** The gateway's logger: JSON lines, `service: "opsgraph"`, authorization redacted, secrets scrubbed. */
export function createLogger(options: LoggerOptions): Logger {
  const scrub = secretScrubber(options.secrets ?? []);
  return pino(
    {
      level: options.level,
      base: { service: 'opsgraph' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: stdSerializers.err },
      // Path redaction cannot catch a token quoted inside a message or an error's text: this runs on
      // each finished line and replaces every configured secret, raw or JSON-escaped.
      ...(scrub ? { hooks: { streamWrite: scrub } } : {}),
    },
    options.destination,
  );
}

/** A function replacing each secret (of 4+ characters, raw and as JSON escapes it) in a line. */
export function secretScrubber(secrets: readonly string[]): ((line: string) => string) | undefined {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  if (forms.size === 0) return undefined;
  // Longest first, so that a secret containing another is replaced whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  return (line) => {
    let out = line;
    for (const form of ordered) if (out.includes(form)) out = out.split(form).join('[redacted]');
    return out;
  };
}

/**
 * Yoga's logger, backed by pino. Yoga calls `error(error)` for every error it masks as
 * "Unexpected error." (a bug, not a vendor failure): that becomes an `error` line with the stack,
 * the GraphQL path and the request id, so the operator can find what the client only saw masked.
 */
export function yogaLogger(log: Logger): YogaLogger {
  const line = (level: 'debug' | 'info' | 'warn', args: unknown[]) => {
    const [first, ...rest] = args;
    if (typeof first === 'string') log[level]({ requestId: currentRequestId(), args: rest.length > 0 ? rest : undefined }, first);
    else log[level]({ requestId: currentRequestId(), detail: first }, 'yoga');
  };
  return {
    debug: (...args: unknown[]) => line('debug', args),
    info: (...args: unknown[]) => line('info', args),
    warn: (...args: unknown[]) => line('warn', args),
    error: (...args: unknown[]) => {
      const [error] = args;
      const located = error as { originalError?: unknown; path?: readonly (string | number)[] } | null;
      const original = located?.originalError instanceof Error ? located.originalError : error;
      log.error(
        { requestId: currentRequestId(), err: original instanceof Error ? original : new Error(String(original)), path: located?.path?.join('.') },
        'unexpected error (the client saw "Unexpected error.")',
      );
    },
  };
}
