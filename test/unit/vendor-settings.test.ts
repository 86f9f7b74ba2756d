import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { DEFAULT_ISOLOCITY_PATHS } from '../../src/vendors/isolocity/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'opsgraph-settings-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
// AUTH=none: these tests are about vendor settings; client authentication has its own tests.
const ISOLOCITY = { AUTH: 'none', ISOLOCITY_BASE_URL: 'https://isolocity.example/api/v2', ISOLOCITY_TOKEN: 'secret-iso-token' };

/** The ConfigError message of a configuration that must not start. */
function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('ISOLOCITY_TIMEZONE', () => {
  it('defaults to UTC and takes an IANA zone', () => {
    expect(loadConfig(ISOLOCITY).vendorSettings.isolocity.timeZone).toBe('UTC');
    expect(loadConfig({ ...ISOLOCITY, ISOLOCITY_TIMEZONE: 'America/Chicago' }).vendorSettings.isolocity.timeZone).toBe('America/Chicago');
  });

  it('stops the start on a zone Node does not know, naming the setting', () => {
    expect(refusal({ ...ISOLOCITY, ISOLOCITY_TIMEZONE: 'Central Time' })).toMatch(/ISOLOCITY_TIMEZONE: is not an IANA time zone/);
  });
});

describe('ISOLOCITY_PATHS_FILE', () => {
  it('uses the built-in table when unset; the example file is that table', () => {
    expect(loadConfig(ISOLOCITY).vendorSettings.isolocity.paths).toBeUndefined();
    const example = JSON.parse(readFileSync(new URL('../../config/isolocity-paths.example.json', import.meta.url), 'utf8')) as unknown;
    expect(example).toEqual(DEFAULT_ISOLOCITY_PATHS);
  });

  it('takes a complete table with other paths', () => {
    const table = { ...DEFAULT_ISOLOCITY_PATHS, listParts: 'GET /v3/parts', updateNcr: 'PUT /ncrs/{id}' };
    const config = loadConfig({ ...ISOLOCITY, ISOLOCITY_PATHS_FILE: file('good.json', JSON.stringify(table)) });
    expect(config.vendorSettings.isolocity.paths).toEqual(table);
  });

  it('stops the start on a file that does not parse, naming the file', () => {
    const path = file('broken.json', '{ "listParts": "GET /parts", ');
    const message = refusal({ ...ISOLOCITY, ISOLOCITY_PATHS_FILE: path });
    expect(message).toContain('ISOLOCITY_PATHS_FILE');
    expect(message).toContain(path);
    expect(message).toMatch(/is not JSON/);
  });

  it('stops the start on an unknown operation, naming it', () => {
    const message = refusal({ ...ISOLOCITY, ISOLOCITY_PATHS_FILE: file('unknown.json', JSON.stringify({ ...DEFAULT_ISOLOCITY_PATHS, listWidgets: 'GET /widgets' })) });
    expect(message).toMatch(/unknown operation "listWidgets"/);
  });

  it('stops the start on a missing operation, naming it and its default', () => {
    const { getNcr: _dropped, ...rest } = DEFAULT_ISOLOCITY_PATHS;
    const message = refusal({ ...ISOLOCITY, ISOLOCITY_PATHS_FILE: file('missing.json', JSON.stringify(rest)) });
    expect(message).toMatch(/operation "getNcr" is missing \(default: "GET \/ncrs\/\{id\}"\)/);
  });

  it('refuses entries that are not "METHOD /path", reads that are not GET, writes that are GET, and wrong placeholders', () => {
    const table = { ...DEFAULT_ISOLOCITY_PATHS, listParts: '/parts', listNcrs: 'POST /ncrs', createNcr: 'GET /ncrs', getPart: 'GET /parts/{part}', updateSample: 'PATCH /samples/{sample_id}/{id}' };
    const message = refusal({ ...ISOLOCITY, ISOLOCITY_PATHS_FILE: file('bad-entries.json', JSON.stringify(table)) });
    expect(message).toMatch(/"listParts": "\/parts" is not "METHOD \/path"/);
    expect(message).toMatch(/"listNcrs" is a read and must use GET/);
    expect(message).toMatch(/"createNcr" is a write and cannot use GET/);
    expect(message).toMatch(/"getPart" must have the placeholders \[id\]/);
    expect(message).toMatch(/"updateSample" must have the placeholders \[id, sample_id\] in this order/);
  });

  it('stops the start on a file that cannot be read, and never echoes a token', () => {
    const message = refusal({ ...ISOLOCITY, ISOLOCITY_PATHS_FILE: join(dir, 'absent.json') });
    expect(message).toMatch(/cannot read .*absent\.json \(ENOENT\)/);
    expect(message).not.toContain('secret-iso-token');
  });
});

describe('DISTRU_BASE_URL and DISTRU_MAX_PAGE_SIZE', () => {
  const DISTRU = { AUTH: 'none', DISTRU_TOKEN: 'secret-distru-token' };

  it('takes the origin as it is, and says so once', () => {
    const config = loadConfig({ ...DISTRU, DISTRU_BASE_URL: 'https://app.distru.com' });
    expect(config.vendors.DISTRU?.baseUrl).toBe('https://app.distru.com');
    expect(config.notices).toEqual(["DISTRU_BASE_URL taken as Distru's origin: https://app.distru.com (calls go to https://app.distru.com/public/v1/…)"]);
  });

  it('cuts a URL ending in /public/v1 (as the document writes them) back to the origin, and says so once', () => {
    for (const given of ['https://app.distru.com/public/v1', 'https://app.distru.com/public/v1/']) {
      const config = loadConfig({ ...DISTRU, DISTRU_BASE_URL: given });
      expect(config.vendors.DISTRU?.baseUrl).toBe('https://app.distru.com');
      expect(config.notices).toEqual(["DISTRU_BASE_URL ends in /public/v1: using https://app.distru.com as Distru's origin (opsgraph's paths carry /public/v1)"]);
    }
  });

  it('asks pages of at most 500 by default, and refuses a size that is not a positive integer', () => {
    expect(loadConfig({}).vendorSettings.distru.maxPageSize).toBe(500);
    expect(loadConfig({ DISTRU_MAX_PAGE_SIZE: '100' }).vendorSettings.distru.maxPageSize).toBe(100);
    expect(refusal({ DISTRU_MAX_PAGE_SIZE: '0' })).toMatch(/DISTRU_MAX_PAGE_SIZE/);
    expect(refusal({ DISTRU_MAX_PAGE_SIZE: 'many' })).toMatch(/DISTRU_MAX_PAGE_SIZE/);
  });
});
