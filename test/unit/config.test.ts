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

  it('puts the sandboxes on SANDBOX_BASE_PORT (4101 by default, 0 for free ports) and refuses a port range past 65535', () => {
    expect(loadConfig({}).sandbox.basePort).toBe(4101);
    expect(loadConfig({ SANDBOX_BASE_PORT: '0' }).sandbox.basePort).toBe(0);
    expect(loadConfig({ SANDBOX_BASE_PORT: '4450' }).sandbox.basePort).toBe(4450);
    expect(() => loadConfig({ SANDBOX_BASE_PORT: '65533' })).toThrow(/SANDBOX_BASE_PORT/);
    expect(() => loadConfig({ SANDBOX_BASE_PORT: 'forty-one' })).toThrow(/SANDBOX_BASE_PORT/);
  });
});
