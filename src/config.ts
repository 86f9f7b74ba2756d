import { z } from 'zod';
import type { Vendor } from './model/records.js';

/**
 * All configuration, read from the environment once, validated with zod. Nothing else in opsgraph
 * reads `process.env`. A bad setting stops the process with a message naming the setting.
 */
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const url = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
  .transform((u) => u.replace(/\/+$/, ''));
const nonEmpty = z.string().min(1);

const envSchema = z.object({
  PORT: int(0, 65535).default(4000),
  HOST: nonEmpty.default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Serve /metrics on a port of its own (0: any free port); unset: on PORT beside /graphql. */
  METRICS_PORT: int(0, 65535).optional(),
  /** OpenTelemetry: the OTLP/HTTP collector's base URL; traces go to `<url>/v1/traces`. Unset: tracing off. */
  OTEL_EXPORTER_OTLP_ENDPOINT: url.optional(),
  /** Force the built-in sandboxes even when some vendor is configured. */
  OPSGRAPH_SANDBOX: z.enum(['0', '1', 'true', 'false']).optional(),
  SANDBOX_SEED: int(0, 2 ** 31 - 1).default(42),
  SANDBOX_SCALE: z.coerce.number().positive().max(1000).default(1),
  SANDBOX_LATENCY_MS: int(0, 60_000).default(0),

  ISOLOCITY_BASE_URL: url.optional(),
  ISOLOCITY_TOKEN: nonEmpty.optional(),
  PHARUS_BASE_URL: url.optional(),
  PHARUS_TOKEN: nonEmpty.optional(),
  PHARUS_ORG_ID: nonEmpty.optional(),
  DISTRU_BASE_URL: url.optional(),
  DISTRU_TOKEN: nonEmpty.optional(),
  HAPIHUB_BASE_URL: url.optional(),
  HAPIHUB_TOKEN: nonEmpty.optional(),

  CROSSWALK_FILE: nonEmpty.optional(),
  REQUEST_DEADLINE_MS: int(100, 600_000).default(10_000),
  LIVE_STOCK_MAX_AGE_MS: int(0, 600_000).default(5_000),
  REFERENCE_MAX_AGE_MS: int(0, 86_400_000).default(300_000),
  QUALITY_MAX_AGE_MS: int(0, 86_400_000).default(60_000),
  STALE_MAX_MS: int(0, 86_400_000).default(900_000),
  MAX_INDEX_ENTRIES: int(100, 10_000_000).default(500_000),
  IDEMPOTENCY_WINDOW_MS: int(1_000, 7 * 86_400_000).default(86_400_000),

  /** Directory of the embedded store (SQLite); ignored when DATABASE_URL is set. */
  OPSGRAPH_DATA_DIR: nonEmpty.default('./.opsgraph'),
  /** PostgreSQL connection string for the store (shared by replicas). Checked when the store opens. */
  DATABASE_URL: nonEmpty.optional(),
});

export interface VendorConnection {
  baseUrl: string;
  token: string;
  /** Pharus only. */
  orgId?: string;
}

export interface GatewayConfig {
  port: number;
  host: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** null: /metrics is served on `port`. */
  metricsPort: number | null;
  /** null: no traces are exported. */
  otlpEndpoint: string | null;
  /** 'sandbox': start the four built-in vendor sandboxes and use them. */
  mode: 'sandbox' | 'vendors';
  sandbox: { seed: number; scale: number; latencyMs: number };
  /** Configured vendors (in 'vendors' mode); the others are off. */
  vendors: Partial<Record<Vendor, VendorConnection>>;
  crosswalkFile: string | null;
  requestDeadlineMs: number;
  freshness: {
    liveStockMaxAgeMs: number;
    referenceMaxAgeMs: number;
    qualityMaxAgeMs: number;
    staleMaxMs: number;
    maxIndexEntries: number;
  };
  idempotencyWindowMs: number;
  /** Where opsgraph keeps its own data (see src/store). */
  store: { dataDir: string; databaseUrl: string | null };
}

export class ConfigError extends Error {}

/** The values no log line may ever show: every configured vendor credential. */
export function configuredSecrets(config: GatewayConfig): string[] {
  return Object.values(config.vendors).flatMap((v) => (v ? [v.token, ...(v.orgId ? [v.orgId] : [])] : []));
}

/** Reads and validates the configuration; throws ConfigError naming each bad setting. */
export function loadConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  // Empty strings count as unset: `FOO= npm start` should not be a validation error.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    // Never echo the value: it may be a token.
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const vendors: GatewayConfig['vendors'] = {};
  const problems: string[] = [];
  const pair = (vendor: Vendor, base: string | undefined, token: string | undefined, extra: Record<string, string | undefined> = {}) => {
    const prefix = vendor;
    const given = [base, token, ...Object.values(extra)].filter((v) => v !== undefined).length;
    if (given === 0) return;
    if (base === undefined) problems.push(`${prefix}_BASE_URL: required when other ${prefix}_ settings are set`);
    if (token === undefined) problems.push(`${prefix}_TOKEN: required when ${prefix}_BASE_URL is set`);
    for (const [name, value] of Object.entries(extra)) if (value === undefined) problems.push(`${name}: required when ${prefix}_BASE_URL is set`);
    if (base !== undefined && token !== undefined) vendors[vendor] = { baseUrl: base, token, ...(extra.PHARUS_ORG_ID ? { orgId: extra.PHARUS_ORG_ID } : {}) };
  };
  pair('ISOLOCITY', e.ISOLOCITY_BASE_URL, e.ISOLOCITY_TOKEN);
  pair('PHARUS', e.PHARUS_BASE_URL, e.PHARUS_TOKEN, { PHARUS_ORG_ID: e.PHARUS_ORG_ID });
  pair('DISTRU', e.DISTRU_BASE_URL, e.DISTRU_TOKEN);
  pair('HAPIHUB', e.HAPIHUB_BASE_URL, e.HAPIHUB_TOKEN);
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);

  const forceSandbox = e.OPSGRAPH_SANDBOX === '1' || e.OPSGRAPH_SANDBOX === 'true';
  const mode = forceSandbox || Object.keys(vendors).length === 0 ? 'sandbox' : 'vendors';
  return {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    metricsPort: e.METRICS_PORT ?? null,
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT ?? null,
    mode,
    sandbox: { seed: e.SANDBOX_SEED, scale: e.SANDBOX_SCALE, latencyMs: e.SANDBOX_LATENCY_MS },
    vendors: mode === 'sandbox' ? {} : vendors,
    crosswalkFile: e.CROSSWALK_FILE ?? null,
    requestDeadlineMs: e.REQUEST_DEADLINE_MS,
    freshness: {
      liveStockMaxAgeMs: e.LIVE_STOCK_MAX_AGE_MS,
      referenceMaxAgeMs: e.REFERENCE_MAX_AGE_MS,
      qualityMaxAgeMs: e.QUALITY_MAX_AGE_MS,
      staleMaxMs: e.STALE_MAX_MS,
      maxIndexEntries: e.MAX_INDEX_ENTRIES,
    },
    idempotencyWindowMs: e.IDEMPOTENCY_WINDOW_MS,
    store: { dataDir: e.OPSGRAPH_DATA_DIR, databaseUrl: e.DATABASE_URL ?? null },
  };
}
