import type { Logger } from 'pino';
import { createLogger, type LogLevel } from '../../src/observability/logger.js';

/** A logger whose JSON lines a test reads back (pino writes to the stream synchronously). */
export class LogCapture {
  readonly raw: string[] = [];
  readonly logger: Logger;

  constructor(options: { level?: LogLevel; secrets?: string[] } = {}) {
    this.logger = createLogger({ level: options.level ?? 'debug', secrets: options.secrets ?? [], destination: { write: (line: string) => void this.raw.push(line) } });
  }

  get lines(): Record<string, unknown>[] {
    return this.raw.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  /** Lines with this message. */
  withMessage(msg: string): Record<string, unknown>[] {
    return this.lines.filter((line) => line.msg === msg);
  }

  clear(): void {
    this.raw.length = 0;
  }
}
