import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';

/**
 * deploy/compose.yaml is what a user runs to get several replicas (README, "Running several
 * replicas"). No Docker engine runs in CI, so this checks what can be checked without one: the file
 * parses, the replicas are this repository's Dockerfile image, every replica's settings pass
 * opsgraph's own configuration check and point at the compose file's PostgreSQL and Redis, and the
 * load balancer sends to exactly those replicas on the port the image listens on.
 */
const deploy = fileURLToPath(new URL('../../deploy/', import.meta.url));
const read = (file: string) => readFileSync(path.join(deploy, file), 'utf8');

interface Service {
  build?: { context: string; dockerfile: string };
  image?: string;
  environment?: Record<string, string>;
  env_file?: string;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  command?: string[];
}
const compose = parse(read('compose.yaml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const replicaNames = Object.keys(services).filter((name) => services[name]?.build !== undefined);

/** The value compose substitutes for `${NAME:?…}` (what a user exports before `up`). */
const interpolate = (value: string, vars: Record<string, string>) => value.replace(/\$\{(\w+)(?::\?[^}]*)?\}/g, (_, name: string) => vars[name] ?? '');

/** deploy/opsgraph.env.example with its empty values filled as a user would. */
function exampleEnv(): Record<string, string> {
  const filled: Record<string, string> = {};
  for (const line of read('opsgraph.env.example').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, name, value] = match as unknown as [string, string, string];
    filled[name] = value !== '' ? value : name.endsWith('_BASE_URL') ? 'https://vendor.example.com/api' : `${name.toLowerCase()}-value`;
  }
  return filled;
}

describe('deploy/compose.yaml', () => {
  it('runs three replicas of the Dockerfile image beside PostgreSQL, Redis and a load balancer', () => {
    expect(replicaNames).toEqual(['opsgraph-1', 'opsgraph-2', 'opsgraph-3']);
    for (const name of replicaNames) {
      const build = services[name]?.build;
      expect(existsSync(path.join(deploy, build?.context ?? '', build?.dockerfile ?? ''))).toBe(true);
      expect(path.resolve(deploy, build?.context ?? '')).toBe(path.resolve(deploy, '..'));
      expect(services[name]?.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    }
    expect(services.postgres?.image).toMatch(/^postgres:/);
    expect(services.redis?.image).toMatch(/^redis:/);
    expect(Object.keys(services['load-balancer']?.depends_on ?? {})).toEqual(replicaNames);
    expect(services['load-balancer']?.volumes).toContain('./nginx.conf:/etc/nginx/nginx.conf:ro');
  });

  it("gives every replica settings opsgraph accepts, on the compose file's PostgreSQL and Redis, with the replica count it runs", () => {
    const keysDir = mkdtempSync(path.join(tmpdir(), 'opsgraph-deploy-'));
    const keysFile = path.join(keysDir, 'api-keys.json');
    writeFileSync(keysFile, JSON.stringify([{ name: 'bi', sha256: 'a'.repeat(64), scopes: ['read'] }]));
    const postgres = services.postgres?.environment ?? {};
    for (const name of replicaNames) {
      const service = services[name] as Service;
      expect(service.env_file).toBe('opsgraph.env');
      const environment = Object.fromEntries(Object.entries(service.environment ?? {}).map(([key, value]) => [key, interpolate(String(value), { POSTGRES_PASSWORD: 'pw' })]));
      // The keys file is mounted where the setting says.
      expect(service.volumes).toContain(`./api-keys.json:${environment.OPSGRAPH_API_KEYS_FILE}:ro`);
      const config = loadConfig({ ...exampleEnv(), ...environment, OPSGRAPH_API_KEYS_FILE: keysFile, NODE_ENV: 'production' });
      expect(config.mode).toBe('vendors');
      expect(config.cluster).toEqual({ redisUrl: 'redis://redis:6379', replicas: replicaNames.length });
      const database = new URL(config.store.databaseUrl ?? '');
      expect(database.hostname).toBe('postgres');
      expect(database.username).toBe(postgres.POSTGRES_USER);
      expect(database.pathname).toBe(`/${postgres.POSTGRES_DB}`);
      expect(new URL(config.cluster.redisUrl ?? '').hostname).toBe('redis');
    }
  });

  it('has nginx send to exactly the replicas, on the port the image listens on', () => {
    const port = /^ENV .*\bPORT=(\d+)/m.exec(readFileSync(path.join(deploy, '..', 'Dockerfile'), 'utf8'))?.[1];
    expect(port).toBe('4000');
    const upstreams = [...read('nginx.conf').matchAll(/^\s*server\s+([\w-]+):(\d+)\b/gm)].map((m) => `${m[1]}:${m[2]}`);
    expect(upstreams).toEqual(replicaNames.map((name) => `${name}:${port}`));
  });
});
