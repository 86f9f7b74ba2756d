import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Vendor } from './model/records.js';
import { isKnownTimeZone } from './model/time.js';
import { loadIsolocityPaths } from './vendors/isolocity/paths.js';
import type { VendorSettings } from './vendors/types.js';
import { parseApiKeysFile, type ApiKeyEntry } from './server/auth/api-keys.js';
import { DEFAULT_SYNC_SETTINGS, type SyncSettings } from './sync/settings.js';

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
const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

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
  /** First of the four sandbox ports (ISOlocity, Pharus, Distru, HAPIHub take it and the next three); 0 = free ports. */
  SANDBOX_BASE_PORT: int(0, 65532).default(4101),
  /** The sandboxes enforce what the vendors may (Distru: pages of 25, 429 past 2 calls in any second). */
  SANDBOX_STRICT: z.enum(['0', '1', 'true', 'false']).default('0'),

  ISOLOCITY_BASE_URL: url.optional(),
  ISOLOCITY_TOKEN: nonEmpty.optional(),
  ISOLOCITY_TIMEZONE: nonEmpty.refine(isKnownTimeZone, 'is not an IANA time zone this Node knows (e.g. UTC, America/Chicago)').default('UTC'),
  ISOLOCITY_PATHS_FILE: nonEmpty.optional(),
  PHARUS_BASE_URL: url.optional(),
  PHARUS_TOKEN: nonEmpty.optional(),
  PHARUS_ORG_ID: nonEmpty.optional(),
  DISTRU_BASE_URL: url.optional(),
  DISTRU_TOKEN: nonEmpty.optional(),
  DISTRU_MAX_PAGE_SIZE: int(1, 10_000).default(500),
  HAPIHUB_BASE_URL: url.optional(),
  HAPIHUB_TOKEN: nonEmpty.optional(),
  /**
   * Where HAPIHub stock comes from: `fold` (the sum of the inventory transactions, document 003) or
   * `endpoint` (`GET /inventory-stocks`, which newer HAPIHub builds serve; docs/vendors/hapihub.md).
   */
  HAPIHUB_STOCK_SOURCE: z.enum(['fold', 'endpoint']).default('fold'),

  CROSSWALK_FILE: nonEmpty.optional(),
  REQUEST_DEADLINE_MS: int(100, 600_000).default(10_000),
  LIVE_STOCK_MAX_AGE_MS: int(0, 600_000).default(5_000),
  /** How long after a product's stock was last asked for it is kept fresh in the background (0: never). */
  LIVE_STOCK_REFRESH_WINDOW_MS: int(0, 86_400_000).default(120_000),
  /** The most recently asked products whose stock the background refresher keeps fresh (bounds its calls). */
  LIVE_STOCK_REFRESH_MAX_PRODUCTS: int(0, 100_000).default(200),
  REFERENCE_MAX_AGE_MS: int(0, 86_400_000).default(300_000),
  QUALITY_MAX_AGE_MS: int(0, 86_400_000).default(60_000),
  STALE_MAX_MS: int(0, 86_400_000).default(900_000),
  MAX_INDEX_ENTRIES: int(100, 10_000_000).default(500_000),
  IDEMPOTENCY_WINDOW_MS: int(1_000, 7 * 86_400_000).default(86_400_000),
  /** How far V8 lets the heap grow past what the last full collection kept, in percent (0: V8's own choice, up to 4×). See src/server/heap-growth.ts. */
  HEAP_GROWING_PERCENT: int(0, 300).default(50),
  /** Distru calls allowed in any 1-second window, foreground and background together (its FAQ asks for 2). */
  DISTRU_MAX_RPS: int(1, 1_000).default(2),
  /** With the sync on: how old the stored Distru orders and invoices may be before order(id:) catches them up with one shared call. */
  DISTRU_LIVE_MAX_AGE_MS: int(0, 600_000).default(DEFAULT_SYNC_SETTINGS.catchUpMaxAgeMs.DISTRU ?? 2_000),
  /** How long a mutation waits for another request (any replica) writing with the same idempotency key. */
  IDEMPOTENCY_WAIT_MS: int(0, 600_000).default(5_000),

  /** Directory of the embedded store (SQLite); ignored when DATABASE_URL is set. */
  OPSGRAPH_DATA_DIR: nonEmpty.default('./.opsgraph'),
  /** PostgreSQL connection string for the store (shared by replicas). Checked when the store opens. */
  DATABASE_URL: nonEmpty.optional(),
  /** Redis for budgets and invalidations shared by replicas (src/scale). Checked at start. */
  REDIS_URL: nonEmpty.optional(),
  /** How many replicas share the vendor budgets; each keeps to its share while Redis is away. */
  OPSGRAPH_REPLICAS: int(1, 1_000).default(1),
  NODE_ENV: z.string().optional(),
  /** `none` runs without client authentication; it must be said explicitly outside sandbox mode. */
  AUTH: z.enum(['none', 'required']).optional(),
  OPSGRAPH_API_KEYS_FILE: nonEmpty.optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters (an HS256 key)').optional(),
  JWT_JWKS_URL: url.optional(),
  JWT_ISSUER: nonEmpty.optional(),
  JWT_AUDIENCE: nonEmpty.optional(),
  GRAPHIQL: flag.optional(),
  INTROSPECTION: flag.optional(),
  /** Comma-separated origins allowed by CORS, or `*` (any origin, never with credentials). */
  CORS_ORIGINS: z.string().optional(),
  MAX_BODY_BYTES: int(1_024, 100 * 1024 * 1024).default(1024 * 1024),
  MAX_DEPTH: int(1, 100).default(7),
  MAX_ALIASES: int(0, 1_000).default(15),
  MAX_TOKENS: int(100, 1_000_000).default(2_000),
  MAX_DIRECTIVES: int(0, 1_000).default(20),
  MAX_COST: int(10, 100_000_000).default(20_000),
  MAX_PARSER_DEPTH: int(4, 1_000).default(40),
  MAX_VENDOR_CALLS_PER_REQUEST: int(1, 100_000).default(50),

  /** The background sync of vendor lists into the store (src/sync): `off` disables it. */
  SYNC: z.enum(['on', 'off']).default('on'),
  /** How often relations with a vendor increment filter read what changed. */
  SYNC_INTERVAL_MS: int(100, 86_400_000).default(DEFAULT_SYNC_SETTINGS.intervalMs),
  /** How often incrementally synced relations are still read whole (drops records the vendor deleted). */
  SYNC_FULL_REREAD_MS: int(1_000, 30 * 86_400_000).default(DEFAULT_SYNC_SETTINGS.fullRereadMs),
  /** Per vendor: how often relations without an increment filter are re-read whole. */
  ISOLOCITY_SYNC_REREAD_MS: int(100, 30 * 86_400_000).default(DEFAULT_SYNC_SETTINGS.rereadMs.ISOLOCITY),
  PHARUS_SYNC_REREAD_MS: int(100, 30 * 86_400_000).default(DEFAULT_SYNC_SETTINGS.rereadMs.PHARUS),
  DISTRU_SYNC_REREAD_MS: int(100, 30 * 86_400_000).default(DEFAULT_SYNC_SETTINGS.rereadMs.DISTRU),
  HAPIHUB_SYNC_REREAD_MS: int(100, 30 * 86_400_000).default(DEFAULT_SYNC_SETTINGS.rereadMs.HAPIHUB),
  /** With DATABASE_URL: how long a silent sync leader keeps a vendor before another replica takes over. */
  SYNC_LEASE_MS: int(300, 600_000).default(DEFAULT_SYNC_SETTINGS.leaseMs),
  SYNC_YIELD_MAX_MS: int(0, 60_000).default(DEFAULT_SYNC_SETTINGS.yieldMaxMs),
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
  sandbox: { seed: number; scale: number; latencyMs: number; basePort: number; strict: boolean };
  /** Configured vendors (in 'vendors' mode); the others are off. */
  vendors: Partial<Record<Vendor, VendorConnection>>;
  crosswalkFile: string | null;
  /** HAPIHUB_STOCK_SOURCE; absent means `fold`. */
  hapihubStockSource?: 'fold' | 'endpoint';
  requestDeadlineMs: number;
  freshness: {
    liveStockMaxAgeMs: number;
    liveStockRefresh: { windowMs: number; maxProducts: number };
    referenceMaxAgeMs: number;
    qualityMaxAgeMs: number;
    staleMaxMs: number;
    maxIndexEntries: number;
  };
  idempotencyWindowMs: number;
  /** HEAP_GROWING_PERCENT (src/server/heap-growth.ts). */
  heapGrowingPercent: number;
  /** Vendor budgets the scheduler holds (see src/http/rate-limiter.ts). */
  budgets: { distruMaxRps: number };
  idempotencyWaitMs: number;
  /** Where opsgraph keeps its own data (see src/store). */
  store: { dataDir: string; databaseUrl: string | null };
  /** Several replicas (src/scale): shared budgets and invalidations in Redis, one sync leader per vendor. */
  cluster: { redisUrl: string | null; replicas: number };
  vendorSettings: VendorSettings;
  /** The background sync into the store (src/sync). */
  sync: SyncSettings;
  /** What the configuration decided that a user should see once at start (logged by main.ts). */
  notices: string[];
  /** Who may call opsgraph (see src/server/auth/). */
  auth: AuthSettings;
  /** Query and request limits (see src/server/limits/). */
  limits: Limits;
  /** Browser-facing settings: CORS, GraphiQL, introspection and field suggestions. */
  exposure: Exposure;
}

export interface JwtSettings {
  /** An HS256 secret, or a JWKS endpoint for RS256 keys. */
  secret: string | null;
  jwksUrl: string | null;
  issuer: string;
  audience: string;
}

export type AuthSettings = { mode: 'none' } | { mode: 'required'; apiKeys: ApiKeyEntry[]; jwt: JwtSettings | null };

export interface Limits {
  maxBodyBytes: number;
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  maxCost: number;
  /** Nesting of `{`, `[` and `(` in a document, checked before parsing (the parser recurses). */
  maxParserDepth: number;
  maxVendorCallsPerRequest: number;
}

export interface Exposure {
  production: boolean;
  graphiql: boolean;
  introspection: boolean;
  /** "Did you mean …?" in validation errors: they map the schema for whoever cannot introspect it. */
  fieldSuggestions: boolean;
  /** Origins CORS allows; `['*']` is any origin (without credentials); empty is none. */
  corsOrigins: string[];
}

/**
 * Distru's paths carry `/public/v1` (src/vendors/distru/client.ts), so DISTRU_BASE_URL is the
 * origin. Every example of the document writes full URLs ending in `/public/v1`, so a base URL given
 * that way is cut back to its origin rather than sent to `/public/v1/public/v1/…` (a 404 per call).
 */
export function normaliseDistruBaseUrl(url: string): { baseUrl: string; notice: string } {
  const stripped = url.replace(/\/public\/v1\/?$/, '');
  if (stripped !== url) return { baseUrl: stripped, notice: `DISTRU_BASE_URL ends in /public/v1: using ${stripped} as Distru's origin (opsgraph's paths carry /public/v1)` };
  return { baseUrl: url, notice: `DISTRU_BASE_URL taken as Distru's origin: ${url} (calls go to ${url}/public/v1/…)` };
}

export class ConfigError extends Error {}

/** The values no log line may ever show: every configured vendor credential and the JWT secret. */
export function configuredSecrets(config: GatewayConfig): string[] {
  const vendorSecrets = Object.values(config.vendors).flatMap((v) => (v ? [v.token, ...(v.orgId ? [v.orgId] : [])] : []));
  const jwtSecret = config.auth.mode === 'required' && config.auth.jwt?.secret ? [config.auth.jwt.secret] : [];
  return [...vendorSecrets, ...jwtSecret];
}

/** Pharus personal access tokens carry a branded prefix (E005: `pharus_pat_<32 base62 chars>`). */
export function isPharusPat(token: string): boolean {
  return token.startsWith('pharus_pat_');
}

/**
 * The credential settings a vendor's calls are made with, for messages that say what to check: a
 * Pharus personal access token goes without PHARUS_ORG_ID, so that setting is named only when set.
 */
export function credentialSettings(vendor: Vendor, connection: VendorConnection | undefined): string {
  return vendor === 'PHARUS' && connection?.orgId !== undefined ? 'PHARUS_TOKEN and PHARUS_ORG_ID' : `${vendor}_TOKEN`;
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
  // An org-bound personal access token (`pharus_pat_…`) needs no X-Org-Id; a Firebase ID token does
  // (https://docs.pharus.ai/internal/api/endpoints/platform/E005-create-api-token).
  const pharusPat = e.PHARUS_TOKEN !== undefined && isPharusPat(e.PHARUS_TOKEN);
  pair('PHARUS', e.PHARUS_BASE_URL, e.PHARUS_TOKEN, pharusPat && e.PHARUS_ORG_ID === undefined ? {} : { PHARUS_ORG_ID: e.PHARUS_ORG_ID });
  const notices: string[] = [];
  let distruBase = e.DISTRU_BASE_URL;
  if (distruBase !== undefined) {
    const normalised = normaliseDistruBaseUrl(distruBase);
    distruBase = normalised.baseUrl;
    notices.push(normalised.notice);
  }
  pair('DISTRU', distruBase, e.DISTRU_TOKEN);
  pair('HAPIHUB', e.HAPIHUB_BASE_URL, e.HAPIHUB_TOKEN);
  let isolocityPaths: VendorSettings['isolocity']['paths'];
  if (e.ISOLOCITY_PATHS_FILE !== undefined) {
    try {
      isolocityPaths = loadIsolocityPaths(e.ISOLOCITY_PATHS_FILE);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);

  const forceSandbox = e.OPSGRAPH_SANDBOX === '1' || e.OPSGRAPH_SANDBOX === 'true';
  const production = e.NODE_ENV === 'production';
  // Simulated data served as if it were real is worse than not starting: say what to do instead.
  if (production && !forceSandbox && Object.keys(vendors).length === 0) {
    throw new ConfigError('no vendor configured; set OPSGRAPH_SANDBOX=1 to serve the simulators');
  }
  const mode = forceSandbox || Object.keys(vendors).length === 0 ? 'sandbox' : 'vendors';
  const auth = authSettings(e, mode);
  return {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    metricsPort: e.METRICS_PORT ?? null,
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT ?? null,
    mode,
    sandbox: { seed: e.SANDBOX_SEED, scale: e.SANDBOX_SCALE, latencyMs: e.SANDBOX_LATENCY_MS, basePort: e.SANDBOX_BASE_PORT, strict: e.SANDBOX_STRICT === '1' || e.SANDBOX_STRICT === 'true' },
    vendors: mode === 'sandbox' ? {} : vendors,
    crosswalkFile: e.CROSSWALK_FILE ?? null,
    hapihubStockSource: e.HAPIHUB_STOCK_SOURCE,
    requestDeadlineMs: e.REQUEST_DEADLINE_MS,
    freshness: {
      liveStockMaxAgeMs: e.LIVE_STOCK_MAX_AGE_MS,
      liveStockRefresh: { windowMs: e.LIVE_STOCK_REFRESH_WINDOW_MS, maxProducts: e.LIVE_STOCK_REFRESH_MAX_PRODUCTS },
      referenceMaxAgeMs: e.REFERENCE_MAX_AGE_MS,
      qualityMaxAgeMs: e.QUALITY_MAX_AGE_MS,
      staleMaxMs: e.STALE_MAX_MS,
      maxIndexEntries: e.MAX_INDEX_ENTRIES,
    },
    idempotencyWindowMs: e.IDEMPOTENCY_WINDOW_MS,
    heapGrowingPercent: e.HEAP_GROWING_PERCENT,
    budgets: { distruMaxRps: e.DISTRU_MAX_RPS },
    idempotencyWaitMs: e.IDEMPOTENCY_WAIT_MS,
    store: { dataDir: e.OPSGRAPH_DATA_DIR, databaseUrl: e.DATABASE_URL ?? null },
    cluster: { redisUrl: e.REDIS_URL ?? null, replicas: e.OPSGRAPH_REPLICAS },
    vendorSettings: {
      isolocity: { timeZone: e.ISOLOCITY_TIMEZONE, ...(isolocityPaths ? { paths: isolocityPaths } : {}) },
      distru: { maxPageSize: e.DISTRU_MAX_PAGE_SIZE },
    },
    sync: {
      ...DEFAULT_SYNC_SETTINGS,
      enabled: e.SYNC === 'on',
      intervalMs: e.SYNC_INTERVAL_MS,
      fullRereadMs: e.SYNC_FULL_REREAD_MS,
      rereadMs: { ISOLOCITY: e.ISOLOCITY_SYNC_REREAD_MS, PHARUS: e.PHARUS_SYNC_REREAD_MS, DISTRU: e.DISTRU_SYNC_REREAD_MS, HAPIHUB: e.HAPIHUB_SYNC_REREAD_MS },
      leaseMs: e.SYNC_LEASE_MS,
      yieldMaxMs: e.SYNC_YIELD_MAX_MS,
      catchUpMaxAgeMs: { DISTRU: e.DISTRU_LIVE_MAX_AGE_MS },
    },
    notices: mode === 'sandbox' ? [] : notices,
    auth,
    limits: {
      maxBodyBytes: e.MAX_BODY_BYTES,
      maxDepth: e.MAX_DEPTH,
      maxAliases: e.MAX_ALIASES,
      maxTokens: e.MAX_TOKENS,
      maxDirectives: e.MAX_DIRECTIVES,
      maxCost: e.MAX_COST,
      maxParserDepth: e.MAX_PARSER_DEPTH,
      maxVendorCallsPerRequest: e.MAX_VENDOR_CALLS_PER_REQUEST,
    },
    exposure: {
      production,
      graphiql: e.GRAPHIQL ?? !production,
      introspection: e.INTROSPECTION ?? !production,
      fieldSuggestions: e.INTROSPECTION ?? !production,
      corsOrigins: corsOrigins(e.CORS_ORIGINS, mode),
    },
  };
}

type Env = z.infer<typeof envSchema>;

/**
 * Authentication is on unless `AUTH=none` is set, except in sandbox mode (simulated data only),
 * which defaults to none and says so at start. Turned on, it needs at least one way in.
 */
function authSettings(e: Env, mode: GatewayConfig['mode']): AuthSettings {
  const wanted = e.AUTH ?? (mode === 'sandbox' ? 'none' : 'required');
  if (wanted === 'none') return { mode: 'none' };
  const problems: string[] = [];
  let apiKeys: ApiKeyEntry[] = [];
  if (e.OPSGRAPH_API_KEYS_FILE !== undefined) {
    try {
      apiKeys = parseApiKeysFile(readFileSync(e.OPSGRAPH_API_KEYS_FILE, 'utf8'));
    } catch (error) {
      problems.push(`OPSGRAPH_API_KEYS_FILE: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  let jwt: JwtSettings | null = null;
  if (e.JWT_SECRET !== undefined || e.JWT_JWKS_URL !== undefined) {
    if (e.JWT_SECRET !== undefined && e.JWT_JWKS_URL !== undefined) problems.push('JWT_SECRET: give JWT_SECRET or JWT_JWKS_URL, not both');
    // A token minted for another service must not open this one: issuer and audience are checked.
    if (e.JWT_ISSUER === undefined) problems.push('JWT_ISSUER: required with JWT_SECRET or JWT_JWKS_URL');
    if (e.JWT_AUDIENCE === undefined) problems.push('JWT_AUDIENCE: required with JWT_SECRET or JWT_JWKS_URL');
    if (e.JWT_ISSUER !== undefined && e.JWT_AUDIENCE !== undefined) jwt = { secret: e.JWT_SECRET ?? null, jwksUrl: e.JWT_JWKS_URL ?? null, issuer: e.JWT_ISSUER, audience: e.JWT_AUDIENCE };
  }
  if (problems.length === 0 && apiKeys.length === 0 && jwt === null) {
    problems.push('AUTH: client authentication is on: set OPSGRAPH_API_KEYS_FILE or JWT_SECRET/JWT_JWKS_URL (with JWT_ISSUER and JWT_AUDIENCE), or AUTH=none to run open');
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return { mode: 'required', apiKeys, jwt };
}

/** Sandbox mode serves browsers on any origin (no credentials); elsewhere none unless listed. */
function corsOrigins(raw: string | undefined, mode: GatewayConfig['mode']): string[] {
  if (raw === undefined) return mode === 'sandbox' ? ['*'] : [];
  const origins = raw
    .split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter((o) => o !== '');
  // An origin is scheme://host[:port], exactly as a browser sends it in `Origin`.
  const bad = origins.filter((o) => o !== '*' && !/^https?:\/\/[^/\s?#]+$/.test(o));
  if (bad.length > 0) throw new ConfigError(`invalid configuration:\n  CORS_ORIGINS: each origin must look like https://app.example.com (or be *); ${bad.length} do not`);
  return origins;
}
