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
      // An Error is serialised with its type and stack; an `err` already made safe for the log (the
      // masked-error line's redacted `{ type, message, stack }`) is written as it is.
      serializers: { err: (value: unknown) => (value instanceof Error ? stdSerializers.err(value) : value) },
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
 * Yoga's logger, backed by pino. Yoga also calls `error(error)` for every error it masks as
 * "Unexpected error.": the mask itself (src/server/errors/use-error-hardening.ts) already wrote
 * that `error` line, stack, path, client and request id included, so here it is only a `debug`
 * line — one error line per masked error, not two.
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
      log.debug({ requestId: currentRequestId(), type: error instanceof Error ? error.name : typeof error }, 'yoga masked an error (logged above as "unexpected error")');
    },
  };
}
