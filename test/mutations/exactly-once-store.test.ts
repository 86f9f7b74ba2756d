import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxes, type Sandboxes } from '../../sandbox/index.js';
import { worldCrosswalk } from '../../sandbox/world/index.js';
import { Crosswalk } from '../../src/catalog/crosswalk.js';
import { loadConfig } from '../../src/config.js';
import { startGateway, type StartedGateway } from '../../src/server/gateway.js';
import { sandboxConnections } from '../../src/server/sandbox-wiring.js';
import { MUTATION_CASES, writesSent, type CaseEnv, type MutationCase, type PreparedWrite } from '../support/mutation-cases.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

/**
 * Idempotency records outlive the process that wrote them (same data directory after a restart)
 * and hold across processes (two gateway processes on one real PostgreSQL), for every mutation of
 * the table of cases (test/support/mutation-cases.ts).
 */
const SCALE = 0.2;
// The sandbox is no live company: Distru's 2 calls a second would only slow the setup writes.
const DISTRU_MAX_RPS = '1000';

type Answer = { data?: unknown; errors?: { message?: string; extensions?: Record<string, unknown> }[] };

let sandboxes: Sandboxes;
beforeAll(async () => {
  sandboxes = await startSandboxes({ scale: SCALE, ports: { isolocity: 0, pharus: 0, distru: 0, hapihub: 0 } });
});
afterAll(() => sandboxes?.close());

async function gql(url: string, query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as Answer;
}

const code = (a: Answer | undefined) => (a?.errors?.[0]?.extensions?.code as string | undefined) ?? 'OK';
const slug = (name: string) => name.replace(/[^A-Za-z]+/g, '-').toLowerCase();
const cases = MUTATION_CASES.map((c) => [c.name, c] as const);

describe('after a gateway restart with the same data directory', () => {
  let dir: string;
  let gateway: StartedGateway | undefined;
  const env: CaseEnv = { gql: (query, variables) => gql(gateway?.url ?? '', query, variables), get sandboxes() { return sandboxes; } };
  // Lost answers of one vendor's cases follow one another here: the write breaker must not open between them.
  const breaker = { breaker: { failureThreshold: 1_000_000, openMs: 1_000 } };
  const start = async (): Promise<void> => {
    gateway = await startGateway(loadConfig({ PORT: '0', HOST: '127.0.0.1', OPSGRAPH_DATA_DIR: dir, DISTRU_MAX_RPS, SYNC: 'off' }), {
      vendors: sandboxConnections(sandboxes),
      crosswalk: new Crosswalk(worldCrosswalk(sandboxes.world)),
      httpOverrides: { ISOLOCITY: breaker, PHARUS: breaker, DISTRU: breaker, HAPIHUB: breaker },
    });
  };
  /** Per case, before the restart: a key whose write was answered, and one whose answer was lost. */
  const before = new Map<string, { done: PreparedWrite & { answer: Answer; key: string }; lost: PreparedWrite & { key: string } }>();

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'opsgraph-restart-'));
    await start();
    for (const c of MUTATION_CASES) {
      const done = await c.prepare(env, `restart-done-${slug(c.name)}`);
      const doneKey = `restart-done-${slug(c.name)}`;
      const answer = await env.gql(c.query, { input: { ...done.input, idempotencyKey: doneKey } });
      const lost = await c.prepare(env, `restart-lost-${slug(c.name)}`);
      const lostKey = `restart-lost-${slug(c.name)}`;
      sandboxes.handles[c.vendor]?.faults.add({ match: c.lose, loseResponse: true });
      const unknown = await env.gql(c.query, { input: { ...lost.input, idempotencyKey: lostKey } });
      sandboxes.handles[c.vendor]?.faults.clear();
      if (code(answer) !== 'OK' || code(unknown) !== 'OUTCOME_UNKNOWN') throw new Error(`${c.name}: setup answered ${code(answer)} / ${code(unknown)}: ${JSON.stringify([answer.errors, unknown.errors])}`);
      before.set(c.name, { done: { ...done, answer, key: doneKey }, lost: { ...lost, key: lostKey } });
    }
    await gateway?.close();
    await start();
  }, 120_000);
  afterAll(async () => {
    await gateway?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(cases)('%s: a retried key writes nothing again, neither one answered nor one whose answer was lost', async (name, c: MutationCase) => {
    const { done, lost } = before.get(name) ?? {};
    if (!done || !lost) throw new Error(`${name} was not prepared`);
    sandboxes.handles[c.vendor]?.stats.reset();
    expect(await env.gql(c.query, { input: { ...done.input, idempotencyKey: done.key } })).toEqual(done.answer);
    expect(writesSent(sandboxes, c)).toBe(0);

    const retried = await env.gql(c.query, { input: { ...lost.input, idempotencyKey: lost.key } });
    expect(code(retried)).toBe(c.recognition === 'none' ? 'OUTCOME_UNKNOWN' : 'OK');
    // A look (find) sends no write; an idempotent PATCH or upsert is the look itself and sends it again.
    if (c.recognition === 'resend') expect(writesSent(sandboxes, c)).toBeGreaterThanOrEqual(1);
    else expect(writesSent(sandboxes, c)).toBe(0);
    expect([done.records(), lost.records()]).toEqual([1, 1]);
  });
});

describe('two gateway processes sharing one PostgreSQL', () => {
  let postgres: TestPostgres;
  const children: ChildProcess[] = [];
  const urls: string[] = [];
  const env: CaseEnv = { gql: (query, variables) => gql(urls[0] ?? '', query, variables), get sandboxes() { return sandboxes; } };

  async function spawnGateway(databaseUrl: string): Promise<string> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../support/gateway-child.ts')], {
      env: { ...process.env, DATABASE_URL: databaseUrl, DISTRU_MAX_RPS, OPSGRAPH_TEST_VENDORS: JSON.stringify(sandboxConnections(sandboxes)), OPSGRAPH_TEST_SCALE: String(SCALE) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    for await (const line of lines) if (line.startsWith('http://')) return line.trim();
    throw new Error('the gateway process exited before printing its URL');
  }

  beforeAll(async () => {
    postgres = await startPostgres();
    const databaseUrl = await postgres.createDatabase();
    // One after the other: the first runs the migrations, the second finds them done.
    urls.push(await spawnGateway(databaseUrl));
    urls.push(await spawnGateway(databaseUrl));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    await postgres?.stop();
  });

  it.each(cases)('%s: the same key sent to both at once writes once, and both answer that write', async (name, c: MutationCase) => {
    const key = `two-processes-${slug(name)}`;
    const write = await c.prepare(env, key);
    // The vendor answers slowly, so the two requests overlap.
    sandboxes.handles[c.vendor]?.faults.add({ match: c.lose, latencyMs: 300 });
    sandboxes.handles[c.vendor]?.stats.reset();
    let answers: Answer[];
    try {
      answers = await Promise.all(urls.map((url) => gql(url, c.query, { input: { ...write.input, idempotencyKey: key } })));
    } finally {
      sandboxes.handles[c.vendor]?.faults.clear();
    }
    expect(answers.map((a) => a.errors)).toEqual([undefined, undefined]);
    expect(answers[0]?.data).toEqual(answers[1]?.data);
    expect(writesSent(sandboxes, c)).toBe(1);
    expect(write.records()).toBe(1);
  });
});
