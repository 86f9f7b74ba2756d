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
    // An org-bound personal access token needs no organisation (E005).
    const pat = loadConfig({ PHARUS_BASE_URL: 'https://pharus.example/api', PHARUS_TOKEN: 'pharus_pat_0123456789abcdefghijABCDEFGHIJkl' });
    expect(pat.vendors.PHARUS).toEqual({ baseUrl: 'https://pharus.example/api', token: 'pharus_pat_0123456789abcdefghijABCDEFGHIJkl' });
    expect(() => loadConfig({ HAPIHUB_BASE_URL: 'https://hapihub.example' })).toThrow(/HAPIHUB_TOKEN/);
    expect(() => loadConfig({ ISOLOCITY_TOKEN: 't' })).toThrow(/ISOLOCITY_BASE_URL/);
  });
});
