import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('runs on the sandboxes when no vendor is configured', () => {
    const config = loadConfig({});
    expect(config.mode).toBe('sandbox');
    expect(config.port).toBe(4000);
    expect(config.freshness.liveStockMaxAgeMs).toBe(5000);
  });

  it('uses the configured vendors only, with trailing slashes trimmed', () => {
    const config = loadConfig({ DISTRU_BASE_URL: 'https://app.distru.com/', DISTRU_TOKEN: 'secret-token', AUTH: 'none' });
    expect(config.mode).toBe('vendors');
    expect(config.vendors).toEqual({ DISTRU: { baseUrl: 'https://app.distru.com', token: 'secret-token' } });
  });

  it('stops with a message naming each bad setting, never echoing its value', () => {
    const bad = () => loadConfig({ PORT: 'eighty', PHARUS_BASE_URL: 'not a url', PHARUS_TOKEN: 'super-secret-value' });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/PORT/);
      expect(message).toMatch(/PHARUS_BASE_URL/);
      expect(message).not.toContain('super-secret-value');
    }
  });

  it('lets the heap grow 50 % past what a full collection kept unless told otherwise, and refuses a percentage it cannot use', () => {
    expect(loadConfig({}).heapGrowingPercent).toBe(50);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent).toBe(0);
    for (const bad of ['-1', 'half', '301']) expect(() => loadConfig({ HEAP_GROWING_PERCENT: bad })).toThrow(/HEAP_GROWING_PERCENT/);
  });

  it('lets the sync wait at most a second a page for requests in flight unless told otherwise, 0 never', () => {
    expect(loadConfig({}).sync.yieldMaxMs).toBe(1_000);
    expect(loadConfig({ SYNC_YIELD_MAX_MS: '0' }).sync.yieldMaxMs).toBe(0);
    for (const bad of ['-1', 'soon', '60001']) expect(() => loadConfig({ SYNC_YIELD_MAX_MS: bad })).toThrow(/SYNC_YIELD_MAX_MS/);
  });

  it('requires the token and Pharus organisation alongside a base URL', () => {
    expect(() => loadConfig({ PHARUS_BASE_URL: 'https://pharus.example/api', PHARUS_TOKEN: 't' })).toThrow(/PHARUS_ORG_ID/);
    // An org-bound personal access token needs no organisation (E005).
    const pat = loadConfig({ AUTH: 'none', PHARUS_BASE_URL: 'https://pharus.example/api', PHARUS_TOKEN: 'pharus_pat_0123456789abcdefghijABCDEFGHIJkl' });
    expect(pat.vendors.PHARUS).toEqual({ baseUrl: 'https://pharus.example/api', token: 'pharus_pat_0123456789abcdefghijABCDEFGHIJkl' });
    expect(() => loadConfig({ HAPIHUB_BASE_URL: 'https://hapihub.example' })).toThrow(/HAPIHUB_TOKEN/);
    expect(() => loadConfig({ ISOLOCITY_TOKEN: 't' })).toThrow(/ISOLOCITY_BASE_URL/);
  });

  it('stops on an unknown LOG_LEVEL, a malformed OTEL_EXPORTER_OTLP_ENDPOINT or an unparsable METRICS_PORT, naming each', () => {
    const messageOf = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error('expected a ConfigError');
    };
    expect(messageOf({ LOG_LEVEL: 'verbose' })).toMatch(/^invalid configuration:\n {2}LOG_LEVEL: /);
    expect(messageOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toMatch(/OTEL_EXPORTER_OTLP_ENDPOINT: /);
    expect(messageOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toMatch(/OTEL_EXPORTER_OTLP_ENDPOINT: /);
    expect(messageOf({ METRICS_PORT: 'nine-thousand' })).toMatch(/METRICS_PORT: /);
    expect(messageOf({ METRICS_PORT: '70000' })).toMatch(/METRICS_PORT: /);
  });

  it('serves metrics on the API port and exports no traces unless told otherwise', () => {
    expect(loadConfig({})).toMatchObject({ metricsPort: null, otlpEndpoint: null, logLevel: 'info' });
    expect(loadConfig({ METRICS_PORT: '9464', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318/', LOG_LEVEL: 'warn' })).toMatchObject({
      metricsPort: 9464,
      otlpEndpoint: 'http://otel-collector:4318',
      logLevel: 'warn',
    });
  });

  const distru = { DISTRU_BASE_URL: 'https://app.distru.com', DISTRU_TOKEN: 'secret-token' };
  const keysFile = (text: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'opsgraph-keys-')), 'keys.json');
    writeFileSync(file, text);
    return file;
  };

  it('turns client authentication on outside sandbox mode and refuses to start without a way in', () => {
    expect(() => loadConfig(distru)).toThrow(/AUTH: client authentication is on/);
    expect(loadConfig({ ...distru, AUTH: 'none' }).auth).toEqual({ mode: 'none' });
    expect(loadConfig({}).auth).toEqual({ mode: 'none' });
  });

  it('reads API keys from OPSGRAPH_API_KEYS_FILE, naming a bad entry without echoing a digest', () => {
    const digest = 'a'.repeat(64);
    const good = loadConfig({ ...distru, OPSGRAPH_API_KEYS_FILE: keysFile(JSON.stringify([{ name: 'bi', sha256: digest, scopes: ['read'] }])) });
    expect(good.auth).toEqual({ mode: 'required', apiKeys: [{ name: 'bi', sha256: digest, scopes: ['read'] }], jwt: null });
    expect(() => loadConfig({ ...distru, OPSGRAPH_API_KEYS_FILE: keysFile(JSON.stringify([{ name: 'bi', sha256: digest, scopes: ['admin'] }])) })).toThrow(/OPSGRAPH_API_KEYS_FILE: 0\.scopes\.0: must be read, write or write:<vendor>/);
    expect(() => loadConfig({ ...distru, OPSGRAPH_API_KEYS_FILE: keysFile('not json') })).toThrow(/OPSGRAPH_API_KEYS_FILE: is not valid JSON/);
    expect(() => loadConfig({ ...distru, OPSGRAPH_API_KEYS_FILE: '/nonexistent/keys.json' })).toThrow(/OPSGRAPH_API_KEYS_FILE/);
  });

  it('checks issuer and audience of JWTs: both are required with a JWT key', () => {
    expect(() => loadConfig({ ...distru, JWT_SECRET: 'x'.repeat(32) })).toThrow(/JWT_ISSUER: required[\s\S]*JWT_AUDIENCE: required/);
    const config = loadConfig({ ...distru, JWT_SECRET: 'x'.repeat(32), JWT_ISSUER: 'https://id.example', JWT_AUDIENCE: 'opsgraph' });
    expect(config.auth).toEqual({ mode: 'required', apiKeys: [], jwt: { secret: 'x'.repeat(32), jwksUrl: null, issuer: 'https://id.example', audience: 'opsgraph' } });
  });

  it('refuses to serve simulated data in production when no vendor is configured', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow('no vendor configured; set OPSGRAPH_SANDBOX=1 to serve the simulators');
    expect(loadConfig({ NODE_ENV: 'production', OPSGRAPH_SANDBOX: '1' }).mode).toBe('sandbox');
  });

  it('turns GraphiQL, introspection and field suggestions off in production unless asked for', () => {
    expect(loadConfig({ ...distru, AUTH: 'none', NODE_ENV: 'production' }).exposure).toEqual({ production: true, graphiql: false, introspection: false, fieldSuggestions: false, corsOrigins: [] });
    expect(loadConfig({ ...distru, AUTH: 'none', NODE_ENV: 'production', GRAPHIQL: '1', INTROSPECTION: '1' }).exposure).toMatchObject({ graphiql: true, introspection: true, fieldSuggestions: true });
    expect(loadConfig({}).exposure).toMatchObject({ production: false, graphiql: true, introspection: true, corsOrigins: ['*'] });
  });

  it('takes a CORS allowlist of exact origins and refuses anything else', () => {
    expect(loadConfig({ ...distru, AUTH: 'none', CORS_ORIGINS: 'https://app.example.com, http://localhost:5173/' }).exposure.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(() => loadConfig({ ...distru, AUTH: 'none', CORS_ORIGINS: 'app.example.com' })).toThrow(/CORS_ORIGINS/);
  });

  it('has limits by default and takes each from its setting', () => {
    expect(loadConfig({}).limits).toEqual({ maxBodyBytes: 1_048_576, maxDepth: 7, maxAliases: 15, maxTokens: 2_000, maxDirectives: 20, maxCost: 20_000, maxParserDepth: 40, maxVendorCallsPerRequest: 50 });
    expect(loadConfig({ MAX_DEPTH: '9', MAX_VENDOR_CALLS_PER_REQUEST: '10' }).limits).toMatchObject({ maxDepth: 9, maxVendorCallsPerRequest: 10 });
  });

  it('puts the sandboxes on SANDBOX_BASE_PORT (4101 by default, 0 for free ports) and refuses a port range past 65535', () => {
    expect(loadConfig({}).sandbox.basePort).toBe(4101);
    expect(loadConfig({ SANDBOX_BASE_PORT: '0' }).sandbox.basePort).toBe(0);
    expect(loadConfig({ SANDBOX_BASE_PORT: '4450' }).sandbox.basePort).toBe(4450);
    expect(() => loadConfig({ SANDBOX_BASE_PORT: '65533' })).toThrow(/SANDBOX_BASE_PORT/);
    expect(() => loadConfig({ SANDBOX_BASE_PORT: 'forty-one' })).toThrow(/SANDBOX_BASE_PORT/);
  });
});
