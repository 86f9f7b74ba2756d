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
    const config = loadConfig({ DISTRU_BASE_URL: 'https://app.distru.com/', DISTRU_TOKEN: 'secret-token' });
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

  it('requires the token and Pharus organisation alongside a base URL', () => {
    expect(() => loadConfig({ PHARUS_BASE_URL: 'https://pharus.example/api', PHARUS_TOKEN: 't' })).toThrow(/PHARUS_ORG_ID/);
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
    expect(messageOf({ LOG_LEVEL: 'verbose' })).toMatch(/^invalid configuration:\n  LOG_LEVEL: /);
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
});
